"""Everything a Pelican generator read, in one list.

Pelican files what a generator read under several names (published, translations,
drafts, hidden, each for articles and for pages); a plugin that fills in every post
must see them all, and a list written out by hand in each place soon differs.
"""

from __future__ import annotations

CONTENT_LISTS = (
    "articles", "translations", "drafts", "drafts_translations", "hidden_articles",
    "hidden_translations", "pages", "hidden_pages", "draft_pages", "draft_translations",
)  # fmt: skip


def contents(generator) -> list:
    """Every post or page ``generator`` holds, whatever its status, each once."""
    seen: dict[int, object] = {}
    for name in CONTENT_LISTS:
        for content in getattr(generator, name, None) or ():
            seen.setdefault(id(content), content)
    return list(seen.values())
