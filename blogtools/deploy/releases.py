"""Releases in a target's ``releases/`` folder: their names, which are complete, which go.

Pure planning, apart from the doing (folder.py): a release is copied into
``<name>.partial``, renamed ``<name>`` only once its copy is whole, and only then
may ``current`` point at it; pruning moves a release out of ``releases/`` before
deleting it, so nothing half-deleted is ever taken for a release.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field

# 20261201T103000.123456Z-abc1234-9f2e (older releases: 20261126T103000Z-abc1234)
RELEASE = re.compile(r"^\d{8}T\d{6}(?:\.\d{6})?Z-[0-9a-z]+(?:-[0-9a-f]{4})?$")
PARTIAL_SUFFIX = ".partial"
OWN_FILES_SUFFIX = ".search-files"  # beside a release: the search files its build made
# What a search page needs of an index: Pagefind names them by their content.
SEARCH_FILE = re.compile(
    r"^pagefind/(?:fragment|index|filter)/[A-Za-z0-9._-]+$|^pagefind/[A-Za-z0-9._-]+\.pf_meta$"
)


def release_name(now: dt.datetime, sha: str) -> str:
    """``20261126T103000.123456Z-abc1234-9f2e``: sorts by time, says which commit was
    built, and is unique (two publishes in one microsecond differ by the last part)."""
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    commit = re.sub(r"[^0-9a-z]", "", sha.lower()) or "nogit"
    return f"{stamp}-{commit}-{secrets.token_hex(2)}"


def releases_in(names: Sequence[str]) -> list[str]:
    """The complete releases among a releases folder's entries, oldest first."""
    return sorted(n for n in names if RELEASE.match(n))


def partials_in(names: Sequence[str]) -> list[str]:
    """Releases left half-copied by an interrupted publish."""
    return sorted(n for n in names if n.endswith(PARTIAL_SUFFIX))


def to_prune(releases: Sequence[str], keep: int, protected: Sequence[str]) -> list[str]:
    """The oldest releases beyond ``keep``, never one that is protected (live or new)."""
    ordered = sorted(releases)
    excess = max(0, len(ordered) - keep)
    return [name for name in ordered[:excess] if name not in protected]


def previous_release(releases: Sequence[str], live: str | None) -> str | None:
    """The release before the live one: what a rollback goes back to."""
    ordered = sorted(releases)
    if live not in ordered:
        return ordered[-1] if ordered else None
    index = ordered.index(live)
    return ordered[index - 1] if index > 0 else None


def search_files(paths: Sequence[str]) -> list[str]:
    """Of a site's files (relative paths), those a search page already open may still ask
    for after a switch: Pagefind's index, fragments and filters."""
    return sorted(p for p in paths if SEARCH_FILE.match(p) and ".." not in p)


@dataclass
class Changes:
    """What a publish would change on the target, by site path."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def lines(self, limit: int = 40) -> list[str]:
        """Removals and additions in full (they are what an author checks), changes to a limit."""
        rows = [f"- {p}" for p in self.removed] + [f"+ {p}" for p in self.added]
        changed = [f"~ {p}" for p in self.changed]
        room = max(limit - len(rows), 10)
        if len(changed) > room:
            changed = [*changed[:room], f"~ ... and {len(changed) - room} more changed"]
        return rows + changed

    def summary(self) -> str:
        return f"{len(self.added)} added, {len(self.changed)} changed, {len(self.removed)} removed"


def parse_itemized(output: str) -> Changes:
    """rsync's --itemize-changes output (with --delete) as added, changed and removed files."""
    changes = Changes()
    for line in output.splitlines():
        if line.startswith("*deleting "):
            path = line[len("*deleting ") :].strip()
            if not path.endswith("/"):
                changes.removed.append(path)
            continue
        match = re.match(r"^([<>ch.*][fdLDS][^ ]*) (.+)$", line)
        if not match or match.group(1)[1] != "f":
            continue
        flags, path = match.groups()
        (changes.added if "+++++++" in flags else changes.changed).append(path)
    return changes


@dataclass
class Transfer:
    """What rsync actually sent."""

    files: int = 0
    bytes: int = 0


def parse_stats(output: str) -> Transfer:
    """Files and bytes actually sent, from rsync --stats."""
    files = re.search(r"Number of regular files transferred: ([\d,]+)", output)
    sent = re.search(r"Total transferred file size: ([\d,]+)", output)
    return Transfer(
        int(files.group(1).replace(",", "")) if files else 0,
        int(sent.group(1).replace(",", "")) if sent else 0,
    )


def human_bytes(count: int) -> str:
    """A size as people read it: 1.2 MB."""
    size = float(count)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024
    return f"{count} bytes"
