"""Corrections and updates: dated notices on the post, in its feed entry, on their own page."""

from __future__ import annotations

import feedparser
from lxml import html as lxml_html
from sitebuild import copy_content, pelican

from pelican.plugins.corrections.notices import notices_of

POST = "2017-06-22-the-cupboard-is-bare.md"
PAGE = "2017/06/the-cupboard-is-bare/index.html"
CORRECTION = "Correction: 2017-07-03 The manifesto quote is Tim Loughton's, not the minister's."
UPDATE = "Update: 2017-08-01 — The Queen's Speech has now been debated."


def test_notices_are_read_with_their_dates_and_bad_lines_named():
    notices, bad = notices_of(
        {"correction": ["2017-07-03 First.", "someday Second."], "update": "2017-08-01: Third."},
        "Europe/London",
    )
    assert [(n.kind, n.date.isoformat(), n.text) for n in notices] == [
        ("Correction", "2017-07-03T00:00:00+01:00", "First."),
        ("Update", "2017-08-01T00:00:00+01:00", "Third."),
    ]
    assert bad == [("correction", "someday Second.")]


def corrected(tmp_path, *lines: str):
    content = copy_content(tmp_path / "src")
    post = content / POST
    text = post.read_text("utf-8").replace("Category:", "\n".join(lines) + "\nCategory:", 1)
    post.write_text(text, encoding="utf-8")
    return pelican(tmp_path / "out", content=content)


def test_a_corrected_post_says_so_everywhere(tmp_path):
    build = corrected(tmp_path, CORRECTION, UPDATE)
    assert build.returncode == 0, build.log
    page = lxml_html.fromstring(build.read(PAGE))
    notes = [" ".join(n.text_content().split()) for n in page.xpath("//p[@class='notice']")]
    assert notes == [
        "Update, 1 August 2017: The Queen's Speech has now been debated.",
        "Correction, 3 July 2017: The manifesto quote is Tim Loughton's, not the minister's.",
    ]
    assert page.xpath("string(//span[@class='updated'])").strip() == "Updated 1 August 2017"
    feed = feedparser.parse(build.read("feeds/all.atom.xml"))
    [entry] = [e for e in feed.entries if e.title == "The cupboard is bare"]
    assert entry.updated.startswith("2017-08-01")
    listing = lxml_html.fromstring(build.read("corrections/index.html"))
    items = listing.xpath("//ol[@class='notice-list']/li")
    assert len(items) == 2 and "Update, 1 August 2017" in items[0].text_content()
    assert items[1].xpath(".//a/@href") == [
        "https://blog.test/" + PAGE.removesuffix("index.html") + "#correction-2017-07-03"
    ]
    corrections = feedparser.parse(build.read("feeds/corrections.atom.xml"))
    assert not corrections.bozo and len(corrections.entries) == 2
    assert corrections.entries[1].title == "Correction to “The cupboard is bare”"


def test_a_notice_without_a_date_fails_the_strict_build_with_its_line(tmp_path):
    build = corrected(tmp_path, "Correction: the quote was wrong.")
    assert build.returncode != 0
    assert f"{POST}:4: 'Correction: the quote was wrong.' has no date — write Correction: " in (
        build.log
    )
