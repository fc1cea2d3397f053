"""``invoke publish`` and ``invoke rollback``: build strictly, check, deploy atomically.

Each step must succeed before the next starts, and a failure at any step
leaves the live site as it was: the build goes to a fresh folder, the checks
read that folder, and a release becomes live only by the switch of one symlink
(or, for git targets, one push).
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import deploy
from .deploy import Changes, GitTarget, PathTarget, SshTarget, Target, Transfer
from .sitecheck import check_site

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_KEEP = 5


class PublishError(Exception):
    """A step failed; the message says which and why. The live site is unchanged."""


@dataclass
class Options:
    target: Target
    keep: int = DEFAULT_KEEP
    content: Path = ROOT / "content"
    settings: Path = ROOT / "publishconf.py"
    root: Path = ROOT
    say: Callable[[str], None] = print
    rsync_options: tuple[str, ...] = ()


# Configuration -----------------------------------------------------------------


def publish_settings(settings: Path) -> dict:
    """publishconf.py as Pelican reads it."""
    from pelican.settings import read_settings

    return read_settings(str(settings))


def configured_target(settings: dict, given: str | None) -> str:
    """--target, else the PUBLISH_TARGET environment variable, else the setting."""
    return given or os.environ.get("PUBLISH_TARGET") or settings.get("PUBLISH_TARGET") or ""


def ssh_options_from_environment() -> list[str]:
    """Extra ssh options (PUBLISH_SSH_OPTIONS), e.g. a known_hosts file for a test server."""
    return shlex.split(os.environ.get("PUBLISH_SSH_OPTIONS", ""))


def git_sha(root: Path) -> str:
    try:
        return subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "nogit"


# Steps --------------------------------------------------------------------------


def build(options: Options, output: Path) -> int:
    """The strict build into ``output``; the number of pages, or PublishError."""
    start = time.perf_counter()
    options.say(f"Building with {options.settings.name} (strict) ...")
    # Not -q: Pelican's quiet mode drops the very warnings that --fatal turns into failures.
    command = [sys.executable, "-m", "pelican", str(options.content), "-s", str(options.settings)]
    result = subprocess.run(
        [*command, "-o", str(output), "--fatal", "warnings"],
        cwd=options.root,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )
    if result.returncode != 0:
        log = "\n".join(
            line
            for line in (result.stdout + result.stderr).splitlines()
            if line.startswith(("WARNING", "ERROR", "CRITICAL"))
        )
        raise PublishError(f"the build failed, nothing was published:\n{log}")
    pages = sum(1 for _ in output.rglob("*.html"))
    options.say(f"  built {pages} pages in {time.perf_counter() - start:.1f} s")
    return pages


def check(options: Options, output: Path, site_url: str) -> None:
    feeds = sum(1 for p in output.rglob("*.xml") if p.name.endswith((".atom.xml", ".rss.xml")))
    options.say(f"Checking links, assets, titles, canonical URLs and {feeds} feeds ...")
    problems = check_site(output, site_url)
    if problems:
        listed = "\n".join(f"  {p}" for p in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        raise PublishError(
            f"the built site has {len(problems)} problem(s), nothing was published:\n{listed}{more}"
        )
    options.say("  no problems")


def publish(options: Options, dry_run: bool = False) -> int:
    """Build, check, deploy (or show what would change). 0 on success."""
    settings = publish_settings(options.settings)
    site_url = settings.get("SITEURL", "")
    with tempfile.TemporaryDirectory(prefix="publish-") as tmp:
        output = Path(tmp) / "site"
        build(options, output)
        check(options, output, site_url)
        deployer = deployer_for(options)
        if dry_run:
            changes = deployer.changes(output)
            options.say(
                f"Dry run: publishing to {options.target} would make "
                f"{changes.summary()}; nothing was changed"
            )
            for line in changes.lines():
                options.say(f"  {line}")
            return 0
        name = deploy.release_name(dt.datetime.now(dt.UTC), git_sha(options.root))
        deployer.deploy(output, name)
    options.say(f"Live at {site_url or options.target}")
    return 0


def rollback(options: Options) -> int:
    deployer_for(options).rollback()
    return 0


def deployer_for(options: Options):
    if isinstance(options.target, GitTarget):
        return GitDeployer(options)
    return ReleaseDeployer(options)


# Folder and SSH targets -----------------------------------------------------------


class ReleaseDeployer:
    """Releases in DEST/releases/, the live one named by the symlink DEST/current."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self.target: PathTarget | SshTarget = options.target  # type: ignore[assignment]
        self.say = options.say

    # Where things are, as the target's shell writes them.
    def _q(self, *parts: str) -> str:
        path = "/".join([self.target.path.rstrip("/"), *parts]) if parts else self.target.path
        if path.startswith("~/"):
            return "~/" + shlex.quote(path[2:])
        return shlex.quote(path)

    def _sh(self, script: str, what: str) -> str:
        if isinstance(self.target, SshTarget):
            command = self.target.remote(script)
        else:
            command = ["sh", "-c", script]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            raise PublishError(
                f"{what} failed on {self.target}: {(result.stderr or result.stdout).strip()}"
            )
        return result.stdout

    def _rsync_destination(self, *parts: str) -> str:
        path = "/".join([self.target.path.rstrip("/"), *parts])
        if isinstance(self.target, SshTarget):
            return f"{self.target.host}:{path}/"
        return path + "/"

    def _rsync(self, *arguments: str) -> list[str]:
        command = ["rsync", *self.options.rsync_options]
        if isinstance(self.target, SshTarget):
            command += ["-e", shlex.join(self.target.ssh_command())]
        return command + list(arguments)

    def state(self) -> tuple[list[str], list[str], str | None]:
        """Complete releases, half-copied ones, and the live one."""
        out = self._sh(
            f"ls -1A {self._q('releases')} 2>/dev/null; "
            f"printf '::live::%s\\n' \"$(readlink {self._q('current')} 2>/dev/null)\"",
            "reading the releases",
        )
        names = [line for line in out.splitlines() if line and not line.startswith("::live::")]
        live_line = next((line for line in out.splitlines() if line.startswith("::live::")), "")
        live = live_line[len("::live::") :].rstrip("/").rsplit("/", 1)[-1] or None
        return deploy.releases_in(names), deploy.partials_in(names), live

    def changes(self, output: Path) -> Changes:
        _releases, _, live = self.state()
        if live is None:
            compare = [str(p.relative_to(output)) for p in sorted(output.rglob("*")) if p.is_file()]
            return Changes(added=compare)
        result = subprocess.run(
            self._rsync(
                "-rcn",
                "--delete",
                "--itemize-changes",
                f"{output}/",
                self._rsync_destination("releases", live),
            ),
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise PublishError(f"comparing with {self.target} failed: {result.stderr.strip()}")
        return deploy.parse_itemized(result.stdout)

    def deploy(self, output: Path, name: str) -> Transfer:
        releases, partials, live = self.state()
        if partials:
            self._sh(
                " && ".join(f"rm -rf {self._q('releases', p)}" for p in partials),
                "removing half-copied releases",
            )
            self.say(f"  removed {len(partials)} half-copied release(s) of an interrupted publish")
        partial = name + deploy.PARTIAL_SUFFIX
        self._sh(f"mkdir -p {self._q('releases')}", "creating the releases folder")
        self.say(f"Sending to {self.target} as release {name} ...")
        # -c: compare by content (every build writes new times); no -t, so that an
        # unchanged file matches the previous release in every attribute and is linked.
        arguments = ["-rlpc", "--delete", "--stats"]
        if live in releases:
            arguments.append(f"--link-dest=../{live}")
        result = subprocess.run(
            self._rsync(*arguments, f"{output}/", self._rsync_destination("releases", partial)),
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise PublishError(
                f"copying to {self.target} failed, the live site is unchanged: "
                f"{result.stderr.strip()}"
            )
        sent = deploy.parse_stats(result.stdout)
        total = sum(1 for p in output.rglob("*") if p.is_file())
        linked = "; the rest are unchanged, linked to the previous release"
        self.say(
            f"  sent {sent.files} of {total} files ({deploy.human_bytes(sent.bytes)})"
            + (linked if sent.files < total else "")
        )
        self._switch(name, completing=partial)
        self._prune([*releases, name], protected=[name])
        return sent

    def _switch(self, name: str, completing: str | None = None) -> None:
        """Point current at a release, in one rename; never half-way."""
        steps = []
        if completing:
            steps.append(f"mv {self._q('releases', completing)} {self._q('releases', name)}")
        link = f"current.new-{name}"
        steps += [
            f"rm -f {self._q(link)}",
            f"ln -s {shlex.quote('releases/' + name)} {self._q(link)}",
            f"if [ -d {self._q('current')} ] && [ ! -L {self._q('current')} ]; then "
            f"echo '{self.target}/current is a folder, not a symlink: move it aside once' >&2; "
            "exit 3; fi",
            f"mv -T {self._q(link)} {self._q('current')}",
        ]
        self._sh(" && ".join(steps), "switching the live release")
        self.say(f"  live: {self.target}/current -> releases/{name}")

    def _prune(self, releases: Sequence[str], protected: Sequence[str]) -> None:
        old = deploy.to_prune(releases, self.options.keep, protected)
        if old:
            self._sh(
                " && ".join(f"rm -rf {self._q('releases', r)}" for r in old),
                "removing old releases",
            )
            self.say(f"  kept the last {self.options.keep} releases; removed {', '.join(old)}")

    def rollback(self) -> None:
        releases, _, live = self.state()
        previous = deploy.previous_release(releases, live)
        if previous is None or previous == live:
            raise PublishError(
                f"there is no release before {live or 'the live one'} on "
                f"{self.target} to roll back to"
            )
        self.say(f"Rolling back {self.target} from {live} to {previous} ...")
        self._switch(previous)


# Git targets ---------------------------------------------------------------------


class GitDeployer:
    """The site as the single tree of a branch (gh-pages), committed with ghp-import.

    ghp-import works in a throwaway repository that fetches the branch first, so
    the branch keeps its history and the author's own repository is not touched.
    """

    def __init__(self, options: Options) -> None:
        self.options = options
        self.target: GitTarget = options.target  # type: ignore[assignment]
        self.say = options.say

    def _git(self, repo: Path, *arguments: str, check: bool = True):
        result = subprocess.run(
            ["git", "-C", str(repo), *arguments], capture_output=True, text=True
        )
        if check and result.returncode != 0:
            raise PublishError(
                f"git {' '.join(arguments[:2])} failed for {self.target}: {result.stderr.strip()}"
            )
        return result

    def _workspace(self, tmp: Path) -> tuple[Path, bool]:
        repo = tmp / "repo"
        subprocess.run(["git", "init", "-q", str(repo)], check=True)
        self._git(repo, "config", "user.name", os.environ.get("GIT_AUTHOR_NAME", "invoke publish"))
        self._git(
            repo, "config", "user.email", os.environ.get("GIT_AUTHOR_EMAIL", "publish@localhost")
        )
        fetched = self._git(
            repo,
            "fetch",
            "-q",
            self.target.remote,
            f"{self.target.branch}:{self.target.branch}",
            check=False,
        )
        return repo, fetched.returncode == 0

    def changes(self, output: Path) -> Changes:
        with tempfile.TemporaryDirectory() as tmp:
            repo, exists = self._workspace(Path(tmp))
            if not exists:
                files = [
                    str(p.relative_to(output)) for p in sorted(output.rglob("*")) if p.is_file()
                ]
                return Changes(added=[*files, ".nojekyll"])
            tree = self._git(repo, "ls-tree", "-r", self.target.branch).stdout
            current = {line.split("\t", 1)[1]: line.split()[2] for line in tree.splitlines()}
            changes = Changes()
            seen = {".nojekyll"}
            for path in sorted(output.rglob("*")):
                if not path.is_file():
                    continue
                rel = str(path.relative_to(output))
                seen.add(rel)
                digest = self._git(repo, "hash-object", str(path)).stdout.strip()
                if rel not in current:
                    changes.added.append(rel)
                elif current[rel] != digest:
                    changes.changed.append(rel)
            changes.removed = sorted(p for p in current if p not in seen)
            return changes

    def deploy(self, output: Path, name: str) -> None:
        self.say(f"Committing to {self.target} as {name} ...")
        with tempfile.TemporaryDirectory() as tmp:
            repo, _ = self._workspace(Path(tmp))
            ghp = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "ghp_import",
                    "-n",
                    "-b",
                    self.target.branch,
                    "-m",
                    f"Publish {name}",
                    str(output),
                ],
                cwd=repo,
                capture_output=True,
                text=True,
            )
            if ghp.returncode != 0:
                raise PublishError(f"ghp-import failed: {ghp.stderr.strip()}")
            self._git(
                repo, "push", "-q", self.target.remote, f"{self.target.branch}:{self.target.branch}"
            )
        self.say(f"  pushed {self.target.branch} to {self.target.remote} (with .nojekyll)")

    def rollback(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            repo, exists = self._workspace(Path(tmp))
            parent = self._git(
                repo, "rev-parse", "--verify", "-q", f"{self.target.branch}~1", check=False
            ).stdout.strip()
            if not exists or not parent:
                raise PublishError(f"there is no earlier commit on {self.target} to roll back to")
            subject = self._git(repo, "log", "-1", "--format=%s", parent).stdout.strip()
            self._git(
                repo,
                "push",
                "-q",
                "--force",
                self.target.remote,
                f"{parent}:refs/heads/{self.target.branch}",
            )
        self.say(f"Rolled back {self.target}: live is now '{subject}' ({parent[:10]})")
