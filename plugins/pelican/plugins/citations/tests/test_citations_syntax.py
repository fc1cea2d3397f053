"""pandoc's citation syntax: each form, and text that must stay as written."""

from __future__ import annotations

import html
import json

import markdown
import pytest

from pelican.plugins.citations.build import PLACEHOLDER
from pelican.plugins.citations.markdown_ext import PLACEHOLDER_ATTRIBUTE, CitationsExtension
from pelican.plugins.citations.syntax import IN_TEXT, Cluster, parse_bracketed, parse_in_text


def placeholders(source: str) -> list[tuple[Cluster, str]]:
    """Each citation found: the works it cites, and the text as written (what pandoc reads)."""
    out = markdown.markdown(source, extensions=[CitationsExtension(), "extra"])
    found = PLACEHOLDER.findall(out)  # as the plugin reads them back
    return [(Cluster.from_json(json.loads(html.unescape(p))), html.unescape(t)) for p, t in found]


def clusters(source: str) -> list[Cluster]:
    return [cluster for cluster, _ in placeholders(source)]


@pytest.mark.parametrize(
    ("source", "keys", "in_text", "written"),
    [
        ("@reason2000 says", ["reason2000"], True, "@reason2000"),
        ("as shown [@reason2000].", ["reason2000"], False, "[@reason2000]"),
        ("[@reason2000, p. 768]", ["reason2000"], False, "[@reason2000, p. 768]"),
        (
            "[see @reason2000; @russell1912, ch. 3]",
            ["reason2000", "russell1912"],
            False,
            "[see @reason2000; @russell1912, ch. 3]",
        ),
        ("[-@reason2000]", ["reason2000"], False, "[-@reason2000]"),
        ("@reason2000 [p. 769] says", ["reason2000"], True, "@reason2000 [p. 769]"),
        ("[@doe99, pp. 33-35, 38-39 and *passim*]", ["doe99"], False, None),
        ("[@doe99, sec. {iv, 2}]", ["doe99"], False, None),
        ("@{odd key} says", ["odd key"], True, "@{odd key}"),
        ("**@k** (bold)", ["k"], True, "@k"),
        (
            "@munro2011 [-@spiegelhalter2005] show",
            ["munro2011", "spiegelhalter2005"],
            True,
            "@munro2011 [-@spiegelhalter2005]",
        ),
        ("Ends with a key: @smith04.", ["smith04"], True, "@smith04"),
    ],
)
def test_each_form(source, keys, in_text, written):
    [(cluster, text)] = placeholders(source)
    assert cluster == Cluster(tuple(keys), in_text)
    assert text == (written or source)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("@smith04.", "smith04"),  # a full stop after a key is not part of it
        ("@doe:2020a,", "doe:2020a"),
        ("@ojo_j.-o._repetitive_2013", "ojo_j"),  # punctuation only before a letter or digit
        ("@a--b", "a"),
        ("@doi:10//x", "doi:10//x"),  # ':' and '/' before a '/'
        ("@Müller2019", "Müller2019"),
    ],
)
def test_keys_end_where_pandoc_ends_them(text, key):
    assert IN_TEXT.search(text).group("plain") == key


@pytest.mark.parametrize(
    "source",
    [
        "Write to doe@example.com today.",
        "See https://example.org/@user/status/1 for it.",
        "See <https://example.org/@user> for it.",
        "Mail <doe@example.com>.",
        r"An escaped \@reason2000 stays.",
        "Code `@reason2000` stays.",
        "Code `[@reason2000]` stays.",
        "    @reason2000 in an indented code block",
        "```\n[@reason2000]\n@reason2000\n```",
        "~~~python\nx = '@reason2000'\n~~~",
        "A [link with @x in it](https://example.org).",
        "[@reason2000]: https://example.org/definition",
        "Price @ £5 each, at@least",
        "A lone @ sign",
    ],
)
def test_no_false_positives(source):
    out = markdown.markdown(source, extensions=[CitationsExtension(), "extra"])
    if "link with" in source:
        assert "<a href" in out  # the link stays a link; a citation inside it is pandoc's too
        return
    assert PLACEHOLDER_ATTRIBUTE not in out
    if "escaped" in source:
        assert "An escaped @reason2000 stays." in out


def test_bracketed_without_a_key_is_not_a_citation():
    assert parse_bracketed("see above") is None
    assert parse_bracketed("@a; no key here") is None
    assert parse_in_text("k") == Cluster(("k",), in_text=True)
