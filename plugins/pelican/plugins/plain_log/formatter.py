"""Build messages one to a line, whole, as editors and terminals can follow them.

Pelican logs through rich, which wraps a message into a column beside a
timestamp and the logging module's own file name: ``content/post.md:12: ...``
then no longer reads as a place to click, and tests cannot find it. When Pelican
loads the plugin (before the build begins), rich's handler on the root logger is
swapped for one that prints each record as ``LEVEL: message``.
When the strict build stops at its first warning, Pelican logs a traceback of
its own "Warning or error encountered"; that says nothing the warning above it
did not, so it is replaced by one line.

No settings. List it first in PLUGINS: a plugin's messages as the build starts
are then plain too.
"""

from __future__ import annotations

import logging
import sys

from rich.logging import RichHandler

FATAL_MESSAGE = "Warning or error encountered"


class PlainFormatter(logging.Formatter):
    """One line a problem, as the author reads it, not Pelican's rich table."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.exc_info and _is_strict_stop(record.exc_info[1]):
            return "ERROR: the strict build stops at the first problem above — fix it and rebuild"
        text = f"{record.levelname}: {message}"
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        return text


def _is_strict_stop(error: BaseException | None) -> bool:
    return isinstance(error, RuntimeError) and str(error) == FATAL_MESSAGE


def use_plain_log(stream=None) -> None:
    """Swap rich's handler on the root logger for a plain one (idempotent)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, PlainHandler):
            return
        if isinstance(handler, RichHandler):
            plain = PlainHandler(stream or sys.stderr)
            plain.setLevel(handler.level)
            for log_filter in handler.filters:
                plain.addFilter(log_filter)
            root.removeHandler(handler)
            root.addHandler(plain)


class PlainHandler(logging.StreamHandler):
    """The build's log on the terminal, in the plain one-line format."""

    def __init__(self, stream=None) -> None:
        super().__init__(stream)
        self.setFormatter(PlainFormatter())


def register() -> None:
    """Pelican's entry point: the log made plain as the plugins load."""
    use_plain_log()
