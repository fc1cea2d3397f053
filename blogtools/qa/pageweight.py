"""What a page costs a reader: the bytes of the HTML, the CSS and the scripts it loads up front.

Images (the charts) and what loads on demand (the search index, loaded by the
search page when it is used) are left out, and counted apart. Run it on a built
site to see the figures the README reports:

    python -m blogtools.qa.pageweight output/
"""

from __future__ import annotations

import argparse
import gzip
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.html


@dataclass
class Weight:
    """What a reader's browser downloads for one page, and what blocks its first render."""

    page: str
    html: int
    css: int
    scripts: int
    gzipped: int
    render_blocking: list[str]

    @property
    def total(self) -> int:
        return self.html + self.css + self.scripts


def _local(output: Path, page: Path, url: str, site_url: str) -> Path | None:
    base = site_url.rstrip("/") + "/" + page.relative_to(output).as_posix()
    absolute = urljoin(base, url)
    if site_url and not absolute.startswith(site_url.rstrip("/") + "/"):
        return None
    path = urlsplit(absolute).path
    prefix = urlsplit(site_url).path.rstrip("/")
    target = output / path[len(prefix) :].lstrip("/")
    return target if target.is_file() else None


def weigh(output: Path, page: Path, site_url: str) -> Weight:
    """The page's up-front weight: its HTML, stylesheets and non-deferred scripts."""
    html = page.read_bytes()
    tree = lxml.html.fromstring(html)
    parts = [html]
    css = scripts = 0
    blocking = []
    for link in tree.xpath("//link[@rel='stylesheet'][@href]"):
        target = _local(output, page, link.get("href"), site_url)
        if target is not None:
            data = target.read_bytes()
            css += len(data)
            parts.append(data)
    for script in tree.xpath("//script"):
        deferred = (
            script.get("defer") is not None
            or script.get("async") is not None
            or script.get("type") == "module"
        )
        if script.get("src") and not deferred:
            blocking.append(script.get("src"))
            target = _local(output, page, script.get("src"), site_url)
            if target is not None:
                data = target.read_bytes()
                scripts += len(data)
                parts.append(data)
    zipped = sum(len(gzip.compress(part, 9)) for part in parts)
    return Weight(page.relative_to(output).as_posix(), len(html), css, scripts, zipped, blocking)


def site_weights(output: Path, site_url: str = "") -> list[Weight]:
    """The weight of every page of a built site."""
    return [weigh(output, page, site_url) for page in sorted(output.rglob("*.html"))]


def folder_bytes(folder: Path) -> int:
    """The size of everything in a folder."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    """Print the table of page weights of a built site."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--site-url", default="")
    args = parser.parse_args(argv)
    weights = site_weights(args.output, args.site_url)
    print("| page | HTML | CSS | scripts up front | total | gzipped |")
    print("|---|---:|---:|---:|---:|---:|")
    for w in sorted(weights, key=lambda w: -w.total)[:12]:
        print(
            f"| {w.page} | {w.html / 1024:.1f} KB | {w.css / 1024:.1f} KB | "
            f"{w.scripts / 1024:.1f} KB | {w.total / 1024:.1f} KB | {w.gzipped / 1024:.1f} KB |"
        )
    charts = (
        sorted((args.output / "charts").glob("*.svg")) if (args.output / "charts").is_dir() else []
    )
    if charts:
        largest = max(p.stat().st_size for p in charts)
        print(f"\n{len(charts)} chart SVGs, the largest {largest / 1024:.1f} KB")
    index = args.output / "pagefind"
    if index.is_dir():
        fragments = index / "fragment"
        print(
            f"search bundle (loaded on demand by the search page): "
            f"{folder_bytes(index) / 1024:.0f} KB in all, of which index and fragments "
            f"{(folder_bytes(index / 'index') + folder_bytes(fragments)) / 1024:.0f} KB"
        )
    blocking = sorted({s for w in weights for s in w.render_blocking})
    print(f"render-blocking scripts: {', '.join(blocking) if blocking else 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
