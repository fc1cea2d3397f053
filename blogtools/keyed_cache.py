"""A cache of computed results across builds, keyed by a hash of their inputs.

The plugins keep their expensive results here (formatted citations, chart
data): a key names everything the result depends on, so a hit is always right
and nothing ever has to be invalidated. Each build keeps what it used, so the
file does not grow with results nobody asks for any more.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any


def digest(*parts: Any) -> str:
    """A stable hash of JSON-able parts."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class KeyedCache:
    """``get``/``put`` by key; ``save`` writes what this build used, atomically."""

    def __init__(self, path: Path, version: str) -> None:
        self.path = path
        self.version = version
        self._old: dict[str, Any] = {}
        self._used: dict[str, Any] = {}
        self._new: set[str] = set()
        self.hits = 0
        self.misses = 0
        try:
            with path.open("rb") as handle:
                stored_version, data = pickle.load(handle)
            if stored_version == version:
                self._old = data
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError):
            pass  # no cache yet, or one from another version: start empty

    def get(self, key: str) -> Any | None:
        if key in self._used:
            self.hits += 1
            return self._used[key]
        if key in self._old:
            self.hits += 1
            value = self._used[key] = self._old[key]
            return value
        self.misses += 1
        return None

    def put(self, key: str, value: Any) -> None:
        if key not in self._old and key not in self._used:
            self._new.add(key)
        self._used[key] = value

    def __contains__(self, key: str) -> bool:
        return key in self._used or key in self._old

    def save(self, prune: bool = True) -> None:
        """Write what this build used (and, unless ``prune``, all the rest), if anything changed.

        The live preview keeps documents it did not re-read in memory and so does
        not ask the cache for them: it saves without pruning.
        """
        keep = self._used if prune else {**self._old, **self._used}
        if keep.keys() == self._old.keys() and not self._new:
            self._old, self._used = keep, {}
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=self.path.name)
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump((self.version, keep), out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self._old, self._used, self._new = keep, {}, set()
