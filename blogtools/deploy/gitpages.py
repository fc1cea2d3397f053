"""The site as the single tree of a branch (gh-pages), for GitHub Pages and other git hosts.

ghp-import commits the built site in a throwaway repository that has fetched the
branch first, so the branch keeps its history and the author's own repository is
not touched. Each publish is one commit, pushed without force: two publishes at once
cannot both land (the second is refused as the branch has moved), and a rollback
pushes the previous commit back only if nobody has pushed since it looked
(``--force-with-lease``). The search files of the commit replaced are carried into
the new one, as for folder targets.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from . import releases as plan
from .releases import Changes
from .shell import DeployError, require
from .targets import GitTarget

OWN_FILES = ".search-files"  # at the root of the branch: the search files its build made


class GitDeployer:
    """Publishes to a git branch (GitHub Pages) in one commit a publish, rolled back by one."""

    def __init__(
        self, target: GitTarget, say: Callable[[str], None], cname: str | None = None
    ) -> None:
        self.target, self.say = target, say
        self.cname = cname  # a custom domain: written to CNAME at the branch's root
        # What every publish adds at the branch's root besides the site
        self.added = [".nojekyll", *(["CNAME"] if cname else [])]

    def check_tools(self) -> None:
        require("git")

    def preflight(self) -> None:
        self.check_tools()

    def lock(self) -> contextlib.AbstractContextManager:
        """No lock of ours: the push itself refuses a branch that moved meanwhile."""
        return contextlib.nullcontext()

    def _git(self, repo: Path, *arguments: str, check: bool = True):
        result = subprocess.run(
            ["git", "-C", str(repo), *arguments], capture_output=True, text=True
        )
        if check and result.returncode != 0:
            raise DeployError(
                f"git {' '.join(arguments[:1])} failed for {self.target}: {result.stderr.strip()}"
            )
        return result

    def _workspace(self, tmp: Path) -> tuple[Path, bool]:
        require("git")
        repo = tmp / "repo"
        subprocess.run(["git", "init", "-q", str(repo)], check=True)
        self._git(repo, "config", "user.name", os.environ.get("GIT_AUTHOR_NAME", "invoke publish"))
        self._git(
            repo, "config", "user.email", os.environ.get("GIT_AUTHOR_EMAIL", "publish@localhost")
        )
        branch = self.target.branch
        fetched = self._git(
            repo,
            "fetch",
            "-q",
            "--end-of-options",
            self.target.remote,
            f"refs/heads/{branch}:refs/heads/{branch}",
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
                return Changes(added=[*files, *self.added])
            tree = self._git(repo, "ls-tree", "-r", self.target.branch).stdout
            current = {line.split("\t", 1)[1]: line.split()[2] for line in tree.splitlines()}
            changes = Changes()
            seen = {OWN_FILES, *self.added}
            for path in sorted(output.rglob("*")):
                if not path.is_file():
                    continue
                rel = str(path.relative_to(output))
                seen.add(rel)
                digest = self._git(repo, "hash-object", "--", str(path)).stdout.strip()
                if rel not in current:
                    changes.added.append(rel)
                elif current[rel] != digest:
                    changes.changed.append(rel)
            carried = _carried(repo, self.target.branch, self._git)  # not the build's: not news
            changes.removed = sorted(p for p in current if p not in seen and p not in carried)
            return changes

    def deploy(self, output: Path, name: str) -> None:
        self.say(f"Committing to {self.target} as {name} ...")
        own = plan.search_files(
            [str(p.relative_to(output)) for p in output.rglob("*") if p.is_file()]
        )
        with tempfile.TemporaryDirectory() as tmp:
            repo, exists = self._workspace(Path(tmp))
            site = Path(tmp) / "site"
            subprocess.run(["cp", "-a", "--", f"{output}/.", str(site)], check=True)
            if exists:
                self._carry(repo, site)
            (site / OWN_FILES).write_text("\n".join(own) + "\n", encoding="utf-8")
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
                    *(["-c", self.cname] if self.cname else []),
                    str(site),
                ],
                cwd=repo,
                capture_output=True,
                text=True,
            )
            if ghp.returncode != 0:
                raise DeployError(f"ghp-import failed: {ghp.stderr.strip()}")
            pushed = self._git(
                repo,
                "push",
                "-q",
                "--end-of-options",
                self.target.remote,
                f"refs/heads/{self.target.branch}:refs/heads/{self.target.branch}",
                check=False,
            )
            if pushed.returncode != 0:
                raise DeployError(
                    f"pushing to {self.target} failed, the live site is unchanged (if the "
                    "branch moved meanwhile, another publish landed first: publish again): "
                    f"{pushed.stderr.strip()}"
                )
        extras = ".nojekyll" + (f" and CNAME for {self.cname}" if self.cname else "")
        self.say(f"  pushed {self.target.branch} to {self.target.remote} (with {extras})")

    def _carry(self, repo: Path, site: Path) -> None:
        """The search files of the commit replaced, into the new one: a search page opened
        before this publish still finds its index."""
        branch = self.target.branch
        for rel in plan.search_files(sorted(_own(repo, branch, self._git))):
            target = site / rel
            if target.exists():
                continue
            blob = subprocess.run(
                ["git", "-C", str(repo), "cat-file", "blob", f"{branch}:{rel}"],
                capture_output=True,
            )
            if blob.returncode == 0:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(blob.stdout)

    def rollback(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            repo, exists = self._workspace(Path(tmp))
            branch = self.target.branch
            tip = self._git(repo, "rev-parse", "--verify", "-q", branch, check=False)
            parent = self._git(repo, "rev-parse", "--verify", "-q", f"{branch}~1", check=False)
            if not exists or not parent.stdout.strip():
                raise DeployError(f"there is no earlier commit on {self.target} to roll back to")
            subject = self._git(repo, "log", "-1", "--format=%s", parent.stdout.strip()).stdout
            self._git(
                repo,
                "push",
                "-q",
                f"--force-with-lease=refs/heads/{branch}:{tip.stdout.strip()}",
                "--end-of-options",
                self.target.remote,
                f"{parent.stdout.strip()}:refs/heads/{branch}",
            )
        self.say(
            f"Rolled back {self.target}: live is now '{subject.strip()}' "
            f"({parent.stdout.strip()[:10]})"
        )


def _own(repo: Path, branch: str, git) -> list[str]:
    listed = git(repo, "show", f"{branch}:{OWN_FILES}", check=False)
    return listed.stdout.split() if listed.returncode == 0 else []


def _carried(repo: Path, branch: str, git) -> set[str]:
    """The search files a commit holds that its own build did not make."""
    own = set(_own(repo, branch, git))
    tree = git(repo, "ls-tree", "-r", "--name-only", branch).stdout.split()
    return {p for p in plan.search_files(tree) if p not in own} if own else set()
