"""Drawing a chart's data as SVG with matplotlib: small, stable, readable light or dark.

Text stays text (``svg.fonttype = none``); ids and the file are the same for the
same data (``svg.hashsalt``, no date); colours become CSS variables with values
for light and dark mode, so the chart follows the reader's setting even inside
an <img>. Nothing relies on colour alone: hatching, marker shapes, line styles
and direct labels carry the meaning too. Imported only when a chart is drawn.
"""

from __future__ import annotations

import io
import re
import textwrap
import warnings
from dataclasses import dataclass

import matplotlib

matplotlib.use("svg")
from matplotlib.figure import Figure

from .compute import ChartData
from .figure import drawing_inches

# Colours as matplotlib draws them, and the CSS variable each becomes.
PALETTE = {
    "#1c1e21": ("ink", "#1c1e21", "#e7e4dd"),
    "#5a5f66": ("muted", "#5a5f66", "#a8acb3"),
    "#d5d1c8": ("grid", "#d5d1c8", "#3a3e45"),
    "#0a5a8c": ("accent", "#0a5a8c", "#8cc8f2"),
    "#b3401a": ("alert", "#b3401a", "#f0a374"),
    "#6b4fa0": ("second", "#6b4fa0", "#c7a8f0"),
    "#2e7d32": ("third", "#2e7d32", "#8fd694"),
    "#8d6e00": ("fourth", "#8d6e00", "#e8c85a"),
}
INK, MUTED, GRID, ACCENT, ALERT, SECOND, THIRD, FOURTH = PALETTE
CURVES = [(ACCENT, "-"), (ALERT, "--"), (SECOND, "-."), (THIRD, ":"), (FOURTH, "-"), (MUTED, "--")]
# Every text of a chart in points (matplotlib's unit): one size, so that the smallest is
# at least 12 CSS pixels as the page shows it (12.9 in the 608-pixel column, wide; 13.4
# on a 360-pixel phone, narrow; tests/test_chart_text.py measures it in the browser).
TEXT = 11
# Text is laid out with DejaVu Sans's metrics; Verdana is the widespread font nearest them.
FONT = "'DejaVu Sans', Verdana, sans-serif"
RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "sampling-charts",
    "font.size": TEXT,
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "text.color": INK,
    "axes.labelcolor": INK,
    "axes.edgecolor": MUTED,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "xtick.labelcolor": INK,
    "ytick.labelcolor": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": GRID,
    "grid.linewidth": 0.8,
    "hatch.color": INK,
    "hatch.linewidth": 0.8,
    "lines.solid_capstyle": "butt",
    "legend.frameon": False,
    "path.simplify": True,
    "text.parse_math": False,  # a '$' in a title or label is a dollar sign, not maths
}


MARGINS = {
    "default": {"left": 0.12, "right": 0.985, "bottom": 0.135, "top": 0.975},
    "red-beads": {"left": 0.115, "right": 0.985, "bottom": 0.135, "top": 0.92, "wspace": 0.62},
    "intervals": {"left": 0.08, "right": 0.985, "bottom": 0.135, "top": 0.87},
}


@dataclass(frozen=True)
class Layout:
    """How a chart is laid out: the desktop's width, or a phone's (narrow: fewer ticks,
    labels wrapped, legends above the plot, panels stacked)."""

    narrow: bool

    def label(self, text: str, width: int = 30) -> str:
        """An axis label or title, wrapped to the narrow plot's width."""
        return textwrap.fill(text, width) if self.narrow else text

    def legend(self, figure: Figure, axes, **wide) -> None:
        """The legend: where ``wide`` puts it on the desktop, above the plot on a phone."""
        if self.narrow:
            handles = wide.pop("handles", None)
            if handles is None:
                handles, _ = axes.get_legend_handles_labels()
            figure.legend(handles=handles, loc="outside upper left", ncol=1)
        else:
            axes.legend(**wide)


WIDE = Layout(narrow=False)
NARROW = Layout(narrow=True)


