"""Deployment planning, without deploying: targets, release names, pruning, rsync's reports."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from blogtools.deploy import releases as deploy
from blogtools.deploy import targets


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/srv/www/blog", targets.PathTarget("/srv/www/blog")),
        ("./site", targets.PathTarget("./site")),
        ("~/www", targets.PathTarget("~/www")),
        (
            "deploy@example.org:/srv/www/blog",
            targets.SshTarget("deploy@example.org", "/srv/www/blog"),
        ),
        ("example.org:www/blog", targets.SshTarget("example.org", "www/blog")),
        ("git:origin", targets.GitTarget("origin", "gh-pages")),
        (
            "git:git@github.com:me/blog.git#main",
            targets.GitTarget("git@github.com:me/blog.git", "main"),
        ),
        ("git:/tmp/site.git#pages", targets.GitTarget("/tmp/site.git", "pages")),
    ],
)
def test_targets(text, expected):
    assert targets.parse_target(text) == expected


def test_ssh_options_and_errors():
    target = targets.parse_target("me@host:/srv", port=2222, identity="/k", ssh_options=["-q"])
    assert target.ssh_command() == [
        "ssh",
        "-o",
        "BatchMode=yes",
        "-p",
        "2222",
        "-i",
        "/k",
        "-o",
        "IdentitiesOnly=yes",
        "-q",
    ]
    assert target.remote('ls "$1"', "a b")[-3:] == ["--", "me@host", "sh -c 'ls \"$1\"' sh 'a b'"]
    with pytest.raises(targets.TargetError, match="PUBLISH_TARGET"):
        targets.parse_target("  ")
    with pytest.raises(targets.TargetError, match="git:REMOTE"):
        targets.parse_target("git:")


def test_release_names_sort_by_time_and_name_the_commit():
    early = deploy.release_name(dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC), "ABC1234")
    late = deploy.release_name(dt.datetime(2026, 11, 26, 10, 0, 0, tzinfo=dt.UTC), "def5678")
    assert re.fullmatch(r"20260102T030405\.000000Z-abc1234-[0-9a-f]{4}", early)
    assert sorted([late, early]) == [early, late]
    now = dt.datetime.now(dt.UTC)
    assert len({deploy.release_name(now, "abc") for _ in range(50)}) > 40  # unique, near enough
    assert deploy.RELEASE.match(deploy.release_name(dt.datetime.now(dt.UTC), ""))


def test_pruning_keeps_the_newest_and_never_the_live_one():
    names = [f"2026010{d}T000000Z-aaa" for d in range(1, 8)]
    assert deploy.to_prune(names, 5, protected=[names[-1]]) == names[:2]
    assert deploy.to_prune(names, 5, protected=[names[0]]) == [names[1]]
    assert deploy.to_prune(names[:3], 5, protected=[]) == []
    assert deploy.releases_in([*names, "x.partial", "junk"]) == names
    assert deploy.partials_in(["a", "20260101T000000Z-a.partial"]) == ["20260101T000000Z-a.partial"]


def test_rollback_goes_to_the_release_before_the_live_one():
    names = ["20260101T000000Z-a", "20260102T000000Z-b", "20260103T000000Z-c"]
    assert deploy.previous_release(names, names[2]) == names[1]
    assert deploy.previous_release(names, names[1]) == names[0]
    assert deploy.previous_release(names, names[0]) is None


def test_rsync_reports():
    itemized = (
        "*deleting   2017/06/old-post/index.html\n*deleting   2017/06/old-post/\n"
        ">f+++++++++ 2017/06/new-post/index.html\n>fcs.t..... index.html\n"
        "cd+++++++++ 2017/06/new-post/\n.d..t...... theme/\n"
    )
    changes = deploy.parse_itemized(itemized)
    assert changes.added == ["2017/06/new-post/index.html"]
    assert changes.changed == ["index.html"]
    assert changes.removed == ["2017/06/old-post/index.html"]
    assert changes.summary() == "1 added, 1 changed, 1 removed"
    stats = "Number of regular files transferred: 12\nTotal transferred file size: 1,234 bytes\n"
    transfer = deploy.parse_stats(stats)
    assert (transfer.files, transfer.bytes) == (12, 1234)
    assert deploy.human_bytes(1234) == "1.2 KB"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("git:--upload-pack=touch /tmp/pwned;#/tmp/x", "starts with '-'"),
        ("git:ext::sh -c touch% /tmp/pwned", "transport runs commands"),
        ("git:origin#--force", "is not a branch name"),
        ("git:origin#a..b", "is not a branch name"),
        ("-oProxyCommand=touch /tmp/pwned:/srv", "starts with '-'"),
        ("-host:/srv", "starts with '-'"),
        ("deploy@-oProxyCommand=x:/srv", "the host '-oProxyCommand=x' starts with '-'"),
        ("-e/tmp/x", "starts with '-'"),
        ("host:/srv\nrm -rf /", "one line"),
        ("de ploy@host:/srv", "is neither [user@]host:/path"),
    ],
)
def test_targets_that_would_become_options_are_refused(text, message):
    with pytest.raises(targets.TargetError, match=re.escape(message)):
        targets.parse_target(text.replace("\\n", "\n"))
