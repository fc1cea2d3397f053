"""The site built by two versions of the engine, compared file by file.

A change that only moves code must leave every byte of the site as it was. This
builds the same fixture site (this checkout's ``tests/sites/seed``) with the code
of a git revision, checked out into a temporary folder, and with this working tree,
each with a cold cache of its own, and lists every file that differs, is missing or
is new. A chart's file is named by what made it (its parameters, its data and the
charts code), so a change to the plugin's code renames every chart, and every link
card showing one: a renamed chart or card whose bytes are the same, and a page that
differs only by such names, count as the same. The search index is left out
(Pagefind indexes the pages compared here, and names its files by their content).
Run as ``python tests/same_output.py REV`` (default ``HEAD``); the tests run it
against ``HEAD`` from a clean checkout, which proves a build depends neither on the
folder it ran from nor on its workers' timing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SEED = HERE / "sites" / "seed" / "content"
SITEURL = "https://blog.test"


def checkout(revision: str, into: Path) -> Path:
    """The files of ``revision`` (no .git), in ``into``."""
    into.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", revision],
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def build(code: Path, work: Path, content: Path = SEED) -> Path:
    """The site of ``content`` built strictly with the engine in ``code``; its output."""
    output, cache = work / "output", work / "cache"
    env = dict(os.environ, COLUMNS="200")
    # The code in ``code`` is imported first, before the editable install of this one.
    env["PYTHONPATH"] = os.pathsep.join([str(code), str(code / "plugins")])
    overrides = {
        "SITEURL": SITEURL,
        "FEED_DOMAIN": SITEURL,
        "CACHE_PATH": str(cache),
        "PLUGIN_CACHE_PATH": str(cache),
        "SEARCH_INDEX": False,
    }
    command = [
        sys.executable, "-m", "pelican", str(content), "-s", str(code / "publishconf.py"),
        "-o", str(output), "--fatal", "warnings",
        "-e", *(f"{key}={json.dumps(value)}" for key, value in overrides.items()),
    ]  # fmt: skip
    result = subprocess.run(command, cwd=code, env=env, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"the build with {code} failed:\n{result.stdout}{result.stderr}")
    return output


def digests(tree: Path) -> dict[str, str]:
    """Each file under ``tree`` by its path inside it, with the SHA-256 of its bytes."""
    return {
        path.relative_to(tree).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(tree.rglob("*"))
        if path.is_file()
    }


NAMED_BY_CONTENT = ("charts/", "cards/")  # a file here is renamed when what made it is


def differences(before: Path, after: Path) -> tuple[dict[str, str], list[str]]:
    """Files renamed with the same bytes (old name -> new), and one line for each file
    that differs otherwise between two built sites."""
    old, new = digests(before), digests(after)
    by_bytes = {digest: path for path, digest in new.items() if path.startswith(NAMED_BY_CONTENT)}
    renamed_paths = {
        path: by_bytes[digest]
        for path, digest in old.items()
        if path.startswith(NAMED_BY_CONTENT) and path not in new and digest in by_bytes
    }
    renamed = {Path(a).name: Path(b).name for a, b in renamed_paths.items()}
    moved = renamed_paths.keys() | set(renamed_paths.values())
    lines = [f"missing  {p}" for p in old.keys() - new.keys() - moved]
    lines += [f"new      {p}" for p in new.keys() - old.keys() - moved]
    swap = _swapper(renamed)
    for path in old.keys() & new.keys():
        if (
            old[path] != new[path]
            and swap((before / path).read_bytes()) != (after / path).read_bytes()
        ):
            lines.append(f"changed  {path}")
    return renamed, sorted(lines, key=lambda line: line[9:])


def _swapper(renamed: dict[str, str]):
    """A function giving bytes with every old name, and a chart's anchor (the first 8
    characters of its digest), put as it is now: in one pass, so that no name put in is
    changed again by another ("x-narrow.svg" and "x.svg" share their anchor)."""
    pairs = {}
    for name, new_name in renamed.items():
        pairs[name.encode()] = new_name.encode()
        pairs[name[:8].encode()] = new_name[:8].encode()
    if not pairs:
        return lambda data: data
    pattern = re.compile(b"|".join(re.escape(key) for key in sorted(pairs, key=len, reverse=True)))
    return lambda data: pattern.sub(lambda match: pairs[match.group()], data)


def compare(revision: str, work: Path) -> tuple[int, dict[str, str], list[str]]:
    """How many files the two builds wrote, the charts renamed, and what differs."""
    code = checkout(revision, work / "code")
    before = build(code, work / "before")
    after = build(ROOT, work / "after")
    return len(digests(after)), *differences(before, after)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("revision", nargs="?", default="HEAD")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="same-output-") as work:
        count, renamed, found = compare(args.revision, Path(work))
    print(f"{count} files built by both {args.revision} and the working tree")
    if renamed:
        print(f"{len(renamed)} charts and cards renamed (what made them changed), same bytes")
    print("\n".join(found) if found else "byte-identical")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
