"""BibTeX files to CSL-JSON, the data citeproc formats.

Read with bibtexparser 2; the mapping of entry types and fields follows pandoc's
(``pandoc -f bibtex -t csljson``), the reference our output is checked against:
titles become sentence case unless braced, ``{{Ofsted}}`` is one name, ``von``
parts are dropping particles. What cannot be read is reported as a Problem with
the file's line, never raised.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import bibtexparser
from bibtexparser import middlewares
from bibtexparser.model import DuplicateBlockKeyBlock, Entry, ParsingFailedBlock
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from blogtools.problems import Problem

from .markers import BOLD_END, BOLD_START, ITALIC_END, ITALIC_START, NOCASE_END, NOCASE_START
from .model import Bibliography

# Entry types, BibTeX and biblatex, to CSL types.
TYPES = {
    "article": "article-journal",
    "book": "book",
    "mvbook": "book",
    "booklet": "pamphlet",
    "collection": "book",
    "incollection": "chapter",
    "inbook": "chapter",
    "bookinbook": "chapter",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "proceedings": "book",
    "online": "webpage",
    "electronic": "webpage",
    "www": "webpage",
    "report": "report",
    "techreport": "report",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "manual": "report",
    "unpublished": "manuscript",
    "misc": "document",
    "dataset": "dataset",
    "software": "software",
    "patent": "patent",
}
THESIS_GENRES = {"phdthesis": "PhD thesis", "mastersthesis": "Master’s thesis"}
NAME_FIELDS = {"author": "author", "editor": "editor", "translator": "translator"}
# Plain fields: BibTeX name to CSL variable (container-title is decided by type).
FIELDS = {
    "volume": "volume",
    "edition": "edition",
    "chapter": "chapter-number",
    "doi": "DOI",
    "url": "URL",
    "isbn": "ISBN",
    "issn": "ISSN",
    "pmid": "PMID",
    "publisher": "publisher",
    "address": "publisher-place",
    "location": "publisher-place",
    "series": "collection-title",
    "note": "note",
    "type": "genre",
    "version": "version",
    "language": "language",
    "abstract": "abstract",
    "eventtitle": "event",
    "venue": "event-place",
}
TITLE_FIELDS = {"title", "booktitle", "maintitle", "series", "eventtitle"}
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip
DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
# A value that runs into the next field: `title = {X}` then a newline, `journal = ...`
SWALLOWED_FIELD = re.compile(r"\n\s*([A-Za-z][\w-]*)\s*=\s*")


# Fields that hold addresses, not text: LaTeX decoding would eat their & and ~.
VERBATIM_FIELDS = {"url", "doi", "eprint", "file", "pdf"}


_LATEX = re.compile(r"[\\{}~$%&`'\"]|--")


class _LatexDecoding(middlewares.LatexDecodingMiddleware):
    """bibtexparser's LaTeX decoding, leaving URLs and DOIs as written.

    Values with nothing LaTeX would change skip the decoder: most of a .bib is
    plain words, and decoding is most of the time a large file takes to read.
    """

    def _transform_python_value_string(self, python_string: str) -> tuple[str, str]:
        if not _LATEX.search(python_string):
            return python_string, ""
        return super()._transform_python_value_string(python_string)

    def transform_entry(self, entry, library):
        verbatim = {f.key: f.value for f in entry.fields if f.key.lower() in VERBATIM_FIELDS}
        entry = super().transform_entry(entry, library)
        for f in entry.fields:
            if f.key in verbatim:
                f.value = verbatim[f.key].strip().strip("{}").strip()
        return entry


def _decoder() -> LatexNodes2Text:
    """pylatexenc, as bibtexparser sets it up, with markers for emphasis."""
    context = get_default_latex_context_db()
    context.add_context_category(
        "citations-plugin",
        prepend=True,
        macros=[
            MacroTextSpec("url", simplify_repl="%s"),
            MacroTextSpec("emph", simplify_repl=f"{ITALIC_START}%s{ITALIC_END}"),
            MacroTextSpec("textit", simplify_repl=f"{ITALIC_START}%s{ITALIC_END}"),
            MacroTextSpec("textsl", simplify_repl=f"{ITALIC_START}%s{ITALIC_END}"),
            MacroTextSpec("textbf", simplify_repl=f"{BOLD_START}%s{BOLD_END}"),
        ],
    )
    return LatexNodes2Text(latex_context=context, keep_braced_groups=True, math_mode="verbatim")


def read_bibtex(text: str, path: str) -> Bibliography:
    """Parse BibTeX source; ``path`` is how problems name the file."""
    with _quiet(logging.getLogger("bibtexparser")):  # we report failed blocks ourselves
        library = bibtexparser.parse_string(
            text,
            append_middleware=[
                _LatexDecoding(decoder=_decoder()),
                middlewares.SeparateCoAuthors(),
                middlewares.SplitNameParts(),
            ],
        )
    result = Bibliography()
    for block in library.failed_blocks:
        line = block.start_line + 1
        if isinstance(block, DuplicateBlockKeyBlock):
            first = library.entries_dict.get(block.key)
            where = f" (first at line {first.start_line + 1})" if first else ""
            result.problems.append(
                Problem(
                    path,
                    line,
                    f"duplicate key '{block.key}'{where}",
                    "rename one of them; the first one is used",
                )
            )
        elif isinstance(block, ParsingFailedBlock):
            result.problems.append(Problem(path, line, _parse_error(block), _parse_fix(block)))
        else:
            result.problems.append(
                Problem(path, line, "this block could not be read", "check its braces and commas")
            )
    for entry in library.entries:
        line = entry.start_line + 1
        if not entry.key.strip():  # '@book{,' or a stray brace: nothing could cite it
            kind = entry.entry_type.lower()
            result.problems.append(
                Problem(
                    path,
                    line,
                    f"an @{kind} entry has no key",
                    f"write its key right after '@{kind}{{', then a comma: '@{kind}{{smith2015,'",
                )
            )
            continue
        csl, problems = entry_to_csl(entry, path, line)
        result.problems.extend(problems)
        if csl is not None:
            result.entries[entry.key] = csl
            result.locations[entry.key] = (path, line)
    return result


@contextmanager
def _quiet(logger: logging.Logger) -> Iterator[None]:
    """Silence a library's logger and its children for a while."""
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        logger.setLevel(level)


