"""One build's charts: read the blocks, draw what is not cached, fill in the figures.

A chart is keyed by its parsed parameters, its data file's bytes and this plugin's
code; a key in the cache is never drawn again, and a build with every chart cached
imports no matplotlib. A new chart's numbers and figure are computed by a worker
process as soon as its post is read, and drawn by one once all posts are read;
nothing waits for the drawing until the SVGs are copied into the output, at the end
of the build: Pelican writes the site while they draw. Every job has a time limit,
past which its worker is stopped and the chart reported; what a chart may cost is
checked before anything runs (spec.py), and a data file is read only from the data
folder, only if it is a regular file and not too large.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import logging
import os
import re
import stat
import unicodedata
from collections.abc import Iterable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as TimedOut
from dataclasses import asdict, dataclass
from pathlib import Path

from pelican import signals

from blogsupport import buildmemory, readercache
from blogsupport.keyed_cache import KeyedCache, digest
from blogsupport.linking import link_or_copy
from blogsupport.perbuild import PerBuild
from blogsupport.plugin_settings import Schema, cache_folder
from blogsupport.problems import Problem, display
from blogsupport.srcset import resolve_srcset
from blogsupport.workers import WorkerPool

from . import spec as specs
from .compute import ChartData, DataError, compute
from .figure import ChartResult, for_feeds, narrow_name, render_error, render_figure
from .markdown_ext import PLACEHOLDER_ATTRIBUTE


def _code_version() -> str:
    """The plugin's own code, as part of every key: a change to it is a new cache."""
    here = Path(__file__).parent
    digest_ = hashlib.sha256()
    for source in sorted(here.glob("*.py")):
        digest_.update(source.name.encode() + b"\0" + source.read_bytes())
    return "charts-" + digest_.hexdigest()[:16]


VERSION = _code_version()
# Each setting: (default, what it means). Unknown CHARTS_* (or CHART_*) are reported.
SCHEMA = Schema("CHARTS_", {
    "CHARTS_DATA_DIR": ("data", "the CSV files' folder, in the content folder"),
    "CHARTS_OUTPUT_DIR": ("charts", "where the SVGs go in the site"),
    "CHARTS_WORKERS": (None, "processes drawing at once (default: the cores)"),
    "CHARTS_TIME_LIMIT": (30, "seconds to compute a chart, and again to draw it"),
}, misspelt=("CHART_",))  # fmt: skip
PLACEHOLDER = re.compile(rf'<div {PLACEHOLDER_ATTRIBUTE}="([^"]*)"></div>')
FIGURE_START = '<figure class="chart" '
TABLE = re.compile(r"<table\b.*?</table>", re.DOTALL)
NUMBERS = "numbers.json"  # in the charts' folder of the site
MAX_DATA_BYTES = 1_000_000  # a data file: a thousand rows are some 50 KB


@dataclass
class _Chart:
    """One block of a document, between reading and filling in."""

    text: str
    line: int
    spec: specs.ChartSpec | None
    problems: list[Problem]
    key: str = ""
    result: ChartResult | None = None  # the figure: from the cache, or from its computing
    kind: str = ""
    path: str = ""  # the post, for messages
    computing: Future | None = None  # the numbers and the figure, when a worker makes them
    data: ChartData | None = None  # the numbers to draw, until sent to a worker
    drawing: Future | None = None  # the drawing
    cached: bool = False  # found in the cache: nothing to draw


@dataclass(frozen=True)
class GeneratedFile:
    """What Pelican's {static} links look up: a file our plugin writes to the output."""

    url: str
    source_path: str


def compute_chart(
    spec: specs.ChartSpec, rows: list[dict] | None, src: str, anchor: str, filename: str
) -> tuple[ChartResult, ChartData]:
    """A chart's numbers and its figure (a top-level function, so that workers can run it)."""
    data = compute(spec, rows)
    figure = render_figure(data, src, spec.title, spec.caption, anchor)
    return ChartResult(filename, spec.kind, figure), data


