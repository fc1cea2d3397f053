"""The live preview: serve the site, rebuild on every save, reload the open page.

Three parts. A builder process (``builder.py``) keeps the site in memory and
rebuilds what a save touches; it is restarted when plugins or settings change,
so that their new code is what runs. A watcher turns saves into build commands.
A small HTTP server serves output/, adds to every page a script that reloads
it when a build ends, and, while the last build has problems, a panel listing
each one as ``path:line: what — what to do`` (and an error page in place of a
page that could not be built). Everything it serves comes from this machine.
Ctrl-C stops all three, and the builder's own workers with it.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import html
import http.server
import json
import mimetypes
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from blogtools.preview.index import PreviewIndex, behind_notice
from blogtools.preview.protocol import Build, Built, Shown

ROOT = Path(__file__).resolve().parents[2]
IDLE_SECONDS = 1.2  # after a build, this long with no save, and the search index is redone
POLL_SECONDS = 0.2  # how often the loop looks at the index being made
CLIENT = """(function () {
  var source = new EventSource("/__preview/events");
  source.addEventListener("build", function () { location.reload(); });
  source.addEventListener("index", function () {
    if (document.getElementById("preview-index-behind")) { location.reload(); } });
  var close = document.getElementById("preview-problems-close");
  if (close) { close.addEventListener("click", function () {
    document.getElementById("preview-problems").remove(); }); }
})();
"""


class State:
    """What the server knows of the builds: a counter that changes when one ends, the
    problems of the last one, and whether the search index is older than it."""

    def __init__(self) -> None:
        self.build = 0
        self.problems: list[dict] = []
        self.indexed = 0  # counts the indexes put in place
        self.index_behind = True
        self.changed = threading.Condition()
        self.running = True

    def finished(self, problems: list[Shown]) -> None:
        with self.changed:
            self.build += 1
            self.problems = problems
            self.index_behind = True
            self.changed.notify_all()

    def index_done(self, behind: bool) -> None:
        with self.changed:
            self.indexed += 1
            self.index_behind = behind
            self.changed.notify_all()


def problems_panel(problems: list[dict]) -> str:
    """The panel on every served page while the last build has problems."""
    items = "".join(f"<li><code>{html.escape(p['text'])}</code></li>" for p in problems)
    noun = "problem" if len(problems) == 1 else "problems"
    return (
        '<div id="preview-problems" role="alert" style="position:fixed;z-index:2147483647;'
        "left:0;right:0;top:0;max-height:60vh;overflow:auto;margin:0;padding:1rem 1.25rem;"
        "background:#3b0d0d;color:#fff4f0;font:15px/1.45 system-ui,sans-serif;"
        'box-shadow:0 4px 16px rgba(0,0,0,.4)">'
        f'<p style="margin:0 0 .5rem;font-weight:700">The last build has {len(problems)} '
        f"{noun}. Fix {'it' if len(problems) == 1 else 'them'} and save: this page "
        "reloads by itself.</p>"
        f'<ul style="margin:0;padding-left:1.25rem">{items}</ul>'
        '<button id="preview-problems-close" type="button" style="margin-top:.75rem;'
        'font:inherit;padding:.2rem .8rem">Hide</button></div>'
    )


def error_page(problems: list[dict], path: str) -> str:
    """What a page that could not be built shows instead: why, and a way home."""
    listed = problems_panel(problems) if problems else ""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<title>Not built – live preview</title></head><body style="font:16px/1.5 system-ui,'
        'sans-serif;margin:0">'
        + listed
        + f'<main style="padding:14rem 1.5rem 2rem"><h1>Nothing at {html.escape(path)}</h1>'
        "<p>This page was not built. If the last build has problems, they are listed above; "
        'once fixed, this page reloads by itself.</p><p><a href="/">The home page</a></p>'
        '</main><script src="/__preview/client.js"></script></body></html>'
    )


MAX_STREAMS = 16  # open pages told to reload: one thread each, so not without end
LOCAL_NAMES = {"localhost", "127.0.0.1", "[::1]", "::1"}


def local_host(header: str, port: int) -> bool:
    """Whether a request's Host names this machine (and this port, when it names one): a
    page elsewhere that made its name lead here (DNS rebinding) is not answered."""
    header = header.strip().lower()
    if header.startswith("["):
        name, _, rest = header.partition("]")
        name, given = name + "]", rest.removeprefix(":")
    else:
        name, _, given = header.partition(":")
    return name in LOCAL_NAMES and (not given or given == str(port))


def served_file(output: Path, path: str) -> Path | None:
    """The file under ``output`` that a request path names (a folder's index.html), its
    real path checked to be inside: None for anything else."""
    base = output.resolve()
    target = (base / path.lstrip("/")).resolve()
    if not target.is_relative_to(base):
        return None
    if target.is_dir():
        target = target / "index.html"
    return target if target.is_file() and target.resolve().is_relative_to(base) else None


def make_handler(output: Path, state: State, port: int, search_page: str = ""):
    """``search_page``: the file of the site's search page, which says when its index is
    behind the last save."""
    streams = threading.BoundedSemaphore(MAX_STREAMS)

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):  # the terminal is for build messages
            pass

        def end_headers(self):
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

        def do_GET(self):
            if not local_host(self.headers.get("Host", ""), port):
                return self._send(b"The live preview answers only at localhost.", "text/plain", 403)
            path = unquote(urlsplit(self.path).path)
            try:
                return self._get(path)
            except OSError as error:  # a name too long for the file system, and the like
                too_long = error.errno == errno.ENAMETOOLONG
                body = error_page(state.problems, path[:200]).encode()
                return self._send(body, "text/html; charset=utf-8", 414 if too_long else 404)

        def _get(self, path: str):
            if path == "/__preview/events":
                return self._events()
            if path == "/__preview/client.js":
                return self._send(CLIENT.encode(), "text/javascript; charset=utf-8")
            if path == "/__preview/status":
                body = json.dumps(
                    {
                        "build": state.build,
                        "problems": state.problems,
                        "indexed": state.indexed,
                        "index_behind": state.index_behind,
                    }
                )
                return self._send(body.encode(), "application/json")
            target = served_file(output, path)
            if (
                target is not None
                and target.name == "index.html"
                and not path.endswith(("/", "index.html"))
            ):
                self.send_response(301)
                self.send_header("Location", quote(path) + "/")
                self.end_headers()
                return None
            if target is None:
                body = error_page(state.problems, path).encode()
                return self._send(body, "text/html; charset=utf-8", 404)
            if target.suffix == ".html":
                searching = target == (output / search_page).resolve() if search_page else False
                page = self._inject(target.read_text(encoding="utf-8"), searching)
                return self._send(page.encode(), "text/html; charset=utf-8")
            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            return self._send(target.read_bytes(), kind)

        def _inject(self, page: str, searching: bool = False) -> str:
            extra = problems_panel(state.problems) if state.problems else ""
            if searching and state.index_behind:
                extra += behind_notice()
            extra += '<script src="/__preview/client.js"></script>'
            marker = page.rfind("</body>")
            return page[:marker] + extra + page[marker:] if marker >= 0 else page + extra

        def _send(self, body: bytes, kind: str, status: int = 200):
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _events(self):
            if not streams.acquire(blocking=False):
                self.send_response(503)
                self.send_header("Retry-After", "5")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            try:
                self._stream()
            finally:
                streams.release()
            return None

        def _stream(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            seen, seen_index = state.build, state.indexed
            try:
                while state.running:
                    with state.changed:
                        state.changed.wait(timeout=15)
                        current, index = state.build, state.indexed
                    if current != seen:
                        seen = current
                        self.wfile.write(f"event: build\ndata: {current}\n\n".encode())
                    elif index != seen_index:
                        seen_index = index
                        self.wfile.write(f"event: index\ndata: {index}\n\n".encode())
                    else:
                        self.wfile.write(b": still here\n\n")
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

    return Handler


class BuilderProcess:
    """The builder child: started, told to build, restarted, stopped with its workers."""

    def __init__(self, settings: Path, overrides: dict) -> None:
        self.settings = settings
        self.overrides = overrides
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "blogtools.preview.builder",
                str(self.settings),
                "--override",
                json.dumps(self.overrides),
            ],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
            start_new_session=True,  # its own group: stopped with all its workers
        )

    def ask(self, command: Build) -> Built:
        if self.process is None or self.process.poll() is not None:
            self.start()
        assert self.process and self.process.stdin and self.process.stdout
        try:
            self.process.stdin.write(command.line() + "\n")
            self.process.stdin.flush()
            line = self.process.stdout.readline()
        except (BrokenPipeError, OSError):
            line = ""
        if not line:
            self.stop()
            return Built.failed(
                "the builder stopped unexpectedly — the terminal shows why; save to retry"
            )
        return Built.from_line(line)

    def stop(self) -> None:
        if self.process is None:
            return
        try:
            if self.process.stdin:
                self.process.stdin.close()  # the builder ends when its input ends
            self.process.wait(timeout=5)
        except (subprocess.TimeoutExpired, OSError):
            pass
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)  # and anything it started
        self.process.wait()
        self.process = None


@dataclass
class Plan:
    """What saves ask for: which posts, a full build, every post read again, a new builder."""

    changed: set[str] = field(default_factory=set)
    full: bool = False
    forget: bool = False
    restart: bool = False

    def merge(self, other: Plan) -> None:
        """Saves made during a build, folded into the next one."""
        self.changed |= other.changed
        self.full, self.forget = self.full or other.full, self.forget or other.forget
        self.restart = self.restart or other.restart

    def command(self) -> Build:
        """The builder's command."""
        return Build(tuple(sorted(self.changed)), self.full, self.forget)


def classify(changes, root: Path, content: Path) -> Plan:
    """What a batch of saves asks for."""
    plan = Plan()
    for _, raw in changes:
        path = Path(raw)
        name = path.name
        if name.startswith((".#", "#")) or name.endswith(("~", ".swp", ".swx", ".tmp")):
            continue  # editors' scratch files
        if path.suffix == ".py" and (path.parent == root or root / "plugins" in path.parents):
            plan.restart = plan.full = True
        elif root / "theme" in path.parents:
            plan.full = True
        elif path.suffix == ".bib" or content / "data" in path.parents:
            plan.forget = plan.full = True
        elif content in path.parents:
            plan.changed.add(str(path.relative_to(content)))
    return plan


def _interrupt(_signum, _frame) -> None:
    raise KeyboardInterrupt


def stop_on_signals() -> None:
    """A closed terminal (SIGHUP) or a kill (SIGTERM) stops the preview as Ctrl-C does: the
    builder runs in a session of its own, so that it and its workers can be stopped
    together, and would otherwise outlive the preview."""
    if threading.current_thread() is threading.main_thread():
        for name in ("SIGTERM", "SIGHUP"):
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), _interrupt)


