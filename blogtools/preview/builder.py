"""The live preview's builder: a process that keeps the site in memory between saves.

A plain Pelican build reads (or unpickles) every post and renders every page: 5 s
for 1,000 posts. Here each post read stays in memory with its file's time, so a
save re-reads that post only; and when the edit leaves the site's structure as
it was (same title, date, tags, category, status, slug: the usual case, words
in the body), only the pages that show the post's words are rendered again: the
post, and the page of each listing it is on (home, tags, category, year, month)
that holds its summary. Anything else (a new or deleted post, new metadata, a
template) renders every page. Feeds are not built in the preview, nor the search
index: the preview makes that in a process of its own (``index.py``).

Commands come as JSON lines on stdin, results go as JSON lines on stdout
(``protocol.py`` holds both kinds; the build's own log goes to stderr, for the
terminal). The process ends when its
stdin closes, so it never outlives the preview.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
import time
import traceback
import weakref
from typing import Any

from blogsupport import buildmemory
from blogsupport.buildmemory import BuildMemory
from blogsupport.generators import contents as generator_contents
from blogtools.pelicanrun import Found, run_pelican
from blogtools.preview.protocol import Build, Built, Shown, read_command

LISTINGS = {"generate_tags": "tags", "generate_categories": "categories",
            "generate_authors": "authors"}  # fmt: skip
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
        # Between saves, the files the watcher named: any other is as it was (no stat).
        self.saved: set[str] | None = None

    def get(self, path: str, default=None):
        entry = self.entries.get(path)
        if entry is None:
            return default
        if self.saved is None or os.path.normpath(path) in self.saved:
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


def _page_of(settings: dict, name: str, url: str, objects: list, member) -> str | None:
    """The file of the page of a paginated listing (first written at ``name``) that shows
    ``member``; None when it is not on the listing."""
    from pelican.paginator import Paginator

    if member not in objects:
        return None
    per_page = settings.get("DEFAULT_PAGINATION") or len(objects) or 1
    paginator = Paginator(name, url, objects, settings, per_page)
    return paginator.page(objects.index(member) // per_page + 1).save_as


class Builder:
    """Builds the site again and again in one process, keeping what a save leaves alone."""

    def __init__(self, settings_path: str, overrides: dict) -> None:
        from pelican import signals

        self.settings_path = settings_path
        self.overrides = overrides
        self.memory: dict[str, MemoryStore] = {}
        # What Pelican works out again at every build from files and posts that a save
        # left as they were: the files each generator found, and each kept post's path
        # and links (weakly held: they go with the post).
        self.found: dict[tuple, set[str]] = {}
        self.source_paths: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self.static_links: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self.structures: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self.kept = BuildMemory()  # what plugins keep between builds (blogsupport.buildmemory)
        self.content_root: str | None = None  # where the generators find their files
        self.pages: set[str] = set()  # the pages the last build of every page wrote
        self.written: set[str] = set()  # the pages this build wrote
        self.structure: dict[str, tuple] = {}  # source path -> what shapes the listings
        self.changed: set[str] = set()
        self.full = True
        self.selected: set[str] | None = None  # the pages rendered again; None: all
        self.listings: set[str] = set()  # the listings (by first page) they are pages of
        signals.article_generator_init.connect(self._remember, weak=False)
        signals.page_generator_init.connect(self._remember, weak=False)
        signals.all_generators_finalized.connect(self._select, weak=False)
        signals.get_writer.connect(self._writer, weak=False)

    # Pelican's hooks ------------------------------------------------------------

    def _remember(self, generator) -> None:
        """The generator finds unchanged posts in memory, not on disk."""
        key = type(generator).__name__
        store = self.memory.setdefault(key, MemoryStore(generator.path))
        store.root = self.content_root = generator.path
        store.context = generator.context
        store.saved = None if self.full else {os.path.normpath(p) for p in self.changed}
        generator.get_cached_data = store.get
        generator.cache_data = store.put
        generator.save_cache = lambda: None
        if not self.full:  # the reader cache on disk is brought up to date when idle
            generator.readers.save_cache = lambda: None
        self._remember_found(generator, key)
        self._remember_links(generator)
        for method, listings in LISTINGS.items():
            if hasattr(generator, method):
                self._only_touched(generator, method, listings)

    def _only_touched(self, generator, method: str, listings: str) -> None:
        """Pelican picks each tag's (category's, author's) posts out of every post before it
        writes the tag's pages: here only the listings the post saved is on are, when the
        build writes only what it touched."""
        pelicans = getattr(generator, method)

        def generate(write):
            everything = getattr(generator, listings)
            if self.selected is None:
                return pelicans(write)
            pairs = everything.items() if isinstance(everything, dict) else everything
            touched = [(k, v) for k, v in pairs if k.save_as in self.listings]
            setattr(generator, listings, dict(touched) if isinstance(everything, dict) else touched)
            try:
                return pelicans(write)
            finally:
                setattr(generator, listings, everything)

        setattr(generator, method, generate)

    def _remember_found(self, generator, key: str) -> None:
        """The files a generator finds, walked for again only when a save added or removed
        one (Pelican walks the content folder twice a build, matching every name)."""
        walk = generator.get_files

        def get_files(paths, exclude=None, extensions=None):
            asked = (key, _frozen(paths), _frozen(exclude), _frozen(extensions))
            if asked not in self.found:
                self.found[asked] = {
                    os.path.normpath(f): f for f in walk(paths, exclude, extensions)
                }
            return set(self.found[asked].values())

        generator.get_files = get_files

    def _remember_links(self, generator) -> None:
        """A kept post's source path and ``{static}`` links, as Pelican found them when it
        read the post (Pelican parses every post's HTML for them at every build)."""

        def add_source_path(content, static=False):
            location = self.source_paths.get(content)
            if location is None:
                location = self.source_paths[content] = content.get_relative_source_path()
            generator.context["static_content" if static else "generated_content"][location] = (
                content
            )

        def add_static_links(content):
            links = self.static_links.get(content)
            if links is None:
                links = self.static_links[content] = content.get_static_links()
            generator.context["static_links"] |= links

        generator.add_source_path = add_source_path
        generator.add_static_links = add_static_links

    def _remove_orphans(self) -> None:
        """After a build that wrote every page, the pages the one before wrote and it did
        not (a post deleted, renamed, re-dated) go: a whole build would not have them."""
        for path in self.pages - self.written:
            with contextlib.suppress(OSError):
                os.unlink(path)
        self.pages = self.written

    def _files_as_they_were(self, changed: list[str]) -> bool:
        """Whether every file saved was there before and is there still: the files each
        generator found are the same."""
        known = set().union(*self.found.values()) if self.found else set()
        root = self.content_root
        return root is not None and all(
            os.path.normpath(p) in known and os.path.isfile(os.path.join(root, p)) for p in changed
        )

    def _select(self, generators) -> None:
        """Which files this build writes: None for all."""
        from pelican.generators import ArticlesGenerator, PagesGenerator

        articles = next(g for g in generators if isinstance(g, ArticlesGenerator))
        pages = next(g for g in generators if isinstance(g, PagesGenerator))
        contents = [*generator_contents(articles), *generator_contents(pages)]
        structure = {c.relative_source_path: self._structure_of(c) for c in contents}
        if self.full or structure.keys() != self.structure.keys():
            why = "asked" if self.full else "posts added or removed"
            logging.getLogger(__name__).debug("writing every page: %s", why)
            self.selected = None
            self.kept.structure += 1
        else:
            self.selected = self._pages_touched(articles, contents, structure)
        self.structure = structure

    def _structure_of(self, content) -> tuple:
        known = self.structures.get(content)  # a kept post: as it was
        if known is None:
            known = self.structures[content] = _structure(content)
        return known

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
        # The pages that show the post's words: its own, the page of each listing it is
        # on (the home page's, each tag's, its category's) that holds its summary, its
        # year's and its month's. Not its neighbours, the other pages of a listing, nor
        # the archives page: they show its title, date and address, which a body edit
        # leaves alone.
        selected = {article.save_as}
        listings = []
        if article in generator.articles:
            listings.append(("index.html", "", generator.articles))
        listings += [(tag.save_as, tag.url, tagged) for tag, tagged in generator.tags.items()]
        listings += [(c.save_as, c.url, filed) for c, filed in generator.categories]
        for name, url, objects in listings:
            page = _page_of(settings, name, url, objects, article)
            if page is not None:
                selected.add(page)
                self.listings.add(name)
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
                if name not in builder.selected and name not in builder.listings:
                    return None  # a page, or a listing, that does not show the post
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
                builder.written.add(os.path.abspath(filename))
                return super()._open_w(filename, encoding, override)

        return SelectiveWriter

    # Commands --------------------------------------------------------------------

    def build(self, changed: tuple[str, ...], full: bool, forget: bool) -> Built:
        """Build again: only what ``changed`` touches, unless ``full``; every post read
        again when ``forget`` (a .bib or data file changed)."""
        from pelican.settings import read_settings

        if forget:
            self.memory.clear()  # a .bib or data file changed: every post is read again
        self.changed = set(changed)
        self.full = full or not self.structure
        self.listings = set()
        if self.full:
            self.kept.clear()  # a template, a .bib file, the settings: derive all afresh
        if self.full or not self._files_as_they_were(changed):
            self.found.clear()
            self.kept.files += 1
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
                    buildmemory.KEY: self.kept,
                    # After the first build the posts come from memory: Pelican's cache on
                    # disk would only be unpickled whole to be ignored (0.6 s at 5,000 posts).
                    **({} if self.full else {"LOAD_CONTENT_CACHE": False}),
                },
            )
            self.written = set()
            found = run_pelican(settings)
            if found.stopped is None and self.selected is None:
                self._remove_orphans()
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
            Shown(text=message, path=path, line=line)
            for message, (path, line) in found.problems.items()
        ]
        return Built(seconds, written, self.selected is None, problems)


