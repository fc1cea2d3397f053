"""Feed entries titled as their posts are: with the text the author wrote.

A post's title is text ('Tom & Jerry', 'Why <25 cases is too few'), but Pelican's feed
writer reads it as HTML and strips what looks like tags, so a title with a '<' came
out cut short, and one with an entity came out with it decoded. Once a feed is made
(``feed_generated``), each entry gets its post's title back, which the feed's XML
then carries escaped, as text.

No settings.
"""

from __future__ import annotations

from pelican import signals

KEY = "_plain_titles_by_link"  # in the build's context: made once, for every feed


def _titles(context) -> dict:
    """Each post's and page's title by its address, as the feeds link them: worked out
    once a build (a site has a feed for each tag and category: 90 at 1,000 posts)."""
    contents = [c for name in ("articles", "pages", "hidden_articles")
                for c in context.get(name, [])]  # fmt: skip
    made = context.get(KEY)
    if made is not None and made[0] == len(contents):
        return made[1]
    site = (context.get("SITEURL") or "").rstrip("/")
    titles = {f"{site}/{content.url}": content.title for content in contents}
    context[KEY] = (len(contents), titles)
    return titles


def _titles_as_written(context, feed) -> None:
    titles = _titles(context)
    for item in feed.items:
        title = titles.get(item.get("link"))
        if title is not None:
            item["title"] = str(title)


def register() -> None:
    """Pelican's entry point: feed titles as written, without markup."""
    signals.feed_generated.connect(_titles_as_written)