def run_live_preview(
    root: Path = ROOT,
    host: str = "127.0.0.1",
    port: int = 8000,
    settings: Path | None = None,
    overrides: dict | None = None,
) -> None:
    """Serve, watch and rebuild until Ctrl-C, a closed terminal or a kill."""
    from watchfiles import watch

    settings = settings or root / "pelicanconf.py"
    overrides = overrides or {}
    from pelican.settings import read_settings

    configured = read_settings(str(settings), override=overrides)
    output, content = Path(configured["OUTPUT_PATH"]), Path(configured["PATH"])
    output.mkdir(parents=True, exist_ok=True)
    state = State()
    handler = make_handler(output, state, port, configured.get("SEARCH_SAVE_AS", ""))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    builder = BuilderProcess(settings, overrides)
    stop_on_signals()
    plans: queue.Queue = queue.Queue()
    stop = threading.Event()
    watched = [
        p
        for p in (
            content,
            root / "theme",
            root / "plugins",
            settings,
            root / "pelicanconf.py",
            root / "publishconf.py",
        )
        if p.exists()
    ]

    def watcher() -> None:
        for changes in watch(
            *watched, stop_event=stop, debounce=400, step=20, raise_interrupt=False
        ):
            plans.put(classify(changes, root, content))

    threading.Thread(target=watcher, daemon=True).start()

    def build(plan: Plan) -> None:
        if plan.restart:
            builder.stop()
            print("Plugins or settings changed: starting a fresh builder", flush=True)
        result = builder.ask(plan.command())
        state.finished(result.problems)
        what = "every page" if result.full else f"{result.pages} pages"
        if result.problems:
            print(
                f"Built ({what}) in {result.seconds:.2f} s with "
                f"{len(result.problems)} problem(s): listed above and in the browser",
                flush=True,
            )
        else:
            print(f"Built ({what}) in {result.seconds:.2f} s", flush=True)

    index = PreviewIndex(output)

    def indexing(idle: bool) -> None:
        """The index put in place when done; started again when the author pauses."""
        if index.poll():
            state.index_done(index.behind)
            if index.problem:
                print(index.problem, flush=True)
        if idle:
            index.start()

    try:
        print(f"Building {content} ...", flush=True)
        build(Plan(full=True))
        index.built(state.build)
        index.start()
        print(f"Live preview at http://localhost:{port}/ — Ctrl-C to stop", flush=True)
        quiet_since = time.monotonic()
        while True:
            try:
                plan = plans.get(timeout=POLL_SECONDS)
            except queue.Empty:
                indexing(time.monotonic() - quiet_since >= IDLE_SECONDS)
                continue
            while not plans.empty():  # saves made during the last build: one build for all
                plan.merge(plans.get())
            if plan.changed or plan.full:
                build(plan)
                index.built(state.build)
            indexing(False)
            quiet_since = time.monotonic()
    except KeyboardInterrupt:
        print("\nStopping the live preview", flush=True)
    finally:
        stop.set()
        state.running = False
        with state.changed:
            state.changed.notify_all()
        index.stop()
        builder.stop()
        server.shutdown()
        server.server_close()


def main(argv: list[str] | None = None) -> int:
    """The command line of the live preview (invoke livereload runs it)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--settings", type=Path, default=ROOT / "pelicanconf.py")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    run_live_preview(ROOT, args.host, args.port, args.settings)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
