"""Jinja filters for the theme, set through JINJA_FILTERS in pelicanconf.py.

They live in the settings rather than in a plugin so that the theme renders the
same with no plugins at all (the benchmarks build it that way). The filters that
look across the whole archive remember their last answer: every page of a build
asks the same question of the same list, and a 1,000-post site has 1,000 pages.
"""

from __future__ import annotations

import contextlib
import math
import re
import weakref
from collections.abc import Callable, Sequence
from typing import Any

from markupsafe import Markup, escape

from blogsupport.htmlcut import cut

WORDS_PER_MINUTE = 220
_TAG = re.compile(r"<[^<>]*>")  # not [^>]*: from each unclosed "<" to the end was quadratic


class _LastResult:
    """The result for the last argument seen, by identity.

    The argument is held, so its id cannot be reused by another object while
    the entry lives; a new build passes new lists and so recomputes. (Filters
    stay plain module functions: Pelican pickles its settings into its cache.)
    """

    def __init__(self, compute: Callable[[Any], Any]) -> None:
        self._compute = compute
        self._arg: Any = None
        self._result: Any = None

    def __call__(self, arg: Any) -> Any:
        if self._arg is not arg:
            self._arg, self._result = arg, self._compute(arg)
        return self._result


# What a reader does not read straight through: (start, end) of each such element, and
# what it leaves in its place (a space between blocks, nothing inside a sentence).
_NOT_READ = (
    ('<section class="references"', "</section>", " "),
    ('<span class="cite-preview"', "<!--/preview-->", ""),
    ('<details class="chart-data"', "</details>", " "),
)


def _read_through(html: str) -> str:
    """``html`` without the elements of _NOT_READ (found with str.find: a lazy regex
    stepping through each reference list was the larger part of the filter's time)."""
    for start, end, keep in _NOT_READ:
        html = cut(html, start, end, keep)
    return html


def autoescape(template_name: str | None) -> bool:
    """Jinja's autoescaping, for every HTML and XML template (JINJA_ENVIRONMENT): whatever a
    title, tag or setting holds is text. Only HTML our own code made is marked safe."""
    return template_name is None or template_name.endswith((".html", ".xml"))


_SPACE = re.compile(r"\s+")


class _PerContent:
    """A result for each post or page, kept as long as the post itself and no longer: every
    listing asks again for each post it shows, and the live preview makes a new post object
    at each save (a cache keyed by the HTML kept every version of a long post: 400 MB over
    a hundred saves)."""

    def __init__(self, compute: Callable[[Any], Any]) -> None:
        self._compute = compute
        self._kept: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def __call__(self, content: Any) -> Any:
        try:
            return self._kept[content]
        except (KeyError, TypeError):  # not kept yet, or a string rather than a post
            pass
        value = self._compute(content)
        with contextlib.suppress(TypeError):
            self._kept[content] = value
        return value


