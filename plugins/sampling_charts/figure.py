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


# The drawing's size in inches (matplotlib's unit), and in CSS pixels for the <img>.
SIZE_IN = (7.2, 4.2)
PIXELS = (round(SIZE_IN[0] * 96), round(SIZE_IN[1] * 96))


@dataclass
class ChartResult:
    """A drawn chart, as the cache keeps it: its SVG's name and its figure's HTML."""

    filename: str
    kind: str
    figure: str


def render_figure(
    data: ChartData, width: int, height: int, src: str, title: str, caption: str, anchor: str
) -> str:
    """A chart's figure: the image, its title and caption, and its table for every reader."""
    heading = f'<strong class="chart-title">{escape(title)}</strong> ' if title else ""
    words = " ".join(escape(part) for part in (caption, data.summary) if part)
    notes = "".join(f"<p>{escape(note)}</p>" for note in data.notes)
    return (
        f'<figure class="chart" id="{anchor}">\n'
        f'<img src="{src}" width="{width}" height="{height}" '
        f'alt="{escape(data.alt, quote=True)}" loading="lazy" decoding="async">\n'
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


def for_feeds(text: str) -> str:
    """Feed readers show every <details> open: the chart and its caption are enough there."""
    return _DATA_TABLE.sub("", text)
