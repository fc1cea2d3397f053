"""One Pelican build run in this process, with what it logged kept as it was logged.

``invoke check`` and the live preview's builder both run Pelican in-process and
want every problem of the build, not Pelican's first: each problem our plugins log
carries its object (``record.problem``, with file and line), a note is marked
(``record.note``), and a plugin's summary travels as a record of its own. Pelican
reports a message once a process (``LimitFilter``); a process that builds more
than once is told to report each build's afresh.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field

REPORTS = ("citations_report", "charts_report")


@dataclass
class Found:
    """What one build logged: problems (text -> file and line, when known), in the order
    first logged; notes (not problems); each plugin's report; the error that stopped it."""

    problems: dict[str, tuple[str | None, int | None]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    reports: dict[str, object] = field(default_factory=dict)
    stopped: Exception | None = None

    def add(self, text: str, path: str | None = None, line: int | None = None) -> None:
        """A problem, once, however often it is logged."""
        self.problems.setdefault(text, (path, line))


class _Capture(logging.Handler):
    def __init__(self, found: Found, level: int) -> None:
        super().__init__(level)
        self.found = found

    def emit(self, record: logging.LogRecord) -> None:
        for name in REPORTS:
            if hasattr(record, name):
                self.found.reports[name] = getattr(record, name)
        problem = getattr(record, "problem", None)
        if getattr(record, "note", False):
            if str(problem) not in self.found.notes:
                self.found.notes.append(str(problem))
        elif record.levelno < logging.WARNING:
            return
        elif problem is not None:
            self.found.add(str(problem), problem.path, problem.line)
        else:
            try:
                message = record.getMessage()
            except Exception:
                message = str(record.msg)
            if record.exc_info and record.exc_info[1] and "Could not process" in message:
                message = f"{message}: {record.exc_info[1]}"  # which file, and why
            self.found.add(message)


def run_pelican(settings: dict, notes: bool = False) -> Found:
    """Build with ``settings``; what it logged, and the error if it stopped. With ``notes``,
    INFO records (notes and reports) are kept too, while the terminal shows warnings and
    errors only, as it would without."""
    from pelican import Pelican
    from pelican.log import LimitFilter

    LimitFilter._raised_messages = set()  # each build reports its problems afresh
    LimitFilter._group_count = defaultdict(int)
    found = Found()
    root = logging.getLogger()
    capture = _Capture(found, logging.INFO if notes else logging.WARNING)
    levels = {handler: handler.level for handler in root.handlers}
    level = root.level
    if notes:
        for handler in root.handlers:
            handler.setLevel(max(handler.level, logging.WARNING))
        root.setLevel(min(level, logging.INFO))
    root.addHandler(capture)
    try:
        Pelican(settings).run()
    except Exception as error:
        found.stopped = error
    finally:
        root.removeHandler(capture)
        root.setLevel(level)
        for handler, old in levels.items():
            handler.setLevel(old)
    return found
