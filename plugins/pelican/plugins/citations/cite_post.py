"""A post as a work a reader cites: its BibTeX, RIS and the data of its page's metadata.

The BibTeX entry is the one source: the citations engine formats it in the site's
style for the "Cite this post" box (so the post is cited as the posts cite others),
reads it into CSL JSON for the CSL-JSON download, and the same fields make the RIS
record, the Highwire Press ``citation_*`` tags that Google Scholar and Zotero read,
and the schema.org JSON-LD.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from html import unescape

_TAGS = re.compile(r"<[^>]+>")
_BIBTEX_SPECIAL = re.compile(r"([{}\\#$%&_^~])")


@dataclass(frozen=True)
class PostWork:
    """What a citation of a post needs."""

    key: str
    title: str
    authors: tuple[str, ...]  # as written: "Chris Mills"
    date: datetime
    site: str
    url: str  # the post's public address ("" when the site has none yet)
    modified: datetime | None = None

    @property
    def names(self) -> list[tuple[str, str]]:
        """(family, given) of each author: the last word is the family name, unless the
        name is written "Family, Given"."""
        found = []
        for name in self.authors:
            if "," in name:
                family, _, given = name.partition(",")
            else:
                given, _, family = name.strip().rpartition(" ")
            found.append((family.strip(), given.strip()))
        return found


@dataclass
class CiteAs:
    """What a reader needs to cite a post (``article.cite_as``)."""

    entry: str  # the post formatted in the site's style (HTML)
    files: dict[str, tuple[str, str, str]]  # kind -> (file, address, text)
    highwire: list[tuple[str, str]]
    json_ld: dict


def plain(text: str) -> str:
    """A title or name as plain text: no tags, entities read, one line."""
    return " ".join(unescape(_TAGS.sub("", str(text))).split())


def key_for(slug: str, date: datetime) -> str:
    """The post's citation key: its slug's letters and digits, and its year."""
    ascii_slug = unicodedata.normalize("NFKD", slug).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9]+", "", ascii_slug.title())[:40] or "post"
    return f"{stem[0].lower()}{stem[1:]}{date.year}"


def _braced(text: str) -> str:
    return "{" + _BIBTEX_SPECIAL.sub(r"\\\1", text) + "}"


def bibtex(work: PostWork) -> str:
    """The post as a BibTeX ``@online`` entry (biblatex's type for a web page)."""
    authors = " and ".join(
        f"{family}, {given}" if given else family for family, given in work.names
    )
    fields = [
        ("author", authors),
        ("title", work.title),
        ("date", work.date.strftime("%Y-%m-%d")),
        ("year", str(work.date.year)),
        ("organization", work.site),
        ("url", work.url),
    ]
    body = ",\n".join(f"  {name} = {_braced(value)}" for name, value in fields if value)
    return f"@online{{{work.key},\n{body}\n}}\n"


def ris(work: PostWork) -> str:
    """The post as an RIS record (type BLOG), for EndNote, Zotero, Mendeley."""
    lines = ["TY  - BLOG", f"TI  - {work.title}"]
    lines += [
        f"AU  - {family}, {given}" if given else f"AU  - {family}" for family, given in work.names
    ]
    lines += [f"PY  - {work.date.year}", f"DA  - {work.date.strftime('%Y/%m/%d')}",
              f"T2  - {work.site}"]  # fmt: skip
    if work.url:
        lines.append(f"UR  - {work.url}")
    lines.append("ER  - ")
    return "\r\n".join(line.replace("\n", " ") for line in lines) + "\r\n"


def highwire(work: PostWork) -> list[tuple[str, str]]:
    """The Highwire Press tags (name, content) that Google Scholar and Zotero read."""
    tags = [("citation_title", work.title)]
    tags += [("citation_author", f"{family}, {given}" if given else family)
             for family, given in work.names]  # fmt: skip
    tags += [("citation_publication_date", work.date.strftime("%Y/%m/%d")),
             ("citation_journal_title", work.site)]  # fmt: skip
    if work.url:
        tags.append(("citation_fulltext_html_url", work.url))
    return tags


def json_ld(work: PostWork, cited: list[dict], image: str = "") -> dict:
    """schema.org's BlogPosting for the post, with the works it cites."""
    data = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": work.title,
        "author": [{"@type": "Person", "name": name} for name in work.authors],
        "datePublished": work.date.isoformat(),
        "dateModified": (work.modified or work.date).isoformat(),
        "publisher": {"@type": "Organization", "name": work.site},
        "isPartOf": {"@type": "Blog", "name": work.site},
    }
    if work.url:
        data["url"] = data["mainEntityOfPage"] = work.url
    if image:
        data["image"] = image
    if cited:
        data["citation"] = cited
    return data


def cited_work(entry_html: str) -> dict:
    """A work a post cites, from its formatted entry: its text, and its DOI or address."""
    work = {"@type": "CreativeWork", "name": plain(entry_html)}
    links = re.findall(r'href="([^"]+)"', entry_html)
    doi = next((unescape(h) for h in links if "doi.org/" in h), "")
    if doi:
        work["sameAs"] = doi
        work["identifier"] = doi.split("doi.org/", 1)[1]
    elif links:
        work["url"] = unescape(links[0])
    return work
