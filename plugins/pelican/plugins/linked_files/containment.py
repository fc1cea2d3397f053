"""What the build reads stays inside the content folder, and what it writes inside the output.

A symlink in content/ to a home folder would publish it; ``{static}/../../x`` would
copy a file from outside; ``Save_as: ../elsewhere/x.html`` would write beside the
site, and Pelican's own guard (a string prefix test) lets ``../output-evil``
through. Here each is checked with real paths and refused with a message.
"""

from __future__ import annotations

import os
from pathlib import Path


def inside(path: str | os.PathLike, folder: str | os.PathLike) -> bool:
    """Whether ``path``, every symlink followed, is ``folder`` or within it."""
    real, base = os.path.realpath(path), os.path.realpath(folder)
    try:
        return os.path.commonpath([real, base]) == base
    except ValueError:  # different drives
        return False


def written_inside(save_as: str, output: str | os.PathLike) -> bool:
    """Whether a file Pelican writes at ``save_as`` (relative to the output) stays in it."""
    if not save_as:
        return True
    if os.path.isabs(save_as) or save_as.startswith(("\\", "/")):
        return False
    base = os.path.abspath(output)
    target = os.path.normpath(os.path.join(base, save_as))
    return os.path.commonpath([target, base]) == base


def first_escape(folder: Path, relative: str) -> Path | None:
    """The first part of ``relative`` under ``folder`` that is a symlink leading out."""
    current = folder
    for part in Path(relative).parts:
        current = current / part
        if current.is_symlink() and not inside(current, folder):
            return current
    return None


def escaping_links(folder: str | os.PathLike) -> list[tuple[str, bool]]:
    """Every symlink under ``folder`` that leads outside it: (its path relative to the
    folder, whether it is a folder). The walk does not follow links, so a link to a home
    folder costs one look, not a walk of the home folder."""
    found = []
    for here, dirs, files in os.walk(folder, followlinks=False):
        for name in [*dirs, *files]:
            path = os.path.join(here, name)
            if os.path.islink(path) and not inside(path, folder):
                found.append((os.path.relpath(path, folder), os.path.isdir(path)))
    return sorted(found)
