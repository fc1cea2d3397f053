"""Pelican's ``{static}`` and ``{filename}`` links resolved in ``srcset`` too.

Pelican rewrites an intrasite link in ``href``, ``src`` and a few other attributes,
not in ``srcset`` (its pull request 2025 was closed unmerged), so a ``<picture>``
whose ``<source>`` names a file of the site would point at ``{static}/…`` in the
page. A ``srcset`` of one address (no width or density list) is resolved here the
way Pelican resolves ``src``: by its own replacer, for the page being written
(relative in the preview, absolute when published). One Pelican internal is wrapped
for it (``Content._update_content``; ``tests/test_srcset.py`` fails if it changes).
"""

from __future__ import annotations

import re
from functools import cache, wraps

from pelican.contents import Content


@cache
def _pattern(intrasite: str) -> re.Pattern:
    """A ``srcset`` holding one intrasite address, with the groups Pelican's replacer reads."""
    return re.compile(
        rf"""(?P<markup><[^>]*\ssrcset\s*=\s*)(?P<quote>["'])"""
        rf"""(?P<path>{intrasite}(?P<value>[^\s,"']*))(?P=quote)"""
    )


def resolve_srcset() -> None:
    """Wrap Pelican's link rewriting, once a process, to cover ``srcset``."""
    original = Content._update_content
    if getattr(original, "resolves_srcset", False):
        return

    @wraps(original)
    def _update_content(self, content: str, siteurl: str) -> str:
        content = original(self, content, siteurl)
        if not content or "srcset" not in content:
            return content
        pattern = _pattern(self.settings["INTRASITE_LINK_REGEX"])
        return pattern.sub(lambda m: self._link_replacer(siteurl, m), content)

    _update_content.resolves_srcset = True
    Content._update_content = _update_content
