"""Blogger exports built for the tests, in both of Blogger's formats.

Written from Blogger's documented formats and the shape of real exports: the older
GData Atom (kinds as categories, ``app:draft``, ``thr:in-reply-to``, settings and
template entries before the posts) and the newer Takeout ``feed.atom``
(``blogger:type``, ``blogger:status``, ``blogger:filename``, ``blogger:parent``,
``blogger:metaDescription``). The seed site's posts are given the markup Blogger's
editor writes (paragraphs as ``<div>``s and ``<br>``s, bold as styled spans, justified
text, ``&nbsp;`` after full stops), as the author's blog stored them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import markdown

BLOG_ID = "7000000000000000001"
ADDRESS = "https://chrismillschildprotection.blogspot.com"
SEED = Path(__file__).resolve().parent / "sites" / "seed" / "content"
# The seed posts cite with pandoc's syntax; on Blogger they carried numbered markers.
MARKERS = {"[@reason2000]": "[1]", "[-@russell1912]": "[2]"}
REFERENCE_LINES = {
    "gloucestershire-blaming-the-blamers": [
        "[1] Reason J. “Human error: models and management” British Medical Journal 2000; "
        "320:768–70",
        "[2] Russell, B. The Problems of Philosophy (London : Oxford University Press, 1912).",
    ]
}


@dataclass
class Post:
    """A post or page as an export holds it."""

    number: int
    title: str
    html: str
    published: str  # 2017-06-22T10:30:00.000+01:00
    path: str = ""  # /2017/06/slug.html (pages: /p/slug.html)
    labels: list[str] = field(default_factory=list)
    kind: str = "post"
    status: str = "LIVE"  # LIVE, DRAFT, SOFT_TRASHED
    updated: str = ""
    description: str = ""
    author: str = "Chris Mills"

    @property
    def id(self) -> str:
        return f"tag:blogger.com,1999:blog-{BLOG_ID}.post-{self.number}"


@dataclass
class Comment:
    """A reader's comment on a post."""

    number: int
    post: Post
    html: str
    published: str
    author: str = "Anonymous"
    url: str = ""
    status: str = "LIVE"

    @property
    def id(self) -> str:
        return f"tag:blogger.com,1999:blog-{BLOG_ID}.post-{self.number}"


def bloggerise(html: str) -> str:
    """HTML as Blogger's editor writes it."""
    html = re.sub(
        r"<blockquote>(.*?)</blockquote>",
        lambda m: (
            '<blockquote class="tr_bq">'
            + "<br /><br />".join(re.findall(r"<p>(.*?)</p>", m.group(1), flags=re.S))
            + "</blockquote>"
        ),
        html,
        flags=re.S,
    )
    html = re.sub(
        r"<p>(.*?)</p>",
        r'<div style="text-align: justify;">\1&nbsp;</div>'
        r'<div style="text-align: justify;"><br /></div>',
        html,
        flags=re.S,
    )
    html = re.sub(r"\. (?=[A-Z])", ".&nbsp; ", html)
    html = html.replace("<strong>", '<span style="font-weight: bold;">').replace(
        "</strong>", "</span>"
    )
    html = html.replace("<em>", "<i>").replace("</em>", "</i>")
    return f'<div dir="ltr" style="text-align: left;" trbidi="on">\n{html}\n</div>'


def body_of(path: Path) -> tuple[dict[str, str], str]:
    """A Markdown post's metadata and body."""
    text = path.read_text(encoding="utf-8")
    head, _, body = text.partition("\n\n")
    meta = dict(line.split(": ", 1) for line in head.splitlines())
    return meta, body


def blogger_body(path: Path) -> str:
    """A seed post's body as it was on Blogger: numbered markers for citations, its
    reference lines at the foot, no charts (they came with the move)."""
    _, body = body_of(path)
    body = re.sub(r"```chart\n.*?\n```\n?", "", body, flags=re.S)
    for cited, marker in MARKERS.items():
        body = body.replace(cited, marker)
    slug = path.stem[11:]
    for line in REFERENCE_LINES.get(slug, []):
        body = body.rstrip("\n") + "\n\n" + line + "\n"
    return body


