"""Worker processes for work that may take too long: each job with a time limit.

A chart's numbers and drawing run here, never in the build's own process, so that a
chart that would take a minute (or for ever) cannot freeze the preview: past its
time limit its worker is stopped and the job fails with TimeoutError, which the
caller reports as a problem of that chart. pebble keeps the pool: the standard
library's ProcessPoolExecutor cannot stop one job. The pool is made when the first
job comes (a build with everything cached starts no process) and belongs to the one
object that made it, which shuts it down.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any


class WorkerPool:
    """Up to ``size`` processes (default: the cores), started when first needed."""

    def __init__(self, size: int | None = None) -> None:
        self.size = size or os.cpu_count() or 1
        self._pool = None

    @property
    def started(self) -> bool:
        return self._pool is not None

    def submit(self, function: Callable, *arguments: Any, timeout: float | None = None) -> Future:
        """Run ``function(*arguments)`` (top-level, picklable) in a worker, for at most
        ``timeout`` seconds."""
        if self._pool is None:
            import multiprocessing

            from pebble import ProcessPool

            # fork: a worker starts in milliseconds, with the modules already imported.
            self._pool = ProcessPool(self.size, context=multiprocessing.get_context("fork"))
        return self._pool.schedule(function, args=arguments, timeout=timeout)

    def shutdown(self) -> None:
        """Let the jobs in hand finish, then stop the workers."""
        if self._pool is not None:
            pool, self._pool = self._pool, None
            pool.close()
            pool.join()
