"""The site-wide References page (every cited work, with the posts that cite it), and
each post's citation files (BibTeX, RIS, CSL JSON) beside its page."""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

from jinja2 import ChoiceLoader, FileSystemLoader
from pelican.generators import Generator, PelicanTemplateNotFound

from blogsupport import buildmemory
from blogsupport.linking import link_or_copy
from blogsupport.plugin_settings import cache_folder

from .build import SETTINGS, site_references


class _JoinedAsItGoes:
    """The page's template, its output joined a few thousand pieces at a time.

    Jinja joins a whole page's pieces at once; on a site citing a thousand works
    that is some forty thousand small strings alive together, the largest
    allocation of the build. Pelican asks only for ``render``.
    """

    def __init__(self, template) -> None:
        self.template = template

    def render(self, context) -> str:
        joined, pieces = [], []
        for piece in self.template.generate(context):
            pieces.append(piece)
            if len(pieces) >= 2000:
                joined.append("".join(pieces))
                pieces.clear()
        joined.append("".join(pieces))
        return "".join(joined)


class ReferencesPageGenerator(Generator):
    """Writes CITATIONS_PAGE_SAVE_AS with the theme's ``references`` template (or, for a
    theme without one, the plugin's own), from the reference lists of the published posts."""

    def _template(self):
        try:
            return self.get_template("references")
        except PelicanTemplateNotFound:
            own = FileSystemLoader(str(Path(__file__).with_name("templates")))
            return self.env.overlay(loader=ChoiceLoader([self.env.loader, own])).get_template(
                "references.html"
            )

    def generate_context(self) -> None:
        pass  # the posts' reference lists are made as they are read

    def generate_output(self, writer) -> None:
        save_as = self.settings.get("CITATIONS_PAGE_SAVE_AS", SETTINGS["CITATIONS_PAGE_SAVE_AS"][0])
        url = self.settings.get("CITATIONS_PAGE_URL", SETTINGS["CITATIONS_PAGE_URL"][0])
        if not save_as:
            return
        articles = self.context.get("articles", [])
        memory = buildmemory.of(self.settings)
        if memory is not None:
            # The live preview: while no post's title, date or address changed (the
            # structure), the page again only if what a post cites did.
            cited = [a.metadata.get("citations") for a in articles]
            shown = (memory.structure, save_as, url, cited)
            if memory.get("citations.references") == shown and os.path.isfile(
                os.path.join(self.output_path, save_as)
            ):
                return
            memory["citations.references"] = shown
        writer.write_file(
            save_as,
            _JoinedAsItGoes(self._template()),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            references=site_references(articles),
            page_name=save_as.removesuffix("index.html").rstrip("/"),
            url=url,
            template_name="references",
        )


class CiteFilesGenerator(Generator):
    """Writes each post's ``cite.bib``, ``cite.ris`` and ``cite.json`` beside its page."""

    def generate_context(self) -> None:
        pass

    def generate_output(self, writer) -> None:
        output = Path(self.output_path).resolve()
        written = buildmemory.per_content(self.settings, "citations.files")
        kept = KeptFiles(cache_folder(self.settings) / "cite-files")
        for article in self.context.get("articles", []):
            cite_as = getattr(article, "cite_as", None)
            if cite_as is None:
                continue
            if written is not None and written.get(article) is cite_as:
                continue  # a post the live preview kept: its files are there, as written
            for path, _, text in cite_as.files.values():
                target = (output / path).resolve()
                if target.is_relative_to(output):
                    kept.place(text.encode("utf-8"), target)
            if written is not None:
                written[article] = cite_as
        if self.settings.get("PLUGIN_CACHE_PRUNE", True) and written is None:
            kept.prune()


class KeptFiles:
    """Files kept in the plugins' cache by a digest of their bytes, and linked into the
    output: a build writes a file's bytes once, where linking is a quarter of the cost of
    writing (3,000 citation files a build at 1,000 posts)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[str] = set()
        folder.mkdir(parents=True, exist_ok=True)

    def place(self, data: bytes, target: Path) -> None:
        """``target`` holds ``data``: the kept file linked there (or copied, where links
        cannot go), left alone when it is already that file."""
        name = f"{hashlib.sha256(data).hexdigest()[:32]}{target.suffix}"
        self.used.add(name)
        kept = self.folder / name
        if not kept.is_file():
            temporary = kept.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_bytes(data)
            os.replace(temporary, kept)
        with contextlib.suppress(OSError):
            if os.path.samefile(kept, target):
                return  # as it was: a save leaves untouched what it did not change
        target.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            target.unlink()
        link_or_copy(kept, target)

    def prune(self) -> None:
        """The kept files this build did not use, removed."""
        for path in self.folder.iterdir():
            if path.name not in self.used:
                with contextlib.suppress(OSError):
                    path.unlink()
