"""The theme's templates compiled once and kept: a changed template still shows."""

from __future__ import annotations

import shutil

from sitebuild import ROOT, pelican


def test_compiled_templates_are_kept_and_a_changed_template_is_compiled_again(tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    cache = tmp_path / "cache"
    first = pelican(tmp_path / "one", cache=cache, THEME=str(theme))
    assert first.returncode == 0, first.log
    compiled = list(cache.glob("jinja-*/*.cache"))
    assert len(compiled) >= 5  # base, article, index, ...
    stamps = {p: p.stat().st_mtime_ns for p in compiled}

    again = pelican(tmp_path / "two", cache=cache, THEME=str(theme))
    assert again.returncode == 0, again.log
    assert {p: p.stat().st_mtime_ns for p in compiled} == stamps  # loaded, not compiled

    base = theme / "templates" / "base.html"
    base.write_text(
        base.read_text(encoding="utf-8").replace("</footer>", "<p>A changed footer.</p></footer>"),
        encoding="utf-8",
    )
    changed = pelican(tmp_path / "three", cache=cache, THEME=str(theme))
    assert changed.returncode == 0, changed.log
    assert "A changed footer." in changed.read("index.html")
    assert "A changed footer." not in again.read("index.html")
