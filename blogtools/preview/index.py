"""The live preview's search index, made where no save waits for it.

Pagefind takes seconds over a large site (2.5 s at 1,000 posts on two cores). Run by
the builder, it made every save that arrived meanwhile wait behind it. Here it runs in
a process of its own at the lowest CPU priority, into a folder beside the index it
replaces, which takes the index's place only once whole; a build that ends while it
runs makes it stale, so it is stopped and started again when the author pauses. The
preview's search page says when its index is behind the last save.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

SUBDIR = "pagefind"
NICEST = 19  # the scheduler gives the builder the cores first


class PreviewIndex:
    """One Pagefind run at a time over the preview's output, for the build numbered
    ``wanted``; ``current`` is the build the index in place was made from."""

    def __init__(self, output: Path) -> None:
        self.output = output
        self.current = -1
        self.wanted = 0
        self.problem: str | None = None
        self._process: subprocess.Popen | None = None
        self._stage: Path | None = None
        self._making = -1
        self._log = None

    @property
    def running(self) -> bool:
        return self._process is not None

    @property
    def behind(self) -> bool:
        return self.current < self.wanted

    def built(self, number: int) -> None:
        """A build ended: an index being made from the pages before it is of no use."""
        self.wanted = number
        if self.running and self._making < number:
            self.stop()

    def start(self) -> None:
        if self.running or not self.behind:
            return
        self._stage = Path(tempfile.mkdtemp(prefix=".pagefind-", dir=self.output.parent))
        self._log = tempfile.TemporaryFile(  # noqa: SIM115 (closed in _finish)
            mode="w+", encoding="utf-8", errors="replace"
        )
        self._making = self.wanted
        try:
            self._process = subprocess.Popen(
                [
                    *(sys.executable, "-m", "pagefind"),
                    *("--site", str(self.output), "--output-path", str(self._stage)),
                    "--quiet",
                ],
                stdin=subprocess.DEVNULL,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # stopped with whatever it starts
                preexec_fn=lambda: os.nice(NICEST),
            )
        except OSError as error:
            self._finish()
            self.problem = f"the search index could not be made: {error}"

    def poll(self) -> bool:
        """Put a finished index in place; True when one was (or failed)."""
        if self._process is None or self._process.poll() is None:
            return False
        code = self._process.returncode
        stage = self._stage
        assert stage is not None and self._log is not None
        self._log.seek(0)
        log = " ".join(self._log.read().split())[:400]
        if code == 0 and (stage / "pagefind.js").is_file():
            try:
                self._replace(stage)
                self.current, self.problem = self._making, None
            except OSError as error:  # the output's folder changed under it, or the like
                self.problem = (
                    f"{self.output / SUBDIR}: the new search index could not take the old "
                    f"one's place ({error}) — save again to make it anew"
                )
        else:
            self.problem = (
                f"{self.output}: the search index was not made (Pagefind: {log or code}) — "
                "reinstall the pinned requirements (.venv/bin/python -m pip install -r "
                "requirements.txt) and save again"
            )
        self._finish()
        return True

    def _replace(self, stage: Path) -> None:
        """The new index in place of the old with two renames: a search in between finds
        no index for a moment, never half of one."""
        target = self.output / SUBDIR
        old = stage.with_name(stage.name + ".old")
        if target.exists():
            target.rename(old)
        stage.rename(target)
        shutil.rmtree(old, ignore_errors=True)

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait()
        self._finish()

    def _finish(self) -> None:
        self._process = None
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._stage is not None and self._stage.exists():
            shutil.rmtree(self._stage, ignore_errors=True)
        self._stage = None


def behind_notice() -> str:
    """Shown on the preview's search page while its index is older than the last save."""
    return (
        '<p id="preview-index-behind" role="status" style="position:fixed;z-index:2147483646;'
        "left:0;right:0;bottom:0;margin:0;padding:.6rem 1.25rem;background:#fff4c2;"
        'color:#3b2f00;font:15px/1.45 system-ui,sans-serif">The search index is being '
        "brought up to date with your last save: results may miss it for a few seconds. "
        "This page reloads when it is ready.</p>"
    )
