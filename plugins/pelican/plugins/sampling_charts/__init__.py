"""Sampling charts: statistics computed and drawn when the site builds.

A fenced block with the language ``chart`` holds a chart's parameters in TOML
(``kind = "sampling"``, ``sample = 25``, ...); the plugin computes the numbers,
draws an SVG with matplotlib and puts a figure in its place: the image with
alt text, the caption, and a table of the numbers plotted. Mistakes are logged
as ``path:line: what — what to do`` warnings: the preview shows an error box
where the chart would be, the strict build fails.

Settings: ``build.SCHEMA`` (each with its default and meaning).
"""

from __future__ import annotations

from pelican import signals

from blogsupport.srcset import resolve_srcset

from .build import Charts
from .figure import for_feeds


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
