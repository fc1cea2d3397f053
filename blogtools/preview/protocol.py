"""The messages between the preview's server and its builder, one JSON object a line.

The server writes commands on the builder's stdin and reads one result a command on its
stdout. Both sides build and read them here, so a field is named once; the wire format
is plain JSON, so a test (or a person) can drive the builder by hand:
``{"cmd": "build", "changed": ["2017-06-22-post.md"], "full": false}``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import TypedDict


class Shown(TypedDict):
    """A problem as the preview shows it: its one line, and its place when known."""

    text: str
    path: str | None
    line: int | None


@dataclass(frozen=True)
class Build:
    """Build again: the content files saved (relative to content/), or everything."""

    changed: tuple[str, ...] = ()
    full: bool = False
    forget: bool = False  # a .bib or data file changed: every post read again

    def line(self) -> str:
        """The command as the builder reads it."""
        return json.dumps({"cmd": "build", **asdict(self), "changed": sorted(self.changed)})


def read_command(line: str) -> Build | str | None:
    """A command from its line: a ``Build``, ``"quit"``, or None for what is not one."""
    try:
        message = json.loads(line)
    except json.JSONDecodeError:
        return None
    if not isinstance(message, dict):
        return None
    if message.get("cmd") == "quit":
        return "quit"
    if message.get("cmd") != "build":
        return None
    return Build(
        tuple(message.get("changed", ())),
        bool(message.get("full", False)),
        bool(message.get("forget", False)),
    )


@dataclass(frozen=True)
class Built:
    """What a build did: how long it took, how many pages it wrote (-1: every page)."""

    seconds: float
    pages: int
    full: bool
    problems: list[Shown] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the build found nothing wrong."""
        return not self.problems

    def line(self) -> str:
        """The result as the server reads it."""
        return json.dumps({"event": "built", "ok": self.ok, **asdict(self)})

    @classmethod
    def from_line(cls, line: str) -> Built:
        """A result from its line."""
        message = json.loads(line)
        return cls(message["seconds"], message["pages"], message["full"], message["problems"])

    @classmethod
    def failed(cls, text: str) -> Built:
        """A build that could not run: one problem, with no place."""
        return cls(0, -1, True, [Shown(text=text, path=None, line=None)])
