"""Corrections and updates, dated, shown where readers and feed readers see them.

A post may carry ``Correction: 2017-07-03 The turnover was 28%, not 38%.`` and
``Update: 2017-08-01 Ofsted has since replied.`` lines, each repeatable. Each becomes a
dated notice at the top of the post; the latest date becomes the post's ``modified``
(so its page says "Updated 3 July 2017" and its feed entry's ``updated`` moves); and
every notice of the site is listed, newest first, on a Corrections page with a feed
of its own. A line without a date is a problem, named with its line.

Settings: ``SCHEMA`` (each with its default and meaning).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pelican import signals
from pelican.generators import Generator, PelicanTemplateNotFound
from pelican.utils import get_date, set_date_tzinfo

from blogsupport.plugin_settings import Schema
from blogsupport.problems import Problem, display, line_of

logger = logging.getLogger(__name__)
SCHEMA = Schema("CORRECTIONS_", {
    "CORRECTIONS_URL": ("corrections/", "the address of the page listing every notice"),
    "CORRECTIONS_SAVE_AS": ("corrections/index.html", "its file ('' for no page)"),
    "CORRECTIONS_TITLE": ("Corrections and updates", "its title"),
    "CORRECTIONS_FEED_ATOM": ("feeds/corrections.atom.xml", "its Atom feed ('' for none)"),
}, misspelt=("CORRECTION_",))  # fmt: skip
KINDS = {"correction": "Correction", "update": "Update"}
_LINE = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})(?:[ T]\d{2}:\d{2})?\s*[:—–-]?\s*(?P<text>.+)$")


@dataclass(frozen=True)
class Notice:
    """One dated correction or update of a post."""

    kind: str  # "Correction", "Update"
    date: datetime
    text: str


def notices_of(metadata: dict, timezone: str) -> tuple[list[Notice], list[tuple[str, str]]]:
    """A post's notices, oldest first, and each line that could not be read (key, value)."""
    found, bad = [], []
    for key, kind in KINDS.items():
        values = metadata.get(key) or []
        for value in [values] if isinstance(values, str) else values:
            match = _LINE.match(str(value).strip())
            try:
                when = set_date_tzinfo(get_date(match.group("date")), timezone) if match else None
            except ValueError:
                when = None
            if when is None:
                bad.append((key, str(value)))
                continue
            found.append(Notice(kind, when, " ".join(match.group("text").split())))
    return sorted(found, key=lambda n: n.date), bad


def _read(content) -> None:
    settings = content.settings
    notices, bad = notices_of(content.metadata, settings.get("TIMEZONE") or "UTC")
    for key, value in bad:
        Problem(display(content.source_path), line_of(content.source_path, f"{value}"),
                f"'{KINDS[key]}: {value}' has no date", f"write {KINDS[key]}: YYYY-MM-DD "
                "what was corrected or added").log(logger)  # fmt: skip
    content.notices = notices
    if notices:
        latest = notices[-1].date
        modified = getattr(content, "modified", None)
        if modified is None or latest > modified:
            content.modified = latest


class CorrectionsGenerator(Generator):
    """The page of every notice on the site, newest first, and its Atom feed."""

    def generate_context(self) -> None:
        SCHEMA.apply(self.settings, logger)

    def generate_output(self, writer) -> None:
        listed = sorted(
            ((notice, article) for article in self.context.get("articles", [])
             for notice in getattr(article, "notices", ())),
            key=lambda pair: pair[0].date, reverse=True,
        )  # fmt: skip
        save_as = self.settings["CORRECTIONS_SAVE_AS"]
        try:
            template = self.get_template("corrections") if save_as else None
        except PelicanTemplateNotFound:
            template = None  # a theme without the page: the feed alone
        if template is not None:
            writer.write_file(
                save_as, template, self.context, relative_urls=self.settings["RELATIVE_URLS"],
                notices=listed, url=self.settings["CORRECTIONS_URL"],
                page_name=save_as.removesuffix("index.html").rstrip("/"),
                template_name="corrections",
            )  # fmt: skip
        if self.settings["CORRECTIONS_FEED_ATOM"] and listed:  # a feed of nothing is no feed
            self._feed(listed)

    def _feed(self, listed: list) -> None:
        from feedgenerator import Atom1Feed

        site = (self.settings.get("FEED_DOMAIN") or self.settings.get("SITEURL") or "").rstrip("/")
        feed = Atom1Feed(
            title=f"{self.settings['CORRECTIONS_TITLE']} – {self.settings.get('SITENAME', '')}",
            link=f"{site}/{self.settings['CORRECTIONS_URL']}",
            description="", feed_url=f"{site}/{self.settings['CORRECTIONS_FEED_ATOM']}",
        )  # fmt: skip
        for notice, article in listed:
            link = f"{site}/{article.url}"
            feed.add_item(
                title=f"{notice.kind} to “{article.title}”", link=link, description=notice.text,
                pubdate=notice.date, updateddate=notice.date,
                unique_id=f"{link}#{notice.kind.lower()}-{notice.date:%Y-%m-%d}",
            )  # fmt: skip
        path = Path(self.output_path) / self.settings["CORRECTIONS_FEED_ATOM"]
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8") as out:
            feed.write(out, "utf-8")


def _generators(pelican):
    return CorrectionsGenerator


def register() -> None:
    """Pelican's entry point: notices read with each post, the page and feed written."""
    signals.content_object_init.connect(_read)
    signals.get_generators.connect(_generators)
