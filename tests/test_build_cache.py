"""The pieces that make a build cheap: the results cache, the shared workers, the library."""

from __future__ import annotations

import logging
import os
import sqlite3
import time

import pytest

from blogsupport.keyed_cache import BATCH, KeyedCache
from blogsupport.workers import WorkerPool


def _rows(cache: KeyedCache) -> int:
    with sqlite3.connect(cache.path) as db:
        return db.execute("SELECT count(*) FROM results").fetchone()[0]


def test_results_are_written_in_batches_and_read_back(tmp_path):
    cache = KeyedCache(tmp_path / "c.pickle", "v1")
    for n in range(BATCH + 5):
        cache.put(f"k{n}", {"n": n})
    assert _rows(cache) == BATCH  # the first batch is on disk, not held in memory
    assert cache.get("k3") == {"n": 3} and cache.get(f"k{BATCH + 2}") == {"n": BATCH + 2}
    cache.save()
    assert _rows(cache) == BATCH + 5
    again = KeyedCache(tmp_path / "c.pickle", "v1")
    assert again.has("k7") and "k8" in again and not again.has("nope")
    assert again.get("k7") == {"n": 7}


def test_save_keeps_only_what_the_build_used(tmp_path):
    first = KeyedCache(tmp_path / "c.pickle", "v1")
    for key in ("a", "b", "c"):
        first.put(key, key.upper())
    first.save()
    second = KeyedCache(tmp_path / "c.pickle", "v1")
    assert second.has("a")  # asked for without being read: still used
    assert second.get("b") == "B"
    second.save()
    third = KeyedCache(tmp_path / "c.pickle", "v1")
    assert third.has("a") and third.has("b") and not third.has("c")
    assert KeyedCache(tmp_path / "c.pickle", "v2").get("a") is None  # another version


def test_a_cache_that_cannot_be_written_loses_nothing(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    cache = KeyedCache(blocked / "c.pickle", "v1")
    cache.put("a", 1)
    assert cache.get("a") == 1  # still here, from memory
    assert not cache.flush()
    cache.save()


def _pid(_: int) -> int:
    return os.getpid()


def test_a_pool_of_workers_with_a_time_limit():
    pool = WorkerPool(2)
    assert not pool.started
    try:
        pids = {pool.submit(_pid, n).result() for n in range(8)}
        assert len(pids) <= 2 and os.getpid() not in pids
        slow = pool.submit(time.sleep, 30, timeout=0.5)
        with pytest.raises(TimeoutError):
            slow.result()
        assert pool.submit(_pid, 0).result()  # the pool goes on after a job is stopped
    finally:
        pool.shutdown()
    assert not pool.started
    pool.shutdown()  # twice is harmless


def test_a_chart_that_cannot_be_drawn_is_named_with_its_post_and_line(tmp_path, caplog):
    from pelican.plugins.sampling_charts.build import Charts, _Chart
    from pelican.plugins.sampling_charts.compute import ChartData, Table
    from pelican.plugins.sampling_charts.figure import ChartResult

    settings = {"PATH": str(tmp_path), "PLUGIN_CACHE_PATH": str(tmp_path / "cache")}
    charts = Charts(settings, logging.getLogger("test.charts"))
    kind = "no-such-kind"  # matplotlib is asked to draw what it cannot
    data = ChartData(kind, {}, Table("t", ["a"], []), "summary", "alt")
    chart = _Chart(
        "kind = 'x'",
        12,
        None,
        [],
        "k" * 64,
        ChartResult("k.svg", kind, "<figure>"),
        kind,
        "content/post.md",
        data,
    )
    charts._to_draw[chart.key] = chart
    with caplog.at_level(logging.WARNING):
        charts._draw_all()
    messages = [r.getMessage() for r in caplog.records]
    assert any(m.startswith("content/post.md:12: chart: could not be drawn") for m in messages)
    assert charts.drawn == 0 and not charts.cache.has(chart.key)  # never kept as drawn
