"""The live preview, run as the author runs it: save, see, break, see why, fix, stop."""

from __future__ import annotations

import gzip
import html
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from project import copy_project
from servers import free_port, wait_for

POST = "2017-06-19-gloucestershire-blaming-the-blamers.md"
PAGE = "2017/06/gloucestershire-blaming-the-blamers/"


def get(url: str) -> tuple[int, str]:
    """Status and text (entities decoded, as a reader sees them) of a served page."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, html.unescape(response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        return error.code, html.unescape(error.read().decode("utf-8"))


def descendants(pid: int) -> set[int]:
    """Every process started, directly or not, by ``pid``."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


class Preview:
    def __init__(self, project: Path, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}/"
        # What it prints goes to a file, which never fills: into a pipe read only at the end,
        # a busy run's output filled the pipe and the preview hung writing to it.
        self.log = project.parent / "preview.log"
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "blogtools.preview.server", "--port", str(port)],
                cwd=project,
                stdout=log,
                stderr=subprocess.STDOUT,
                text=True,
                # Ctrl-C as a terminal delivers it, even where these tests run with SIGINT
                # ignored (a job started in the background by a script ignores it, and so
                # does everything it starts: the tests' Ctrl-C then did nothing).
                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
            )

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def status(self) -> dict:
        return json.loads(get(self.url + "__preview/status")[1])

    def wait_for_build(self, after: int, timeout: float = 120) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                state = self.status()
                if state["build"] > after:
                    return state
            except (OSError, ValueError):
                pass
            assert self.process.poll() is None, self.output()
            time.sleep(0.05)
        raise TimeoutError("no build")


@pytest.fixture
def preview(tmp_path):
    project = copy_project(tmp_path / "project")
    running = Preview(project, free_port())
    running.project = project
    yield running
    if running.process.poll() is None:
        running.process.kill()
        running.process.wait()


