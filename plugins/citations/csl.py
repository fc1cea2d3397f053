"""Citations and reference lists formatted by a CSL style, through citeproc-py.

citeproc-py does the formatting; this module adds what it lacks and pandoc's
citeproc (our reference) has: author-in-text (``Reason (2000)``) and
author-suppressed (``(2000)``) citations, 2000a/2000b disambiguation, links for
DOIs and URLs, italics inside titles, ``display`` blocks of numeric styles, and
pandoc's rule that a citation whose items have a prefix or suffix keeps the
author's order. It does so with a few subclasses of citeproc-py's style
elements that leave markers (markers.py) in the output, turned into HTML here.
"""

from __future__ import annotations

import html
import json
import re
import string
import threading
from functools import lru_cache
from pathlib import Path

import citeproc
from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
from citeproc import model as csl_model
from citeproc.frontend import CitationStylesStyle
from citeproc.source import Date, DateRange, Locator
from citeproc.source.json import CiteProcJSON
from lxml import etree

from . import markers as mk
from .model import FormattedDocument
from .styles import UnknownStyle, resolve_style, style_ref  # noqa: F401
from .syntax import Cluster

CSL_NS = "http://purl.org/net/xbiblio/csl"
_state = threading.local()
# CSL-JSON variables citeproc-py knows; anything else would only raise warnings.
_KNOWN = {v.replace("_", "-") for v in citeproc.VARIABLES} | {"id", "type", "DOI", "URL"}
_DOI_PREFIX = re.compile(r"(https?://(?:dx\.)?doi\.org/)$")


# Style elements --------------------------------------------------------------


_XPATH_ANSWERS: dict = {}
_TERMS: dict = {}


class _XPathMemo:
    """Remembers XPath answers: a style's tree does not change while it formats, and
    citeproc-py asks the same questions for every entry (40% of its time)."""

    def xpath_search(self, expression):
        key = (id(self), expression)
        hit = _XPATH_ANSWERS.get(key)
        if hit is None:  # the element is kept with its answer, so its id stays its own
            hit = _XPATH_ANSWERS[key] = (self, super().xpath_search(expression))
        return hit[1]


class _Memo(_XPathMemo):
    """And the locale's terms, by name and form."""

    def get_term(self, name, form=None, fallback_locale=True, zero_padded=False):
        root = self.get_root()
        key = (id(root), name, form, fallback_locale, zero_padded)
        hit = _TERMS.get(key)
        if hit is None:
            term = super().get_term(name, form, fallback_locale, zero_padded)
            hit = _TERMS[key] = (root, term)
        return hit[1]


class _Names(_Memo, csl_model.Names):
    """Marks the names a citation renders, so they can be moved or dropped."""

    def markup(self, text):
        result = super().markup(text)
        if result and getattr(_state, "in_citation", False) and mk.NAMES_START not in str(result):
            return mk.NAMES_START + result + mk.NAMES_END
        return result


class _Name(_Memo, csl_model.Name):
    """CSL 1.0.2's initialize="false": full given names where the style says so."""

    def get_option(self, name, context=None, sort_options=None):
        if name == "initialize-with" and self.get("initialize") == "false":
            return None
        return super().get_option(name, context, sort_options)


class _Date(_Memo, csl_model.Date):
    """A localised date keeps the locale's delimiter when the style's date sets none."""

    def render_single_date(self, date, show_parts=None, context=None):
        if (
            context is not None
            and context is not self
            and self.is_locale_date()
            and context.get("delimiter") is None
            and self.get("delimiter") is not None
        ):
            parts = self.parts(date, show_parts, context)
            return self.join(parts) if parts else None
        return super().render_single_date(date, show_parts, context)


class _Label(_Memo, csl_model.Label):
    """Labels are in the style's language: title case applies (APA's "(Eds)")."""

    def case(self, text, language=None):
        return super().case(text, language or "en")


def _with_display(element, result):
    display = element.get("display")
    if result and display:
        return mk.DISPLAY_START + display + mk.DISPLAY_SEP + result + mk.DISPLAY_END
    return result


class _Group(_Memo, csl_model.Group):
    def markup(self, text):
        return _with_display(self, super().markup(text))


