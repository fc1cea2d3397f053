"""A Blogger export ("Back up content", or Google Takeout's feed.atom), read into entries.

Blogger has written two formats. The older, an Atom feed of the GData API, tells an
entry's kind by a category (``…/kind#post``, ``#comment``, ``#page``, ``#settings``,
``#template``), a draft by ``app:control/app:draft``, a comment's post by
``thr:in-reply-to``, and a post's address by its ``alternate`` link. The newer
(2018, Takeout) says it in Blogger's own elements: ``blogger:type`` (POST, PAGE,
COMMENT), ``blogger:status`` (LIVE, DRAFT, SOFT_TRASHED, DELETED…),
``blogger:filename`` (the address's path), ``blogger:parent`` (a comment's post) and
``blogger:metaDescription`` (the search description). Both are read here into one
shape; what cannot be read is a ``BadExport`` naming the line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

ATOM = "http://www.w3.org/2005/Atom"
KIND_SCHEME = "http://schemas.google.com/g/2005#kind"
KIND_PREFIX = "http://schemas.google.com/blogger/2008/kind#"
LABEL_SCHEME = "http://www.blogger.com/atom/ns#"
APP = "http://purl.org/atom/app#"
THREAD = "http://purl.org/syndication/thread/1.0"
BLOGGER_NAMESPACES = (
    "http://schemas.google.com/blogger/2008",
    "http://schemas.google.com/blogger/2018",
)
KINDS = {"post": "post", "page": "page", "comment": "comment"}
IGNORED_KINDS = {"settings", "template", "layout", "theme"}
LIVE = "live"


class BadExport(Exception):
    """The file is not a Blogger export that can be read; ``line`` where known."""

    def __init__(self, message: str, fix: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message, self.fix, self.line = message, fix, line


@dataclass
class Entry:
    """One post, page or comment, as the export holds it."""

    id: str
    kind: str  # post, page, comment
    line: int
    title: str = ""
    html: str = ""
    published: datetime | None = None
    updated: datetime | None = None
    author: str = ""
    author_url: str = ""
    labels: list[str] = field(default_factory=list)
    status: str = LIVE  # live, draft, deleted
    path: str = ""  # the old address's path: /2017/06/slug.html, /p/about.html
    description: str = ""
    parent: str = ""  # a comment's post
    reply_to: str = ""  # the comment a comment answers


@dataclass
class Export:
    """What the file holds: the blog's title and address, its entries, and entries of
    a kind this importer does not know (kind, line)."""

    title: str
    address: str  # https://NAME.blogspot.com
    entries: list[Entry]
    unknown: list[tuple[str, int]]


def _text(element, name: str, namespaces: tuple[str, ...] = (ATOM,)) -> str:
    for namespace in namespaces:
        found = element.find(f"{{{namespace}}}{name}")
        if found is not None:
            return (found.text or "").strip() if name != "content" else (found.text or "")
    return ""


def _when(text: str, line: int, what: str) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise BadExport(
            f"the {what} date {text!r} is not a date",
            "export the blog again from Blogger (Settings → Back up content)",
            line,
        ) from None


def _kind(entry) -> str | None:
    for category in entry.iter(f"{{{ATOM}}}category"):
        if category.get("scheme") == KIND_SCHEME:
            term = category.get("term", "")
            return term.removeprefix(KIND_PREFIX) if term.startswith(KIND_PREFIX) else term
    typed = _text(entry, "type", BLOGGER_NAMESPACES)
    return typed.lower() or None


def _status(entry, kind: str) -> str:
    status = _text(entry, "status", BLOGGER_NAMESPACES).upper()
    if status:
        if status == "LIVE":
            return LIVE
        if status in ("DRAFT", "SCHEDULED", "IMPORTED", "PENDING"):
            return "draft"
        return "deleted"  # SOFT_TRASHED, DELETED, EMPTY_TRASH, SPAM…
    control = entry.find(f"{{{APP}}}control")
    if control is not None and (control.findtext(f"{{{APP}}}draft") or "").strip() == "yes":
        return "draft"
    return LIVE


def _path(entry) -> str:
    filename = _text(entry, "filename", BLOGGER_NAMESPACES)
    if filename:
        return "/" + filename.lstrip("/")
    for link in entry.iter(f"{{{ATOM}}}link"):
        if link.get("rel") == "alternate" and link.get("type", "text/html") == "text/html":
            return urlsplit(link.get("href", "")).path
    return ""


def _parent(entry) -> tuple[str, str]:
    parent = _text(entry, "parent", BLOGGER_NAMESPACES)
    reply = _text(entry, "inReplyTo", BLOGGER_NAMESPACES)
    if not parent:
        thread = entry.find(f"{{{THREAD}}}in-reply-to")
        if thread is not None:
            parent = thread.get("ref", "")
    # The older format points a reply at its post and names the comment it answers in
    # a link (rel="related"); both formats carry the post id in the parent.
    for link in entry.iter(f"{{{ATOM}}}link"):
        if link.get("rel") == "related" and not reply:
            reply = link.get("href", "").rsplit("/", 1)[-1]
    return parent, reply


def _read_entry(element, kind: str) -> Entry:
    line = element.sourceline or 0
    author = element.find(f"{{{ATOM}}}author")
    labels = []
    for category in element.iter(f"{{{ATOM}}}category"):
        scheme = category.get("scheme", "")
        if scheme == KIND_SCHEME:
            continue
        term = (category.get("term") or "").strip()
        if term and (scheme in ("", LABEL_SCHEME) or scheme.startswith("tag:blogger.com")):
            labels.append(term)
    parent, reply = _parent(element) if kind == "comment" else ("", "")
    return Entry(
        id=_text(element, "id"),
        kind=kind,
        line=line,
        title=_text(element, "title"),
        html=_text(element, "content"),
        published=_when(_text(element, "published"), line, "published"),
        updated=_when(_text(element, "updated"), line, "updated"),
        author=_text(author, "name") if author is not None else "",
        author_url=_text(author, "uri") if author is not None else "",
        labels=list(dict.fromkeys(labels)),
        status=_status(element, kind),
        path=_path(element) if kind != "comment" else "",
        description=_text(element, "metaDescription", BLOGGER_NAMESPACES),
        parent=parent,
        reply_to=reply,
    )


def _ends_whole(path: Path) -> bool:
    """Whether a file that starts as a feed ends as one (a download cut short does not)."""
    with open(path, "rb") as file:
        if b"<feed" not in file.read(4096):
            return True  # not a feed at all: some other mistake
        file.seek(0, 2)
        file.seek(max(0, file.tell() - 64))
        return file.read().rstrip().endswith(b"</feed>")


def read_export(path: Path) -> Export:
    """The export at ``path``; ``BadExport`` when it is not one, or is cut short."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=True, remove_comments=True
    )
    try:
        tree = etree.parse(str(path), parser)
    except etree.XMLSyntaxError as error:
        line = error.lineno if error.lineno else None
        truncated = not _ends_whole(path)
        raise BadExport(
            (
                "the file ends before the export does (cut short?)"
                if truncated
                else f"not well-formed XML ({error.msg})"
            ),
            "export the blog again from Blogger (Settings → Back up content) and use "
            "the whole .xml file",
            line,
        ) from None
    except OSError as error:
        raise BadExport(f"cannot read the file ({error})", "give the path of the export") from None
    root = tree.getroot()
    if root.tag != f"{{{ATOM}}}feed":
        raise BadExport(
            f"not a Blogger export: its root element is <{etree.QName(root).localname}>, "
            "not an Atom <feed>",
            "give the .xml file that Blogger's Settings → Back up content downloads",
            root.sourceline,
        )
    generator = _text(root, "generator")
    blog_id = _text(root, "id")
    first_entry = root.find(f"{{{ATOM}}}entry")
    said = [generator, blog_id, *root.nsmap.values(), _text(first_entry, "id") if (
        first_entry is not None) else ""]  # fmt: skip
    if not any("blogger" in str(word).lower() for word in said):  # trimmed exports lack some
        raise BadExport(
            "an Atom feed, but not one Blogger wrote (no Blogger generator or blog id)",
            "give the .xml file that Blogger's Settings → Back up content downloads",
            root.sourceline,
        )
    address = ""
    for link in root.findall(f"{{{ATOM}}}link"):
        if link.get("rel") == "alternate":
            split = urlsplit(link.get("href", ""))
            address = f"{split.scheme}://{split.netloc}" if split.netloc else ""
    entries, unknown = [], []
    for element in root.iterfind(f"{{{ATOM}}}entry"):
        kind = _kind(element)
        if kind in KINDS:
            entries.append(_read_entry(element, KINDS[kind]))
        elif kind not in IGNORED_KINDS:
            unknown.append((kind or "(no kind)", element.sourceline or 0))
    return Export(_text(root, "title"), address, entries, unknown)
