"""Live preview benchmark: from saving a post to the served page showing the change.

Generates a 1,000-post site (citations, a chart in every tenth post), starts the
live preview on it, then edits one post's body at a time and polls the served
page until the edit shows: that is save-to-reload as the author sees it, less
the browser's own reload. For comparison it times what pelican-quickstart's
livereload does on every save: a whole (warm) Pelican build.

    python benchmarks/livereload.py [--posts 1000] [--edits 10] [--citation]

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
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from runner import ROOT, build, write_settings
from sitegen import FIRST_DAY, generate

sys.path.insert(0, str(ROOT / "tests"))
from servers import free_port


def status(port: int) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/__preview/status", timeout=5) as r:
        return json.load(r)


def page_text(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--citation", action="store_true", help="edit a citation's locator")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-livereload-") as tmp:
        work = Path(tmp)
        content = generate(work / "content", args.posts, 2000)
        plugins = ["frontmatter", "citations", "sampling_charts", "search_index"]
        settings = write_settings(work, content, plugins, "preview", publish=False)
        port = free_port()
        preview = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "blogtools.livepreview",
                "--settings",
                str(settings),
                "--port",
                str(port),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        try:
            start = time.perf_counter()
            while True:
                try:
                    if status(port)["build"] >= 1:
                        break
                except OSError:
                    pass
                if preview.poll() is not None:
                    raise SystemExit(preview.stdout.read())
                time.sleep(0.2)
            first = time.perf_counter() - start
            time.sleep(4)  # the search index is made when the preview is idle
            latencies = []
            for edit in range(args.edits):
                n = (edit * 97 + 13) % args.posts
                date = FIRST_DAY + dt.timedelta(days=n * 2)
                post = content / f"{date:%Y-%m-%d}-post-{n}.md"
                url = f"http://127.0.0.1:{port}/{date:%Y}/{date:%m}/post-{n}/"
                marker = f"Edit number {edit} at {time.time_ns()}."
                before = status(port)["build"]
                if args.citation:  # "[see @refN, p. 4]" becomes "[see @refN, p. 4001]", ...
                    text = post.read_text(encoding="utf-8")
                    page_number = 4000 + edit
                    marker = f", p. {page_number}<"  # the locator, inside its link
                    changed = re.sub(r", p\. \d+\]", f", p. {page_number}]", text, count=1)
                    saved = time.perf_counter()
                    post.write_text(changed, encoding="utf-8")
                else:
                    with post.open("a", encoding="utf-8") as handle:
                        saved = time.perf_counter()
                        handle.write(f"\n{marker}\n")
                # The open page reloads when the build ends (the build counter moves):
                # time that, then the page as the reloaded browser fetches it.
                while status(port)["build"] == before:
                    if time.perf_counter() - saved > 60:
                        raise SystemExit("the preview never rebuilt")
                    time.sleep(0.005)
                if marker not in page_text(url):
                    raise SystemExit(f"the rebuilt page at {url} does not show the edit")
                latencies.append(time.perf_counter() - saved)
                time.sleep(3)  # reading what was written; the index catches up meanwhile
        finally:
            os.killpg(preview.pid, signal.SIGINT)
            try:
                preview.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(preview.pid, signal.SIGKILL)
        log = preview.stdout.read()
        built = [
            float(line.split(" in ")[1].split(" s")[0])
            for line in log.splitlines()
            if line.startswith("Built (") and " pages) in " in line
        ]
        full = [build(settings).seconds for _ in range(3)]
    what = "a citation's page number" if args.citation else "one post's body"
    print(f"{args.posts} posts; {args.edits} edits of {what}, each to a different post")
    print("| measure | median | slowest |")
    print("|---|---:|---:|")
    print(
        f"| save to reload: build done, changed page served | {statistics.median(latencies):.2f} s "
        f"| {max(latencies):.2f} s |"
    )
    if built:
        print(
            f"| of which the builder's rebuild | {statistics.median(built):.2f} s | "
            f"{max(built):.2f} s |"
        )
    print(
        f"| whole warm Pelican build (quickstart's livereload, every save) | "
        f"{statistics.median(full):.2f} s | {max(full):.2f} s |"
    )
    print(f"first build when the preview starts: {first:.1f} s")
    print("Goal: save to reload under 1 s.")


if __name__ == "__main__":
    main()
