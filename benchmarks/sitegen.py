"""Synthetic sites for the benchmarks: many posts like the author's, reproducibly.

Each post has about 600 words in paragraphs, three tags, three citations from a
generated .bib, and every tenth post a chart block. ``citations=False`` and
``charts=False`` write the same posts without them: plain Pelican builds the
posts with neither as the baseline.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
from pathlib import Path

WORDS = [
    "inspection",
    "authority",
    "sample",
    "cases",
    "children",
    "social",
    "care",
    "judgement",
    "evidence",
    "ofsted",
    "inspector",
    "quality",
    "practice",
    "leadership",
    "local",
    "services",
    "families",
    "risk",
    "protection",
    "assessment",
    "outcome",
    "variation",
    "chance",
    "performance",
    "report",
    "handbook",
    "framework",
    "review",
    "managers",
    "workers",
    "caseload",
    "turnover",
    "culture",
    "learning",
    "blame",
    "safety",
    "system",
    "error",
    "improvement",
    "representative",
    "proportionate",
    "decision",
    "tracking",
    "files",
    "verdict",
    "the",
    "of",
    "and",
    "to",
    "in",
    "that",
    "is",
    "for",
    "it",
    "as",
    "with",
    "was",
    "on",
    "be",
    "by",
    "this",
    "are",
    "not",
    "have",
    "but",
]
TAGS = [f"topic {n}" for n in range(40)]
CATEGORIES = ["Inspection", "Politics", "Practice", "Research"]
# One chart of each kind in turn, with parameters that differ from post to post.
CHARTS = [
    'kind = "sampling"\nsample = {sample}\npoor = {poor}\nthreshold = {threshold}',
    'kind = "red-beads"\nunit = "authority"\nseed = {n}',
    'kind = "verdict-risk"\nsamples = [{sample}, 30, 50]\nthreshold_share = 0.3\nmark = {poor}',
    'kind = "funnel"\nunits = {sample}\npoor = {poor}\nseed = {n}',
    'kind = "intervals"\nsample = {sample}\npoor = {poor}\nseed = {n}',
]
FIRST_DAY = dt.datetime(2010, 1, 4, 9, 0)


def bibtex(entries: int, rng: random.Random) -> str:
    kinds = ["article", "book", "incollection", "report", "online"]
    out = []
    for n in range(entries):
        kind = kinds[n % len(kinds)]
        family = f"Author{n % 700}"
        fields = {
            "author": f"{family}, {chr(65 + n % 26)}. and Other{n % 97}, B.",
            "title": " ".join(rng.choice(WORDS).capitalize() for _ in range(6)),
            "year": str(1970 + n % 50),
        }
        if kind == "article":
            fields |= {
                "journal": "Child Abuse Review",
                "volume": str(n % 40),
                "pages": f"{n % 300}--{n % 300 + 12}",
                "doi": f"10.1000/bench.{n}",
            }
        elif kind == "book":
            fields |= {"publisher": "Policy Press", "address": "Bristol"}
        elif kind == "incollection":
            fields |= {
                "booktitle": "Handbook of Social Care",
                "editor": "Editor, E.",
                "publisher": "Sage",
                "pages": f"{n % 200}--{n % 200 + 20}",
            }
        elif kind == "report":
            fields |= {"institution": "Department for Education", "number": f"DFE-{n}"}
        else:
            fields |= {"url": f"https://example.org/report/{n}", "urldate": "2021-03-04"}
        body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields.items())
        out.append(f"@{kind}{{ref{n},\n{body}\n}}\n")
    return "\n".join(out)


def chart_block(n: int) -> str:
    body = CHARTS[(n // 10) % len(CHARTS)].format(
        n=n, sample=20 + n % 15, poor=round(0.1 + (n % 7) / 20, 2), threshold=6 + n % 4
    )
    return f'```chart\n{body}\ntitle = "Chart {n}"\ncaption = "A generated chart."\n```'


def post(
    n: int,
    rng: random.Random,
    bib_entries: int,
    citations: bool,
    charts: bool,
    chart_every: int = 10,
) -> str:
    date = FIRST_DAY + dt.timedelta(days=n * 2)
    tags = ", ".join(rng.sample(TAGS, 3))
    keys = [f"ref{rng.randrange(bib_entries)}" for _ in range(3)]
    paragraphs = []
    for p in range(8):
        words = [rng.choice(WORDS) for _ in range(75)]
        words[0] = words[0].capitalize()
        text = " ".join(words) + "."
        if citations and p < 3:
            text += (
                f" As @{keys[0]} argues."
                if p == 0
                else f" [see @{keys[1]}, p. {p + 3}]"
                if p == 1
                else f" [@{keys[2]}]"
            )
        paragraphs.append(text)
    if charts and n % chart_every == 0:
        paragraphs.insert(4, chart_block(n if chart_every == 10 else n * 10))
    body = "\n\n".join(paragraphs)
    return (
        f"Title: Post number {n}: on {rng.choice(WORDS)} and {rng.choice(WORDS)}\n"
        f"Date: {date:%Y-%m-%d %H:%M}\n"
        f"Category: {CATEGORIES[n % len(CATEGORIES)]}\n"
        f"Tags: {tags}\n"
        f"Summary: A generated post, number {n}, for the benchmarks.\n\n{body}\n"
    )


def generate(
    target: Path,
    posts: int,
    bib_entries: int = 2000,
    citations: bool = True,
    charts: bool = True,
    seed: int = 1,
    chart_every: int = 10,
) -> Path:
    """Write a content folder at ``target`` (replacing it) and return it."""
    if target.exists():
        shutil.rmtree(target)
    (target / "pages").mkdir(parents=True)
    rng = random.Random(seed)
    (target / "references.bib").write_text(
        bibtex(bib_entries, random.Random(seed)), encoding="utf-8"
    )
    for n in range(posts):
        date = FIRST_DAY + dt.timedelta(days=n * 2)
        name = f"{date:%Y-%m-%d}-post-{n}.md"
        (target / name).write_text(
            post(n, rng, bib_entries, citations, charts, chart_every), encoding="utf-8"
        )
    (target / "pages" / "about.md").write_text(
        "Title: About\n\nA generated site for the benchmarks.\n", encoding="utf-8"
    )
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path)
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--bib", type=int, default=2000)
    parser.add_argument("--no-citations", action="store_true")
    parser.add_argument("--no-charts", action="store_true")
    args = parser.parse_args()
    generate(args.target, args.posts, args.bib, not args.no_citations, not args.no_charts)
    print(f"{args.posts} posts in {args.target}")


if __name__ == "__main__":
    main()
