"""Full-text search: a Pagefind index of the built site, made at the end of every build.

Pagefind indexes only what the theme marks ``data-pagefind-body`` (the post bodies),
so listings, tag pages and the like stay out of the results. The index and the
search interface go in ``output/pagefind/`` and are loaded by the search page only.
A failure to index is a warning: the preview goes on, the strict build stops.

Settings: ``SEARCH_INDEX`` (True), ``SEARCH_OUTPUT_SUBDIR`` ("pagefind").
Adds ``SEARCH_ENABLED`` to the settings, for the theme.
"""

from __future__ import annotations

import logging

from pelican import signals

from .index import index_site

logger = logging.getLogger(__name__)


def _initialised(pelican) -> None:
    pelican.settings["SEARCH_ENABLED"] = bool(pelican.settings.get("SEARCH_INDEX", True))


def _finalised(pelican) -> None:
    settings = pelican.settings
    if not settings.get("SEARCH_INDEX", True):
        return
    problem = index_site(settings["OUTPUT_PATH"], settings.get("SEARCH_OUTPUT_SUBDIR", "pagefind"))
    if problem:
        problem.log(logger)


def register() -> None:
    signals.initialized.connect(_initialised)
    signals.finalized.connect(_finalised)
