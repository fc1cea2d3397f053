"""A blog moved from Blogger: its old addresses lead to the new ones."""

from __future__ import annotations

import json

from blogsupport.testing import SITEURL, build_site
from pelican.plugins.blogger_archive import rules

POST = "Title: The cupboard is bare\nDate: 2017-06-22 10:00\nTags: Ofsted\n\nText.\n"
OLD = "/2017/06/the-cupboard-is-bare.html"


def _record(*entries: dict) -> str:
    return json.dumps({"entries": list(entries)})


def _entry(file: str = "cupboard.md", **more) -> dict:
    return {"kind": "post", "status": "published", "file": file, "old": OLD,
            "title": "The cupboard is bare", **more}  # fmt: skip


def test_each_rule_file_and_a_page_lead_from_the_old_address(tmp_path):
    files = {"cupboard.md": POST, "blogger/import.json": _record(_entry())}
    site = build_site(tmp_path, "blogger_archive", files)
    assert site.returncode == 0, site.log
    new = "/the-cupboard-is-bare.html"
    assert f"{OLD} {new} 301!" in site.read("_redirects")
    for rule_file in ("redirects.nginx.conf", ".htaccess"):
        rule = [line for line in site.read(rule_file).splitlines() if "2017" in line]
        assert rule and new in rule[0], (rule_file, rule)
    stub = site.read(rules.stub_file(OLD))
    assert f'rel="canonical" href="{SITEURL}{new}"' in stub


def test_an_old_address_whose_post_is_gone_fails_the_strict_build(tmp_path):
    files = {"cupboard.md": POST, "blogger/import.json": _record(_entry(file="gone.md"))}
    site = build_site(tmp_path, "blogger_archive", files)
    assert site.returncode != 0
    log = " ".join(site.log.split())
    assert OLD in log and "gone.md is not in the site" in log
