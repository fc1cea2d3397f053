"""``invoke check``: everything that would stop a publish, and how the citations and charts
stand, in one summary.

It builds the public site as the strict build does, but lists every problem
rather than stopping at the first; then runs the publish checks on what it
built; then reports the bibliography (keys cited but missing, entries short of
fields, entries not cited) and each chart (kind, cached or drawn). Any problem
makes it exit non-zero. The build goes to a temporary folder: content/ and
output/ are not touched.
"""

from __future__ import annotations

import logging
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from .problems import Problem
from .sitecheck import check_site


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


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
    with tempfile.TemporaryDirectory(prefix="check-") as tmp:
        overrides = {"OUTPUT_PATH": str(Path(tmp) / "site")}
        if content is not None:
            overrides["PATH"] = str(content)
        settings = read_settings(str(settings_file), override=overrides)
        capture = _Capture()
        logging.getLogger().addHandler(capture)
        try:
            Pelican(settings).run()
        except Exception as error:
            capture.messages.append(f"the build stopped: {type(error).__name__}: {error}")
        finally:
            logging.getLogger().removeHandler(capture)
        build_problems = list(dict.fromkeys(capture.messages))
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

    problems += _citations(say)
    _charts(say)
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


def _citations(say) -> int:
    try:
        from citations import current
        from citations.report import missing_fields
    except ImportError:
        return 0
    state = current()
    if state is None:
        return 0
    entries = state.entries
    cited = state.cited_by
    posts = {id(a) for articles in cited.values() for a in articles}
    say(
        f"Citations: {len(cited)} works cited in {len(posts)} posts, from "
        f"{len(entries)} entries in {', '.join(state.display(p) for p in state._bib_paths())}"
    )
    say(f"  keys cited but missing: {', '.join(state.unknown) if state.unknown else 'none'}")
    short = []
    for key in sorted(cited):
        fields = missing_fields(entries[key])
        if fields:
            path, line = state.index.locations[key]
            short.append(
                Problem(
                    path,
                    line,
                    f"entry '{key}' has no {', '.join(fields)}",
                    "add them: the style prints them for this type",
                )
            )
    say(f"  cited entries missing fields the style needs: {len(short) or 'none'}")
    for problem in short:
        say(f"    {problem}")
    unused = sorted(set(entries) - set(cited))
    say(f"  entries not cited (not a problem): {', '.join(unused) if unused else 'none'}")
    return len(short) + len(state.unknown)


def _charts(say) -> None:
    try:
        from sampling_charts import current
    except ImportError:
        return
    state = current()
    if state is None:
        return
    report = state.report
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
