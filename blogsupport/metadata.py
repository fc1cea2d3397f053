"""The metadata block at the top of a Markdown post, read line by line as Pelican does.

The front-matter checker reads it to name a bad line; the Blogger import reads it to
know the posts already in content/ (their dates and slugs).
"""

from __future__ import annotations

import re

_FIELD = re.compile(r"^(?P<key>[A-Za-z][\w-]*)\s*:\s?(?P<value>.*)$")


def metadata_lines(text: str) -> list[tuple[int, str, str]]:
    """(line, key, value) of the block at the top of a Markdown file, until a blank line."""
    fields = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            break
        match = _FIELD.match(line)
        if match:
            fields.append((number, match.group("key").lower(), match.group("value").strip()))
        elif not line.startswith((" ", "\t")):
            break  # not metadata: the body starts without a blank line
    return fields
