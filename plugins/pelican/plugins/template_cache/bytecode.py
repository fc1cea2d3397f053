"""The theme's templates compiled once, not at every build.

Jinja compiles each template to Python when a build first asks for it, and
Pelican gives it nowhere to keep the result, so every build compiles the whole
theme again: a tenth of a second or more of every build. Jinja's own bytecode
cache, in the build's cache folder, keeps each compiled template under a
checksum of its source: an edited template is compiled afresh, an unchanged one
is loaded.

No settings. The cache lives in the plugins' cache folder (``PLUGIN_CACHE_PATH``, else
``CACHE_PATH``)/jinja-<digest>, the digest of
Jinja's version and the options a template is compiled with
(``JINJA_ENVIRONMENT``), which the cached code depends on and Jinja's checksum
does not cover.
"""

from __future__ import annotations

import hashlib

from pelican import signals

from blogsupport.plugin_settings import cache_folder


def _keep_compiled(generator) -> None:
    import jinja2
    from jinja2 import FileSystemBytecodeCache

    env = getattr(generator, "env", None)
    if env is None or env.bytecode_cache is not None:  # one set in the settings wins
        return
    jinja_options = generator.settings["JINJA_ENVIRONMENT"].items()
    options = jinja2.__version__ + repr(sorted((k, repr(v)) for k, v in jinja_options))
    folder = (
        cache_folder(generator.settings)
        / f"jinja-{hashlib.sha256(options.encode()).hexdigest()[:12]}"
    )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # no cache then: the templates are compiled as Pelican would
    env.bytecode_cache = FileSystemBytecodeCache(str(folder))


def register() -> None:
    """Pelican's entry point: each generator's Jinja environment given the cache."""
    signals.generator_init.connect(_keep_compiled)
