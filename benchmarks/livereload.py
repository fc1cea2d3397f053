"""Live preview benchmark: from saving a post to the served page showing the change.

Generates a 1,000-post site (citations, a chart in every tenth post), starts the
live preview on it, then edits one post's body at a time, in three rhythms of the
author's: saves 5 s apart (reading between them), 1 s apart (an editor's autosave)
and at irregular gaps of 1.5 to 3.5 s. Each save is timed until the served page
shows it, whether or not the build before it has ended: that is save-to-reload as
the author sees it, less the browser's own reload. For comparison it times what
pelican-quickstart's livereload does on every save: a whole (warm) Pelican build.

    python benchmarks/livereload.py [--posts 1000] [--edits 8] [--citation]

With ``--citation`` each edit changes a citation's page number instead, so that the
post's citations are formatted again (by pandoc) before the page can be served.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from runner import ROOT, build, write_settings
from sitegen import FIRST_DAY, generate


def free_port() -> int:
    """A port nothing listens on, for this run's preview."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def status(port: int) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/__preview/status", timeout=5) as r:
        return json.load(r)


def page_text(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


PHASES = {  # the gaps between saves, in seconds, repeated as needed
    "saves 5 s apart": [5.0],
    "saves 1 s apart": [1.0],
    "saves 1.5-3.5 s apart": [1.5, 3.0, 2.0, 3.5, 2.5, 1.5, 3.5, 2.0],
}


class Reloads(threading.Thread):
    """What an open browser tab does: at each build's end (the preview's event), fetch the
    page again. A save counts as served when a page fetched so shows it."""

    def __init__(self, port: int) -> None:
        super().__init__(daemon=True)
        self.port = port
        self.pending: dict[str, tuple[str, float]] = {}  # url -> marker, saved
        self.done: dict[str, float] = {}  # url -> seconds from save to served
        self.lock = threading.Lock()
        self.events = urllib.request.urlopen(f"http://127.0.0.1:{port}/__preview/events")

    def watch(self, url: str, marker: str, saved: float) -> None:
        with self.lock:
            self.pending[url] = (marker, saved)

    def run(self) -> None:
        for line in self.events:
            if not line.startswith(b"event: build"):
                continue
            with self.lock:
                pending = list(self.pending.items())
            for url, (marker, saved) in pending:
                if marker in page_text(f"http://127.0.0.1:{self.port}{url}"):
                    with self.lock:
                        self.done[url] = time.perf_counter() - saved
                        del self.pending[url]


def save_edit(content: Path, posts: int, number: int, citation: bool) -> tuple[str, str, float]:
    """Edit one post (a different one each time): its address, what shows the edit on it,
    and when it was saved."""
    n = (number * 97 + 13) % posts
    date = FIRST_DAY + dt.timedelta(days=n * 2)
    post = content / f"{date:%Y-%m-%d}-post-{n}.md"
    url = f"/{date:%Y}/{date:%m}/post-{n}/"
    text = post.read_text(encoding="utf-8")
    if citation:  # "[see @refN, p. 4]" becomes "[see @refN, p. 4001]", ...
        page_number = 4000 + number
        marker = f", p. {page_number}<"  # the locator, inside its link
        text = re.sub(r", p\. \d+\]", f", p. {page_number}]", text, count=1)
    else:
        marker = f"Edit number {number} at {time.time_ns()}."
        text += f"\n{marker}\n"
    saved = time.perf_counter()
    post.write_text(text, encoding="utf-8")
    return url, marker, saved


def run_phase(
    content: Path,
    reloads: Reloads,
    posts: int,
    gaps: list[float],
    edits: int,
    first: int,
    citation: bool,
) -> list[float]:
    urls = []
    for k in range(edits):
        url, marker, saved = save_edit(content, posts, first + k, citation)
        reloads.watch(url, marker, saved)
        urls.append(url)
        time.sleep(max(0.0, saved + gaps[k % len(gaps)] - time.perf_counter()))
    deadline = time.perf_counter() + 60
    while reloads.pending and time.perf_counter() < deadline:
        time.sleep(0.05)
    if reloads.pending:
        raise SystemExit(f"never served with their edit: {sorted(reloads.pending)}")
    return [reloads.done.pop(url) for url in urls]


class Preview:
    """The live preview, started as the author starts it, on the benchmark's site."""

    def __init__(self, settings: Path, port: int, log_path: Path) -> None:
        self.port, self.log_path = port, log_path
        self.log = log_path.open("a", encoding="utf-8")  # a file never fills, as a pipe would
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "blogtools.preview.server", "--settings", str(settings),
             "--port", str(port)],
            cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, text=True,
            start_new_session=True,
        )  # fmt: skip

    def first_build(self) -> float:
        """Seconds from the start to the end of its first build."""
        while True:
            try:
                if status(self.port)["build"] >= 1:
                    return time.perf_counter() - self.started
            except OSError:
                pass
            if self.process.poll() is not None:
                raise SystemExit(self.log_path.read_text(encoding="utf-8"))
            time.sleep(0.05)

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=8, help="saves in each phase")
    parser.add_argument("--citation", action="store_true", help="edit a citation's locator")
    args = parser.parse_args()
    # The builder's chart workers may still be ending as the folder goes.
    with tempfile.TemporaryDirectory(prefix="bench-livereload-", ignore_cleanup_errors=True) as tmp:
        work = Path(tmp)
        content = generate(work / "content", args.posts, 2000)
        settings = write_settings(work, content, None, "preview", publish=False)  # our plugins
        port = free_port()
        log_path = work / "preview.log"
        preview = Preview(settings, port, log_path)
        try:
            first = preview.first_build()
            time.sleep(4)  # the search index is made when the preview is idle
            results = {}
            reloads = Reloads(port)
            reloads.start()
            for number, (phase, gaps) in enumerate(PHASES.items()):
                results[phase] = run_phase(
                    content, reloads, args.posts, gaps, args.edits, number * args.edits,
                    args.citation,
                )  # fmt: skip
                time.sleep(4)
        except SystemExit:
            print("".join(log_path.read_text(encoding="utf-8").splitlines(True)[-40:]))
            raise
        finally:
            preview.stop()
        log = log_path.read_text(encoding="utf-8")
        built = [
            float(line.split(" in ")[1].split(" s")[0])
            for line in log.splitlines()
            if line.startswith("Built (") and " pages) in " in line
        ]
        full = [build(settings).seconds for _ in range(3)]
        again = Preview(settings, port, log_path)  # the caches as the whole builds left them
        try:
            restart = again.first_build()
        finally:
            again.stop()
    what = "a citation's page number" if args.citation else "one post's body"
    whole = statistics.median(full)
    print(f"{args.posts} posts; {args.edits} edits a phase of {what}, each to a different post")
    print("| saves | median | slowest | median / whole build |")
    print("|---|---:|---:|---:|")
    for phase, latencies in results.items():
        middle = statistics.median(latencies)
        print(f"| {phase} | {middle:.2f} s | {max(latencies):.2f} s | {middle / whole:.2f} |")
    if built:
        print(
            f"| (the builder's rebuilds, all phases) | {statistics.median(built):.2f} s | "
            f"{max(built):.2f} s | |"
        )
    print(
        f"| whole warm Pelican build (quickstart's livereload, every save) | "
        f"{whole:.2f} s | {max(full):.2f} s | 1 |"
    )
    print(f"first build when the preview starts: {first:.1f} s (caches empty); started again")
    print(f"with warm caches: {restart:.1f} s ({restart / whole:.2f} of the whole warm build)")
    print("Targets: median under 0.4 s and slowest under 0.8 s in every phase; median at most")
    print("0.1 of the whole build; started again, its first build within the whole warm build.")


if __name__ == "__main__":
    main()
