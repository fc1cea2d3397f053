"""Each Pelican internal we depend on is still there, named as ARCHITECTURE.md lists it.

The tests of the features that use them fail too when Pelican changes one, but far from
the cause; here an upgrade of Pelican that drops or reshapes one fails by its name, with
who uses it, and the table in ARCHITECTURE.md is kept in step with what the code touches.
"""

from __future__ import annotations

import inspect
import logging
from pathlib import Path

import pelican
import pytest
from pelican import generators
from pelican.contents import Content
from pelican.log import LimitFilter
from pelican.readers import Readers
from pelican.settings import DEFAULT_CONFIG
from pelican.urlwrappers import URLWrapper
from pelican.utils import memoized
from pelican.writers import Writer
from sitebuild import ROOT


def _settings(tmp_path: Path) -> dict:
    return {**DEFAULT_CONFIG, "CACHE_PATH": str(tmp_path / "cache"), "PATH": str(tmp_path),
            "OUTPUT_PATH": str(tmp_path / "out"), "PLUGINS": [], "CACHE_CONTENT": True}  # fmt: skip


def _instance_attributes(tmp_path):
    settings = _settings(tmp_path)
    readers = Readers(settings, "test")
    site = pelican.Pelican(settings)
    return {
        "Readers._cache": isinstance(getattr(readers, "_cache", None), dict),
        "Readers._cache_data_policy": hasattr(readers, "_cache_data_policy"),
        "pelican.output_retention": isinstance(getattr(site, "output_retention", None), list),
    }


# internal -> (who depends on it, the check that it is as we use it)
INTERNALS = {
    "content._content": (
        "citations, linked_files",
        lambda: "_content" in inspect.getsource(Content.__init__),
    ),
    "LimitFilter._raised_messages": (
        "blogtools/pelicanrun.py",
        lambda: isinstance(LimitFilter._raised_messages, set),
    ),
    "_group_count": ("blogtools/pelicanrun.py", lambda: hasattr(LimitFilter, "_group_count")),
    "Writer._open_w": ("blogtools/preview/builder.py", lambda: callable(Writer._open_w)),
    "Writer.write_file": ("blogtools/preview/builder.py", lambda: callable(Writer.write_file)),
    "Content.get_content.cache": (
        "blogtools/preview/builder.py",
        lambda: (
            isinstance(Content.__dict__["get_content"], memoized)
            and isinstance(Content.get_content.cache, dict)
        ),
    ),
    "generator.get_cached_data": (
        "blogtools/preview/builder.py",
        lambda: callable(generators.CachingGenerator.get_cached_data),
    ),
    "cache_data": (
        "blogtools/preview/builder.py",
        lambda: callable(generators.CachingGenerator.cache_data),
    ),
    "Content.url": (
        "pelican.plugins.fixed_urls",
        lambda: (
            isinstance(Content.__dict__["url"], property)
            and isinstance(URLWrapper.__dict__["url"], property)
        ),
    ),
    "save_as": (
        "pelican.plugins.fixed_urls",
        lambda: isinstance(Content.__dict__["save_as"], property),
    ),
    "Content._update_content": (
        "blogsupport/srcset.py",
        lambda: (
            list(inspect.signature(Content._update_content).parameters)
            == ["self", "content", "siteurl"]
        ),
    ),
    "_link_replacer": ("blogsupport/srcset.py", lambda: callable(Content._link_replacer)),
    "RichHandler": (
        "pelican.plugins.plain_log",
        lambda: type(pelican.log.DEFAULT_LOG_HANDLER).__name__ == "RichHandler",
    ),
    "ArticlesGenerator._build_period_archives": (
        "pelican.plugins.quick_listings",
        lambda: callable(generators.ArticlesGenerator._build_period_archives),
    ),
    "pelican.generators.process_translations": (
        "pelican.plugins.quick_listings",
        lambda: callable(generators.process_translations),
    ),
    "generator.tags": (
        "pelican.plugins.quick_listings",
        lambda: all(
            f"self.{name} = defaultdict(list)" in inspect.getsource(generators.ArticlesGenerator)
            for name in ("tags", "categories", "authors")
        ),
    ),
    "generator.get_files": (
        "blogtools/preview/builder.py",
        lambda: callable(generators.Generator.get_files),
    ),
    "add_source_path": (
        "blogtools/preview/builder.py",
        lambda: callable(generators.Generator.add_source_path),
    ),
    "add_static_links": (
        "blogtools/preview/builder.py",
        lambda: callable(generators.Generator.add_static_links),
    ),
    "generate_tags": (
        "blogtools/preview/builder.py",
        lambda: all(
            callable(getattr(generators.ArticlesGenerator, f"generate_{n}"))
            for n in ("tags", "categories", "authors")
        ),
    ),
}
ON_INSTANCES = {  # made by Pelican's constructors
    "Readers._cache": "blogsupport/readercache.py",
    "_cache_data_policy": "blogsupport/readercache.py",
    "pelican.output_retention": "pelican.plugins.search_index",
}


@pytest.mark.parametrize("internal", INTERNALS)
def test_the_internal_is_as_we_use_it(internal):
    user, check = INTERNALS[internal]
    assert check(), f"Pelican {pelican.__version__} changed {internal}, which {user} relies on"


def test_the_internals_made_by_pelican_s_constructors_are_there(tmp_path):
    logging.getLogger("pelican").setLevel(logging.ERROR)
    found = _instance_attributes(tmp_path)
    found["_cache_data_policy"] = found.pop("Readers._cache_data_policy")
    for internal, user in ON_INSTANCES.items():
        assert found[internal], f"Pelican {pelican.__version__} changed {internal} ({user})"


def test_architecture_lists_every_internal_and_who_uses_it():
    table = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8").split("## Pelican internals")[1]
    rows = [
        r.split(" | ") for r in table.splitlines() if r.startswith("| ") and "| internal |" not in r
    ]
    for internal, user in [*((i, u) for i, (u, _) in INTERNALS.items()), *ON_INSTANCES.items()]:
        listed = [row for row in rows if internal in row[0]]
        assert listed, f"ARCHITECTURE.md does not list {internal}"
        assert any(user.split(",")[0] in row[1] for row in listed), (internal, listed)
    named = {i.split(".")[-1] for i in [*INTERNALS, *ON_INSTANCES]}
    for row in rows:  # and every row names something checked here
        assert any(name in row[0] for name in named), row
