"""Tasks for writing, previewing and testing the blog: `invoke --list`.

Each task is a few lines; anything with logic lives in blogtools/.
"""

from __future__ import annotations

import json
import shlex
import shutil
import sys
from pathlib import Path

from invoke import task
from invoke.exceptions import Exit

ROOT = Path(__file__).resolve().parent
CONTENT = ROOT / "content"
OUTPUT = ROOT / "output"
SETTINGS = ROOT / "pelicanconf.py"
PUBLISH_SETTINGS = ROOT / "publishconf.py"
CACHES = ROOT / ".cache"
HOST = "127.0.0.1"
PORT = 8000

sys.path.insert(0, str(ROOT))


def _pelican(settings: Path, *args: str) -> str:
    return shlex.join([sys.executable, "-m", "pelican", str(CONTENT), "-s", str(settings), *args])


def _extra(**settings: object) -> list[str]:
    """Pelican's -e: override settings from the command line (JSON values)."""
    pairs = [f"{key}={json.dumps(value)}" for key, value in settings.items()]
    return ["-e", *pairs] if pairs else []


@task
def clean(c):
    """Remove the built site (output/) and the caches (.cache/)."""
    for path in (OUTPUT, CACHES):
        if path.exists():
            shutil.rmtree(path)
            print(f"removed {path.relative_to(ROOT)}/")


@task
def build(c):
    """Build the site for local writing into output/ (drafts shown, relative URLs)."""
    c.run(_pelican(SETTINGS, "-o", str(OUTPUT)), pty=False)


@task(pre=[clean, build])
def rebuild(c):
    """Clean, then build."""


@task(help={"port": f"port to listen on (default {PORT})"})
def serve(c, port=PORT):
    """Serve output/ at http://localhost:8000 without rebuilding."""
    c.run(_pelican(SETTINGS, "-o", str(OUTPUT), "--listen", "-b", HOST, "-p", str(port)))


@task(help={"port": f"port to listen on (default {PORT})"})
def livereload(c, port=PORT):
    """Build, serve at http://localhost:8000, rebuild on every save and reload the page.

    Watches content/ (posts, pages, references.bib, data/), theme/, plugins/ and
    the settings files.
    """
    from blogtools.livepreview import run_live_preview

    run_live_preview(ROOT, host=HOST, port=int(port))


@task(help={"port": f"port to listen on (default {PORT})"})
def preview(c, port=PORT):
    """Strict build with publishconf.py, addressed at localhost, then serve it.

    This is the public site as it will be published: drafts hidden, feeds on,
    and any warning fails the build.
    """
    url = f"http://localhost:{port}"
    c.run(
        _pelican(
            PUBLISH_SETTINGS,
            "-o",
            str(OUTPUT),
            "--fatal",
            "warnings",
            *_extra(SITEURL=url, FEED_DOMAIN=url),
        )
    )
    serve(c, port=port)


@task(
    help={
        "title": 'the post\'s title, in quotes: invoke newpost "A title"',
        "category": "its category (default: DEFAULT_CATEGORY in pelicanconf.py)",
    }
)
def newpost(c, title, category=""):
    """Create content/YYYY-MM-DD-slug.md as a draft with its metadata, and print its path.

    Never overwrites: if the file exists, nothing is written.
    """
    from blogtools.newpost import PostExistsError, create_post
    from pelicanconf import AUTHOR, DEFAULT_CATEGORY

    try:
        path = create_post(CONTENT, title, author=AUTHOR, category=category or DEFAULT_CATEGORY)
    except (PostExistsError, ValueError) as error:
        raise Exit(f"newpost: {error}", code=1) from None
    print(path.relative_to(ROOT))


@task(help={"pytest_args": "extra arguments for pytest, e.g. '-k feeds -x'"})
def test(c, pytest_args=""):
    """Install what the tests need from Debian when missing, then run every test."""
    c.run(f"sh {ROOT / '.ci' / 'system-deps'}")
    c.run(f"{shlex.quote(sys.executable)} -m pytest {pytest_args}", pty=False)


@task
def lint(c):
    """ruff: formatting and lint, as CI checks them."""
    c.run("ruff format --check .")
    c.run("ruff check .")
