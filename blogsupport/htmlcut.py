"""Elements cut out of HTML our own code wrote, by their opening and closing text.

Found with ``str.find`` from one to the next: linear in the text whatever it holds,
where a lazy pattern (``<span class="x">.*?</span>``) tried from every opening that
has no closing would take quadratic time.
"""

from __future__ import annotations


def cut(html: str, start: str, end: str, keep: str = "") -> str:
    """``html`` with every run from ``start`` to the next ``end`` (both included) replaced
    by ``keep``; an opening with no closing after it, and what follows, are left as they
    are."""
    pieces, position = [], 0
    while (found := html.find(start, position)) != -1:
        close = html.find(end, found + len(start))
        if close == -1:
            break
        pieces += [html[position:found], keep]
        position = close + len(end)
    if not pieces:
        return html
    return "".join(pieces) + html[position:]
