"""Settings for writing locally: relative URLs, drafts visible, caches on.

publishconf.py imports everything here and overrides what differs on the
public site.
"""

import os
from pathlib import Path

from blogtools import jinja_filters

ROOT = Path(__file__).resolve().parent

AUTHOR = "Chris Mills"
SITENAME = "Chris Mills on Child Protection"
SITESUBTITLE = "Commentary on child protection and children’s social care in England"
# The public address of the site. publishconf.py builds with it; the preview
# uses it only for canonical links, which must name the public page.
PUBLIC_SITEURL = os.environ.get("PUBLIC_SITEURL", "https://chrismillsblog.org.uk")

# Absolute, so that a settings file elsewhere (tests, benchmarks) may import these.
PATH = str(ROOT / "content")
THEME = str(ROOT / "theme")
OUTPUT_PATH = str(ROOT / "output")
TIMEZONE = "Europe/London"
DEFAULT_LANG = "en-GB"
OG_LOCALE = "en_GB"
DEFAULT_DATE_FORMAT = "%A, %-d %B %Y"
DEFAULT_DATE = None
DEFAULT_CATEGORY = "Inspection"

SITEURL = ""
RELATIVE_URLS = True

# Content layout: posts at the top of content/, pages in content/pages/.
ARTICLE_PATHS = [""]
ARTICLE_EXCLUDES = ["pages", "data", "images", "extra"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images", "extra"]
EXTRA_PATH_METADATA = {}
FILENAME_METADATA = r"(?P<date>\d{4}-\d{2}-\d{2})-(?P<slug>.*)"
IGNORE_FILES = [".#*", "*~", "*.swp", "*.tmp", "#*#"]

# URLs like the original blog's: /2017/06/slug/
ARTICLE_URL = "{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
DRAFT_URL = "drafts/{slug}/"
DRAFT_SAVE_AS = DRAFT_URL + "index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = PAGE_URL + "index.html"
DRAFT_PAGE_URL = "drafts/pages/{slug}/"
DRAFT_PAGE_SAVE_AS = DRAFT_PAGE_URL + "index.html"
CATEGORY_URL = "category/{slug}/"
CATEGORY_SAVE_AS = CATEGORY_URL + "index.html"
TAG_URL = "tag/{slug}/"
TAG_SAVE_AS = TAG_URL + "index.html"
AUTHOR_SAVE_AS = ""  # one author: no author pages
YEAR_ARCHIVE_URL = "{date:%Y}/"
YEAR_ARCHIVE_SAVE_AS = YEAR_ARCHIVE_URL + "index.html"
MONTH_ARCHIVE_URL = "{date:%Y}/{date:%m}/"
MONTH_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_URL + "index.html"
ARCHIVES_URL = "archives/"
ARCHIVES_SAVE_AS = ARCHIVES_URL + "index.html"
TAGS_URL = "tags/"
TAGS_SAVE_AS = TAGS_URL + "index.html"
CATEGORIES_URL = "categories/"
CATEGORIES_SAVE_AS = CATEGORIES_URL + "index.html"
AUTHORS_SAVE_AS = ""
# Templates rendered once each, beside the usual ones.
DIRECT_TEMPLATES = [
    "index", "tags", "categories", "archives", "search", "sitemap", "robots", "404",
]  # fmt: skip
SEARCH_URL = "search/"
SEARCH_SAVE_AS = SEARCH_URL + "index.html"
TEMPLATE_EXTENSIONS = [".html", ".xml", ".txt"]
SITEMAP_SAVE_AS = "sitemap.xml"
ROBOTS_SAVE_AS = "robots.txt"
# "404" is written to 404.html, Pelican's default for a direct template.

DEFAULT_PAGINATION = 10
PAGINATED_TEMPLATES = {"index": None, "tag": None, "category": None}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# Feeds are written by publishconf.py only: a feed needs the public address.
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
    },
    "output_format": "html5",
}
TYPOGRIFY = False

# Theme. Autoescaped: what a title, tag or setting holds is shown as text.
JINJA_ENVIRONMENT = {
    "trim_blocks": True,
    "lstrip_blocks": True,
    "extensions": [],
    "autoescape": jinja_filters.autoescape,
}
JINJA_FILTERS = jinja_filters.FILTERS
JINJA_GLOBALS = jinja_filters.GLOBALS
DISPLAY_PAGES_ON_MENU = True
SHOW_DRAFTS = True  # the home page lists drafts, linked, in the preview only
MENU_LINKS = [("Archives", "archives/"), ("Tags", "tags/")]

# Caches: the preview re-reads only what changed.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CONTENT_CACHING_LAYER = "reader"
CHECK_MODIFIED_METHOD = "mtime"
GZIP_CACHE = False  # compressing the cache cost more time than reading it back saved

# Our plugins are namespace plugins (plugins/pelican/plugins/NAME), installed with the
# engine; named in full, as an editable install finds them only so.
PLUGINS = [
    # first: one message per line, path:line: what is wrong — what to do
    "pelican.plugins.plain_log",
    "pelican.plugins.content_cache_key",  # first too: Pelican's cache keyed by what reads
    "pelican.plugins.fixed_urls",
    "pelican.plugins.quick_listings",
    "pelican.plugins.template_cache",
    "pelican.plugins.frontmatter",
    "pelican.plugins.linked_files",
    "pelican.plugins.plain_titles",
    "pelican.plugins.root_files",
    "pelican.plugins.citations",
    "pelican.plugins.sampling_charts",
    "pelican.plugins.search_index",
    "pelican.plugins.blogger_archive",
    "pelican.plugins.heading_links",
    "pelican.plugins.corrections",
    "pelican.plugins.link_cards",  # after sampling_charts: a card takes the post's first chart
]
# Pelican's content cache; content_cache_key puts it in a folder inside, named by what
# shapes a reading (the Markdown settings, the plugins, their code). The plugins' own
# caches key every result.
CACHE_PATH = str(ROOT / ".cache" / "pelican-preview")
PLUGIN_CACHE_PATH = str(ROOT / ".cache" / "plugins")

# Moving from Blogger (invoke import-blogger; pelican.plugins.blogger_archive): a post's Category
# from the first of its labels named here, else BLOGGER_DEFAULT_CATEGORY.
BLOGGER_CATEGORIES = {"Ofsted": "Inspection", "inspection": "Inspection", "politics": "Politics"}
BLOGGER_DEFAULT_CATEGORY = DEFAULT_CATEGORY

# Citations (pelican.plugins.citations): pandoc's syntax, CSL styles, BibTeX files.
CITATIONS_BIBLIOGRAPHY = ["references.bib"]
CITATIONS_STYLE = "harvard-cite-them-right"
