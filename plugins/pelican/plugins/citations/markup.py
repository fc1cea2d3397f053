"""The HTML readers get: pandoc's citations made safe, linked to their entries and previewed.

pandoc writes each citation and each entry of a reference list (engine.lua marks
where each begins); here that HTML is cleaned with nh3 to the little a reference
needs (emphasis, small capitals, sub- and superscripts, links to http(s) addresses
and to the post's own entries), whatever a .bib held, and given what is ours: each
cited work links to its entry at the foot of the post, and the full reference
shows beside it on hover and on keyboard focus, with CSS alone (see the theme's
stylesheet). The preview is a hidden sibling of the link, tied to it by
aria-describedby so that screen readers announce it too. Feed readers get neither
CSS nor previews: ``for_feeds`` removes them from feed content.
"""

from __future__ import annotations

import functools
import html
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from blogsupport.htmlcut import cut

MARKER = re.compile(r"<!--(?:(cite|entry):(\d+):(\d+)|end)-->")
_LINK = re.compile(r'<a href="([^"]*)">')
_TAG_A = re.compile(r"</?a\b[^>]*>")
_BLOCK = re.compile(r"<(/?)div\b")
LEFT_MARGIN = ('<div class="csl-left-margin">', "</div>")  # a numeric style's [n]
PREVIEW = ('<span class="cite-preview"', "</span><!--/preview-->")
_SELF_LINK = re.compile(r'(<a class="cite-ref" role="doc-biblioref" href=")#')

# What a formatted reference may hold: what CSL styles and pandoc's writer produce.
TAGS = {"a", "b", "br", "code", "div", "em", "i", "q", "span", "strong", "sub", "sup"}
CLASSES = {
    "span": {
        "nocase",
        "smallcaps",
        "math",
        "inline",
        "display",
        "csl-left-margin",
        "csl-right-inline",
        "csl-indent",
    },
    "div": {"csl-left-margin", "csl-right-inline", "csl-block", "csl-indent"},
    "code": set(),
}


@dataclass
class Formatted:
    """One post's citations and reference list as pandoc wrote them, cleaned."""

    citations: list[str]  # each citation's HTML, in the order written
    entries: list[tuple[str, str]]  # (key, entry HTML), in the style's order
    hanging_indent: bool


def clean(fragment: str, own_links: bool) -> str:
    """``fragment`` with nothing but the markup of a reference: every other tag and
    attribute goes, and a link stays a link only to an http(s) address (or, with
    ``own_links``, to an entry of the post)."""
    import nh3

    cleaned = nh3.clean(
        fragment,
        tags=TAGS,
        attributes={"a": {"href"}},
        allowed_classes=CLASSES,
        url_schemes={"http", "https"},
        link_rel=None,
        strip_comments=True,
    )

    def keep(match: re.Match) -> str:
        href = html.unescape(match.group(1))
        if href.startswith(("http://", "https://")) or (own_links and href.startswith("#ref-")):
            return match.group(0)
        return "<a>"  # no address: the text stays, as text

    return _LINK.sub(keep, cleaned).strip()


def split(combined: str, posts: Sequence[dict]) -> list[Formatted]:
    """engine.lua's answer cut into each post's citations and entries, cleaned."""
    results = [Formatted([], [], "hanging-indent" in (post.get("classes") or "")) for post in posts]
    marks = list(MARKER.finditer(combined))
    for here, after in itertools.pairwise(marks):
        if not here.group(1):
            continue
        kind, number, index = here.group(1), int(here.group(2)), int(here.group(3))
        text = combined[here.end() : after.start()]
        if kind == "cite":
            results[number].citations.append(clean(text, own_links=True))
        else:
            key = posts[number]["entries"][index]
            results[number].entries.append((key, clean(text, own_links=False)))
    return results


def entry_anchor(key: str) -> str:
    """The id of a work's entry: pandoc's ``ref-KEY``, made safe for an id and a fragment."""
    return "ref-" + re.sub(r"[^\w:.-]", "_", key)


def inline_preview(entry_html: str) -> str:
    """An entry as phrasing content: its links as text, its blocks as spans."""
    return _BLOCK.sub(r"<\1span", _TAG_A.sub("", entry_html)).replace("</div>", "</span>")


def render_citation(
    keys: Sequence[str], formatted: str, entries: dict[str, str], id_prefix: str
) -> str:
    """One citation, each cited work linked to its entry and previewed."""
    count = 0

    def linked(match: re.Match) -> str:
        nonlocal count
        href = html.unescape(match.group(1))
        if not href.startswith("#ref-"):
            return match.group(0)
        key = href[len("#ref-") :]
        preview_id = f"{id_prefix}-{count}"
        count += 1
        return (
            f'<span class="cite"><a class="cite-ref" role="doc-biblioref" '
            f'href="#{html.escape(entry_anchor(key))}" aria-describedby="{preview_id}">'
            f"{match.group(2)}</a>"
            f'<span class="cite-preview" role="tooltip" id="{preview_id}" data-pagefind-ignore>'
            f"{inline_preview(entries.get(key, ''))}</span><!--/preview--></span>"
        )

    body = re.sub(r'<a href="([^"]*)">(.*?)</a>', linked, formatted, flags=re.DOTALL)
    cites = html.escape(" ".join(keys))
    return f'<span class="citation" data-cites="{cites}">{body}</span>'


def render_error(source: str, message: str) -> str:
    """A citation that could not be made, left as written and visibly marked."""
    return (
        f'<span class="citation citation-error" title="{html.escape(message)}">'
        f"<mark>{html.escape(source)}</mark></span>"
    )


def ascii_html(text: str) -> str:
    """Non-ASCII characters as character references, as Python-Markdown's smarty writes
    its quotes: the page reads the same, and a post's HTML, ASCII as Markdown makes it,
    stays one byte a character in memory (one ‘ makes Python store every character in two).
    """
    return text if text.isascii() else text.encode("ascii", "xmlcharrefreplace").decode("ascii")


def without_label(entry_html: str) -> str:
    """An entry without a numeric style's [n], which only means something in its post."""
    return cut(entry_html, *LEFT_MARGIN)


def render_references(entries: Sequence[tuple[str, str]], hanging: bool, heading: str) -> str:
    """The References section at the foot of a post, in the style's order."""
    classes = "csl-bib-body" + (" hanging-indent" if hanging else "")
    rows = "\n".join(
        f'<div id="{html.escape(entry_anchor(key))}" class="csl-entry" role="listitem">{text}</div>'
        for key, text in entries
    )
    return (
        f'\n<section class="references" aria-labelledby="references-heading" '
        f"data-pagefind-ignore>\n"
        f'<h2 id="references-heading">{html.escape(heading)}</h2>\n'
        f'<div class="{classes}" role="list">\n{rows}\n</div>\n</section>\n'
    )


@functools.lru_cache(maxsize=4096)  # a post is in several feeds: all posts, its tags, ...
def for_feeds(text: str, page_url: str) -> str:
    """Content for feeds: no hover previews, and links to entries made absolute."""
    text = cut(text, *PREVIEW)
    return _SELF_LINK.sub(lambda m: m.group(1) + html.escape(page_url) + "#", text)
