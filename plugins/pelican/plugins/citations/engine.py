"""pandoc as the citations engine: a few long-lived processes that format many posts each.

pandoc (the binary of the ``pypandoc-binary`` wheel: nothing is downloaded) runs
``engine.lua``, which reads requests as JSON lines: each post's citations, as the
author wrote them, with the BibTeX of the works it cites, formatted by citeproc in
the post's CSL style. Starting pandoc costs some 50 ms and each citeproc call some
5 ms of fixed work (the style and locale), so a process is started once a build
for each worker and handles batches of posts; the processes run beside Pelican,
which goes on reading while they format. Nothing here runs when every post is in
the cache.
"""

from __future__ import annotations

import json
import queue
import subprocess
import tempfile
import threading
from concurrent.futures import Future
from pathlib import Path

from .pandoc_binary import PandocMissing, pandoc_path

SCRIPT = Path(__file__).with_name("engine.lua")
TIMEOUT = 120  # seconds for one request: far more than any real one takes


class EngineError(RuntimeError):
    """pandoc could not be started, failed, or took too long."""


class _Process:
    """One pandoc running engine.lua; asked one request at a time."""

    def __init__(self) -> None:
        self.errors = tempfile.TemporaryFile(mode="w+b")  # noqa: SIM115 (kept for the process)
        try:
            binary = pandoc_path()
        except PandocMissing as error:
            self.errors.close()
            raise EngineError(str(error)) from None
        try:
            self.process = subprocess.Popen(
                [binary, "lua", str(SCRIPT)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self.errors,
                text=True,
                encoding="utf-8",
                errors="surrogateescape",
            )
        except OSError as error:
            self.errors.close()
            raise EngineError(f"pandoc could not be started ({error})") from None

    def ask(self, request: dict, timeout: float) -> dict:
        watchdog = threading.Timer(timeout, self.process.kill)
        watchdog.start()
        try:
            self.process.stdin.write(json.dumps(request, ensure_ascii=False) + "\n")
            self.process.stdin.flush()
            line = self.process.stdout.readline()
        except (BrokenPipeError, OSError):
            line = ""
        finally:
            watchdog.cancel()
        if not line:
            try:
                self.process.wait(timeout=2)  # then all it wrote to its error output is there
            except subprocess.TimeoutExpired:
                self.process.kill()
            said = self._last_words()
            self.close()
            raise EngineError(f"pandoc stopped ({said or 'no message'})")
        answer = json.loads(line)
        if answer.get("error") and set(answer) == {"error"}:
            raise EngineError(f"pandoc failed: {answer['error']}")
        return answer

    def _last_words(self) -> str:
        try:
            self.errors.seek(0)
            text = self.errors.read().decode("utf-8", "replace")
        except (OSError, ValueError):
            return ""
        return " ".join(text.split())[-400:]

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                self.process.stdin.write('"quit"\n')
                self.process.stdin.close()
                self.process.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()
        self.errors.close()

    @property
    def alive(self) -> bool:
        return self.process.poll() is None


class Engine:
    """Up to ``processes`` pandoc processes, each fed by a thread of its own."""

    def __init__(self, processes: int, timeout: float = TIMEOUT) -> None:
        self.size = max(1, processes)
        self.timeout = timeout
        self._requests: queue.Queue = queue.Queue()
        self._threads: list[threading.Thread] = []
        self._waiting = 0
        self._lock = threading.Lock()
        self.started = 0  # processes started, for the build's report

    def submit(self, request: dict) -> Future:
        """The answer to ``request``, when a process has given it."""
        future: Future = Future()
        with self._lock:
            self._waiting += 1
            if len(self._threads) < min(self.size, self._waiting):
                thread = threading.Thread(target=self._serve, daemon=True)
                self._threads.append(thread)
                thread.start()
        self._requests.put((request, future))
        return future

    def _serve(self) -> None:
        process: _Process | None = None
        while True:
            item = self._requests.get()
            if item is None:
                break
            request, future = item
            with self._lock:
                self._waiting -= 1
            if not future.set_running_or_notify_cancel():
                continue
            try:
                if process is None or not process.alive:
                    process = _Process()
                    self.started += 1
                future.set_result(process.ask(request, self.timeout))
            except Exception as error:
                future.set_exception(error)
                if process is not None and not process.alive:
                    process = None
        if process is not None:
            process.close()

    def close(self) -> None:
        """Let the processes finish what they were asked, then stop them."""
        for _ in self._threads:
            self._requests.put(None)
        for thread in self._threads:
            thread.join(timeout=self.timeout)
        self._threads = []
