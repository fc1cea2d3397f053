"""Whatever the author types, the plugins answer with output or with messages in the one
format, never with an exception: random and mutated Markdown, citations, BibTeX and
chart blocks, fed through the same code the build runs."""

from __future__ import annotations

import html
import json
import logging
import re
from pathlib import Path
from types import SimpleNamespace

import markdown
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from problem_format import PROBLEM_LINE

from pelican.plugins.citations import markup
from pelican.plugins.citations.bibfile import read_files
from pelican.plugins.citations.build import PLACEHOLDER, CitationsBuild
from pelican.plugins.citations.engine import Engine
from pelican.plugins.citations.markdown_ext import CitationsExtension
from pelican.plugins.citations.styles import resolve_style
from pelican.plugins.citations.syntax import Cluster, parse_bracketed
from pelican.plugins.frontmatter.check import check
from pelican.plugins.sampling_charts import spec as specs
from pelican.plugins.sampling_charts.build import Charts
from pelican.plugins.sampling_charts.compute import DataError, compute
from pelican.plugins.sampling_charts.markdown_ext import ChartsExtension

DATA = Path(__file__).with_name("data")
SAMPLE_BIB = (DATA / "sample.bib").read_text(encoding="utf-8")
MAPPING_BIB = (DATA / "mapping.bib").read_text(encoding="utf-8")
KEYS = ["reason2000", "russell1912", "ofsted2017", "reason1990", "nokey"]
FAST = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def well_formed(message: str) -> bool:
    match = PROBLEM_LINE.match(message)
    return bool(match and match.group("fix"))


markdown_pieces = st.sampled_from(
    [
        "@reason2000",
        "[@reason2000]",
        "[see @russell1912, p. 4; -@reason2000]",
        "[-@",
        "@{odd key}",
        "\\@x",
        "`@code`",
        "```\n",
        "```chart\n",
        'kind = "sampling"\n',
        "sample = 25\n",
        "poor = 1.5\n",
        "[",
        "]",
        ";",
        ",",
        " p. ",
        "*",
        "_",
        "\n\n",
        "doe@x.org",
        "https://x.org/@u",
        "Title: T\n",
        "Date: 2017-13-45\n",
        "    indented\n",
        "> quote\n",
        "{",
        "}",
        "<script>",
        "&amp;",
        "@",
        "-",
        "§ 3",
        "Ü",
        "\t",
    ]
)


@FAST
@given(st.lists(st.one_of(markdown_pieces, st.text(max_size=12)), max_size=40))
def test_any_markdown_converts(pieces):
    source = "".join(pieces)
    out = markdown.markdown(
        source, extensions=[CitationsExtension(), ChartsExtension(), "extra", "meta"]
    )
    assert isinstance(out, str)
    checked = check(source, "content/p.md", "2017-06-01-p.md")
    assert all(well_formed(str(p)) for p in checked.problems)


@FAST
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "@reason2000",
                    "@russell1912",
                    "-@ofsted2017",
                    "see",
                    ";",
                    ", p. 33",
                    ", chap. 4",
                    ", 12-15",
                    "{",
                    "}",
                    " and passim",
                    "@",
                    "; @",
                ]
            ),
            st.text(max_size=6),
        ),
        max_size=12,
    )
)
def test_any_bracket_parses_or_is_left_as_text(pieces):
    cluster = parse_bracketed("".join(pieces))
    assert cluster is None or (cluster.keys and all(cluster.keys))


@FAST
@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from(KEYS[:4]), min_size=1, max_size=3),
            st.sampled_from(["", "see", "cf. *also*"]),
            st.sampled_from(["", ", p. 7", ", ch. 2", ", 3-9 and passim"]),
            st.booleans(),
            st.booleans(),
        ),
        min_size=1,
        max_size=5,
    ),
    st.sampled_from(["harvard-cite-them-right", "apa", "ieee", "chicago-author-date"]),
)
def test_any_citations_format(engine, clusters, style_name):
    """Whatever the citations, pandoc formats each one and lists every work cited."""
    parts = []
    for keys, prefix, locator, suppress, in_text in clusters:
        if in_text:
            parts.append(f"@{keys[0]}" + (f" [{locator[2:]}]" if locator else ""))
        else:
            items = [f"{prefix} {'-' if suppress else ''}@{k}{locator}".strip() for k in keys]
            parts.append("[" + "; ".join(items) + "]")
    found = _placeholders(" text ".join(parts))
    assert len(found) == len(parts)
    index = read_files([("sample.bib", SAMPLE_BIB.encode())])
    order = list(dict.fromkeys(k for cluster, _ in found for k in cluster.keys))
    group = {
        "csl": str(resolve_style(style_name, DATA)),
        "lang": "en-GB",
        "strings": index.strings,
        "posts": [
            {
                "text": "\n\n".join(written for _, written in found) + "\n",
                "prefix": "p0_",
                "bib": index.text_for(order, prefix="p0_"),
                "nocite": [],
            }
        ],
    }
    answer = engine.submit({"op": "format", "groups": [group]}).result(timeout=60)
    assert answer["posts"][0]["error"] is None, answer
    [result] = markup.split(answer["html"], answer["posts"])
    assert len(result.citations) == len(found)
    assert all(text.strip() for text in result.citations)
    assert {key for key, _ in result.entries} == set(order)


