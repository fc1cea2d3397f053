"""A file kept in a cache, put in the built site without copying its bytes.

The plugins keep what is expensive to make (charts, cards, citation files, the search
index) in their cache and put each file in the output as a hard link to the kept one:
no bytes written, and the two never differ, as neither is changed in place, only
replaced. Where links cannot go (another file system), the file is copied.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path


def link_or_copy(kept: Path, target: Path, copy: Callable = shutil.copyfile) -> None:
    """``target`` made a link to ``kept``, or a copy of it (by ``copy``) where links
    cannot go; ``target`` must not exist."""
    try:
        os.link(kept, target)
    except OSError:
        copy(kept, target)