def _frozen(value):
    """A ``get_files`` argument as part of a key: lists and sets as tuples."""
    if isinstance(value, str) or value is None or value is False:
        return value
    return tuple(sorted(value))


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
    if not name.endswith(".html"):
        return False
    base = os.path.join(os.path.abspath(output_path), "")
    if not os.path.isabs(name):
        relative = os.path.normpath(name)
    else:
        relative = name[len(base) :] if name.startswith(base) else os.path.relpath(name, base)
    return relative not in selected and os.path.isfile(os.path.join(output_path, relative))


def _large_blocks_given_back() -> None:
    """Each save makes and drops strings of a post's size (its HTML, its page). glibc
    raises its threshold for giving such blocks their own mapping as they are freed, so
    that after a while they come from the heap, which fragments and grows: 160 saves of
    a 1.1 MB post took the builder from 110 MB to 230 MB. A fixed threshold keeps each
    block over 256 KB mapped alone, and returned when freed (measured: level at 120-140
    MB). Elsewhere than glibc, nothing is changed."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(-3, 256 * 1024)  # M_MMAP_THRESHOLD
    except (OSError, AttributeError):
        pass


def main(argv: list[str] | None = None) -> int:
    """Answer build commands from the preview until its input closes."""
    global PROTOCOL
    _large_blocks_given_back()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("settings")
    parser.add_argument("--override", default="{}", help="settings, as JSON")
    args = parser.parse_args(argv)
    PROTOCOL = sys.stdout
    sys.stdout = sys.stderr  # Pelican's own printing goes to the terminal, not the protocol
    from pelican.log import init as init_logging

    init_logging(level=logging.WARNING)  # pelican.plugins.plain_log then makes them one a line
    builder = Builder(args.settings, json.loads(args.override))
    for line in sys.stdin:
        command = read_command(line)
        if command == "quit":
            break
        if isinstance(command, Build):
            result = builder.build(command.changed, command.full, command.forget)
            PROTOCOL.write(result.line() + "\n")
            PROTOCOL.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
