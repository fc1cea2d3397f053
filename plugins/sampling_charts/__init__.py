"""Sampling charts: statistics computed and drawn when the site builds.

A fenced block with the language ``chart`` holds a chart's parameters in TOML
(``kind = "sampling"``, ``sample = 25``, ...); the plugin computes the numbers,
draws an SVG with matplotlib and puts a figure in its place: the image with
alt text, the caption, and a table of the numbers plotted. Mistakes are logged
as ``path:line: what — what to do`` warnings: the preview shows an error box
where the chart would be, the strict build fails.

Settings: ``CHARTS_DATA_DIR`` (CSV files, in the content folder; ``data``),
``CHARTS_OUTPUT_DIR`` (where the SVGs go in the site; ``charts``).
"""

from __future__ import annotations

import logging

from pelican import signals

from blogsupport import readercache
from blogsupport.problems import reported

from .glue import Charts
from .html import for_feeds

logger = logging.getLogger(__name__)

_build: Charts | None = None


def _initialised(pelican) -> None:
    global _build
    if _build is not None:
        _build.close()
    _build = Charts(pelican.settings, logger)


def _content_init(content) -> None:
    if _build is not None:
        with reported(logger, str(content.source_path), "charts: reading the post"):
            _build.prepare(content)


def _articles_done(generator) -> None:
    readercache.release(generator)
    if _build is not None:
        _build.apply(
            generator.articles
            + generator.translations
            + generator.drafts
            + generator.drafts_translations
            + generator.hidden_articles
            + generator.hidden_translations,
            generator.context,
        )


def _pages_done(generator) -> None:
    readercache.release(generator)
    if _build is not None:
        _build.apply(
            generator.pages
            + generator.translations
            + generator.hidden_pages
            + generator.hidden_translations
            + generator.draft_pages
            + generator.draft_translations,
            generator.context,
        )


class ChartFilesGenerator:
    """Copies the SVG of every chart in the site into the output."""

    def __init__(self, context, settings, path, theme, output_path, *args, **kwargs):
        self.output_path = output_path

    def generate_context(self) -> None:
        pass

    def generate_output(self, writer) -> None:
        if _build is not None:
            _build.write_files(self.output_path)


def _generators(pelican):
    return ChartFilesGenerator


def _feed_generated(context, feed) -> None:
    for item in feed.items:
        for name in ("description", "content"):
            if item.get(name):
                item[name] = for_feeds(item[name])


def _finalised(pelican) -> None:
    if _build is not None:
        _build.finish()


def register() -> None:
    """Pelican's entry point: the plugin's handlers connected to its signals."""
    signals.initialized.connect(_initialised)
    signals.content_object_init.connect(_content_init)
    signals.article_generator_finalized.connect(_articles_done)
    signals.page_generator_finalized.connect(_pages_done)
    signals.get_generators.connect(_generators)
    signals.feed_generated.connect(_feed_generated)
    signals.finalized.connect(_finalised)


def current() -> Charts | None:
    """This build's charts (for `invoke check`'s report)."""
    return _build
