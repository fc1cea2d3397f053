"""The live preview's builder writes, after a save, the site a whole build would write.

After a body edit it renders only the pages that show the post and leaves every other
file as it is, paginated listings included: the test is that nothing it leaves is
stale, by comparing its output, file by file, with a fresh whole build of the same
posts.
"""

from __future__ import annotations

import filecmp
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from fixture_sites import write_posts
from sitebuild import ROOT, SEED


class BuilderProcess:
    def __init__(self, content: Path, work: Path) -> None:
        overrides = {
            "PATH": str(content),
            "OUTPUT_PATH": str(work / "output"),
            "CACHE_PATH": str(work / "cache"),
            "PLUGIN_CACHE_PATH": str(work / "cache"),
        }
        self.output = work / "output"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "blogtools.preview.builder", str(ROOT / "pelicanconf.py"),
             "--override", json.dumps(overrides)],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True,
        )  # fmt: skip

    def build(self, changed: list[str], full: bool = False) -> dict:
        self.process.stdin.write(
            json.dumps({"cmd": "build", "changed": changed, "full": full}) + "\n"
        )
        self.process.stdin.flush()
        result = json.loads(self.process.stdout.readline())
        assert result["ok"], result["problems"]
        return result

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=60)


def files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_after_body_edits_every_file_is_as_a_whole_build_writes_it(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SEED, content)
    posts = write_posts(content, 45)
    kept = BuilderProcess(content, tmp_path / "kept")
    try:
        kept.build([], full=True)
        seed_post = content / "2017-06-07-ofsteds-methodology-how-good-is-it.md"
        edits = (
            (posts[20], "A sentence added"),
            (posts[3], "Another, later"),
            (seed_post, "As Deming argued [@deming1986, p. 12]"),  # a work cited nowhere else
        )
        for post, words in edits:
            time.sleep(0.01)  # a new modification time
            post.write_text(post.read_text(encoding="utf-8") + f"\n{words}.\n", encoding="utf-8")
            result = kept.build([post.name])
            assert not result["full"], "a body edit renders only what shows the post"
            assert 0 < result["pages"] < 40
        # Files that come and go: the builder walks the folder again (it keeps the list of
        # files between saves), and a body edit after them is partial again.
        added = content / "2019-03-03-added.md"
        added.write_text("Title: Added later\nDate: 2019-03-03 10:00\nTags: alpha\n\nNew.\n")
        assert kept.build([added.name])["full"], "a new post is on every listing"
        renamed = posts[7].with_name("2018-01-22-renamed.md")
        posts[7].rename(renamed)
        assert kept.build([posts[7].name, renamed.name])["full"]
        posts[9].unlink()
        assert kept.build([posts[9].name])["full"]
        (content / "images").mkdir(exist_ok=True)
        (content / "images" / "new.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
        assert not kept.build(["images/new.svg"])["full"], "a new image changes no listing"
        time.sleep(0.01)
        posts[4].write_text(
            posts[4].read_text(encoding="utf-8") + "\n![A new image]({static}/images/new.svg)\n",
            encoding="utf-8",
        )
        assert not kept.build([posts[4].name])["full"]
    finally:
        kept.close()
    whole = BuilderProcess(content, tmp_path / "whole")
    try:
        whole.build([], full=True)
    finally:
        whole.close()
    written = files(whole.output)
    left = sorted(set(files(kept.output)) - set(written))
    assert all(
        name.startswith(("2018/01/post-7/cite.", "2018/01/post-9/cite.", "cards/")) for name in left
    ), f"no page of a deleted post is left, only its downloads and card: {left}"
    assert set(written) <= set(files(kept.output))
    assert len([name for name in written if "/page/" in name]) > 5, "listings of many pages"
    listed = [
        n for n in written if "/page/" in n and "A sentence added" in (whole.output / n).read_text()
    ]
    assert listed, "a later page of a listing shows the edit"
    assert "Deming" in (whole.output / "references" / "index.html").read_text()
    _, differ, errors = filecmp.cmpfiles(kept.output, whole.output, written, shallow=False)
    assert (differ, errors) == ([], [])
