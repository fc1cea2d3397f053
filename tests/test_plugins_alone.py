"""Each plugin works in a site of its own, with only what it declares installed."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sitebuild import PLUGIN_FOLDER, ROOT, SEED

FOLDER = PLUGIN_FOLDER
PLUGINS = sorted(p.name for p in FOLDER.iterdir() if (p / "__init__.py").is_file())
# What a plugin adds to a site of Pelican's own theme, where a file shows it.
SHOWS = {
    "citations": ("references/index.html", 'class="csl-entry"'),
    "sampling_charts": ("ofsteds-methodology-how-good-is-it.html", "<figure"),
    "search_index": ("pagefind/pagefind.js", ""),
}


@pytest.mark.parametrize("plugin", PLUGINS)
def test_a_plugin_builds_a_site_alone(tmp_path, plugin):
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "plugin_alone.py"), plugin, str(SEED),
         str(tmp_path / "out"), str(tmp_path / "cache")],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert "has not declared" not in log and "Cannot load plugin" not in log, log
    assert (tmp_path / "out" / "index.html").is_file()
    if plugin in SHOWS:
        path, text = SHOWS[plugin]
        assert text in (tmp_path / "out" / path).read_text(encoding="utf-8")


TESTED = sorted(p for p in PLUGINS if (FOLDER / p / "tests").is_dir())


def test_every_plugin_carries_its_own_tests():
    assert TESTED == PLUGINS and len(PLUGINS) == 16


@pytest.mark.parametrize("plugin", TESTED)
def test_a_plugin_s_own_tests_pass_with_only_what_it_declares(plugin):
    """Run as another project would run them: pytest in the plugin's folder, with none of
    this project's configuration, helpers or other packages importable."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "plugin_alone.py"), "--tests", plugin],
        cwd=FOLDER / plugin, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout and "has not declared" not in result.stdout


def test_the_guard_refuses_an_undeclared_import(tmp_path):
    plugin = tmp_path / "plugins" / "greedy"
    plugin.mkdir(parents=True)
    (plugin / "__init__.py").write_text("import matplotlib\n\ndef register():\n    pass\n")
    code = (
        "import sys; sys.path[:0] = [sys.argv[1], sys.argv[2]]; import plugin_alone as a; "
        "sys.meta_path.insert(0, a.Guard('greedy', a.allowed_modules('greedy'))); import greedy"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(ROOT / "tests"), str(tmp_path / "plugins")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert "greedy imports matplotlib, which it has not declared" in result.stderr


def test_every_test_file_has_a_name_of_its_own():
    """pytest imports each test file by its name: a plugin's test file named as one in
    tests/ stops the whole run at collection."""
    names = [
        p.name for p in [*(ROOT / "tests").glob("test_*.py"), *FOLDER.glob("*/tests/test_*.py")]
    ]
    assert len(names) > 60 and len(names) == len(set(names)), sorted(
        n for n in set(names) if names.count(n) > 1)  # fmt: skip
