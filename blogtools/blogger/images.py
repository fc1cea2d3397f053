"""The images an imported post uses, brought into ``content/images/blogger/``.

Each image is named by its own file name and a digest of its address (Blogger names
many images ``image.png``; the digest keeps two apart and names one the same at
every import). It is taken from a folder of the export's images when one is given
(Google Takeout's ``Albums`` folder), by file name, else fetched over HTTP with a
time limit and a size limit, and kept only if it is an image. What failed is
reported, and its post keeps the remote address.
"""

from __future__ import annotations

import hashlib
import os
import re
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

MAX_BYTES = 25_000_000
TIMEOUT = 20  # seconds, for each request
SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": ".png",
    b"\xff\xd8\xff": ".jpg",
    b"GIF87a": ".gif",
    b"GIF89a": ".gif",
    b"RIFF": ".webp",
    b"BM": ".bmp",
}
SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".svg")


@dataclass
class Fetched:
    """One image: the address the post used, the file it became, or why it did not."""

    url: str
    name: str  # the file name in images/blogger/
    data: bytes | None = None
    error: str = ""
    source: str = ""  # "folder" or "http"


def local_name(url: str) -> str:
    """A file name for the image at ``url``: its own name, made safe, and a digest."""
    path = unquote(urlsplit(url).path)
    base = path.rstrip("/").rsplit("/", 1)[-1] or "image"
    base = base.split("=", 1)[0]  # googleusercontent's "=w640-h400" size suffix
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-_").lower()[:60] or "image"
    suffix = ("." + suffix.lower()) if ("." + suffix.lower()) in SUFFIXES else ""
    digest = hashlib.sha256(url.encode()).hexdigest()[:10]
    return f"{stem}-{digest}{suffix}"


def _kind(data: bytes) -> str | None:
    if data.lstrip()[:5] in (b"<?xml", b"<svg ") or data.lstrip()[:4] == b"<svg":
        return ".svg"
    for signature, suffix in SIGNATURES.items():
        if data.startswith(signature):
            return suffix
    return None


def _from_folder(index: dict[str, Path], url: str) -> bytes | None:
    name = unquote(urlsplit(url).path).rstrip("/").rsplit("/", 1)[-1].split("=", 1)[0]
    found = index.get(name) or index.get(name.lower())
    return found.read_bytes() if found is not None else None


def _over_http(url: str) -> bytes:
    if urlsplit(url).scheme not in ("http", "https"):
        raise ValueError("not an http(s) address")
    request = urllib.request.Request(url, headers={"User-Agent": "blog-import/1.0"})
    try:
        response = urllib.request.urlopen(request, timeout=TIMEOUT)
    except urllib.error.HTTPError as error:
        raise ValueError(f"the server answered {error.code} {error.reason}") from None
    with response:
        if urlsplit(response.geturl()).scheme not in ("http", "https"):
            raise ValueError("redirected away from http(s)")
        data = response.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValueError(f"larger than {MAX_BYTES // 1_000_000} MB")
    return data


def fetch_all(urls: list[str], folder: Path | None = None, workers: int = 8) -> list[Fetched]:
    """Each image at ``urls``, from ``folder`` when it holds it, else over HTTP."""
    index: dict[str, Path] = {}
    if folder is not None:
        for directory, _, names in os.walk(folder):
            for name in names:
                index.setdefault(name, Path(directory) / name)
                index.setdefault(name.lower(), Path(directory) / name)

    def one(url: str) -> Fetched:
        item = Fetched(url, local_name(url))
        try:
            data = _from_folder(index, url) if index else None
            item.source = "folder" if data is not None else "http"
            if data is None:
                data = _over_http(url)
        except (OSError, ValueError, urllib.error.URLError) as error:
            item.error = str(getattr(error, "reason", None) or error)
            return item
        suffix = _kind(data)
        if suffix is None:
            item.error = "what came back is not an image"
            return item
        if not item.name.endswith(SUFFIXES):
            item.name += suffix
        item.data = data
        return item

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(one, list(dict.fromkeys(urls))))