def draw(data: ChartData, layout: Layout = WIDE) -> bytes:
    """The chart as SVG, laid out for the desktop or (``NARROW``) for a phone."""
    return _themable(_drawn(data, "svg", layout).decode("utf-8")).encode("utf-8")


def draw_png(data: ChartData) -> bytes:
    """The chart as a PNG on a white ground, for a link card (social sites take no SVG)."""
    return _drawn(data, "png", WIDE, dpi=100, facecolor="white")


def _drawn(data: ChartData, fmt: str, layout: Layout, **options) -> bytes:
    with matplotlib.rc_context(RC):
        size = drawing_inches(data.kind, layout.narrow)
        # A phone's layout is worked out by matplotlib (legends above the plot, wrapped
        # labels): it costs a second drawing. The desktop's margins are fixed, wide
        # enough for the labels: that drawing is the one every build makes.
        figure = Figure(
            figsize=size, facecolor="none", layout="constrained" if layout.narrow else None
        )
        {
            "sampling": _sampling,
            "red-beads": _red_beads,
            "verdict-risk": _verdict_risk,
            "funnel": _funnel,
            "intervals": _intervals,
        }[data.kind](figure, data.plot, layout)
        if not layout.narrow:
            figure.subplots_adjust(**MARGINS.get(data.kind, MARGINS["default"]))
        buffer = io.BytesIO()
        with warnings.catch_warnings():  # text stays text: the reader's browser finds a font
            warnings.filterwarnings("ignore", message="Glyph .* missing from font")
            metadata = {"Date": None, "Creator": None, "Format": None, "Type": None}
            if fmt == "png":
                metadata = {"Software": None}
            figure.savefig(
                buffer,
                format=fmt,
                transparent=fmt == "svg",
                metadata=metadata,
                **options,
            )
    return buffer.getvalue()


def _themable(svg: str) -> str:
    """Colours as CSS variables with light and dark values; a font stack for the text."""
    for hex_colour, (name, _, _) in PALETTE.items():
        svg = svg.replace(hex_colour, f"var(--{name})")
    light = ";".join(f"--{name}:{value}" for name, value, _ in PALETTE.values())
    dark = ";".join(f"--{name}:{value}" for name, _, value in PALETTE.values())
    style = (
        f"<style>svg{{{light}}}@media (prefers-color-scheme:dark){{svg{{{dark}}}}}"
        f"text{{font-family:{FONT}}}</style>"
    )
    svg = svg.replace("font-family: 'DejaVu Sans', sans-serif; ", "")
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.DOTALL)
    svg = re.sub(r"(<svg\b[^>]*>)", lambda m: m.group(1) + style, svg, count=1)
    svg = re.sub(r"\s*\n\s*(?=[LMCQZz] |z\b)", " ", svg)  # path data on one line
    return re.sub(r"\n\s*", "\n", svg)