class _Text(_Memo, csl_model.Text):
    def markup(self, text, language):
        return _with_display(self, super().markup(text, language))

    def _variable(self, item, context):
        # Page locators follow page-range-format as pages do (Chicago's 173–75).
        if self.get("variable") == "locator" and item.has_locator and item.locator.label == "page":
            return self._process(str(item.locator.identifier), "page")
        return super()._variable(item, context)

    def case(self, text, language=None):
        text_case = self.get("text-case")
        if text_case not in ("sentence", "title") or (text_case == "title" and language != "en"):
            return super().case(text, language)
        words = []
        upper = text.isupper()
        for index, word in enumerate(text.words()):
            after_colon = index > 0 and mk.strip(str(words[-1])).endswith((":", "?", "!", "."))
            if text_case == "sentence":
                # pandoc keeps the capital of a word after a colon.
                if not upper and not word.isupper() and not after_colon:
                    word = word.soft_lower()
                if index == 0:
                    word = _capitalise_first(word)
            elif word.islower() and (
                mk.strip(str(word)) not in self._stop_words or index == 0 or after_colon
            ):
                word = _capitalise_first(word)
            words.append(word)
        return " ".join(str(w) for w in words)


def _capitalise_first(word):
    """Upper-case the first letter, past any leading markers."""
    text = str(word)
    for index, char in enumerate(text):
        if char.isalpha():
            return word.__class__(text[:index] + char.upper() + text[index + 1 :])
    return word


_NUMERIC = re.compile(r"^\s*[a-z]*\d+[a-z]*(?:\s*(?:[-–&,]|and)\s*[a-z]*\d+[a-z]*)*\s*$", re.I)


class _If(_Memo, csl_model.If):
    """is-numeric as CSL defines it, for the locator too (APA's "Chapter 3")."""

    def _is_numeric(self, item):
        results = []
        for variable in self.get("is-numeric").split():
            if variable == "locator":
                value = item.locator.identifier if item.has_locator else None
            else:
                value = item.reference.get(variable.replace("-", "_"))
            results.append(value is not None and bool(_NUMERIC.match(str(value))))
        return results


class _ElseIf(_If):
    pass


class _Layout(_Memo, csl_model.Layout):
    """Marks each cite of a citation; keeps the author's order when asked."""

    def render_citation(self, citation, callback):
        bibliography = citation.bibliography
        positions = {id(cite): index for index, cite in enumerate(citation.cites)}
        good = [cite for cite in citation.cites if not cite.is_bad()]
        bad = [cite for cite in citation.cites if cite.is_bad()]
        if not citation.get("keep_order") and self.getparent().sort is not None:
            good.sort(key=lambda cite: bibliography.keys.index(cite.key))
            good = self.getparent().sort.sort(good, self)
        out = []
        for cite in good:
            self.repressed = {}
            try:
                output = self.render_children(cite)
            except csl_model.VariableError:
                continue
            if output is not None:
                text = cite.get("prefix", "") + output + cite.get("suffix", "")
                out.append(
                    mk.ITEM_START + str(positions[id(cite)]) + mk.ITEM_SEP + text + mk.ITEM_END
                )
                self.getparent().cites.append(cite)
        for cite in bad:
            out.append(callback(cite) or f"{cite.key}?")
        return self.format(self.wrap(self.join(out)))

    def render_bibliography(self, citation_items):
        """With second-field-align, the first field (IEEE's [1]) goes in a margin block."""
        if not self.getparent().get("second-field-align"):
            return super().render_bibliography(citation_items)
        output = []
        for item in citation_items:
            self.repressed = {}
            fields = []
            for child in self.iterchildren():
                try:
                    text = child.render(item)
                except csl_model.VariableError:
                    continue
                if text is not None:
                    fields.append(text)
            if not fields:
                continue
            rest = self.format(self.wrap(self.join(fields[1:]))) if fields[1:] else ""
            output.append(
                _with_display_kind("left-margin", fields[0])
                + _with_display_kind("right-inline", rest)
            )
        return output


def _with_display_kind(kind: str, text) -> str:
    if not text:
        return ""
    return mk.DISPLAY_START + kind + mk.DISPLAY_SEP + str(text) + mk.DISPLAY_END


_OVERRIDES = {
    "names": _Names,
    "group": _Group,
    "text": _Text,
    "layout": _Layout,
    "name": _Name,
    "label": _Label,
    "date": _Date,
    "if": _If,
    "else-if": _ElseIf,
}


@lru_cache(maxsize=1)
def _element_classes() -> dict[str, type]:
    """Every CSL element class, with memory, and ours where we change behaviour."""
    classes = {}
    for cls in csl_model.CitationStylesElement.__subclasses__():
        name = cls.__name__.replace("_", "-").lower()
        memo = _XPathMemo if issubclass(cls, csl_model.Locale) else _Memo
        classes[name] = _OVERRIDES.get(name) or type(cls.__name__, (memo, cls), {})
    return classes


