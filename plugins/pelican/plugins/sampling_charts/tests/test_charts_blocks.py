"""Chart blocks: the Markdown extension, the TOML checks, and what is computed and drawn."""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ElementTree

import markdown
import pytest

from pelican.plugins.sampling_charts import spec as specs
from pelican.plugins.sampling_charts.compute import compute
from pelican.plugins.sampling_charts.draw import NARROW, WIDE, draw
from pelican.plugins.sampling_charts.figure import drawing_inches, pixels
from pelican.plugins.sampling_charts.markdown_ext import PLACEHOLDER_ATTRIBUTE, ChartsExtension

SAMPLING = 'kind = "sampling"\nsample = 25\npoor = 0.2\nthreshold = 8'
EXAMPLES = {
    "sampling": SAMPLING,
    "sampling, finite caseload": SAMPLING + "\ncaseload = 120",
    "red-beads": 'kind = "red-beads"',
    "verdict-risk": 'kind = "verdict-risk"\nsamples = [25, 30, 50]\nthreshold = 8\nmark = 0.2',
    "funnel, simulated": 'kind = "funnel"\nunits = 40',
    "intervals": 'kind = "intervals"\nsample = 30\npoor = 0.25',
}


def blocks(source: str) -> list[dict]:
    out = markdown.markdown(source, extensions=[ChartsExtension(), "fenced_code", "meta"])
    return [
        json.loads(html.unescape(m)) for m in re.findall(rf'{PLACEHOLDER_ATTRIBUTE}="([^"]*)"', out)
    ]


def test_a_chart_block_becomes_a_placeholder_with_its_line():
    source = "Title: T\n\nText.\n\n```chart\n" + SAMPLING + "\n```\n\nMore text.\n"
    found = blocks(source)
    assert found == [{"toml": SAMPLING, "line": 6}]


def test_examples_and_other_fences_are_left_alone():
    source = (
        '````markdown\n```chart\nkind = "sampling"\n```\n````\n\n'
        '    ```chart\n    kind = "sampling"\n    ```\n\n'
        "```python\nx = 1\n```\n\n~~~chart\n" + SAMPLING + "\n~~~\n"
    )
    found = blocks(source)
    assert [b["line"] for b in found] == [16]  # only the last, a real fence
    out = markdown.markdown(source, extensions=[ChartsExtension(), "fenced_code"])
    assert '<code class="language-python">' in out


@pytest.mark.parametrize("layout", [WIDE, NARROW], ids=["desktop", "phone"])
@pytest.mark.parametrize("name", EXAMPLES)
def test_every_kind_parses_computes_and_draws(name, layout):
    spec, errors = specs.parse(EXAMPLES[name])
    assert errors == []
    data = compute(spec)
    assert data.alt and data.summary and data.table.rows
    svg = draw(data, layout)
    root = ElementTree.fromstring(svg)
    assert root.tag.endswith("svg")
    # The size the page gives its <img> or <source> is the drawing's own (points → pixels).
    size = (
        float(root.get("width").removesuffix("pt")),
        float(root.get("height").removesuffix("pt")),
    )
    inches = drawing_inches(spec.kind, layout.narrow)
    assert tuple(round(points * 4 / 3) for points in size) == pixels(inches)
    assert len(svg) < 60_000
    text = svg.decode()
    assert "<text" in text  # text stays text
    assert "prefers-color-scheme:dark" in text and "var(--ink)" in text
    assert "Date" not in text and "<metadata>" not in text
    assert draw(compute(specs.parse(EXAMPLES[name])[0]), layout) == svg  # same bytes, always


def _numbers(svg: bytes) -> list[str]:
    """Every number a drawing states in words (legends, labels, direct labels), not its ticks
    (a phone's axis has fewer)."""
    tree = ElementTree.fromstring(svg)
    parents = {child: parent for parent in tree.iter() for child in parent}
    found = []
    for text in tree.iter("{http://www.w3.org/2000/svg}text"):
        node, in_tick = text, False
        while node in parents:
            node = parents[node]
            in_tick = in_tick or re.match(r"[xy]tick_", node.get("id", "")) is not None
        if not in_tick:
            found += re.findall(r"\d+(?:\.\d+)?%?", "".join(text.itertext()))
    return sorted(found)


