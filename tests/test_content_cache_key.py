"""Pelican's content cache is never reused after a change to what shapes a reading."""

from __future__ import annotations

import importlib
import logging

from sitebuild import ROOT, copy_content, pelican

from pelican.plugins.content_cache_key import PREFIX, fingerprint, keyed_folder, sources
from pelican.plugins.plain_log import PlainFormatter


def test_the_fingerprint_follows_settings_and_code(tmp_path):
    source = tmp_path / "ext.py"
    source.write_text("A = 1\n", encoding="utf-8")
    first = fingerprint(["md-1"], [source])
    assert fingerprint(["md-1"], [source]) == first
    assert fingerprint(["md-2"], [source]) != first
    source.write_text("A = 2\n", encoding="utf-8")
    assert fingerprint(["md-1"], [source]) != first


def test_a_plugin_s_code_is_read_but_not_its_tests():
    importlib.import_module("pelican.plugins.citations")  # sources reads what is imported
    found = {p.relative_to(ROOT).as_posix() for p in sources(["pelican.plugins.citations"])}
    here = "plugins/pelican/plugins/citations"
    assert {f"{here}/__init__.py", f"{here}/build.py", f"{here}/syntax.py"} <= found
    assert not [p for p in found if "/tests/" in p], found


def test_only_other_fingerprints_are_removed(tmp_path):
    old = tmp_path / f"{PREFIX}0123456789ab"
    mine = tmp_path / "charts.sqlite"  # a plugin's cache beside it
    other = tmp_path / "reading-notes"  # not a fingerprint
    for folder in (old, other):
        folder.mkdir()
    mine.write_bytes(b"x")
    folder = keyed_folder(tmp_path, "ba9876543210")
    assert folder == tmp_path / f"{PREFIX}ba9876543210"
    assert not old.exists() and other.is_dir() and mine.is_file()


def test_a_build_reads_afresh_after_the_markdown_settings_change(tmp_path):
    content = copy_content(tmp_path / "src")
    post = content / "2017-06-14-whats-in-a-name.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nline one\nline two\n", encoding="utf-8")
    page = "2017/06/whats-in-a-name/index.html"
    cache = tmp_path / "cache"
    first = pelican(tmp_path / "one", content=content, cache=cache)
    assert first.returncode == 0, first.log
    assert "<p>line one\nline two</p>" in (tmp_path / "one" / page).read_text(encoding="utf-8")
    [kept] = [p.name for p in cache.iterdir() if p.name.startswith(PREFIX)]
    assert (cache / "citations.sqlite").is_file()  # the plugins' caches stay where given
    markdown = {
        "extension_configs": {"markdown.extensions.extra": {}, "markdown.extensions.nl2br": {}},
        "output_format": "html5",
    }
    second = pelican(tmp_path / "two", content=content, cache=cache, MARKDOWN=markdown)
    assert second.returncode == 0, second.log
    [now] = [p.name for p in cache.iterdir() if p.name.startswith(PREFIX)]
    assert now != kept and (cache / "citations.sqlite").is_file()
    html = (tmp_path / "two" / page).read_text(encoding="utf-8")
    assert "<p>line one<br>\nline two</p>" in html  # read again, not Pelican's cached HTML


def test_the_log_is_one_line_a_message():
    record = logging.LogRecord("x", logging.WARNING, "f", 1, "a.md:3: %s — fix", ("bad",), None)
    assert PlainFormatter().format(record) == "WARNING: a.md:3: bad — fix"
