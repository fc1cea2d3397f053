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

Settings: ``SEARCH_INDEX`` (True), ``SEARCH_OUTPUT_SUBDIR`` ("pagefind").
Adds ``SEARCH_ENABLED`` to the settings, for the theme.
"""

from __future__ import annotations

import logging
from pathlib import Path

from pelican import signals

from .index import SearchIndex

logger = logging.getLogger(__name__)
_index: SearchIndex | None = None


def _initialised(pelican) -> None:
    global _index
    if _index is not None:
        _index.abandon()
    settings = pelican.settings
    settings["SEARCH_ENABLED"] = bool(settings.get("SEARCH_INDEX", True))
    cache = Path(settings.get("PLUGIN_CACHE_PATH") or settings.get("CACHE_PATH", "cache"))
    _index = SearchIndex(
        settings["OUTPUT_PATH"],
        settings.get("SEARCH_OUTPUT_SUBDIR", "pagefind"),
        cache / "pagefind",
        settings.get("THEME", ""),
        repr(sorted((k, str(v)) for k, v in settings.items() if k.endswith(("_URL", "_SAVE_AS")))),
    )
    if settings["SEARCH_ENABLED"]:
        # Pelican's clean-up of the output leaves the index alone: when the posts have
        # not changed, the index there is already the kept one, and stays.
        pelican.output_retention = [*pelican.output_retention, _index.subdir]


def _all_read(generators) -> None:
    """Noted once every generator has read its files: a post's HTML asked for sooner
    would keep its {static} and {filename} links unresolved (Pelican resolves them on
    the first asking, against the files listed so far)."""
    from pelican.generators import ArticlesGenerator

    articles = next((g for g in generators if isinstance(g, ArticlesGenerator)), None)
    if _index is not None and articles and articles.settings.get("SEARCH_INDEX", True):
        _index.note(articles.articles + articles.translations)


def _written(path, context=None) -> None:
    if _index is not None:
        _index.written(path)


def _finalised(pelican) -> None:
    if _index is None or not pelican.settings.get("SEARCH_INDEX", True):
        return
    problem = _index.finish()
    if problem:
        problem.log(logger)


def register() -> None:
    """Pelican's entry point: posts noted as written, indexed beside the build."""
    signals.initialized.connect(_initialised)
    signals.all_generators_finalized.connect(_all_read)
    signals.content_written.connect(_written)
    signals.finalized.connect(_finalised)