def _sampling(figure: Figure, plot: dict, layout: Layout) -> None:
    axes = figure.add_subplot()
    ks, pmf, threshold = plot["ks"], plot["pmf"], plot["threshold"]
    safe = [(k, q) for k, q in zip(ks, pmf, strict=True) if k < threshold]
    adverse = [(k, q) for k, q in zip(ks, pmf, strict=True) if k >= threshold]
    if safe:
        axes.bar(*zip(*safe, strict=True), width=0.82, color=ACCENT, label="verdict not adverse")
    if adverse:
        axes.bar(
            *zip(*adverse, strict=True),
            width=0.82,
            color=ALERT,
            hatch="///",
            edgecolor=INK,
            linewidth=0.6,
            label=f"adverse: {threshold} or more (total {100 * plot['adverse']:.1f}%)",
        )
    axes.axvline(threshold - 0.5, color=INK, linestyle="--", linewidth=1)
    axes.set_xlabel(layout.label("Poor cases found in the sample"))
    axes.set_ylabel(layout.label("Probability"))
    axes.yaxis.set_major_formatter(_percent_formatter())
    axes.grid(axis="x", visible=False)
    most = 8 if layout.narrow else 16
    if len(ks) > most:
        axes.xaxis.set_major_locator(
            matplotlib.ticker.MaxNLocator(integer=True, nbins=most * 3 // 4)
        )
    else:
        axes.set_xticks(ks)
    layout.legend(figure, axes, loc="upper right")


def _percent_formatter():
    from matplotlib.ticker import PercentFormatter

    return PercentFormatter(xmax=1.0, decimals=None)


def _red_beads(figure: Figure, plot: dict, layout: Layout) -> None:
    if layout.narrow:
        chart, league = figure.subplots(2, 1, gridspec_kw={"height_ratios": [1.5, 1]})
    else:
        chart, league = figure.subplots(1, 2, gridspec_kw={"width_ratios": [2.3, 1]})
    draws, paddle, names = plot["draws"], plot["paddle"], plot["names"]
    markers = ["o", "s", "^", "D", "v", "P", "X", "*", "h", "<", ">", "p"]
    workers = len(names)
    for w, name in enumerate(names):
        xs = [d * workers + w + 1 for d in range(len(draws))]
        ys = [draws[d][w] / paddle for d in range(len(draws))]
        chart.plot(
            xs,
            ys,
            linestyle="none",
            marker=markers[w % len(markers)],
            markersize=5,
            color=CURVES[w % len(CURVES)][0],
            label=name,
        )
    for d in range(1, len(draws)):
        chart.axvline(d * workers + 0.5, color=GRID, linewidth=1)
    end = len(draws) * workers + 0.6
    chart.hlines(plot["centre"], 0.4, end, color=INK, linewidth=1.2)
    chart.hlines(
        [plot["upper"], plot["lower"]], 0.4, end, color=ALERT, linestyle="--", linewidth=1.2
    )
    chart.text(end, plot["centre"], " mean", va="center", color=INK)
    chart.text(end, plot["upper"], " upper limit", va="center", color=ALERT)
    if plot["lower"] > 0:
        chart.text(end, plot["lower"], " lower limit", va="center", color=ALERT)
    chart.set_xlim(0.3, end + workers * (1.6 if layout.narrow else 0.9))
    chart.set_xticks([d * workers + (workers + 1) / 2 for d in range(len(draws))])
    if layout.narrow:  # the days' numbers, under one label
        chart.set_xticklabels([str(d + 1) for d in range(len(draws))])
        chart.set_xlabel("Day")
    else:
        chart.set_xticklabels([f"Day {d + 1}" for d in range(len(draws))])
    chart.set_ylabel(layout.label("Red beads in the paddle"))
    chart.yaxis.set_major_formatter(_percent_formatter())
    chart.grid(axis="x", visible=False)
    chart.set_title(layout.label("Every draw, with 3-sigma limits", 26), loc="left")
    order = plot["order"]
    league.barh(range(len(order)), [plot["totals"][w] for w in order], color=ACCENT, height=0.7)
    league.set_yticks(range(len(order)))
    league.set_yticklabels([names[w] for w in order])
    league.invert_yaxis()
    for y, w in enumerate(order):
        league.text(plot["totals"][w], y, f" {plot['totals'][w]}", va="center")
    league.set_xlabel("Red beads in total")
    league.grid(axis="y", visible=False)
    league.set_title("The league table", loc="left")
    league.margins(x=0.18)


def _verdict_risk(figure: Figure, plot: dict, layout: Layout) -> None:
    axes = figure.add_subplot()
    shares = plot["shares"]
    for i, n in enumerate(plot["samples"]):
        colour, style = CURVES[i % len(CURVES)]
        axes.plot(
            shares,
            plot["curves"][n],
            color=colour,
            linestyle=style,
            linewidth=2,
            label=f"{n} cases (adverse at {plot['thresholds'][n]}+)",
        )
    if plot["mark"] is not None:
        axes.axvline(plot["mark"], color=MUTED, linestyle=":", linewidth=1.2)
        for i, risk in enumerate(plot["risks"]):
            colour = CURVES[i % len(CURVES)][0]
            axes.plot([plot["mark"]], [risk], marker="o", color=colour, markersize=5)
    axes.set_xlabel(layout.label("True share of poor cases in the authority"))
    axes.set_ylabel(layout.label("Chance of an adverse verdict"))
    axes.xaxis.set_major_formatter(_percent_formatter())
    axes.yaxis.set_major_formatter(_percent_formatter())
    axes.set_ylim(-0.02, 1.02)
    layout.legend(figure, axes, loc="lower right")


def _funnel(figure: Figure, plot: dict, layout: Layout) -> None:
    axes = figure.add_subplot()
    grid = plot["grid"]
    axes.plot(grid, plot["hi95"], color=MUTED, linestyle="--", linewidth=1.2, label="95% limits")
    axes.plot(grid, plot["lo95"], color=MUTED, linestyle="--", linewidth=1.2)
    axes.plot(grid, plot["hi998"], color=INK, linestyle=":", linewidth=1.4, label="99.8% limits")
    axes.plot(grid, plot["lo998"], color=INK, linestyle=":", linewidth=1.4)
    axes.axhline(
        plot["target"], color=INK, linewidth=1, label=f"target {100 * plot['target']:.1f}%"
    )
    kinds = {
        "within": ("o", ACCENT, "within the limits"),
        "outside 95%": ("^", ALERT, "outside 95%"),
        "outside 99.8%": ("X", ALERT, "outside 99.8%"),
    }
    for position, (marker, colour, label) in kinds.items():
        points = [
            (n, x / n)
            for (_, n, x), pos in zip(plot["units"], plot["positions"], strict=True)
            if pos == position
        ]
        if points:
            axes.plot(
                *zip(*points, strict=True),
                linestyle="none",
                marker=marker,
                color=colour,
                markersize=6 if marker == "o" else 8,
                label=label,
                markeredgecolor=INK if marker != "o" else colour,
                markeredgewidth=0.6,
            )
    axes.set_xlabel(layout.label("Cases looked at"))
    axes.set_ylabel(layout.label("Share of poor cases found"))
    axes.yaxis.set_major_formatter(_percent_formatter())
    axes.set_ylim(bottom=max(0.0, axes.get_ylim()[0]))
    layout.legend(figure, axes, loc="upper right", ncol=2)


def _intervals(figure: Figure, plot: dict, layout: Layout) -> None:
    axes = figure.add_subplot()
    truth = plot["truth"]
    for i, ((lo, hi), share, covers) in enumerate(
        zip(plot["intervals"], plot["shares"], plot["covers"], strict=True)
    ):
        y = i + 1
        colour = ACCENT if covers else ALERT
        axes.plot(
            [lo, hi],
            [y, y],
            color=colour,
            linewidth=2.2 if covers else 2.6,
            linestyle="-" if covers else (0, (2, 1)),
        )
        axes.plot(
            [share],
            [y],
            marker="o" if covers else "X",
            color=colour,
            markeredgecolor=INK,
            markeredgewidth=0.5,
            markersize=5 if covers else 7,
        )
    axes.axvline(truth, color=INK, linewidth=1.4)
    axes.set_ylim(0, len(plot["shares"]) + 1)
    axes.set_ylabel("Sample")
    axes.set_xlabel(layout.label(f"Share of poor cases found, with its {plot['level']} interval"))
    from matplotlib.lines import Line2D

    layout.legend(
        figure,
        axes,
        handles=[
            Line2D([], [], color=INK, linewidth=1.4, label=f"true share {100 * truth:.0f}%"),
            Line2D([], [], color=ACCENT, marker="o", linewidth=2.2, label="contains it"),
            Line2D(
                [],
                [],
                color=ALERT,
                marker="X",
                linewidth=2.6,
                linestyle=(0, (2, 1)),
                label="misses it",
            ),
        ],
        loc="upper center",
        bbox_to_anchor=(0.5, 1.12),
        ncol=3,
    )
    axes.xaxis.set_major_formatter(_percent_formatter())
    axes.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    axes.grid(axis="y", visible=False)
    axes.set_xlim(
        max(0.0, min(lo for lo, _ in plot["intervals"]) - 0.05),
        min(1.0, max(hi for _, hi in plot["intervals"]) + 0.05),
    )
