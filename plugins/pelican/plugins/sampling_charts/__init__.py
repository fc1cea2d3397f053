"""Sampling charts: statistics computed and drawn when the site builds.

A fenced block with the language ``chart`` holds a chart's parameters in TOML
(``kind = "sampling"``, ``sample = 25``, ...); the plugin computes the numbers,
draws an SVG with matplotlib and puts a figure in its place: the image with
alt text, the caption, and a table of the numbers plotted. Mistakes are logged
as ``path:line: what — what to do`` warnings: the preview shows an error box
where the chart would be, the strict build fails.

Settings: ``build.SCHEMA`` (each with its default and meaning).
"""

from .build import register

__all__ = ["register"]
