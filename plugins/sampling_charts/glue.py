"""One build's charts: read the blocks, draw what is not cached, fill in the figures.

A chart is keyed by its parameters, its data file's bytes and this plugin's
version; a key in the cache is never drawn again, and a build with every chart
cached imports no matplotlib. A new chart's numbers and figure are computed as
its post is read (they take milliseconds); only the drawing goes to the worker
processes, once all posts are read (the workers format citations first, which
the build waits for), and nothing waits for it until the SVGs are copied into
the output, at the end of the build: Pelican writes the site while they draw.
"""

from __future__ import annotations

import csv
import html
import io
import json
import logging
import os
import re
import shutil
from collections.abc import Iterable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from blogtools import workers
from blogtools.keyed_cache import KeyedCache, digest
from blogtools.problems import Problem

from . import spec as specs
from .compute import ChartData, DataError, compute
from .html import PIXELS, ChartResult, render_error, render_figure
from .markdown_ext import PLACEHOLDER_ATTRIBUTE

VERSION = "charts-4"  # part of every key: change it when the drawing changes
DEFAULTS = {"CHARTS_OUTPUT_DIR": "charts", "CHARTS_DATA_DIR": "data", "CHARTS_WORKERS": None}
PLACEHOLDER = re.compile(rf'<div {PLACEHOLDER_ATTRIBUTE}="([^"]*)"></div>')
POOL_THRESHOLD = 3
_DATA_NAME = re.compile(r"""^\s*data\s*=\s*["']([^"']+)["']""", re.MULTILINE)


@dataclass
class _Chart:
    """One block of a document, between reading and filling in."""

    text: str
    line: int
    spec: specs.ChartSpec | None
    problems: list[Problem]
    key: str = ""
    result: ChartResult | None = None  # the figure: from the cache, or made on reading
    kind: str = ""
    path: str = ""  # the post, for messages
    data: ChartData | None = None  # the numbers to draw, until sent to a worker
    drawing: Future | None = None  # the drawing, when a worker does it
    cached: bool = False  # found in the cache: nothing to draw


@dataclass(frozen=True)
class GeneratedFile:
    """What Pelican's {static} links look up: a file our plugin writes to the output."""

    url: str
    source_path: str


