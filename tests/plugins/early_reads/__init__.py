"""A test plugin: any read of a content's final HTML before every generator has read its
files is an error.

Pelican resolves ``{static}`` and ``{filename}`` links when ``content`` or ``summary``
is first asked for, and keeps the answer; asked before the static generator has
listed the site's files, it keeps "Unable to find" and the unresolved link. The
tests add this plugin to a build (after ours) so that a plugin of ours that asks
too early fails the strict build, naming the plugin's code that asked.
"""

from __future__ import annotations

import functools
import logging
import traceback

from pelican import signals
from pelican.contents import Content

logger = logging.getLogger(__name__)
_state = {"read": False}


def _guarded(original):
    """``original`` (where Pelican resolves the links, once per answer; other plugins may
    have wrapped it: it is taken as found when the build starts) behind the guard."""

    @functools.wraps(original)  # what it is marked with (blogsupport.srcset's mark) stays
    def guarded(self, content, siteurl):
        if not _state["read"]:
            caller = next(
                (
                    f
                    for f in reversed(traceback.extract_stack()[:-1])
                    if "/pelican/" not in f.filename
                ),
                None,
            )
            where = f"{caller.filename}:{caller.lineno}" if caller else "?"
            logger.error(
                "%s: the HTML of %s was asked for before every generator had read its files",
                where,
                self.source_path,
            )
        return original(self, content, siteurl)

    guarded.guards = original
    return guarded


def _initialised(pelican) -> None:
    _state["read"] = False
    found = Content._update_content
    Content._update_content = _guarded(getattr(found, "guards", found))


def _all_read(generator) -> None:
    _state["read"] = True  # the static generator is always the last to read


def register() -> None:
    signals.initialized.connect(_initialised)
    signals.static_generator_finalized.connect(_all_read)
