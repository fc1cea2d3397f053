"""Build a site into a temporary folder, as the author's commands do.

By default the fixture site tests/sites/seed (the author's five posts as they were
when the tests were written), never content/ itself: the author's own posts are
his to change.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from blogsupport.testing import Site as Build  # what a build wrote and said

ROOT = Path(__file__).resolve().parent.parent
PLUGIN_FOLDER = ROOT / "plugins" / "pelican" / "plugins"  # one package a plugin
TEST_SITEURL = "https://blog.test"
TEST_PLUGINS = Path(__file__).resolve().parent / "plugins"
SEED = Path(__file__).resolve().parent / "sites" / "seed" / "content"
# Added to every build of the tests: a plugin that fails the build if any other asks for a
# post's HTML before every generator has read its files (tests/plugins/early_reads).
GUARDS = ["early_reads"]


def project_plugins() -> list[str]:
    """The site's plugins, named in full as pelicanconf.py names them."""
    from pelicanconf import PLUGINS

    return list(PLUGINS)


def plugin(name: str) -> str:
    """A plugin of ours by its full name, as PLUGINS holds it."""
    return f"pelican.plugins.{name}"


def pelican(
    output: Path,
    settings: str = "publishconf.py",
    content: Path | None = None,
    strict: bool = True,
    cache: Path | None = None,
    verbose: bool = False,
    **overrides: object,
) -> Build:
    """Run Pelican in a child process and return what it wrote and said."""
    overrides.setdefault("CACHE_PATH", str(cache or output.parent / "cache"))
    overrides.setdefault("PLUGIN_PATHS", [str(TEST_PLUGINS)])
    overrides.setdefault("PLUGINS", [*project_plugins(), *GUARDS])
    overrides.setdefault("PLUGIN_CACHE_PATH", overrides["CACHE_PATH"])
    if settings == "publishconf.py":
        overrides.setdefault("SITEURL", TEST_SITEURL)
        overrides.setdefault("FEED_DOMAIN", overrides["SITEURL"])
    command = [
        sys.executable,
        "-m",
        "pelican",
        str(content or SEED),
        "-s",
        str(ROOT / settings),
        "-o",
        str(output),
        "-e",
        *(f"{key}={json.dumps(value)}" for key, value in overrides.items()),
    ]
    if strict:
        command += ["--fatal", "warnings"]
    if verbose:
        command += ["--verbose"]
    result = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, env=_quiet_env(), timeout=600
    )
    return Build(output, result.returncode, result.stdout + result.stderr)


def strict_and_preview(work: Path, content: Path, **overrides: object) -> tuple[Build, Build]:
    """The same content built strictly (publishconf.py, as a publish builds it) and as the
    preview builds it (pelicanconf.py, warnings only)."""
    strict = pelican(work / "strict", content=content, cache=work / "cache-strict", **overrides)
    preview = pelican(
        work / "preview",
        settings="pelicanconf.py",
        content=content,
        strict=False,
        cache=work / "cache-preview",
        **overrides,
    )
    return strict, preview


def copy_content(dest: Path) -> Path:
    """A copy of the seed site's content that a test may break."""
    target = dest / "content"
    shutil.copytree(SEED, target)
    return target


def _quiet_env() -> dict[str, str]:
    import os

    env = dict(os.environ)
    env["COLUMNS"] = "200"  # Pelican logs through rich: keep messages on one line
    return env
