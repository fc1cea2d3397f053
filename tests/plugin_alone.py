"""Build a site with one plugin alone, refusing any import it has not declared.

``python tests/plugin_alone.py PLUGIN CONTENT OUTPUT CACHE``: Pelican builds CONTENT with
its own default settings and theme and ``PLUGINS = ["pelican.plugins.PLUGIN"]`` (as
another site would use it; an editable install, as here, finds a namespace plugin only by
its full name), while an import hook refuses every
installed module that is neither the standard library, Pelican and Markdown (and what
they need), the support library, the plugin itself, nor what pyproject.toml's
optional dependency group of the plugin's name (and what that needs) installs. A
plugin that imports anything else fails here as it would in another site.
"""

from __future__ import annotations

import importlib.metadata as metadata
import os
import re
import sys
import tomllib
from pathlib import Path

from sitebuild import PLUGIN_FOLDER, ROOT

PLUGINS = PLUGIN_FOLDER
OWN = {"blogsupport"}


def _name(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;(]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def closure(names: list[str]) -> set[str]:
    """The distributions ``names`` need, themselves included (markers for extras left out)."""
    seen: set[str] = set()
    todo = [_name(n) for n in names]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        todo += [_name(r) for r in requires if "extra ==" not in r]
    return seen


def allowed_modules(plugin: str, also: tuple[str, ...] = ()) -> set[str]:
    """The top-level modules the plugin may import (and those of the groups ``also``)."""
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    wanted = [*extras.get(plugin, []), *(r for group in also for r in extras[group])]
    dists = closure(["pelican", "markdown", *wanted])
    modules = {
        module
        for module, owners in metadata.packages_distributions().items()
        if any(owner.lower().replace("_", "-") in dists for owner in owners)
    }
    return modules | OWN  # the plugin itself is in Pelican's namespace


class Guard:
    """A meta path finder that refuses the modules a plugin has not declared."""

    def __init__(self, plugin: str, allowed: set[str]) -> None:
        self.plugin, self.allowed = plugin, allowed
        self.installed = set(metadata.packages_distributions())

    def find_spec(self, fullname, path=None, target=None):
        top = fullname.partition(".")[0]
        if top in self.allowed or top in sys.stdlib_module_names or top not in self.installed:
            return None  # left to the other finders
        raise ImportError(f"{self.plugin} imports {top}, which it has not declared")


def run_own_tests(plugin: str) -> int:
    """The plugin's own tests (its ``tests/`` folder), with the test tools allowed too:
    pytest alone, none of the project's configuration or test helpers."""
    sys.meta_path.insert(0, Guard(plugin, allowed_modules(plugin, also=("test",))))
    import pytest

    folder = PLUGINS / plugin / "tests"
    return pytest.main([str(folder), "-q", "-p", "no:cacheprovider", "-c", os.devnull,
                        "--rootdir", str(folder)])  # fmt: skip


def main() -> None:
    if sys.argv[1] == "--tests":
        sys.exit(run_own_tests(sys.argv[2]))
    plugin, content, output, cache = sys.argv[1:5]
    sys.meta_path.insert(0, Guard(plugin, allowed_modules(plugin)))
    from pelican import main as pelican_main

    settings = Path(cache).with_suffix(".settings.py")
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(
        f"PLUGINS = ['pelican.plugins.{plugin}']\nTIMEZONE = 'Europe/London'\n"
        f"CACHE_PATH = {cache!r}\n"
        f"PLUGIN_CACHE_PATH = {cache!r}\nSTATIC_PATHS = ['images', 'extra']\n",
        encoding="utf-8",
    )
    sys.argv = ["pelican", content, "-s", str(settings), "-o", output]
    pelican_main()


if __name__ == "__main__":
    main()
