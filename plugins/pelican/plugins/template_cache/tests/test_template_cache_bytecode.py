"""The theme's templates compiled once, and an edited one compiled afresh."""

from __future__ import annotations

from blogsupport.testing import build_site

POST = "Title: A post\nDate: 2017-06-22 10:00\n\nText.\n"


def test_a_template_is_kept_compiled_and_an_edit_is_seen(tmp_path):
    overrides = tmp_path / "templates"
    overrides.mkdir()
    template = overrides / "article.html"
    template.write_text('{% extends "!simple/article.html" %}{% block title %}first{% endblock %}')
    settings = {"THEME_TEMPLATES_OVERRIDES": [str(overrides)]}
    first = build_site(tmp_path, "template_cache", {"post.md": POST}, **settings)
    assert first.returncode == 0, first.log
    assert "<title>first</title>" in first.read("a-post.html")
    [folder] = (tmp_path / "cache").glob("jinja-*")
    compiled = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    assert len(compiled) >= 3  # the article, the templates it extends, the others
    template.write_text(template.read_text().replace("first", "second"))
    second = build_site(tmp_path, "template_cache", {}, **settings)
    assert second.returncode == 0, second.log
    assert "<title>second</title>" in second.read("a-post.html")
    again = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    kept = [name for name, time in compiled.items() if again.get(name) == time]
    assert len(kept) >= len(compiled) - 1, "only the edited template compiled again"
