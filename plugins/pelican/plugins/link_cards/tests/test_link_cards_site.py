"""A card for every post shared: drawn once, named by what is on it."""

from __future__ import annotations

import struct

from blogsupport.testing import build_site
from pelican.plugins.link_cards.cards import SIZE, card_name

POST = "Title: {title}\nDate: 2017-06-22 10:00\n\nText.\n"


def _size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", png[16:24])


def test_a_card_is_named_by_what_is_drawn_on_it():
    assert card_name("Site", "A title", "22 June 2017") == card_name(
        "Site", "A title", "22 June 2017")  # fmt: skip
    assert card_name("Site", "A title", "22 June 2017") != card_name("Site", "Another", "")


def test_each_post_gets_a_card_drawn_once(tmp_path):
    files = {"one.md": POST.format(title="One post"), "two.md": POST.format(title="Two posts")}
    settings = {"SITENAME": "A site"}
    first = build_site(tmp_path, "link_cards", files, **settings)
    assert first.returncode == 0, first.log
    cards = sorted((first.output / "cards").glob("*.png"))
    assert len(cards) == 3  # each post's, and the site's
    assert all(_size(card.read_bytes()) == SIZE for card in cards)
    kept = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "cache" / "cards").iterdir()}
    assert kept.keys() == {card.name for card in cards}
    (tmp_path / "content" / "two.md").write_text(POST.format(title="Two posts, retitled"))
    again = build_site(tmp_path, "link_cards", {}, **settings)
    assert again.returncode == 0, again.log
    now = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "cache" / "cards").iterdir()}
    assert len(now) == 4 and all(now[name] == time for name, time in kept.items())  # one new
