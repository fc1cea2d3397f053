"""Untrusted text never becomes markup: every payload, through every input, into every output.

The hostile site (tests/hostile.py) is built strictly, as it would be published, and
judged as a reader's browser and a feed reader would: in Chromium, no script runs (no
dialog opens), no element has an event-handler attribute, no link or source is a
javascript: address, and the title and headings show the text as written; every XML
file parses; every chart's SVG holds text only.
"""

from __future__ import annotations

from pathlib import Path

import feedparser
import lxml.etree
import lxml.html
import pytest
from browsing import chromium, serving, wait_for_search_results
from hostile import MARK, PAYLOADS, tag, write_site
from servers import free_port
from sitebuild import pelican

pytestmark = pytest.mark.browser

JUDGE = """() => {
  const found = [];
  for (const element of document.querySelectorAll("*")) {
    if (element.closest(".pagefind-ui")) continue;  // Pagefind's own interface
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase(), value = attribute.value.trim().toLowerCase();
      if (name.startsWith("on")) found.push(`${element.tagName} ${name}`);
      if (["href", "src", "action", "formaction", "data", "poster"].includes(name) &&
          value.startsWith("javascript:")) found.push(`${element.tagName} ${name}=${value}`);
    }
    if (element.tagName === "SCRIPT" && element.type === "application/ld+json") {
      try { JSON.parse(element.textContent); } catch (e) { found.push("JSON-LD"); }  // data only
    } else if (element.tagName === "SCRIPT" && /alert/.test(element.textContent)) {
      found.push("SCRIPT");
    }
    if (element.tagName.toLowerCase() === "svg" && element.closest("main") &&
        !element.closest("figure")) found.push("SVG in main");
  }
  return found;
}"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    work = tmp_path_factory.mktemp("hostile")
    content = write_site(work / "content")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    build = pelican(work / "site", content=content, SITEURL=url, FEED_DOMAIN=url)
    assert build.returncode == 0, build.log
    with serving(build.output, port) as address:
        yield build, address


def pages(output: Path) -> list[str]:
    return sorted(
        p.relative_to(output).as_posix().removesuffix("index.html")
        for p in output.rglob("*.html")
        if "pagefind" not in p.parts
    )


def test_no_page_runs_a_script_or_carries_a_handler(hostile):
    build, address = hostile
    visited = pages(build.output)
    assert len(visited) > 30
    dialogs, problems = [], {}
    with chromium() as browser:
        page = browser.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for rel in visited:
            page.goto(address + rel)
            found = page.evaluate(JUDGE)
            if found:
                problems[rel] = found
        assert dialogs == [] and problems == {}, (dialogs, problems)


def test_titles_and_headings_show_the_text_as_written(hostile):
    _build, address = hostile
    with chromium() as browser:
        page = browser.new_page()
        for n, payload in enumerate(PAYLOADS):
            page.goto(f"{address}2020/01/post-{n}/")
            assert page.title().startswith(f"Post {n} {payload} – "), page.title()
            assert page.inner_text("main h1") == f"Post {n} {payload}"
            tags = page.locator(".post-tags a[rel=tag]").all_inner_texts()
            assert f"tag {n} {tag(payload)}" in tags
            description = page.get_attribute("meta[name=description]", "content")
            if n % 2:
                assert description == f"A summary {payload}"
            else:  # the start of the text: no preview, no reference list, no chart table
                assert description.startswith(f"The text of post {n}: {payload}. (Evil0, 2020)")
                assert "Available at" not in description and "References" not in description
            references = " ".join(page.inner_text("section.references").split())
            as_bibtex_reads_it = " ".join(payload.replace("{", "").replace("}", "").split())
            assert as_bibtex_reads_it in references  # braces only group, in BibTeX
        page.goto(address + "about-zq1/")
        assert page.inner_text("main h1") == f"About {PAYLOADS[1]}"


def test_search_results_are_text(hostile):
    _build, address = hostile
    dialogs = []
    with chromium() as browser:
        page = browser.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(address + "search/?q=zq1")
        wait_for_search_results(page)
        assert page.evaluate(JUDGE) == []
        results = page.inner_text("#search")
        assert "zq1<svg onload=alert(1)>" in results
    assert dialogs == []


def test_every_xml_file_parses_and_feeds_carry_the_text(hostile):
    build, _ = hostile
    xml = sorted(build.output.rglob("*.xml"))
    assert any(p.name == "sitemap.xml" for p in xml) and len(xml) > 5
    for path in xml:
        lxml.etree.parse(str(path))  # raises if ill-formed
    sitemap = lxml.etree.parse(str(build.output / "sitemap.xml"))
    locations = sitemap.xpath("//*[local-name()='loc']/text()")
    assert any(loc.endswith("/2020/02/qa-with-ofsted/") for loc in locations)
    feed = feedparser.parse(build.output / "feeds" / "all.atom.xml")
    assert not feed.bozo, feed.bozo_exception
    titles = {entry.title for entry in feed.entries}
    assert {f"Post {n} {payload}" for n, payload in enumerate(PAYLOADS)} <= titles
    for entry in feed.entries:
        body = lxml.html.fragment_fromstring(entry.content[0].value, create_parent="div")
        assert not body.xpath("//script | //svg | //img[@onerror]")
        assert not [a for a in body.xpath("//@*") if a.attrname.lower().startswith("on")]
        if entry.title.startswith("Post "):
            assert MARK in body.text_content()


def test_chart_drawings_hold_only_text(hostile):
    build, _ = hostile
    drawings = sorted((build.output / "charts").glob("*.svg"))
    assert drawings
    shown = ""
    for path in drawings:
        tree = lxml.etree.parse(str(path))
        assert not tree.xpath("//*[local-name()='script']")
        assert not [a for a in tree.xpath("//@*") if a.attrname.lower().startswith("on")]
        shown += " ".join(tree.xpath("//*[local-name()='text']//text()"))
    assert "$x$" in shown and MARK in shown  # a dollar sign is a dollar sign, not maths


def test_the_preview_panel_shows_problems_as_text():
    from blogtools.preview.server import error_page, problems_panel

    panel = problems_panel([{"text": payload} for payload in PAYLOADS])
    page = error_page([{"text": PAYLOADS[1]}], PAYLOADS[4])
    for html in (panel, page):
        assert "<script>alert" not in html and "<svg" not in html and "<img" not in html
