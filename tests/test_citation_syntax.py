"""pandoc's citation syntax: each form, and text that must stay as written."""

from __future__ import annotations

import html
import json
import re

import markdown
import pytest

from citations.markdown_ext import PLACEHOLDER_ATTRIBUTE, CitationsExtension
from citations.syntax import CiteItem, Cluster, parse_bracketed, parse_in_text, parse_locator


def clusters(source: str) -> list[Cluster]:
    out = markdown.markdown(source, extensions=[CitationsExtension(), "extra"])
    found = re.findall(rf'{PLACEHOLDER_ATTRIBUTE}="([^"]*)"', out)
    return [Cluster.from_json(json.loads(html.unescape(f))) for f in found]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("@reason2000 says", Cluster((CiteItem("reason2000"),), in_text=True)),
        ("as shown [@reason2000].", Cluster((CiteItem("reason2000"),))),
        ("[@reason2000, p. 768]", Cluster((CiteItem("reason2000", label="page", locator="768"),))),
        (
            "[@reason2000, pp. 768-770]",
            Cluster((CiteItem("reason2000", label="page", locator="768-770"),)),
        ),
        (
            "[see @reason2000; @russell1912, ch. 3]",
            Cluster(
                (
                    CiteItem("reason2000", prefix="see"),
                    CiteItem("russell1912", label="chapter", locator="3"),
                )
            ),
        ),
        ("[-@reason2000]", Cluster((CiteItem("reason2000", suppress_author=True),))),
        (
            "@reason2000 [p. 769] says",
            Cluster((CiteItem("reason2000", label="page", locator="769"),), in_text=True),
        ),
        (
            "[@doe99, pp. 33-35, 38-39 and *passim*]",
            Cluster(
                (CiteItem("doe99", label="page", locator="33-35, 38-39", suffix=" and *passim*"),)
            ),
        ),
        ("[@doe99, 33]", Cluster((CiteItem("doe99", label="page", locator="33"),))),
        ("[@doe99, and elsewhere]", Cluster((CiteItem("doe99", suffix=", and elsewhere"),))),
        ("[@doe99, sec. {iv, 2}]", Cluster((CiteItem("doe99", label="section", locator="iv, 2"),))),
        ("@{odd key} says", Cluster((CiteItem("odd key"),), in_text=True)),
        ("**@k** (bold)", Cluster((CiteItem("k"),), in_text=True)),
        (
            "@munro2011 [-@spiegelhalter2005] show",
            Cluster(
                (CiteItem("munro2011"), CiteItem("spiegelhalter2005", suppress_author=True)),
                in_text=True,
            ),
        ),
        ("Ends with a key: @smith04.", Cluster((CiteItem("smith04"),), in_text=True)),
    ],
)
def test_each_form(source, expected):
    assert clusters(source) == [expected]


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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (" p. 768", ("page", "768", "")),
        (" pp. 768–770", ("page", "768–770", "")),
        (" chap. 3, and note", ("chapter", "3", ", and note")),
        (" para. 61", ("paragraph", "61", "")),
        (" § 4", ("section", "4", "")),
        (" vol. II", ("volume", "II", "")),
        (" 12-15", ("page", "12-15", "")),
        (" emphasis mine", ("", "", ", emphasis mine")),
    ],
)
def test_locators(text, expected):
    assert parse_locator(text) == expected


def test_bracketed_without_a_key_is_not_a_citation():
    assert parse_bracketed("see above") is None
    assert parse_bracketed("@a; no key here") is None
    assert parse_in_text("k").items == (CiteItem("k"),)
