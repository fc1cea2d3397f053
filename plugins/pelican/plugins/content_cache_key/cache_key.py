"""Pelican's content cache in a folder named by what shapes a reading.

Pelican keeps each post as read and checks only the post's own file: after a change
to the Markdown settings, to a plugin's code or to Pelican itself, it would serve the
old reading. When a build starts, this moves ``CACHE_PATH`` into a folder inside it
named by a fingerprint of all of those (Pelican's and Markdown's versions, MARKDOWN,
PLUGINS, and the source of every plugin loaded and of the library they share), and
removes the folders of other fingerprints there. The plugins' own caches stay where
they were: ``PLUGIN_CACHE_PATH`` is set to the folder first given, unless set; they
key every result themselves.

No settings. List it first in PLUGINS, so that every other plugin sees the folder.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import sys
from pathlib import Path

from pelican import signals

PREFIX = "reading-"
_FINGERPRINTED = re.compile(rf"{PREFIX}[0-9a-f]{{12}}")


def fingerprint(parts: list[str], sources: list[Path]) -> str:
    """A short digest of settings and source files: the name of a cache folder they made."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() + b"\0")
    for source in sorted(sources):
        digest.update(str(source.name).encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()[:12]


def sources(module_names: list[str]) -> list[Path]:
    """The Python files of each module's package (or of the module alone), its tests
    left out."""
    found: set[Path] = set()
    for name in module_names:
        module = sys.modules.get(name)
        path = Path(getattr(module, "__file__", None) or "")
        if path.name == "__init__.py":  # its modules, not its own tests
            package = path.parent
            found.update(
                p for p in package.rglob("*.py") if "tests" not in p.relative_to(package).parts
            )
        elif path.suffix == ".py":
            found.add(path)
    return sorted(found)


def keyed_folder(base: Path, key: str) -> Path:
    """``base/reading-<key>``, with the folders of other keys removed from ``base``."""
    folder = base / f"{PREFIX}{key}"
    if base.is_dir():
        for old in base.iterdir():
            if old != folder and old.is_dir() and _FINGERPRINTED.fullmatch(old.name):
                shutil.rmtree(old, ignore_errors=True)
    return folder


def _initialised(pelican) -> None:
    import markdown

    settings = pelican.settings
    base = Path(settings["CACHE_PATH"])
    if _FINGERPRINTED.fullmatch(base.name):
        return  # already keyed (the same settings built again)
    if not settings.get("PLUGIN_CACHE_PATH"):
        settings["PLUGIN_CACHE_PATH"] = str(base)
    plugins = [str(p) for p in settings.get("PLUGINS") or ()]
    parts = [_pelican_version(), markdown.__version__]
    parts += [repr(settings.get("MARKDOWN")), repr(plugins)]
    key = fingerprint(parts, sources([*plugins, "blogsupport"]))
    settings["CACHE_PATH"] = str(keyed_folder(base, key))


def _pelican_version() -> str:
    import pelican

    return pelican.__version__


def register() -> None:
    """Pelican's entry point: the cache folder chosen as a build starts."""
    signals.initialized.connect(_initialised)
