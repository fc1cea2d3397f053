"""Debian's chromium, driven by Playwright, and a web server for it on 127.0.0.1.

No browser is downloaded: Playwright drives the system's chromium, with the flags that
keep it from reaching for the network at start.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

from servers import free_port

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def serving(folder: Path, port: int | None = None):
    """``folder`` served at http://127.0.0.1:PORT/ while the block runs; its address."""
    port = port or free_port()
    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


SEARCH_LOADED = """() => document.querySelector('.pagefind-ui__result')
  && !document.querySelector('.pagefind-ui__result .pagefind-ui__loading')"""


def wait_for_search_results(page, timeout: float = 20_000) -> None:
    """Until Pagefind's interface shows its results, each one whole. It draws a
    placeholder (". . .") for each result first and fills each in when its fragment
    arrives, in any order: a test that read them at the first result read placeholders
    on a busy machine."""
    page.wait_for_function(SEARCH_LOADED, timeout=timeout)
