"""Each plugin's settings, declared once: defaults written, unknown names reported."""

from __future__ import annotations

import logging
import pickle

import pytest
from sitebuild import pelican

from blogsupport.perbuild import PerBuild
from blogsupport.plugin_settings import Schema, cache_folder

SCHEMA = Schema(
    "WIDGET_",
    {"WIDGET_SIZE": (3, "how big"), "WIDGET_NAMES": (["a"], "which")},
    misspelt=("WIDGETS_",),
    others=("WIDGET_ENABLED",),
)


def unknown(settings: dict) -> list[str]:
    return [str(p) for p in SCHEMA.unknown(settings)]


def test_defaults_are_written_and_not_shared(caplog):
    first, second = {}, {"WIDGET_SIZE": 5}
    SCHEMA.apply(first, logging.getLogger("t"))
    SCHEMA.apply(second, logging.getLogger("t"))
    assert first == {"WIDGET_SIZE": 3, "WIDGET_NAMES": ["a"]}
    assert second["WIDGET_SIZE"] == 5  # the author's value is kept
    first["WIDGET_NAMES"].append("b")
    assert SCHEMA.settings["WIDGET_NAMES"][0] == ["a"]  # a default is copied, never shared
    assert not caplog.records


def test_an_unknown_name_with_the_prefix_is_named_with_the_nearest():
    [message] = unknown({"WIDGET_SIZ": 1, "WIDGET_SIZE": 2, "OTHER": 3})
    assert "unknown setting WIDGET_SIZ — did you mean WIDGET_SIZE?" in message
    [message] = unknown({"WIDGET_ZZZZZZ": 1})
    assert "known: WIDGET_SIZE, WIDGET_NAMES, WIDGET_ENABLED" in message


def test_a_misspelt_prefix_is_reported_only_when_it_looks_meant():
    [message] = unknown({"WIDGETS_SIZE": 1})
    assert "unknown setting WIDGETS_SIZE — write WIDGET_SIZE" in message
    assert unknown({"WIDGET_ENABLED": True, "WIDGETSMITH": 1}) == []


def test_the_problem_names_the_settings_file_line(tmp_path, monkeypatch):
    (tmp_path / "pelicanconf.py").write_text("A = 1\nWIDGET_SIZ = 4\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    [problem] = SCHEMA.unknown({"WIDGET_SIZ": 4})
    assert (problem.path, problem.line) == ("pelicanconf.py", 2)


def test_the_table_lists_every_setting():
    table = SCHEMA.table().splitlines()
    assert table[2:] == [
        "| `WIDGET_SIZE` | `3` | how big |",
        "| `WIDGET_NAMES` | `['a']` | which |",
    ]


def test_the_cache_folder():
    assert str(cache_folder({"PLUGIN_CACHE_PATH": "p", "CACHE_PATH": "c"})) == "p"
    assert str(cache_folder({"PLUGIN_CACHE_PATH": "", "CACHE_PATH": "c"})) == "c"


class _Held(PerBuild, key="tests.held"):
    def __init__(self, settings, name):
        super().__init__(settings, logging.getLogger("tests"))
        self.name, self.closed = name, False

    def close(self):
        self.closed = True


def test_per_build_state_lives_in_the_build_settings():
    one, two = {}, {}
    first = _Held.start(one, "first")
    other = _Held.start(two, "other")
    assert _Held.of(one) is first and _Held.of(two) is other  # two builds, apart
    holder = type("Generator", (), {"settings": one})()
    assert _Held.of(holder) is first and _Held.of(one.copy()) is first  # the context
    again = _Held.start(one, "again")
    assert first.closed and not again.closed and _Held.of(one) is again
    assert _Held.of({}) is None and _Held.of(object()) is None
    assert _Held.of({"tests.held": "not mine"}) is None


def test_per_build_state_pickles_as_nothing():
    settings = {"A": 1}
    _Held.start(settings, "x")
    assert pickle.loads(pickle.dumps(settings)) == {"A": 1, "tests.held": None}


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("CHARTS_OUTPUTDIR", "did you mean CHARTS_OUTPUT_DIR?"),
        ("CHART_TIME_LIMIT", "write CHARTS_TIME_LIMIT"),
        ("SEARCH_SUBDIR", "did you mean SEARCH_OUTPUT_SUBDIR?"),
        ("ROOT_FILE_PATH", ""),
        ("ROOT_FILES_FOLDER", "known: ROOT_FILES_PATH"),
        ("CITATION_HEADING", "write CITATIONS_HEADING"),
    ],
)
def test_every_plugin_reports_a_misspelt_setting(tmp_path, setting, expected):
    build = pelican(tmp_path / "out", **{setting: "x"})
    if not expected:  # a prefix no plugin declares: Pelican's to pass through
        assert build.returncode == 0, build.log
        return
    assert build.returncode != 0
    assert f"unknown setting {setting} — {expected}" in build.log
