"""pandoc's citation syntax, parsed: ``[see @doe99, pp. 33-35; @smith04]``, ``@doe99 [p. 3]``.

Pure functions of text, used by the Markdown extension. The rules follow pandoc's
manual (section "Citations"): a key starts with a letter, digit or ``_`` and may
hold internal punctuation; ``-@key`` suppresses the author; text before a key
is its prefix; after a comma come a locator (``p. 33``, ``ch. 3``, ``33-35``)
and a suffix.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

KEY = r"(?:\{(?P<braced>[^{}]+)\}|(?P<plain>\w(?:[\w:.#$%&\-+?<>~/]*\w)?))"
# Where an in-text citation may start: not inside a word, an e-mail address, a
# URL path or after a backslash.
IN_TEXT = re.compile(r"(?<![\w@\\/:.])@" + KEY)
ITEM = re.compile(r"^(?P<prefix>.*?)(?P<minus>-?)@" + KEY + r"(?P<rest>.*)$", re.DOTALL)

# CSL locator labels by the terms authors write (pandoc's English list).
LOCATOR_TERMS = {
    "book": "book", "books": "book", "bk.": "book", "bks.": "book",
    "chapter": "chapter", "chapters": "chapter", "chap.": "chapter", "chaps.": "chapter",
    "ch.": "chapter", "chs.": "chapter",
    "column": "column", "columns": "column", "col.": "column", "cols.": "column",
    "figure": "figure", "figures": "figure", "fig.": "figure", "figs.": "figure",
    "folio": "folio", "folios": "folio", "fol.": "folio", "fols.": "folio",
    "line": "line", "lines": "line", "l.": "line", "ll.": "line",
    "note": "note", "notes": "note", "n.": "note", "nn.": "note",
    "number": "number", "numbers": "number", "no.": "number", "nos.": "number",
    "opus": "opus", "opera": "opus", "op.": "opus", "opp.": "opus",
    "page": "page", "pages": "page", "p.": "page", "pp.": "page",
    "paragraph": "paragraph", "paragraphs": "paragraph", "para.": "paragraph",
    "paras.": "paragraph", "¶": "paragraph", "¶¶": "paragraph",
    "part": "part", "parts": "part", "pt.": "part", "pts.": "part",
    "section": "section", "sections": "section", "sec.": "section", "secs.": "section",
    "§": "section", "§§": "section",
    "sub verbo": "sub verbo", "s.v.": "sub verbo", "s.vv.": "sub verbo",
    "verse": "verse", "verses": "verse", "v.": "verse", "vv.": "verse",
    "volume": "volume", "volumes": "volume", "vol.": "volume", "vols.": "volume",
}  # fmt: skip
_TERMS = "|".join(re.escape(t) for t in sorted(LOCATOR_TERMS, key=len, reverse=True))
_PIECE = r"(?:\d+[a-z]?|[ivxlcdm]+|[IVXLCDM]+)(?:\s*[-–—]\s*(?:\d+[a-z]?|[ivxlcdm]+|[IVXLCDM]+))?"
_NUMBERS = rf"{_PIECE}(?:\s*,\s*{_PIECE}(?![\w]))*"
LABELLED = re.compile(
    rf"^\s*(?P<term>{_TERMS})\s*(?:\{{(?P<braced>[^{{}}]*)\}}|(?P<value>{_NUMBERS})(?![\w]))"
    r"(?P<suffix>.*)$",
    re.DOTALL,
)
_DIGITS = r"\d+[a-z]?(?:\s*[-–—]\s*\d+[a-z]?)?"
UNLABELLED = re.compile(
    rf"^\s*(?P<value>{_DIGITS}(?:\s*,\s*{_DIGITS})*)(?![\w])(?P<suffix>.*)$", re.DOTALL
)


@dataclass(frozen=True)
class CiteItem:
    """One cited work inside a citation, with what surrounds it."""

    key: str
    prefix: str = ""
    suffix: str = ""
    label: str = ""  # CSL locator label (page, chapter, ...), with ``locator``
    locator: str = ""
    suppress_author: bool = False


@dataclass(frozen=True)
class Cluster:
    """A citation as written: one or more items; ``in_text`` for ``@key`` forms."""

    items: tuple[CiteItem, ...]
    in_text: bool = False

    @property
    def keys(self) -> list[str]:
        return [item.key for item in self.items]

    def to_json(self) -> dict:
        return {"items": [asdict(item) for item in self.items], "in_text": self.in_text}

    @classmethod
    def from_json(cls, data: dict) -> Cluster:
        return cls(tuple(CiteItem(**item) for item in data["items"]), bool(data["in_text"]))


def _key(match: re.Match) -> str:
    return match.group("braced") or match.group("plain")


def parse_locator(text: str) -> tuple[str, str, str]:
    """Split what follows an item's comma into (label, locator, suffix).

    ``" pp. 33-35, 38 and passim"`` gives ``("page", "33-35, 38", " and passim")``;
    text with no locator is all suffix, kept with its comma as pandoc keeps it.
    """
    labelled = LABELLED.match(text)
    if labelled:
        value = labelled.group("braced")
        if value is None:
            value = labelled.group("value")
        return LOCATOR_TERMS[labelled.group("term")], value.strip(), labelled.group("suffix")
    unlabelled = UNLABELLED.match(text)
    if unlabelled:
        return "page", unlabelled.group("value").strip(), unlabelled.group("suffix")
    return "", "", "," + text


def parse_item(text: str) -> CiteItem | None:
    """One ``;``-separated part of a bracketed citation, or None if it holds no key."""
    match = ITEM.match(text)
    if not match or IN_TEXT.search(match.group("rest")):
        return None
    prefix = match.group("prefix")
    if prefix and (prefix[-1].isalnum() or prefix.endswith(("\\", "@"))):
        return None  # an address such as doe@example.com, not a citation
    rest = match.group("rest")
    label = locator = ""
    suffix = rest
    if rest.startswith(","):
        label, locator, suffix = parse_locator(rest[1:])
    return CiteItem(
        key=_key(match),
        prefix=prefix.strip(),
        suffix=suffix.rstrip(),
        label=label,
        locator=locator,
        suppress_author=bool(match.group("minus")),
    )


def _split_items(inner: str) -> list[str]:
    """Split on semicolons that are not inside braces."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(inner):
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(0, depth - 1)
        elif char == ";" and depth == 0:
            parts.append(inner[start:index])
            start = index + 1
    parts.append(inner[start:])
    return parts


def parse_bracketed(inner: str) -> Cluster | None:
    """The inside of ``[...]`` as a citation, or None if it is not one."""
    items = []
    for part in _split_items(inner):
        item = parse_item(part)
        if item is None:
            return None
        items.append(item)
    return Cluster(tuple(items)) if items else None


def parse_in_text(key: str, bracket: str | None = None) -> Cluster:
    """``@key`` or ``@key [p. 33]``: the author in the text, the rest in brackets.

    A bracket that holds citations joins them to this one, as pandoc does:
    ``@munro2011 [-@spiegelhalter2005]`` reads "Munro (2011; 2005)".
    """
    label = locator = suffix = ""
    more: tuple[CiteItem, ...] = ()
    if bracket is not None:
        following = parse_bracketed(bracket) if "@" in bracket else None
        if following is not None:
            more = following.items
        else:
            label, locator, suffix = parse_locator(bracket)
            if not locator:
                suffix = bracket
    first = CiteItem(key=key, label=label, locator=locator, suffix=suffix.rstrip())
    return Cluster((first, *more), in_text=True)
