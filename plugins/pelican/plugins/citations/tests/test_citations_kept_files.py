"""A post's citation files: kept once in the cache by their bytes, linked into the site."""

from __future__ import annotations

import os

from pelican.plugins.citations.page import KeptFiles


def test_a_file_is_kept_once_and_linked_and_a_change_gets_a_file_of_its_own(tmp_path):
    kept = KeptFiles(tmp_path / "cache")
    one, two = tmp_path / "site" / "a" / "cite.bib", tmp_path / "site" / "b" / "cite.bib"
    kept.place(b"@book{a}", one)
    kept.place(b"@book{a}", two)
    assert one.read_bytes() == two.read_bytes() == b"@book{a}"
    assert os.path.samefile(one, two) and len(list(kept.folder.iterdir())) == 1
    inode = one.stat().st_ino
    kept.place(b"@book{a}", one)
    assert one.stat().st_ino == inode  # as it was: left alone
    kept.place(b"@book{b}", one)
    assert one.read_bytes() == b"@book{b}" and two.read_bytes() == b"@book{a}"


def test_what_a_build_did_not_use_is_pruned_and_the_site_keeps_its_files(tmp_path):
    first = KeptFiles(tmp_path / "cache")
    first.place(b"old", tmp_path / "site" / "cite.ris")
    second = KeptFiles(tmp_path / "cache")
    second.place(b"new", tmp_path / "other" / "cite.ris")
    second.prune()
    assert [p.read_bytes() for p in second.folder.iterdir()] == [b"new"]
    assert (tmp_path / "site" / "cite.ris").read_bytes() == b"old"  # a link outlives its name


def test_where_links_cannot_go_the_file_is_written(tmp_path, monkeypatch):
    def refused(*_):
        raise OSError("cross-device link")

    monkeypatch.setattr(os, "link", refused)
    kept = KeptFiles(tmp_path / "cache")
    target = tmp_path / "site" / "cite.json"
    kept.place(b"[]", target)
    assert target.read_bytes() == b"[]" and not os.path.samefile(target, next(
        kept.folder.iterdir()))  # fmt: skip
