"""The one format of every problem, as the tests read it back: path:line: what — what to do."""

from __future__ import annotations

import re

PROBLEM_LINE = re.compile(
    r"^(?P<path>[^\s:][^:]*?)(?::(?P<line>\d+))?: (?P<message>.+?)(?: — (?P<fix>.+))?$"
)


def well_formed(message: str) -> bool:
    """Whether a message names its place and says what to do."""
    match = PROBLEM_LINE.match(message)
    return bool(match and match.group("fix"))
