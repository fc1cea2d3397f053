"""The build's bibliography: its index at hand, its entries where the formatting is done.

The .bib files are parsed once for each change to them, by a worker process
while Pelican starts reading, so that bibtexparser and the memory a parse takes
never enter the build's process. Both halves go into the cache: the index
(keys, digests, sort order, lines), which every build needs, and the entries in
full, which only formatting needs. The workers that format read the entries
from the cache themselves; the build's process holds the index alone.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from blogtools import workers
from blogtools.keyed_cache import KeyedCache, digest

from .model import BibIndex, Bibliography

# Below this many bytes of BibTeX, a worker to parse them costs more than it saves.
SMALL_BIB = 50_000

# In a worker: the entries of the bibliography it last read from the cache.
_LOADED: dict[str, dict[str, dict]] = {}


def parse(sources: list[tuple[str, str]]) -> tuple[BibIndex, Bibliography]:
    """The .bib files (name as shown, text) as one bibliography, and its index."""
    from .bibtex import read_bibtex  # bibtexparser only when a file changed

    full = Bibliography()
    for display, text in sources:
        full.merge(read_bibtex(text, display))
    index = BibIndex(
        digests={key: digest(entry) for key, entry in full.entries.items()},
        sort_keys={key: _author_year_title(e) for key, e in full.entries.items()},
        locations=full.locations,
        problems=full.problems,
    )
    return index, full


def parse_into_cache(
    sources: list[tuple[str, str]], cache_path: str, version: str, key: str
) -> tuple[BibIndex, Bibliography | None]:
    """Parse in a worker and keep both halves in the cache; the entries come back only
    when the cache could not take them."""
    index, full = parse(sources)
    cache = KeyedCache(Path(cache_path), version)
    cache.put("index:" + key, index)
    cache.put("full:" + key, full)
    kept = cache.flush()
    cache.close()
    return index, None if kept else full


@dataclass(frozen=True)
class CachedEntries:
    """The entries a document cites, as a job carries them: where to find them."""

    cache_path: str
    version: str
    key: str
    keys: tuple[str, ...]

    def load(self) -> list[dict]:
        """In a worker: the entries, the whole bibliography read once per process."""
        entries = _LOADED.get(self.key)
        if entries is None:
            cache = KeyedCache(Path(self.cache_path), self.version)
            full = cache.get("full:" + self.key)
            cache.close()
            if full is None:
                raise LookupError("the bibliography is not in the cache")
            _LOADED.clear()
            entries = _LOADED[self.key] = full.entries
        return [entries[k] for k in self.keys]


class Library:
    """The bibliography of one build, from the cache or being parsed."""

    def __init__(
        self,
        cache: KeyedCache,
        version: str,
        sources: list[tuple[str, str]],
        logger: logging.Logger,
        worker_count: int | None = None,
    ) -> None:
        self.cache, self.version, self.logger = cache, version, logger
        self.sources = sources
        self.key = digest(version, "bib", sources)
        self._full: Bibliography | None = None
        self._parsing: Future | None = None
        self._stored: bool | None = None
        self._index: BibIndex | None = cache.get("index:" + self.key)
        if self._index is not None:
            self.cache.has("full:" + self.key)  # kept, with the index, for the next build
            self._log_problems()
        elif sum(len(text) for _, text in sources) < SMALL_BIB:
            self._parsed(*parse(sources))
        else:
            self._parsing = workers.submit(
                parse_into_cache,
                sources,
                str(cache.path),
                version,
                self.key,
                workers=worker_count,
            )

    def _parsed(self, index: BibIndex, full: Bibliography | None) -> None:
        self._index = index
        if full is None:  # the worker put both in the cache
            self.cache.has("index:" + self.key)
            self.cache.has("full:" + self.key)
        else:
            self._full = full
            self.cache.put("index:" + self.key, index)
            self.cache.put("full:" + self.key, full)
        self._log_problems()

    def _log_problems(self) -> None:
        for problem in self._index.problems:
            problem.log(self.logger)

    def ready(self) -> bool:
        """Whether the index is here, without waiting for it."""
        return self._index is not None or self._parsing.done()

    @property
    def index(self) -> BibIndex:
        """Keys, digests, sort order and lines: waited for if being parsed."""
        if self._index is None:
            try:
                index, full = self._parsing.result()
            except Exception:  # the worker died (killed, out of memory): parse here
                index, full = parse(self.sources)
            self._parsing = None
            self._parsed(index, full)
        return self._index

    @property
    def entries(self) -> dict[str, dict]:
        """Every entry in full, in this process: read when first needed."""
        if self._full is None:
            self._full = self.cache.get("full:" + self.key) or parse(self.sources)[1]
        return self._full.entries

    def for_job(self, keys: list[str]) -> list[dict] | CachedEntries:
        """The entries of ``keys`` as a worker's job carries them: a reference to the
        cache when they are there, else the entries themselves."""
        if self._full is None and self._in_cache_file():
            return CachedEntries(str(self.cache.path), self.version, self.key, tuple(keys))
        return [self.entries[k] for k in keys]

    def _in_cache_file(self) -> bool:
        """Whether a worker can read the entries from the cache's file (written now if
        they were waiting to be)."""
        if self._stored is None:
            self._stored = self.cache.has("full:" + self.key) and self.cache.flush()
        return self._stored

    def release(self) -> None:
        """Forget the entries in full (read again from the cache if need be)."""
        self._full = None


def _author_year_title(entry: dict) -> tuple[str, int, str]:
    names = entry.get("author") or entry.get("editor") or []
    first = names[0] if names else {}
    who = first.get("family") or first.get("literal") or entry.get("title", "")
    year = (entry.get("issued") or {}).get("date-parts", [[0]])[0][0] or 0
    return (who.casefold(), int(year), entry.get("title", "").casefold())
