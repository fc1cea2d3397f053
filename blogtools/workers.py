"""The build's worker processes, shared by every plugin that spreads its work over the cores.

One pool for a build, not one for each plugin: on a machine with n cores there
are n workers, which take citations to format and charts to draw from one queue
while Pelican goes on reading and writing in the main process. A job carries
everything it needs (no state inherited from the parent), so it does not matter
which plugin starts the pool. The pool and multiprocessing are loaded only when
some work does not fit in the main process: a build with everything cached
starts no process at all.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

_pool = None  # a ProcessPoolExecutor, made when first needed
_size = 0


def submit(function: Callable, *arguments: Any, workers: int | None = None) -> Future:
    """Run ``function(*arguments)`` in a worker: a top-level function, picklable arguments.

    ``workers`` (a plugin's setting, else the number of cores) sizes the pool when
    this call makes it.
    """
    global _pool, _size
    if _pool is None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        _size = workers or os.cpu_count() or 1
        # fork: a worker starts in milliseconds, with the modules already imported.
        context = multiprocessing.get_context("fork")
        _pool = ProcessPoolExecutor(max_workers=_size, mp_context=context)
    return _pool.submit(function, *arguments)


def size() -> int:
    """How many workers the pool has (0 when none has been started)."""
    return _size if _pool is not None else 0


def shutdown() -> None:
    """Wait for the jobs in hand and stop the workers; the next ``submit`` starts anew."""
    global _pool, _size
    if _pool is not None:
        pool, _pool, _size = _pool, None, 0
        pool.shutdown(wait=True, cancel_futures=True)