def draw_chart(data: ChartData, svg_path: str) -> None:
    """Draw one chart and write its SVG (a top-level function, so that workers can run it)."""
    from .draw import draw  # matplotlib only when a chart is drawn

    svg, _, _ = draw(data)
    path = Path(svg_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_bytes(svg)
    os.replace(temporary, path)


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
        cache_path = Path(settings.get("PLUGIN_CACHE_PATH") or settings.get("CACHE_PATH", "cache"))
        self.cache = KeyedCache(cache_path / "charts.pickle", VERSION)
        self.svg_dir = cache_path / "charts"
        self._charts: dict[int, list[_Chart]] = {}
        self._queue: list[_Chart] = []
        self._to_draw: dict[str, _Chart] = {}  # by key: each new chart once, however often used
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
        """A block's chart: from the cache by its text and data, else parsed, checked,
        computed and sent to be drawn."""
        data_name = _DATA_NAME.search(text)
        data_hash = self._data_hash(data_name.group(1)) if data_name else None
        key = digest(VERSION, text, data_hash)
        cached = self.cache.get(key)
        if cached is not None and (self.svg_dir / cached.filename).is_file():
            self.from_cache += 1
            return _Chart(
                text, line, None, [], key, cached, kind=cached.kind, path=path, cached=True
            )
        spec, errors = specs.parse(text)
        problems = [self._problem(path, line, e.line, e.message, e.fix) for e in errors]
        chart = _Chart(text, line, spec, problems, key, kind=spec.kind if spec else "", path=path)
        if spec is None:
            return chart
        rows, problem = None, None
        if spec.kind == "funnel" and spec.params.get("data"):
            rows, problem = self._read_csv(path, line, text, spec.params["data"])
        if problem is None:
            try:
                chart.data = compute(spec, rows)
            except DataError as error:  # a bad value in the data, reported with its line
                at = specs.key_line(text, error.key)
                problem = self._problem(path, line, at, str(error), error.fix)
        if problem is not None:
            chart.problems.append(problem)
            chart.spec = None
            return chart
        filename = f"{key[:20]}.svg"
        figure = render_figure(
            chart.data,
            *PIXELS,
            f"{{static}}/{self.output_dir}/{filename}",
            spec.title,
            spec.caption,
            f"chart-{key[:8]}",
        )
        chart.result = ChartResult(filename, spec.kind, figure)
        if key not in self._to_draw:
            self._to_draw[key] = chart
            self._queue.append(chart)
        return chart

    def _data_hash(self, name: str) -> str | None:
        try:
            return digest(str(name), (self.data_path / name).read_bytes().hex())
        except OSError:
            return None

    def _problem(self, path: str, start: int, line: int | None, message: str, fix: str) -> Problem:
        return Problem(path, start + line - 1 if line else start - 1, f"chart: {message}", fix)

    def _read_csv(
        self, path: str, line: int, text: str, name: str
    ) -> tuple[list[dict] | None, Problem | None]:
        """A data file's rows, or the problem reading it."""
        data_file = self.data_path / name
        at = specs.key_line(text, "data")
        shown = self.display(data_file)
        try:
            raw = data_file.read_bytes()
        except OSError:
            fix = f"put the CSV file in {self.display(self.data_path)}/ or fix 'data'"
            return None, self._problem(path, line, at, f"data file {shown} not found", fix)
        try:
            return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))), None
        except (UnicodeDecodeError, csv.Error) as error:
            message = f"data file {shown} cannot be read ({error})"
            return None, self._problem(
                path, line, at, message, "save it as UTF-8 CSV with a header line"
            )

    def _submit(self) -> None:
        if not workers.size() and len(self._queue) < POOL_THRESHOLD:
            return
        for chart in self._queue:
            chart.drawing = workers.submit(
                draw_chart,
                chart.data,
                str(self.svg_dir / chart.result.filename),
                workers=self.option("CHARTS_WORKERS"),
            )
            chart.data = None  # the worker has its own copy: no need to hold it here
        self._queue.clear()

    def _draw_all(self) -> None:
        """Wait for the drawings (or draw, the few not worth a worker); keep the charts drawn."""
        for key, chart in self._to_draw.items():
            try:
                if chart.drawing is not None:
                    chart.drawing.result()
                else:
                    draw_chart(chart.data, str(self.svg_dir / chart.result.filename))
            except Exception as error:  # matplotlib failed: name the chart, build on
                Problem(
                    chart.path,
                    chart.line,
                    f"chart: could not be drawn ({type(error).__name__}: {error})",
                    "check the chart's parameters; if they are right, report this with them",
                ).log(self.logger)
                continue
            self.drawn += 1
            self.cache.put(key, chart.result)
        self._to_draw.clear()
        self._queue.clear()

    # Filling in -------------------------------------------------------------

    def apply(self, contents: Iterable, context: dict) -> None:
        """Figures in place of the placeholders; every chart's SVG noted for the output.

        A document filled in by an earlier build (the live preview keeps them) keeps
        the list of its charts on itself. The charts read so far go to be drawn.
        """
        self._submit()
        for content in contents:
            charts = self._charts.pop(id(content), None)
            if charts is not None:
                content._chart_files = []
                figures = [self._figure(content, chart, context) for chart in charts]
                content._content = _fill(content._content, figures)
            for filename in getattr(content, "_chart_files", ()):
                rel = f"{self.output_dir}/{filename}"
                self.used[filename] = str(self.svg_dir / filename)
                context.setdefault("static_content", {})[rel] = GeneratedFile(rel, rel)
                # A figure read back from memory is seen as a link to a static file in
                # content/; it is ours, in the output only.
                context.get("static_links", set()).discard(rel)

    def _figure(self, content, chart: _Chart, context: dict) -> str:
        path = self.display(content.source_path)
        entry = {"path": path, "line": chart.line, "kind": chart.kind, "problems": []}
        if chart.problems:
            for problem in chart.problems:
                problem.log(self.logger)
            self.report.append(
                {**entry, "cached": False, "problems": [str(p) for p in chart.problems]}
            )
            return render_error([str(p) for p in chart.problems], chart.text)
        content._chart_files.append(chart.result.filename)
        self.report.append({**entry, "cached": chart.cached})
        return chart.result.figure

    def write_files(self, output_path: str) -> None:
        self._draw_all()
        target = Path(output_path) / self.output_dir
        target.mkdir(parents=True, exist_ok=True)
        for filename, source in self.used.items():
            destination = target / filename
            destination.unlink(missing_ok=True)
            try:
                os.link(source, destination)  # the cached file itself: no bytes copied
            except OSError:
                shutil.copyfile(source, destination)

    def finish(self) -> None:
        self.close()
        self.cache.save(prune=self.settings.get("PLUGIN_CACHE_PRUNE", True))
        noun = "chart" if self.drawn == 1 else "charts"
        self.logger.info(
            "charts: %d %s drawn, %d from the cache",
            self.drawn,
            noun,
            self.from_cache,
            extra={"charts_report": self.report},
        )

    def close(self) -> None:
        workers.shutdown()
