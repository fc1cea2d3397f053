"""Checks of a built site, read from its files as a browser and a feed reader would.

Used by the tests, by ``invoke check`` and by ``invoke publish`` before anything
is deployed: a broken link, a missing asset, a feed that does not parse or a
page without a title or canonical URL stops a deployment.
"""

from __future__ import annotations

import argparse
import posixpath
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import feedparser
import lxml.html

# Attributes that point at another resource, by element.
LINK_ATTRIBUTES = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "script": ("src",),
    "iframe": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "object": ("data",),
    "form": ("action",),
}
FEED_SUFFIXES = (".atom.xml", ".rss.xml")
# Pages that need no canonical URL: the 404 page is served at every missing address.
NO_CANONICAL = {"404.html"}


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the built site, by output-relative path."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass
class _Page:
    ids: set[str]


class SiteChecker:
    """Checks one output folder, built for ``site_url`` (absolute, or '' for relative)."""

    def __init__(self, output: Path, site_url: str = "") -> None:
        self.output = output.resolve()
        self.site_url = site_url.rstrip("/")
        split = urlsplit(self.site_url)
        self.origin = f"{split.scheme}://{split.netloc}" if split.netloc else ""
        self.base_path = (split.path.rstrip("/") + "/") if split.netloc else "/"
        self._pages: dict[Path, _Page | None] = {}

    # Reading the output

    def html_files(self) -> list[Path]:
        return sorted(self.output.rglob("*.html"))

    def feed_files(self) -> list[Path]:
        return sorted(p for p in self.output.rglob("*.xml") if p.name.endswith(FEED_SUFFIXES))

    def rel(self, path: Path) -> str:
        return path.relative_to(self.output).as_posix()

    def page_url(self, path: Path) -> str:
        """The public URL a file is served at (a folder's index.html as the folder)."""
        rel = self.rel(path)
        if rel == "index.html":
            rel = ""
        elif rel.endswith("/index.html"):
            rel = rel[: -len("index.html")]
        return f"{self.origin}{self.base_path}{rel}"

    def _parse(self, path: Path) -> lxml.html.HtmlElement | None:
        try:
            return lxml.html.fromstring(path.read_bytes())
        except (lxml.etree.ParserError, ValueError):
            return None

    def _ids(self, path: Path) -> set[str] | None:
        if path not in self._pages:
            tree = self._parse(path)
            self._pages[path] = None if tree is None else _Page(_all_ids(tree))
        page = self._pages[path]
        return None if page is None else page.ids

    # Resolving links

    def target_of(self, url: str) -> Path | None:
        """The output file an absolute URL names, or None if it is not on this site."""
        split = urlsplit(url)
        if split.scheme not in ("http", "https", "") or (
            split.netloc and f"{split.scheme}://{split.netloc}" != self.origin
        ):
            return None
        path = unquote(split.path)
        if not path.startswith(self.base_path):
            return None
        rel = posixpath.normpath(path[len(self.base_path) :]) if path != self.base_path else ""
        if rel in ("", "."):
            return self.output / "index.html"
        if rel.startswith(".."):
            return self.output / "__outside_the_site__"
        target = self.output / rel
        if path.endswith("/") or target.is_dir():
            target = target / "index.html"
        return target

    def check_page_links(self, path: Path, tree: lxml.html.HtmlElement) -> Iterator[Problem]:
        base = self.page_url(path)
        where = self.rel(path)
        for url in _links(tree):
            if url.startswith(("mailto:", "tel:", "data:", "javascript:")):
                continue
            absolute = urljoin(base, url)
            without_fragment, fragment = urldefrag(absolute)
            target = self.target_of(without_fragment)
            if target is None:
                continue
            if not target.is_file():
                yield Problem(where, f"broken link to {url} (no file {self.rel_or_name(target)})")
                continue
            if fragment and target.suffix == ".html":
                ids = self._ids(target)
                if ids is not None and unquote(fragment) not in ids:
                    yield Problem(where, f"link to {url}: no element with id '{fragment}'")

    def rel_or_name(self, target: Path) -> str:
        try:
            return self.rel(target)
        except ValueError:
            return str(target)

    def check_page_head(self, path: Path, tree: lxml.html.HtmlElement) -> Iterator[Problem]:
        where = self.rel(path)
        title = tree.findtext(".//title")
        if not title or not title.strip():
            yield Problem(where, "page has no <title>")
        if where not in NO_CANONICAL and not tree.xpath("//link[@rel='canonical']/@href"):
            yield Problem(where, 'page has no <link rel="canonical">')

    def check_feed(self, path: Path) -> Iterator[Problem]:
        where = self.rel(path)
        parsed = feedparser.parse(path.read_bytes())
        if parsed.bozo:
            yield Problem(where, f"feed does not parse: {parsed.bozo_exception}")
            return
        if not parsed.entries:
            yield Problem(where, "feed has no entries")
        for entry in parsed.entries:
            for content in entry.get("content", []) or [{"value": entry.get("summary", "")}]:
                tree = _fragment(content["value"])
                if tree is None:
                    continue
                for url in _links(tree):
                    if not urlsplit(url).scheme:
                        yield Problem(
                            where, f"entry '{entry.get('title', '?')}' has a relative URL: {url}"
                        )

    def run(self) -> list[Problem]:
        problems: list[Problem] = []
        for path in self.html_files():
            tree = self._parse(path)
            if tree is None:
                problems.append(Problem(self.rel(path), "page is empty or not HTML"))
                continue
            self._pages[path] = _Page(_all_ids(tree))
            problems.extend(self.check_page_head(path, tree))
            problems.extend(self.check_page_links(path, tree))
        for path in self.feed_files():
            problems.extend(self.check_feed(path))
        return sorted(set(problems))


def _all_ids(tree: lxml.html.HtmlElement) -> set[str]:
    ids = set(tree.xpath("//@id"))
    ids.update(tree.xpath("//a/@name"))
    return ids


def _links(tree: lxml.html.HtmlElement) -> Iterable[str]:
    for element in tree.iter(*LINK_ATTRIBUTES):
        for attribute in LINK_ATTRIBUTES[element.tag]:
            value = element.get(attribute)
            if not value:
                continue
            if attribute == "srcset":
                for candidate in value.split(","):
                    if candidate.strip():
                        yield candidate.split()[0]
            else:
                yield value.strip()


def _fragment(html: str) -> lxml.html.HtmlElement | None:
    if not html.strip():
        return None
    try:
        return lxml.html.fragment_fromstring(html, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return None


def check_site(output: Path, site_url: str = "") -> list[Problem]:
    """Every problem found in the built site at ``output``."""
    return SiteChecker(Path(output), site_url).run()


def main(argv: list[str] | None = None) -> int:
    """Check a built site and print each problem; 1 if any."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path, help="the built site's folder")
    parser.add_argument("--site-url", default="", help="the SITEURL it was built with")
    args = parser.parse_args(argv)
    problems = check_site(args.output, args.site_url)
    for problem in problems:
        print(problem)
    pages = len(list(args.output.rglob("*.html")))
    print(
        f"checked {pages} pages: {len(problems) or 'no'} problem{'s' if len(problems) != 1 else ''}"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
