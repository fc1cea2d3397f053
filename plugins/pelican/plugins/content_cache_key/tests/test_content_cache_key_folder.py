"""Pelican's content cache in a folder named by what shapes a reading."""

from __future__ import annotations

import importlib
from pathlib import Path

from blogsupport.testing import build_site
from pelican.plugins.content_cache_key.cache_key import PREFIX, fingerprint, keyed_folder, sources

POST = "Title: A post\nDate: 2017-06-22 10:00\n\nline one\nline two\n"


def test_the_fingerprint_follows_settings_and_code(tmp_path):
    source = tmp_path / "ext.py"
    source.write_text("A = 1\n", encoding="utf-8")
    first = fingerprint(["md-1"], [source])
    assert fingerprint(["md-1"], [source]) == first
    assert fingerprint(["md-2"], [source]) != first
    source.write_text("A = 2\n", encoding="utf-8")
    assert fingerprint(["md-1"], [source]) != first


def test_a_plugin_s_code_is_read_but_not_its_tests():
    importlib.import_module("pelican.plugins.content_cache_key")  # sources reads what is imported
    here = Path(__file__).resolve().parent.parent
    found = set(sources(["pelican.plugins.content_cache_key"]))
    assert here / "__init__.py" in found
    assert not [p for p in found if "tests" in p.relative_to(here).parts], found


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


def test_a_site_is_read_afresh_after_the_markdown_settings_change(tmp_path):
    settings = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True}
    first = build_site(tmp_path, "content_cache_key", {"post.md": POST}, **settings)
    assert first.returncode == 0, first.log
    assert "<p>line one\nline two</p>" in first.read("a-post.html")
    cache = tmp_path / "cache"
    [kept] = [p.name for p in cache.iterdir() if p.name.startswith(PREFIX)]
    markdown = {"extension_configs": {"markdown.extensions.nl2br": {}}, "output_format": "html5"}
    second = build_site(tmp_path, "content_cache_key", {}, MARKDOWN=markdown, **settings)
    assert second.returncode == 0, second.log
    [now] = [p.name for p in cache.iterdir() if p.name.startswith(PREFIX)]
    assert now != kept
    assert "<p>line one<br>\nline two</p>" in second.read("a-post.html")  # not the cached HTML
