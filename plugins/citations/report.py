"""What `invoke check` says about the bibliography: entries short of what styles print.

Author-date and numeric styles alike print, for each type, the fields below: an
entry without them comes out with gaps ("(n.d.)", a journal article without its
journal). The lists follow what harvard-cite-them-right, APA and IEEE print.
"""

from __future__ import annotations

# CSL type -> fields (CSL variables) its reference needs, as (variable, BibTeX name).
NEEDED = {
    "article-journal": [("container-title", "journal"), ("volume", "volume"),
                        ("page", "pages")],
    "book": [("publisher", "publisher")],
    "chapter": [("container-title", "booktitle"), ("publisher", "publisher")],
    "paper-conference": [("container-title", "booktitle")],
    "report": [("publisher", "institution")],
    "thesis": [("publisher", "school")],
    "webpage": [("URL", "url"), ("accessed", "urldate")],
}  # fmt: skip
ALWAYS = [("title", "title"), ("issued", "year or date")]


def missing_fields(entry: dict) -> list[str]:
    """The BibTeX fields an entry lacks for its type, by their BibTeX names."""
    missing = [bib for variable, bib in ALWAYS if variable not in entry]
    if "author" not in entry and "editor" not in entry:
        missing.insert(0, "author")
    missing += [
        bib for variable, bib in NEEDED.get(entry.get("type", ""), []) if variable not in entry
    ]
    return missing
