"""One build's citations: the bibliography, each post's citations, the cache, the engine.

As each post is read (``read``), its citations are collected from the placeholders
the Markdown extension left, checked against the bibliography, and looked up in
the cache by everything that shapes them; what is not there goes to pandoc in
batches, which format while Pelican goes on reading. Once all posts are read
(``fill``), each post's placeholders become its citations and its reference list.
A build that finds everything in the cache starts no pandoc and reads no .bib
file beyond its bytes.
"""

from __future__ import annotations

import functools
import html
import json
import logging
import os
import re
import unicodedata
from collections.abc import Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from pelican import signals

from blogsupport import buildmemory
from blogsupport.keyed_cache import KeyedCache, digest
from blogsupport.perbuild import PerBuild
from blogsupport.plugin_settings import Schema, cache_folder, setting_problem
from blogsupport.problems import Problem, display, line_of

from . import cite_post, markup
from .markdown_ext import PLACEHOLDER_ATTRIBUTE
from .styles import StyleRef, UnknownStyle, resolve_style, style_ref
from .syntax import Cluster


def _code_version() -> str:
    """The plugin's own code, as part of every cache key: a change to it is a new cache."""
    import hashlib

    here = Path(__file__).parent
    digest_ = hashlib.sha256()
    for source in sorted([*here.glob("*.py"), *here.glob("*.lua")]):
        digest_.update(source.name.encode() + b"\0" + source.read_bytes())
    return "citations-" + digest_.hexdigest()[:16]


VERSION = _code_version()
# Each setting: (default, what it means). Unknown CITATIONS_* (or CITATION_*) are reported.
SCHEMA = Schema("CITATIONS_", {
    "CITATIONS_BIBLIOGRAPHY": (["references.bib"], "the .bib files, relative to content/"),
    "CITATIONS_STYLE": ("harvard-cite-them-right", "a CSL style's name, or a .csl file"),
    "CITATIONS_LOCALE": (None, "the CSL locale (default: the site's DEFAULT_LANG)"),
    "CITATIONS_HEADING": ("References", "the heading of each post's reference list"),
    "CITATIONS_PAGE_URL": ("references/", "the address of the site-wide References page"),
    "CITATIONS_PAGE_SAVE_AS": ("references/index.html", "its file ('' for no such page)"),
    "CITATIONS_PAGE_TITLE": ("References", "its title"),
    "CITATIONS_WORKERS": (None, "pandoc processes formatting at once (default: the cores)"),
    "CITATIONS_GROUP": (64, "posts that may share one citeproc call (1: each post alone)"),
    "CITATIONS_NOTES": (False, "compare pandoc's reading with the files (invoke check does)"),
}, misspelt=("CITATION_",))  # fmt: skip
SETTINGS = SCHEMA.settings
PLACEHOLDER = re.compile(rf'<span {PLACEHOLDER_ATTRIBUTE}="([^"]*)">(.*?)</span>', re.DOTALL)
BATCH = 32  # posts a pandoc process formats in one request
STYLE_FIX = (
    "use a CSL style's name (harvard-cite-them-right, apa, chicago-author-date, ieee, "
    "vancouver, ...) or the path of a .csl file"
)


@dataclass
class Rendered:
    """A post's citations as the page shows them: what the cache keeps."""

    citations: list[str]  # each valid citation's HTML, in order
    references: str  # the References section, or ""
    entries: list[tuple[str, str]]  # (key, entry HTML), for the site-wide page


@dataclass
class CitedWorks:
    """What a post cites, as its reference list shows it: kept in the post's metadata
    (``metadata["citations"]``) for the site-wide References page."""

    entries: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class _Post:
    """One post's citations between reading and filling in."""

    source: str
    clusters: list[tuple[str, Cluster | None, str]]  # (as written, cluster or None, error)
    keys: list[str]  # works cited, in order of first citation, then Nocite
    nocite: list[str] = field(default_factory=list)
    style: StyleRef | None = None
    written: list[str] = field(default_factory=list)  # the valid citations, as written
    cache_key: str = ""
    batch: _Batch | None = None  # the request that formats it, and its place there
    slot: int = 0
    error: str = ""


