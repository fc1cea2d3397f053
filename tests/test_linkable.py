"""Headings and figures a reader can link to: stable ids, self-links, numbered figures."""

from __future__ import annotations

import markdown
import pytest
from browsing import chromium, serving
from lxml import html as lxml_html
from sitebuild import copy_content, pelican

from pelican.plugins.heading_links.headings import HeadingLinksExtension
from pelican.plugins.sampling_charts.build import figure_anchor

METHODOLOGY = "2017-06-07-ofsteds-methodology-how-good-is-it.md"
PAGE = "2017/06/ofsteds-methodology-how-good-is-it/index.html"


def test_headings_get_ids_and_links_to_themselves():
    text = "## A *heading*\n\nWords.\n\n### A *heading*\n\n## Mine {#own}\n"
    page = lxml_html.fromstring(
        markdown.markdown(text, extensions=["extra", HeadingLinksExtension()])
    )
    headings = page.xpath("//h2 | //h3")
    assert [h.get("id") for h in headings] == ["a-heading", "a-heading_1", "own"]
    for heading in headings:
        [link] = heading.xpath("a[@class='heading-link']")
        assert link.get("href") == "#" + heading.get("id")
        assert link.xpath("span[@aria-hidden='true']/text()") == ["#"]
        assert link.xpath("span[@class='visually-hidden']/text()") == ["Link to this section"]
    assert headings[0].text_content() == "A heading #Link to this section"


def test_a_figures_anchor_comes_from_its_title():
    assert figure_anchor("What 25 case files can show", 1) == "chart-what-25-case-files-can-show"
    assert figure_anchor("Protección – ¿qué?", 2) == "chart-proteccion-que"
    assert figure_anchor("", 3) == "figure-3"


def figures(build) -> list[tuple[str, str]]:
    page = lxml_html.fromstring(build.read(PAGE))
    return [(f.get("id"), f.xpath("string(.//span[@class='figure-number'])"))
            for f in page.xpath("//figure[@class='chart']")]  # fmt: skip


def test_figures_are_numbered_and_keep_their_anchor_when_their_numbers_change(site, tmp_path):
    before = figures(site)
    assert before == [
        ("chart-what-25-case-files-can-show", "Figure 1."),
        ("chart-how-the-size-of-the-sample-changes-the-risk", "Figure 2."),
        ("chart-the-red-bead-problem", "Figure 3."),
    ]
    content = copy_content(tmp_path / "src")
    post = content / METHODOLOGY
    text = post.read_text("utf-8")
    assert "sample = 25" in text
    text = text.replace("sample = 25", "sample = 30", 1)
    text = text.replace(
        'title = "The red bead problem"', 'title = "The red bead problem"\nid = "beads"', 1
    )
    post.write_text(text, encoding="utf-8")
    build = pelican(tmp_path / "out", content=content)
    assert build.returncode == 0, build.log
    assert figures(build) == [*before[:2], ("beads", "Figure 3.")]


@pytest.mark.browser
def test_the_heading_link_shows_on_focus(tmp_path):
    content = copy_content(tmp_path / "src")
    post = content / METHODOLOGY
    post.write_text(post.read_text("utf-8") + "\n## What to do\n\nSample well.\n", encoding="utf-8")
    build = pelican(tmp_path / "out", settings="pelicanconf.py", content=content, strict=False)
    assert build.returncode == 0, build.log
    with serving(build.output) as address, chromium() as browser:
        page = browser.new_page()
        page.goto(address + PAGE.removesuffix("index.html"))
        link = page.locator("#what-to-do .heading-link")
        assert link.evaluate("e => getComputedStyle(e).opacity") == "0"
        link.focus()
        assert link.evaluate("e => getComputedStyle(e).opacity") == "1"
        assert link.evaluate("e => getComputedStyle(e).outlineStyle") != "none"
        link.press("Enter")
        assert page.url.endswith("#what-to-do")
