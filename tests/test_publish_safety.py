"""Publishing under concurrency, kills, failures and hostile targets: the live site is always one
complete release, and a rollback only ever goes to one."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from project import copy_project, invoke
from servers import ssh_server, wait_for

from blogtools.deploy.releases import releases_in, search_files


def add_scans(project: Path, files: int = 4) -> None:
    """Files of half a megabyte, which the release must carry whole."""
    images = project / "content" / "images"
    images.mkdir(exist_ok=True)
    for n in range(files):
        (images / f"scan-{n}.bin").write_bytes(os.urandom(512 * 1024))


HOLDER = """#!/bin/sh
case "$*" in *.partial*)
  : > "$HELD"
  while [ ! -e "$GO" ]; do sleep 0.05; done;;
esac
exec {real} "$@"
"""


class Hold:
    """An rsync that, copying a release, waits until told to go: a publish held in the
    middle of its copy for as long as a test needs, however busy the machine (a copy
    slowed by bandwidth alone ended, on a loaded machine, before the second publish had
    built its site and reached the lock)."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir()
        rsync = folder / "rsync"
        rsync.write_text(HOLDER.format(real=shutil.which("rsync")))
        rsync.chmod(0o755)
        self.held, self.go = folder / "held", folder / "go"
        self.env = {
            "PATH": f"{folder}:{os.environ['PATH']}",
            "HELD": str(self.held),
            "GO": str(self.go),
        }

    def wait(self) -> None:
        wait_for(self.held.exists, timeout=240)

    def release(self) -> None:
        self.go.touch()


def start(project: Path, *arguments: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "invoke", *arguments],
        cwd=project,
        env={**os.environ, **(env or {})},
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def complete(target: Path) -> list[str]:
    return releases_in([p.name for p in (target / "releases").iterdir()])


def carried(found: set[str]) -> set[str]:
    """Search files, which a release may hold from the releases before it."""
    return set(search_files(sorted(found)))


def live_release(target: Path) -> str:
    return os.readlink(target / "current").removeprefix("releases/")


def commit(project: Path, message: str) -> str:
    """The project a git repository with one commit: its short sha names the release."""
    run = lambda *a: subprocess.run(  # noqa: E731
        ["git", "-C", str(project), *a], check=True, capture_output=True, text=True
    )
    run("init", "-q")
    run("add", "-A")
    run("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", message)
    return run("rev-parse", "--short", "HEAD").stdout.strip()


@pytest.mark.parametrize("commits", ["same", "different"])
@pytest.mark.parametrize("slow", ["first", "second"])
def test_two_publishes_at_once_one_lands_and_the_other_is_refused(tmp_path, commits, slow):
    first = copy_project(tmp_path / "first")
    second = copy_project(tmp_path / "second")
    early, late = (first, second) if slow == "first" else (second, first)
    add_scans(early)
    if commits == "different":
        commit(first, "first")
        commit(second, "second")
    target = tmp_path / "www"
    hold = Hold(tmp_path / "hold")
    running = start(early, "publish", "--target", str(target), env=hold.env)
    hold.wait()
    refused = invoke(late, "publish", "--target", str(target), check=False)
    hold.release()
    assert refused.returncode == 1
    assert f"another publish or rollback to {target} is running (since" in refused.stderr
    assert running.wait(timeout=300) == 0, running.stdout.read()
    [release] = complete(target)
    assert live_release(target) == release
    assert not list(target.rglob("*.partial")), "a half-copied release left, or one nested"
    assert (target / "current" / "images" / "scan-3.bin").is_file()
    again = invoke(late, "publish", "--target", str(target))  # and then its turn comes
    assert "live: " in again.stdout


def test_two_publishes_at_once_over_ssh(tmp_path):
    with ssh_server(tmp_path / "sshd") as server:
        first, second = copy_project(tmp_path / "a"), copy_project(tmp_path / "b")
        add_scans(first)
        target = tmp_path / "www"
        where = ["--target", server.target(target), "--port", str(server.port)]
        where += ["--identity", str(server.identity)]
        env = {"PUBLISH_SSH_OPTIONS": server.options}
        hold = Hold(tmp_path / "hold")
        running = start(first, "publish", *where, env={**env, **hold.env})
        hold.wait()
        refused = invoke(second, "publish", *where, env=env, check=False)
        hold.release()
        assert refused.returncode == 1 and "another publish or rollback to" in refused.stderr
        assert running.wait(timeout=300) == 0, running.stdout.read()
        assert len(complete(target)) == 1 and not list(target.rglob("*.partial"))
        # A publish killed with its connection holds nothing: the next one goes ahead.
        held = Hold(tmp_path / "hold-again")
        running = start(first, "publish", *where, env={**env, **held.env})
        held.wait()
        os.killpg(running.pid, signal.SIGKILL)
        running.wait()
        done = wait_for(lambda: _publish_when_free(second, where, env), timeout=60, step=0.5)
        assert "live: " in done.stdout


