"""Charts benchmark: the time to draw one chart of each kind, and a site with 200 charts.

Prints the median time to compute and draw one chart of each kind (in this
process, matplotlib already imported), then builds a generated site of 200
posts with a chart in each, cold (no caches) and warm (caches full, nothing
changed), against the same posts without charts and without the plugin.

    python benchmarks/charts.py [--charts 200] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from runner import build, median_build, write_settings
from sitegen import generate

from pelican.plugins.sampling_charts.compute import compute
from pelican.plugins.sampling_charts.spec import parse

KINDS = {
    "sampling": 'kind = "sampling"\nsample = 25\npoor = 0.2\nthreshold = 8',
    "red-beads": 'kind = "red-beads"',
    "verdict-risk": 'kind = "verdict-risk"\nsamples = [25, 30, 50]\nthreshold_share = 0.3',
    "funnel": 'kind = "funnel"\nunits = 60',
    "intervals": 'kind = "intervals"\nsample = 25\npoor = 0.2',
}


def per_kind(repeats: int) -> list[tuple[str, float, int, float, int]]:
    """Each kind's median time to compute and draw, and its SVG's size: for the desktop,
    then for a phone."""
    from pelican.plugins.sampling_charts.draw import NARROW, WIDE, draw

    rows = []
    for kind, block in KINDS.items():
        spec, _ = parse(block)
        row: list = [kind]
        for layout in (WIDE, NARROW):
            draw(compute(spec), layout)  # warm up
            times = []
            for _ in range(repeats):
                start = time.perf_counter()
                svg = draw(compute(spec), layout)
                times.append(time.perf_counter() - start)
            row += [statistics.median(times), len(svg)]
        rows.append(tuple(row))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--charts", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print("| kind | compute and draw, desktop | SVG bytes | compute and draw, phone | SVG bytes |")
    print("|---|---:|---:|---:|---:|")
    for kind, wide, wide_size, narrow, narrow_size in per_kind(max(5, args.runs * 3)):
        print(
            f"| {kind} | {1000 * wide:.0f} ms | {wide_size:,} "
            f"| {1000 * narrow:.0f} ms | {narrow_size:,} |"
        )
    with tempfile.TemporaryDirectory(prefix="bench-charts-") as tmp:
        work = Path(tmp)
        charted = generate(
            work / "charted", args.charts, 10, citations=False, charts=True, chart_every=1
        )
        plain = generate(work / "plain", args.charts, 10, citations=False, charts=False)
        with_charts = write_settings(work, charted, ["pelican.plugins.sampling_charts"], "charted")
        without = write_settings(work, plain, [], "plain")
        results = {}
        for label, cold in (("cold", True), ("warm", False)):
            if not cold:
                build(with_charts)
                build(without)
            results[label] = (
                median_build(without, args.runs, cold).seconds,
                median_build(with_charts, args.runs, cold).seconds,
            )
    print()
    print(f"{args.charts} posts with a chart each; median of {args.runs} builds")
    print("| build | without charts | with charts | ratio |")
    print("|---|---:|---:|---:|")
    for label, (base, ours) in results.items():
        print(f"| {label} | {base:.2f} s | {ours:.2f} s | {ours / base:.2f} |")
    print("Goal: warm ratio under 1.05.")


if __name__ == "__main__":
    main()
