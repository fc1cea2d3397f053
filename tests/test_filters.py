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
