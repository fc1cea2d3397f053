"""Page-weight budgets, measured as the bytes of the built files a page loads."""

from __future__ import annotations

from bs4 import BeautifulSoup

from blogtools.qa.pageweight import site_weights

KB = 1024


def test_article_pages_are_light(site, site_url):
    articles = [
        w
        for w in site_weights(site.output, site_url)
        if w.page.startswith("2017/06/") and w.page.count("/") == 3
    ]
    assert len(articles) == 5
    for weight in articles:
        assert weight.total < 40 * KB, weight
        assert weight.gzipped < 12 * KB, weight


def test_no_render_blocking_script_anywhere(site, site_url):
    for weight in site_weights(site.output, site_url):
        assert weight.render_blocking == [], weight.page


def test_images_reserve_their_space_and_charts_stay_small(site):
    for page in site.output.rglob("*.html"):
        for image in BeautifulSoup(page.read_bytes(), "lxml").select("img"):
            assert image.get("width") and image.get("height"), (page, image)
    charts = list((site.output / "charts").glob("*.svg"))
    assert charts
    for chart in charts:
        assert chart.stat().st_size < 60 * KB, chart


def test_the_search_index_covers_posts_only(site):
    index = site.output / "pagefind"
    assert (index / "pagefind-ui.js").is_file()
    entry = (index / "pagefind-entry.json").read_text()
    assert '"page_count":5' in entry.replace(" ", "")  # the five posts; no listing pages
