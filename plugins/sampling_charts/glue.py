"""One build's charts: read the blocks, draw what is not cached, fill in the figures.

A chart is keyed by its parameters, its data file's bytes and this plugin's
version; a key in the cache is never drawn again, and a build with every chart
cached imports no matplotlib. Charts to draw go to worker processes as the posts
are read, so a cold build draws on every core.
"""

from __future__ import annotations

import csv
import html
import io
import json
import logging
import multiprocessing
import os
import re
import shutil
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from blogtools.keyed_cache import KeyedCache, digest
from blogtools.problems import Problem

from . import spec as specs
from .compute import DataError, compute
from .html import ChartResult, render_error, render_figure
from .markdown_ext import PLACEHOLDER_ATTRIBUTE

VERSION = "charts-2"  # part of every key: change it when the drawing changes
DEFAULTS = {"CHARTS_OUTPUT_DIR": "charts", "CHARTS_DATA_DIR": "data", "CHARTS_WORKERS": None}
PLACEHOLDER = re.compile(rf'<div {PLACEHOLDER_ATTRIBUTE}="([^"]*)"></div>')
POOL_THRESHOLD = 3


@dataclass
class _Chart:
    """One block of a document, between reading and filling in."""

    text: str
    line: int
    spec: specs.ChartSpec | None
    problems: list[Problem]
    key: str = ""
    result: ChartResult | Future | None = None
    rows: list[dict] | None = None


@dataclass(frozen=True)
class GeneratedFile:
    """What Pelican's {static} links look up: a file our plugin writes to the output."""

    url: str
    source_path: str


