"""Citations from BibTeX files in posts, formatted by pandoc's citeproc in a CSL style.

Posts cite with pandoc's syntax (``@reason2000``, ``[see @reason2000, p. 768]``);
pandoc reads the .bib files and formats each post's citations and reference list,
and this plugin does what is ours: each citation links to its entry in a
References section at the foot of the post, with the full reference shown on
hover or focus; a site-wide References page lists every cited work with the posts
that cite it; feeds carry both; results are cached; and what the author can get
wrong is logged in one format (``path:line: what — what to do``), so the preview
goes on and the strict build fails.

Settings: ``build.SETTINGS`` (each with its default and meaning). Metadata:
``CSL`` (or ``Citation-Style``) and ``Nocite`` (keys, or ``@*`` for all). Adds to
the template context ``citations_page`` (its URL and title) and, on that page,
``references`` (entries with the posts citing them).
"""

from __future__ import annotations

import logging

from pelican import signals

from blogsupport.problems import reported

from .build import CitationsBuild

logger = logging.getLogger(__name__)


class CitationsPlugin:
    """The plugin's handlers, bound to one object that holds the build in progress."""

    def __init__(self) -> None:
        self.build: CitationsBuild | None = None

    def initialised(self, pelican) -> None:
        if self.build is not None:
            self.build.close()
        self.build = CitationsBuild(pelican.settings, logger)

    def content_read(self, content) -> None:
        if self.build is not None:
            with reported(logger, str(content.source_path), "citations: reading the post"):
                self.build.read(content)

    def articles_read(self, generator) -> None:
        if self.build is None:
            return
        self.build.fill(
            generator.articles
            + generator.translations
            + generator.drafts
            + generator.drafts_translations
            + generator.hidden_articles
            + generator.hidden_translations
        )
        if self.build.page_save_as:
            generator.context["citations_page"] = {
                "url": self.build.page_url,
                "title": self.build.option("CITATIONS_PAGE_TITLE"),
            }

    def pages_read(self, generator) -> None:
        if self.build is not None:
            self.build.fill(
                generator.pages
                + generator.translations
                + generator.hidden_pages
                + generator.hidden_translations
                + generator.draft_pages
                + generator.draft_translations
            )

    def generators(self, pelican):
        from .page import ReferencesPageGenerator

        return ReferencesPageGenerator if self.build and self.build.page_save_as else None

    def feed_generated(self, context, feed) -> None:
        if self.build is not None:
            self.build.clean_feed(feed)

    def finalised(self, pelican) -> None:
        if self.build is not None:
            self.build.finish()

    def connect(self) -> None:
        signals.initialized.connect(self.initialised)
        signals.content_object_init.connect(self.content_read)
        signals.article_generator_finalized.connect(self.articles_read)
        signals.page_generator_finalized.connect(self.pages_read)
        signals.get_generators.connect(self.generators)
        signals.feed_generated.connect(self.feed_generated)
        signals.finalized.connect(self.finalised)


_plugin = CitationsPlugin()


def register() -> None:
    """Pelican's entry point: the plugin's handlers connected to its signals."""
    _plugin.connect()