def draw_chart(data: ChartData, svg_path: str) -> None:
    """Draw one chart and write its SVGs, for the desktop and for a phone, and its PNG
    (a top-level function, so that workers can run it)."""
    from .draw import NARROW, draw, draw_png  # matplotlib only when a chart is drawn

    path = Path(svg_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # The desktop's SVG last: a chart whose SVG is there is drawn whole (a link card takes
    # the PNG, a phone the narrow SVG).
    for made, data_bytes in (
        (path.with_suffix(".png"), draw_png(data)),
        (path.with_name(narrow_name(path.name)), draw(data, NARROW)),
        (path, draw(data)),
    ):
        temporary = made.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(data_bytes)
        os.replace(temporary, made)


def figure_anchor(title: str, number: int) -> str:
    """A figure's anchor from its title (``chart-`` and its words), else its number."""
    words = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", words).strip("-")[:50].rstrip("-")
    return f"chart-{slug}" if slug else f"figure-{number}"


def _drawings(filenames: Iterable[str]) -> list[str]:
    """The files of a post's charts in the output: each desktop SVG and its phone one."""
    return [name for filename in filenames for name in (filename, narrow_name(filename))]


def _fill(text: str, figures: list[str]) -> str:
    """The placeholders in ``text`` replaced, in order, by ``figures``."""
    parts = PLACEHOLDER.split(text)
    # split() keeps the captured payloads at odd positions: drop them for the figures.
    return "".join(part if i % 2 == 0 else figures[i // 2] for i, part in enumerate(parts))


class Charts(PerBuild, key="sampling_charts.build", what="charts", schema=SCHEMA):
    """The charts of one build: read from the posts, computed and drawn in workers, cached."""

    def __init__(self, settings: dict, logger: logging.Logger | None = None) -> None:
        super().__init__(settings, logger)
        self.option = lambda name: settings[name]
        self.content_path = Path(settings["PATH"])
        self.data_path = self.content_path / self.option("CHARTS_DATA_DIR")
        self.output_dir = self.option("CHARTS_OUTPUT_DIR").strip("/")
        cache_path = cache_folder(settings)
        self.cache = KeyedCache(cache_path / "charts.pickle", VERSION)
        self.svg_dir = cache_path / "charts"
        self._charts: dict[str, list[_Chart]] = {}  # by the post's source path
        self._to_draw: dict[str, _Chart] = {}  # by key: each new chart once, however often used
        self.pool = WorkerPool(self.option("CHARTS_WORKERS"))
        self.time_limit = float(self.option("CHARTS_TIME_LIMIT"))
        self.used: dict[str, str] = {}  # file name -> cached SVG path, to copy to the output
        self.report: list[dict] = []  # each chart of this build, for `invoke check`
        self.drawn = 0
        self.from_cache = 0
        markdown = settings.setdefault("MARKDOWN", {})
        markdown.setdefault("extension_configs", {}).setdefault(f"{__package__}.markdown_ext", {})

    # Reading ----------------------------------------------------------------

    def read(self, content) -> None:
        text = getattr(content, "_content", "") or ""
        if PLACEHOLDER_ATTRIBUTE not in text:
            return
        path = display(content.source_path)
        charts = []
        for match in PLACEHOLDER.finditer(text):
            payload = json.loads(html.unescape(match.group(1)))
            charts.append(self._read_block(path, payload["toml"], payload["line"]))
        self._charts[str(content.source_path)] = charts

    def _read_block(self, path: str, text: str, line: int) -> _Chart:
        """A block's chart: parsed and checked, then from the cache by its parameters and
        data, else sent to a worker to be computed (and, later, drawn)."""
        spec, errors = specs.parse(text)
        problems = [self._problem(path, line, e.line, e.message, e.fix) for e in errors]
        chart = _Chart(text, line, spec, problems, kind=spec.kind if spec else "", path=path)
        if spec is None:
            return chart
        rows, data_bytes = None, b""
        if spec.kind == "funnel" and spec.params.get("data"):
            rows, data_bytes, problem = self._read_csv(path, line, text, spec.params["data"])
            if problem is not None:
                chart.problems.append(problem)
                chart.spec = None
                return chart
        chart.key = digest(VERSION, asdict(spec), hashlib.sha256(data_bytes).hexdigest())
        cached = self.cache.get(chart.key)
        if cached is not None and (self.svg_dir / cached.filename).is_file():
            self.from_cache += 1
            chart.result, chart.cached = cached, True
            return chart
        filename = f"{chart.key[:20]}.svg"
        chart.computing = self.pool.submit(
            compute_chart,
            spec,
            rows,
            f"{{static}}/{self.output_dir}/{filename}",
            f"chart-{chart.key[:8]}",
            filename,
            timeout=self.time_limit,
        )
        return chart

    def _computed(self, chart: _Chart) -> None:
        """The worker's numbers and figure, or what went wrong, in the chart."""
        future, chart.computing = chart.computing, None
        try:
            chart.result, chart.data = future.result()
        except DataError as error:  # a bad value in the data, reported with its line
            at = specs.key_line(chart.text, error.key)
            chart.problems.append(self._problem(chart.path, chart.line, at, str(error), error.fix))
        except TimedOut:
            chart.problems.append(
                self._problem(
                    chart.path,
                    chart.line,
                    1,
                    f"computing it took more than {self.time_limit:g} s, and was stopped",
                    "make it smaller: fewer or smaller samples, a larger step, fewer units",
                )
            )
        except Exception as error:  # a bug of ours: named, and the build goes on
            chart.problems.append(
                self._problem(
                    chart.path,
                    chart.line,
                    1,
                    f"could not be computed ({type(error).__name__}: {error})",
                    "check the chart's parameters; if they are right, report this with them",
                )
            )
        if chart.problems:
            chart.spec = None
        elif chart.key not in self._to_draw:
            self._to_draw[chart.key] = chart

    def _problem(self, path: str, start: int, line: int | None, message: str, fix: str) -> Problem:
        return Problem(path, start + line - 1 if line else start - 1, f"chart: {message}", fix)

    def _read_csv(
        self, path: str, line: int, text: str, name: str
    ) -> tuple[list[dict] | None, bytes, Problem | None]:
        """A data file's rows and bytes, or the problem reading it. Only a regular file in
        the data folder, its real path checked before it is opened, and not too large."""
        data_file = self.data_path / name
        at = specs.key_line(text, "data")
        shown = display(data_file)
        base = os.path.realpath(self.data_path)
        real = os.path.realpath(data_file)

        def problem(message: str, fix: str) -> tuple[None, bytes, Problem]:
            return None, b"", self._problem(path, line, at, message, fix)

        if os.path.commonpath([real, base]) != base:
            return problem(
                f"data file {shown} leads outside {display(self.data_path)}/",
                f"put the CSV file itself in {display(self.data_path)}/",
            )
        try:
            status = os.stat(real)
        except OSError:
            return problem(
                f"data file {shown} not found",
                f"put the CSV file in {display(self.data_path)}/ or fix 'data'",
            )
        if not stat.S_ISREG(status.st_mode):
            return problem(f"data file {shown} is not a file", "name a CSV file")
        if status.st_size > MAX_DATA_BYTES:
            return problem(
                f"data file {shown} is {status.st_size:,} bytes, more than the "
                f"{MAX_DATA_BYTES:,} a chart may read",
                "keep the rows the chart shows (at most 1,000)",
            )
        with open(real, "rb") as handle:
            raw = handle.read(MAX_DATA_BYTES + 1)
        try:
            rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
        except (UnicodeDecodeError, csv.Error) as error:
            return problem(
                f"data file {shown} cannot be read ({error})",
                "save it as UTF-8 CSV with a header line",
            )
        if len(rows) > specs.MAX_UNITS:
            return problem(
                f"data file {shown} has {len(rows):,} rows, more than the "
                f"{specs.MAX_UNITS:,} a funnel plot may show",
                "keep at most 1,000 units",
            )
        return rows, raw, None

    def _submit_drawings(self) -> None:
        for chart in self._to_draw.values():
            if chart.drawing is None and chart.data is not None:
                chart.drawing = self.pool.submit(
                    draw_chart,
                    chart.data,
                    str(self.svg_dir / chart.result.filename),
                    timeout=self.time_limit,
                )
                chart.data = None  # the worker has its own copy: no need to hold it here

    def _draw_all(self) -> None:
        """Wait for the drawings; keep the charts drawn."""
        self._submit_drawings()
        for key, chart in self._to_draw.items():
            try:
                chart.drawing.result()
            except TimedOut:
                Problem(
                    chart.path,
                    chart.line,
                    f"chart: drawing it took more than {self.time_limit:g} s, and was stopped",
                    "make it smaller: fewer points, units or sample sizes",
                ).log(self.logger)
                continue
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

    # Filling in -------------------------------------------------------------

    def generator_read(self, generator, contents: list) -> None:
        """Every post a generator read, its charts filled in; Pelican's copy of the posts
        as read let go of (the posts now hold new HTML)."""
        readercache.release(generator)
        self.apply(contents, generator.context)

    def apply(self, contents: Iterable, context: dict) -> None:
        """Figures in place of the placeholders; every chart's SVG noted for the output.

        A document filled in by an earlier build (the live preview keeps them) keeps
        the list of its charts on itself. The charts read so far go to be drawn.
        """
        for content in contents:
            charts = self._charts.pop(str(content.source_path), None)
            if charts is not None:
                for chart in charts:
                    if chart.computing is not None:
                        self._computed(chart)
                content._chart_files = []
                figures = self._numbered(
                    content, [self._figure(content, chart, context) for chart in charts], charts
                )
                content._content = _fill(content._content, figures)
                # The first chart as a PNG (beside its SVG in the cache), for a link card.
                first = content._chart_files[0] if content._chart_files else ""
                content.chart_picture = str(self.svg_dir / Path(first).with_suffix(".png")) if (
                    first) else ""  # fmt: skip
            for filename in _drawings(getattr(content, "_chart_files", ())):
                rel = f"{self.output_dir}/{filename}"
                self.used[filename] = str(self.svg_dir / filename)
                context.setdefault("static_content", {})[rel] = GeneratedFile(rel, rel)
                # A figure read back from memory is seen as a link to a static file in
                # content/; it is ours, in the output only.
                context.get("static_links", set()).discard(rel)
        self._submit_drawings()  # drawn while Pelican goes on

    def _figure(self, content, chart: _Chart, context: dict) -> str:
        path = display(content.source_path)
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

    def _numbered(self, content, figures: list[str], charts: list[_Chart]) -> list[str]:
        """Each figure of a post numbered in order, and given its anchor: the chart's own
        ``id``, else one from its title (so a link to it survives a change of its numbers)."""
        used: set[str] = set()
        numbered, number = [], 0
        # What each figure shows, kept on the post (the preview keeps posts from one build
        # to the next), for `invoke publish` to tell a changed number (charts/numbers.json).
        shown: dict[str, list] = {}
        content.chart_numbers = shown
        for figure, chart in zip(figures, charts, strict=True):
            if not figure.startswith(FIGURE_START):
                numbered.append(figure)  # an error box in its place
                continue
            number += 1
            spec = chart.spec
            anchor = (spec.id if spec and spec.id else "") or figure_anchor(
                spec.title if spec else "", number
            )
            base, again = anchor, 2
            while anchor in used:  # two charts of one title in a post
                anchor, again = f"{base}-{again}", again + 1
            used.add(anchor)
            figure = FIGURE_START + f'id="{anchor}">' + figure.split(">", 1)[1]
            label = f'<span class="figure-number">Figure {number}.</span> '
            figure = figure.replace("<figcaption><p>", "<figcaption><p>" + label, 1)
            table = TABLE.search(figure)
            if table:
                shown[anchor] = [number, hashlib.sha256(table.group(0).encode()).hexdigest()[:16]]
            numbered.append(figure)
        return numbered

    def write_files(self, output_path: str, articles: Iterable = ()) -> None:
        """Every chart's SVG in the output, and the list of the published posts' figures."""
        self._draw_all()
        target = Path(output_path) / self.output_dir
        target.mkdir(parents=True, exist_ok=True)
        numbers = {a.url: a.chart_numbers for a in articles if getattr(a, "chart_numbers", None)}
        listed = json.dumps(dict(sorted(numbers.items())), indent=1, sort_keys=True)
        (target / NUMBERS).write_text(listed + "\n", encoding="utf-8")
        memory = buildmemory.of(self.settings)
        placed = memory.setdefault("sampling_charts.placed", set()) if memory is not None else set()
        for filename, source in self.used.items():
            if (str(target), filename, source) in placed:
                continue  # the live preview: linked by an earlier build
            destination = target / filename
            destination.unlink(missing_ok=True)
            if not os.path.isfile(source):
                continue  # its drawing failed, and was reported
            link_or_copy(source, destination)  # the cached file itself: no bytes copied
            placed.add((str(target), filename, source))

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
        self.pool.shutdown()


class ChartFilesGenerator:
    """Copies the SVG of every chart in the site into the output."""

    def __init__(self, context, settings, path, theme, output_path, *args, **kwargs):
        self.context = context
        self.settings = settings
        self.output_path = output_path

    def generate_context(self) -> None:
        pass

    def generate_output(self, writer) -> None:
        charts = Charts.of(self)
        if charts is not None:
            charts.write_files(self.output_path, self.context.get("articles", []))


def _generators(pelican):
    return ChartFilesGenerator


def _feed_generated(context, feed) -> None:
    for item in feed.items:
        for name in ("description", "content"):
            if item.get(name):
                item[name] = for_feeds(item[name])


def register() -> None:
    """Pelican's entry point: the build followed, the SVGs copied, the feeds made plain."""
    Charts.connect()
    resolve_srcset()  # a figure's <source> names the phone's drawing by {static}
    signals.get_generators.connect(_generators)
    signals.feed_generated.connect(_feed_generated)
