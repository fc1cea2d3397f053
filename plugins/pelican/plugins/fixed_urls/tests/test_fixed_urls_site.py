"""Addresses worked out once a build: a site the same with and without."""

from __future__ import annotations

from blogsupport.testing import build_site, dated_posts, differing


def test_a_site_is_the_same_with_addresses_kept(tmp_path):
    files = dated_posts(12)
    files["pages/about.md"] = "Title: About\n\nAbout the site.\n"
    settings = {"ARTICLE_URL": "{date:%Y}/{date:%m}/{slug}/",
                "ARTICLE_SAVE_AS": "{date:%Y}/{date:%m}/{slug}/index.html",
                "DEFAULT_PAGINATION": 5}  # fmt: skip
    kept = build_site(tmp_path / "kept", "fixed_urls", files, **settings)
    plain = build_site(tmp_path / "plain", [], files, **settings)
    assert kept.returncode == 0 and plain.returncode == 0, kept.log + plain.log
    assert (kept.output / "2016" / "12" / "post-0" / "index.html").is_file()
    assert differing(kept.output, plain.output) == []
