"""The author's own content/, built as a publish builds it, held only to what must be true of
any content: it builds strictly, every link and asset resolves, every feed and XML file
parses, every post is listed. Every other test builds fixture sites of its own (tests/sites/),
so that the author adding, editing or deleting posts never breaks the suite."""

from __future__ import annotations

from pathlib import Path

import feedparser
import lxml.etree
import lxml.html
from sitebuild import ROOT, TEST_SITEURL, pelican

from blogtools.qa.sitecheck import check_site

CONTENT = ROOT / "content"


def test_the_author_s_content_builds_strictly_and_every_link_holds(tmp_path):
    build = pelican(tmp_path / "site", content=CONTENT)
    assert build.returncode == 0, build.log
    assert [str(p) for p in check_site(build.output, TEST_SITEURL)] == []
    for xml in build.output.rglob("*.xml"):
        lxml.etree.parse(str(xml))  # well-formed, or this raises naming the file
    for feed in (build.output / "feeds").rglob("*.xml"):
        parsed = feedparser.parse(feed.read_bytes())
        assert not parsed.bozo, (feed, parsed.bozo_exception)
    posts = [p for p in CONTENT.glob("*.md") if "status: draft" not in _head(p)]
    archive = lxml.html.parse(str(build.output / "archives" / "index.html")).getroot()
    listed = archive.cssselect("main a[href]")
    assert len(listed) >= len(posts)  # each published post is in the archives


def _head(post: Path) -> str:
    """A post's metadata block, lower-cased."""
    return post.read_text(encoding="utf-8", errors="replace").split("\n\n", 1)[0].lower()
