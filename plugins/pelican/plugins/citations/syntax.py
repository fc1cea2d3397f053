"""pandoc's citation syntax, recognised: ``[see @doe99, pp. 33-35; @smith04]``, ``@doe99 [p. 3]``.

Pure functions of text, used by the Markdown extension to find the citations in a
post and the works each cites. What a citation *says* (prefix, locator, suffix,
author suppressed) is pandoc's to read: the engine hands it each citation as
written. The rules follow pandoc's manual (section "Citations"): a key starts
with a letter, digit or ``_`` and may hold internal punctuation, or is written in
braces (``@{odd key}``); a bracketed citation is one or more ``;``-separated items
each holding a key; ``@key`` not inside a word, an address or a URL is in-text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# pandoc's simpleCiteIdentifier: punctuation inside a key only before a letter, digit or _
# (or ':' and '/' before a '/'), so that "@smith04." ends before its full stop. Possessive
# (*+): a key never gives characters back, so the regex keeps no state a character, which
# made a 100 KB key run superlinearly (8 times the time of 25 KB, not 4).
PLAIN_KEY = r"\w(?:\w|[:.#$%&+?<>~/-](?=\w)|[:/](?=/))*+"
KEY = r"(?:\{(?P<braced>[^{}]+)\}|(?P<plain>" + PLAIN_KEY + "))"
# Where an in-text citation may start: not inside a word, an e-mail address, a
# URL path or after a backslash. The '@' comes first, then the look back at what is
# before it, so that a search skips straight from one '@' to the next.
IN_TEXT = re.compile(r"@(?<![\w@\\/:.]@)" + KEY)
ITEM = re.compile(r"^(?P<prefix>[^@]*?)-?@" + KEY + r"(?P<rest>.*)$", re.DOTALL)


@dataclass(frozen=True)
class Cluster:
    """A citation as written: the works it cites; ``in_text`` for the ``@key`` forms."""

    keys: tuple[str, ...]
    in_text: bool = False

    def to_json(self) -> dict:
        return {"keys": list(self.keys), "in_text": self.in_text}

    @classmethod
    def from_json(cls, data: dict) -> Cluster:
        return cls(tuple(data["keys"]), bool(data["in_text"]))


def _key(match: re.Match) -> str:
    return match.group("braced") or match.group("plain")


def item_key(text: str) -> str | None:
    """The key of one ``;``-separated part of a bracketed citation, or None if it holds
    none (or holds two, or an address such as doe@example.com)."""
    match = ITEM.match(text)
    if not match or IN_TEXT.search(match.group("rest")):
        return None
    prefix = match.group("prefix")
    if prefix and (prefix[-1].isalnum() or prefix.endswith(("\\", "@"))):
        return None
    return _key(match)


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
    keys = []
    for part in _split_items(inner):
        key = item_key(part)
        if key is None:
            return None
        keys.append(key)
    return Cluster(tuple(keys)) if keys else None


def parse_in_text(key: str, bracket: str | None = None) -> Cluster:
    """``@key`` or ``@key [p. 33]``: the author in the text, the rest in brackets, where a
    bracket of citations joins its works to this one (``@munro2011 [-@spiegelhalter2005]``)."""
    more: tuple[str, ...] = ()
    if bracket is not None and "@" in bracket:
        following = parse_bracketed(bracket)
        if following is not None:
            more = following.keys
    return Cluster((key, *more), in_text=True)
