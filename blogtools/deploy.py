"""Where a site is published and how a release reaches it: the plan, apart from the doing.

Targets: a local folder, ``[user@]host:/path`` over SSH, or ``git:REMOTE[#BRANCH]``.
Folder and SSH targets hold ``releases/<timestamp>-<sha>/`` and a symlink
``current`` that the web server serves; a release is copied (rsync, hard-linking
what has not changed since the last one) into ``<name>.partial``, renamed when
complete, and only then does ``current`` switch to it, in one rename. Readers
see the old site or the new one, never a mix.
"""

from __future__ import annotations

import datetime as dt
import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass, field

RELEASE = re.compile(r"^\d{8}T\d{6}Z-[0-9a-z]+$")
PARTIAL_SUFFIX = ".partial"


class TargetError(ValueError):
    """A publish target that cannot be understood."""


@dataclass(frozen=True)
class PathTarget:
    path: str

    def __str__(self) -> str:
        return self.path


@dataclass(frozen=True)
class SshTarget:
    host: str  # [user@]host
    path: str
    port: int | None = None
    identity: str | None = None
    options: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.host}:{self.path}"

    def ssh_command(self) -> list[str]:
        """ssh with the port, key and options given; the rest from the user's ssh config."""
        command = ["ssh", "-o", "BatchMode=yes"]
        if self.port:
            command += ["-p", str(self.port)]
        if self.identity:
            command += ["-i", self.identity, "-o", "IdentitiesOnly=yes"]
        return command + list(self.options)

    def remote(self, script: str) -> list[str]:
        """Run a POSIX shell script on the host."""
        return [*self.ssh_command(), self.host, "sh -c " + shlex.quote(script)]


@dataclass(frozen=True)
class GitTarget:
    remote: str
    branch: str = "gh-pages"

    def __str__(self) -> str:
        return f"git:{self.remote}#{self.branch}"


Target = PathTarget | SshTarget | GitTarget
_SSH = re.compile(r"^(?P<host>(?:[^@/:\s]+@)?[^@/:\s]+):(?P<path>/.*|~.*|[^/].*)$")


def parse_target(
    text: str, port: int | None = None, identity: str | None = None, ssh_options: Sequence[str] = ()
) -> Target:
    """A target from its written form; port, key and options apply to SSH targets."""
    text = text.strip()
    if not text:
        raise TargetError(
            "no publish target: set PUBLISH_TARGET in publishconf.py, "
            "or the environment variable PUBLISH_TARGET, or pass --target"
        )
    if text.startswith("git:"):
        remote, _, branch = text[4:].partition("#")
        if not remote:
            raise TargetError(f"'{text}': a git target names a remote: git:REMOTE[#BRANCH]")
        return GitTarget(remote, branch or "gh-pages")
    if text.startswith(("/", "./", "../", "~")) or re.match(r"^[A-Za-z]:\\", text):
        return PathTarget(text)
    match = _SSH.match(text)
    if match:
        return SshTarget(
            match.group("host"), match.group("path"), port, identity, tuple(ssh_options)
        )
    return PathTarget(text)


def release_name(now: dt.datetime, sha: str) -> str:
    """``20261126T103000Z-abc1234``: sorts by time; says which commit was built."""
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"{stamp}-{re.sub(r'[^0-9a-z]', '', sha.lower()) or 'nogit'}"


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
    size = float(count)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024
    return f"{count} bytes"