def read_bibtex_file(path: Path, display: str) -> Bibliography:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Bibliography(
            problems=[
                Problem(
                    display,
                    None,
                    "bibliography file not found",
                    "create it, or fix CITATIONS_BIBLIOGRAPHY",
                )
            ]
        )
    except UnicodeDecodeError as error:
        return Bibliography(
            problems=[
                Problem(display, None, f"not UTF-8 text ({error.reason})", "save the file as UTF-8")
            ]
        )
    return read_bibtex(text, display)


def _parse_error(block: ParsingFailedBlock) -> str:
    error = block.error
    reason = getattr(error, "abort_reason", None) or getattr(error, "message", None) or str(error)
    reason = " ".join(str(reason).split()) or "syntax error"
    return f"cannot read this entry: {reason}"


def _parse_fix(block: ParsingFailedBlock) -> str:
    raw = block.raw or ""
    if raw.count("{") != raw.count("}"):
        return "its braces are unbalanced: each { needs a matching }"
    return "check the entry's braces, quotes and commas"


def entry_to_csl(entry: Entry, path: str, line: int) -> tuple[dict | None, list[Problem]]:
    """One bibtexparser entry as CSL-JSON, with anything worth telling the author."""
    problems: list[Problem] = []
    kind = entry.entry_type.lower()
    fields = {f.key.lower(): f for f in entry.fields}

    def value(name: str) -> str:
        return fields[name].value if name in fields and isinstance(fields[name].value, str) else ""

    for f in entry.fields:
        if isinstance(f.value, str):
            swallowed = SWALLOWED_FIELD.search(f.value)
            if swallowed:
                field_line = (f.start_line + 1) if f.start_line is not None else line
                problems.append(
                    Problem(
                        path,
                        field_line,
                        f"in '{entry.key}', field '{f.key}' runs into '{swallowed.group(1)}'",
                        f"add the missing comma after the {f.key} field",
                    )
                )

    csl: dict = {"id": entry.key, "type": TYPES.get(kind, "document")}
    if kind not in TYPES:
        problems.append(
            Problem(
                path,
                line,
                f"entry type @{kind} of '{entry.key}' is unknown",
                "it is formatted as a document; use @article, @book, @online...",
            )
        )
    if kind == "misc" and value("url"):
        csl["type"] = "webpage"

    for bib_name, csl_name in NAME_FIELDS.items():
        if bib_name in fields and isinstance(fields[bib_name].value, list):
            csl[csl_name] = [_name(parts) for parts in fields[bib_name].value]

    title = value("title")
    if value("subtitle"):
        title = f"{title}: {value('subtitle')}" if title else value("subtitle")
    if title:
        csl["title"] = _text(title, sentence_case=True)
        if value("shorttitle"):
            csl["title-short"] = _text(value("shorttitle"), sentence_case=True)
        elif ":" in csl["title"]:
            csl["title-short"] = csl["title"].split(":", 1)[0].strip()

    container = value("journal") or value("journaltitle")
    if container:
        csl["container-title"] = _text(container)
    elif value("booktitle"):
        csl["container-title"] = _text(value("booktitle"), sentence_case=True)
    elif value("maintitle") and kind in ("inbook", "incollection", "bookinbook"):
        csl["container-title"] = _text(value("maintitle"), sentence_case=True)

    number = value("number") or value("issue")
    if number:
        csl["issue" if csl["type"].startswith("article") else "number"] = _text(number)
    if value("pages"):
        csl["page"] = re.sub(r"\s*(?:--|–|—)\s*", "-", _text(value("pages")))
    for bib_name, csl_name in FIELDS.items():
        if value(bib_name) and csl_name not in csl:
            text = _text(value(bib_name), sentence_case=bib_name in TITLE_FIELDS)
            csl[csl_name] = text.strip() if csl_name in ("URL", "DOI") else text
    publisher = (
        value("institution") or value("school") or value("organization") or value("howpublished")
    )
    if publisher and "publisher" not in csl:
        csl["publisher"] = _text(publisher)
    if kind in THESIS_GENRES and "genre" not in csl:
        csl["genre"] = THESIS_GENRES[kind]
    if "DOI" in csl:
        csl["DOI"] = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", "", csl["DOI"], flags=re.I)

    issued, date_problem = _date(value("date"), value("year"), value("month"))
    if issued:
        csl["issued"] = issued
    if date_problem:
        problems.append(
            Problem(
                path,
                line,
                f"in '{entry.key}': {date_problem}",
                "write year = {2017} or date = {2017-06-19}",
            )
        )
    accessed, accessed_problem = _date(value("urldate"), "", "")
    if accessed:
        csl["accessed"] = accessed
    if accessed_problem:
        problems.append(
            Problem(
                path,
                line,
                f"in '{entry.key}': urldate {accessed_problem}",
                "write urldate = {2021-03-04}",
            )
        )

    missing = [
        name
        for name, present in (
            ("author", "author" in csl or "editor" in csl),
            ("title", "title" in csl),
            ("year", "issued" in csl or bool(date_problem)),
        )
        if not present
    ]
    if missing:
        problems.append(
            Problem(
                path,
                line,
                f"entry '{entry.key}' has no {' or '.join(missing)}",
                f"add {', '.join(m + ' = {...}' for m in missing)} so it can be cited properly",
            )
        )
    return csl, problems


