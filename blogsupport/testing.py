"""A small site built with one plugin, for the plugins' own tests.

A plugin's tests write the few files they need, build them with Pelican's own theme and
the plugin alone, and read what was written: as another site would use the plugin, with
nothing of this project's settings or theme. Each build runs in a process of its own,
so that no plugin's signal handlers, connected by one test's build, run in another's
(Pelican's signals are process-wide).
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

SITEURL = "https://plugin.test"


@dataclass
class Site:
    """What a build wrote, and what it said."""

    output: Path
    returncode: int
    log: str

    def read(self, relative: str) -> str:
        """A file the build wrote, as text."""
        return (self.output / relative).read_text(encoding="utf-8")


def build_site(
    folder: Path, plugins: str | list[str], files: dict[str, str | bytes], strict: bool = True,
    **settings: object,
) -> Site:  # fmt: skip
    """``files`` (paths under content/, and their text or bytes) built in ``folder`` with
    ``plugins`` (short names) and ``settings``; strictly (any warning fails) unless not
    ``strict``."""
    content, output, cache = folder / "content", folder / "output", folder / "cache"
    for relative, data in files.items():
        path = content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    content.mkdir(parents=True, exist_ok=True)
    names = [plugins] if isinstance(plugins, str) else plugins
    chosen = {
        "PLUGINS": [f"pelican.plugins.{name}" for name in names],
        "SITEURL": SITEURL,
        "TIMEZONE": "Europe/London",
        "CACHE_PATH": str(cache),
        "PLUGIN_CACHE_PATH": str(cache),
        "STATIC_PATHS": ["images", "extra"],
        **settings,
    }
    command = [sys.executable, "-m", "pelican", str(content), "-o", str(output), "-s",
               str(_settings_file(folder, chosen))]  # fmt: skip
    if strict:
        command += ["--fatal", "warnings"]
    wide = {**os.environ, "COLUMNS": "400"}  # Pelican's log handler (rich) wraps at 80
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=300,
                          env=wide)  # fmt: skip
    return Site(output, done.returncode, done.stdout + done.stderr)


def _settings_file(folder: Path, settings: dict) -> Path:
    path = folder / "settings.py"
    path.write_text("".join(f"{key} = {value!r}\n" for key, value in settings.items()))
    return path


def differing(one: Path, other: Path) -> list[str]:
    """The files (relative paths) that one built site has and the other has not, or has
    with other bytes: what a plugin that must not change a site changed."""
    files = {p.relative_to(one) for p in one.rglob("*") if p.is_file()}
    others = {p.relative_to(other) for p in other.rglob("*") if p.is_file()}
    changed = {p for p in files & others if (one / p).read_bytes() != (other / p).read_bytes()}
    return sorted(str(p) for p in (files ^ others) | changed)


def dated_posts(count: int, tags: int = 4) -> dict[str, str]:
    """``count`` posts a day apart, each with two of ``tags`` tags and one of two
    categories: listings of several pages, posts on many of them."""
    return {
        f"post-{n:03}.md": (
            f"Title: Post {n}\nDate: 2016-12-{1 + n % 28:02} {n % 24:02}:00\n"
            f"Category: {'Inspection' if n % 2 else 'Practice'}\n"
            f"Tags: tag {n % tags}, tag {(n * 3 + 1) % tags}\n\nWords of post {n}.\n"
        )
        for n in range(count)
    }
