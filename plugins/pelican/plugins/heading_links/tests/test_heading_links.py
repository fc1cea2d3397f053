"""Each heading gets a stable id and a link to itself; the feeds go without the links."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

import markdown

from blogsupport.testing import build_site
from pelican.plugins.heading_links.headings import HeadingLinksExtension

ATOM = "{http://www.w3.org/2005/Atom}"


def _html(source: str) -> ElementTree.Element:
    out = markdown.markdown(source, extensions=["attr_list", HeadingLinksExtension()])
    return ElementTree.fromstring(f"<body>{out}</body>")


def test_ids_come_from_the_words_and_repeat_with_a_number():
    body = _html("## The sample\n\ntext\n\n## The sample\n\n### Why *25*?\n")
    headings = [h for h in body if h.tag in ("h2", "h3")]
    assert [h.get("id") for h in headings] == ["the-sample", "the-sample_1", "why-25"]
    for heading in headings:
        [link] = heading.findall("a")
        assert link.get("href") == f"#{heading.get('id')}" and link.get("class") == "heading-link"
        assert [s.text for s in link] == ["#", "Link to this section"]
        assert link[0].get("aria-hidden") == "true"


def test_an_id_the_author_wrote_is_kept():
    [heading] = _html("## Method {#method}\n")
    assert heading.get("id") == "method" and heading.find("a").get("href") == "#method"


def test_the_built_page_has_them_and_the_feed_has_not(tmp_path):
    post = "Title: A post\nDate: 2017-06-22 10:00\n\n## The sample\n\nText.\n"
    site = build_site(tmp_path, "heading_links", {"post.md": post})
    assert site.returncode == 0, site.log
    assert 'id="the-sample"' in site.read("a-post.html")
    assert 'class="heading-link"' in site.read("a-post.html")
    content = ElementTree.fromstring(site.read("feeds/all.atom.xml")).find(
        f"{ATOM}entry/{ATOM}content")  # fmt: skip
    assert "The sample" in content.text and "heading-link" not in content.text