@pytest.mark.parametrize("name", EXAMPLES)
def test_a_phone_s_drawing_states_the_same_numbers_as_the_desktop_s(name):
    data = compute(specs.parse(EXAMPLES[name])[0])
    desktop, phone = _numbers(draw(data, WIDE)), _numbers(draw(data, NARROW))
    assert desktop and phone == desktop


def test_sampling_numbers_agree_with_the_table_and_words():
    data = compute(specs.parse(SAMPLING)[0])
    adverse = sum(float(r[1]) for r in data.table.rows if r[2] == "adverse")
    assert adverse == pytest.approx(0.1091, abs=0.0005)
    assert "10.9%" in data.summary and "10.9%" in data.alt
    assert data.plot["adverse"] == pytest.approx(0.10912, abs=1e-5)


def test_the_author_s_alt_text_wins():
    spec, _ = specs.parse(SAMPLING + '\nalt = "Mostly fine, sometimes not."')
    assert compute(spec).alt == "Mostly fine, sometimes not."


def test_text_in_a_block_is_data():
    spec, errors = specs.parse(
        'kind = "red-beads"\nunit = "<script>x</script>"\ntitle = "<b>T</b>"'
    )
    assert errors == []
    from pelican.plugins.sampling_charts.figure import render_figure

    figure = render_figure(compute(spec), "x.svg", spec.title, "<i>cap</i>", "chart-x")
    assert "<script>" not in figure and "<b>T</b>" not in figure and "<i>cap</i>" not in figure
    assert "&lt;script&gt;" in figure


BAD = {
    "invalid TOML": ('kind = "sampling"\nsample = 25\npoor = = 0.2', 3, "not valid TOML"),
    "unknown kind": ('kind = "pie"', 1, "unknown chart kind 'pie'"),
    "no kind": ("sample = 25", None, "unknown chart kind none"),
    "unknown key": (SAMPLING + "\ncolour = 'red'", 5, "unknown key 'colour' for a sampling chart"),
    "poor above 1": (
        'kind = "sampling"\nsample = 25\npoor = 1.2\nthreshold = 8',
        3,
        "'poor' must be between 0 and 1, not 1.2",
    ),
    "poor negative": (
        'kind = "intervals"\nsample = 25\npoor = -0.1',
        3,
        "'poor' must be between 0 and 1, not -0.1",
    ),
    "sample below 1": (
        'kind = "sampling"\nsample = 0\npoor = 0.2\nthreshold = 0',
        2,
        "'sample' must be between 1 and 10,000, not 0",
    ),
    "sample above caseload": (
        SAMPLING + "\ncaseload = 20",
        2,
        "'sample' (25) is larger than 'caseload' (20)",
    ),
    "sample beyond the limit": (
        'kind = "sampling"\nsample = 20000\npoor = 0.2\nthreshold = 8',
        2,
        "'sample' must be between 1 and 10,000, not 20000",
    ),
    "missing parameter": (
        'kind = "sampling"\nsample = 25\nthreshold = 8',
        None,
        "a sampling chart needs 'poor'",
    ),
    "wrong type": (
        'kind = "sampling"\nsample = "25"\npoor = 0.2\nthreshold = 8',
        2,
        "'sample' must be a whole number, not '25'",
    ),
    "threshold above sample": (
        'kind = "sampling"\nsample = 25\npoor = 0.2\nthreshold = 30',
        4,
        "'threshold' (30) is larger than 'sample' (25)",
    ),
    "both thresholds": (
        'kind = "verdict-risk"\nsamples = [25]\nthreshold = 8\nthreshold_share = 0.3',
        3,
        "either 'threshold' or 'threshold_share'",
    ),
    "too many workers": (
        'kind = "red-beads"\nworkers = 40',
        2,
        "'workers' must be between 1 and 26, not 40",
    ),
    "data outside content/data": (
        'kind = "funnel"\ndata = "../secret.csv"',
        2,
        "'data' must name a .csv file in content/data/",
    ),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_blocks_are_named_with_their_line(case):
    text, line, message = BAD[case]
    spec, errors = specs.parse(text)
    assert spec is None
    assert any(message in e.message for e in errors), errors
    assert next(e for e in errors if message in e.message).line == line
    assert all(e.fix for e in errors)
