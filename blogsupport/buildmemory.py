"""What a plugin keeps from one build to the next, where one process builds again and
again (the live preview, between saves).

Such a process puts one ``BuildMemory`` in the settings of each build it runs; a plain
build has none, and works everything out afresh. A plugin keeps there, under its own
key, what it derived and what from, and derives it again when that changed. The live
preview's builder empties it before a build asked to write every page (a template, a
.bib file, the settings changed), and counts two changes that a plugin's keys may
include: ``structure``, a build whose posts' titles, dates, tags or addresses
changed, or that added or removed one; ``files``, a save that added or removed a
file under content/. Pelican's cache pickles each post with its settings, so the
memory pickles as an empty one.
"""

from __future__ import annotations

import weakref

KEY = "BUILD_MEMORY"


class BuildMemory(dict):
    """A dict that outlives one build, and pickles as empty."""

    structure = 0  # builds that changed the site's structure, so far
    files = 0  # saves that added or removed files, so far

    def __reduce__(self):
        return (BuildMemory, ())


def of(settings) -> dict | None:
    """The memory a long-lived process gave this build (its settings or context); None in
    a plain build."""
    found = settings.get(KEY) if isinstance(settings, dict) else None
    return found if isinstance(found, BuildMemory) else None


def per_content(settings, key: str) -> weakref.WeakKeyDictionary | None:
    """The memory's table under ``key`` of what a plugin derived from each post it was
    given (held weakly: forgotten with the post); None in a plain build."""
    memory = of(settings)
    if memory is None:
        return None
    table = memory.get(key)
    if not isinstance(table, weakref.WeakKeyDictionary):
        table = memory[key] = weakref.WeakKeyDictionary()
    return table
