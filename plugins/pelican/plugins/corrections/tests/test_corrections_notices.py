"""Dated corrections and updates: read from a post, in its feed entry, in a feed of their own."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

from blogsupport.testing import build_site
from pelican.plugins.corrections.notices import notices_of

ATOM = "{http://www.w3.org/2005/Atom}"
POST = """Title: The turnover
Date: 2017-06-22 10:00
Correction: 2017-07-03 The turnover was 28%, not 38%.
Update: 2017-08-01 Ofsted has since replied.

Text.
"""


def test_notices_are_read_oldest_first_and_a_line_without_a_date_is_set_apart():
    metadata = {"correction": ["2017-07-03 Was 28%.", "no date here"],
                "update": "2017-08-01 Replied."}  # fmt: skip
    notices, bad = notices_of(metadata, "Europe/London")
    assert [(n.kind, n.date.date().isoformat(), n.text) for n in notices] == [
        ("Correction", "2017-07-03", "Was 28%."),
        ("Update", "2017-08-01", "Replied."),
    ]
    assert bad == [("correction", "no date here")]


def test_the_post_s_feed_entry_moves_and_the_notices_have_a_feed(tmp_path):
    site = build_site(tmp_path, "corrections", {"turnover.md": POST})
    assert site.returncode == 0, site.log
    entry = ElementTree.fromstring(site.read("feeds/all.atom.xml")).find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}updated").text.startswith("2017-08-01")
    feed = ElementTree.fromstring(site.read("feeds/corrections.atom.xml"))
    titles = [e.find(f"{ATOM}title").text for e in feed.iter(f"{ATOM}entry")]
    assert titles == ["Update to “The turnover”", "Correction to “The turnover”"]  # newest first


def test_a_notice_without_a_date_fails_the_strict_build_by_its_line(tmp_path):
    text = POST.replace("Update: 2017-08-01 Ofsted", "Update: Ofsted")
    site = build_site(tmp_path, "corrections", {"turnover.md": text})
    assert site.returncode != 0
    assert "turnover.md:4: 'Update: Ofsted has since replied.' has no date — write Update:" in (
        " ".join(site.log.split())
    )
