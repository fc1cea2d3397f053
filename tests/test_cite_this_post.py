"""Cite this post: what a reader's reference manager, a crawler and a citer each get.

The page is read with extruct (what crawlers and link checkers use) for its JSON-LD and
with lxml for its Highwire Press tags; the downloads are parsed with bibtexparser,
rispy and json, and the BibTeX is formatted by pandoc itself, in the site's style, back
to the text the page shows."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import bibtexparser
import extruct
import pypandoc
import rispy
from lxml import html as lxml_html

from pelican.plugins.citations.styles import resolve_style

POST = "2017/06/gloucestershire-blaming-the-blamers/"
URL = f"https://blog.test/{POST}"


def words(text: str) -> str:
    return " ".join(text.split())


def test_the_page_carries_json_ld_for_crawlers(site):
    page = site.read(POST + "index.html")
    found = extruct.extract(page, base_url=URL, syntaxes=["json-ld", "opengraph"], uniform=True)
    [posting] = [d for d in found["json-ld"] if d.get("@type") == "BlogPosting"]
    assert posting["headline"] == "Gloucestershire – blaming the blamers?"
    assert posting["author"] == [{"@type": "Person", "name": "Chris Mills"}]
    assert posting["datePublished"].startswith("2017-06-19T12:00:00")
    assert posting["publisher"]["name"] == "Chris Mills on Child Protection"
    assert posting["url"] == URL
    reason, russell = posting["citation"]
    assert reason["sameAs"] == "https://doi.org/10.1136/bmj.320.7237.768"
    assert reason["identifier"] == "10.1136/bmj.320.7237.768"
    assert russell["name"].startswith("Russell, B. (1912) The problems of philosophy.")
    assert found["opengraph"][0]["og:title"] == "Gloucestershire – blaming the blamers?"


def test_the_page_carries_the_tags_google_scholar_and_zotero_read(site):
    tree = lxml_html.fromstring(site.read(POST + "index.html"))
    tags = [
        (m.get("name"), m.get("content"))
        for m in tree.xpath("//meta[starts-with(@name, 'citation_')]")
    ]
    assert tags == [
        ("citation_title", "Gloucestershire – blaming the blamers?"),
        ("citation_author", "Mills, Chris"),
        ("citation_publication_date", "2017/06/19"),
        ("citation_journal_title", "Chris Mills on Child Protection"),
        ("citation_fulltext_html_url", URL),
    ]


def test_the_downloads_parse_and_format_back_to_the_text_shown(site, tmp_path):
    tree = lxml_html.fromstring(site.read(POST + "index.html"))
    [box] = tree.xpath("//details[@class='cite-this']")
    assert box.get("open") is None  # collapsed until asked for
    shown = words(box.xpath(".//div[contains(@class, 'cite-this-entry')]")[0].text_content())
    assert shown.startswith("Mills, C. (2017) Gloucestershire – blaming the blamers?")
    links = {a.text: a.get("href") for a in box.xpath(".//a[@download]")}
    assert set(links) == {"BibTeX", "RIS", "CSL JSON"}
    files = {
        kind: site.output / href.removeprefix("https://blog.test/") for kind, href in links.items()
    }

    [entry] = bibtexparser.parse_string(files["BibTeX"].read_text("utf-8")).entries
    assert entry.entry_type == "online"
    assert entry.fields_dict["title"].value == "Gloucestershire – blaming the blamers?"
    assert entry.fields_dict["url"].value == URL

    [record] = rispy.loads(files["RIS"].read_text("utf-8"))
    assert record["type_of_reference"] == "BLOG" and record["authors"] == ["Mills, Chris"]
    assert record["urls"] == [URL] and record["year"] == "2017"

    [item] = json.loads(files["CSL JSON"].read_text("utf-8"))
    assert item["author"] == [{"family": "Mills", "given": "Chris"}]
    assert item["issued"]["date-parts"] == [[2017, 6, 19]]

    style = resolve_style("harvard-cite-them-right", Path.cwd())
    document = tmp_path / "cite.md"
    document.write_text("---\nnocite: '@*'\n---\n", encoding="utf-8")
    formatted = subprocess.run(
        [pypandoc.get_pandoc_path(), str(document), "--citeproc", "-t", "plain", "--wrap=none",
         "--csl", str(style), "--bibliography", str(files["BibTeX"]), "-M", "lang=en-GB"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert words(formatted) == shown


def test_every_post_has_its_box_and_no_two_share_a_year_letter(site):
    entries = []
    for page in sorted(site.output.glob("2017/06/*/index.html")):
        tree = lxml_html.fromstring(page.read_text("utf-8"))
        [entry] = tree.xpath("//div[contains(@class, 'cite-this-entry')]")
        entries.append(words(entry.text_content()))
    assert len(entries) == 5 and all(e.startswith("Mills, C. (2017) ") for e in entries)
