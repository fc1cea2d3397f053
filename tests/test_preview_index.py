"""The live preview's search index: made aside, put in place whole, stopped when stale."""

from __future__ import annotations

import time
from pathlib import Path

from servers import wait_for

from blogtools.preview.index import PreviewIndex


def page(output: Path, name: str, words: str) -> None:
    path = output / name / "index.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"<!doctype html><html lang='en'><head><title>{name}</title></head>"
        f"<body><main data-pagefind-body><h1>{name}</h1><p>{words}</p></main></body></html>",
        encoding="utf-8",
    )


def test_an_index_is_made_aside_and_put_in_place_whole(tmp_path):
    output = tmp_path / "output"
    page(output, "first", "a word about sampling")
    index = PreviewIndex(output)
    index.built(1)
    assert index.behind
    index.start()
    assert index.running
    assert not (output / "pagefind").exists(), "nothing in place before it is whole"
    wait_for(index.poll, timeout=120)
    assert not index.behind and index.problem is None
    assert (output / "pagefind" / "pagefind.js").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["output"], "the folder it was made in is gone"


def test_a_build_ending_meanwhile_stops_it_and_the_old_index_stays(tmp_path):
    output = tmp_path / "output"
    for n in range(300):
        page(output, f"post-{n}", f"words of post {n} " * 50)
    index = PreviewIndex(output)
    index.built(1)
    index.start()
    wait_for(index.poll, timeout=120)
    before = (output / "pagefind" / "pagefind-entry.json").read_text()
    index.built(2)
    index.start()
    process = index._process
    time.sleep(0.05)
    index.built(3)  # a save: what is being made is already stale
    assert not index.running and process.poll() is not None, "stopped"
    assert index.behind and index.current == 1
    assert (output / "pagefind" / "pagefind-entry.json").read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["output"]
    index.start()
    wait_for(index.poll, timeout=120)
    assert index.current == 3 and not index.behind


def test_a_failure_says_where_and_what_to_do(tmp_path):
    output = tmp_path / "output"
    output.mkdir()  # no page at all: Pagefind refuses
    index = PreviewIndex(output)
    index.built(1)
    index.start()
    wait_for(index.poll, timeout=120)
    assert index.problem.startswith(f"{output}: the search index was not made (Pagefind: ")
    assert "html files" in index.problem and " — reinstall" in index.problem
    assert index.behind
    index.stop()


def test_an_index_that_cannot_take_the_old_one_s_place_is_a_problem_not_a_crash(
    tmp_path, monkeypatch
):
    output = tmp_path / "output"
    page(output, "first", "a word")
    index = PreviewIndex(output)

    def refuse(stage):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(index, "_replace", refuse)
    index.built(1)
    index.start()
    wait_for(index.poll, timeout=120)
    assert index.problem.startswith(f"{output / 'pagefind'}: the new search index could not")
    assert "— save again" in index.problem and index.behind
    assert [p.name for p in tmp_path.iterdir()] == ["output"], "the folder it was made in is gone"
