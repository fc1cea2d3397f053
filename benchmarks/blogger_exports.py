"""Blogger exports built for the tests and the import benchmark, in both formats.

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
SEED = Path(__file__).resolve().parent.parent / "tests" / "sites" / "seed" / "content"
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
class _Numbered:
    """An entry of the export, by its number (Blogger numbers comments as posts)."""

    number: int

    @property
    def id(self) -> str:
        return f"tag:blogger.com,1999:blog-{BLOG_ID}.post-{self.number}"


@dataclass
class Post(_Numbered):
    """A post or page as an export holds it."""

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


@dataclass
class Comment(_Numbered):
    """A reader's comment on a post."""

    post: Post
    html: str
    published: str
    author: str = "Anonymous"
    url: str = ""
    status: str = "LIVE"


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


PARAGRAPH = (
    "Inspectors <b>select</b> samples that reflect the full range of the local authority’s "
    'work&nbsp;with children; the <a href="https://www.gov.uk/ofsted">handbook</a> says how '
    "many, not how. <i>Chance</i> alone moves a verdict more often than one would think."
)


def archive(posts: int, comments: int) -> tuple[list[Post], list[Comment]]:
    """A blog of ``posts`` posts of some seven paragraphs, a list and a quotation each,
    three labels a post, and ``comments`` comments spread over them."""
    labels = ["Ofsted", "sampling", "blame culture", "politics", "children in care", "Protección"]
    made = []
    for n in range(posts):
        year, month, day = 2010 + n // 120, 1 + (n // 10) % 12, 1 + n % 10 * 2
        body = "".join(
            f'<div style="text-align: justify;">{PARAGRAPH} ({n}.{k})</div><div><br /></div>'
            for k in range(7)
        )
        body += "<ul><li>one</li><li>two<ul><li>two and a half</li></ul></li></ul>"
        body += f'<blockquote class="tr_bq">“A quotation, number {n}.”</blockquote>'
        made.append(Post(
            10_000 + n, f"Post number {n}", body,
            f"{year}-{month:02d}-{day:02d}T09:00:00.000+01:00",
            path=f"/{year}/{month:02d}/post-number-{n}.html",
            labels=[labels[(n + i) % len(labels)] for i in range(3)],
        ))  # fmt: skip
    thread = [
        Comment(100_000 + c, made[c % posts], f"Comment {c}: <b>agreed</b><br>with a line.",
                made[c % posts].published, author=f"Reader {c % 50}")
        for c in range(comments)
    ]  # fmt: skip
    return made, thread


# Blogger's editor's markup of each kind, and the Markdown an author would have written.
FEATURES = [
    ('<div>One line<br /><br />a second paragraph<br />with a break</div>',
     "One line\n\na second paragraph  \nwith a break\n"),
    ('<ul><li>one</li><li>two<ul><li>two and a half</li></ul></li></ul>',
     "- one\n- two\n  - two and a half\n"),
    ("<table><tbody><tr><th>Grade</th><th>Count</th></tr><tr><td>Good</td><td>12</td></tr>"
     "</tbody></table>", "| Grade | Count |\n| --- | --- |\n| Good | 12 |\n"),
    ('<div class="separator"><a href="https://1.bp.blogspot.com/x/s1600/c.png"><img alt="A '
     'chart" src="https://1.bp.blogspot.com/x/s320/c.png" /></a></div>',
     "![A chart](https://1.bp.blogspot.com/x/s1600/c.png)\n"),
    ('<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>',
     "[Watch the video on YouTube](https://www.youtube.com/watch?v=dQw4w9WgXcQ)\n"),
    ('<div><span style="font-weight: bold;">Bold</span> and <span style="font-style: '
     'italic;">italic</span>&nbsp;spans</div>', "**Bold** and *italic* spans\n"),
    ("<h3>A heading</h3><blockquote>A quotation</blockquote>", "### A heading\n\n> A quotation\n"),
    ("<div>&lt;b&gt;not bold&lt;/b&gt; and 1. not a list</div>",
     "&lt;b>not bold&lt;/b> and 1. not a list\n"),
]  # fmt: skip
