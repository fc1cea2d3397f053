"""A feed entry is titled with the text the author wrote, not that text read as HTML."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

from blogsupport.testing import build_site

ATOM = "{http://www.w3.org/2005/Atom}"
TITLES = ["The <inspection> framework", "Tom &amp; Jerry", "Why <25 cases is too few"]


def _post(number: int, title: str) -> str:
    return f"Title: {title}\nDate: 2017-06-0{number + 1} 10:00\nCategory: Notes\n\nText.\n"


def test_feed_titles_are_the_titles_as_written(tmp_path):
    files = {f"post-{n}.md": _post(n, title) for n, title in enumerate(TITLES)}
    site = build_site(tmp_path, "plain_titles", files)
    assert site.returncode == 0, site.log
    feed = ElementTree.fromstring(site.read("feeds/all.atom.xml"))
    titles = [entry.find(f"{ATOM}title").text for entry in feed.iter(f"{ATOM}entry")]
    assert sorted(titles) == sorted(TITLES)


def test_without_it_pelican_cuts_such_a_title_short(tmp_path):
    """What the plugin is for: Pelican's feed writer reads a title as HTML."""
    files = {f"post-{n}.md": _post(n, title) for n, title in enumerate(TITLES[:2])}
    site = build_site(tmp_path, [], files)
    assert site.returncode == 0, site.log
    feed = ElementTree.fromstring(site.read("feeds/all.atom.xml"))
    titles = {entry.find(f"{ATOM}title").text for entry in feed.iter(f"{ATOM}entry")}
    assert titles == {"The framework", "Tom & Jerry"}
