"""The HTML readers get: linked citations with a preview, and the References section.

A citation links each cited work to its entry at the foot of the post. The full
reference shows beside it on hover and on keyboard focus, with CSS alone (see
the theme's stylesheet): the preview is a hidden sibling of the link, tied to it
by aria-describedby so that screen readers announce it too. Feed readers get
neither CSS nor previews: ``for_feeds`` removes them from feed content.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Sequence

from .model import FormattedDocument
from .syntax import Cluster

_TAG_A = re.compile(r"</?a\b[^>]*>")
_BLOCK = re.compile(r"<(/?)div\b")
PREVIEW = re.compile(r'<span class="cite-preview"[^>]*>.*?</span><!--/preview-->', re.DOTALL)


def entry_anchor(key: str) -> str:
    """The id of a work's entry: pandoc's ``ref-KEY``, made safe for an id."""
    return "ref-" + re.sub(r"[^\w:.-]", "_", key)


def inline_preview(entry_html: str) -> str:
    """An entry as phrasing content: its links as text, its blocks as spans."""
    return _BLOCK.sub(r"<\1span", _TAG_A.sub("", entry_html)).replace("</div>", "</span>")


def render_cluster(
    cluster: Cluster,
    segments: Sequence[tuple[int | None, str]],
    entries: dict[str, str],
    id_prefix: str,
) -> str:
    """One citation, each cited work linked to its entry and previewed."""
    parts = []
    for index, text in segments:
        if index is None:
            parts.append(text)
            continue
        key = cluster.items[index].key
        preview_id = f"{id_prefix}-{index}"
        parts.append(
            f'<span class="cite"><a class="cite-ref" role="doc-biblioref" '
            f'href="#{entry_anchor(key)}" '
            f'aria-describedby="{preview_id}">{text}</a>'
            f'<span class="cite-preview" role="tooltip" id="{preview_id}" data-pagefind-ignore>'
            f"{inline_preview(entries.get(key, ''))}</span><!--/preview--></span>"
        )
    keys = " ".join(item.key for item in cluster.items)
    return f'<span class="citation" data-cites="{html.escape(keys)}">{"".join(parts)}</span>'


def render_error(source: str, message: str) -> str:
    """A citation that could not be made, left as written and visibly marked."""
    return (
        f'<span class="citation citation-error" title="{html.escape(message)}">'
        f"<mark>{html.escape(source)}</mark></span>"
    )


_LEFT_MARGIN = re.compile(r'<div class="csl-left-margin">.*?</div>', re.DOTALL)


def ascii_html(text: str) -> str:
    """Non-ASCII characters as character references, as Python-Markdown's smarty writes
    its quotes: the page reads the same, and a post's HTML, ASCII as Markdown makes it,
    stays one byte a character in memory (one ‘ makes Python store every character in two).
    """
    return text if text.isascii() else text.encode("ascii", "xmlcharrefreplace").decode("ascii")


def without_label(entry_html: str) -> str:
    """An entry without a numeric style's [n], which only means something in its post."""
    return _LEFT_MARGIN.sub("", entry_html)


def render_references(document: FormattedDocument, heading: str) -> str:
    """The References section at the foot of a post, in the style's order."""
    classes = "csl-bib-body" + (" hanging-indent" if document.hanging_indent else "")
    rows = "\n".join(
        f'<div id="{entry_anchor(key)}" class="csl-entry" role="listitem">{text}</div>'
        for key, text in document.entries
    )
    return (
        f'\n<section class="references" aria-labelledby="references-heading" '
        f"data-pagefind-ignore>\n"
        f'<h2 id="references-heading">{html.escape(heading)}</h2>\n'
        f'<div class="{classes}" role="list">\n{rows}\n</div>\n</section>\n'
    )


_SELF_LINK = re.compile(r'(<a class="cite-ref" role="doc-biblioref" href=")#')


@functools.lru_cache(maxsize=4096)  # a post is in several feeds: all posts, its tags, ...
def for_feeds(text: str, page_url: str) -> str:
    """Content for feeds: no hover previews, and links to entries made absolute."""
    text = PREVIEW.sub("", text)
    return _SELF_LINK.sub(lambda m: m.group(1) + html.escape(page_url) + "#", text)
