"""Where a site is published: a folder, a server over SSH, or a git branch. Parsed and checked.

A target is data, never an option: every part is checked before any command sees
it (a host or path may not start with '-', a git remote may not name a transport
that runs commands), and the commands put ``--`` (or ``--end-of-options``) before
it all the same.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")  # a host or user name, as ssh takes it
_SSH = re.compile(r"^(?:(?P<user>[^@/:\s]+)@)?(?P<host>[^@/:\s]+):(?P<path>.+)$")
_BRANCH = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")


class TargetError(ValueError):
    """A publish target that cannot be understood, or may not be used."""


@dataclass(frozen=True)
class PathTarget:
    """A folder on this machine that a web server serves."""

    path: str

    def __str__(self) -> str:
        return self.path


@dataclass(frozen=True)
class SshTarget:
    """A folder on a server reached with ssh and rsync."""

    host: str  # [user@]host
    path: str
    port: int | None = None
    identity: str | None = None
    options: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.host}:{self.path}"

    def ssh_command(self) -> list[str]:
        """ssh with the port, key and options given; the rest from the user's ssh config.
        The host comes after it, after ``--``."""
        command = ["ssh", "-o", "BatchMode=yes"]
        if self.port:
            command += ["-p", str(self.port)]
        if self.identity:
            command += ["-i", self.identity, "-o", "IdentitiesOnly=yes"]
        return command + list(self.options)

    def remote(self, script: str, *arguments: str) -> list[str]:
        """Run a POSIX shell script on the host, with ``arguments`` as $1, $2, ..."""
        words = ["sh", "-c", script, "sh", *arguments]
        return [*self.ssh_command(), "--", self.host, shlex.join(words)]


@dataclass(frozen=True)
class GitTarget:
    """A branch of a git remote that a host publishes (GitHub Pages)."""

    remote: str
    branch: str = "gh-pages"

    def __str__(self) -> str:
        return f"git:{self.remote}#{self.branch}"


Target = PathTarget | SshTarget | GitTarget


def _no_option(text: str, what: str, whole: str) -> None:
    if text.startswith("-"):
        raise TargetError(
            f"'{whole}': {what} '{text}' starts with '-', which a command would read as one "
            "of its options — write the target without it"
        )


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
    if "\n" in text or "\0" in text:
        raise TargetError(f"{text!r}: a target is one line")
    _no_option(text, "the target", text)
    if text.startswith("git:"):
        return _git_target(text)
    if text.startswith(("/", "./", "../", "~")) or re.match(r"^[A-Za-z]:\\", text):
        return PathTarget(text)
    match = _SSH.match(text)
    if match:
        user, host, path = match.group("user"), match.group("host"), match.group("path")
        for part, what in ((user, "the user"), (host, "the host"), (path, "the path")):
            if part is not None:
                _no_option(part, what, text)
        for part, what in ((user, "user"), (host, "host")):
            if part is not None and not _NAME.fullmatch(part):
                raise TargetError(f"'{text}': '{part}' is not a {what} name ssh would take")
        return SshTarget(
            f"{user}@{host}" if user else host, path, port, identity, tuple(ssh_options)
        )
    if "@" in text or ":" in text:
        raise TargetError(
            f"'{text}' is neither [user@]host:/path (a user or host name ssh would take) nor "
            "a folder — for a folder here whose name holds ':' or '@', write ./ before it"
        )
    return PathTarget(text)


def _git_target(text: str) -> GitTarget:
    remote, _, branch = text[4:].partition("#")
    if not remote:
        raise TargetError(f"'{text}': a git target names a remote: git:REMOTE[#BRANCH]")
    _no_option(remote, "the remote", text)
    if re.match(r"^(ext|fd)::", remote, re.IGNORECASE):
        raise TargetError(
            f"'{text}': git's {remote.split('::')[0]}:: transport runs commands — name a "
            "repository: a URL, host:path or a folder"
        )
    branch = branch or "gh-pages"
    if not _BRANCH.fullmatch(branch) or ".." in branch or branch.endswith((".lock", "/")):
        raise TargetError(f"'{text}': '{branch}' is not a branch name")
    return GitTarget(remote, branch)
