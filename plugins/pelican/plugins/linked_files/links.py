"""Links from a document's HTML to files of the content folder: found, resolved, sized.

Pure functions of the HTML and of a content-relative folder. Pelican resolves a
``{static}``, ``{attach}`` or ``{filename}`` link only when a page is written, and
a link to a missing file then says "Unable to find '/images/x.png'", naming neither
the post nor the line; here each link is found as the post is read, so that the
plugin can name both. Tags and attributes are matched by two linear patterns, not
one with nested repetition: a long or broken tag costs its length, no more.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

TAG = re.compile(r"<(?P<name>[A-Za-z][A-Za-z0-9-]*)(?P<rest>[^<>]*)>")
# The attributes Pelican rewrites that can name a file.
ATTRIBUTE = re.compile(
    r"""\b(?P<name>href|src|poster|data)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)')"""
)
INTRASITE = re.compile(r"^[{|](?P<what>static|attach|filename)[|}](?P<value>.*)$", re.DOTALL)
_NOT_A_FILE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//|#|\?|/|$)")  # scheme, site path, ...
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg")


@dataclass(frozen=True)
class Link:
    """One attribute that names a file: ``what`` is static, attach or filename, or ''
    for a plain relative address; ``target`` is the file it names, relative to the
    content folder (None when it would be outside it)."""

    tag: str
    attribute: str
    url: str
    what: str
    target: str | None


def resolve(value: str, relative_dir: str) -> str | None:
    """The content-relative file a link's value names, as Pelican finds it: from the
    content folder when it starts with '/', else from the document's own folder."""
    path = unquote(urlsplit(value).path)
    if path.startswith("/"):
        path = path.lstrip("/")
    else:
        path = posixpath.join(relative_dir.replace("\\", "/"), path)
    path = posixpath.normpath(path) if path else ""
    if path in ("", ".") or path == ".." or path.startswith("../"):
        return None
    return path


def links(html: str, relative_dir: str) -> Iterator[Link]:
    """Every link of ``html`` that names a file, intrasite or plain relative."""
    for tag in TAG.finditer(html):
        if "=" not in tag.group("rest"):
            continue
        for attribute in ATTRIBUTE.finditer(tag.group("rest")):
            url = attribute.group("dq")
            if url is None:
                url = attribute.group("sq")
            intrasite = INTRASITE.match(url)
            if intrasite:
                what, value = intrasite.group("what"), intrasite.group("value")
                yield Link(
                    tag.group("name").lower(),
                    attribute.group("name"),
                    url,
                    what,
                    resolve(value, relative_dir),
                )
            elif not _NOT_A_FILE.match(url):
                yield Link(
                    tag.group("name").lower(),
                    attribute.group("name"),
                    url,
                    "",
                    resolve(url, relative_dir),
                )


def with_sizes(
    html: str, relative_dir: str, size_of: Callable[[str], tuple[int, int] | None]
) -> str:
    """``html`` with each image of the content folder given its width and height (so
    the page does not move as it loads) and lazy loading; an image that has any of
    these attributes keeps what it has."""

    def sized(tag: re.Match) -> str:
        if tag.group("name").lower() != "img":
            return tag.group(0)
        rest = tag.group("rest")
        source = next((a for a in ATTRIBUTE.finditer(rest) if a.group("name") == "src"), None)
        if source is None:
            return tag.group(0)
        url = source.group("dq") if source.group("dq") is not None else source.group("sq")
        intrasite = INTRASITE.match(url)
        if not intrasite or intrasite.group("what") == "filename":
            return tag.group(0)
        target = resolve(intrasite.group("value"), relative_dir)
        present = {m.group(1).lower() for m in re.finditer(r"\b([a-zA-Z-]+)\s*=", rest)}
        extra = []
        if target and not ({"width", "height"} & present):
            size = size_of(target)
            if size:
                extra.append(f'width="{size[0]}" height="{size[1]}"')
        if "loading" not in present:
            extra.append('loading="lazy"')
        if "decoding" not in present:
            extra.append('decoding="async"')
        if not extra:
            return tag.group(0)
        closing = "/" if rest.rstrip().endswith("/") else ""
        body = rest.rstrip()[:-1].rstrip() if closing else rest.rstrip()
        return f"<{tag.group('name')}{body} {' '.join(extra)}{' /' if closing else ''}>"

    if "<img" not in html and "<IMG" not in html:
        return html
    return TAG.sub(sized, html)
