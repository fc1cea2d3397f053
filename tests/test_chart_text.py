"""Charts legible on a phone: measured in Chromium, as a reader's browser lays them out.

A chart's text is as large as a reader sees it when its font size (in the drawing's
units) times the width the page gives the image, over the drawing's own width, is:
the test reads the drawing the browser chose (a phone's, below 37.5rem, or the
desktop's) and the width it rendered it at. Every kind of chart is drawn.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from browsing import chromium, serving
from servers import free_port
from sitebuild import copy_content, pelican

pytestmark = pytest.mark.browser
playwright = pytest.importorskip("playwright.sync_api")

FUNNEL_POST = """Title: Forty authorities in a funnel
Date: 2017-06-30 10:00
Category: Inspection
Tags: sampling

How much do forty authorities differ by chance alone?

```chart
kind = "funnel"
units = 40
title = "Forty authorities against a target"
```
"""
POSTS = [
    "2017/06/ofsteds-methodology-how-good-is-it/",  # sampling, verdict risk, red beads
    "2017/06/the-case-of-the-missing-methodology/",  # intervals
    "2017/06/forty-authorities-in-a-funnel/",
]
# Each chart's drawing as the browser chose it, its smallest text, and the width it shows.
MEASURE = r"""async () => {
  const out = [];
  for (const img of document.querySelectorAll('figure.chart img')) {
    img.loading = 'eager';
    await img.decode();
    const text = await (await fetch(img.currentSrc)).text();
    const svg = new DOMParser().parseFromString(text, 'image/svg+xml').documentElement;
    const viewBoxWidth = Number(svg.getAttribute('viewBox').split(/\s+/)[2]);
    const sizes = [...svg.querySelectorAll('text')].map(t => {
      const m = /font-size:\s*([\d.]+)px/.exec(t.getAttribute('style') || '');
      return m ? Number(m[1]) : NaN;
    });
    const width = img.getBoundingClientRect().width;
    out.push({drawing: img.currentSrc.split('/').pop(), width, texts: sizes.length,
              smallest: Math.min(...sizes) * width / viewBoxWidth});
  }
  return out;
}"""


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    work = tmp_path_factory.mktemp("chart-text")
    content = copy_content(work)
    (content / "2017-06-30-forty-authorities-in-a-funnel.md").write_text(FUNNEL_POST)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    build = pelican(work / "site", content=content, SITEURL=url, FEED_DOMAIN=url)
    assert build.returncode == 0, build.log
    with serving(build.output, port) as address, chromium() as browser:
        yield address, browser


@pytest.mark.parametrize("width", [320, 360, 390, 600, 601, 1280])
def test_the_smallest_chart_text_is_at_least_12_pixels(served, width):
    address, browser = served
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    loaded = []
    page.on("request", lambda r: "/charts/" in r.url and loaded.append(r.url.split("/")[-1]))
    charts = []
    for post in POSTS:
        page.goto(address + post)
        charts += page.evaluate(MEASURE)
        scroll = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
        assert scroll[0] <= scroll[1], (post, scroll)  # no sideways scrolling
    context.close()
    assert len(charts) == 5
    phone = width <= 600  # 37.5rem
    for chart in charts:
        assert chart["drawing"].endswith("-narrow.svg") == phone, chart
        assert chart["texts"] >= 5 and chart["smallest"] >= 12, chart
    # Only the drawing shown is downloaded: a phone never pays for the desktop's.
    assert all(name.endswith("-narrow.svg") == phone for name in loaded), loaded


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_chart_posts_on_a_phone_have_no_accessibility_violations(served, scheme):
    address, browser = served
    context = browser.new_context(viewport={"width": 360, "height": 800}, color_scheme=scheme)
    page = context.new_page()
    for post in POSTS:
        page.goto(address + post)
        results = Axe().run(page)
        assert [v["id"] for v in results.response["violations"]] == [], post
    context.close()


def test_the_feeds_carry_the_desktop_drawing_alone(served):
    address, _ = served
    from urllib.request import urlopen

    feed = urlopen(address + "feeds/all.atom.xml").read().decode()
    assert "-narrow.svg" not in feed and "&lt;picture" not in feed
    assert re.search(r"charts/[0-9a-f]{20}\.svg", feed)
