"""A Pagefind index of the posts, made as the site builds, made again only when they change."""

from __future__ import annotations

from blogsupport.testing import build_site

POST = "Title: {title}\nDate: 2017-06-22 10:00\n\nA sample of twenty-five cases.\n"


def _index(site) -> dict[str, int]:
    folder = site.output / "pagefind"
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*.pf_*")}


def test_the_index_is_made_kept_and_made_again(tmp_path):
    first = build_site(tmp_path, "search_index", {"post.md": POST.format(title="A post")})
    assert first.returncode == 0, first.log
    assert (first.output / "pagefind" / "pagefind.js").is_file()
    made = _index(first)
    assert any(name.startswith("fragment/") for name in made), made
    again = build_site(tmp_path, "search_index", {})
    assert again.returncode == 0, again.log
    assert _index(again) == made  # the posts unchanged: the index left as it was
    (tmp_path / "content" / "post.md").write_text(POST.format(title="A post, retitled"))
    changed = build_site(tmp_path, "search_index", {})
    assert changed.returncode == 0, changed.log
    assert _index(changed).keys() != made.keys()


def test_no_index_when_the_setting_says_so(tmp_path):
    site = build_site(tmp_path, "search_index", {"post.md": POST.format(title="A post")},
                      SEARCH_INDEX=False)  # fmt: skip
    assert site.returncode == 0, site.log
    assert not (site.output / "pagefind").exists()
