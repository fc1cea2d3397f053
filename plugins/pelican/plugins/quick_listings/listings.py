"""Pelican's listings asked "is this post on it?" in constant time, not by a scan.

Before writing a tag's, a category's or an author's pages, Pelican picks the posts
of that listing out of every post by date (``article in articles``, a scan of the
listing for each post): for 5,000 posts in 40 tags, 75 million comparisons, a
second or more of every build, the live preview's included, and growing with the
square of the posts. Here the listings, as Pelican fills them, are lists that also
know their members, so the question costs one look-up. A post is on a listing when
it is that very object (Pelican's posts compare by identity), as before.

The year, month and day archives had the same scan (every post, for each period:
50 million comparisons at 5,000 posts over 27 years): Pelican makes them here
with no posts to scan, and each period's posts are then filed in one pass. And
Pelican's search for translations ends by looking for every post among those it
keeps (25 million comparisons at 5,000 posts): here only the posts that share a
translation key with another go through it; a post alone is kept, as Pelican
keeps it.

No settings; the output is the same with or without it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from operator import attrgetter

from pelican import signals


class Members(list):
    """A list that answers ``in`` by identity, from a set made when first asked and
    forgotten at any change."""

    _ids: set[int] | None = None

    def __contains__(self, item) -> bool:
        if self._ids is None:
            self._ids = {id(member) for member in self}
        return id(item) in self._ids

    def append(self, item) -> None:
        self._ids = None
        super().append(item)

    def extend(self, items) -> None:
        self._ids = None
        super().extend(items)

    def insert(self, index, item) -> None:
        self._ids = None
        super().insert(index, item)

    def remove(self, item) -> None:
        self._ids = None
        super().remove(item)

    def pop(self, index=-1):
        self._ids = None
        return super().pop(index)

    def clear(self) -> None:
        self._ids = None
        super().clear()

    def __setitem__(self, index, value) -> None:
        self._ids = None
        super().__setitem__(index, value)

    def __delitem__(self, index) -> None:
        self._ids = None
        super().__delitem__(index)

    def __iadd__(self, items):
        self._ids = None
        return super().__iadd__(items)

    def __reduce__(self):
        return (Members, (list(self),))  # the set names objects of this process only


def _listings_that_know_their_members(generator) -> None:
    """Before Pelican files the posts into categories, tags and authors."""
    for name in ("categories", "tags", "authors"):
        current = getattr(generator, name, None)
        if isinstance(current, dict) and not current:
            setattr(generator, name, defaultdict(Members))
    pelicans = getattr(generator, "_build_period_archives", None)
    if pelicans is not None and not hasattr(pelicans, "files_in_one_pass"):
        generator._build_period_archives = period_archives(pelicans)


def period_archives(pelicans):
    """Pelican's ``_build_period_archives``, each period's posts filed in one pass: each
    archive lists, in the order of ``articles``, the posts among its ``dates``."""

    def build(sorted_articles, articles, settings):
        archives = pelicans(sorted_articles, [], settings)  # the periods, no posts scanned
        for listing in archives.values():
            owner = {id(post): archive for archive in listing for post in archive["dates"]}
            for archive in listing:
                archive["articles"] = []
            for post in articles:
                archive = owner.get(id(post))
                if archive is not None:
                    archive["articles"].append(post)
        return archives

    build.files_in_one_pass = True
    return build


def translations_in_one_pass(pelicans):
    """Pelican's ``process_translations``, given only the posts that share their
    translation key with another; each post alone is an original with no
    translations, as Pelican would find it. The same lists, in the same order."""

    def process(content_list, translation_id=None):
        if not translation_id:
            return pelicans(content_list, translation_id)
        names = [translation_id] if isinstance(translation_id, str) else list(translation_id)
        try:
            key = attrgetter(*names)
            keys = [key(content) for content in content_list]
            counts = Counter(keys)
        except (TypeError, AttributeError):  # Pelican's own message says what is wrong
            return pelicans(content_list, translation_id)
        shared = [c for c, k in zip(content_list, keys, strict=True) if counts[k] > 1]
        alone = [c for c, k in zip(content_list, keys, strict=True) if counts[k] == 1]
        index, translations = pelicans(shared, translation_id) if shared else ([], [])
        for content in alone:
            content.translations = []
        content_list.sort(key=key)  # as Pelican leaves it
        return sorted([*alone, *index], key=key), translations

    process.files_in_one_pass = True
    return process


def register() -> None:
    """Pelican's entry point: the listings made before the posts are filed."""
    import pelican.generators

    signals.article_generator_pretaxonomy.connect(_listings_that_know_their_members)
    pelicans = pelican.generators.process_translations
    if not hasattr(pelicans, "files_in_one_pass"):
        pelican.generators.process_translations = translations_in_one_pass(pelicans)