def _publish_when_free(project, where, env):
    result = invoke(project, "publish", *where, env=env, check=False)
    return result if result.returncode == 0 else None


# A command that stops (and says so in the file $REACHED) when its arguments show it is at
# one step of a publish, so that the test kills the publish at that step, not near it.
STOPPER = """#!/bin/sh
if {condition}; then
  {before}
  : > "$REACHED"
  exec sleep 600
fi
exec {real} "$@"
"""
IN_TRASH = 'for a in "$@"; do case $a in */trash/*) [ -e "$a" ] && exit 0;; esac; done; exit 1'
STEPS = {
    # rsync half-way through the copy (the files under 2 kB sent)
    "copying": ("rsync", 'case "$*" in *.partial*) true;; *) false;; esac',
                '{real} --max-size=2k "$@" || true'),
    # the copy whole, about to be renamed complete
    "completing": ("mv", 'case "$*" in *.partial*) true;; *) false;; esac', ""),
    # complete, about to go live
    "switching": ("mv", '[ "$1" = -T ]', ""),
    # pruning: about to move the oldest release out
    "moving out": ("mv", 'case "$*" in */trash/*) true;; *) false;; esac', ""),
    # pruning: the oldest release out and half-deleted
    "deleting": ("rm", f"( {IN_TRASH} )",
                 'find "$@" -type f 2>/dev/null | head -n 20 | xargs -r {real} -f'),
}  # fmt: skip


@pytest.fixture(scope="module")
def two_releases(tmp_path_factory):
    """A project published twice (both releases whole), then given a new post."""
    base = tmp_path_factory.mktemp("kills")
    project = copy_project(base / "project")
    target = base / "www"
    for _ in range(2):
        invoke(project, "publish", "--target", str(target), "--keep", "2")
    old = files(target / "current")
    post = project / "content" / "2026-12-01-a-new-post.md"
    post.write_text("Title: A new post\nDate: 2026-12-01 10:00\n\nWords.\n")
    return project, target, old


@pytest.mark.parametrize("step", list(STEPS))
def test_a_publish_killed_at_each_step_leaves_whole_releases(tmp_path, two_releases, step):
    project, template, old = two_releases
    target = tmp_path / "www"
    shutil.copytree(template, target, symlinks=True)
    tool, condition, before = STEPS[step]
    real = shutil.which(tool)
    tools = tmp_path / "bin"
    tools.mkdir()
    stopper = tools / tool
    stopper.write_text(
        STOPPER.format(condition=condition, before=before.format(real=real), real=real)
    )
    stopper.chmod(0o755)
    reached = tmp_path / "reached"
    env = {"PATH": f"{tools}:{os.environ['PATH']}", "REACHED": str(reached)}
    running = start(project, "publish", "--target", str(target), "--keep", "2", env=env)
    try:
        wait_for(reached.exists, timeout=240)
    finally:
        os.killpg(running.pid, signal.SIGKILL)
        running.wait()
    releases = complete(target)
    assert live_release(target) in releases
    after_kill = {r: files(target / "releases" / r) for r in releases}
    if step in ("copying", "completing"):
        assert files(target / "current") == old
    rolled = invoke(project, "rollback", "--target", str(target), check=False)
    if rolled.returncode == 0:
        assert live_release(target) in complete(target)
        assert files(target / "current") == old
    else:
        assert "no release before" in rolled.stderr
    invoke(project, "publish", "--target", str(target), "--keep", "2")
    assert not list((target / "releases").glob("*.partial"))
    assert not any((target / "trash").iterdir())
    assert len(complete(target)) == 2
    new = files(target / "current")
    assert "2026/12/a-new-post/index.html" in new - old
    for release, found in after_kill.items():  # each one a rollback could have gone to: whole
        # (with the search files of the releases before it carried in)
        if found >= old and found - old <= carried(found):
            continue
        assert found - carried(found) == new - carried(new), (step, release)


