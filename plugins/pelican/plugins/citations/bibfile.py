"""The .bib files, checked with their lines and cut into entries for the engine.

pandoc reads and formats the entries (engine.py); this module does what pandoc
cannot: say *where* a file is wrong. It decodes each file (naming the encoding of
one that is not UTF-8), reads it with bibtexparser (without its LaTeX decoding,
which pandoc does: only the structure is needed here) for unbalanced braces,
missing commas, entries without a key and duplicate keys, and keeps each entry's
text and line. A post's citations are then formatted from the text of the entries
it cites (with the ``@string`` macros and the entries they ``crossref``), which is
what pandoc would read of the whole file for them.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from blogsupport.problems import Problem
from blogsupport.textfiles import decode, without_controls

# A value that runs into the next field: `title = {X}` then a newline, `journal = ...`.
SWALLOWED_FIELD = re.compile(r"\n[ \t]*([A-Za-z][\w-]*)[ \t]*=")
# Fields whose value names another entry whose fields this one takes (biblatex).
PARENT_FIELDS = ("crossref", "xdata")


@dataclass(frozen=True)
class BibEntry:
    """One entry as written: its key, type, place, text and the fields named."""

    key: str
    type: str
    path: str
    line: int
    text: str
    fields: tuple[tuple[str, str], ...]  # (lower-case name, value as written)
    order: int  # position in the files, for keeping the files' order

    def field(self, name: str) -> str:
        return next((value for key, value in self.fields if key == name), "")

    @property
    def parents(self) -> list[str]:
        names = []
        for name in PARENT_FIELDS:
            names += [k.strip() for k in self.field(name).split(",") if k.strip()]
        return names


@dataclass
class BibIndex:
    """Every entry of the bibliography by key (more than one for a duplicate key), the
    macros, and what is wrong: errors, which change what readers see, and notes."""

    entries: dict[str, list[BibEntry]] = field(default_factory=dict)
    strings: str = ""  # the @string blocks, which any entry may use
    problems: list[Problem] = field(default_factory=list)
    notes: list[tuple[str, Problem]] = field(default_factory=list)  # (the entry's key, note)
    sources: list[tuple[str, str]] = field(default_factory=list)  # (display, decoded text)

    def __contains__(self, key: str) -> bool:
        return key in self.entries

    def first(self, key: str) -> BibEntry:
        return self.entries[key][0]

    def closure(self, keys: Iterable[str]) -> list[str]:
        """``keys`` and every entry they take fields from, at any depth."""
        seen: dict[str, None] = {}
        todo = list(keys)
        while todo:
            key = todo.pop()
            if key in seen or key not in self.entries:
                continue
            seen[key] = None
            for entry in self.entries[key]:
                todo.extend(entry.parents)
        return list(seen)

    def text_for(self, keys: Iterable[str], prefix: str = "") -> str:
        """The BibTeX pandoc needs to read ``keys`` as it would read them in the whole file:
        the macros, then each entry (duplicates too), in the files' order. With ``prefix``,
        without the macros, and every key (and every crossref to one) renamed prefix+key:
        the entries of one post among those of others (see engine.lua)."""
        chosen = [e for key in self.closure(keys) for e in self.entries[key]]
        chosen.sort(key=lambda e: e.order)
        if not prefix:
            return "\n".join([self.strings, *(e.text for e in chosen)])
        return "\n".join(_renamed(e, prefix) for e in chosen)

    def names(self, keys: Iterable[str]) -> set[str]:
        """Everything by which citeproc could find two of these works' citations alike: the
        family names a citation shows (the authors; for a work with none, its editors or
        translators, its parent's, and its title), reduced to letters and digits, accents
        and case gone. Coarser than citeproc's own comparison, so two works whose
        citations it could confuse always share one."""
        found: set[str] = set()
        for key in keys:
            for entry in self.entries.get(key, []):
                own = _names(entry, ("author",))
                if own:
                    found |= own
                    continue
                found |= _names(entry, NAME_FIELDS) | {"title:" + _letters(entry.field("title"))}
                for parent in self.closure(entry.parents):
                    for above in self.entries[parent]:
                        found |= _names(above, NAME_FIELDS)
        return found

    def differing_duplicates(self, key: str) -> list[BibEntry]:
        """The entries of a duplicate key, when they are not the same entry written twice."""
        found = self.entries.get(key, [])
        if len(found) < 2 or len({_normalised(e.text) for e in found}) == 1:
            return []
        return found


def _normalised(text: str) -> str:
    return " ".join(text.split())


_ENTRY_HEAD = re.compile(r"^(\s*@\s*[A-Za-z]+\s*[{(]\s*)")
_PARENT_VALUE = re.compile(r"(?i)\b((?:crossref|xdata)\s*=\s*[{\"]\s*)([^}\"]*)")
_LATEX_COMMAND = re.compile(r"\\(?:[A-Za-z]+|.)")
_FOLD = str.maketrans({"ß": "ss", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "æ": "ae", "Æ": "ae",
                       "œ": "oe", "Œ": "oe", "đ": "d", "ı": "i", "þ": "th"})  # fmt: skip
NAME_FIELDS = ("author", "editor", "translator", "bookauthor", "editora", "editorb")


def _renamed(entry: BibEntry, prefix: str) -> str:
    text = _ENTRY_HEAD.sub(lambda m: m.group(1) + prefix, entry.text, count=1)

    def parents(match: re.Match) -> str:
        keys = [k.strip() for k in match.group(2).split(",")]
        return match.group(1) + ",".join(prefix + k for k in keys if k)

    return _PARENT_VALUE.sub(parents, text)


def _letters(text: str) -> str:
    import unicodedata

    text = _LATEX_COMMAND.sub("", text).translate(_FOLD)
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text.casefold() if c.isascii() and c.isalnum())


def _names(entry: BibEntry, fields: tuple[str, ...]) -> set[str]:
    found = set()
    for field_name in fields:
        value = entry.field(field_name)
        for person in re.split(r"\s+and\s+", value) if value.strip() else []:
            parts = person.split(",", 1)
            family = parts[0] if len(parts) == 2 else person
            words = family.split()
            # The whole family name and its last word: 'van der Berg' may show as 'Berg'.
            found |= {_letters(family), _letters(words[-1] if words else "")}
    found.discard("")
    return found


@contextmanager
def _quiet(logger: logging.Logger) -> Iterator[None]:
    """bibtexparser logs each block it cannot read; those are reported here, with a fix."""
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        logger.setLevel(level)


def _parse_fix(raw: str) -> str:
    if raw.count("{") != raw.count("}"):
        return "its braces are unbalanced: each { needs a matching }"
    return "check the entry's braces, quotes and commas"


def _parse_reason(block) -> str:
    error = block.error
    reason = getattr(error, "abort_reason", None) or getattr(error, "message", None) or error
    return " ".join(str(reason).split()) or "syntax error"


def read_files(sources: list[tuple[str, bytes]]) -> BibIndex:
    """The index of one or more .bib files: (how messages name the file, its bytes)."""
    import bibtexparser
    from bibtexparser.model import (
        DuplicateBlockKeyBlock,
        Entry,
        ParsingFailedBlock,
        String,
    )

    index = BibIndex()
    order = 0
    strings = []
    for path, data in sources:
        text, problem = decode(data, path)
        if problem:
            index.problems.append(problem)
        text, controls = without_controls(text, path)
        index.problems.extend(controls)
        index.sources.append((path, text))
        text = text.replace("\r\n", "\n")  # a bare CR is left: editors do not count it as a line
        with _quiet(logging.getLogger("bibtexparser")):
            library = bibtexparser.parse_string(text)
        for block in library.blocks:
            line = block.start_line + 1
            order += 1
            if isinstance(block, String):
                strings.append(block.raw)
            elif isinstance(block, Entry | DuplicateBlockKeyBlock):
                entry = block if isinstance(block, Entry) else block.ignore_error_block
                if entry is None or not isinstance(entry, Entry):
                    continue
                _add_entry(index, entry, path, line, order)
            elif isinstance(block, ParsingFailedBlock):
                index.problems.append(
                    Problem(
                        path,
                        line,
                        f"cannot read this entry: {_parse_reason(block)}",
                        _parse_fix(block.raw or ""),
                    )
                )
    index.strings = "\n".join(strings)
    for key, found in index.entries.items():
        if len(found) > 1:
            index.notes.append((key, _duplicate_note(key, found, index.differing_duplicates(key))))
    return index


def _add_entry(index: BibIndex, entry, path: str, line: int, order: int) -> None:
    kind = entry.entry_type.lower()
    key = entry.key.strip()
    if not key:
        index.problems.append(
            Problem(
                path,
                line,
                f"an @{kind} entry has no key",
                f"write its key right after '@{kind}{{', then a comma: '@{kind}{{smith2015,'",
            )
        )
        return
    fields = tuple((f.key.lower(), str(f.value)) for f in entry.fields)
    for f in entry.fields:
        swallowed = SWALLOWED_FIELD.search(str(f.value))
        if swallowed:
            at = (f.start_line + 1) if f.start_line is not None else line
            index.problems.append(
                Problem(
                    path,
                    at,
                    f"in '{key}', field '{f.key}' runs into '{swallowed.group(1)}'",
                    f"add the missing comma after the {f.key} field",
                )
            )
    index.entries.setdefault(key, []).append(
        BibEntry(key, kind, path, line, entry.raw, fields, order)
    )


def _duplicate_note(key: str, found: list[BibEntry], differing: list[BibEntry]) -> Problem:
    first, last = found[0], found[-1]
    if differing:
        return Problem(
            last.path,
            last.line,
            f"duplicate key '{key}' (also at line {first.line}), for two different works",
            "rename one of them; pandoc uses the last, and a post that cites it is refused",
        )
    return Problem(
        last.path,
        last.line,
        f"duplicate key '{key}' (also at line {first.line}), the same entry written twice",
        "delete one of them",
    )


def digest(text: str) -> str:
    """A digest of text as read, lone surrogates included (a file not in UTF-8)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
