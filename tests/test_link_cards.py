"""Link cards: a 1200×630 picture for every page shared, drawn once, named by content."""

from __future__ import annotations

from lxml import html as lxml_html
from PIL import Image
from sitebuild import copy_content, pelican

PAGES = ["index.html", "about/index.html", *(
    f"2017/06/{slug}/index.html" for slug in (
        "ofsteds-methodology-how-good-is-it", "whats-in-a-name",
        "the-case-of-the-missing-methodology", "gloucestershire-blaming-the-blamers",
        "the-cupboard-is-bare"))]  # fmt: skip


def card_of(build, page: str) -> tuple[str, dict[str, str]]:
    tree = lxml_html.fromstring(build.read(page))
    tags = {m.get("property") or m.get("name"): m.get("content") for m in tree.xpath("//meta")}
    return tags["og:image"].removeprefix("https://blog.test/"), tags


def test_every_page_has_a_card_of_the_right_size(site):
    cards = {}
    for page in PAGES:
        path, tags = card_of(site, page)
        assert tags["twitter:card"] == "summary_large_image"
        assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")
        assert tags["og:image:alt"]
        file = site.output / path
        with Image.open(file) as image:
            assert image.format == "PNG" and image.size == (1200, 630)
        assert file.stat().st_size < 150_000, (page, file.stat().st_size)
        cards[page] = path
    assert cards["index.html"] == cards["about/index.html"]  # the site's card
    assert len(set(cards.values())) == 6  # each post its own
    _, tags = card_of(site, PAGES[5])
    assert (
        tags["og:image:alt"] == "“Gloucestershire – blaming the blamers?”, on Chris Mills on "
        "Child Protection, Monday, 19 June 2017"
    )


def test_a_card_has_the_posts_first_chart(site):
    def right_half_colours(page):
        with Image.open(site.output / card_of(site, page)[0]) as image:
            half = image.convert("RGB").crop((700, 100, 1150, 500))
            return len(half.getcolors(maxcolors=1_000_000) or [])

    assert right_half_colours(PAGES[2]) > 100  # a chart: lines, labels, their shades
    assert right_half_colours(PAGES[3]) <= 4  # no chart: the card's ground and its title


def test_a_warm_build_draws_none_and_a_changed_title_a_new_one(tmp_path):
    content = copy_content(tmp_path / "src")
    cache = tmp_path / "cache"
    cold = pelican(tmp_path / "one", content=content, cache=cache, verbose=True)
    assert "cards: 6 drawn, 0 from the cache" in cold.log
    warm = pelican(tmp_path / "two", content=content, cache=cache, verbose=True)
    assert "cards: 0 drawn, 6 from the cache" in warm.log
    before, _ = card_of(warm, PAGES[6])
    post = content / "2017-06-22-the-cupboard-is-bare.md"
    post.write_text(post.read_text("utf-8").replace("Title: The cupboard is bare",
                                                    "Title: The cupboard is still bare"),
                    encoding="utf-8")  # fmt: skip
    changed = pelican(tmp_path / "three", content=content, cache=cache, verbose=True)
    assert "cards: 1 drawn, 5 from the cache" in changed.log
    assert card_of(changed, PAGES[6])[0] != before


def test_many_cards_are_drawn_on_every_core_to_the_same_bytes(tmp_path):
    """A first build draws a card a post: past two workers' worth they are drawn in worker
    processes, each the bytes the build's own process draws."""
    import hashlib

    from pelican.plugins.link_cards.cards import PER_WORKER, Cards, draw_card

    settings = {"PLUGIN_CACHE_PATH": str(tmp_path / "cache"), "SITENAME": "A site"}
    cards = Cards(settings)
    titles = [f"Post number {n}: on samples, thresholds and chance" for n in range(3 * PER_WORKER)]
    for title in titles:
        cards.wanted[f"{hashlib.sha256(title.encode()).hexdigest()[:20]}.png"] = (
            "A site",
            title,
            "1 June 2017",
            "",
        )
    cards.write(tmp_path / "out")
    assert cards.drawn == len(titles) + 1  # and the site's own
    for name, (site, title, date, picture) in cards.wanted.items():
        written = (tmp_path / "out" / "cards" / name).read_bytes()
        assert written == draw_card(site, title, date, picture), title
    assert not list((tmp_path / "cache" / "cards").glob("*.tmp"))
