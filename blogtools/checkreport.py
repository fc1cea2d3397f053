"""``invoke check``: everything that would stop a publish, and how the citations and charts
stand, in one summary.

It builds the public site as the strict build does, but lists every problem
rather than stopping at the first; then runs the publish checks on what it
built; then reports the bibliography (keys cited but missing, notes on the
entries cited, entries not cited) and each chart (kind, cached or drawn), from
what the plugins log: each problem and note travels on its log record as an
object, and each plugin's summary as a record of its own. Any problem makes it
exit non-zero; notes do not. The build goes to a temporary folder: content/ and
output/ are not touched.
"""

from __future__ import annotations

import logging
import sys
import tempfile
from pathlib import Path

from .pelicanrun import run_pelican
from .qa.sitecheck import check_site


def run(settings_file: Path, content: Path | None = None, out=sys.stdout) -> int:
    """Print the report; the number of problems found."""
    from pelican.log import init as init_logging
    from pelican.settings import read_settings

    init_logging(level=logging.WARNING)
    say = lambda text="": print(text, file=out)  # noqa: E731
    problems = 0
    with tempfile.TemporaryDirectory(prefix="check-") as tmp:
        overrides = {"OUTPUT_PATH": str(Path(tmp) / "site"), "CITATIONS_NOTES": True}
        if content is not None:
            overrides["PATH"] = str(content)
        settings = read_settings(str(settings_file), override=overrides)
        found = run_pelican(settings, notes=True)
        if found.stopped is not None:
            error = found.stopped
            found.add(f"the build stopped: {type(error).__name__}: {error}")
        build_problems = list(found.problems)
        problems += len(build_problems)
        say(f"Build with {settings_file.name}, as strict: {_count(build_problems, 'problem')}")
        for message in build_problems:
            say(f"  {message}")

        site_problems = check_site(Path(tmp) / "site", settings.get("SITEURL", ""))
        problems += len(site_problems)
        say(
            f"Site checks (links, assets, titles, canonical URLs, feeds): "
            f"{_count(site_problems, 'problem')}"
        )
        for problem in site_problems:
            say(f"  {problem}")

    _citations(say, found.reports.get("citations_report"), found.notes)
    _charts(say, found.reports.get("charts_report"))
    say()
    if problems:
        say(
            f"check: {_count(range(problems), 'problem')} — fix them and run `invoke check` "
            "again; `invoke publish` would stop at the first"
        )
    else:
        say("check: no problems — the site is ready to publish")
    return problems


def _count(items, noun: str) -> str:
    number = len(list(items))
    return f"no {noun}s" if number == 0 else f"{number} {noun}{'' if number == 1 else 's'}"


def _citations(say, report: dict | None, notes: list[str]) -> None:
    if not report:
        return
    say(
        f"Citations: {len(report['cited'])} works cited, from {report['entries']} entries in "
        f"{', '.join(report['files'])}"
    )
    unknown = report["unknown"]
    say(f"  keys cited but missing: {', '.join(unknown) if unknown else 'none'}")
    say(f"  notes on the works cited (not problems): {len(notes) or 'none'}")
    for note in notes:
        say(f"    {note}")
    uncited = report["uncited"]
    shown = ", ".join(uncited[:30]) + (f" and {len(uncited) - 30} more" if uncited[30:] else "")
    say(f"  entries not cited (not a problem): {shown or 'none'}")


def _charts(say, report: list[dict] | None) -> None:
    if report is None:
        return
    cached = sum(1 for chart in report if chart["cached"])
    drawn = sum(
        1 for chart in report if chart["kind"] and not chart["cached"] and not chart["problems"]
    )
    say(
        f"Charts: {len(report)} in {len({c['path'] for c in report})} posts; "
        f"{cached} from the cache, {drawn} drawn"
    )
    for chart in sorted(report, key=lambda c: (c["path"], c["line"])):
        status = "broken" if chart["problems"] else "cached" if chart["cached"] else "drawn"
        say(f"  {chart['path']}:{chart['line']}  {chart['kind'] or '?':12} {status}")
