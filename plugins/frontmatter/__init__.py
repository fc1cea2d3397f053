"""Front matter checked before Pelican reads a post: every problem named with its line.

Replaces the Markdown reader with one that checks the metadata block first
(check.py): an unknown key, a date that is not one, an unknown status. Each is
a warning in the usual format; a bad line is left out so the preview still
shows the post, and the strict build fails.
"""

from __future__ import annotations

import logging
import os

from pelican import signals
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open

from .check import check

logger = logging.getLogger(__name__)


class CheckedMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader, reading the checked text."""

    def read(self, source_path):
        from markdown import Markdown

        self._source_path = source_path
        with pelican_open(source_path) as text:
            checked = check(str(text), _display(source_path), os.path.basename(source_path))
        for problem in checked.problems:
            problem.log(logger)
        self._md = Markdown(**self.settings["MARKDOWN"])
        content = self._md.convert(checked.text)
        metadata = self._parse_metadata(self._md.Meta) if hasattr(self._md, "Meta") else {}
        return content, metadata


def _display(path: str) -> str:
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def _readers_init(readers) -> None:
    # Sent before the readers are made from reader_classes: replace the class.
    for extension in MarkdownReader.file_extensions:
        if extension in readers.reader_classes:
            readers.reader_classes[extension] = CheckedMarkdownReader


def register() -> None:
    signals.readers_init.connect(_readers_init)
