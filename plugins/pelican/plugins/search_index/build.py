"""Full-text search: a Pagefind index of the published posts, made as the site is built.

Pagefind indexes only what the theme marks ``data-pagefind-body`` (the post body)
of the published posts' pages: listings, tag pages, drafts and hidden posts stay
out of the results. It starts as soon as the last post is written, so that it
indexes while Pelican writes the rest of the site. The index and the search
interface go in ``output/pagefind/`` and are loaded by the search page only.
An index is kept, keyed by everything that shapes it (the posts' addresses,
titles, dates and content, and the templates); a build whose posts have not
changed links the kept index into the output instead of indexing again (or,
when the output already holds it, leaves it there untouched). A
failure to index is a warning: the preview goes on, the strict build stops.

Settings: ``SCHEMA`` (each with its default and meaning).
Adds ``SEARCH_ENABLED`` to the settings, for the theme.
"""

from __future__ import annotations

import logging

from pelican import signals

from blogsupport.perbuild import PerBuild
from blogsupport.plugin_settings import Schema, cache_folder

from .index import SearchIndex

ADDRESSES = ("_URL", "_SAVE_AS")

logger = logging.getLogger(__name__)
SCHEMA = Schema(
    "SEARCH_",
    {
        "SEARCH_INDEX": (True, "make the search index (and show the search page)"),
        "SEARCH_OUTPUT_SUBDIR": ("pagefind", "the index's folder in the site"),
    },
    # SEARCH_ENABLED: set here, for the theme; SEARCH_URL, SEARCH_SAVE_AS: Pelican's, for
    # the search page (a direct template).
    others=("SEARCH_ENABLED", "SEARCH_URL", "SEARCH_SAVE_AS"),
)


class SearchBuild(PerBuild, key="search_index.build", schema=SCHEMA):
    """This build's index, in the build's settings."""

    def __init__(self, settings: dict) -> None:
        super().__init__(settings)
        self.enabled = settings["SEARCH_ENABLED"] = bool(settings["SEARCH_INDEX"])
        self.index = SearchIndex(
            settings["OUTPUT_PATH"],
            settings["SEARCH_OUTPUT_SUBDIR"],
            cache_folder(settings) / "pagefind",
            settings.get("THEME", ""),
            repr(sorted((k, str(v)) for k, v in settings.items() if k.endswith(ADDRESSES))),
        )

    def close(self) -> None:
        self.index.abandon()


def _initialised(pelican) -> None:
    build = SearchBuild.start(pelican.settings)
    if build.enabled:
        # Pelican's clean-up of the output leaves the index alone: when the posts have
        # not changed, the index there is already the kept one, and stays.
        pelican.output_retention = [*pelican.output_retention, build.index.subdir]


def _all_read(generators) -> None:
    """Noted once every generator has read its files: a post's HTML asked for sooner
    would keep its {static} and {filename} links unresolved (Pelican resolves them on
    the first asking, against the files listed so far)."""
    from pelican.generators import ArticlesGenerator

    articles = next((g for g in generators if isinstance(g, ArticlesGenerator)), None)
    build = SearchBuild.of(articles)
    if build is not None and build.enabled:
        build.index.note(articles.articles + articles.translations)


def _written(path, context=None) -> None:
    build = SearchBuild.of(context)
    if build is not None:
        build.index.written(path)


def _finalised(pelican) -> None:
    build = SearchBuild.of(pelican)
    if build is None or not build.enabled:
        return
    problem = build.index.finish()
    if problem:
        problem.log(logger)


def register() -> None:
    """Pelican's entry point: posts noted as written, indexed beside the build."""
    signals.initialized.connect(_initialised)
    signals.all_generators_finalized.connect(_all_read)
    signals.content_written.connect(_written)
    signals.finalized.connect(_finalised)
