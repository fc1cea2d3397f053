"""Running Pagefind (the binary the PyPI package ships) over a built site, or reusing the
index it made last time when nothing it indexes has changed."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from blogtools.problems import Problem

VERSION = "search-1"


def index_site(output: str, subdir: str = "pagefind") -> Problem | None:
    """Index ``output`` in place; a Problem if Pagefind could not."""
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(output),
        "--output-subdir",
        subdir,
        "--quiet",
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as error:
        return Problem(
            str(output),
            None,
            f"search index: Pagefind did not run ({error})",
            "install the pinned requirements: pip install -r requirements.txt",
        )
    if result.returncode != 0 or not (Path(output) / subdir / "pagefind.js").is_file():
        detail = " ".join((result.stderr or result.stdout).split())[:400]
        return Problem(
            str(output),
            None,
            f"search index: Pagefind failed ({detail})",
            "check that the output folder holds the built site",
        )
    return None


class SearchIndex:
    """One build's index: noted posts, then built or linked from the kept one."""

    def __init__(self, output: str, subdir: str, cache: Path, theme: str) -> None:
        self.output, self.subdir, self.cache, self.theme = Path(output), subdir, cache, theme
        self.digest: str | None = None

    def note(self, articles) -> None:
        """What the index will hold: every post as the site shows it."""
        digest = hashlib.sha256(VERSION.encode())
        templates = Path(self.theme) / "templates"
        for template in sorted(templates.glob("*.html")) if templates.is_dir() else []:
            digest.update(template.read_bytes())
        for article in sorted(articles, key=lambda a: a.url):
            for part in (article.url, article.title, str(article.date), article.content):
                digest.update(str(part).encode("utf-8", "replace") + b"\0")
        self.digest = digest.hexdigest()[:24]

    def build(self) -> Problem | None:
        target = self.output / self.subdir
        kept = self.cache / self.digest if self.digest else None
        if kept is not None and (kept / "pagefind.js").is_file():
            _replace_tree(kept, target, link=True)
            return None
        problem = index_site(str(self.output), self.subdir)
        if problem is None and kept is not None:
            shutil.rmtree(self.cache, ignore_errors=True)  # only the latest index is kept
            _replace_tree(target, kept, link=False)
        return problem


def _replace_tree(source: Path, target: Path, link: bool) -> None:
    """``target`` made a copy of ``source``: hard links where it can (the files never change)."""
    shutil.rmtree(target, ignore_errors=True)
    for folder, _, files in os.walk(source):
        into = target / Path(folder).relative_to(source)
        into.mkdir(parents=True, exist_ok=True)
        for name in files:
            if link:
                try:
                    os.link(Path(folder) / name, into / name)
                    continue
                except OSError:
                    pass
            shutil.copy2(Path(folder) / name, into / name)
