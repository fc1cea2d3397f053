"""Listings that know their members: this site the same with and without them (the
plugin's own tests, in its folder, compare with Pelican's own answers)."""

from __future__ import annotations

import shutil

from fixture_sites import write_posts
from sitebuild import GUARDS, SEED, pelican, plugin, project_plugins

from blogsupport.testing import differing


def test_the_site_is_the_same_with_and_without(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SEED, content)
    write_posts(content, 30)  # tags shared by many posts, several pages of each
    quick = pelican(tmp_path / "quick" / "output", content=content)
    without = [p for p in project_plugins() if p != plugin("quick_listings")]
    plain = pelican(tmp_path / "plain" / "output", content=content, PLUGINS=[*without, *GUARDS])
    assert quick.returncode == 0 and plain.returncode == 0, quick.log + plain.log
    assert plugin("quick_listings") in project_plugins()
    assert list((quick.output / "tag").glob("*/index.html")), "tag pages, compared below"
    assert differing(quick.output, plain.output) == []
