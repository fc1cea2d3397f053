"""One format for every problem our plugins and tasks report.

``path:line: what is wrong — what to do``, the shape editors and terminals
already link to a file and line. Plugins log problems as Pelican warnings, so
that the preview goes on and the strict build (``--fatal warnings``) stops.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """Something wrong in the author's input, and how to put it right."""

    path: str
    line: int | None
    message: str
    fix: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {_one_line(self.message)}"
        return f"{text} — {_one_line(self.fix)}" if self.fix else text

    def log(self, logger: logging.Logger) -> None:
        """Report through Pelican's logging: a warning in the preview, an error (which stops
        the build) in the strict build. The record carries the problem itself
        (``record.problem``), so that what collects the records never reads text back."""
        level = logging.ERROR if strict_build() else logging.WARNING
        logger.log(level, "%s", self, extra={"problem": self})

    def note(self, logger: logging.Logger) -> None:
        """Report something worth knowing that does not fail any build: ``invoke check``
        lists these (``record.note`` is True)."""
        logger.info("note: %s", self, extra={"problem": self, "note": True})


def display(path: str | os.PathLike) -> str:
    """How a message names a file: relative to the working folder when inside it (the
    project's root, where the author runs the commands), else absolute."""
    absolute = Path(os.path.abspath(path))  # as written: a symlink is named, not followed
    here = Path.cwd()
    return str(absolute.relative_to(here)) if absolute.is_relative_to(here) else str(absolute)


def line_of(path: str | os.PathLike, needle: str) -> int | None:
    """The first line of a text file holding ``needle``, counted from 1."""
    try:
        with open(path, encoding="utf-8", errors="replace") as lines:
            for number, line in enumerate(lines, 1):
                if needle in line:
                    return number
    except (OSError, TypeError):
        return None
    return None


def strict_build() -> bool:
    """Whether Pelican runs with --fatal warnings (or errors): the strict build."""
    try:
        from pelican.log import FatalLogger
    except ImportError:
        return False
    return FatalLogger.fatal_lvl <= logging.ERROR


def _one_line(text: str) -> str:
    """A value quoted from a file may hold line breaks; a message is one line."""
    return " ".join(str(text).split())


@contextmanager
def reported(logger: logging.Logger, where: str, what: str) -> Iterator[None]:
    """Turn a failure of ours into one error line naming the file, not a lost post.

    Pelican reports an exception in a plugin's signal handler as "Could not
    process <file>" and drops the file. The strict build's own stop (a
    RuntimeError raised by a logged warning) passes through.
    """
    try:
        yield
    except RuntimeError as error:
        if str(error) == "Warning or error encountered":
            raise
        _log_failure(logger, where, what, error)
    except Exception as error:
        _log_failure(logger, where, what, error)


def _log_failure(logger: logging.Logger, where: str, what: str, error: Exception) -> None:
    logger.error(
        "%s: %s failed (%s: %s) — this is a bug in the plugin, not in your text: please "
        "report it; the rest of the site is built",
        where,
        what,
        type(error).__name__,
        error,
        exc_info=logger.isEnabledFor(logging.DEBUG),
    )
