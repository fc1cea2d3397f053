"""The site checker finds what a reader would trip over."""

from __future__ import annotations

from blogtools.qa.sitecheck import check_site

PAGE = """<!doctype html><html lang="en"><head><title>{title}</title>
<link rel="canonical" href="https://x.test/{url}"><link rel="stylesheet" href="{css}"></head>
<body><main id="top"><a href="{link}">x</a></main></body></html>"""
FEED = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>urn:x</id>
<updated>2017-06-01T00:00:00Z</updated><entry><title>e</title><id>urn:e</id>
<updated>2017-06-01T00:00:00Z</updated><content type="html">{content}</content></entry></feed>"""


def write(root, rel, text):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_a_sound_site_passes(tmp_path):
    write(
        tmp_path,
        "index.html",
        PAGE.format(title="Home", url="", css="theme/site.css", link="post/#top"),
    )
    write(
        tmp_path,
        "post/index.html",
        PAGE.format(
            title="Post", url="post/", css="https://x.test/theme/site.css", link="../index.html"
        ),
    )
    write(tmp_path, "theme/site.css", "")
    write(
        tmp_path,
        "feeds/all.atom.xml",
        FEED.format(content="&lt;a href='https://x.test/post/'&gt;x&lt;/a&gt;"),
    )
    assert check_site(tmp_path, "https://x.test") == []


def test_each_kind_of_problem_is_named(tmp_path):
    write(
        tmp_path,
        "index.html",
        PAGE.format(title="", url="", css="theme/missing.css", link="post/#nowhere"),
    )
    write(
        tmp_path,
        "post/index.html",
        "<!doctype html><html><head><title>P</title></head><body>"
        '<a href="/elsewhere/">x</a><a href="https://other.test/">ok</a></body></html>',
    )
    write(tmp_path, "feeds/bad.rss.xml", "<rss><channel><item>")
    write(tmp_path, "feeds/all.atom.xml", FEED.format(content="&lt;img src='/chart.svg'&gt;"))
    problems = [str(p) for p in check_site(tmp_path, "https://x.test")]
    assert "index.html: page has no <title>" in problems
    assert any(p.startswith("index.html: broken link to theme/missing.css") for p in problems)
    assert "index.html: link to post/#nowhere: no element with id 'nowhere'" in problems
    assert 'post/index.html: page has no <link rel="canonical">' in problems
    assert any(p.startswith("post/index.html: broken link to /elsewhere/") for p in problems)
    assert any(p.startswith("feeds/bad.rss.xml: feed does not parse") for p in problems)
    assert "feeds/all.atom.xml: entry 'e' has a relative URL: /chart.svg" in problems
    assert not any("other.test" in p for p in problems)


def test_a_site_under_a_path(tmp_path):
    write(
        tmp_path,
        "index.html",
        PAGE.format(title="Home", url="blog/", css="/blog/a.css", link="/a.css"),
    )
    write(tmp_path, "a.css", "")
    problems = [str(p) for p in check_site(tmp_path, "https://x.test/blog")]
    # /a.css is outside the site's path: not ours to check; /blog/a.css is, and exists.
    assert problems == []
