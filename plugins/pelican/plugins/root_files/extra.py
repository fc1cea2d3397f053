"""Files in content/extra/ published at the site's root, under the same relative path.

Hosts look for some files at the root and nowhere else: GitHub Pages' CNAME, Netlify's
_redirects and _headers, .well-known/security.txt, a search engine's verification file.
Pelican publishes a static file at its own path (content/extra/CNAME at /extra/CNAME)
unless EXTRA_PATH_METADATA names it; this names every file under the folder, as the
static generator starts (``static_generator_init``), so that adding one needs no
setting. A name the author set in EXTRA_PATH_METADATA himself is left as he set it.

Settings: ``SCHEMA`` (ROOT_FILES_PATH, the folder inside content/, "extra" unless set).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from pelican import signals

from blogsupport.plugin_settings import Schema

logger = logging.getLogger(__name__)
SCHEMA = Schema(
    "ROOT_FILES_",
    {"ROOT_FILES_PATH": ("extra", "the folder inside content/ (one of STATIC_PATHS)")},
)


def root_paths(content: Path, folder: str) -> dict[str, dict[str, str]]:
    """EXTRA_PATH_METADATA entries putting each file under content/<folder> at the root."""
    base = content / folder
    entries = {}
    for directory, subfolders, names in os.walk(base):  # symlinked folders not followed
        subfolders.sort()
        for name in sorted(names):
            path = Path(directory) / name
            inside = path.relative_to(base).as_posix()
            entries[f"{folder}/{inside}"] = {"path": inside}
    return entries


def _publish_at_root(generator) -> None:
    settings = generator.settings
    SCHEMA.apply(settings, logger)
    folder = str(settings["ROOT_FILES_PATH"]).strip("/")
    extra = settings.setdefault("EXTRA_PATH_METADATA", {})
    for source, metadata in root_paths(Path(settings["PATH"]), folder).items():
        extra.setdefault(source, metadata)


def register() -> None:
    """Pelican's entry point: content/extra/ published at the site's root."""
    signals.static_generator_init.connect(_publish_at_root)