def _name(parts) -> dict:
    if not parts.first and not parts.von and not parts.jr and len(parts.last) == 1:
        only = parts.last[0]
        if only.startswith("{") and only.endswith("}"):
            return {"literal": _strip_braces(only)}
    name: dict = {}
    if parts.last:
        name["family"] = _strip_braces(" ".join(parts.last))
    if parts.first:
        name["given"] = _strip_braces(" ".join(parts.first))
    if parts.von:
        name["dropping-particle"] = _strip_braces(" ".join(parts.von))
    if parts.jr:
        name["suffix"] = _strip_braces(" ".join(parts.jr))
    return name


def _strip_braces(text: str) -> str:
    return _typographic_quotes(text.replace("{", "").replace("}", ""))


def _text(text: str, sentence_case: bool = False) -> str:
    """Decoded field text: whitespace collapsed, quotes made typographic, braces as nocase."""
    text = " ".join(text.split())
    text = _typographic_quotes(text)
    if sentence_case:
        text = untitlecase(text)
    return _braces_to_nocase(text)


def _typographic_quotes(text: str) -> str:
    text = text.replace("``", "“").replace("''", "”")
    text = re.sub(r"(?<=\w)'(?=\w)", "’", text)
    text = re.sub(r"(?<=[\s(])`(?=\S)|^`", "‘", text)
    text = re.sub(r"(?<=\S)'(?=[\s),.;:!?]|$)", "’", text)
    return text


