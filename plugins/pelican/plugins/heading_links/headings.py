"""Every heading of a post given a stable id and a link to itself, for readers who cite.

A Python-Markdown extension (added to the build's Markdown settings when the build
starts) gives each heading of a post an id from its words (Python-Markdown's own
``toc`` slugify; a second heading of the same words gets ``_1``), unless the author
wrote one (``{#id}`` with attr_list), and puts after its words a link to it: shown
when the heading is hovered or the link has the keyboard's focus, read by a screen
reader as "Link to this section", the "#" itself hidden from it.

No settings.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Extension
from markdown.extensions.toc import slugify, unique
from markdown.treeprocessors import Treeprocessor
from pelican import signals

HEADINGS = ("h2", "h3", "h4", "h5", "h6")
NAME = "heading_links"


class HeadingLinks(Treeprocessor):
    """Ids and self-links for a document's headings."""

    def run(self, root: etree.Element) -> None:
        used: set[str] = {e.get("id") for e in root.iter() if e.get("id")}
        for heading in root.iter():
            if heading.tag not in HEADINGS:
                continue
            words = "".join(heading.itertext()).strip()
            anchor = heading.get("id") or unique(slugify(words, "-") or "section", used)
            heading.set("id", anchor)
            last = heading[-1] if len(heading) else None
            if last is not None:
                last.tail = (last.tail or "").rstrip() + " "
            else:
                heading.text = (heading.text or "").rstrip() + " "
            link = etree.SubElement(
                heading,
                "a",
                {"class": "heading-link", "href": f"#{anchor}", "data-pagefind-ignore": "all"},
            )
            mark = etree.SubElement(link, "span", {"aria-hidden": "true"})
            mark.text = "#"
            hidden = etree.SubElement(link, "span", {"class": "visually-hidden"})
            hidden.text = "Link to this section"


class HeadingLinksExtension(Extension):
    """Registers the heading links after attr_list (5), which may set an id first."""

    def extendMarkdown(self, md) -> None:
        md.treeprocessors.register(HeadingLinks(md), NAME, 4)


def makeExtension(**kwargs) -> HeadingLinksExtension:
    """Python-Markdown's entry point for ``extension_configs``."""
    return HeadingLinksExtension(**kwargs)


_LINK = re.compile(r'\s?<a class="heading-link"[^>]*>.*?</a>', re.DOTALL)


def _feed_generated(context, feed) -> None:
    """A feed's entries without the links to their headings (a feed reader shows a page
    of its own, where "#section" leads nowhere)."""
    for item in feed.items:
        for name in ("description", "content"):
            if item.get(name) and "heading-link" in item[name]:
                item[name] = _LINK.sub("", item[name])


def _initialised(pelican) -> None:
    markdown = pelican.settings.setdefault("MARKDOWN", {})
    markdown.setdefault("extension_configs", {}).setdefault(__name__, {})


def register() -> None:
    """Pelican's entry point: the extension added to the build's Markdown settings."""
    signals.initialized.connect(_initialised)
    signals.feed_generated.connect(_feed_generated)
