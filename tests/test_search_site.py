"""The search index of a built site: published posts only, kept while they do not change."""

from __future__ import annotations

import json
import os

from sitebuild import copy_content, pelican

HIDDEN = """Title: A note for one reader
Date: 2017-06-24 09:00
Category: Inspection
Summary: Only for those given the link.
Status: hidden

Hidden posts are written but not listed, and not found by searching for zebrafinch.
"""
DRAFT = HIDDEN.replace("Status: hidden", "Status: draft").replace("A note", "A draft")


def _entry(output) -> dict:
    return json.loads((output / "pagefind" / "pagefind-entry.json").read_text())


def test_only_published_posts_are_indexed_and_an_unchanged_index_is_kept(tmp_path):
    content = copy_content(tmp_path)
    (content / "2017-06-24-a-note.md").write_text(HIDDEN, encoding="utf-8")
    (content / "2017-06-24-a-draft.md").write_text(DRAFT, encoding="utf-8")
    cache = tmp_path / "cache"

    first = pelican(tmp_path / "one", content=content, cache=cache)
    assert first.returncode == 0, first.log
    assert (first.output / "2017/06/a-note/index.html").is_file()
    languages = _entry(first.output)["languages"]
    assert sum(language["page_count"] for language in languages.values()) == 5
    kept = cache / "pagefind"
    assert not [p for p in kept.iterdir() if p.name.startswith("stage-")]  # cleaned up

    second = pelican(tmp_path / "two", content=content, cache=cache)
    assert second.returncode == 0, second.log
    index = second.output / "pagefind" / "pagefind-entry.json"
    [kept_index] = [p / "pagefind-entry.json" for p in kept.iterdir() if p.is_dir()]
    assert os.path.samefile(index, kept_index)  # linked from the cache, not indexed again

    post = content / "2017-06-22-the-cupboard-is-bare.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nA new closing line.\n", "utf-8")
    third = pelican(tmp_path / "three", content=content, cache=cache)
    assert third.returncode == 0, third.log
    assert _entry(third.output)["languages"] != languages  # indexed again
    [newly_kept] = [p / "pagefind-entry.json" for p in kept.iterdir() if p.is_dir()]
    assert newly_kept != kept_index and not kept_index.exists()  # the latest index alone
    assert os.path.samefile(third.output / "pagefind" / "pagefind-entry.json", newly_kept)


def test_the_index_in_the_output_stays_when_unchanged_and_is_replaced_when_not(tmp_path):
    """Pelican's clean-up of the output leaves the index to us: an unchanged index is
    left where it is, a changed one replaces it whole."""
    content = copy_content(tmp_path)
    cache, output = tmp_path / "cache", tmp_path / "output"
    assert pelican(output, content=content, cache=cache).returncode == 0
    entry = output / "pagefind" / "pagefind-entry.json"
    before = entry.stat().st_ino
    stray = output / "pagefind" / "stray.txt"  # not Pagefind's: the tree is not the kept one
    stray.write_text("left over", encoding="utf-8")

    again = pelican(output, content=content, cache=cache)
    assert again.returncode == 0, again.log
    assert not stray.exists()  # the kept index linked in afresh, whole
    folder = (output / "pagefind").stat().st_ino
    assert pelican(output, content=content, cache=cache).returncode == 0
    assert (output / "pagefind").stat().st_ino == folder  # left as it was, not made anew
    assert entry.stat().st_ino == before

    post = content / "2017-06-22-the-cupboard-is-bare.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nA new closing line.\n", "utf-8")
    assert pelican(output, content=content, cache=cache).returncode == 0
    assert entry.stat().st_ino != before
    assert (output / "pagefind" / "pagefind-ui.js").is_file()


def test_no_search_index_when_search_is_off(tmp_path):
    content = copy_content(tmp_path)
    cache, output = tmp_path / "cache", tmp_path / "output"
    assert pelican(output, content=content, cache=cache).returncode == 0
    off = pelican(output, content=content, cache=cache, SEARCH_INDEX=False)
    assert off.returncode == 0, off.log
    assert not (output / "pagefind").exists()
