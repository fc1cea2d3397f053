"""Every message on one plain line, as ``path:line: what — what to do`` reads best."""

from __future__ import annotations

import logging

from blogsupport.testing import build_site
from pelican.plugins.plain_log.formatter import PlainFormatter


def test_a_record_is_one_line_with_its_level():
    record = logging.LogRecord("x", logging.WARNING, "f", 1, "a.md:3: %s — fix", ("bad",), None)
    assert PlainFormatter().format(record) == "WARNING: a.md:3: bad — fix"


def test_a_build_s_warnings_are_each_one_line(tmp_path):
    long = "a-file-whose-name-is-long-enough-to-be-wrapped-by-a-narrow-terminal " * 3
    post = f"Title: A post\nDate: 2017-06-22 10:00\n\n[a link]({{filename}}/{long.strip()}.md)\n"
    site = build_site(tmp_path, "plain_log", {"post.md": post}, strict=False)
    assert site.returncode == 0, site.log
    [line] = [line for line in site.log.splitlines() if "Unable to find" in line]
    assert line.startswith("WARNING: ") and long.strip() in line
