"""A post's metadata block, checked line by line before Pelican reads it.

Pelican stops at a bad value ("Could not process post.md", no line, no reason)
and the post vanishes from the preview. Here each problem is named with its line
and the fix, and the bad line is left out, so the post still builds (its date
then comes from its file name) while the strict build fails on the warning.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from pelican.utils import get_date

from blogsupport.metadata import metadata_lines
from blogsupport.problems import Problem

KNOWN = {
    "title", "date", "modified", "author", "authors", "category", "tags", "summary", "status",
    "slug", "lang", "translation", "template", "save_as", "url", "csl", "citation-style",
    "nocite", "keywords", "description", "correction", "update",
}  # fmt: skip
DATES = {"date", "modified"}
STATUSES = {"draft", "published", "hidden"}
_FILENAME_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}-")


@dataclass
class Checked:
    """A file's text with bad metadata lines left out, and what was wrong with them."""

    text: str  # the file with any bad metadata line left out
    problems: list[Problem]


_SLUG = re.compile(r"[\w.-]+")


def _inside_site(key: str, value: str) -> bool:
    """Whether an address or file name from a post's metadata stays inside the site (and a
    slug is one: letters, digits, '-', '_', '.')."""
    parts = value.replace("\\", "/").split("/")
    if key == "slug":
        return bool(_SLUG.fullmatch(value.strip())) and value.strip() not in (".", "..")
    return not value.startswith(("/", "\\")) and ".." not in parts and ":" not in parts[0]


def check(text: str, path: str, filename: str) -> Checked:
    """The problems of a post's metadata block, each with its line, and the text to read."""
    problems: list[Problem] = []
    drop: set[int] = set()
    fields = metadata_lines(text)
    keys = {key for _, key, _ in fields}
    for line, key, value in fields:
        if key not in KNOWN:
            close = difflib.get_close_matches(key, sorted(KNOWN), n=1, cutoff=0.75)
            fix = (
                f"did you mean '{close[0].title()}:'?"
                if close
                else ("Pelican keeps it as metadata, but the theme does not use it")
            )
            problems.append(Problem(path, line, f"unknown metadata '{key}'", fix))
        elif key in DATES:
            try:
                get_date(value)
            except (ValueError, TypeError, OverflowError):
                fallback = (
                    "the date in the file name is used meanwhile"
                    if key == "date" and _FILENAME_DATE.match(filename)
                    else "the line is ignored meanwhile"
                )
                problems.append(
                    Problem(
                        path,
                        line,
                        f"'{key.title()}: {value}' is not a date",
                        f"write it as YYYY-MM-DD or YYYY-MM-DD HH:MM; {fallback}",
                    )
                )
                drop.add(line)
        elif key == "status" and value.lower() not in STATUSES:
            problems.append(
                Problem(
                    path,
                    line,
                    f"'Status: {value}' is not a status",
                    "write draft, published or hidden; published is assumed",
                )
            )
            drop.add(line)
        elif key in ("save_as", "url", "slug") and not _inside_site(key, value):
            problems.append(
                Problem(
                    path,
                    line,
                    f"{key.capitalize()} '{value}' "
                    + ("is not a slug" if key == "slug" else "leads outside the site"),
                    (
                        "write letters, digits and hyphens"
                        if key == "slug"
                        else "write a path inside it, without '..' or a leading '/'"
                    )
                    + "; the line is ignored meanwhile",
                )
            )
            drop.add(line)
        elif key == "title" and not value:
            problems.append(Problem(path, line, "the title is empty", "write the post's title"))
    if fields and "title" not in keys:
        problems.append(
            Problem(path, 1, "the post has no Title line", "add 'Title: ...' as the first line")
        )
    if not drop:
        return Checked(text, problems)
    lines = text.splitlines(keepends=True)
    kept = "".join(line for number, line in enumerate(lines, 1) if number not in drop)
    return Checked(kept, problems)
