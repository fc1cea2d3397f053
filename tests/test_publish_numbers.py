"""A chart's numbers changed since the last publish: invoke publish names the post and
refuses until the post says so, or the publisher accepts it."""

from __future__ import annotations

import datetime as dt
import json

from project import copy_project, invoke, snapshot

from blogtools.numbers import changed

METHODOLOGY = "2017-06-07-ofsteds-methodology-how-good-is-it.md"
URL = "2017/06/ofsteds-methodology-how-good-is-it/"


def test_changed_figures_are_named_by_number_and_anchor():
    before = {"a/": {"chart-x": [1, "aaa"], "chart-y": [2, "bbb"]}, "b/": {"chart-z": [1, "c"]}}
    after = {"a/": {"chart-x": [1, "aaa"], "chart-y": [2, "BBB"]}, "b/": {"chart-z": [1, "c"]},
             "c/": {"chart-new": [1, "d"]}}  # fmt: skip
    assert changed(before, after) == {"a/": ["Figure 2 (#chart-y)"]}


def test_a_changed_number_is_not_published_unannounced(tmp_path):
    project = copy_project(tmp_path / "project")
    target = tmp_path / "www"
    invoke(project, "publish", "--target", str(target))
    kept = json.loads((project / "published-numbers.json").read_text("utf-8"))
    assert len(kept["charts"][URL]) == 3

    post = project / "content" / METHODOLOGY
    text = post.read_text("utf-8")
    post.write_text(text.replace("sample = 25", "sample = 30", 1), encoding="utf-8")
    before = snapshot(target)
    refused = invoke(project, "publish", "--target", str(target), check=False)
    assert refused.returncode == 1
    assert "the numbers of a chart changed since the publish of" in refused.stderr
    assert f"{URL}: Figure 1 (#chart-what-25-case-files-can-show)" in refused.stderr
    assert snapshot(target) == before  # nothing was published

    today = dt.datetime.now(dt.UTC).date().isoformat()
    post.write_text(post.read_text("utf-8").replace(
        "Category:", f"Update: {today} Figure 1 now shows a sample of 30.\nCategory:", 1),
        encoding="utf-8")  # fmt: skip
    invoke(project, "publish", "--target", str(target))
    assert (target / "current" / URL / "index.html").read_text("utf-8").count('class="notice"') == 1

    post.write_text(text.replace("sample = 25", "sample = 35", 1), encoding="utf-8")  # no notice
    accepted = invoke(project, "publish", "--target", str(target), "--accept-changed-numbers")
    assert "Numbers changed since the publish of" in accepted.stdout and "accepted" in (
        accepted.stdout
    )