def _braces_to_nocase(text: str) -> str:
    """``{DNA}`` keeps its case whatever the style does: a nocase span, as in CSL-JSON."""
    out, depth = [], 0
    for char in text:
        if char == "{":
            if depth == 0:
                out.append(NOCASE_START)
            depth += 1
        elif char == "}" and depth:
            depth -= 1
            if depth == 0:
                out.append(NOCASE_END)
        else:
            out.append(char)
    if depth:
        out.append(NOCASE_END)
    return "".join(out)


_WORD = re.compile(r"\{[^{}]*\}|[^\s{}]+|\s+|[{}]")


def untitlecase(text: str) -> str:
    """Title Case to sentence case, as pandoc reads BibTeX titles.

    Capitalised words are lowered; braced words, words with capitals inside
    (BMJ, McDonald) and the first word stay as written; the word after a colon
    is capitalised.
    """
    out: list[str] = []
    first = True
    after_colon = False
    for token in _WORD.findall(text):
        if token.isspace() or token in "{}":
            out.append(token)
            continue
        if token.startswith("{"):
            out.append(token)
        else:
            letters = [c for c in token if c.isalpha()]
            if after_colon:
                token = _capitalise(token)
            elif (
                not first
                and letters
                and letters[0].isupper()
                and all(c.islower() for c in letters[1:])
            ):
                token = token.lower()
            out.append(token)
        first = False
        after_colon = token.rstrip(ITALIC_END + BOLD_END).endswith((":", "?", "!"))
    return "".join(out)


def _capitalise(token: str) -> str:
    for index, char in enumerate(token):
        if char.isalpha():
            return token[:index] + char.upper() + token[index + 1 :]
    return token


def _date(date: str, year: str, month: str) -> tuple[dict | None, str]:
    """A CSL date from biblatex ``date`` or BibTeX ``year`` and ``month``."""
    if date:
        match = DATE.match(date.strip())
        if not match:
            return None, f"date '{date}' is not YYYY, YYYY-MM or YYYY-MM-DD"
        return {"date-parts": [[int(p) for p in match.groups() if p]]}, ""
    if not year:
        return None, ""
    year_match = re.fullmatch(r"\s*(\d{4})\s*", year)
    if not year_match:
        return None, f"year '{year}' is not a four-digit year"
    parts = [int(year_match.group(1))]
    if month:
        key = month.strip().lower().rstrip(".")
        number = MONTHS.get(key) or (int(key) if key.isdigit() and 1 <= int(key) <= 12 else None)
        if number is None:
            return {"date-parts": [parts]}, f"month '{month}' is not a month"
        parts.append(number)
    return {"date-parts": [parts]}, ""
