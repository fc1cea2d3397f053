"""Files under content/extra/ are published at the site's root, at the same relative path."""

from __future__ import annotations

from blogsupport.testing import build_site

POST = "Title: A post\nDate: 2017-06-22 10:00\n\nText.\n"


def test_every_file_of_the_folder_goes_to_the_root(tmp_path):
    files = {"post.md": POST, "extra/CNAME": "blog.example.org\n",
             "extra/.well-known/security.txt": "Contact: mailto:a@example.org\n"}  # fmt: skip
    site = build_site(tmp_path, "root_files", files)
    assert site.returncode == 0, site.log
    assert site.read("CNAME") == "blog.example.org\n"
    assert site.read(".well-known/security.txt").startswith("Contact:")
    assert not (site.output / "extra").exists()


def test_a_place_the_author_chose_is_kept(tmp_path):
    files = {"post.md": POST, "extra/robots.txt": "User-agent: *\n"}
    chosen = {"extra/robots.txt": {"path": "files/robots.txt"}}
    site = build_site(tmp_path, "root_files", files, EXTRA_PATH_METADATA=chosen)
    assert site.returncode == 0, site.log
    assert site.read("files/robots.txt") == "User-agent: *\n"
    assert not (site.output / "robots.txt").exists()
