"""The width and height of an image file, read from its header.

Pillow reads a raster image's size without decoding its pixels; an SVG's comes
from its root element (``width``/``height`` in absolute units, else its
``viewBox``). A file that is neither, or is damaged, has no size: the image is
then shown as the browser finds it, which is all a missing size costs.
"""

from __future__ import annotations

import re
import warnings
import xml.etree.ElementTree as ElementTree
from functools import lru_cache
from pathlib import Path

_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px|pt|pc|in|cm|mm)?\s*$")
_PX_PER = {"px": 1.0, "pt": 96 / 72, "pc": 16.0, "in": 96.0, "cm": 96 / 2.54, "mm": 96 / 25.4}


def _length(value: str | None) -> float | None:
    match = _LENGTH.match(value or "")
    if not match:
        return None
    return float(match.group(1)) * _PX_PER[match.group(2) or "px"]


def svg_size(path: Path) -> tuple[int, int] | None:
    """From the root element alone: the rest of the file is not read."""
    try:
        for _, element in ElementTree.iterparse(path, events=("start",)):
            width, height = _length(element.get("width")), _length(element.get("height"))
            if width and height:
                return round(width), round(height)
            box = (element.get("viewBox") or "").replace(",", " ").split()
            if len(box) == 4:
                try:
                    w, h = float(box[2]), float(box[3])
                except ValueError:
                    return None
                return (round(w), round(h)) if w > 0 and h > 0 else None
            return None
    except (ElementTree.ParseError, OSError):
        return None
    return None


def raster_size(path: Path) -> tuple[int, int] | None:
    """Width and height of an image file, without decoding its pixels; None if not an image."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                return image.size
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError, ValueError):
        return None


@lru_cache(maxsize=2048)
def _size(path: str, stamp: tuple[int, int]) -> tuple[int, int] | None:
    file = Path(path)
    return svg_size(file) if file.suffix.lower() == ".svg" else raster_size(file)


def image_size(path: Path) -> tuple[int, int] | None:
    """The size in CSS pixels, remembered while the file's time and length stay the same."""
    try:
        status = path.stat()
    except OSError:
        return None
    if not path.is_file():
        return None
    return _size(str(path), (status.st_mtime_ns, status.st_size))
