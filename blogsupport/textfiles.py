"""Text files the author gives the build, decoded as they were most likely written.

Posts and .bib files should be UTF-8, and most are; a file saved by an old editor as
Windows-1252 (Latin-1) or UTF-16 is read as what it is, with a message naming it and
the fix, rather than stopping the build ("Could not process", no reason) or turning
'Gödel' into 'G�del' without a word. Characters XML cannot hold (NUL and the other
controls but tab and line breaks) are taken out with their line: a page shows them as
nothing, and a feed that held one would not parse.
"""

from __future__ import annotations

import re

from .problems import Problem

_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]{1,3}")
# What XML 1.0 cannot hold: C0 controls but tab, line feed and carriage return; the
# surrogates; U+FFFE and U+FFFF.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def decode(data: bytes, path: str) -> tuple[str, Problem | None]:
    """A file's text, and what is wrong with its encoding (None when it is UTF-8)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            text = data.decode("utf-16", "replace")
        return text, Problem(
            path, 1, "the file is UTF-16, not UTF-8", "save it as UTF-8 in your editor"
        )
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
    replaced = data.decode("utf-8", "replace")
    lines = [n for n, text in enumerate(replaced.split("\n"), 1) if "\ufffd" in text]
    if len(_MULTIBYTE.findall(data)) > replaced.count("\ufffd"):
        more = f" and {len(lines) - 8} more" if lines[8:] else ""
        shown = ", ".join(map(str, lines[:8])) + more
        return replaced, Problem(
            path,
            line,
            f"the file is UTF-8 but for characters on {len(lines)} line"
            f"{'s' if len(lines) != 1 else ''} that are not ({shown}), shown as �",
            "save the file as UTF-8 and put right the characters on the lines named",
        )
    return data.decode("cp1252", "replace"), Problem(
        path,
        line,
        "the file is not UTF-8: it looks like Windows-1252 (Latin-1), the first character "
        "beyond ASCII on this line",
        "save it as UTF-8, in your editor or with: iconv -f windows-1252 -t utf-8",
    )


def without_controls(text: str, path: str) -> tuple[str, list[Problem]]:
    """``text`` without the characters XML cannot hold, and where each line had them."""
    if not NOT_XML.search(text):
        return text, []
    problems = []
    for number, line in enumerate(text.split("\n"), 1):
        found = NOT_XML.search(line)
        if found:
            problems.append(
                Problem(
                    path,
                    number,
                    f"a control character U+{ord(found.group()):04X} at column "
                    f"{found.start() + 1}, which no page or feed can show",
                    "delete it (it is left out meanwhile)",
                )
            )
    return NOT_XML.sub("", text), problems
