"""Addresses worked out once a build: the same site, and a new build sees new addresses."""

from __future__ import annotations

import subprocess
import sys

from sitebuild import GUARDS, ROOT, SEED, pelican, plugin, project_plugins

from blogsupport.testing import differing

# The site's plugins but those that only make the build faster: the same site, worked out.
FASTER = {plugin("fixed_urls"), plugin("quick_listings")}
PLUGINS = [p for p in project_plugins() if p not in FASTER] + GUARDS


def test_the_site_is_the_same_with_addresses_kept(tmp_path):
    kept = pelican(tmp_path / "kept" / "output")
    worked_out = pelican(tmp_path / "plain" / "output", PLUGINS=PLUGINS)
    assert kept.returncode == 0 and worked_out.returncode == 0, kept.log + worked_out.log
    assert set(project_plugins()) >= FASTER and not FASTER & set(PLUGINS)
    assert (kept.output / "index.html").is_file()
    assert differing(kept.output, worked_out.output) == []


def test_a_second_build_in_the_same_process_works_its_addresses_out_again(tmp_path):
    """The live preview builds again and again in one process, keeping posts."""
    code = """
import sys
from pelican import Pelican
from pelican.settings import read_settings

for pattern in ("{date:%Y}/{slug}/", "posts/{slug}/"):
    settings = read_settings("publishconf.py", override={
        "PATH": sys.argv[3], "OUTPUT_PATH": sys.argv[1], "CACHE_PATH": sys.argv[2],
        "PLUGIN_CACHE_PATH": sys.argv[2], "ARTICLE_URL": pattern,
        "ARTICLE_SAVE_AS": pattern + "index.html", "SITEURL": "https://blog.test",
        "DELETE_OUTPUT_DIRECTORY": True,
    })
    Pelican(settings).run()
"""
    output, cache = tmp_path / "output", tmp_path / "cache"
    result = subprocess.run(
        [sys.executable, "-c", code, str(output), str(cache), str(SEED)],  # not content/
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert (output / "posts" / "the-cupboard-is-bare" / "index.html").is_file()
    assert not (output / "2017" / "the-cupboard-is-bare").exists()
    home = (output / "index.html").read_text(encoding="utf-8")
    assert 'href="https://blog.test/posts/the-cupboard-is-bare/"' in home


def test_a_post_kept_from_an_earlier_build_keeps_its_address_while_nothing_it_comes_from_changed(
    monkeypatch,
):
    """The live preview keeps posts between builds: an unchanged one is not worked out
    again; one whose slug or whose build's address settings changed is."""
    from types import SimpleNamespace

    from pelican.contents import Article, Content
    from pelican.settings import DEFAULT_CONFIG

    from pelican.plugins.fixed_urls import addresses as fixed_urls

    settings = dict(DEFAULT_CONFIG, ARTICLE_URL="{date:%Y}/{slug}/")
    post = Article(
        "<p>Body</p>",
        {"title": "Kept", "date": __import__("datetime").datetime(2017, 6, 22)},
        settings=settings,
    )
    worked_out = []
    asked = Content.get_url_setting
    monkeypatch.setattr(
        Content, "get_url_setting", lambda self, key: worked_out.append(key) or asked(self, key)
    )

    def build(with_settings):
        fixed_urls._initialised(SimpleNamespace(settings=with_settings))
        fixed_urls._all_read([])
        return post.url

    try:
        fixed_urls._patch()
        fixed_urls._initialised(SimpleNamespace(settings=settings))
        assert post.url == "2017/kept/"  # before every post is read: not kept
        fixed_urls._all_read([])
        assert post.url == post.url == "2017/kept/"
        assert len(worked_out) == 2
        fixed_urls._finalised(None)

        assert build(settings) == "2017/kept/"
        assert len(worked_out) == 2, "the next build, the same post: kept"
        post.slug = "renamed"
        assert build(settings) == "2017/renamed/"
        assert len(worked_out) == 3
        moved = dict(settings, ARTICLE_URL="posts/{slug}/")
        settings["ARTICLE_URL"] = "posts/{slug}/"  # as the post's settings are the build's
        assert build(moved) == "posts/renamed/"
        assert len(worked_out) == 4
    finally:
        for (cls, name), original in fixed_urls._ORIGINAL.items():
            setattr(cls, name, original)
    assert Content.url is fixed_urls._ORIGINAL[(Content, "url")]
