"""A cache of computed results across builds, keyed by a hash of their inputs.

The plugins keep their expensive results here (formatted citations, charts, the
parsed bibliography): a key names everything the result depends on, so a hit is
always right and nothing ever has to be invalidated. Results live in an SQLite
file and are read one at a time when asked for, so a build holds in memory only
what it is using, and a build that changes nothing writes nothing; new results
are pickled when put and written in batches, so a build that computes many does
not hold them all either. Each full
build keeps what it used, so the file does not grow with results nobody asks
for any more. SQLite also lets the preview and a publish share the file safely.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import sqlite3
from pathlib import Path
from typing import Any


def digest(*parts: Any) -> str:
    """A stable hash of JSON-able parts."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


BATCH = 200  # new results held before they are written


class KeyedCache:
    """``get``/``put`` by key; ``save`` writes the new results and, when asked, prunes."""

    def __init__(self, path: Path, version: str) -> None:
        self.path = path.with_suffix(".sqlite")
        self.version = version
        self._used: set[str] = set()
        self._new: dict[str, bytes] = {}  # pickled, not yet written
        self._db: sqlite3.Connection | None = None
        self._unusable = False

    def _connect(self) -> sqlite3.Connection | None:
        if self._db is None and not self._unusable:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(self.path, timeout=30)
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA cache_size=-256")  # KiB: rows are read once each
                self._db.execute(
                    "CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, "
                    "version TEXT NOT NULL, value BLOB NOT NULL)"
                )
            except (sqlite3.Error, OSError):
                # No cache: everything is computed, nothing is lost, and no time is
                # spent trying again.
                self._db, self._unusable = None, True
        return self._db

    def get(self, key: str) -> Any | None:
        row = (self._new[key],) if key in self._new else None
        db = self._connect() if row is None else None
        if db is not None:
            try:
                row = db.execute(
                    "SELECT value FROM results WHERE key = ? AND version = ?", (key, self.version)
                ).fetchone()
            except sqlite3.Error:
                row = None
        if row is None:
            return None
        try:
            value = pickle.loads(row[0])
        except (
            pickle.UnpicklingError,
            EOFError,
            AttributeError,
            ImportError,
            TypeError,
            ValueError,
        ):
            return None
        self._used.add(key)
        return value

    def has(self, key: str) -> bool:
        """Whether ``key`` has a result, without reading it: a caller that keeps many
        results until later reads each when it needs it (``get``), one at a time."""
        if key in self._new:
            self._used.add(key)
            return True
        db = self._connect()
        try:
            found = (
                db is not None
                and db.execute(
                    "SELECT 1 FROM results WHERE key = ? AND version = ?", (key, self.version)
                ).fetchone()
                is not None
            )
        except sqlite3.Error:
            found = False
        if found:
            self._used.add(key)
        return found

    def put(self, key: str, value: Any) -> None:
        if key in self._used and key not in self._new:
            return  # read from the cache this build: already there
        self._new[key] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self._used.add(key)
        if len(self._new) >= BATCH:
            self.flush()

    def flush(self) -> bool:
        """Write the new results now; False if there is no cache to write to."""
        db = self._connect()
        if db is None:
            return False
        if not self._new:
            return True
        try:
            with db:
                db.executemany(
                    "INSERT OR REPLACE INTO results (key, version, value) VALUES (?, ?, ?)",
                    [(key, self.version, value) for key, value in self._new.items()],
                )
        except sqlite3.Error:
            return False  # kept in memory; save() tries again
        self._new = {}
        return True

    def __contains__(self, key: str) -> bool:
        return self.has(key)

    def save(self, prune: bool = True) -> None:
        """Write the new results; with ``prune``, drop those this build did not use.

        The live preview keeps documents it did not re-read in memory and so does
        not ask the cache for them: it saves without pruning.
        """
        if not self.flush():
            return
        db = self._connect()
        try:
            if prune:
                with db:
                    db.execute("CREATE TEMP TABLE IF NOT EXISTS used (key TEXT PRIMARY KEY)")
                    db.execute("DELETE FROM used")
                    db.executemany(
                        "INSERT OR IGNORE INTO used VALUES (?)", [(k,) for k in self._used]
                    )
                    db.execute(
                        "DELETE FROM results WHERE version != ? OR key NOT IN "
                        "(SELECT key FROM used)",
                        (self.version,),
                    )
        except sqlite3.Error:
            return
        self._new = {}
        self._used = set()

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
