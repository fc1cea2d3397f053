"""A Blogger post's HTML as the Markdown an author would have written.

Blogger's editor writes paragraphs as ``<div>``s and ``<br>``s, bold as styled
``<span>``s, images inside links to their larger size, and keeps whatever was
pasted (inline styles, ``&nbsp;``, Word's markup). The HTML is first made plain
here with lxml (embeds become links, scripts go, styles go, bold and italic spans
become ``<strong>`` and ``<em>``), then markdownify writes the Markdown: of the three
converters measured on Blogger's markup (markdownify, html2text, pandoc; see the
README), it alone made paragraphs of the ``<div>`` soup, kept nested lists, tables
and linked images, and left no raw HTML or stray ``&nbsp;``. Text stays text: what
Markdown, raw HTML or our citations would read as syntax (``*``, ``<``, ``@key``,
a ``#`` or ``1.`` starting a line) is escaped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import lxml.html
from lxml import etree
from markdownify import MarkdownConverter

DROPPED = (
    "script",
    "style",
    "noscript",
    "form",
    "input",
    "button",
    "select",
    "textarea",
    "meta",
    "link",
    "head",
    "title",
    "svg",
    "math",
    "template",
)
EMBEDS = ("iframe", "embed", "object", "video", "audio")
KEPT_ATTRIBUTES = {
    "a": ("href", "title"),
    "img": ("src", "alt", "title"),
    "ol": ("start",),
    "td": ("colspan", "rowspan"),
    "th": ("colspan", "rowspan"),
}
SAFE_SCHEMES = ("http", "https", "mailto", "")
IMAGE_HOSTS = ("bp.blogspot.com", "googleusercontent.com", "blogger.com")
IMAGE_SUFFIX = re.compile(r"\.(jpe?g|png|gif|webp|svg|bmp)$", re.IGNORECASE)
REFERENCE_LINE = re.compile(r"^\\?\[\d{1,3}\\?\]\s+\S.*$", re.MULTILINE)
BOLD = re.compile(r"font-weight\s*:\s*(bold|[6-9]00)", re.IGNORECASE)
ITALIC = re.compile(r"font-style\s*:\s*italic", re.IGNORECASE)


@dataclass
class Converted:
    """A post's Markdown, and what the import report lists about it."""

    markdown: str
    images: list[str] = field(default_factory=list)  # addresses, as the post used them
    embeds: list[str] = field(default_factory=list)  # what became a link, and where to
    removed: list[str] = field(default_factory=list)  # elements dropped (script, form…)
    references: list[str] = field(default_factory=list)  # "[1] Reason J. …" lines


def _scheme(url: str) -> str:
    return urlsplit(url.strip()).scheme.lower()


def _safe(url: str) -> bool:
    return _scheme(url) in SAFE_SCHEMES and not url.strip().lower().startswith("//")


def _embed_link(src: str) -> tuple[str, str] | None:
    """(label, address) of an embed a reader can follow instead; None for no address."""
    src = src.strip()
    if src.startswith("//"):
        src = "https:" + src
    parts = urlsplit(src)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    host = parts.netloc.lower()
    if "youtube.com" in host or "youtube-nocookie.com" in host or host == "youtu.be":
        video = (
            parts.path.rsplit("/", 1)[-1] if "/embed/" in parts.path or host == "youtu.be" else ""
        )
        video = video or (parse_qs(parts.query).get("v") or [""])[0]
        if re.fullmatch(r"[\w-]{6,20}", video):
            return "Watch the video on YouTube", f"https://www.youtube.com/watch?v={video}"
    if "vimeo.com" in host:
        video = parts.path.rstrip("/").rsplit("/", 1)[-1]
        if video.isdigit():
            return "Watch the video on Vimeo", f"https://vimeo.com/{video}"
    return f"See the embedded content on {host}", src


def _looks_like_image(url: str) -> bool:
    parts = urlsplit(url)
    return bool(IMAGE_SUFFIX.search(parts.path)) or any(h in parts.netloc for h in IMAGE_HOSTS)


def _replace(old, new) -> None:
    new.tail = old.tail
    old.getparent().replace(old, new)


def _unwrap(element) -> None:
    element.drop_tag()


