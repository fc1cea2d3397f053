"""Run one Pelican build in a child process and measure it: seconds and peak memory.

The child runs Pelican in-process (benchmarks/_build.py) and reports its own
peak RSS and that of the largest worker it started, so each build is measured
alone, whatever ran before it in the benchmark.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_SITEURL = "https://bench.test"


@dataclass
class Measure:
    seconds: float
    peak_mb: float  # the main process
    worker_peak_mb: float  # the largest worker process, if any
    log: str
    matplotlib: bool = False  # whether the build's main process imported it


def write_settings(
    workdir: Path, content: Path, plugins: list[str] | None, name: str, publish: bool = True
) -> Path:
    """A settings file for a benchmark site: the project's own, pointed elsewhere.

    ``plugins``: the plugins to use; None for the project's own.
    """
    base = "publishconf" if publish else "pelicanconf"
    settings = workdir / f"{name}_settings.py"
    lines = [
        "from pelican.settings import get_settings_from_file",
        f"globals().update(get_settings_from_file({str(ROOT / (base + '.py'))!r}))",
        f"PATH = {str(content)!r}",
        f"OUTPUT_PATH = {str(workdir / (name + '-output'))!r}",
        f"CACHE_PATH = {str(workdir / (name + '-cache'))!r}",
        "PLUGIN_CACHE_PATH = CACHE_PATH",
        f"SITEURL = FEED_DOMAIN = {BENCH_SITEURL!r}",
        "DELETE_OUTPUT_DIRECTORY = True",
    ]
    if plugins is not None:
        lines.append(f"PLUGINS = {plugins!r}")
    settings.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return settings


def build(settings: Path, *extra: str) -> Measure:
    result = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("_build.py")), str(settings), *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    lines = result.stdout.strip().splitlines()
    if result.returncode != 0 or not lines:
        raise RuntimeError(f"build failed ({settings}):\n{result.stdout}\n{result.stderr}")
    data = json.loads(lines[-1])
    return Measure(
        data["seconds"],
        data["peak_kb"] / 1024,
        data["worker_peak_kb"] / 1024,
        result.stderr,
        data.get("matplotlib", False),
    )


def clear_cache(settings: Path) -> None:
    import shutil

    name = settings.name.removesuffix("_settings.py")
    shutil.rmtree(settings.parent / f"{name}-cache", ignore_errors=True)


def median(measures: list[Measure]) -> Measure:
    """The median time of some builds of one site, and the largest memory of any."""
    middle = sorted(measures, key=lambda m: m.seconds)[len(measures) // 2]
    return Measure(
        statistics.median(m.seconds for m in measures),
        max(m.peak_mb for m in measures),
        max(m.worker_peak_mb for m in measures),
        middle.log,
        any(m.matplotlib for m in measures),
    )


def median_build(settings: Path, runs: int, cold: bool = False) -> Measure:
    """``runs`` builds of one site, each without caches when ``cold``: their median."""
    measures = []
    for _ in range(runs):
        if cold:
            clear_cache(settings)
        measures.append(build(settings))
    return median(measures)
