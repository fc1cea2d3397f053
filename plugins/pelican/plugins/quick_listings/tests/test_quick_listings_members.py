"""Listings that know their members, Pelican's archives and translations in one pass: the
same answers as Pelican's own, and the same site."""

from __future__ import annotations

import pickle

from blogsupport.testing import build_site, dated_posts, differing
from pelican.plugins.quick_listings.listings import Members


class Post:
    """Compares by identity, as Pelican's contents do."""


def test_membership_is_by_identity_and_follows_every_change():
    a, b, c, d = Post(), Post(), Post(), Post()
    listing = Members([a])
    assert a in listing and b not in listing
    listing.append(b)
    assert b in listing
    listing.extend([c])
    listing.remove(a)
    assert a not in listing and c in listing
    listing[0] = d
    assert b not in listing and d in listing
    listing.insert(0, a)
    del listing[1]
    assert a in listing and d not in listing
    listing += [b]
    assert b in listing and listing.pop() is b and b not in listing
    listing.clear()
    assert a not in listing and list(listing) == []
    assert Post() not in Members([Post()]), "an equal-looking other post is not a member"
    kept = Members([a, b])
    assert a in kept
    copied = pickle.loads(pickle.dumps(kept))
    assert type(copied) is Members and len(copied) == 2 and copied[0] in copied
    assert a not in copied, "a copy's members are its own objects"


def test_a_site_is_the_same_with_and_without(tmp_path):
    files = dated_posts(40)
    settings = {"DEFAULT_PAGINATION": 4, "YEAR_ARCHIVE_SAVE_AS": "{date:%Y}/index.html",
                "MONTH_ARCHIVE_SAVE_AS": "{date:%Y}/{date:%m}/index.html"}  # fmt: skip
    quick = build_site(tmp_path / "quick", "quick_listings", files, **settings)
    plain = build_site(tmp_path / "plain", [], files, **settings)
    assert quick.returncode == 0 and plain.returncode == 0, quick.log + plain.log
    assert (quick.output / "tag" / "tag-1.html").is_file() and (quick.output / "2016").is_dir()
    assert differing(quick.output, plain.output) == []


def test_period_archives_are_pelicans_filed_in_one_pass():
    import datetime as dt

    from pelican.generators import ArticlesGenerator
    from pelican.settings import DEFAULT_CONFIG

    from pelican.plugins.quick_listings.listings import period_archives

    class Dated(Post):
        def __init__(self, date):
            self.date = date

    start = dt.datetime(2016, 12, 30, 9)
    posts = [Dated(start + dt.timedelta(days=n * 5, hours=n % 3)) for n in range(200)]
    posts += [Dated(posts[7].date)]  # two posts on one day
    articles = posts[::-1][::2] + posts[::-1][1::2]  # an order not by date
    by_date = sorted(posts, key=lambda p: p.date, reverse=True)
    settings = {**DEFAULT_CONFIG, "YEAR_ARCHIVE_SAVE_AS": "{date:%Y}/index.html",
                "MONTH_ARCHIVE_SAVE_AS": "{date:%Y}/{date:%m}/index.html",
                "DAY_ARCHIVE_SAVE_AS": "{date:%Y}/{date:%m}/{date:%d}/index.html"}  # fmt: skip
    pelicans = ArticlesGenerator._build_period_archives.__get__(object.__new__(ArticlesGenerator))
    expected = pelicans(by_date, articles, settings)
    made = period_archives(pelicans)(by_date, articles, settings)
    assert set(expected) == set(made) == {"year", "month", "day"}
    for granularity, listing in expected.items():
        assert len(listing) == len(made[granularity]) > 1
        for theirs, ours in zip(listing, made[granularity], strict=True):
            assert ours.keys() == theirs.keys()
            for key, value in theirs.items():
                same = [id(p) for p in value] == [id(p) for p in ours[key]] if key in (
                    "dates", "articles") else value == ours[key]  # fmt: skip
                assert same, (granularity, key)


def test_translations_are_pelicans_with_the_posts_alone_kept_aside():
    from pelican.contents import Article
    from pelican.settings import DEFAULT_CONFIG
    from pelican.utils import process_translations

    from pelican.plugins.quick_listings.listings import translations_in_one_pass

    def posts():
        made = []
        for n in range(60):
            slug = f"post-{(n * 37) % 50}"  # ten slugs shared by two posts
            lang = "en" if n < 50 else ("fr" if n % 2 else "en")  # and two in one language
            metadata = {"title": f"T{n}", "slug": slug, "lang": lang}
            if n == 55:
                metadata["translation"] = "true"
            made.append(Article(f"<p>{n}</p>", metadata, settings=dict(DEFAULT_CONFIG),
                                source_path=f"/c/{n}.md"))  # fmt: skip
        return made

    translated = {}
    for translation_id in ("slug", ("slug", "title"), None, ""):
        theirs, ours = posts(), posts()
        expected = process_translations(theirs, translation_id)
        made = translations_in_one_pass(process_translations)(ours, translation_id)
        named = lambda items: [p.source_path for p in items]  # noqa: E731
        assert named(theirs) == named(ours), "the list is sorted in place as Pelican sorts it"
        assert [named(x) for x in expected] == [named(x) for x in made], translation_id
        assert [named(p.translations) for p in theirs if hasattr(p, "translations")] == [
            named(p.translations) for p in ours if hasattr(p, "translations")
        ]
        translated[translation_id] = len(expected[1])
    assert translated == {"slug": 5, ("slug", "title"): 0, None: 0, "": 0}, translated
