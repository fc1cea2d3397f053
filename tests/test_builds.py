"""Builds other than the published one: preview settings, pagination, bad input."""

from __future__ import annotations

from bs4 import BeautifulSoup
from sitebuild import copy_content, pelican, strict_and_preview

DRAFT = """Title: Work in progress
Date: 2017-06-25 09:00
Category: Inspection
Summary: Not ready yet.
Status: draft

Half a thought.
"""


def test_preview_build_shows_drafts_and_publish_hides_them(tmp_path):
    content = copy_content(tmp_path)
    (content / "2017-06-25-work-in-progress.md").write_text(DRAFT, encoding="utf-8")

    preview = pelican(tmp_path / "preview", settings="pelicanconf.py", content=content)
    assert preview.returncode == 0, preview.log
    home = BeautifulSoup(preview.read("index.html"), "lxml")
    draft_link = home.select_one(".drafts a")
    assert draft_link.get_text() == "Work in progress"
    assert (preview.output / "drafts/work-in-progress/index.html").is_file()
    assert 'href="./2017/06/' in preview.read("index.html")  # relative URLs

    public = pelican(tmp_path / "public", content=content)
    assert public.returncode == 0, public.log
    assert not (public.output / "drafts").exists()
    assert "Work in progress" not in public.read("index.html")


def test_pagination(tmp_path):
    build = pelican(tmp_path / "out", DEFAULT_PAGINATION=2)
    assert build.returncode == 0, build.log
    first = BeautifulSoup(build.read("index.html"), "lxml")
    assert len(first.select("main .post-summary")) == 2
    assert first.select_one(".pagination a[rel=next]")["href"].endswith("/page/2/")
    third = BeautifulSoup(build.read("page/3/index.html"), "lxml")
    assert len(third.select("main .post-summary")) == 1
    assert third.select_one(".pagination a[rel=prev]")["href"].endswith("/page/2/")
    assert "Page 3 of 3" in third.select_one(".pagination").get_text()


def test_strict_build_fails_on_a_bad_date_and_names_the_file(tmp_path):
    content = copy_content(tmp_path)
    post = content / "2017-06-22-the-cupboard-is-bare.md"
    post.write_text(
        post.read_text(encoding="utf-8").replace("Date: 2017-06-22 12:00", "Date: 2017-22-06"),
        encoding="utf-8",
    )
    strict, preview = strict_and_preview(tmp_path, content)
    assert strict.returncode != 0
    assert "2017-06-22-the-cupboard-is-bare.md" in strict.log
    # The preview keeps going with the other posts.
    assert preview.returncode == 0, preview.log
    assert (preview.output / "2017/06/gloucestershire-blaming-the-blamers/index.html").is_file()
