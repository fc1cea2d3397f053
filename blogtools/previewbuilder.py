"""The live preview's builder: a process that keeps the site in memory between saves.

A plain Pelican build reads (or unpickles) every post and renders every page: 5 s
for 1,000 posts. Here each post read stays in memory with its file's time, so a
save re-reads that post only; and when the edit leaves the site's structure as
it was (same title, date, tags, category, status, slug: the usual case, words
in the body), only the pages that show the post are rendered again: the post,
its neighbours, the home page and the listing pages it is on, its year and
month, the archives. Anything else (a new or deleted post, new metadata, a
template) renders every page. Feeds are not built in the preview, nor the search
index: the preview makes that in a process of its own (previewindex.py).

Commands come as JSON lines on stdin, results go as JSON lines on stdout (the
build's own log goes to stderr, for the terminal). The process ends when its
stdin closes, so it never outlives the preview.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from blogsupport.generators import contents as generator_contents
from blogtools.pelicanrun import Found, run_pelican

STRUCTURE = ("title", "date", "tags", "category", "status", "slug", "url", "lang")
PROTOCOL = sys.stdout


class MemoryStore:
    """Content objects by source path, kept while their file's time does not change.

    A kept object is given the build's context: Pelican resolves its links against the
    files and pages that context lists, and with the address of the page being written,
    which the writer sets in it (a kept post asked in the build before for its HTML would
    otherwise answer with the last page's relative address).
    """

    def __init__(self, root: str) -> None:
        self.root = root
        self.entries: dict[str, tuple[float, Any]] = {}
        self.context: dict | None = None  # this build's context, given to what is kept

    def get(self, path: str, default=None):
        entry = self.entries.get(path)
        if entry is None:
            return default
        try:
            stamp = os.stat(os.path.join(self.root, path)).st_mtime_ns
        except OSError:
            return default
        if entry[0] != stamp:
            return default
        if self.context is not None:
            entry[1]._context = self.context
        return entry[1]

    def put(self, path: str, content) -> None:
        try:
            stamp = os.stat(os.path.join(self.root, path)).st_mtime_ns
        except OSError:
            return
        self.entries[path] = (stamp, content)


def _structure(content) -> tuple:
    return tuple(str(getattr(content, name, "")) for name in STRUCTURE)


def _page_names(settings: dict, name: str, url: str, objects: list, member) -> set[str]:
    """The file of the paginated listing page that shows ``member`` (and its first page)."""
    from pelican.paginator import Paginator

    names = {name}
    if member in objects:
        per_page = settings.get("DEFAULT_PAGINATION") or len(objects) or 1
        paginator = Paginator(name, url, objects, settings, per_page)
        number = objects.index(member) // per_page + 1
        names.add(paginator.page(number).save_as)
    return names


class Builder:
    """Builds the site again and again in one process, keeping what a save leaves alone."""

    def __init__(self, settings_path: str, overrides: dict) -> None:
        from pelican import signals

        self.settings_path = settings_path
        self.overrides = overrides
        self.memory: dict[str, MemoryStore] = {}
        self.structure: dict[str, tuple] = {}  # source path -> what shapes the listings
        self.changed: set[str] = set()
        self.full = True
        self.selected: set[str] | None = None
        signals.article_generator_init.connect(self._remember, weak=False)
        signals.page_generator_init.connect(self._remember, weak=False)
        signals.all_generators_finalized.connect(self._select, weak=False)
        signals.get_writer.connect(self._writer, weak=False)

    # Pelican's hooks ------------------------------------------------------------

    def _remember(self, generator) -> None:
        """The generator finds unchanged posts in memory, not on disk."""
        key = type(generator).__name__
        store = self.memory.setdefault(key, MemoryStore(generator.path))
        store.root = generator.path
        store.context = generator.context
        generator.get_cached_data = store.get
        generator.cache_data = store.put
        generator.save_cache = lambda: None
        if not self.full:  # the reader cache on disk is brought up to date when idle
            generator.readers.save_cache = lambda: None

    def _select(self, generators) -> None:
        """Which files this build writes: None for all."""
        from pelican.generators import ArticlesGenerator, PagesGenerator

        articles = next(g for g in generators if isinstance(g, ArticlesGenerator))
        pages = next(g for g in generators if isinstance(g, PagesGenerator))
        contents = [*generator_contents(articles), *generator_contents(pages)]
        structure = {c.relative_source_path: _structure(c) for c in contents}
        if self.full or structure.keys() != self.structure.keys():
            why = "asked" if self.full else "posts added or removed"
            logging.getLogger(__name__).debug("writing every page: %s", why)
            self.selected = None
        else:
            self.selected = self._pages_touched(articles, contents, structure)
        self.structure = structure

    def _pages_touched(self, articles, contents, structure) -> set[str] | None:
        settings = articles.settings
        by_path = {c.relative_source_path: c for c in contents}
        selected: set[str] = set()
        for path in self.changed:
            content = by_path.get(path)
            if content is None and path not in self.structure:
                continue  # not a post or page: an image, an editor's scratch file
            if content is None or structure[path] != self.structure.get(path):
                return None  # a new, deleted or re-titled post: every listing may change
            if content in (*articles.articles, *articles.drafts):
                selected |= self._article_pages(articles, content, settings)
            elif content.status in ("published", "hidden", "draft"):
                selected.add(content.save_as)
        return selected

    def _article_pages(self, generator, article, settings) -> set[str]:
        # Not the archives: they list titles and dates, which a body edit leaves alone.
        selected = {article.save_as, "index.html"}
        published = generator.articles
        if article in published:
            position = published.index(article)
            for neighbour in published[max(0, position - 1) : position + 2]:
                selected.add(neighbour.save_as)
            selected |= _page_names(settings, "index.html", "", published, article)
        for tag, tagged in generator.tags.items():
            if article in tagged:
                selected |= _page_names(settings, tag.save_as, tag.url, tagged, article)
        for category, filed in generator.categories:
            if article in filed:
                selected |= _page_names(settings, category.save_as, category.url, filed, article)
        for granularity in ("year", "month"):
            save_as = settings.get(f"{granularity.upper()}_ARCHIVE_SAVE_AS")
            if save_as:
                selected.add(save_as.format(date=article.date))
        # The References page lists what every post cites: an edit may add or drop a work.
        selected.add(settings.get("CITATIONS_PAGE_SAVE_AS", ""))
        selected.discard("")
        return selected

    def _writer(self, pelican):
        from pelican.writers import Writer

        builder = self

        class SelectiveWriter(Writer):
            """Writes the selected files; leaves every other one as it is."""

            def write_file(self, name, template, context, *args, **kwargs):
                if builder.selected is None or not name:
                    return super().write_file(name, template, context, *args, **kwargs)
                if name not in builder.selected:
                    # A listing the post is on has its first page selected (_page_names):
                    # the other listings' pages, every one, stay as they are.
                    return None
                return super().write_file(
                    name,
                    _Keep(template, self.output_path, builder.selected),
                    context,
                    *args,
                    **kwargs,
                )

            def _open_w(self, filename, encoding, override=False):
                # An unselected page of a listing the post is on: its file stays as it is
                # (Pelican's Writer opens every page it renders; _Keep renders it empty).
                if builder.selected is not None and _kept_page(
                    filename, self.output_path, builder.selected
                ):
                    return open(os.devnull, "w", encoding=encoding)
                return super()._open_w(filename, encoding, override)

        return SelectiveWriter

    # Commands --------------------------------------------------------------------

    def build(self, changed: list[str], full: bool, forget: bool) -> dict:
        """Build again: only what ``changed`` touches, unless ``full``; every post read
        again when ``forget`` (a .bib or data file changed)."""
        from pelican.settings import read_settings

        if forget:
            self.memory.clear()  # a .bib or data file changed: every post is read again
        self.changed = set(changed)
        self.full = full or not self.structure
        _forget_resolved_html()
        start = time.perf_counter()
        try:
            settings = read_settings(
                self.settings_path,
                override={
                    **self.overrides,
                    "SEARCH_INDEX": False,
                    "PLUGIN_CACHE_PRUNE": False,
                    "DELETE_OUTPUT_DIRECTORY": False,  # pages not rebuilt stay as they are
                    # After the first build the posts come from memory: Pelican's cache on
                    # disk would only be unpickled whole to be ignored (0.6 s at 5,000 posts).
                    **({} if self.full else {"LOAD_CONTENT_CACHE": False}),
                },
            )
            found = run_pelican(settings)
        except Exception as error:  # the settings themselves
            found = Found(stopped=error)
        if found.stopped is not None:
            error = found.stopped
            text = (
                f"the build stopped: {type(error).__name__}: {error} — fix it and save again; "
                "the details are in the terminal"
            )
            logging.getLogger(__name__).error(text)
            traceback.print_exception(error, file=sys.stderr)
            found.add(text)
            self.structure = {}  # whatever was half-built, the next build writes everything
        seconds = time.perf_counter() - start
        written = len(self.selected) if self.selected is not None else -1
        problems = [
            {"text": message, "path": path, "line": line}
            for message, (path, line) in found.problems.items()
        ]
        return {
            "event": "built",
            "ok": not problems,
            "problems": problems,
            "seconds": seconds,
            "pages": written,
            "full": self.selected is None,
        }


def _forget_resolved_html() -> None:
    """Pelican keeps each content's HTML with its links resolved, for every page address
    it was asked with, in one table on the class that holds every content ever asked: a
    build that kept it would resolve no link anew, and the preview would keep a copy of a
    post for each save. Emptied before each build."""
    from pelican.contents import Content

    for memo in (Content.get_content, Content.get_summary):
        cache = getattr(memo, "cache", None)
        if isinstance(cache, dict):
            cache.clear()


class _Keep:
    """A template that renders only the selected pages of a paginated listing; the others
    keep the file already written, neither rendered nor written again."""

    def __init__(self, template, output_path: str, selected: set[str]) -> None:
        self.template, self.output_path, self.selected = template, output_path, selected

    def render(self, context) -> str:
        if _kept_page(context.get("output_file", ""), self.output_path, self.selected):
            return ""  # not written: the writer leaves the file as it is
        return self.template.render(context)


def _kept_page(name: str, output_path: str, selected: set[str]) -> bool:
    """Whether the page written at ``name`` (in or under ``output_path``) keeps its file."""
    path = Path(output_path) / name
    relative = os.path.relpath(path, output_path)
    return relative.endswith(".html") and relative not in selected and path.is_file()


def main(argv: list[str] | None = None) -> int:
    """Answer build commands from the preview until its input closes."""
    global PROTOCOL
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("settings")
    parser.add_argument("--override", default="{}", help="settings, as JSON")
    args = parser.parse_args(argv)
    PROTOCOL = sys.stdout
    sys.stdout = sys.stderr  # Pelican's own printing goes to the terminal, not the protocol
    from pelican.log import init as init_logging

    init_logging(level=logging.WARNING)  # plugins/plain_log then makes them one a line
    builder = Builder(args.settings, json.loads(args.override))
    for line in sys.stdin:
        try:
            command = json.loads(line)
        except json.JSONDecodeError:
            continue
        if command.get("cmd") == "quit":
            break
        if command.get("cmd") == "build":
            result = builder.build(
                command.get("changed", []),
                command.get("full", False),
                command.get("forget", False),
            )
        else:
            continue
        PROTOCOL.write(json.dumps(result) + "\n")
        PROTOCOL.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