@pytest.fixture(scope="module")
def engine():
    running = Engine(1)
    yield running
    running.close()


def _placeholders(source):
    """Each citation found: the works it cites, and the text as written."""
    out = markdown.markdown(source, extensions=[CitationsExtension(), "extra"])
    found = PLACEHOLDER.findall(out)
    return [(Cluster.from_json(json.loads(html.unescape(p))), html.unescape(t)) for p, t in found]


def mutations(text: str):
    return st.lists(
        st.tuples(
            st.integers(0, len(text)),
            st.sampled_from(
                ["", "{", "}", ",", '"', "@", "=", "\n", "\\", "@article{x,", "--", '{\\"o}']
            ),
            st.integers(0, 5),
        ),
        max_size=6,
    )


def mutate(text: str, edits) -> str:
    for position, insert, delete in edits:
        position = min(position, len(text))
        text = text[:position] + insert + text[position + delete :]
    return text


@FAST
@given(mutations(MAPPING_BIB))
@example(edits=[(190, "", 1)])  # a lost comma: the value quoted in the message spans two lines
@example(edits=[(1945, "}", 0)])  # '@phdthesis{}smith2015,': an entry without a key
def test_any_bibtex_reads_with_problems_named(edits):
    data = mutate(MAPPING_BIB, edits).encode("utf-8", "surrogatepass")
    result = read_files([("content/references.bib", data)])
    assert all(
        well_formed(str(p)) and str(p).startswith("content/references.bib") for p in result.problems
    )
    assert all(key and entries for key, entries in result.entries.items())


BLOCK = 'kind = "sampling"\nsample = 25\npoor = 0.2\nthreshold = 8\ntitle = "T"'


@FAST
@given(mutations(BLOCK))
def test_any_chart_block_parses_or_explains(edits):
    spec, errors = specs.parse(mutate(BLOCK, edits))
    assert (spec is None) == bool(errors)
    assert all(e.message and e.fix for e in errors)
    if spec is not None:
        assert compute(spec).table.rows


number = st.one_of(
    st.integers(-5, 20_000), st.floats(-2, 2, allow_nan=False), st.text(max_size=3), st.booleans()
)


@FAST
@given(
    st.sampled_from(list(specs.KINDS)),
    st.dictionaries(
        st.sampled_from(sorted({k for kind in specs.KINDS.values() for k in kind})),
        number,
        max_size=5,
    ),
)
def test_any_parameters_compute_or_explain(kind, values):
    lines = [f'kind = "{kind}"'] + [f"{k} = {_toml(v)}" for k, v in values.items()]
    spec, errors = specs.parse("\n".join(lines))
    if spec is None:
        assert errors and all(e.message and e.fix for e in errors)
        return
    try:
        data = compute(spec)
    except DataError:
        return
    assert data.summary and data.alt


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(value)


class _Messages(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@pytest.fixture
def plugin_settings(tmp_path):
    content = tmp_path / "content"
    (content / "data").mkdir(parents=True)
    (content / "references.bib").write_text(SAMPLE_BIB, encoding="utf-8")
    return {
        "PATH": str(content),
        "CACHE_PATH": str(tmp_path / "cache"),
        "DEFAULT_LANG": "en-gb",
        "MARKDOWN": {},
        "PLUGIN_CACHE_PRUNE": False,
    }


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(
        st.one_of(
            markdown_pieces,
            st.sampled_from(["[@nokey]", "```chart\nkind = 3\n```", "Nocite: @*\n"]),
        ),
        max_size=25,
    )
)
def test_the_plugins_glue_never_raises(plugin_settings, pieces):
    source = "".join(pieces)
    post = Path(plugin_settings["PATH"]) / "2017-06-01-p.md"
    post.write_text(source, encoding="utf-8")
    html = markdown.markdown(source, extensions=[CitationsExtension(), ChartsExtension(), "extra"])
    content = SimpleNamespace(
        _content=html, metadata={}, source_path=str(post), relative_source_path=post.name, date=None
    )
    handler = _Messages()
    logger = logging.getLogger("properties")
    logger.addHandler(handler)
    try:
        citations = CitationsBuild(dict(plugin_settings), logger)
        charts = Charts(dict(plugin_settings), logger)
        citations.read(content)
        charts.read(content)
        citations.fill([content])
        charts.apply([content], {})
        citations.finish()
        charts.close()
    finally:
        logger.removeHandler(handler)
    assert "data-citation=" not in content._content and "data-chart=" not in content._content
    assert all(well_formed(m) for m in handler.messages), handler.messages
    assert all(
        re.match(r"^(content|/)", m) or m.startswith("pelicanconf") for m in handler.messages
    )
