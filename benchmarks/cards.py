"""Link cards benchmark: a first build's cards, drawn in the build's process and on every core.

A site's first build draws a card for every post (a warm one draws none). Prints the
time to draw ``--cards`` cards into an empty cache both ways, each the median of
``--runs``, and their ratio.

    python benchmarks/cards.py [--cards 200] [--runs 3]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import tempfile
import time
from pathlib import Path

import pelican.plugins.link_cards.cards as link_cards


def draw_all(count: int, per_worker: int) -> float:
    """Seconds to draw ``count`` post cards (and the site's) into an empty cache."""
    link_cards.PER_WORKER = per_worker
    with tempfile.TemporaryDirectory() as work:
        cards = link_cards.Cards({"PLUGIN_CACHE_PATH": f"{work}/cache", "SITENAME": "A site"})
        for n in range(count):
            title = f"Post {n}: what a sample of 25 cases can and cannot tell an inspector"
            name = f"{hashlib.sha256(title.encode()).hexdigest()[:20]}.png"
            cards.wanted[name] = ("A site", title, "1 June 2017", "")
        start = time.perf_counter()
        cards.write(Path(work) / "output")
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    default = link_cards.PER_WORKER
    one = [draw_all(args.cards, 10**9) for _ in range(args.runs)]
    every = [draw_all(args.cards, default) for _ in range(args.runs)]
    one_s, every_s = statistics.median(one), statistics.median(every)
    print(f"{args.cards + 1} cards, median of {args.runs}, {os.cpu_count()} cores")
    print(f"{'drawn':<26}{'seconds':>9}{'per card':>11}")
    for label, seconds in (("in the build's process", one_s), ("on every core", every_s)):
        print(f"{label:<26}{seconds:>9.2f}{seconds / (args.cards + 1) * 1000:>9.1f} ms")
    print(f"ratio (every core / one process): {every_s / one_s:.2f}")


if __name__ == "__main__":
    main()
