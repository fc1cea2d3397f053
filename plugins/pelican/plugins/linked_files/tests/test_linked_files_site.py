"""Links to the content folder's files: each missing one named by its line, images sized."""

from __future__ import annotations

import base64

from blogsupport.testing import build_site

# A 2×1 PNG, written here so that the test needs nothing to draw it.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAADklEQVR4nGP4z8DwnwEACfYD/aCKzGcAAAAASUVORK5CYII="
)


def _post(body: str) -> str:
    return f"Title: A post\nDate: 2017-06-22 10:00\n\n{body}\n"


def test_an_image_of_the_content_folder_gets_its_size(tmp_path):
    files = {"post.md": _post("![A chart]({static}/images/chart.png)"), "images/chart.png": PNG}
    site = build_site(tmp_path, "linked_files", files)
    assert site.returncode == 0, site.log
    page = site.read("a-post.html")
    assert 'width="2"' in page and 'height="1"' in page and 'loading="lazy"' in page


def test_a_link_to_a_missing_file_is_named_by_its_line(tmp_path):
    files = {"post.md": _post("Text.\n\n![Gone]({static}/images/gone.png)")}
    site = build_site(tmp_path, "linked_files", files)
    assert site.returncode != 0
    log = " ".join(site.log.split())
    assert "post.md:6: links to {static}/images/gone.png, but there is no file" in log
    assert "Unable to find" not in log  # Pelican's own message, which names no post, left out


def test_a_relative_address_of_a_content_file_is_named(tmp_path):
    files = {"post.md": _post("![A chart](images/chart.png)"), "images/chart.png": PNG}
    site = build_site(tmp_path, "linked_files", files)
    assert site.returncode != 0
    assert "post.md:4: links to 'images/chart.png', an address relative to the page's" in (
        " ".join(site.log.split())
    )
