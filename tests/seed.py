"""The author's posts as first published (tests/seed-posts.txt), read into parts.

The file is a copy of the author's originals: each post under its date line,
then its title, then its paragraphs one per line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

SEED = Path(__file__).with_name("seed-posts.txt")
DATE_LINE = re.compile(
    r"^(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\d{1,2}) (\w+) (\d{4})$"
)
BULLET = "•"
# The Gloucestershire post's numbered notes became citations from content/references.bib:
# its markers read as the citations now do, and its note lines became the References list.
CITED = {"[1]": "(Reason, 2000)", "[2]": "(1912)"}
NOTE_LINE = re.compile(r"^\[\d\] ")


@dataclass
class SeedPost:
    date: dt.date
    title: str
    paragraphs: list[str]


def normalise(text: str) -> str:
    """Whitespace collapsed, as a browser shows it."""
    return " ".join(text.split())


def seed_posts() -> list[SeedPost]:
    posts: list[SeedPost] = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        match = DATE_LINE.match(line.strip())
        if match:
            day, month, year = match.group(2, 3, 4)
            date = dt.datetime.strptime(f"{day} {month} {year}", "%d %B %Y").date()
            posts.append(SeedPost(date, "", []))
        elif line.strip() and posts:
            if not posts[-1].title:
                posts[-1].title = line.strip()
            else:
                posts[-1].paragraphs.append(normalise(line.lstrip().lstrip(BULLET)))
    return posts


def as_published(post: SeedPost) -> tuple[list[str], list[str]]:
    """The paragraphs as the site shows them, and the note lines now in References."""
    paragraphs, notes = [], []
    for paragraph in post.paragraphs:
        if NOTE_LINE.match(paragraph):
            notes.append(paragraph)
            continue
        for marker, citation in CITED.items():
            paragraph = paragraph.replace(marker, citation)
        paragraphs.append(paragraph)
    return paragraphs, notes
