"""The memory a long-lived process hands its builds: absent in a plain build, weak by post,
never pickled into Pelican's cache."""

from __future__ import annotations

import gc
import pickle

from blogsupport import buildmemory
from blogsupport.buildmemory import BuildMemory


class Post:
    """Stands for a Pelican content: hashed and compared by identity."""


def test_a_plain_build_has_none_and_a_kept_one_is_found_in_settings_or_context():
    assert buildmemory.of({}) is None and buildmemory.per_content({}, "x") is None
    assert buildmemory.of({buildmemory.KEY: {"not": "ours"}}) is None
    memory = BuildMemory()
    settings = {buildmemory.KEY: memory}
    assert buildmemory.of(settings) is memory
    assert buildmemory.of(dict(settings)) is memory, "the context is a copy of the settings"


def test_what_is_kept_by_post_goes_with_the_post_and_nothing_is_pickled():
    memory = BuildMemory()
    memory.structure += 1
    settings = {buildmemory.KEY: memory}
    table = buildmemory.per_content(settings, "plugin.table")
    assert buildmemory.per_content(settings, "plugin.table") is table
    post = Post()
    table[post] = "derived"
    assert table.get(post) == "derived"
    del post
    gc.collect()
    assert len(table) == 0, "a post gone from the site leaves nothing behind"
    memory["plugin.other"] = list(range(1000))
    copied = pickle.loads(pickle.dumps(settings))
    assert copied[buildmemory.KEY] == {} and type(copied[buildmemory.KEY]) is BuildMemory
    assert copied[buildmemory.KEY].structure == 0
