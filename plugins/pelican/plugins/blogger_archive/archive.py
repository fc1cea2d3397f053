"""What a blog moved from Blogger keeps: every old address, and its readers' comments.

``invoke import-blogger`` records in ``content/blogger/import.json`` each imported
post's and page's old address and the file it became, its labels and its comments
file. As the site builds, this plugin gives each post its comments (sanitised again
with nh3: a reader wrote them), shown under it as a closed archive and kept out of
the feeds and the search index unless a setting says otherwise; and once the site
is written it works out, from the posts, tags, archives and feeds Pelican made, where
each old address now is (posts and pages, ``/search/label/…``, ``/YYYY/MM/``,
``/YYYY/``, ``/feeds/posts/default`` with ``?alt=rss``, label feeds), and writes:

- ``redirects.nginx.conf`` (an include for the server block), ``.htaccess`` (Apache)
  and ``_redirects`` (Netlify, Cloudflare Pages), each a permanent redirect a rule;
- for hosts that run no rules (GitHub Pages), a page at each old address that sends
  the browser on, with the new address as ``rel=canonical`` (``BLOGGER_STUB_PAGES``).

An old address that leads nowhere (its post gone from ``content/``) is a problem:
the preview says so, the strict build and ``invoke check`` fail.

Settings: ``SCHEMA`` (each with its default and meaning).
"""

from __future__ import annotations

import json
import logging
import os
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from markupsafe import Markup
from pelican import signals

from blogsupport.perbuild import PerBuild
from blogsupport.plugin_settings import Schema
from blogsupport.problems import Problem, display, line_of

from . import rules

logger = logging.getLogger(__name__)
SCHEMA = Schema(
    "BLOGGER_",
    {
        "BLOGGER_IMPORT_FILE": ("blogger/import.json", "the import's record, inside content/"),
        "BLOGGER_STUB_PAGES": (True, "a page at each old address, for hosts without rules"),
        "BLOGGER_COMMENTS_IN_FEEDS": (False, "the archived comments in the feeds too"),
        "BLOGGER_COMMENTS_IN_SEARCH": (False, "the archived comments in the search index too"),
        "BLOGGER_CATEGORIES": ({}, "invoke import-blogger: a label's posts' Category"),
        "BLOGGER_DEFAULT_CATEGORY": ("", "invoke import-blogger: the Category of other posts"),
    },
    misspelt=("BLOGER_",),
)
FEEDS = [  # Blogger's feed paths, and the setting of the feed each becomes
    ("/feeds/posts/default", "", "FEED_ALL_ATOM"),
    ("/feeds/posts/default", "rss", "FEED_ALL_RSS"),
    ("/feeds/posts/summary", "", "FEED_ALL_ATOM"),
    ("/feeds/posts/summary", "rss", "FEED_ALL_RSS"),
    ("/atom.xml", "", "FEED_ALL_ATOM"),
    ("/rss.xml", "", "FEED_ALL_RSS"),
    ("/feeds/comments/default", "", "FEED_ALL_ATOM"),
]


