"""A copy of the project for tests that edit content or run the author's commands.

Its content/ is the seed fixture site's, not the author's own.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from sitebuild import ROOT, SEED

PROJECT_FILES = (
    "tasks.py",
    "pelicanconf.py",
    "publishconf.py",
    "theme",
    "plugins",
    "blogtools",
    "blogsupport",
)


def copy_project(target: Path) -> Path:
    target.mkdir(parents=True)
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source, target / name, ignore=shutil.ignore_patterns("__pycache__", ".cache")
            )
        else:
            shutil.copy2(source, target / name)
    shutil.copytree(SEED, target / "content")
    return target


def invoke(project: Path, *arguments: str, env: dict | None = None, check: bool = True):
    result = subprocess.run(
        [sys.executable, "-m", "invoke", *arguments],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def snapshot(folder: Path) -> dict[str, str]:
    """Every file and link under a folder, by path."""
    state = {}
    for path in sorted(folder.rglob("*")):
        rel = str(path.relative_to(folder))
        if path.is_symlink():
            state[rel] = "-> " + os.readlink(path)
        elif path.is_file():
            state[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return state
