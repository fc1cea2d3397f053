"""Pelican's content cache is never reused after a change to what shapes a reading."""

from __future__ import annotations

from sitebuild import copy_content, pelican

from pelican.plugins.content_cache_key.cache_key import PREFIX


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