def test_a_release_half_deleted_is_never_rolled_back_to(tmp_path):
    project = copy_project(tmp_path / "project")
    target = tmp_path / "www"
    for _ in range(2):
        invoke(project, "publish", "--target", str(target))
    older, newer = complete(target)
    # A prune killed half-way: the release had been moved out of releases/ first.
    (target / "trash").mkdir(exist_ok=True)
    os.rename(target / "releases" / older, target / "trash" / older)
    (target / "trash" / older / "index.html").unlink()
    refused = invoke(project, "rollback", "--target", str(target), check=False)
    assert refused.returncode == 1 and "no release before" in refused.stderr
    assert live_release(target) == newer
    invoke(project, "publish", "--target", str(target))
    assert not any((target / "trash").iterdir())


def test_a_failed_copy_cleans_up_after_itself(tmp_path):
    project = copy_project(tmp_path / "project")
    target = tmp_path / "www"
    invoke(project, "publish", "--target", str(target))
    before = live_release(target)
    tools = tmp_path / "bin"
    tools.mkdir()
    fake = tools / "rsync"  # copies part of the site, then fails as a full disk would
    real = subprocess.run(["which", "rsync"], capture_output=True, text=True).stdout.strip()
    fake.write_text(f'#!/bin/sh\n{real} --max-size=2k "$@"\necho "No space left" >&2\nexit 11\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    (project / "content" / "2017-06-22-the-cupboard-is-bare.md").write_text(
        (project / "content" / "2017-06-22-the-cupboard-is-bare.md").read_text() + "\nMore.\n"
    )
    failed = invoke(
        project,
        "publish",
        "--target",
        str(target),
        env={"PATH": f"{tools}:{os.environ['PATH']}"},
        check=False,
    )
    assert failed.returncode == 1 and "copying to" in failed.stderr
    assert "No space left" in failed.stderr and "the live site is unchanged" in failed.stderr
    assert live_release(target) == before
    assert not list((target / "releases").glob("*.partial"))


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["rollback", "--target", "git:--upload-pack=touch {pwned};#/tmp/x"], "starts with '-'"),
        (["publish", "--target", "-oProxyCommand=touch {pwned}:/srv"], "starts with '-'"),
        (["publish", "--target", "me@-oProxyCommand=touch {pwned}:/srv"], "is neither"),
        (["publish", "--target", "me@-oProxyCommand=x:/srv"], "the host '-oProxyCommand=x'"),
        (["publish", "--target", "git:ext::sh -c touch% {pwned}"], "transport runs commands"),
        (["publish", "--target", "{www}", "--keep", "abc"], "--keep must be a whole number"),
        (["publish", "--target", "{www}", "--port", "x"], "--port must be a number"),
    ],
)
def test_targets_and_options_are_checked_before_anything_runs(tmp_path, arguments, message):
    project = copy_project(tmp_path / "project")
    pwned, www = tmp_path / "pwned", tmp_path / "www"
    given = [a.format(pwned=pwned, www=www) for a in arguments]
    result = invoke(project, *given, check=False)
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not pwned.exists() and not www.exists()


def test_a_mistyped_folder_is_refused_unless_asked_to_create_it(tmp_path):
    project = copy_project(tmp_path / "project")
    target = tmp_path / "srv" / "www" / "blog"
    refused = invoke(project, "publish", "--target", str(target), check=False)
    assert refused.returncode == 1
    assert "the folder that should hold it does not exist" in refused.stderr
    assert "Building" not in refused.stdout  # said before the build
    assert not (tmp_path / "srv").exists()
    made = invoke(project, "publish", "--target", str(target), "--create")
    assert "live: " in made.stdout and (target / "current" / "index.html").is_file()


def test_a_missing_rsync_is_named_with_the_package(tmp_path):
    project = copy_project(tmp_path / "project")
    empty = tmp_path / "bin"
    empty.mkdir()
    result = invoke(
        project, "publish", "--target", str(tmp_path / "www"), env={"PATH": str(empty)},
        check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert "not installed: rsync (Debian: sudo apt-get install rsync" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "www").exists()
