"""The published site as nginx serves it, with the README's configuration, while releases switch:
readers never get an error or half a page, and a search page open across a publish keeps
finding what it looks for."""

from __future__ import annotations

import random
import threading
import time
import urllib.error
import urllib.request

import pytest
from browsing import chromium, wait_for_search_results
from project import copy_project, invoke
from servers import nginx_server

POST = "2017-06-22-the-cupboard-is-bare.md"
PAGES = [
    "",
    "2017/06/the-cupboard-is-bare/",
    "2017/06/gloucestershire-blaming-the-blamers/",
    "2017/06/ofsteds-methodology-how-good-is-it/",
    "tag/ofsted/",
    "archives/",
    "about/",
    "theme/css/site.css",
    "feeds/all.atom.xml",
    "no/such/page/",  # the site's own 404 page, whole
]


def edit(project, words: str) -> None:
    post = project / "content" / POST
    post.write_text(post.read_text(encoding="utf-8") + f"\n{words}\n", encoding="utf-8")


def whole(path: str, status: int, body: bytes) -> bool:
    """A page a reader could use: the right status, and all of it."""
    if path == "no/such/page/":
        return status == 404 and body.rstrip().endswith(b"</html>")
    if status != 200:
        return False
    if path.endswith(".css"):
        return b".site-header" in body
    if path.endswith(".xml"):
        return body.rstrip().endswith(b"</feed>")
    return body.rstrip().endswith(b"</html>")


def test_readers_see_no_error_and_no_half_page_across_publishes_and_rollbacks(tmp_path, capsys):
    project = copy_project(tmp_path / "project")
    target = tmp_path / "www"
    invoke(project, "publish", "--target", str(target))
    counts = {"requests": 0, "errors": 0, "incomplete": 0}
    problems: list[str] = []
    stop = threading.Event()
    with nginx_server(target / "current", tmp_path / "nginx") as address:

        def reader(seed: int) -> None:
            rng = random.Random(seed)
            while not stop.is_set():
                path = rng.choice(PAGES)
                try:
                    with urllib.request.urlopen(address + path, timeout=10) as response:
                        status, body = response.status, response.read()
                except urllib.error.HTTPError as error:
                    status, body = error.code, error.read()
                except OSError as error:
                    counts["errors"] += 1
                    problems.append(f"{path}: {error}")
                    continue
                counts["requests"] += 1
                if not whole(path, status, body):
                    counts["incomplete"] += 1
                    problems.append(f"{path}: {status}, {len(body)} bytes")

        readers = [threading.Thread(target=reader, args=(n,)) for n in range(4)]
        for thread in readers:
            thread.start()
        try:
            for step in range(3):
                edit(project, f"An edit, number {step}.")
                invoke(project, "publish", "--target", str(target), "--keep", "3")
                invoke(project, "rollback", "--target", str(target))
                invoke(project, "publish", "--target", str(target), "--keep", "3")
        finally:
            stop.set()
            for thread in readers:
                thread.join()
    with capsys.disabled():
        print(
            f"\n  nginx across 6 publishes and 3 rollbacks: {counts['requests']} requests, "
            f"{counts['errors']} errors, {counts['incomplete']} incomplete pages"
        )
    assert counts["requests"] > 200
    assert counts["errors"] == 0 and counts["incomplete"] == 0, problems[:10]


@pytest.mark.browser
def test_a_search_page_open_across_a_publish_keeps_working(tmp_path):
    """Pagefind's files are named by their content: the page opened before the switch asks
    for the old ones, which the new release carries over from the ones kept."""
    project = copy_project(tmp_path / "project")
    target = tmp_path / "www"
    invoke(project, "publish", "--target", str(target))
    with nginx_server(target / "current", tmp_path / "nginx") as address:
        env = {"PUBLIC_SITEURL": address.rstrip("/")}
        invoke(project, "publish", "--target", str(target), "--local", env=env)
        with chromium() as browser:
            page = browser.new_page()
            failed: list[str] = []
            page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
            page.goto(address + "search/?q=Gloucestershire")
            wait_for_search_results(page)
            for post in (project / "content").glob("2017-*.md"):  # every fragment changes
                post.write_text(post.read_text() + "\nA new last line.\n")
            invoke(project, "publish", "--target", str(target), "--local", env=env)
            time.sleep(0.5)
            box = page.locator(".pagefind-ui__search-input")
            box.fill("red bead")
            page.wait_for_selector(
                ".pagefind-ui__result-link:has-text('methodology')", timeout=20_000
            )
            results = page.inner_text(".pagefind-ui__results")
            assert "methodology" in results.lower()
            assert failed == [], failed