def clean(html: str, found: Converted, image_link: Callable[[str], str]) -> etree._Element:
    """Blogger's HTML made plain: the element tree markdownify is given."""
    root = lxml.html.fragment_fromstring(html or "", create_parent="div")
    for comment in root.xpath("//comment() | //processing-instruction()"):
        comment.drop_tree() if comment.getparent() is not None else None
    for element in list(root.iter(*DROPPED)):
        if element.getparent() is not None:
            found.removed.append(element.tag)
            element.drop_tree()
    for element in list(root.iter(*EMBEDS)):
        src = element.get("src") or element.get("data") or ""
        if not src:
            source = element.find(".//source")
            src = source.get("src", "") if source is not None else ""
        link = _embed_link(src) if src else None
        if element.getparent() is None:
            continue
        if link is None:
            found.removed.append(element.tag)
            element.drop_tree()
            continue
        label, address = link
        found.embeds.append(f"{element.tag} → {address}")
        paragraph = lxml.html.Element("p")
        anchor = etree.SubElement(paragraph, "a", href=address)
        anchor.text = label
        _replace(element, paragraph)
    for element in list(root.iter("span", "font")):
        style = element.get("style", "")
        if BOLD.search(style):
            element.tag = "strong"
        elif ITALIC.search(style):
            element.tag = "em"
        else:
            _unwrap(element)
    for element in list(root.iter("u", "center", "big", "small", "abbr", "ins", "mark")):
        _unwrap(element)
    for anchor in list(root.iter("a")):
        href = (anchor.get("href") or "").strip()
        images = anchor.findall("img")
        if (
            images
            and len(anchor) == 1
            and not (anchor.text or "").strip()
            and _looks_like_image(href)
        ):
            image = images[0]
            if _safe(href) and href:
                image.set("src", href)  # the larger size the small one links to
            image.tail = (image.tail or "") + (anchor.tail or "")
            anchor.getparent().replace(anchor, image)
        elif not href or not _safe(href):
            _unwrap(anchor)  # a script address, or none: the text alone
    for image in list(root.iter("img")):
        src = (image.get("src") or "").strip()
        if src.startswith("//"):
            src = "https:" + src
        if not src or _scheme(src) not in ("http", "https", ""):
            found.removed.append("img")
            image.drop_tree()
            continue
        found.images.append(src)
        image.set("src", image_link(src))
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        kept = KEPT_ATTRIBUTES.get(element.tag, ())
        for name in list(element.attrib):
            if name not in kept:
                del element.attrib[name]
    return root


class _Markdown(MarkdownConverter):
    """markdownify, escaping what our Markdown would read as syntax."""

    def escape(self, text, parent_tags):
        if not text:
            return ""
        text = text.replace("\\", "\\\\").replace("`", "\\`")
        text = super().escape(text, parent_tags)  # * and _
        text = re.sub(r"&(?=#?\w+;)", "&amp;", text).replace("<", "&lt;")
        text = re.sub(r"(?<![\w@\\/:.])@(?=[\w{])", r"\\@", text)  # not a citation
        # What would start a heading, a list or a quote at the start of a line
        # (Python-Markdown reads a backslash before # - + > and . as the character).
        text = re.sub(r"^(\s*)(#{1,6}(?:\s|$)|[-+](?:\s|$)|>)", r"\1\\\2", text)
        return re.sub(r"^(\s*\d{1,9})\.(?=\s|$)", r"\1\\.", text)


_CONVERTER = _Markdown(
    heading_style="ATX",
    bullets="-",
    strong_em_symbol="*",
    escape_asterisks=True,
    escape_underscores=True,
    escape_misc=False,
)


def _tidy(markdown: str) -> str:
    markdown = markdown.replace("\xa0", " ").replace("\u200b", "")
    # A run of <br>s is a paragraph break: lines holding only a hard break go.
    markdown = re.sub(r"[ \t]*\n(?:[ \t]*\n)+", "\n\n", markdown)
    markdown = re.sub(r" {2}\n\n", "\n\n", markdown)  # a hard break ending a paragraph
    markdown = re.sub(r"(?<=\S) {2,}(?=\S)", " ", markdown)  # spaces a justified text left
    markdown = re.sub(
        r"[ \t]+$", lambda m: "  " if len(m.group()) >= 2 else "", markdown, flags=re.MULTILINE
    )
    return markdown.strip() + "\n" if markdown.strip() else ""


def to_markdown(html: str, image_link: Callable[[str], str] = lambda url: url) -> Converted:
    """A post's Markdown from its Blogger HTML; ``image_link`` gives each image's new
    address from its old one."""
    found = Converted("")
    root = clean(html, found, image_link)
    found.markdown = _tidy(_CONVERTER.convert(etree.tostring(root, encoding="unicode")))
    found.references = [
        line.replace("\\[", "[").replace("\\]", "]")
        for line in REFERENCE_LINE.findall(found.markdown)
    ]
    return found
