"""Notes on entries: what readers will see missing, and what pandoc could not read.

Neither fails a build: pandoc and every citation manager format such entries (a
date it cannot read comes out as "n.d.", a missing publisher is left out), and
the author may want them so. ``invoke check`` lists them, for the works cited,
with the file and line to put them right. What pandoc dropped is found by
comparing what the file says (bibtexparser's fields) with what pandoc read (its
CSL JSON), not by guessing pandoc's rules.
"""

from __future__ import annotations

import re
import unicodedata

from blogsupport.problems import Problem

from .bibfile import BibEntry

# CSL type -> fields (CSL variables) its reference needs, as (variable, BibTeX name).
NEEDED = {
    "article-journal": [("container-title", "journal"), ("volume", "volume"),
                        ("page", "pages")],
    "book": [("publisher", "publisher")],
    "chapter": [("container-title", "booktitle"), ("publisher", "publisher")],
    "paper-conference": [("container-title", "booktitle")],
    "report": [("publisher", "institution")],
    "thesis": [("publisher", "school")],
    "webpage": [("URL", "url")],
}  # fmt: skip
# Words that end the names of organisations: written without braces, such a name is
# read as a person's ("European Central Bank" becomes "Bank, E. C.").
ORGANISATION = re.compile(
    r"\b(?:Agency|Association|Authority|Bank|Board|Bureau|Centre|Center|College|Commission"
    r"|Committee|Council|Department|Foundation|Government|Group|Institute|Institution"
    r"|Ministry|Network|Office|Organi[sz]ation|Parliament|Service|Services|Society|Team"
    r"|Treasury|Trust|Union|University)$"
)


_WORD = re.compile(r"[^\W\d_]{2,}")
_MATH = re.compile(r"\$[^$]*\$")
_LETTER_MACROS = {"ss": "ss", "o": "o", "l": "l", "ae": "ae", "oe": "oe", "aa": "a", "i": "i",
                  "j": "j"}  # fmt: skip
_LETTER = re.compile(r"\\(ss|o|l|ae|oe|aa|i|j)(?![A-Za-z])", re.IGNORECASE)
_ACCENT = re.compile(r"""\\(?:[cvuHkdbtr](?![A-Za-z]) ?|["'`^~=.])""")
_ESCAPE = re.compile(r"\\([&%$#_{}])")
_COMMAND = re.compile(r"\\[A-Za-z]+\*?")
_FOLD = str.maketrans({"ß": "ss", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "æ": "ae", "Æ": "ae",
                       "œ": "oe", "Œ": "oe", "đ": "d", "ı": "i"})  # fmt: skip


def _words(text: str) -> set[str]:
    folded = unicodedata.normalize("NFKD", text.translate(_FOLD))
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return {w.casefold() for w in _WORD.findall(plain)}


def dropped_words(written: str, read: str) -> list[str]:
    """Words of a field as written that pandoc's reading lacks: what a LaTeX command pandoc
    does not know took with it (``\\mbox{Unicode}``). The written words are what is left
    once the commands' own names, accents, maths and braces are taken away."""
    text = _MATH.sub(" ", written)
    text = _LETTER.sub(lambda m: _LETTER_MACROS[m.group(1).lower()], text)
    text = _ESCAPE.sub(r"\1", _ACCENT.sub("", text))
    text = _COMMAND.sub(" ", text).replace("{", "").replace("}", "")
    return sorted(_words(text) - _words(re.sub(r"<[^>]*>", " ", read)))


def _has_date(item: dict, name: str = "issued") -> bool:
    parts = (item.get(name) or {}).get("date-parts") or []
    return bool(parts and parts[0])


def _month_read(item: dict) -> bool:
    parts = (item.get("issued") or {}).get("date-parts") or []
    return bool(parts and parts[0] and len(parts[0]) > 1)


def entry_notes(entry: BibEntry, item: dict | None) -> list[Problem]:
    """What is worth telling the author about one entry, given pandoc's reading of it."""
    notes = []

    def note(message: str, fix: str) -> None:
        notes.append(Problem(entry.path, entry.line, f"'{entry.key}': {message}", fix))

    if item is None:
        return notes
    written_date = entry.field("date") or entry.field("year")
    if written_date and not _has_date(item):
        note(
            f"pandoc cannot read its date '{written_date}', so readers see 'n.d.'",
            "write date = {YYYY-MM-DD} (or YYYY-MM, or YYYY), or year = {YYYY}",
        )
    elif not written_date and not _has_date(item) and not entry.field("pubstate"):
        note("it has no date, so readers see 'n.d.'", "add year = {YYYY} if it has one")
    month = entry.field("month")
    if month and _has_date(item) and not _month_read(item) and not entry.field("date"):
        note(
            f"pandoc cannot read its month '{month}' and leaves it out",
            "write month = nov (no braces), or month = {11}",
        )
    if not item.get("author") and not item.get("editor") and not item.get("translator"):
        note("it has no author or editor, so its title stands in their place", "add author")
    if not item.get("title"):
        note("it has no title", "add title = {...}")
    elif entry.field("title"):
        lost = dropped_words(entry.field("title"), item["title"])
        if lost:
            note(
                f"pandoc leaves {', '.join(repr(w) for w in lost)} out of the title",
                "write those words without the LaTeX command around them",
            )
    for variable, bib in NEEDED.get(item.get("type", ""), []):
        if variable not in item:
            note(f"it has no {bib}, which the style prints for its type", f"add {bib}")
    for name in ("author", "editor"):
        for person in item.get(name) or []:
            written = " ".join(p for p in (person.get("given"), person.get("family")) if p)
            if "literal" not in person and ORGANISATION.search(person.get("family") or ""):
                note(
                    f"{name} '{written}' looks like an organisation, which pandoc reads as a "
                    f"person ({person.get('family')}, {person.get('given') or ''})",
                    f"write it in double braces: {name} = {{{{{written}}}}}",
                )
    return notes
