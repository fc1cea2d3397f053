"""A new post's file: dated name, metadata filled in, status draft.

The only thing our tools ever write into content/, and never over a file that
exists: the author's words are not ours to lose.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pelican.utils import slugify

# Pelican's own slug rules, so that the file name matches the URL it gets.
SLUG_SUBSTITUTIONS = [(r"[^\w\s-]", ""), (r"(?u)\A\s*", ""), (r"(?u)\s*\Z", ""), (r"[-\s]+", "-")]


class PostExistsError(FileExistsError):
    """The post's file is already there; nothing was written."""


MAX_SLUG = 80  # characters: a file name and an address to read, and within any file system's


def post_slug(title: str) -> str:
    """The file name's slug for a title, cut at a word when long."""
    slug = slugify(title, regex_subs=SLUG_SUBSTITUTIONS)
    if not slug:
        raise ValueError(f"the title {title!r} has no letters or digits to make a file name from")
    if len(slug) > MAX_SLUG:  # cut at a word: the title itself stays whole in the post
        slug = slug[: MAX_SLUG + 1].rsplit("-", 1)[0] if "-" in slug[:MAX_SLUG] else slug[:MAX_SLUG]
    return slug


def post_text(title: str, when: dt.datetime, author: str, category: str) -> str:
    """The new post's Markdown: metadata to fill in, then room to write."""
    return (
        f"Title: {title}\n"
        f"Date: {when:%Y-%m-%d %H:%M}\n"
        f"Author: {author}\n"
        f"Category: {category}\n"
        "Tags: \n"
        "Summary: \n"
        "Status: draft\n"
        "\n"
        "Write here. The post stays a draft, seen only in the preview, until you\n"
        "delete the Status line above.\n"
    )


def create_post(
    content_dir: Path,
    title: str,
    author: str,
    category: str,
    when: dt.datetime | None = None,
) -> Path:
    """Write ``content/YYYY-MM-DD-slug.md`` and return its path.

    Raises PostExistsError rather than touch an existing file.
    """
    title = " ".join(title.split())  # one line: a line break would start new metadata
    category = " ".join(category.split())
    if not title:
        raise ValueError('a post needs a title: invoke newpost "The title"')
    if not category:
        raise ValueError('a post needs a category: invoke newpost "Title" --category Inspection')
    when = (when or dt.datetime.now()).replace(second=0, microsecond=0)
    path = content_dir / f"{when:%Y-%m-%d}-{post_slug(title)}.md"
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(post_text(title, when, author, category))
    except FileExistsError:
        raise PostExistsError(f"{path} already exists: nothing was written") from None
    return path