def seed_posts() -> list[Post]:
    """The seed site's five posts, as Blogger stored them."""
    posts = []
    for number, path in enumerate(sorted(SEED.glob("*.md")), 101):
        meta, _ = body_of(path)
        day, time = meta["Date"].split()
        slug = path.stem[11:]
        html = bloggerise(markdown.markdown(blogger_body(path), extensions=["extra"]))
        posts.append(
            Post(
                number,
                meta["Title"],
                html,
                f"{day}T{time}:00.000+01:00",
                path=f"/{day[:4]}/{day[5:7]}/{slug}.html",
                labels=[t.strip() for t in meta.get("Tags", "").split(",") if t.strip()],
                description=meta.get("Summary", ""),
            )
        )
    return posts


def about_page() -> Post:
    """The blog's one page, as Blogger addresses pages (/p/…)."""
    return Post(
        201,
        "About me",
        "<div>Who I am.</div>",
        "2017-01-01T09:00:00.000+00:00",
        kind="page",
        path="/p/about-me.html",
    )


def _text(name: str, value: str, **attributes: str) -> str:
    attrs = "".join(f" {k}={quoteattr(v)}" for k, v in attributes.items())
    return f"<{name}{attrs}>{escape(value)}</{name}>"


def old_format(posts: list[Post], comments: list[Comment] = (), title: str = "Chris Mills") -> str:
    """The older export: GData Atom, kinds as categories."""
    kind = "http://schemas.google.com/blogger/2008/kind#"
    scheme = "http://schemas.google.com/g/2005#kind"
    out = [
        "<?xml version='1.0' encoding='UTF-8'?>",
        '<?xml-stylesheet href="http://www.blogger.com/styles/atom.css" type="text/css"?>',
        "<feed xmlns='http://www.w3.org/2005/Atom' xmlns:openSearch='http://a9.com/-/spec/"
        "opensearchrss/1.0/' xmlns:gd='http://schemas.google.com/g/2005' xmlns:thr='http://"
        "purl.org/syndication/thread/1.0' xmlns:georss='http://www.georss.org/georss'>",
        f"<id>tag:blogger.com,1999:blog-{BLOG_ID}.archive</id>",
        "<updated>2017-06-30T09:00:00.000+01:00</updated>",
        _text("title", title, type="text"),
        f"<link rel='alternate' type='text/html' href='{ADDRESS}/'/>",
        "<author><name>Chris Mills</name><email>noreply@blogger.com</email></author>",
        "<generator version='7.00' uri='http://www.blogger.com'>Blogger</generator>",
        f"<entry><id>tag:blogger.com,1999:blog-{BLOG_ID}.settings.BLOG_NAME</id>"
        f"<category scheme='{scheme}' term='{kind}settings'/><title type='text'></title>"
        "<content type='text'>Chris Mills</content></entry>",
        f"<entry><id>tag:blogger.com,1999:blog-{BLOG_ID}.layout</id>"
        f"<category scheme='{scheme}' term='{kind}template'/><title type='text'>Template"
        "</title><content type='html'>&lt;b:skin&gt;&lt;/b:skin&gt;</content></entry>",
    ]
    for post in posts:
        if post.status not in ("LIVE", "DRAFT"):
            continue  # the older export leaves out what was deleted
        parts = [
            f"<entry><id>{post.id}</id>",
            f"<published>{post.published}</published>",
            f"<updated>{post.updated or post.published}</updated>",
            f"<category scheme='{scheme}' term='{kind}{post.kind}'/>",
            *(
                f"<category scheme='http://www.blogger.com/atom/ns#' term={quoteattr(label)}/>"
                for label in post.labels
            ),
            _text("title", post.title, type="text"),
            _text("content", post.html, type="html"),
        ]
        if post.status == "DRAFT":
            parts.append(
                "<app:control xmlns:app='http://purl.org/atom/app#'><app:draft>yes"
                "</app:draft></app:control>"
            )
        else:
            parts.append(
                f"<link rel='alternate' type='text/html' href={quoteattr(ADDRESS + post.path)} "
                f"title={quoteattr(post.title)}/>"
            )
        parts.append(
            f"<author><name>{escape(post.author)}</name><email>noreply@blogger.com"
            "</email></author></entry>"
        )
        out.append("".join(parts))
    for comment in comments:
        post_address = ADDRESS + comment.post.path
        shown = f"{post_address}?showComment=1#c{comment.number}"
        out.append(
            "".join(
                [
                    f"<entry><id>{comment.id}</id><published>{comment.published}</published>",
                    f"<updated>{comment.published}</updated>",
                    f"<category scheme='{scheme}' term='{kind}comment'/>",
                    _text("title", re.sub("<[^>]+>", "", comment.html)[:40], type="text"),
                    _text("content", comment.html, type="html"),
                    f"<link rel='alternate' type='text/html' href={quoteattr(shown)}/>",
                    f"<author><name>{escape(comment.author)}</name>"
                    + (f"<uri>{escape(comment.url)}</uri>" if comment.url else "")
                    + "<email>noreply@blogger.com</email></author>",
                    f"<thr:in-reply-to href={quoteattr(post_address)} ref='{comment.post.id}' "
                    "type='text/html'/></entry>",
                ]
            )
        )
    out.append("</feed>")
    return "\n".join(out) + "\n"


