"""invoke publish and rollback against real targets: a folder, an SSH server, a git repository."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from project import copy_project, invoke, snapshot
from servers import ssh_server

CUPBOARD = "2017-06-22-the-cupboard-is-bare.md"
NAME = "2017-06-14-whats-in-a-name.md"


@pytest.fixture
def project(tmp_path):
    """A copy of the project to publish from, so that tests may edit and delete posts."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="module")
def sshd(tmp_path_factory):
    with ssh_server(tmp_path_factory.mktemp("sshd")) as server:
        yield server


def live(target: Path) -> Path:
    return target / "current"


def complete_releases(target: Path) -> list[str]:
    from blogtools.deploy.releases import releases_in

    return releases_in([p.name for p in (target / "releases").iterdir()])


def edit_and_delete(project):
    cupboard = project / "content" / CUPBOARD
    cupboard.write_text(cupboard.read_text().replace("We live in hope!", "We live in hope! Still."))
    (project / "content" / NAME).unlink()


def test_ssh_publish_again_after_edits_then_roll_back(project, sshd, tmp_path):
    target = tmp_path / "www"
    env = {"PUBLISH_SSH_OPTIONS": sshd.options}
    where = [
        "--target",
        sshd.target(target),
        "--port",
        str(sshd.port),
        "--identity",
        str(sshd.identity),
    ]
    first = invoke(project, "publish", *where, env=env)
    assert "no problems" in first.stdout and "live: " in first.stdout
    first_release = os.readlink(live(target))
    assert (live(target) / "2017/06/whats-in-a-name/index.html").is_file()
    assert (live(target) / "index.html").read_text().count("<article") >= 5
    assert (live(target) / "charts").is_dir() and (live(target) / "feeds/all.atom.xml").is_file()

    time.sleep(1.1)  # release names are by the second
    edit_and_delete(project)
    second = invoke(project, "publish", *where, env=env)
    assert "sent " in second.stdout
    second_release = os.readlink(live(target))
    assert second_release != first_release
    assert not (live(target) / "2017/06/whats-in-a-name").exists()  # deleted post is gone
    assert "Still." in (live(target) / "2017/06/the-cupboard-is-bare/index.html").read_text()
    css = "theme/css/site.css"  # unchanged: hard-linked to the previous release, not sent again
    assert (target / first_release / css).stat().st_ino == (live(target) / css).stat().st_ino

    back = invoke(project, "rollback", *where, env=env)
    assert first_release.split("/")[-1] in back.stdout
    assert os.readlink(live(target)) == first_release
    assert (live(target) / "2017/06/whats-in-a-name/index.html").is_file()
    assert "Still." not in (live(target) / "2017/06/the-cupboard-is-bare/index.html").read_text()


def test_only_the_last_releases_are_kept(project, tmp_path):
    target = tmp_path / "www"
    for _ in range(3):
        invoke(project, "publish", "--target", str(target), "--keep", "2")
        time.sleep(1.1)
    releases = complete_releases(target)
    assert len(releases) == 2
    assert os.readlink(live(target)) == f"releases/{releases[-1]}"


