"""Where pandoc is, and which pandoc it is: all a build needs of it when nothing is to be
formatted (the cache keys name the pandoc that made each result)."""

from __future__ import annotations

import importlib.util
import os
import shutil
from functools import lru_cache
from pathlib import Path


class PandocMissing(RuntimeError):
    """No pandoc to format with."""


def pandoc_path() -> str:
    """The pandoc binary: the one pypandoc-binary ships, else one on the PATH."""
    spec = importlib.util.find_spec("pypandoc")
    if spec is not None and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            candidate = Path(folder) / "files" / "pandoc"
            if candidate.is_file() and os.access(candidate, os.X_OK):
                return str(candidate)
    found = shutil.which("pandoc")
    if found:
        return found
    raise PandocMissing(
        "pandoc is not installed — install the pinned requirements: "
        "pip install -r requirements.txt (pypandoc-binary carries pandoc)"
    )


@lru_cache(maxsize=4)
def _stamp(path: str, size: int, mtime: int) -> str:
    return f"{Path(path).name}:{size}:{mtime}"


def pandoc_version() -> str:
    """A fingerprint of the binary, cheap to take: its size and time."""
    path = pandoc_path()
    status = os.stat(path)
    return _stamp(path, status.st_size, int(status.st_mtime))