def save(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def test_save_break_see_why_fix_and_stop(preview):
    first = preview.wait_for_build(0)
    assert first["problems"] == []
    status, page = get(preview.url + PAGE)
    assert status == 200 and "/__preview/client.js" in page
    assert "preview-problems" not in page
    post = preview.project / "content" / POST
    good = post.read_text(encoding="utf-8")

    save(
        post,
        good.replace(
            "Just blaming the blamers will get us nowhere.",
            "Just blaming the blamers will get us nowhere at all.",
        ),
    )
    state = preview.wait_for_build(first["build"])
    assert "will get us nowhere at all." in get(preview.url + PAGE)[1]

    # A typo in a citation key: the page is still there, with the problem over it.
    save(post, good.replace("[@reason2000]", "[@reasn2000]"))
    state = preview.wait_for_build(state["build"])
    line = next(
        n for n, text in enumerate(post.read_text().splitlines(), 1) if "@reasn2000" in text
    )
    [problem] = state["problems"]
    assert problem["path"] == f"content/{POST}" and problem["line"] == line
    status, page = get(preview.url + PAGE)
    assert status == 200
    assert f"content/{POST}:{line}: cites unknown key 'reasn2000'" in page
    assert (
        'id="preview-problems"' in page
        and "http" not in page.split('id="preview-problems"')[1].split("</div>")[0]
    )  # links to nothing outside

    # A broken front-matter line and a chart out of range, at once.
    methodology = preview.project / "content" / "2017-06-07-ofsteds-methodology-how-good-is-it.md"
    chart_text = methodology.read_text(encoding="utf-8")
    save(
        methodology,
        chart_text.replace("poor = 0.2\nthreshold = 8", "poor = 2\nthreshold = 8").replace(
            "Date: 2017-06-07 12:00", "Date: 2017-06-77"
        ),
    )
    state = preview.wait_for_build(state["build"])
    texts = " ".join(p["text"] for p in state["problems"])
    assert "'Date: 2017-06-77' is not a date" in texts
    assert "chart: 'poor' must be between 0 and 1, not 2" in texts
    page = get(preview.url + "2017/06/ofsteds-methodology-how-good-is-it/")[1]
    assert "This chart could not be drawn." in page

    # Fixed: the problems are gone, the pages are whole again.
    save(post, good)
    save(methodology, chart_text)
    deadline = time.monotonic() + 60
    while state["problems"] and time.monotonic() < deadline:
        state = preview.wait_for_build(state["build"])
    assert state["problems"] == []
    page = get(preview.url + PAGE)[1]
    assert "preview-problems" not in page, page[page.find("preview-problems") - 300 :][:600]
    assert ">Reason, 2000</a>" in page and "citation-error" not in page

    # A page that failed to build shows the problems instead of a bare 404.
    status, page = get(preview.url + "no/such/page/")
    assert status == 404 and "was not built" in page

    # Ctrl-C stops the preview and everything it started.
    started = descendants(preview.process.pid)
    assert started, "the builder runs in a process of its own"
    preview.process.send_signal(signal.SIGINT)
    preview.process.wait(timeout=30)
    time.sleep(0.5)
    left = [pid for pid in started if alive(pid)]
    assert left == [], f"processes left behind: {left}"
    assert "Stopping the live preview" in preview.output()


def test_the_open_page_is_told_to_reload(preview):
    first = preview.wait_for_build(0)
    request = urllib.request.urlopen(preview.url + "__preview/events", timeout=30)
    post = preview.project / "content" / POST
    save(post, post.read_text() + "\nOne more line.\n")
    deadline = time.monotonic() + 60
    lines = []
    while time.monotonic() < deadline:
        line = request.readline().decode()
        lines.append(line)
        if line.startswith("event: build"):
            break
    request.close()
    assert "event: build\n" in lines
    assert preview.status()["build"] > first["build"]
    os.kill(preview.process.pid, signal.SIGINT)
    preview.process.wait(timeout=30)


@pytest.mark.parametrize("stopped_by", [signal.SIGTERM, signal.SIGHUP])
def test_a_kill_or_a_closed_terminal_stops_everything(preview, stopped_by):
    preview.wait_for_build(0)
    started = descendants(preview.process.pid)
    assert started, "the builder runs in a process of its own"
    preview.process.send_signal(stopped_by)
    assert preview.process.wait(timeout=30) == 0
    time.sleep(0.5)
    assert [pid for pid in started if alive(pid)] == [], "processes left behind"
    assert "Stopping the live preview" in preview.output()


def indexed_text(output: Path) -> str:
    """Every page's text as the preview's search index holds it (Pagefind's fragments)."""
    fragments = (output / "pagefind" / "fragment").glob("*.pf_fragment")
    return " ".join(gzip.decompress(f.read_bytes()).decode("utf-8", "replace") for f in fragments)


def test_the_search_index_follows_saves_without_holding_them_up(preview):
    """Made in a process of its own when the author pauses: the search page says when it
    is behind the last save, and is told to reload once the index has caught up."""
    first = preview.wait_for_build(0)
    output = preview.project / "output"
    caught_up = wait_for(lambda: (s := preview.status())["indexed"] and not s["index_behind"] and s)
    assert "Gloucestershire" in indexed_text(output)
    assert "preview-index-behind" not in get(preview.url + "search/")[1]
    assert not list(preview.project.glob(".pagefind-*")), "the folder it was made in is gone"

    events = urllib.request.urlopen(preview.url + "__preview/events", timeout=60)
    post = preview.project / "content" / POST
    save(post, post.read_text() + "\nA word never written before: quizzicalness.\n")
    after = preview.wait_for_build(first["build"])
    assert after["index_behind"]
    assert "preview-index-behind" in get(preview.url + "search/")[1]
    assert "preview-index-behind" not in get(preview.url + PAGE)[1], "only the search page"
    assert "quizzicalness" in get(preview.url + PAGE)[1], "the page did not wait for the index"

    lines = []
    while not any(line.startswith("event: index") for line in lines):
        lines.append(events.readline().decode())
    events.close()
    now = preview.status()
    assert now["indexed"] > caught_up["indexed"] and not now["index_behind"]
    assert "quizzicalness" in indexed_text(output)
    assert "preview-index-behind" not in get(preview.url + "search/")[1]
