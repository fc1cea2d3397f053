"""Releases in a folder, here or on a server: DEST/releases/<name>/, the live one named by the
symlink DEST/current, which the web server serves.

A publish, holding the target's lock: clears what an interrupted one left (half-copied
releases, half-deleted ones in DEST/trash/); copies the site with rsync into
``<name>.partial``, hard-linking every file unchanged since the live release; carries
into it the search files of the releases kept (so that a search page opened before the
switch still finds its index); renames it ``<name>``, complete; switches ``current`` to
it in one rename; and prunes old releases by moving each out of releases/ before
deleting it. A reader gets the old site or the new one, whole, and a rollback only ever
goes to a complete release.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

from . import releases as plan
from .lock import TargetLock
from .releases import PARTIAL_SUFFIX, Changes, Transfer
from .shell import DeployError, Shell, require
from .targets import PathTarget, SshTarget

STATE = (
    '[ -d "$dest/releases" ] || exit 0\n'
    'ls -1A -- "$dest/releases"\n'
    'printf "::live::%s\\n" "$(readlink -- "$dest/current" 2>/dev/null || true)"\n'
)
PREPARE = (
    'mkdir -p -- "$dest/releases" "$dest/trash"\n'
    "removed=0\n"
    'for partial in "$dest/releases"/*' + PARTIAL_SUFFIX + "; do\n"
    '  [ -e "$partial" ] || continue\n'
    '  rm -rf -- "$partial"\n'
    "  removed=$((removed + 1))\n"
    "done\n"
    'rm -rf -- "$dest/trash"/* "$dest/trash"/.[!.]* 2>/dev/null || true\n'
    'echo "$removed"\n'
)
DISCARD = 'rm -rf -- "$dest/releases/$1' + PARTIAL_SUFFIX + '"\n'
# $1: the new release (half-copied); then the releases kept, newest first: each one's
# own search files (its .search-files list) are hard-linked into the new one.
CARRY = (
    'new="$dest/releases/$1' + PARTIAL_SUFFIX + '"\n'
    "shift\n"
    'for old in "$@"; do\n'
    '  list="$dest/releases/$old' + plan.OWN_FILES_SUFFIX + '"\n'
    '  [ -f "$list" ] || continue\n'
    "  while IFS= read -r file; do\n"
    '    case $file in ""|*..*|/*) continue;; esac\n'
    '    [ -e "$new/$file" ] && continue\n'
    '    [ -f "$dest/releases/$old/$file" ] || continue\n'
    '    mkdir -p -- "$(dirname -- "$new/$file")"\n'
    '    ln -- "$dest/releases/$old/$file" "$new/$file" 2>/dev/null || '
    'cp -p -- "$dest/releases/$old/$file" "$new/$file"\n'
    '  done < "$list"\n'
    "done\n"
)
# $1: the release; its own search files on standard input. Then it is complete.
COMPLETE = (
    'cat > "$dest/releases/$1' + plan.OWN_FILES_SUFFIX + '"\n'
    'mv -- "$dest/releases/$1' + PARTIAL_SUFFIX + '" "$dest/releases/$1"\n'
)
SWITCH = (
    'link="$dest/current.new-$1"\n'
    'rm -f -- "$link"\n'
    'ln -s -- "releases/$1" "$link"\n'
    'if [ -d "$dest/current" ] && [ ! -L "$dest/current" ]; then\n'
    '  rm -f -- "$link"\n'
    '  echo "$dest/current is a folder, not a symlink: move it aside once" >&2\n'
    "  exit 3\n"
    "fi\n"
    'mv -T -- "$link" "$dest/current"\n'
)
# Each release out of releases/ first (one rename), then deleted: a kill half-way leaves
# a half-deleted folder in trash/, which no rollback sees, and the next publish clears.
PRUNE = (
    'mkdir -p -- "$dest/trash"\n'
    'for old in "$@"; do\n'
    '  [ -e "$dest/releases/$old" ] && mv -- "$dest/releases/$old" "$dest/trash/$old"\n'
    '  own="$dest/releases/$old' + plan.OWN_FILES_SUFFIX + '"\n'
    '  [ -e "$own" ] && mv -- "$own" "$dest/trash/"\n'
    "done\n"
    'rm -rf -- "$dest/trash"/* 2>/dev/null || true\n'
)
PARENT = '[ -d "$(dirname -- "$dest")" ]\n'
MAKE = 'mkdir -p -- "$dest"\n'


class ReleaseDeployer:
    """Publishes to, and rolls back, a folder or SSH target."""

    def __init__(
        self,
        target: PathTarget | SshTarget,
        keep: int,
        say: Callable[[str], None],
        rsync_options: tuple[str, ...] = (),
        create: bool = False,
    ) -> None:
        self.target, self.keep, self.say = target, keep, say
        self.rsync_options = rsync_options
        self.create = create
        self.shell = Shell(target)

    def check_tools(self) -> None:
        require("rsync", *(["ssh"] if isinstance(self.target, SshTarget) else []))

    def preflight(self) -> None:
        """What can be said before anything is built: a missing tool, a mistyped folder."""
        self.check_tools()
        if self.create:
            return
        try:
            self.shell.run(PARENT, what="looking for the target's folder")
        except DeployError:
            raise DeployError(
                f"{self.target}: the folder that should hold it does not exist — check the "
                "target for a typing mistake, or publish with --create to make it"
            ) from None

    def state(self) -> tuple[list[str], list[str], str | None]:
        """Complete releases, half-copied ones, and the live one."""
        out = self.shell.run(STATE, what="reading the releases")
        names = [line for line in out.splitlines() if line and not line.startswith("::live::")]
        live_line = next((line for line in out.splitlines() if line.startswith("::live::")), "")
        live = live_line[len("::live::") :].rstrip("/").rsplit("/", 1)[-1] or None
        return plan.releases_in(names), plan.partials_in(names), live

    def _folder(self) -> None:
        """The target folder made, if its parent is there or making it was asked for."""
        self.preflight()
        self.shell.run(MAKE, what="making the target's folder")

    def changes(self, output: Path) -> Changes:
        self.check_tools()
        _, _, live = self.state()
        if live is None:
            files = [str(p.relative_to(output)) for p in sorted(output.rglob("*")) if p.is_file()]
            return Changes(added=files)
        result = subprocess.run(
            self.shell.rsync(
                *self.rsync_options,
                "-rcn",
                "--delete",
                "--itemize-changes",
                source=f"{output}/",
                into=f"releases/{live}",
            ),
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise DeployError(f"comparing with {self.target} failed: {result.stderr.strip()}")
        return plan.parse_itemized(result.stdout)

    def lock(self) -> TargetLock:
        """The target, ours for a whole publish (its build included): made if need be."""
        self._folder()
        return TargetLock(self.shell)

    def deploy(self, output: Path, name: str) -> Transfer:
        """Copy, complete, switch, prune: with the target's lock held (``lock``)."""
        removed = int(self.shell.run(PREPARE, what="clearing an interrupted publish") or 0)
        if removed:
            self.say(f"  removed {removed} half-copied release(s) of an interrupted publish")
        complete, _, live = self.state()
        sent = self._copy(output, name, live if live in complete else None)
        kept = [r for r in sorted(complete, reverse=True) if r != name][: self.keep - 1]
        if kept:
            self.shell.run(CARRY, name, *kept, what="keeping the last search indexes")
        own = plan.search_files(
            [str(p.relative_to(output)) for p in output.rglob("*") if p.is_file()]
        )
        self.shell.run(COMPLETE, name, what="completing the release", given="\n".join(own) + "\n")
        self._switch(name)
        self._prune([*complete, name], protected=[name])
        return sent

    def _copy(self, output: Path, name: str, live: str | None) -> Transfer:
        self.say(f"Sending to {self.target} as release {name} ...")
        # -c: compare by content (every build writes new times); no -t, so that an
        # unchanged file matches the previous release in every attribute and is linked.
        arguments = [*self.rsync_options, "-rlpc", "--delete", "--stats"]
        if live:
            arguments.append(f"--link-dest=../{live}")
        try:
            result = subprocess.run(
                self.shell.rsync(
                    *arguments, source=f"{output}/", into=f"releases/{name}{PARTIAL_SUFFIX}"
                ),
                capture_output=True,
                text=True,
            )
        except OSError as error:
            raise DeployError(f"rsync could not be run ({error})") from None
        if result.returncode != 0:
            self.shell.run(DISCARD, name, what="removing the half-copied release")
            raise DeployError(
                f"copying to {self.target} failed, the live site is unchanged: "
                f"{result.stderr.strip()}"
            )
        sent = plan.parse_stats(result.stdout)
        total = sum(1 for p in output.rglob("*") if p.is_file())
        linked = "; the rest are unchanged, linked to the previous release"
        self.say(
            f"  sent {sent.files} of {total} files ({plan.human_bytes(sent.bytes)})"
            + (linked if sent.files < total else "")
        )
        return sent

    def _switch(self, name: str) -> None:
        """Point current at a complete release, in one rename; never half-way."""
        self.shell.run(SWITCH, name, what="switching the live release")
        self.say(f"  live: {self.target}/current -> releases/{name}")

    def _prune(self, names: list[str], protected: list[str]) -> None:
        old = plan.to_prune(names, self.keep, protected)
        if old:
            self.shell.run(PRUNE, *old, what="removing old releases")
            self.say(f"  kept the last {self.keep} releases; removed {', '.join(old)}")

    def rollback(self) -> None:
        self.check_tools()
        complete, _, _ = self.state()
        if not complete:
            raise DeployError(f"there is no release on {self.target} to roll back to")
        with TargetLock(self.shell):
            complete, _, live = self.state()
            previous = plan.previous_release(complete, live)
            if previous is None or previous == live:
                raise DeployError(
                    f"there is no release before {live or 'the live one'} on "
                    f"{self.target} to roll back to"
                )
            self.say(f"Rolling back {self.target} from {live} to {previous} ...")
            self._switch(previous)
