"""A home for Pelican's content cache that changes when what it caches would.

Pelican keeps each post as read in its cache and checks only the post's own
file: after a change to the Markdown settings, to a plugin's Markdown extension
or to Pelican itself, it would serve the old reading. The settings put the cache
in a folder named after a fingerprint of all of those, so a change starts a
fresh cache, and the stale folders are removed.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path


def fingerprint(parts: list[str], sources: list[Path]) -> str:
    """A short digest of settings and source files: the name of a cache folder that they made."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() + b"\0")
    for source in sorted(sources):
        digest.update(source.read_bytes())
    return digest.hexdigest()[:12]


def content_cache_path(base: Path, name: str, parts: list[str], plugins: Path) -> str:
    """``base/name-<fingerprint>``, removing the ``name-*`` folders of other fingerprints."""
    import markdown
    import pelican

    key = fingerprint(
        [pelican.__version__, markdown.__version__, *parts], list(plugins.rglob("*.py"))
    )
    path = base / f"{name}-{key}"
    if base.is_dir():
        for old in [base / name, *base.glob(f"{name}-*")]:
            if old != path and old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
    return str(path)
