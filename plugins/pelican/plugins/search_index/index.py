"""Running Pagefind (the binary the PyPI package ships) over the posts of a build, or
reusing the index it made last time when nothing it indexes has changed.

Pagefind is given the published posts alone: their pages are hard-linked into a
folder of their own, so listings, drafts and hidden posts stay out of the index
without Pagefind reading them. It starts as soon as the last post is written and
indexes on another core while Pelican writes the rest of the site; the build
waits for it only at the end.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from blogsupport.linking import link_or_copy
from blogsupport.problems import Problem

VERSION = "search-2"
PAGEFIND_TIMEOUT = 600  # seconds


def _command(site: str, output: str) -> list[str]:
    return [sys.executable, "-m", "pagefind", "--site", site, "--output-path", output, "--quiet"]


def _failed(output: str, how: str) -> Problem:
    return Problem(
        output,
        None,
        f"search index: Pagefind {how}",
        "install the pinned requirements (pip install -r requirements.txt) and build again",
    )


def _check(output: Path, returncode: int, log: str) -> Problem | None:
    if returncode != 0 or not (output / "pagefind.js").is_file():
        detail = " ".join(log.split())[:400]
        return _failed(str(output), f"failed ({detail})")
    return None


class SearchIndex:
    """One build's index: the posts noted, indexed in the background as soon as they are
    all written (or linked from the kept index), and finished at the end."""

    def __init__(
        self, output: str, subdir: str, cache: Path, theme: str, addresses: str = ""
    ) -> None:
        """``addresses``: the settings that make pages' addresses (ARTICLE_URL, ...)."""
        self.output, self.subdir, self.cache, self.theme = Path(output), subdir, cache, theme
        self.addresses = addresses
        self.digest: str | None = None
        self._pages: dict[str, str] = {}  # written file -> its path in the site
        self._waiting: set[str] = set()
        self._stage: Path | None = None
        self._process: subprocess.Popen | None = None
        self._log = None

    @property
    def target(self) -> Path:
        return self.output / self.subdir

    @property
    def kept(self) -> Path | None:
        return self.cache / self.digest if self.digest else None

    def note(self, articles) -> None:
        """What the index will hold: every published post, as the site shows it.

        The key is made of what Pelican builds a post's address and page from (its
        metadata and HTML) rather than of the address itself, which Pelican works
        out afresh at each asking: only a build that indexes needs the addresses.
        """
        digest = hashlib.sha256(VERSION.encode() + self.addresses.encode())
        templates = Path(self.theme) / "templates"
        for template in sorted(templates.glob("*.html")) if templates.is_dir() else []:
            digest.update(template.read_bytes())
        articles = sorted(articles, key=lambda a: str(a.source_path))
        for article in articles:
            metadata = sorted((k, str(v)) for k, v in article.metadata.items())
            for part in (article.source_path, metadata, article.content):
                digest.update(str(part).encode("utf-8", "replace") + b"\0")
        self.digest = digest.hexdigest()[:24]
        self._pages = {}
        if not self._is_kept():
            for article in articles:
                if article.save_as:
                    path = os.path.normpath(self.output / article.save_as)
                    self._pages[path] = article.save_as
        self._waiting = set(self._pages)

    def _is_kept(self) -> bool:
        return self.kept is not None and (self.kept / "pagefind.js").is_file()

    def written(self, path: str) -> None:
        """A file written by Pelican: when it is the last post, Pagefind starts."""
        if self._waiting:
            self._waiting.discard(os.path.normpath(path))
            if not self._waiting:
                self._start()

    def _start(self) -> None:
        self.cache.mkdir(parents=True, exist_ok=True)
        self._stage = Path(tempfile.mkdtemp(prefix="stage-", dir=self.cache))
        for path, relative in self._pages.items():
            staged = self._stage / relative
            staged.parent.mkdir(parents=True, exist_ok=True)
            link_or_copy(path, staged)
        shutil.rmtree(self.target, ignore_errors=True)
        self._log = tempfile.TemporaryFile(mode="w+", dir=self.cache)  # noqa: SIM115 (kept open until finish)
        try:
            self._process = subprocess.Popen(
                _command(str(self._stage), str(self.target)),
                stdout=self._log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        except OSError as error:
            self._process = error  # reported by finish()

    def finish(self) -> Problem | None:
        """The index in the output: the kept one linked, or Pagefind's, waited for and kept."""
        if self._is_kept():
            if not _same_tree(self.kept, self.target):
                _replace_tree(self.kept, self.target)
            return None
        if not self._pages:
            shutil.rmtree(self.target, ignore_errors=True)  # an index of no posts
            return None
        if self._process is None:  # some post was not written: index those that were
            self._pages = {p: r for p, r in self._pages.items() if os.path.isfile(p)}
            self._start()
        try:
            return self._wait()
        finally:
            self._clean_up()

    def _wait(self) -> Problem | None:
        if isinstance(self._process, OSError):
            return _failed(str(self.output), f"did not run ({self._process})")
        try:
            returncode = self._process.wait(timeout=PAGEFIND_TIMEOUT)
        except subprocess.TimeoutExpired:
            self._process.kill()
            return _failed(str(self.output), f"took more than {PAGEFIND_TIMEOUT} s")
        self._log.seek(0)
        problem = _check(self.target, returncode, self._log.read())
        if problem is None and self.kept is not None:
            for old in self.cache.iterdir():  # only the latest index is kept
                if old.is_dir() and not old.name.startswith("stage-"):
                    shutil.rmtree(old, ignore_errors=True)
            _replace_tree(self.target, self.kept)
        return problem

    def _clean_up(self) -> None:
        if self._stage is not None:
            shutil.rmtree(self._stage, ignore_errors=True)
        if self._log is not None:
            self._log.close()
        self._stage = self._process = self._log = None

    def abandon(self) -> None:
        """Stop an unfinished Pagefind (the build was stopped or started again)."""
        if isinstance(self._process, subprocess.Popen) and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._clean_up()


def _files(tree: Path) -> dict[str, int]:
    """Each file under ``tree``, by its path inside it, with its inode."""
    found = {}
    for folder, _, files in os.walk(tree):
        for name in files:
            path = os.path.join(folder, name)
            found[os.path.relpath(path, tree)] = os.stat(path).st_ino
    return found


def _same_tree(kept: Path, target: Path) -> bool:
    """Whether ``target`` holds exactly the kept index's files, linked (not copies)."""
    try:
        return target.is_dir() and _files(kept) == _files(target)
    except OSError:
        return False


def _replace_tree(source: Path, target: Path) -> None:
    """``target`` made a copy of ``source``: hard links where it can (Pagefind's files are
    never changed in place, only replaced: the output's copy and the kept one can share)."""
    shutil.rmtree(target, ignore_errors=True)
    for folder, _, files in os.walk(source):
        into = target / Path(folder).relative_to(source)
        into.mkdir(parents=True, exist_ok=True)
        for name in files:
            link_or_copy(Path(folder) / name, into / name, copy=shutil.copy2)