class Style(CitationStylesStyle):
    """A CSL style parsed with the element classes above."""

    def __init__(self, path: Path, locale: str) -> None:
        lookup = etree.ElementNamespaceClassLookup()
        namespace = lookup.get_namespace(CSL_NS)
        namespace[None] = csl_model.CitationStylesElement
        namespace.update(_element_classes())
        parser = etree.XMLParser(remove_comments=True, encoding="UTF-8", no_network=True)
        parser.set_element_class_lookup(lookup)
        try:
            self.xml = etree.parse(str(path), parser)
        except (OSError, etree.XMLSyntaxError) as error:
            raise UnknownStyle(f"{path} is not a CSL style ({error})") from None
        self.root = self.xml.getroot()
        if self.root.tag != f"{{{CSL_NS}}}style" or self.root.find(f"{{{CSL_NS}}}citation") is None:
            raise UnknownStyle(f"{path} is not an independent CSL style")
        self.root.set_locale_list(locale, validate=False)
        category = self.root.find(f"{{{CSL_NS}}}info/{{{CSL_NS}}}category[@citation-format]")
        self.numeric = category is not None and category.get("citation-format") == "numeric"
        citation = self.root.find(f"{{{CSL_NS}}}citation")
        self.year_suffix = citation.get("disambiguate-add-year-suffix", "false") == "true"
        self.collapse = citation.get("collapse", "")
        bibliography = self.root.find(f"{{{CSL_NS}}}bibliography")
        self.hanging_indent = (
            bibliography is not None and bibliography.get("hanging-indent") == "true"
        )
        self.fingerprint = style_ref(Path(path), locale).fingerprint


@lru_cache(maxsize=16)
def load_style(path: Path, locale: str) -> Style:
    return Style(path, locale)


# Formatting -----------------------------------------------------------------


class _SuffixedYear(int):
    """A year that prints with its disambiguating letter: 2000a."""

    suffix = ""

    def __new__(cls, year: int, suffix: str) -> _SuffixedYear:
        value = super().__new__(cls, year)
        value.suffix = suffix
        return value

    def __str__(self) -> str:
        return f"{int(self)}{self.suffix}"

    def __abs__(self) -> _SuffixedYear:
        return self if self >= 0 else _SuffixedYear(-int(self), self.suffix)


def _for_citeproc(entry: dict) -> dict:
    """CSL-JSON as citeproc-py reads it: escaped (it escapes no field), with our markers."""
    out = {}
    for name, value in entry.items():
        if name not in _KNOWN:
            continue
        if isinstance(value, str) and name not in ("id", "type"):
            value = html.escape(value, quote=False)
            value = value.replace(mk.NOCASE_START, '<span class="nocase">').replace(
                mk.NOCASE_END, "</span>"
            )
            if name in ("URL", "DOI"):
                value = mk.LINK_START + value + mk.LINK_END
        elif isinstance(value, list):
            value = [
                {
                    k: html.escape(mk.strip(v), quote=False) if isinstance(v, str) else v
                    for k, v in person.items()
                }
                for person in value
            ]
        out[name] = value
    return out


def _citation(cluster: Cluster, numeric: bool) -> Citation:
    items = []
    for item in cluster.items:
        extra = {}
        if item.locator:
            extra["locator"] = Locator(item.label or "page", item.locator)
        if item.prefix:
            extra["prefix"] = _inline_markup(item.prefix) + " "
        if item.suffix:
            extra["suffix"] = _inline_markup(item.suffix)
        items.append(CitationItem(item.key, **extra))
    citation = Citation(items)
    in_text = cluster.in_text and not numeric  # the author named must stay first
    if in_text or any(item.prefix or item.suffix for item in cluster.items):
        citation["keep_order"] = True  # pandoc does not sort these
    return citation


def _inline_markup(text: str) -> str:
    """A prefix or suffix as HTML: escaped, with *emphasis* as in Markdown."""
    escaped = html.escape(text, quote=False)
    escaped = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", escaped)
    return re.sub(r"(?<![\w*])[*_](?!\s)(.+?)(?<!\s)[*_](?![\w*])", r"<em>\1</em>", escaped)


