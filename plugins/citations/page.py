"""The site-wide References page (every cited work, with the posts that cite it), and
each post's citation files (BibTeX, RIS, CSL JSON) beside its page."""

from __future__ import annotations

from pathlib import Path

from jinja2 import ChoiceLoader, FileSystemLoader
from pelican.generators import Generator, PelicanTemplateNotFound

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
        writer.write_file(
            save_as,
            _JoinedAsItGoes(self._template()),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            references=site_references(self.context.get("articles", [])),
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
        for article in self.context.get("articles", []):
            for path, _, text in getattr(article, "cite_as", {}).get("files", {}).values():
                target = (output / path).resolve()
                if not target.is_relative_to(output):
                    continue
                data = text.encode("utf-8")
                if target.is_file() and target.stat().st_size == len(data) and (
                        target.read_bytes() == data):  # fmt: skip
                    continue  # as it was: the preview rewrites nothing a save did not change
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
