"""Citations benchmark: a 1,000-post site citing 3 works each from a 2,000-entry .bib.

Builds it with the citations plugin and, as the baseline, the same posts without
citations and without the plugin, each cold (no caches) and warm (caches full,
nothing changed), and prints times, ratios and peak memory.

    python benchmarks/citations.py [--posts 1000] [--bib 2000] [--runs 3]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from runner import build, median_build, write_settings
from sitegen import generate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--bib", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-citations-") as tmp:
        work = Path(tmp)
        cited = generate(work / "cited", args.posts, args.bib, citations=True, charts=False)
        plain = generate(work / "plain", args.posts, args.bib, citations=False, charts=False)
        with_plugin = write_settings(work, cited, ["pelican.plugins.citations"], "cited")
        without = write_settings(work, plain, [], "plain")
        rows = []
        for label, cold in (("cold", True), ("warm", False)):
            if not cold:  # fill the caches once
                build(with_plugin)
                build(without)
            base = median_build(without, args.runs, cold)
            ours = median_build(with_plugin, args.runs, cold)
            rows.append((label, base, ours))
    print(f"{args.posts} posts, 3 citations each, {args.bib}-entry .bib; median of {args.runs}")
    print(
        "| build | without plugin | with citations | ratio | peak MB without | "
        "peak MB with (+ worker) |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for label, base, ours in rows:
        print(
            f"| {label} | {base.seconds:.2f} s | {ours.seconds:.2f} s | "
            f"{ours.seconds / base.seconds:.2f} | {base.peak_mb:.0f} | "
            f"{ours.peak_mb:.0f} (+{ours.worker_peak_mb:.0f}) |"
        )
    print("Goal: warm ratio under 1.10, cold under 1.50.")


if __name__ == "__main__":
    main()