def plain_text(html: str) -> str:
    """What a reader reads of some HTML, as text: the elements not read straight through
    (previews, reference lists, charts' tables) left out, entities decoded once, spaces
    collapsed. Parsed as HTML, not stripped with a pattern: a title like '&lt;/title&gt;'
    stays those characters, and a tag in an attribute cannot survive."""
    import lxml.html

    html = _read_through(str(html))
    if not html.strip():
        return ""
    try:
        fragment = lxml.html.fragment_fromstring(html, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return ""
    for unread in fragment.xpath("//script | //style | //template"):
        unread.drop_tree()
    return _SPACE.sub(" ", fragment.text_content()).strip()


def shortened(text: str, words: int) -> str:
    """At most ``words`` words, cut at a word boundary with an ellipsis."""
    parts = text.split()
    if len(parts) <= words:
        return text
    return " ".join(parts[:words]).rstrip(",;:–—-") + "…"


def _description(content: Any, words: int = 40) -> str:
    summary = getattr(content, "metadata", {}).get("summary")
    if summary:
        return plain_text(str(summary))
    return shortened(plain_text(str(getattr(content, "content", ""))), words)


_descriptions = _PerContent(_description)


def description(content: Any) -> str:
    """A post's or page's description as plain text (for <head> and listings): its Summary,
    else the start of its text, at a word."""
    return _descriptions(content)


def listing_summary(content: Any, words: int = 50) -> Markup:
    """What a listing shows under a post's title: its Summary as written (HTML made by
    Markdown from the author's text), else the start of its text, as text."""
    summary = getattr(content, "metadata", {}).get("summary")
    if summary:
        return Markup(str(summary))
    return Markup("<p>") + escape(description(content)) + Markup("</p>")


def safe_html(html: Any) -> Markup:
    """HTML made by our own code (a post's body from Markdown and the plugins): not escaped."""
    return Markup(str(html))


def _minutes(content: Any) -> int:
    html = content if isinstance(content, str) else getattr(content, "content", "")
    words = len(_TAG.sub(" ", _read_through(str(html))).split())
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


_reading_minutes = _PerContent(_minutes)


def reading_minutes(content: Any) -> int:
    """Minutes to read a post (or some HTML) at an unhurried pace, never less than one.

    Reference lists, citation previews and charts' data tables are not read
    straight through.
    """
    return _reading_minutes(content)


def archive_tree(period_archives: dict[str, list[dict]]) -> list[dict]:
    """Years, newest first, each with its months: the sidebar's archive list."""
    return _archive_tree(period_archives)


def _build_archive_tree(period_archives: dict[str, list[dict]]) -> list[dict]:
    months_by_year: dict[int, list[dict]] = {}
    for month in period_archives.get("month", []):
        year = month["period_num"][0]
        months_by_year.setdefault(year, []).append(
            {
                "name": month["period"][1],
                "number": month["period_num"][1],
                "url": month["url"],
                "count": len(month["articles"]),
                "articles": month["dates"],
            }
        )
    return [
        {
            "year": year["period_num"][0],
            "url": year["url"],
            "count": len(year["articles"]),
            "months": months_by_year.get(year["period_num"][0], []),
        }
        for year in period_archives.get("year", [])
    ]


_archive_tree = _LastResult(_build_archive_tree)
_positions = _LastResult(
    lambda articles: {id(article): index for index, article in enumerate(articles)}
)


def neighbours(article: Any, articles: Sequence[Any]) -> tuple[Any, Any]:
    """The newer and the older post around ``article`` (``None`` at the ends).

    ``articles`` is Pelican's list, newest first; a draft is in no list and has
    no neighbours.
    """
    index = _positions(articles).get(id(article))
    if index is None:
        return None, None
    newer = articles[index - 1] if index > 0 else None
    older = articles[index + 1] if index + 1 < len(articles) else None
    return newer, older


def url_path(siteurl: str) -> str:
    """The path part of the site's address ('' at a domain's root): where the site lives."""
    from urllib.parse import urlsplit

    return urlsplit(siteurl).path.rstrip("/") if "://" in siteurl else ""


def absolute_url(path: str, siteurl: str) -> str:
    """Join a site-relative URL onto the public site address."""
    return f"{siteurl.rstrip('/')}/{str(path).lstrip('/')}"


class _Fragments:
    """Rendered fragments, for the objects they were rendered from (held, so that
    their ids cannot be reused, and compared by identity: a new build makes new ones)."""

    def __init__(self) -> None:
        self._owners: tuple = ()
        self._kept: dict[str, str] = {}

    def get(self, owners: tuple, key: str, render: Callable[[], str]) -> str:
        if len(owners) != len(self._owners) or any(
            a is not b for a, b in zip(owners, self._owners, strict=True)
        ):
            self._owners, self._kept = owners, {}
        if key not in self._kept:
            self._kept[key] = render()
        return self._kept[key]


_fragments = _Fragments()


def once(*owners: Any, key: str = "", caller: Callable[[], str]) -> str:
    """A ``{% call once(...) %}`` block's HTML, rendered on the first page that shows it
    and reused on every other page of the build.

    For a block that shows nothing but ``owners`` (objects each build makes anew,
    like ``period_archives`` and ``tags``) and ``key`` (``SITEURL``, which relative
    addresses change with a page's depth): the sidebar, identical on 1,600 pages of
    a 1,000-post site, was a quarter of the time spent rendering them.
    """
    return _fragments.get(owners, str(key), caller)


GLOBALS = {"once": once}

FILTERS = {
    "plain_text": plain_text,
    "description": description,
    "listing_summary": listing_summary,
    "html": safe_html,
    "reading_minutes": reading_minutes,
    "archive_tree": archive_tree,
    "neighbours": neighbours,
    "absolute_url": absolute_url,
    "url_path": url_path,
}