def new_format(posts: list[Post], comments: list[Comment] = (), title: str = "Chris Mills") -> str:
    """The newer export (Takeout's feed.atom): Blogger's own elements."""
    out = [
        "<?xml version='1.0' encoding='utf-8'?>",
        "<feed xmlns='http://www.w3.org/2005/Atom' "
        "xmlns:blogger='http://schemas.google.com/blogger/2018'>",
        f"<id>tag:blogger.com,1999:blog-{BLOG_ID}</id>",
        _text("title", title),
    ]
    for post in posts:
        parts = [
            f"<entry><id>{post.id}</id>",
            f"<blogger:type>{post.kind.upper()}</blogger:type>",
            f"<blogger:status>{post.status}</blogger:status>",
            f"<author><name>{escape(post.author)}</name><uri></uri>"
            "<blogger:type>BLOGGER</blogger:type></author>",
            _text("title", post.title),
            _text("content", post.html, type="html"),
        ]
        if post.description:
            parts.append(_text("blogger:metaDescription", post.description))
        parts += [
            f"<blogger:created>{post.published}</blogger:created>",
            f"<published>{post.published}</published>",
            f"<updated>{post.updated or post.published}</updated>",
            "<blogger:location></blogger:location>",
            *(
                f"<category scheme='tag:blogger.com,1999:blog-{BLOG_ID}' term={quoteattr(label)}/>"
                for label in post.labels
            ),
            _text("blogger:filename", post.path) if post.status != "DRAFT" or post.path else "",
            "<link/><enclosure/><blogger:trashed></blogger:trashed></entry>",
        ]
        out.append("".join(parts))
    for comment in comments:
        out.append(
            "".join(
                [
                    f"<entry><id>{comment.id}</id><blogger:parent>{comment.post.id}</blogger:parent>",
                    "<blogger:inReplyTo></blogger:inReplyTo><blogger:type>COMMENT</blogger:type>",
                    f"<blogger:status>{comment.status}</blogger:status>",
                    f"<author><name>{escape(comment.author)}</name><uri>{escape(comment.url)}</uri>"
                    "<blogger:type>ANONYMOUS</blogger:type></author>",
                    _text("title", ""),
                    _text("content", comment.html, type="html"),
                    f"<published>{comment.published}</published><updated>{comment.published}</updated>",
                    "<blogger:trashed></blogger:trashed></entry>",
                ]
            )
        )
    out.append("</feed>")
    return "\n".join(out) + "\n"
