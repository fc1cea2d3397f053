"""Private-use characters that carry structure through citeproc-py's formatting.

citeproc-py formats plain strings: it knows nothing of links, of which part of a
citation names the author, or of italics inside a title. We put these markers
into the data (and into the output of a few style elements), let citeproc-py
format as usual, and turn them into HTML afterwards (see html.py). They are in
Unicode's private use area, so no real text contains them and no case change or
escaping touches them.
"""

NOCASE_START, NOCASE_END = "\ue000", "\ue001"  # case-protected text: {DNA}
ITALIC_START, ITALIC_END = "\ue002", "\ue003"  # \emph{...} inside a field
BOLD_START, BOLD_END = "\ue004", "\ue005"  # \textbf{...}
LINK_START, LINK_END = "\ue006", "\ue007"  # a URL or DOI value, to become a link
NAMES_START, NAMES_END = "\ue008", "\ue009"  # a cs:names rendering in a citation
ITEM_START, ITEM_SEP, ITEM_END = "\ue00a", "\ue00b", "\ue00c"  # one cite: START index SEP text END
DISPLAY_START, DISPLAY_SEP, DISPLAY_END = "\ue00d", "\ue00e", "\ue00f"  # display="..." blocks

ALL = "".join(
    (
        NOCASE_START, NOCASE_END, ITALIC_START, ITALIC_END, BOLD_START, BOLD_END,
        LINK_START, LINK_END, NAMES_START, NAMES_END, ITEM_START, ITEM_SEP, ITEM_END,
        DISPLAY_START, DISPLAY_SEP, DISPLAY_END,
    )
)  # fmt: skip
_STRIP = str.maketrans("", "", ALL)


def strip(text: str) -> str:
    """Text with every marker removed."""
    return text.translate(_STRIP)
