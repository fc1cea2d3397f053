"""Readers in a real browser: Debian's chromium, driven by Playwright, on the built site.

The site is built as it will be published, addressed at a server the tests start
on 127.0.0.1, and read as readers would: clicking through, searching, with axe
for accessibility, with the keyboard alone, at phone and desktop widths.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from browsing import chromium, serving, wait_for_search_results
from servers import free_port
from sitebuild import pelican

pytestmark = pytest.mark.browser
playwright = pytest.importorskip("playwright.sync_api")
WCAG_22_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}
}
GLOUCESTERSHIRE = "2017/06/gloucestershire-blaming-the-blamers/"
METHODOLOGY = "2017/06/ofsteds-methodology-how-good-is-it/"
PAGES = {
    "home": "",
    "article with citations": GLOUCESTERSHIRE,
    "article with charts": METHODOLOGY,
    "tag": "tag/ofsted/",
    "category": "category/inspection/",
    "tags": "tags/",
    "archives": "archives/",
    "year": "2017/",
    "month": "2017/06/",
    "about": "about/",
    "references": "references/",
    "search": "search/?q=inspection",
    "404": "404.html",
}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The published site, served on 127.0.0.1 at the address it was built for."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    build = pelican(tmp_path_factory.mktemp("browser") / "site", SITEURL=url, FEED_DOMAIN=url)
    assert build.returncode == 0, build.log
    with serving(build.output, port) as address:
        yield address


@pytest.fixture(scope="module")
def browser():
    with chromium() as running:
        yield running


def watch_failed_requests(page) -> None:
    """Failed requests into page.problems, with the browser's reason. Not those the browser
    itself cancelled (net::ERR_ABORTED): a click that navigates cancels what the old page
    was still loading (its favicon, on a busy machine, which made this suite flaky), and
    what the server did wrong is caught by its status (above) or by a reason of another
    kind (a refused or reset connection)."""

    def failed(request) -> None:
        reason = request.failure or "no reason given"
        if "ERR_ABORTED" not in reason:
            page.problems.append(f"failed: {request.url} ({reason})")

    page.on("requestfailed", failed)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.problems = []  # console errors and failed requests, for every test to check
    page.on("console", lambda m: m.type == "error" and page.problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: page.problems.append(f"page error: {e}"))
    watch_failed_requests(page)
    page.on("response", lambda r: r.status >= 400 and page.problems.append(f"{r.status}: {r.url}"))
    yield page
    context.close()


def test_a_reader_s_path_through_the_site(page, served):
    page.goto(served)
    page.click("main .post-summary h2 a >> nth=1")
    assert page.url == served + GLOUCESTERSHIRE
    page.click(".post-nav a[rel=prev]")
    assert "missing-methodology" in page.url
    page.click(".post-nav a[rel=next]")
    assert page.url == served + GLOUCESTERSHIRE
    page.click("a[rel=tag] >> text=Ofsted")
    assert page.url == served + "tag/ofsted/"
    assert page.locator("main .post-summary").count() == 3
    page.click(".site-nav >> text=Archives")
    assert page.url == served + "archives/"
    page.click(".site-nav >> text=About")
    assert page.url == served + "about/"
    assert page.problems == []


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("Gloucestershire", "Gloucestershire – blaming the blamers?"),
        ("red bead", "Ofsted's methodology - how good is it?"),
    ],
)
def test_search_finds_the_post_and_opens_it(page, served, query, title):
    page.goto(served)
    page.fill("#site-search-box", query)
    page.press("#site-search-box", "Enter")
    wait_for_search_results(page)
    results = page.locator(".pagefind-ui__result-link")
    titles = [results.nth(i).inner_text() for i in range(results.count())]
    assert titles[0] == title
    excerpt = page.locator(".pagefind-ui__result-excerpt").first.inner_html()
    assert "<mark>" in excerpt
    assert "2017" in page.locator(".pagefind-ui__result").first.inner_text()  # the date
    results.first.click()
    page.wait_for_load_state()
    assert page.locator("article.post h1").inner_text() == title
    assert page.problems == []


def test_without_javascript_search_offers_the_archives(browser, served):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served + "search/?q=ofsted")
    fallback = page.locator(".search-fallback")
    assert fallback.is_visible()
    assert fallback.locator("a", has_text="archives").get_attribute("href").endswith("/archives/")
    page.goto(served + METHODOLOGY)  # reading needs no script: the charts and tables are there
    assert page.locator("figure.chart img").count() == 3
    page.click("details.chart-data summary >> nth=0")
    assert page.locator("details.chart-data table >> nth=0").is_visible()
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", PAGES)
def test_no_accessibility_violations(page, served, name, scheme):
    page.emulate_media(color_scheme=scheme)
    page.goto(served + PAGES[name])
    if name == "search":
        wait_for_search_results(page)
    results = Axe().run(page, options=WCAG_22_AA)
    violations = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}: {v['nodes'][0]['target']})"
        for v in results.response["violations"]
    ]
    assert violations == []


def focus_sequence(page, presses: int) -> list[dict]:
    sequence = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        sequence.append(
            page.evaluate("""() => {
            const e = document.activeElement;
            const style = getComputedStyle(e);
            const box = e.getBoundingClientRect();
            return {id: e.id, tag: e.tagName, text: (e.innerText || e.value || '').trim(),
                    cls: e.className, href: e.getAttribute('href'),
                    ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
                    visible: box.width > 0 && box.height > 0};
        }""")
        )
    return sequence


def test_keyboard_alone_reaches_everything_in_order_with_a_visible_ring(page, served):
    page.goto(served + GLOUCESTERSHIRE)
    focusable = page.evaluate("""() => [...document.querySelectorAll(
        'a[href], button, input, summary, [tabindex="0"]')].filter(e => {
            const box = e.getBoundingClientRect();
            const shut = e.tagName !== 'SUMMARY' && e.closest('details:not([open])');
            return box.width > 0 && box.height > 0 && !shut;  // inside a closed <details>: not
        }).map(e => e.getAttribute('href') || e.id || e.tagName)""")
    sequence = focus_sequence(page, len(focusable))
    assert sequence[0]["cls"] == "skip-link" and sequence[0]["text"] == "Skip to content"
    assert [s["text"] for s in sequence[1:6]] == [
        "Chris Mills on Child Protection",
        "Home",
        "Archives",
        "Tags",
        "References",
    ]
    assert sequence[7]["id"] == "site-search-box"
    assert [s["href"] or s["id"] or s["tag"] for s in sequence] == focusable  # in order, all
    assert all(s["ring"] for s in sequence), [s for s in sequence if not s["ring"]]
    assert all(s["visible"] for s in sequence)

    page.goto(served + GLOUCESTERSHIRE)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the skip link takes focus to the content
    assert page.evaluate("document.activeElement.id") == "content"


def test_citation_previews_and_chart_tables_work_by_keyboard(page, served):
    page.goto(served + GLOUCESTERSHIRE)
    for _ in range(60):
        page.keyboard.press("Tab")
        if "cite-ref" in page.evaluate("document.activeElement.className"):
            break
    link = page.evaluate("document.activeElement.getAttribute('aria-describedby')")
    preview = page.locator(f"#{link}")
    assert preview.is_visible()
    assert "Human error" in preview.inner_text()
    page.keyboard.press("Enter")
    assert page.url.endswith("#ref-reason2000")
    assert page.locator("#ref-reason2000").is_visible()

    page.goto(served + METHODOLOGY)
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "SUMMARY":
            break
    table = page.locator("details.chart-data table").first
    assert not table.is_visible()
    page.keyboard.press("Enter")
    assert table.is_visible()
    page.keyboard.press("Tab")  # the table's scrollable region takes focus, for the arrow keys
    assert page.evaluate("document.activeElement.getAttribute('role')") == "region"


@pytest.mark.parametrize("name", PAGES)
def test_no_sideways_scrolling_on_a_320_pixel_phone(browser, served, name):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(served + PAGES[name])
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], widths
    context.close()


def test_a_comfortable_measure_at_1280_pixels(page, served):
    page.goto(served + GLOUCESTERSHIRE)
    width = page.evaluate("document.querySelector('.post-body p').getBoundingClientRect().width")
    characters = page.evaluate("""() => {
        const p = document.querySelector('.post-body p');
        const size = parseFloat(getComputedStyle(p).fontSize);
        return p.getBoundingClientRect().width / (size * 0.5);
    }""")
    assert 520 <= width <= 720
    assert 60 <= characters <= 85  # characters a line, at half an em each
