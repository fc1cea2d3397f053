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
from collections import defaultdict
from pathlib import Path

from .sitecheck import check_site


class _Capture(logging.Handler):
    """Every record of the build at INFO or above: problems, notes and the reports."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.problems: list[str] = []
        self.notes: list[str] = []
        self.reports: dict[str, object] = {}

    def emit(self, record: logging.LogRecord) -> None:
        for name in ("citations_report", "charts_report"):
            if hasattr(record, name):
                self.reports[name] = getattr(record, name)
        if getattr(record, "note", False):
            self.notes.append(str(record.problem))
        elif record.levelno >= logging.WARNING:
            problem = getattr(record, "problem", None)
            self.problems.append(str(problem) if problem is not None else record.getMessage())


def run(settings_file: Path, content: Path | None = None, out=sys.stdout) -> int:
    """Print the report; the number of problems found."""
    from pelican import Pelican
    from pelican.log import LimitFilter
    from pelican.log import init as init_logging
    from pelican.settings import read_settings

    init_logging(level=logging.WARNING)
    LimitFilter._raised_messages = set()
    LimitFilter._group_count = defaultdict(int)
    say = lambda text="": print(text, file=out)  # noqa: E731
    problems = 0
    capture = _Capture()
    with tempfile.TemporaryDirectory(prefix="check-") as tmp:
        overrides = {"OUTPUT_PATH": str(Path(tmp) / "site"), "CITATIONS_NOTES": True}
        if content is not None:
            overrides["PATH"] = str(content)
        settings = read_settings(str(settings_file), override=overrides)
        root = logging.getLogger()
        # The notes and reports are INFO records: the root logger lets them through to the
        # capture, and the terminal's handlers go on showing warnings and errors only.
        levels = {handler: handler.level for handler in root.handlers}
        for handler in root.handlers:
            handler.setLevel(max(handler.level, logging.WARNING))
        level = root.level
        root.addHandler(capture)
        root.setLevel(min(level, logging.INFO))
        try:
            Pelican(settings).run()
        except Exception as error:
            capture.problems.append(f"the build stopped: {type(error).__name__}: {error}")
        finally:
            root.removeHandler(capture)
            root.setLevel(level)
            for handler, old in levels.items():
                handler.setLevel(old)
        build_problems = list(dict.fromkeys(capture.problems))
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

    _citations(say, capture.reports.get("citations_report"), list(dict.fromkeys(capture.notes)))
    _charts(say, capture.reports.get("charts_report"))
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
