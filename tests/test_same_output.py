"""The site is the same whichever checkout, folder or run built it (tests/same_output.py)."""

from __future__ import annotations

import subprocess

import pytest
import same_output
from same_output import ROOT, differences


def _clean() -> bool:
    try:
        status = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return False
    return status == ""


@pytest.mark.skipif(not _clean(), reason="the working tree has changes: compare by hand")
def test_a_checkout_elsewhere_builds_the_same_bytes(tmp_path):
    count, renamed, found = same_output.compare("HEAD", tmp_path)
    assert count > 50 and renamed == {} and found == []


def _site(root, files: dict[str, bytes]):
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    return root


def test_a_renamed_chart_with_the_same_bytes_is_the_same(tmp_path):
    svg = b"<svg>1</svg>"
    before = _site(tmp_path / "a", {
        "charts/aaaaaaaa11112222.svg": svg,
        "post.html": b'<figure id="chart-aaaaaaaa"><img src="/charts/aaaaaaaa11112222.svg">',
    })  # fmt: skip
    after = _site(tmp_path / "b", {
        "charts/bbbbbbbb33334444.svg": svg,
        "post.html": b'<figure id="chart-bbbbbbbb"><img src="/charts/bbbbbbbb33334444.svg">',
    })  # fmt: skip
    assert differences(before, after) == ({"aaaaaaaa11112222.svg": "bbbbbbbb33334444.svg"}, [])


def test_every_kind_of_difference_is_listed(tmp_path):
    before = _site(tmp_path / "a", {
        "charts/aaaaaaaa.svg": b"<svg>1</svg>", "gone.html": b"x", "same.html": b"s",
        "post.html": b"<p>one</p>",
    })  # fmt: skip
    after = _site(tmp_path / "b", {
        "charts/bbbbbbbb.svg": b"<svg>2</svg>", "added.html": b"y", "same.html": b"s",
        "post.html": b"<p>two</p>",
    })  # fmt: skip
    renamed, found = differences(before, after)
    assert renamed == {}
    assert found == [
        "new      added.html",
        "missing  charts/aaaaaaaa.svg",
        "new      charts/bbbbbbbb.svg",
        "missing  gone.html",
        "changed  post.html",
    ]


def test_names_sharing_an_anchor_are_each_put_back_whole(tmp_path):
    """A chart's wide and narrow drawings share their first 8 characters, and a card
    named after the chart is renamed with it: the page that links all three is the same."""

    def site(folder: str, chart: str, card: str):
        page = (f'<meta content="/cards/{card}.png"><source srcset="/charts/{chart}-narrow.svg">'
                f'<img src="/charts/{chart}.svg">')  # fmt: skip
        return _site(tmp_path / folder, {
            f"charts/{chart}-narrow.svg": b"<svg>n</svg>", f"charts/{chart}.svg": b"<svg>w</svg>",
            f"cards/{card}.png": b"PNG", "post.html": page.encode(),
        })  # fmt: skip

    before, after = site("a", "aaaaaaaa1111", "cccc0000"), site("b", "bbbbbbbb2222", "dddd9999")
    renamed, found = differences(before, after)
    assert found == []
    assert renamed == {
        "aaaaaaaa1111-narrow.svg": "bbbbbbbb2222-narrow.svg",
        "aaaaaaaa1111.svg": "bbbbbbbb2222.svg",
        "cccc0000.png": "dddd9999.png",
    }
