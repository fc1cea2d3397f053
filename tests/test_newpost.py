"""invoke newpost: a dated draft, never over an existing file."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from sitebuild import ROOT

from blogtools.newpost import PostExistsError, create_post

WHEN = dt.datetime(2026, 11, 26, 9, 30)


def test_creates_a_dated_draft_with_metadata(tmp_path):
    path = create_post(
        tmp_path, "Ofsted’s new framework: what changes?", "A. Author", "Inspection", WHEN
    )
    assert path.name == "2026-11-26-ofsteds-new-framework-what-changes.md"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("Title: Ofsted’s new framework: what changes?\nDate: 2026-11-26 09:30\n")
    assert "Status: draft\n" in text and "Author: A. Author\n" in text


def test_refuses_to_overwrite(tmp_path):
    path = create_post(tmp_path, "Same title", "A", "Inspection", WHEN)
    path.write_text("the author's work", encoding="utf-8")
    with pytest.raises(PostExistsError, match="already exists"):
        create_post(tmp_path, "Same title", "A", "Inspection", WHEN)
    assert path.read_text(encoding="utf-8") == "the author's work"


def test_rejects_a_title_without_letters(tmp_path):
    with pytest.raises(ValueError, match="title"):
        create_post(tmp_path, "   ", "A", "Inspection", WHEN)
    with pytest.raises(ValueError, match="file name"):
        create_post(tmp_path, "?!", "A", "Inspection", WHEN)
    assert list(tmp_path.iterdir()) == []


def test_the_task_prints_the_path_and_refuses_a_second_time(tmp_path, monkeypatch):
    # Run the real task against a copy of the project so content/ is untouched.
    project = tmp_path / "project"
    project.mkdir()
    for name in ("tasks.py", "pelicanconf.py", "blogtools", "blogsupport"):
        src = ROOT / name
        dest = project / name
        if src.is_dir():
            import shutil

            shutil.copytree(src, dest, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            dest.write_bytes(src.read_bytes())
    (project / "content").mkdir()
    run = [sys.executable, "-m", "invoke", "newpost", "A fresh start"]
    first = subprocess.run(run, cwd=project, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    created = project / first.stdout.strip()
    assert created.is_file() and created.parent.name == "content"
    assert created.name.endswith("-a-fresh-start.md")
    second = subprocess.run(run, cwd=project, capture_output=True, text=True)
    assert second.returncode != 0
    assert "already exists" in second.stderr
