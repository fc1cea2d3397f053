"""One settings file built on another, read the way Pelican reads it.

Pelican loads a settings file from its path, not from the import path, so
``from pelicanconf import *`` in another settings file would work only with the
repository put on ``sys.path`` by hand; reading it through Pelican needs no path.
"""

from __future__ import annotations

from pathlib import Path


def settings_in(path: str | Path) -> dict[str, object]:
    """The settings a file defines (its upper-case names), for another file to extend."""
    from pelican.settings import get_settings_from_file

    return get_settings_from_file(str(path))
