"""The theme's Jinja filters, without a site."""

from __future__ import annotations

from types import SimpleNamespace

from blogtools.jinja_filters import archive_tree, neighbours, reading_minutes


def test_reading_minutes_counts_words_not_markup():
    assert reading_minutes("<p>" + "word " * 220 + "</p>") == 1
    assert reading_minutes("<p>" + "word " * 221 + "</p>") == 2
    assert reading_minutes('<a href="x y z">one</a>') == 1
    assert reading_minutes("") == 1


def test_neighbours_are_newer_and_older():
    posts = [SimpleNamespace(n=i) for i in range(3)]  # newest first
    assert neighbours(posts[0], posts) == (None, posts[1])
    assert neighbours(posts[1], posts) == (posts[0], posts[2])
    assert neighbours(posts[2], posts) == (posts[1], None)
    assert neighbours(SimpleNamespace(n=9), posts) == (None, None)
    other = [SimpleNamespace(n=i) for i in range(2)]  # a new list is not mistaken for the old
    assert neighbours(other[1], other) == (other[0], None)


def test_archive_tree_groups_months_under_years():
    def period(granularity, num, name, n):
        posts = [object()] * n
        label = (num[0], name) if granularity == "month" else num
        return {
            "period": label,
            "period_num": num,
            "url": f"u{num}",
            "articles": posts,
            "dates": posts,
        }

    archives = {
        "year": [period("year", (2018,), None, 3), period("year", (2017,), None, 2)],
        "month": [
            period("month", (2018, 2), "February", 1),
            period("month", (2018, 1), "January", 2),
            period("month", (2017, 6), "June", 2),
        ],
    }
    tree = archive_tree(archives)
    assert [(y["year"], y["count"]) for y in tree] == [(2018, 3), (2017, 2)]
    assert [(m["name"], m["count"]) for m in tree[0]["months"]] == [("February", 1), ("January", 2)]
    assert [m["name"] for m in tree[1]["months"]] == ["June"]


def test_once_renders_a_block_once_for_the_same_objects_and_key():
    from jinja2 import Environment

    from blogtools.jinja_filters import GLOBALS

    env = Environment()
    env.globals.update(GLOBALS)
    template = env.from_string(
        "{% call once(items, key=base) %}{{ base }}:{{ items|join(',') }}:{{ n }}{% endcall %}"
    )
    items = ["a", "b"]
    assert template.render(items=items, base="..", n=1) == "..:a,b:1"
    # The same objects and key: the first rendering, even though n changed.
    assert template.render(items=items, base="..", n=2) == "..:a,b:1"
    # Another key (a page at another depth): rendered for it.
    assert template.render(items=items, base=".", n=3) == ".:a,b:3"
    assert template.render(items=items, base="..", n=4) == "..:a,b:1"
    # New objects (a new build), even equal ones: rendered again.
    assert template.render(items=["a", "b"], base="..", n=5) == "..:a,b:5"


def test_the_sidebar_links_work_from_pages_at_every_depth(tmp_path):
    """The sidebar is rendered once per SITEURL: relative links differ with depth."""
    import posixpath

    from bs4 import BeautifulSoup
    from sitebuild import pelican

    build = pelican(tmp_path / "output", settings="pelicanconf.py")
    assert build.returncode == 0, build.log
    pages = [p for p in build.output.rglob("*.html") if "pagefind" not in p.parts]
    depths = {len(p.relative_to(build.output).parts) for p in pages}
    assert len(depths) >= 3
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        links = soup.select("aside.sidebar a[href]")
        assert links, page
        base = page.relative_to(build.output).as_posix()
        for link in links:
            href = link["href"].split("#")[0]
            if href.startswith("/"):  # 404.html links from the root: it is served anywhere
                target = href.lstrip("/")
            else:  # not urljoin, which forgives a '../' too many
                target = posixpath.normpath(posixpath.join(posixpath.dirname(base), href))
            assert not target.startswith(".."), (page, link["href"])
            path = build.output / target
            assert path.is_file() or (path / "index.html").is_file(), (page, link["href"])
