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

from blogsupport.problems import Problem, display
from blogsupport.textfiles import decode, without_controls

from .check import check

logger = logging.getLogger(__name__)


class CheckedMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader, reading the checked text."""

    def read(self, source_path):
        from markdown import Markdown

        self._source_path = source_path
        shown = display(source_path)
        if not _inside(source_path, self.settings["PATH"]):
            Problem(
                shown,
                None,
                f"leads outside the content folder, to {os.path.realpath(source_path)}: "
                "it is not published",
                "keep the posts inside content/ (move the file in, do not link to it)",
            ).log(logger)
            return "", {"status": "skip"}
        with open(source_path, "rb") as handle:
            text, encoding = decode(handle.read(), shown)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        text, controls = without_controls(text, shown)
        checked = check(text, shown, os.path.basename(source_path))
        for problem in [*([encoding] if encoding else []), *controls, *checked.problems]:
            problem.log(logger)
        self._md = Markdown(**self.settings["MARKDOWN"])
        content = self._md.convert(checked.text)
        metadata = self._parse_metadata(self._md.Meta) if hasattr(self._md, "Meta") else {}
        if "slug" not in metadata:
            slug = _clean_slug(source_path, self.settings)
            if slug:
                metadata["slug"] = slug
        return content, metadata


def _clean_slug(source_path: str, settings: dict) -> str | None:
    """The slug a file name gives, made an address's (``q&a-with-ofsted`` becomes
    ``qa-with-ofsted``), when it is not one already; None to leave it as it is."""
    import re

    from pelican.utils import slugify

    base = os.path.splitext(os.path.basename(source_path))[0]
    match = re.match(settings.get("FILENAME_METADATA") or "$^", base)
    written = match.groupdict().get("slug") if match else None
    if not written:
        return None
    clean = slugify(written, regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", []))
    return clean if clean and clean != written else None


def _inside(path: str, folder: str) -> bool:
    real, base = os.path.realpath(path), os.path.realpath(folder)
    return os.path.commonpath([real, base]) == base


def _readers_init(readers) -> None:
    # Sent before the readers are made from reader_classes: replace the class.
    for extension in MarkdownReader.file_extensions:
        if extension in readers.reader_classes:
            readers.reader_classes[extension] = CheckedMarkdownReader


def register() -> None:
    """Pelican's entry point: the Markdown reader checks metadata before reading."""
    signals.readers_init.connect(_readers_init)