def format_document(
    style: Style,
    references: list[dict],
    clusters: list[Cluster],
) -> FormattedDocument:
    """Format every cluster of a document and its reference list.

    ``references`` are the CSL-JSON entries of the document, cited ones in order
    of first citation, then those only listed by ``nocite``; every key in
    ``clusters`` must be among them.
    """
    originals = {entry["id"].lower(): entry["id"] for entry in references}
    source = CiteProcJSON([_for_citeproc(entry) for entry in references])
    bibliography = CitationStylesBibliography(style, source, formatter.html)
    citations = [_citation(cluster, style.numeric) for cluster in clusters]
    # Register plain items, in the order of first citation (numeric styles number by
    # it): citeproc-py would otherwise format the reference list with a cite's locator.
    bibliography.register(Citation([CitationItem(entry["id"]) for entry in references]))
    for citation in citations:
        citation.bibliography = bibliography
    if len(references) > 1:
        bibliography.sort()
    if style.year_suffix and not style.numeric and _may_collide(references):
        _disambiguate(bibliography, source)
        bibliography.sort()

    rendered = []
    _state.in_citation = True
    try:
        for cluster, citation in zip(clusters, citations, strict=True):
            text = str(bibliography.cite(citation, lambda cite: None))
            rendered.append(_cluster_segments(text, cluster, style))
    finally:
        _state.in_citation = False
    entries = []
    layout = style.root.bibliography.layout
    by_key = {entry["id"]: entry for entry in references}
    for number, (key, item) in enumerate(zip(bibliography.keys, bibliography.items, strict=True)):
        original = originals[key]
        issued = source[key].get("issued")
        memo_key = (
            style.fingerprint,
            json.dumps(by_key[original], sort_keys=True, default=str),
            str(getattr(issued, "year", "")),
            number if style.numeric else None,
        )
        text = _ENTRY_MEMO.get(memo_key)
        if text is None:  # a work cited by many posts is formatted once per process
            output = layout.render_bibliography([item])
            text = _ENTRY_MEMO[memo_key] = _finish(str(output[0])) if output else ""
        entries.append((original, text))
    return FormattedDocument(rendered, entries, style.numeric, style.hanging_indent)


# Formatted entries by style, entry (as JSON), year with any suffix, and number in
# numeric styles.
_ENTRY_MEMO: dict[tuple, str] = {}


def _may_collide(references: list[dict]) -> bool:
    """Whether two works share a first author and a year: only then can they read alike."""
    seen = set()
    for entry in references:
        names = entry.get("author") or entry.get("editor") or [{}]
        first = names[0].get("family") or names[0].get("literal") or entry.get("title", "")
        year = (entry.get("issued") or {}).get("date-parts", [[None]])[0][0]
        if (first, year) in seen:
            return True
        seen.add((first, year))
    return False


def _disambiguate(bibliography: CitationStylesBibliography, source: CiteProcJSON) -> None:
    """2000a, 2000b: works whose citations read the same, lettered in reference-list order."""
    _state.in_citation = True
    try:
        seen: dict[str, list[str]] = {}
        for key in bibliography.keys:
            probe = Citation([CitationItem(key)])
            probe.bibliography = bibliography
            text = mk.strip(str(bibliography.style.render_citation(probe, [], lambda c: None)))
            seen.setdefault(text, []).append(key)
    finally:
        _state.in_citation = False
    for keys in seen.values():
        if len(keys) < 2:
            continue
        for letter, key in zip(string.ascii_lowercase, keys, strict=False):
            issued = source[key].get("issued")
            if isinstance(issued, DateRange):
                issued = issued.begin
            if isinstance(issued, Date):
                issued["year"] = _SuffixedYear(int(issued.year), letter)


_ITEM = re.compile(
    re.escape(mk.ITEM_START) + r"(\d+)" + re.escape(mk.ITEM_SEP) + "(.*?)" + re.escape(mk.ITEM_END),
    re.DOTALL,
)
_NAMES = re.compile(re.escape(mk.NAMES_START) + "(.*?)" + re.escape(mk.NAMES_END), re.DOTALL)


def _drop_names(text: str) -> str:
    """A cite without its author: '(Reason, 2000)' -> '(2000)'."""
    match = _NAMES.search(text)
    if not match:
        return text
    rest = text[match.end() :]
    rest = re.sub(r"^[,;:]?\s*", "", rest)
    return text[: match.start()] + rest


