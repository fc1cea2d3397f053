"""``{static}`` in a ``srcset`` resolved as Pelican resolves ``src`` (blogsupport/srcset.py).

Pelican rewrites intrasite links in ``src`` and ``href`` only. These tests build a
site with a ``<picture>`` of the author's own in a post, in both settings: relative
addresses in the preview, absolute when published (in the page and in the feed). If
Pelican changes the method we wrap, they fail.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from fixture_sites import write_png
from pelican.contents import Content
from sitebuild import TEST_SITEURL, copy_content, pelican

PICTURE = (
    '<picture><source media="(max-width: 30rem)" srcset="{static}/images/narrow.png">'
    '<img src="{static}/images/wide.png" alt="A test picture" width="40" height="20"></picture>'
)
DENSITIES = (
    '<img src="{static}/images/wide.png" srcset="{static}/images/wide.png 1x, big.png 2x" '
    'alt="Two densities" width="40" height="20">'
)
PICTURE_POST = f"""Title: A picture for every width
Date: 2017-07-01 10:00
Category: Inspection

{PICTURE} A picture the author placed.

{DENSITIES}
"""
POST = "2017/07/a-picture-for-every-width/index.html"


def test_pelican_still_has_the_method_we_wrap():
    assert callable(Content._update_content) and callable(Content._link_replacer)


@pytest.mark.parametrize("settings", ["pelicanconf.py", "publishconf.py"])
def test_a_source_s_srcset_points_at_the_file_from_every_page(tmp_path, settings):
    content = copy_content(tmp_path)
    (content / "2017-07-01-a-picture-for-every-width.md").write_text(PICTURE_POST)
    write_png(content / "images" / "narrow.png", 20, 20)
    write_png(content / "images" / "wide.png", 40, 20)
    build = pelican(tmp_path / "site", settings=settings, content=content)
    assert build.returncode == 0, build.log
    source = BeautifulSoup(build.read(POST), "lxml").select_one("picture source")
    address = urljoin(f"{TEST_SITEURL}/{POST}", source["srcset"])
    assert (build.output / urlsplit(address).path.lstrip("/")).is_file(), address
    if settings == "publishconf.py":
        assert source["srcset"] == f"{TEST_SITEURL}/images/narrow.png"
        feed = BeautifulSoup(build.read("feeds/all.atom.xml"), "xml")
        entry = next(e for e in feed.find_all("entry") if "picture" in e.title.get_text())
        shown = BeautifulSoup(entry.content.get_text(), "lxml").select_one("picture source")
        assert shown["srcset"] == f"{TEST_SITEURL}/images/narrow.png"
    else:
        assert source["srcset"] == "../../../images/narrow.png"  # relative, as the preview's
    # A list of candidates is not ours to read: left as the author wrote it, and no warning.
    listed = BeautifulSoup(build.read(POST), "lxml").select_one("img[alt='Two densities']")
    assert listed["srcset"] == "{static}/images/wide.png 1x, big.png 2x"
