"""What a reader wrote, made safe to show: the few tags a comment needs, nothing else.

Comments kept from Blogger were written by anyone; they are cleaned with nh3 (a
binding of the Rust ``ammonia`` sanitiser, which is what it is for) when imported
and again when the site is built, so that a record edited by hand is as safe.
"""

from __future__ import annotations

import re

import nh3

TAGS = {"a", "b", "strong", "i", "em", "br", "p", "blockquote", "ul", "ol", "li", "code", "pre"}
_EMPTY_LINK = re.compile(r"<a rel=\"nofollow ugc noopener\">(.*?)</a>", re.DOTALL)


def reader_html(html: str) -> str:
    """A reader's HTML (or plain text with line breaks), as a page may show it: links
    kept only to http(s) and mail addresses, each ``rel="nofollow ugc noopener"``."""
    if "<" not in html:
        html = html.replace("\n", "<br>")
    cleaned = nh3.clean(
        html,
        tags=TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener",
    )
    return _EMPTY_LINK.sub(r"\1", cleaned).strip()  # a link whose address was refused
