"""A chart as a figure: the image, its caption, and the numbers under it.

Every text from the author or a data file is escaped here: a block's content is
data, never markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape as _escape

from blogsupport.textfiles import NOT_XML

from .compute import ChartData, Table


def escape(text: str, quote: bool = True) -> str:
    """Text from a block or a data file as HTML text: escaped, and without the characters
    no page or feed can hold (a CSV label may carry a NUL)."""
    return _escape(NOT_XML.sub("", str(text)), quote=quote)


# The drawing's size in inches (matplotlib's unit): for the desktop's column, and for a
# phone's (chosen below NARROW_BELOW), drawn narrower so that its text is not shrunk.
SIZE_IN = (7.2, 4.2)
NARROW_IN = (3.4, 4.6)
NARROW_BELOW = "37.5rem"


def drawing_inches(kind: str, narrow: bool) -> tuple[float, float]:
    """A chart's drawing size, for the desktop or a phone (taller for the red beads, whose
    two panels a phone's drawing stacks): the one the drawing and the page both use."""
    if not narrow:
        return SIZE_IN
    return (NARROW_IN[0], NARROW_IN[1] * 1.45) if kind == "red-beads" else NARROW_IN


def pixels(inches: tuple[float, float]) -> tuple[int, int]:
    """A drawing's size in CSS pixels, for the page to keep its space."""
    return round(inches[0] * 96), round(inches[1] * 96)


def narrow_name(name: str) -> str:
    """The file (or address) of a chart's phone drawing, beside its desktop one."""
    return name.removesuffix(".svg") + "-narrow.svg"


@dataclass
class ChartResult:
    """A drawn chart, as the cache keeps it: its SVG's name and its figure's HTML."""

    filename: str
    kind: str
    figure: str


def render_figure(data: ChartData, src: str, title: str, caption: str, anchor: str) -> str:
    """A chart's figure: the image (drawn for a phone and for the desktop), its title and
    caption, and its table for every reader."""
    width, height = pixels(drawing_inches(data.kind, narrow=False))
    narrow_width, narrow_height = pixels(drawing_inches(data.kind, narrow=True))
    heading = f'<strong class="chart-title">{escape(title)}</strong> ' if title else ""
    words = " ".join(escape(part) for part in (caption, data.summary) if part)
    notes = "".join(f"<p>{escape(note)}</p>" for note in data.notes)
    return (
        f'<figure class="chart" id="{anchor}">\n'
        f'<picture><source media="(max-width: {NARROW_BELOW})" srcset="{narrow_name(src)}" '
        f'width="{narrow_width}" height="{narrow_height}">'
        f'<img src="{src}" width="{width}" height="{height}" '
        f'alt="{escape(data.alt, quote=True)}" loading="lazy" decoding="async"></picture>\n'
        f"<figcaption><p>{heading}{words}</p>\n"
        # Inside the caption: a figure's caption must be its first or last child.
        f'<details class="chart-data" data-pagefind-ignore>'
        f"<summary>The numbers in this chart</summary>\n"
        f'<div class="table-wrap" tabindex="0" role="region" '
        f'aria-label="{escape(data.table.caption, quote=True)}">'
        f"{render_table(data.table)}</div>{notes}</details></figcaption>\n"
        f"</figure>"
    )


def render_table(table: Table) -> str:
    """A chart's numbers as an accessible table, each row headed."""
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in table.columns)
    body = "\n".join(
        "<tr>"
        + "".join(
            f'<th scope="row">{escape(cell)}</th>' if i == 0 else f"<td>{escape(cell)}</td>"
            for i, cell in enumerate(row)
        )
        + "</tr>"
        for row in table.rows
    )
    return (
        f"<table><caption>{escape(table.caption)}</caption>"
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody></table>"
    )


def render_error(problems: list[str], block: str) -> str:
    """In place of a chart that cannot be drawn: what is wrong, and the block as written."""
    items = "".join(f"<li>{escape(p)}</li>" for p in problems)
    return (
        '<div class="chart-error" role="note">'
        "<p><strong>This chart could not be drawn.</strong></p>"
        f"<ul>{items}</ul><pre><code>{escape(block)}</code></pre></div>"
    )


_DATA_TABLE = re.compile(r'<details class="chart-data"[^>]*>.*?</details>', re.DOTALL)
_PHONE_SOURCE = re.compile(
    r'<picture><source media="[^"]*" srcset="[^"]*-narrow\.svg"[^>]*>(<img [^>]*>)</picture>'
)


def for_feeds(text: str) -> str:
    """Feed readers show every <details> open: the chart and its caption are enough there.
    They lay a post out in their own column, and many ignore a <picture>: the desktop's
    drawing alone."""
    return _PHONE_SOURCE.sub(r"\1", _DATA_TABLE.sub("", text))