def _cluster_segments(text: str, cluster: Cluster, style: Style) -> list[tuple[int | None, str]]:
    author = ""
    if cluster.in_text:
        names = _NAMES.search(text)
        if names:
            author = _finish(names.group(1))

    def item_text(match: re.Match) -> tuple[int, str]:
        index = int(match.group(1))
        body = match.group(2)
        if (cluster.in_text and index == 0) or cluster.items[index].suppress_author:
            body = _drop_names(body)
        return index, body

    segments: list[tuple[int | None, str]] = []
    position = 0
    for match in _ITEM.finditer(text):
        if match.start() > position:
            segments.append((None, text[position : match.start()]))
        segments.append(item_text(match))
        position = match.end()
    if position < len(text):
        segments.append((None, text[position:]))
    segments = [(index, _finish(body)) for index, body in segments]
    if style.collapse in ("year", "year-suffix", "year-suffix-ranged"):
        segments = _collapse_years(segments, text)
    if author:  # Reason (2000): one link, as one phrase
        rest = "".join(body for _, body in segments).strip()
        segments = [(0, f"{author} {rest}" if rest else author)]
    return segments


def _collapse_years(segments, raw: str):
    """'(Reason, 1990; Reason, 2000)' -> '(Reason, 1990, 2000)', as collapse="year" asks."""
    names = [_NAMES.search(m.group(2)) for m in _ITEM.finditer(raw)]
    cited = [(i, s) for i, s in enumerate(segments) if s[0] is not None]
    if len(cited) < 2 or len(names) != len(cited):
        return segments
    out = list(segments)
    for (prev_pos, _), (pos, (index, body)), prev_name, name in zip(
        cited, cited[1:], names, names[1:], strict=False
    ):
        if not (prev_name and name and mk.strip(prev_name.group(1)) == mk.strip(name.group(1))):
            continue
        author = _finish(name.group(1))
        if body.startswith(author):
            out[pos] = (index, re.sub(r"^[,;:]?\s*", "", body[len(author) :]))
            between = range(prev_pos + 1, pos)
            for other in between:
                if out[other][0] is None:
                    out[other] = (None, ", ")
    return out


_DISPLAY = re.compile(
    re.escape(mk.DISPLAY_START)
    + r"([\w-]+)"
    + re.escape(mk.DISPLAY_SEP)
    + "(.*?)"
    + re.escape(mk.DISPLAY_END),
    re.DOTALL,
)
_LINK = re.compile(re.escape(mk.LINK_START) + "(.*?)" + re.escape(mk.LINK_END), re.DOTALL)


def _finish(text: str) -> str:
    """citeproc-py's HTML with our markers turned into HTML of their own."""
    text = text.replace(mk.NAMES_START, "").replace(mk.NAMES_END, "")
    text = _link(text)
    text = _emphasis(text)
    text = _DISPLAY.sub(
        lambda m: (
            f'<div class="csl-{m.group(1)}">{m.group(2)}'
            + (" " if m.group(1) == "left-margin" else "")
            + "</div>"
        ),
        text,
    )
    text = _DOUBLED_PUNCTUATION.sub(r"\1\2", mk.strip(text))
    return text


# "abuse?." and "abuse?’." lose the period, as pandoc's citeproc drops it.
_DOUBLED_PUNCTUATION = re.compile(r"([?!])((?:</?(?:i|b|span)[^>]*>|[’”])*)\.")


def _link(text: str) -> str:
    """URL and DOI values as links; a DOI the style prefixes with https://doi.org/ links whole."""
    out, position = [], 0
    for match in _LINK.finditer(text):
        before = text[position : match.start()]
        shown = match.group(1)
        value = html.unescape(mk.strip(shown))
        prefix = _DOI_PREFIX.search(before)
        if prefix:
            before = before[: prefix.start()]
            shown = prefix.group(1) + shown
            target = prefix.group(1) + value
        elif value.lower().startswith(("http://", "https://")):
            target = value
        else:
            target = "https://doi.org/" + value  # a bare DOI, as IEEE prints it
        out += [before, f'<a href="{html.escape(target, quote=True)}">{shown}</a>']
        position = match.end()
    out.append(text[position:])
    return "".join(out)


def _emphasis(text: str) -> str:
    """Italic and bold markers from BibTeX fields as HTML, flipping italics inside italics."""
    out, depth = [], 0
    for token in re.split(r"(<i>|</i>|\ue002|\ue003|\ue004|\ue005)", text):
        if token == "<i>":
            depth += 1
            out.append(token)
        elif token == "</i>":
            depth -= 1
            out.append(token)
        elif token == mk.ITALIC_START:
            out.append('<span style="font-style:normal;">' if depth > 0 else "<i>")
        elif token == mk.ITALIC_END:
            out.append("</span>" if depth > 0 else "</i>")
        elif token == mk.BOLD_START:
            out.append("<b>")
        elif token == mk.BOLD_END:
            out.append("</b>")
        else:
            out.append(token)
    return "".join(out)
