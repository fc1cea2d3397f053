"""Settings for the public site: absolute URLs, feeds, no drafts.

The strict build is ``pelican content -s publishconf.py --fatal warnings``:
``invoke public-preview`` and ``invoke publish`` run it, and any warning stops it.
"""

from pathlib import Path

from pelican.settings import get_settings_from_file

# Read as Pelican reads a settings file (from its path; `from pelicanconf import *` would
# need the repository on sys.path): everything pelicanconf.py sets, then what differs here.
_writing = get_settings_from_file(str(Path(__file__).with_name("pelicanconf.py")))
globals().update(_writing)

SITEURL = _writing["PUBLIC_SITEURL"]
RELATIVE_URLS = False

# Feeds: full posts, Atom and RSS, for the site and for each tag and category.
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = "feeds/category/{slug}.atom.xml"
CATEGORY_FEED_RSS = "feeds/category/{slug}.rss.xml"
TAG_FEED_ATOM = "feeds/tag/{slug}.atom.xml"
TAG_FEED_RSS = "feeds/tag/{slug}.rss.xml"
RSS_FEED_SUMMARY_ONLY = False
FEED_MAX_ITEMS = 25

DELETE_OUTPUT_DIRECTORY = True

# Drafts are neither written nor listed.
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
SHOW_DRAFTS = False

# A cache of its own: the preview's settings read some posts otherwise (drafts).
CACHE_PATH = str(Path(__file__).resolve().parent / ".cache" / "pelican-publish")

# Where `invoke publish` deploys (the environment variable PUBLISH_TARGET overrides it):
# a folder on this machine ("/srv/www/blog"), "[user@]host:/path" over SSH (port and key
# from ~/.ssh/config, or --port/--identity), or "git:REMOTE[#BRANCH]" for GitHub Pages.
# No secret belongs here. The web server serves PUBLISH_TARGET/current.
PUBLISH_TARGET = ""
PUBLISH_KEEP_RELEASES = 5