@dataclass
class _Batch:
    """One request to pandoc: its answer, cut into each post's part once."""

    future: Future
    results: list | None = None
    errors: list[str] = field(default_factory=list)

    def result(self, slot: int) -> tuple[markup.Formatted | None, str]:
        if self.results is None:
            try:
                answer = self.future.result()
            except Exception as error:
                self.results, self.errors = [], [f"pandoc failed ({error})"]
            else:
                self.results = markup.split(answer["html"], answer["posts"])
                self.errors = [
                    " ".join(str(post.get("error") or "").split()) for post in answer["posts"]
                ]
        if not self.results:
            return None, self.errors[0] if self.errors else "pandoc gave no answer"
        return self.results[slot], self.errors[slot]


def group_posts(posts: list[_Post], names, limit: int) -> list[list[_Post]]:
    """Posts in groups that may share one citeproc call: the same style, which neither
    numbers its citations nor prints keys, and no author's name (or, for a work with no
    author, title) that one post cites and another of its group also cites."""
    groups: list[tuple[list[_Post], set[str]]] = []
    for post in posts:
        own = names(post.keys)
        for members, taken in groups:
            first = members[0]
            if (
                post.style.shares
                and first.style == post.style
                and len(members) < limit
                and taken.isdisjoint(own)
            ):
                members.append(post)
                taken |= own
                break
        else:
            groups.append(([post], set(own)))
    return [members for members, _ in groups]


def csl_locale(language: str) -> str:
    """CSL's spelling of a language tag: Pelican lowers 'en-GB' to 'en-gb'."""
    parts = re.split(r"[-_]", language.strip())
    return "-".join([parts[0].lower()] + [p.upper() for p in parts[1:2]])


@functools.lru_cache(maxsize=1 << 16)  # the live preview asks for the same entries each save
def sort_key(entry_html: str) -> str:
    """How the site-wide page orders entries: by their text as read, letters without
    accents first (Ö with O, not after Z), case ignored."""
    text = html.unescape(re.sub(r"<[^>]*>", "", markup.without_label(entry_html)))
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def site_references(articles: Iterable) -> list[dict]:
    """Every work cited in ``articles``, as their reference lists show it, in the order of
    the entries' text, each with the posts that cite it, newest first."""
    works: dict[str, dict] = {}
    for article in articles:
        cited = article.metadata.get("citations")
        if not isinstance(cited, CitedWorks):
            continue
        post = {"url": article.url, "title": article.title, "date": article.date}
        for key, text in cited.entries:
            work = works.setdefault(
                key,
                {
                    "key": key,
                    "anchor": markup.entry_anchor(key),
                    "html": markup.without_label(text),
                    "articles": [],
                },
            )
            work["articles"].append(post)
    for work in works.values():
        work["articles"].sort(key=lambda post: post["date"], reverse=True)
    return sorted(works.values(), key=lambda work: (sort_key(work["html"]), work["key"]))