def draw_chart(spec: specs.ChartSpec, rows: list[dict] | None, svg_path: str) -> ChartResult:
    """Compute and draw one chart, write its SVG (a top-level function, for the workers)."""
    from .draw import draw  # matplotlib only when a chart is drawn

    data = compute(spec, rows)
    svg, width, height = draw(data)
    path = Path(svg_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_bytes(svg)
    os.replace(temporary, path)
    return ChartResult(path.name, width, height, data.alt, data.summary, data.table, data.notes)


def _fill(text: str, figures: list[str]) -> str:
    """The placeholders in ``text`` replaced, in order, by ``figures``."""
    parts = PLACEHOLDER.split(text)
    # split() keeps the captured payloads at odd positions: drop them for the figures.
    return "".join(part if i % 2 == 0 else figures[i // 2] for i, part in enumerate(parts))


class Charts:
    def __init__(self, settings: dict, logger: logging.Logger) -> None:
        self.settings = settings
        self.logger = logger
        self.option = lambda name: settings.get(name, DEFAULTS[name])
        self.root = Path.cwd()
        self.content_path = Path(settings["PATH"])
        self.data_path = self.content_path / self.option("CHARTS_DATA_DIR")
        self.output_dir = self.option("CHARTS_OUTPUT_DIR").strip("/")
        cache_path = Path(settings.get("CACHE_PATH", "cache"))
        self.cache = KeyedCache(cache_path / "charts.pickle", VERSION)
        self.svg_dir = cache_path / "charts"
        self._charts: dict[int, list[_Chart]] = {}
        self._queue: list[_Chart] = []
        self._pool: ProcessPoolExecutor | None = None
        self.used: dict[str, str] = {}  # file name -> cached SVG path, to copy to the output
        self.report: list[dict] = []  # each chart of this build, for `invoke check`
        self.drawn = 0
        self.from_cache = 0
        markdown = settings.setdefault("MARKDOWN", {})
        markdown.setdefault("extension_configs", {}).setdefault("sampling_charts.markdown_ext", {})

    def display(self, path: Path | str) -> str:
        absolute = Path(path).resolve()
        return (
            str(absolute.relative_to(self.root))
            if absolute.is_relative_to(self.root)
            else str(absolute)
        )

    # Reading ----------------------------------------------------------------

    def prepare(self, content) -> None:
        text = getattr(content, "_content", "") or ""
        if PLACEHOLDER_ATTRIBUTE not in text:
            return
        path = self.display(content.source_path)
        charts = []
        for match in PLACEHOLDER.finditer(text):
            payload = json.loads(html.unescape(match.group(1)))
            charts.append(self._read_block(path, payload["toml"], payload["line"]))
        self._charts[id(content)] = charts

    def _read_block(self, path: str, text: str, line: int) -> _Chart:
        spec, errors = specs.parse(text)
        problems = [self._problem(path, line, e.line, e.message, e.fix) for e in errors]
        chart = _Chart(text, line, spec, problems)
        if spec is None:
            return chart
        rows, data_hash = None, None
        if spec.kind == "funnel" and spec.params.get("data"):
            rows, data_hash, problem = self._read_csv(path, line, text, spec.params["data"])
            if problem:
                chart.problems.append(problem)
                chart.spec = None
                return chart
            try:  # check the data now, so a bad value is reported with its line here
                compute(spec, rows)
            except DataError as error:
                chart.problems.append(
                    self._problem(
                        path, line, specs.key_line(text, error.key), str(error), error.fix
                    )
                )
                chart.spec = None
                return chart
        chart.key = digest(VERSION, asdict(spec), data_hash)
        filename = f"{chart.key[:20]}.svg"
        svg_path = self.svg_dir / filename
        cached = self.cache.get(chart.key)
        if cached is not None and svg_path.is_file():
            chart.result = cached
            self.from_cache += 1
        else:
            chart.result = None
            chart.rows = rows
            self._queue.append(chart)
            self._submit()
        return chart

    def _problem(self, path: str, start: int, line: int | None, message: str, fix: str) -> Problem:
        return Problem(path, start + line - 1 if line else start - 1, f"chart: {message}", fix)

    def _read_csv(self, path: str, line: int, text: str, name: str):
        data_file = self.data_path / name
        at = specs.key_line(text, "data")
        try:
            raw = data_file.read_bytes()
        except OSError:
            return (
                None,
                None,
                self._problem(
                    path,
                    line,
                    at,
                    f"data file {self.display(data_file)} not found",
                    f"put the CSV file in {self.display(self.data_path)}/ or fix 'data'",
                ),
            )
        try:
            rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
        except (UnicodeDecodeError, csv.Error) as error:
            return (
                None,
                None,
                self._problem(
                    path,
                    line,
                    at,
                    f"data file {self.display(data_file)} cannot be read ({error})",
                    "save it as UTF-8 CSV with a header line",
                ),
            )
        return rows, digest(raw.decode("utf-8-sig")), None

    def _submit(self) -> None:
        if self._pool is None and len(self._queue) < POOL_THRESHOLD:
            return
        if self._pool is None:
            workers = self.option("CHARTS_WORKERS") or os.cpu_count() or 1
            context = multiprocessing.get_context("fork")
            self._pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
        for chart in self._queue:
            chart.result = self._pool.submit(
                draw_chart, chart.spec, chart.rows, str(self.svg_dir / f"{chart.key[:20]}.svg")
            )
        self._queue.clear()

    # Filling in -------------------------------------------------------------

    def _result(self, chart: _Chart) -> ChartResult:
        if isinstance(chart.result, Future):
            chart.result = chart.result.result()
            self.drawn += 1
        elif chart.result is None:
            chart.result = draw_chart(
                chart.spec, chart.rows, str(self.svg_dir / f"{chart.key[:20]}.svg")
            )
            self.drawn += 1
        self.cache.put(chart.key, chart.result)
        return chart.result

    def apply(self, contents: Iterable, context: dict) -> None:
        for content in contents:
            charts = self._charts.pop(id(content), None)
            if charts is None:
                continue
            figures = [self._figure(content, chart, context) for chart in charts]
            content._content = _fill(content._content, figures)

    def _figure(self, content, chart: _Chart, context: dict) -> str:
        path = self.display(content.source_path)
        if chart.spec is None:
            for problem in chart.problems:
                problem.log(self.logger)
            self.report.append(
                {
                    "path": path,
                    "line": chart.line,
                    "kind": None,
                    "cached": False,
                    "problems": [str(p) for p in chart.problems],
                }
            )
            return render_error([str(p) for p in chart.problems], chart.text)
        cached = not isinstance(chart.result, Future) and chart.result is not None
        result = self._result(chart)
        rel = f"{self.output_dir}/{result.filename}"
        self.used[result.filename] = str(self.svg_dir / result.filename)
        context.setdefault("static_content", {})[rel] = GeneratedFile(rel, rel)
        self.report.append(
            {
                "path": path,
                "line": chart.line,
                "kind": chart.spec.kind,
                "cached": cached,
                "problems": [],
            }
        )
        return render_figure(
            result,
            "{static}/" + rel,
            chart.spec.title,
            chart.spec.caption,
            f"chart-{chart.key[:8]}",
        )

    def write_files(self, output_path: str) -> None:
        target = Path(output_path) / self.output_dir
        target.mkdir(parents=True, exist_ok=True)
        for filename, source in self.used.items():
            shutil.copyfile(source, target / filename)

    def finish(self) -> None:
        self.close()
        self.cache.save()
        noun = "chart" if self.drawn == 1 else "charts"
        self.logger.info(
            "charts: %d %s drawn, %d from the cache", self.drawn, noun, self.from_cache
        )

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