class Archive(PerBuild, key="blogger_archive.build", what="old addresses", schema=SCHEMA):
    """This build's record of the import, and what it found of it in the site."""

    def __init__(self, settings: dict, log=None) -> None:
        super().__init__(settings, log)
        self.path = Path(settings["PATH"]) / settings["BLOGGER_IMPORT_FILE"]
        self.entries: list[dict] = []
        self.by_file: dict[str, dict] = {}
        self.urls: dict[str, str] = {}  # a content file -> its page's URL
        self.dates: dict[str, datetime] = {}  # a post's file -> its date, as the site has it
        self.threads: dict[str, str] = {}  # a post's URL -> its comments, for the feeds
        self.tags: dict[str, object] = {}  # a tag's name -> the Tag
        self.comments = 0
        if self.path.is_file():
            self._load()

    def _load(self) -> None:
        try:
            record = json.loads(self.path.read_text(encoding="utf-8"))
            self.entries = [e for e in record.get("entries", []) if isinstance(e, dict)]
        except (OSError, ValueError, AttributeError) as error:
            Problem(
                display(self.path),
                None,
                f"not a readable import record ({error})",
                "restore it from git, or import again",
            ).log(self.logger)
            return
        self.by_file = {str(e.get("file", "")): e for e in self.entries}

    def read(self, content) -> None:
        entry = self.by_file.get(Path(content.relative_source_path).as_posix())
        if not entry or not entry.get("comments"):
            return
        path = Path(self.settings["PATH"]) / entry["comments"]
        try:
            thread = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            Problem(
                display(path),
                None,
                f"the archived comments cannot be read ({error})",
                "restore the file from git, or import again",
            ).log(self.logger)
            return
        from blogsupport.sanitise import reader_html  # nh3, only for a post with comments

        shown = []
        for comment in thread if isinstance(thread, list) else []:
            if not isinstance(comment, dict):
                continue
            url = str(comment.get("url") or "")
            when = _when(str(comment.get("date") or ""))
            shown.append(
                {
                    "author": str(comment.get("author") or "Anonymous"),
                    "url": url if url.startswith(("http://", "https://")) else "",
                    "date": when,
                    "id": str(comment.get("id") or "").rsplit("-", 1)[-1],
                    "html": Markup(reader_html(str(comment.get("html") or ""))),
                }
            )
        content.archived_comments = shown
        content.archived_comments_searchable = self.settings["BLOGGER_COMMENTS_IN_SEARCH"]
        self.comments += len(shown)

    def generator_read(self, generator, contents: list) -> None:
        if not self.entries:
            return  # nothing imported: no old address to lead anywhere
        for content in contents:
            source = content.relative_source_path.replace(os.sep, "/")
            self.urls[source] = content.url
            if getattr(content, "date", None) is not None:
                self.dates[source] = content.date
            for comment in getattr(content, "archived_comments", ()):
                byline = Markup("<p><b>{}</b>, {}</p>").format(
                    comment["author"],
                    comment["date"].strftime("%-d %B %Y") if comment["date"] else "",
                )
                self.threads[content.url] = (
                    self.threads.get(content.url, "") + byline + comment["html"]
                )
        for tag, _ in getattr(generator, "tags", {}).items():
            self.tags[tag.name] = tag

    def redirects(self) -> list[rules.Redirect]:
        """Each old address and where it now is, as far as the site has it."""
        settings = self.settings
        root = urlsplit(settings.get("SITEURL") or "").path.rstrip("/")
        found: dict[tuple[str, str], str] = {}
        titles: dict[str, str] = {}
        months: set[datetime] = set()
        labels: dict[str, str] = {}
        for entry in self.entries:
            url = self.urls.get(str(entry.get("file", "")))
            if entry.get("status") != "published":
                continue
            old = rules.plain_path(str(entry.get("old") or ""))
            if old and url is not None:
                found[(old, "")] = f"{root}/{url}"
                titles[old] = str(entry.get("title") or "")
            elif old:
                self._nowhere(
                    old,
                    f"its {entry.get('kind', 'post')} {entry.get('file')} is not in the site",
                    f"restore the file, or take its entry out of {display(self.path)}",
                )
            when = self.dates.get(str(entry.get("file", "")))
            if when is not None and entry.get("kind") == "post":
                months.add(when)
            for label, tag in (entry.get("labels") or {}).items():
                labels[str(label)] = str(tag)
        for label, name in labels.items():
            tag = self.tags.get(name)
            old = rules.plain_path(f"/search/label/{label}")
            if old is None:
                continue
            if tag is None:  # no post has the tag now: the list of all tags, or the home page
                every = settings.get("TAGS_URL") if settings.get("TAGS_SAVE_AS") else ""
                found[(old, "")] = f"{root}/{every}"
                titles[old] = "Tags"
                continue
            found[(old, "")] = f"{root}/{tag.url}"
            titles[old] = f"Posts tagged {name}"
            for alt, key in (("", "TAG_FEED_ATOM"), ("rss", "TAG_FEED_RSS")):
                if settings.get(key):
                    feed = settings[key].format(slug=tag.slug)
                    found[(f"/feeds/posts/default/-/{label}", alt)] = f"{root}/{feed}"
        for when in months:
            for pattern, url_setting in (
                ("/%Y/%m/", "MONTH_ARCHIVE_URL"),
                ("/%Y/", "YEAR_ARCHIVE_URL"),
            ):
                if settings.get(url_setting) and settings.get(
                    url_setting.replace("_URL", "_SAVE_AS")
                ):
                    found[(when.strftime(pattern), "")] = f"{root}/" + settings[url_setting].format(
                        date=when
                    )
        if self.entries:
            for old, alt, key in FEEDS:
                if settings.get(key):
                    found[(old, alt)] = f"{root}/{settings[key]}"
        return [
            rules.Redirect(old, new, alt, titles.get(old, ""))
            for (old, alt), new in sorted(found.items())
            if (old != new or alt) and rules.safe_target(new)
        ]

    def _nowhere(self, old: str, why: str, fix: str) -> None:
        Problem(
            display(self.path),
            line_of(self.path, old),
            f"the old address {old} leads nowhere: {why}",
            fix,
        ).log(self.logger)

    def write(self, output: Path) -> None:
        """The rule files and the pages at the old addresses, in the written site."""
        if not self.entries:
            return
        redirects = self.redirects()
        root = urlsplit(self.settings.get("SITEURL") or "").path.rstrip("/")
        for redirect in redirects:
            target = redirect.new.removeprefix(root).lstrip("/")
            if not (
                output / (target + ("index.html" if target.endswith("/") or not target else ""))
            ).exists():
                self._nowhere(
                    redirect.old,
                    f"{redirect.new} is not in the site",
                    "check the post, tag or feed it should lead to",
                )
        _append(output / "redirects.nginx.conf", rules.nginx(redirects))
        _append(output / ".htaccess", rules.apache(redirects))
        _append(output / "_redirects", rules.netlify(redirects))
        if self.settings["BLOGGER_STUB_PAGES"]:
            self._stubs(output, redirects)

    def _stubs(self, output: Path, redirects: list[rules.Redirect]) -> None:
        site = (self.settings.get("SITEURL") or "").rstrip("/")
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(site)) if "://" in site else ""
        for redirect in redirects:
            if redirect.alt:
                continue
            path = output / rules.stub_file(redirect.old)
            if path.exists() or not path.resolve().is_relative_to(output.resolve()):
                continue  # the site's own page is there (the same address), or outside
            path.parent.mkdir(parents=True, exist_ok=True)
            target = output / redirect.new.removeprefix(urlsplit(site).path.rstrip("/")).lstrip("/")
            if redirect.old.startswith("/feeds/") or redirect.old.endswith(".xml"):
                if target.is_file():  # a feed reader follows no page: the feed itself
                    path.write_bytes(target.read_bytes())
                continue
            page = rules.stub_page(origin + redirect.new, redirect.title or redirect.new)
            path.write_text(page, encoding="utf-8")

    def finish(self) -> None:
        if self.entries:
            self.logger.info(
                "blogger: %d old addresses, %d archived comments", len(self.entries), self.comments
            )


def _when(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def _append(path: Path, text: str) -> None:
    """Our rules after any the author published himself (content/extra/)."""
    before = path.read_text(encoding="utf-8") + "\n" if path.is_file() else ""
    path.write_text(before + text, encoding="utf-8")


def _written(pelican) -> None:
    archive = Archive.of(pelican)
    if archive is not None:
        archive.write(Path(pelican.output_path))


def _feed_generated(context, feed) -> None:
    archive = Archive.of(context)
    if archive is None or not archive.settings["BLOGGER_COMMENTS_IN_FEEDS"]:
        return
    heading = "<h2>Comments from the original blog</h2>"
    for item in feed.items:
        link = str(item.get("link") or "")
        for url, thread in archive.threads.items():
            if link.endswith("/" + url) or link == url:
                for name in ("description", "content"):
                    if item.get(name):
                        item[name] = str(item[name]) + heading + thread


def register() -> None:
    """Pelican's entry point: comments given to their posts, old addresses redirected."""
    Archive.connect()
    signals.finalized.connect(_written)
    signals.feed_generated.connect(_feed_generated)
