"""No lost work: nothing the tools do writes into content/, except newpost."""

from __future__ import annotations

from project import copy_project, invoke, snapshot


def test_the_author_s_commands_leave_content_alone(tmp_path):
    project = copy_project(tmp_path / "project")
    before = snapshot(project / "content")
    invoke(project, "build")
    invoke(project, "check")
    invoke(project, "publish", "--target", str(tmp_path / "www"), "--dry-run")
    invoke(project, "publish", "--target", str(tmp_path / "www"))
    assert snapshot(project / "content") == before
    assert (project / "output" / "index.html").is_file()

    invoke(project, "clean")  # removes the built site and the caches, and nothing else
    assert not (project / "output").exists() and not (project / ".cache").exists()
    assert snapshot(project / "content") == before
    assert (tmp_path / "www" / "current").is_symlink()  # published releases are not its to clean

    created = invoke(project, "newpost", "A new thought").stdout.strip()
    after = snapshot(project / "content")
    assert set(after) - set(before) == {created.removeprefix("content/")}