def test_an_interrupted_publish_leaves_the_previous_release_live(project, tmp_path):
    target = tmp_path / "www"
    invoke(project, "publish", "--target", str(target))
    before = snapshot(live(target))
    release = os.readlink(live(target))
    images = project / "content" / "images"
    images.mkdir(exist_ok=True)
    for n in range(8):  # enough to take a while at the limited bandwidth below
        (images / f"scan-{n}.bin").write_bytes(os.urandom(64 * 1024))
    time.sleep(1.1)
    process = subprocess.Popen(
        [sys.executable, "-m", "invoke", "publish", "--target", str(target)],
        cwd=project,
        env={**os.environ, "PUBLISH_RSYNC_OPTIONS": "--bwlimit=64"},
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    partial = None
    while time.monotonic() < deadline and partial is None:
        partial = next(
            (p for p in (target / "releases").glob("*.partial") if any(p.rglob("*.bin"))), None
        )
        time.sleep(0.05)
    assert partial is not None, "the transfer never started"
    os.killpg(process.pid, signal.SIGKILL)  # the publish dies part-way through the copy
    process.wait()
    assert os.readlink(live(target)) == release
    assert snapshot(live(target)) == before  # the old site, whole

    finished = invoke(project, "publish", "--target", str(target))
    assert "half-copied" in finished.stdout
    assert not list((target / "releases").glob("*.partial"))
    assert (live(target) / "images" / "scan-7.bin").is_file()


def test_a_build_failure_or_a_check_failure_changes_nothing(project, tmp_path):
    target = tmp_path / "www"
    invoke(project, "publish", "--target", str(target))
    before = snapshot(target)
    post = project / "content" / CUPBOARD
    good = post.read_text()

    post.write_text(good.replace("Date: 2017-06-22 12:00", "Date: 2017-22-06"))
    failed = invoke(project, "publish", "--target", str(target), check=False)
    assert failed.returncode == 1
    assert "the build failed, nothing was published" in failed.stderr
    assert CUPBOARD in failed.stderr
    assert snapshot(target) == before

    post.write_text(good.replace("We live in hope!", "We live in [hope](/no/such/page/)!"))
    failed = invoke(project, "publish", "--target", str(target), check=False)
    assert failed.returncode == 1
    assert "problem(s), nothing was published" in failed.stderr
    assert "broken link to /no/such/page/" in failed.stderr
    assert snapshot(target) == before


def test_dry_run_lists_the_differences_and_changes_nothing(project, tmp_path):
    target = tmp_path / "www"
    invoke(project, "publish", "--target", str(target))
    before = snapshot(target)
    edit_and_delete(project)
    dry = invoke(project, "publish", "--target", str(target), "--dry-run")
    assert snapshot(target) == before
    assert "nothing was changed" in dry.stdout
    assert "~ 2017/06/the-cupboard-is-bare/index.html" in dry.stdout
    assert "- 2017/06/whats-in-a-name/index.html" in dry.stdout
    fresh = invoke(project, "publish", "--target", str(tmp_path / "empty"), "--dry-run")
    assert "+ 2017/06/the-cupboard-is-bare/index.html" in fresh.stdout
    assert not (tmp_path / "empty").exists()


def git(bare: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "--git-dir", str(bare), *args], capture_output=True, text=True, check=True
    ).stdout


def branch_files(bare: Path) -> list[str]:
    """The files the gh-pages branch of a bare repository holds."""
    return git(bare, "ls-tree", "-r", "--name-only", "gh-pages").split()


def test_git_target_commits_the_site_to_a_branch(project, tmp_path):
    bare = tmp_path / "site.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    invoke(project, "publish", "--target", f"git:{bare}")
    files = branch_files(bare)
    assert ".nojekyll" in files and "index.html" in files
    assert "2017/06/whats-in-a-name/index.html" in files

    edit_and_delete(project)
    dry = invoke(project, "publish", "--target", f"git:{bare}#gh-pages", "--dry-run")
    assert "- 2017/06/whats-in-a-name/index.html" in dry.stdout
    invoke(project, "publish", "--target", f"git:{bare}#gh-pages")
    log = git(bare, "log", "--format=%s", "gh-pages").splitlines()
    assert len(log) == 2 and all(line.startswith("Publish ") for line in log)
    files = branch_files(bare)
    assert "2017/06/whats-in-a-name/index.html" not in files

    invoke(project, "rollback", "--target", f"git:{bare}")
    files = branch_files(bare)
    assert "2017/06/whats-in-a-name/index.html" in files


def test_help_and_missing_target(project):
    for task in ("publish", "rollback"):
        text = invoke(project, "--help", task).stdout
        for form in (
            "/a/folder",
            "[user@]host:/path",
            "git:REMOTE[#BRANCH]",
            "--port",
            "--identity",
            "PUBLISH_TARGET",
        ):
            assert form in text, (task, form)
    missing = invoke(project, "publish", env={"PUBLISH_TARGET": ""}, check=False)
    assert missing.returncode == 2 and "no publish target" in missing.stderr
