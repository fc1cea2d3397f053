"""A chart's numbers changed since the last publish: said, and not published unannounced.

Charts are computed at every build, so a change of parameters, of data or of the
charts code can change a number readers have already read and quoted. The build
lists each published post's figures with a digest of the numbers each shows
(``charts/numbers.json`` in the site); a publish keeps the list it published
(``published-numbers.json`` at the project's root, to commit with the posts) and, the
next time, names each post whose numbers differ, and refuses to publish it until the
post carries a ``Correction:`` or ``Update:`` line dated since that publish.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

MANIFEST = "published-numbers.json"
BUILT = Path("charts") / "numbers.json"
_NOTICE = re.compile(
    r'<p class="notice" role="note" id="(?:correction|update)-(\d{4}-\d{2}-\d{2})"'
)


def built(output: Path) -> dict:
    """The figures of the site just built: post URL -> anchor -> [number, digest]."""
    path = output / BUILT
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def last_published(root: Path) -> tuple[dt.date | None, dict]:
    """When the site was last published from here, and its figures then."""
    path = root / MANIFEST
    if not path.is_file():
        return None, {}
    kept = json.loads(path.read_text(encoding="utf-8"))
    return dt.date.fromisoformat(kept["published"]), kept.get("charts", {})


def changed(before: dict, after: dict) -> dict[str, list[str]]:
    """Each post whose figures show other numbers than before: its figures, by number."""
    found = {}
    for url, figures in after.items():
        old = before.get(url, {})
        moved = [f"Figure {f[0]} (#{anchor})" for anchor, f in figures.items()
                 if anchor in old and old[anchor][1] != f[1]]  # fmt: skip
        if moved:
            found[url] = moved
    return found


def announced(output: Path, url: str, since: dt.date) -> bool:
    """Whether the built post carries a notice dated on or after ``since``."""
    page = output / url / "index.html" if url.endswith("/") or not url else output / url
    if not page.is_file():
        return False
    dates = _NOTICE.findall(page.read_text(encoding="utf-8"))
    return any(dt.date.fromisoformat(d) >= since for d in dates)


def unannounced(root: Path, output: Path) -> tuple[dt.date | None, dict[str, list[str]]]:
    """The posts whose numbers changed since the last publish and that do not say so."""
    when, before = last_published(root)
    if when is None:
        return None, {}
    moved = changed(before, built(output))
    return when, {url: figures for url, figures in moved.items()
                  if not announced(output, url, when)}  # fmt: skip


def record(root: Path, output: Path, today: dt.date) -> None:
    """What was just published, for the next publish to compare with."""
    kept = {"published": today.isoformat(), "charts": built(output)}
    (root / MANIFEST).write_text(json.dumps(kept, indent=1, sort_keys=True) + "\n", "utf-8")
