"""Python-Markdown extension: a fenced block with the language ``chart`` becomes a placeholder.

The preprocessor runs before Markdown's own (metadata and fenced code), so the
line numbers it records are the post file's: the plugin names them in its
messages. Only top-level fences count: a ```chart inside another fenced block
or an indented code block is an example, not a chart. The placeholder holds the
block's text and line and is filled in after reading (like the citations), so
Pelican's content cache may keep it.
"""

from __future__ import annotations

import html
import json
import re

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

PLACEHOLDER_ATTRIBUTE = "data-chart"
# An opening fence; what follows it is split in code (one pattern with overlapping
# repetitions for the info string and the rest took quadratic time on long lines).
FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})(?P<rest>.*)$")


def _opening(line: str) -> tuple[str, str] | None:
    """(fence, info string) of a line that opens a fenced block, or None."""
    match = FENCE.match(line)
    if not match:
        return None
    fence, rest = match.group("fence"), match.group("rest")
    if fence[0] == "`" and "`" in rest:
        return None  # a backtick fence's info string holds no backtick
    words = rest.split()
    return fence, words[0] if words else ""


def placeholder(text: str, line: int) -> str:
    """A block holding a chart's parameters and line, drawn later with the build's others."""
    payload = json.dumps({"toml": text, "line": line}, separators=(",", ":"))
    return f'<div {PLACEHOLDER_ATTRIBUTE}="{html.escape(payload, quote=True)}"></div>'


class ChartBlockPreprocessor(Preprocessor):
    """Takes ```chart blocks out of the Markdown before anything else reads them."""

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        index = 0
        while index < len(lines):
            opening = _opening(lines[index])
            if opening is None:
                out.append(lines[index])
                index += 1
                continue
            fence, info = opening
            closing = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
            end = index + 1
            while end < len(lines) and not closing.match(lines[end]):
                end += 1
            block = lines[index : end + 1]
            if info.lower() == "chart":
                body = "\n".join(lines[index + 1 : end])
                stashed = self.md.htmlStash.store(placeholder(body, index + 2))
                out.extend(["", stashed, ""])
            else:
                out.extend(block)  # another fenced block: left for fenced_code, whole
            index = end + 1
        return out


class ChartsExtension(Extension):
    """The chart blocks, for Python-Markdown."""

    def extendMarkdown(self, md: Markdown) -> None:
        # After normalize_whitespace (30), before meta (27) and fenced_code_block (25).
        md.preprocessors.register(ChartBlockPreprocessor(md), "sampling_charts", 29)


def makeExtension(**kwargs) -> ChartsExtension:
    """Python-Markdown's entry point for the extension by name."""
    return ChartsExtension(**kwargs)