class CitationsBuild(PerBuild, key="citations.build", schema=SCHEMA):
    """The citations of one Pelican build."""

    def __init__(self, settings: dict, logger: logging.Logger | None = None) -> None:
        super().__init__(settings, logger)
        self.content_path = Path(settings["PATH"])
        self.locale = csl_locale(
            self.option("CITATIONS_LOCALE") or settings.get("DEFAULT_LANG", "en-US")
        )
        self.heading = self.option("CITATIONS_HEADING")
        self.page_url = self.option("CITATIONS_PAGE_URL")
        self.page_save_as = self.option("CITATIONS_PAGE_SAVE_AS")
        self.cache = KeyedCache(cache_folder(settings) / "citations.sqlite", VERSION)
        self._engine = None
        self._queue: list[_Post] = []
        self._posts: dict[str, _Post] = {}
        self._reading: list[tuple[str, Future]] = []  # pandoc reading the files, for notes
        self.formatted = 0
        self.calls = 0  # citeproc calls: fewer than posts formatted, as posts share them
        self.from_cache = 0
        self.unknown: dict[str, None] = {}
        self.cited: dict[str, None] = {}
        self._register_markdown()
        self.pandoc = _engine_version()  # which pandoc: part of every post's cache key
        self.index = self._read_bibliography()
        self.style = self._site_style()

    # Settings -------------------------------------------------------------------

    def option(self, name: str):
        """A setting's value (its default is in the settings since the build began)."""
        return self.settings.get(name, SETTINGS[name][0])

    def _register_markdown(self) -> None:
        markdown = self.settings.setdefault("MARKDOWN", {})
        extension = f"{__package__}.markdown_ext"
        markdown.setdefault("extension_configs", {}).setdefault(extension, {})
        extensions = markdown.setdefault("extensions", [])
        if extension not in extensions:
            extensions.append(extension)

    def _bib_paths(self) -> list[Path]:
        files = self.option("CITATIONS_BIBLIOGRAPHY")
        if isinstance(files, str):
            files = [files]
        return [Path(f) if Path(f).is_absolute() else self.content_path / f for f in files]

    # The bibliography -------------------------------------------------------------

    def _read_bibliography(self):
        """The index of the .bib files: from the cache unless one changed (in the live
        preview, from memory while no file's time or size changed)."""
        paths = self._bib_paths()
        memory = buildmemory.of(self.settings)
        try:
            stamps = [(p, p.stat().st_mtime_ns, p.stat().st_size) for p in paths]
        except OSError:
            stamps = None
        remembered = memory.get("citations.bibliography") if memory is not None else None
        if stamps and remembered and remembered[0] == stamps:
            self._sources_key, index = remembered[1:]
        else:
            index = self._index_of(paths)
            if memory is not None and stamps:
                memory["citations.bibliography"] = (stamps, self._sources_key, index)
        for problem in index.problems:
            problem.log(self.logger)
        self.notes: list[tuple[str, Problem]] | None = None
        self._pandoc_problems: list[Problem] = []
        if self.option("CITATIONS_NOTES"):
            kept = self.cache.get("notes:" + self._sources_key)
            if kept is not None:
                self.notes, self._pandoc_problems = kept
            else:
                for path, text in index.sources:
                    request = {"op": "read", "bib": text}
                    self._reading.append((path, self.engine.submit(request)))
        return index

    def _index_of(self, paths: list[Path]):
        sources = []
        for path in paths:
            try:
                sources.append((display(path), path.read_bytes()))
            except FileNotFoundError:
                Problem(
                    display(path),
                    None,
                    "bibliography file not found",
                    "create it, or fix CITATIONS_BIBLIOGRAPHY",
                ).log(self.logger)
        self._sources_key = digest(VERSION, [(name, data.hex()) for name, data in sources])
        index = self.cache.get("index:" + self._sources_key)
        if index is None:
            from .bibfile import read_files  # bibtexparser only when a file changed

            index = read_files(sources)
            self.cache.put("index:" + self._sources_key, index)
        return index

    def _take_notes(self) -> list[tuple[str, Problem]]:
        """pandoc's reading of the files, compared with what they say: notes (and what pandoc
        could not read at all, a problem), kept for the next check."""
        if not self.option("CITATIONS_NOTES"):
            return []
        if self.notes is None:
            from .notes import entry_notes

            notes: list[tuple[str, Problem]] = []
            problems: list[Problem] = []
            items: dict[str, dict] = {}
            for path, reading in self._reading:
                try:
                    answer = reading.result()
                except Exception as error:
                    answer = {"error": f"pandoc could not be run ({error})"}
                if answer.get("error"):
                    message = " ".join(str(answer["error"]).split())
                    problems.append(
                        Problem(
                            path,
                            _pandoc_line(message),
                            f"pandoc cannot read the file: {message}",
                            "check the braces of the entry before that line: pandoc reads "
                            "\\{ and \\} as braces in the text, not as the end of a value",
                        )
                    )
                    continue
                for item in answer.get("items") or []:
                    items[item["id"]] = item  # the last of a duplicate key, as pandoc uses
            for key, entries in self.index.entries.items():
                notes.extend((key, n) for n in entry_notes(entries[-1], items.get(key)))
            self.notes = notes
            self._pandoc_problems = problems
            self.cache.put("notes:" + self._sources_key, (notes, problems))
            self._reading = []
        for problem in self._pandoc_problems:
            problem.log(self.logger)
        return self.notes

    @property
    def engine(self):
        if self._engine is None:
            from .engine import Engine

            self._engine = Engine(self.option("CITATIONS_WORKERS") or os.cpu_count() or 1)
        return self._engine

    # Styles ---------------------------------------------------------------------------

    def _style(self, name: str, bases: Iterable[Path]) -> StyleRef:
        error: UnknownStyle | None = None
        for base in bases:
            try:
                return style_ref(resolve_style(name, base), self.locale)
            except UnknownStyle as found:
                error = found
        raise error or UnknownStyle(name)

    def _site_style(self) -> StyleRef:
        name = self.option("CITATIONS_STYLE")
        try:
            return self._style(name, [Path.cwd(), self.content_path])
        except UnknownStyle as error:
            default = SETTINGS["CITATIONS_STYLE"][0]
            setting_problem(
                "CITATIONS_STYLE", f"CITATIONS_STYLE: {error}", f"{STYLE_FIX}; using {default}"
            ).log(self.logger)
            return self._style(default, [Path.cwd()])

    def _post_style(self, content) -> StyleRef:
        name = content.metadata.get("csl") or content.metadata.get("citation-style")
        if not name:
            return self.style
        name = str(name).strip()
        try:
            return self._style(name, [self.content_path, Path.cwd()])
        except UnknownStyle as error:
            Problem(
                display(content.source_path),
                line_of(content.source_path, name),
                f"unknown citation style '{name}' ({error})",
                f"{STYLE_FIX}; the site's style is used",
            ).log(self.logger)
            return self.style

    # Reading posts -----------------------------------------------------------------------

    def _nocite(self, content) -> list[str]:
        value = content.metadata.get("nocite")
        if not value:
            return []
        text = " ".join(value) if isinstance(value, list) else str(value)
        keys = [k.lstrip("@") for k in re.split(r"[\s,;]+", text) if k.strip()]
        if "*" in keys:
            return list(self.index.entries)
        missing = [k for k in keys if k not in self.index]
        for key in missing:
            self._unknown_key(content, key, nocite=True)
        return [k for k in keys if k in self.index]

    def read(self, content) -> None:
        """Note a post's citations as it is read; send what the cache lacks to pandoc."""
        text = getattr(content, "_content", "") or ""
        if PLACEHOLDER_ATTRIBUTE not in text and not content.metadata.get("nocite"):
            return
        source = str(content.source_path)
        nocite = self._nocite(content)
        clusters: list[tuple[str, Cluster | None, str]] = []
        order: dict[str, None] = {}
        for payload, written in PLACEHOLDER.findall(text):
            cluster = Cluster.from_json(json.loads(html.unescape(payload)))
            written = html.unescape(written)
            error = self._check_keys(content, cluster)
            clusters.append((written, None if error else cluster, error))
            if not error:
                order.update(dict.fromkeys(cluster.keys))
        order.update(dict.fromkeys(nocite))
        self.cited.update(dict.fromkeys(nocite))
        post = _Post(source, clusters, list(order))
        self._posts[source] = post
        if not post.keys:
            return
        style = self._post_style(content)
        if style.note_style:
            Problem(
                display(content.source_path),
                line_of(content.source_path, "CSL:"),
                f"'{style.path.stem}' is a note style, which puts citations in footnotes",
                "use an author-date or numeric style for posts",
            ).log(self.logger)
            style = self.style
        bib = self.index.text_for(post.keys)
        written = [w for w, cluster, _ in clusters if cluster is not None]
        post.cache_key = digest(
            VERSION, style.fingerprint, digest(bib), written, nocite, self.pandoc
        )
        post.style, post.written, post.nocite = style, written, nocite
        if self.cache.has(post.cache_key):
            self.from_cache += 1
            return
        self._queue.append(post)
        if len(self._queue) >= BATCH:
            self._send()

    def _check_keys(self, content, cluster: Cluster) -> str:
        """Why a citation cannot be made (a key not in the bibliography, or a key that
        names two different works), or ''."""
        unknown = [k for k in cluster.keys if k not in self.index]
        for key in unknown:
            self._unknown_key(content, key)
        if unknown:
            return "unknown citation key " + ", ".join(f"'{k}'" for k in unknown)
        for key in cluster.keys:
            twice = self.index.differing_duplicates(key)
            if twice:
                Problem(
                    display(content.source_path),
                    line_of(content.source_path, f"@{key}"),
                    f"cites '{key}', a key that names two different works "
                    f"({twice[0].path}:{twice[0].line} and line {twice[-1].line})",
                    "rename one of the entries and cite the one you mean",
                ).log(self.logger)
                return f"'{key}' names two different works"
        self.cited.update(dict.fromkeys(cluster.keys))
        return ""

    def _unknown_key(self, content, key: str, nocite: bool = False) -> None:
        self.unknown[key] = None
        files = ", ".join(display(p) for p in self._bib_paths())
        Problem(
            display(content.source_path),
            line_of(content.source_path, key if nocite else f"@{key}"),
            f"{'Nocite lists' if nocite else 'cites'} unknown key '{key}'",
            f"check the spelling, or add an entry '{key}' to {files}",
        ).log(self.logger)

    def _send(self) -> None:
        """The queued posts to pandoc, as one request of groups (see engine.lua)."""
        queued, self._queue = self._queue, []
        if not queued:
            return
        groups, order = [], []
        limit = max(1, int(self.option("CITATIONS_GROUP") or 1))
        for members in group_posts(queued, self.index.names, limit):
            posts = []
            for post in members:
                prefix = f"p{len(order)}_"
                order.append(post)
                posts.append(
                    {
                        "text": "\n\n".join(post.written) + "\n",
                        "prefix": prefix,
                        "bib": self.index.text_for(post.keys, prefix=prefix),
                        "nocite": post.nocite,
                    }
                )
            style = members[0].style
            groups.append(
                {
                    "csl": str(style.path),
                    "lang": style.locale,
                    "strings": self.index.strings,
                    "posts": posts,
                }
            )
        self.calls += len(groups)
        batch = _Batch(self.engine.submit({"op": "format", "groups": groups}))
        for slot, post in enumerate(order):
            post.batch, post.slot = batch, slot

    # Filling in --------------------------------------------------------------------------

    def generator_read(self, generator, contents: list) -> None:
        """Every post a generator read, filled in; the References page in the context;
        each published post given what a reader needs to cite it."""
        self.fill(contents)
        if hasattr(generator, "articles"):
            self.cite_posts([*generator.articles, *generator.translations])
        if self.page_save_as:
            generator.context["citations_page"] = {
                "url": self.page_url,
                "title": self.option("CITATIONS_PAGE_TITLE"),
            }

    def cite_posts(self, articles: list) -> None:
        """``article.cite_as`` for each post: the post formatted in the site's style by the
        engine, its BibTeX, RIS and CSL JSON, its Highwire tags and its JSON-LD."""
        # The public address: the build's own when absolute, else the one it will have
        # (PUBLIC_SITEURL, which the preview's settings carry), else none.
        root = next((str(r) for r in (self.settings.get("SITEURL"), self.settings.get(
            "PUBLIC_SITEURL")) if r and "://" in str(r)), "").rstrip("/")  # fmt: skip
        site = cite_post.plain(self.settings.get("SITENAME", ""))
        pending, used = [], set()
        made = buildmemory.per_content(self.settings, "citations.cite_as")
        for article in articles:
            date = getattr(article, "date", None)
            if date is None:
                continue
            kept = made.get(article) if made is not None else None
            if kept and kept[0] not in used and kept[1] is getattr(article, "cite_as", None):
                used.add(kept[0])  # a post the live preview kept: cited as it was
                continue
            key = cite_post.key_for(article.slug, date)
            while key in used:
                key += "a"
            used.add(key)
            work = cite_post.PostWork(
                key=key,
                title=cite_post.plain(article.title),
                authors=tuple(cite_post.plain(a.name) for a in getattr(article, "authors", [])),
                date=date,
                site=site,
                url=f"{root}/{article.url}" if root else "",
                modified=getattr(article, "modified", None),
            )
            bibtex = cite_post.bibtex(work)
            cache_key = digest("cite-post", VERSION, self.pandoc, self.style.fingerprint, bibtex)
            cached = self.cache.get(cache_key)
            if cached is None:
                pending.append((article, work, bibtex, cache_key))
            else:
                self._cite_as(article, work, bibtex, *cached)
        if not pending:
            return
        from .engine import EngineError  # only when something is to be formatted

        # Each post alone in its citeproc call: sharing one, the author's posts of a year
        # would be told apart as 2017a, 2017b.
        groups = [
            {"csl": str(self.style.path), "lang": self.style.locale, "strings": "",
             "posts": [{"text": "", "prefix": f"p{n}_", "nocite": [work.key],
                        "bib": text.replace("@online{", f"@online{{p{n}_", 1)}]}
            for n, (_, work, text, _) in enumerate(pending)
        ]  # fmt: skip
        try:
            formatted = self.engine.submit({"op": "format", "groups": groups}).result()
            read = self.engine.submit(
                {
                    "op": "read",
                    "bib": "".join(t for _, _, t, _ in pending),
                    "lang": self.style.locale,
                }
            ).result()
        except EngineError as error:
            Problem("pelicanconf.py", None, f"citations: the posts could not be formatted for "
                    f"citing ({error})", "see the message above; the posts show no citation "
                    "box meanwhile").log(self.logger)  # fmt: skip
            return
        by_key = {k: h for post in markup.split(formatted["html"], formatted["posts"])
                  for k, h in post.entries}  # fmt: skip
        items = {item.get("id"): item for item in read.get("items") or []}
        for article, work, bibtex, cache_key in pending:
            result = (by_key.get(work.key, ""), items.get(work.key, {}))
            self.cache.put(cache_key, result)
            self._cite_as(article, work, bibtex, *result)

    def _cite_as(self, article, work, bibtex: str, entry: str, csl: dict) -> None:
        cited = getattr(article, "metadata", {}).get("citations")
        works = [cite_post.cited_work(html) for _, html in (cited.entries if cited else [])]
        save_as, url = article.save_as, article.url
        stem = save_as.removesuffix("index.html") if save_as.endswith("index.html") else (
            save_as.removesuffix(".html") + "-")  # fmt: skip
        base_url = url if url.endswith("/") or not url else url.removesuffix(".html") + "-"
        article.cite_as = cite_post.CiteAs(
            entry=entry,
            files={
                kind: (f"{stem}cite.{suffix}", f"{base_url}cite.{suffix}", text)
                for kind, suffix, text in (
                    ("BibTeX", "bib", bibtex),
                    ("RIS", "ris", cite_post.ris(work)),
                    ("CSL JSON", "json", json.dumps([csl], ensure_ascii=False, indent=1)),
                )
            },
            highwire=cite_post.highwire(work),
            json_ld=cite_post.json_ld(work, works),
        )
        made = buildmemory.per_content(self.settings, "citations.cite_as")
        if made is not None:
            made[article] = (work.key, article.cite_as)

    def fill(self, contents: Iterable) -> None:
        """Citations and reference lists in place of the placeholders of ``contents``."""
        self._send()
        for content in contents:
            post = self._posts.pop(str(content.source_path), None)
            if post is None:
                continue
            rendered = self._rendered(post)
            done = iter(rendered.citations)
            pieces = []
            for written, cluster, error in post.clusters:
                if cluster is None:
                    pieces.append(markup.render_error(written, error))
                elif post.error:
                    pieces.append(markup.render_error(written, post.error))
                else:
                    pieces.append(next(done))
            made = iter(pieces)
            text = PLACEHOLDER.sub(lambda _, made=made: next(made), content._content)
            content._content = text + rendered.references
            content.metadata["citations"] = CitedWorks(rendered.entries)
            summary = content.metadata.get("summary")
            if summary and PLACEHOLDER_ATTRIBUTE in summary:
                content.metadata["summary"] = PLACEHOLDER.sub(lambda m: m.group(2), summary)

    def _rendered(self, post: _Post) -> Rendered:
        if not post.keys:
            return Rendered([], "", [])
        if post.batch is None:
            cached = self.cache.get(post.cache_key)
            if cached is not None:
                return cached
            self._requeue(post)  # gone from the cache since it was read
        formatted, error = post.batch.result(post.slot)
        if error or formatted is None:
            return self._failed(post, error or "no answer")
        valid = [(w, c) for w, c, _ in post.clusters if c is not None]
        if len(formatted.citations) != len(valid):
            return self._failed(
                post, f"pandoc read {len(formatted.citations)} citations where {len(valid)} were"
            )
        rendered = self._render(post, valid, formatted)
        self.cache.put(post.cache_key, rendered)
        self.formatted += 1
        return rendered

    def _render(self, post: _Post, valid, formatted: markup.Formatted) -> Rendered:
        entries = dict(formatted.entries)
        citations = [
            markup.ascii_html(markup.render_citation(cluster.keys, text, entries, f"cite-{n}"))
            for n, ((_, cluster), text) in enumerate(zip(valid, formatted.citations, strict=True))
        ]
        references = (
            markup.render_references(formatted.entries, formatted.hanging_indent, self.heading)
            if formatted.entries
            else ""
        )
        return Rendered(
            citations,
            markup.ascii_html(references),
            [(key, markup.ascii_html(text)) for key, text in formatted.entries],
        )

    def _requeue(self, post: _Post) -> None:
        self._queue.append(post)
        self._send()

    def _failed(self, post: _Post, message: str) -> Rendered:
        post.error = f"could not be formatted: {message}"
        Problem(
            display(post.source),
            None,
            f"citations {post.error}",
            "check the entries it cites (their braces above all); the citations are marked",
        ).log(self.logger)
        return Rendered([], "", [])

    # The site-wide page and the feeds ---------------------------------------------------------

    def clean_feed(self, feed) -> None:
        """Feeds get citations without previews, linked to the post's own page."""
        for item in feed.items:
            for name in ("description", "content"):
                if item.get(name):
                    item[name] = markup.for_feeds(item[name], item["link"])

    def finish(self) -> None:
        """The notes, the cache written, the engine stopped, and what was done."""
        for key, note in [*self.index.notes, *self._take_notes()]:
            if key in self.cited:
                note.note(self.logger)
        engine, self._engine = self._engine, None
        if engine is not None:
            engine.close()
        self.cache.save(prune=self.settings.get("PLUGIN_CACHE_PRUNE", True))
        uncited = [k for k in self.index.entries if k not in self.cited]
        started = engine.started if engine is not None else 0
        self.logger.info(
            "citations: %d %s formatted (%d citeproc call%s), %d from the cache; %s",
            self.formatted,
            "post" if self.formatted == 1 else "posts",
            self.calls,
            "" if self.calls == 1 else "s",
            self.from_cache,
            f"pandoc started {started} time{'s' if started != 1 else ''}"
            if started
            else "pandoc not started",
            extra={
                "citations_report": {
                    "files": [display(p) for p in self._bib_paths()],
                    "entries": len(self.index.entries),
                    "cited": list(self.cited),
                    "unknown": list(self.unknown),
                    "uncited": uncited,
                }
            },
        )

    def close(self) -> None:
        if self._engine is not None:
            self._engine.close()
            self._engine = None


def _pandoc_line(message: str) -> int | None:
    match = re.search(r"\(line (\d+), column \d+\)", message)
    return int(match.group(1)) if match else None


def _engine_version() -> str:
    from .pandoc_binary import PandocMissing, pandoc_version

    try:
        return pandoc_version()
    except PandocMissing:
        return "no pandoc"  # nothing in the cache matches; formatting then says why


def _generators(pelican):
    from .page import CiteFilesGenerator, ReferencesPageGenerator

    build = CitationsBuild.of(pelican)
    if build is None:
        return ()
    return (ReferencesPageGenerator, CiteFilesGenerator) if build.page_save_as else (
        CiteFilesGenerator,)  # fmt: skip


def _feed_generated(context, feed) -> None:
    build = CitationsBuild.of(context)
    if build is not None:
        build.clean_feed(feed)


def register() -> None:
    """Pelican's entry point: the build followed, the References page and feeds added."""
    CitationsBuild.connect()
    signals.get_generators.connect(_generators)
    signals.feed_generated.connect(_feed_generated)
