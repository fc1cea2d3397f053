"""The site-wide References page: every cited work, with the posts that cite it."""

from __future__ import annotations

from pelican.generators import Generator


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
    """Writes CITATIONS_PAGE_SAVE_AS with the theme's ``references`` template."""

    def generate_context(self) -> None:
        pass  # the citations are gathered while the posts are read

    def generate_output(self, writer) -> None:
        from . import current

        citations = current()
        if citations is None or not citations.page_save_as:
            return
        writer.write_file(
            citations.page_save_as,
            _JoinedAsItGoes(self.get_template("references")),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            references=citations.site_references(),
            page_name=citations.page_save_as.removesuffix("index.html").rstrip("/"),
            url=citations.page_url,
            template_name="references",
        )
