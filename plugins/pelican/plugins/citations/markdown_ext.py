"""Python-Markdown extension: pandoc citations become placeholders.

Runs as inline patterns, so code spans and code blocks are never touched, and
``\\@`` is an escaped at-sign. Each citation becomes
``<span data-citation="{json}">as written</span>``: a function of the post's
text alone, so that Pelican's content cache may keep it, and the plugin fills
it in after reading, when the bibliography and the style are known.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

from .syntax import IN_TEXT, Cluster, parse_bracketed, parse_in_text

PLACEHOLDER_ATTRIBUTE = "data-citation"

# [ ... @key ... ] not followed by ( [ or : (links, references, definitions).
BRACKETED = r"\[(?P<inner>[^\[\]@]*@[^\[\]]*)\](?![(\[:])"
# @key, and @key followed by a bracket: a locator (@doe99 [p. 33]) or more cites.
IN_TEXT_PATTERN = IN_TEXT.pattern
IN_TEXT_BRACKET_PATTERN = IN_TEXT.pattern + r" \[(?P<bracket>[^\[\]]*)\](?![(\[:])"


def placeholder(cluster: Cluster, source: str) -> etree.Element:
    """A span holding the parsed citation, formatted later with the post's others."""
    element = etree.Element("span")
    element.set(PLACEHOLDER_ATTRIBUTE, json.dumps(cluster.to_json(), separators=(",", ":")))
    element.text = AtomicString(source)  # not processed again by other patterns
    return element


class BracketedCitation(InlineProcessor):
    """[see @key, p. 4; @other]: a bracketed cluster of citations."""

    def handleMatch(self, m, data):
        cluster = parse_bracketed(m.group("inner"))
        if cluster is None:
            return None, None, None
        return placeholder(cluster, m.group(0)), m.start(0), m.end(0)


class InTextCitation(InlineProcessor):
    """@key or @key [p. 4]: a citation in the text, the author's name in the sentence."""

    def handleMatch(self, m, data):
        key = m.group("braced") or m.group("plain")
        bracket = m.groupdict().get("bracket")
        cluster = parse_in_text(key, bracket)
        return placeholder(cluster, m.group(0)), m.start(0), m.end(0)


class CitationsExtension(Extension):
    """Registers the two citation patterns above links and emphasis."""

    def extendMarkdown(self, md: Markdown) -> None:
        if "@" not in md.ESCAPED_CHARS:
            md.ESCAPED_CHARS.append("@")
        # Below backticks (190) and escapes (180), above links (160); an in-text
        # citation claims the bracket after it before bracketed citations do.
        md.inlinePatterns.register(
            InTextCitation(IN_TEXT_BRACKET_PATTERN, md), "citation_in_text_bracket", 176
        )
        md.inlinePatterns.register(BracketedCitation(BRACKETED, md), "citation_bracketed", 175)
        md.inlinePatterns.register(InTextCitation(IN_TEXT_PATTERN, md), "citation_in_text", 174)


def makeExtension(**kwargs) -> CitationsExtension:
    """Python-Markdown's entry point for the extension by name."""
    return CitationsExtension(**kwargs)
