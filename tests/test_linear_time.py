"""Every pattern the build matches against text the author (or a .bib, or a data file) can
hold takes time in proportion to the text: 100 KB of the worst input for each finishes
well within a second. (Each of these once took seconds, or would have, at this size.)"""

from __future__ import annotations

import time

import markdown
import pytest
from frontmatter.check import _FIELD, check

from blogtools import jinja_filters
from citations import markup
from citations.bibfile import _ENTRY_HEAD, _PARENT_VALUE, SWALLOWED_FIELD
from citations.build import PLACEHOLDER as CITATION_PLACEHOLDER
from citations.markdown_ext import BRACKETED, IN_TEXT_BRACKET_PATTERN, CitationsExtension
from citations.syntax import IN_TEXT, ITEM, parse_bracketed
from linked_files.links import ATTRIBUTE, TAG, links, with_sizes
from sampling_charts.glue import PLACEHOLDER as CHART_PLACEHOLDER
from sampling_charts.markdown_ext import FENCE, ChartsExtension
from sampling_charts.spec import key_line

SIZE = 100_000


def timed(function, *arguments) -> float:
    start = time.perf_counter()
    function(*arguments)
    return time.perf_counter() - start


PATTERNS = {
    "citation in text": (IN_TEXT.search, "@" + "a." * (SIZE // 2)),
    "citation item": (ITEM.match, " " * SIZE + "x"),
    "bracketed citation": (__import__("re").compile(BRACKETED).search, "[" + "@a " * (SIZE // 3)),
    "in-text with bracket": (
        __import__("re").compile(IN_TEXT_BRACKET_PATTERN).search,
        "@a [" + " " * SIZE,
    ),
    "citation placeholder": (
        CITATION_PLACEHOLDER.search,
        '<span data-citation="x">' + "<span>" * (SIZE // 6),
    ),
    "chart placeholder": (CHART_PLACEHOLDER.search, '<div data-chart="' + "x" * SIZE),
    "chart fence": (FENCE.match, "```" + " " * SIZE + "`"),
    "chart key line": (lambda text: key_line(text, "data"), (" " * SIZE + "\n") * 1),
    "missing comma": (SWALLOWED_FIELD.search, "\n" + " " * SIZE + "x"),
    "entry head": (_ENTRY_HEAD.match, " " * SIZE),
    "crossref value": (_PARENT_VALUE.search, "crossref = {" + "a" * SIZE),
    "front matter field": (_FIELD.match, "a" * SIZE + " " * SIZE),
    "a tag": (TAG.search, "<a" + " href=x" * (SIZE // 7)),
    "an attribute": (ATTRIBUTE.search, " href=" * (SIZE // 6)),
    "a marker": (markup.MARKER.search, "<!--cite:" + "1" * SIZE),
}
CUTS = {
    "a preview": (markup.for_feeds, '<span class="cite-preview">' * (SIZE // 27), "https://x"),
    "a numeric label": (markup.without_label, '<div class="csl-left-margin">' * (SIZE // 29)),
    "what a reader skips": (jinja_filters.reading_minutes, '<details class="chart-data"' * 4000),
}


@pytest.mark.parametrize("name", PATTERNS)
def test_each_pattern_takes_linear_time(name):
    search, text = PATTERNS[name]
    assert timed(search, text) < 1, name


@pytest.mark.parametrize("name", CUTS)
def test_each_element_cut_takes_linear_time(name):
    function, *arguments = CUTS[name]
    assert timed(function, *arguments) < 1, name


# Not "[" * SIZE: Python-Markdown's own inline processing takes quadratic time on a run of
# opening brackets (Python-Markdown/markdown#798, open upstream), with or without ours.
@pytest.mark.parametrize(
    "text",
    [
        "[@a] " * (SIZE // 5),
        "@" * SIZE,
        "[see @a, p. " + "1-" * (SIZE // 2) + "]",
        "`" * SIZE,
        "```chart\n" + "x = 1\n" * (SIZE // 6),
        "<" * SIZE,
        "{static}" * (SIZE // 8),
    ],
)
def test_markdown_with_our_extensions_takes_linear_time(text):
    convert = markdown.Markdown(extensions=[CitationsExtension(), ChartsExtension(), "extra"])
    assert timed(convert.convert, text) < 2  # Python-Markdown's own work, and ours


def test_the_rest_of_the_text_handling_takes_linear_time():
    html = "<p>" + "<img src='{static}/x.png' " * (SIZE // 30) + "</p>"
    assert timed(lambda: list(links(html, ""))) < 1
    assert timed(with_sizes, html, "", lambda path: (1, 1)) < 1
    assert timed(parse_bracketed, "@a; " * (SIZE // 4)) < 1
    assert timed(check, "Title: " + "x" * SIZE + "\n\n", "p.md", "p.md") < 1
    assert timed(jinja_filters.plain_text, "<p>" + "a " * SIZE + "</p>") < 1
    assert timed(jinja_filters.reading_minutes, '<span class="cite-preview">' * 5000) < 1
