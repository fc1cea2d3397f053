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
        if path.is_symlink():  # the link goes, never what it points to
            path.unlink()
            print(f"removed the link {path.relative_to(ROOT)} (what it pointed to is kept)")
        elif path.exists():
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
    from blogtools.preview.server import run_live_preview

    run_live_preview(ROOT, host=HOST, port=int(port))


@task(help={"port": f"port to listen on (default {PORT})"})
def public_preview(c, port=PORT):
    """The public site (publishconf.py, strict), addressed at localhost, then served.

    Not the live preview (livereload): nothing is rebuilt on save.

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


@task(
    help={
        "export": "the .xml file of Blogger's Settings → Back up content, or Takeout's feed.atom",
        "images": "a folder holding the export's images (Takeout's Blogger/Albums); else fetched",
        "no_images": "keep the images' remote addresses; fetch nothing",
        "dry_run": "say what the import would do, and write nothing",
    }
)
def import_blogger(c, export, images=None, no_images=False, dry_run=False):
    """Import a Blogger blog into content/: posts, pages, drafts, comments and images.

    Safe to run again on a newer export: new posts are added, posts still as imported are
    updated, a post edited since is never overwritten. The old addresses are recorded in
    content/blogger/import.json; the site's build redirects each of them.
    """
    from blogtools.blogger.importer import options_for, run

    options = options_for(
        SETTINGS,
        Path(export),
        images=Path(images) if images else None,
        fetch_images=not no_images,
        dry_run=dry_run,
    )
    code, lines = run(options)
    print("\n".join(lines))
    if code:
        raise Exit(code=code)


PUBLISH_HELP = {
    "target": "where to: /a/folder, [user@]host:/path (SSH), or git:REMOTE[#BRANCH]; "
    "default: $PUBLISH_TARGET, else PUBLISH_TARGET in publishconf.py",
    "port": "SSH port (default: from ~/.ssh/config, else 22)",
    "identity": "SSH private key file (default: from ~/.ssh/config or the agent)",
}


def _publish_options(command, target, port, identity, keep=None, create=False, local=False):
    from blogtools import publish

    settings = publish.publish_settings(PUBLISH_SETTINGS)
    try:
        return publish.options_from(settings, target, port, identity, keep, create, local)
    except publish.OptionsError as error:
        raise Exit(f"{command}: {error}", code=2) from None


@task(
    help={
        **PUBLISH_HELP,
        "dry_run": "build and check, then list what would change on the target; change nothing",
        "keep": "how many releases to keep on the target (default PUBLISH_KEEP_RELEASES, 5)",
        "create": "make the target folder, even where the folder above it does not exist",
        "local": "allow a site addressed at this machine (localhost: a copy served here)",
        "accept_changed_numbers": "publish posts whose chart numbers changed without a "
        "Correction:/Update: line",
    }
)
def publish(
    c,
    target=None,
    dry_run=False,
    port=None,
    identity=None,
    keep=None,
    create=False,
    local=False,
    accept_changed_numbers=False,
):
    """Build strictly, check the site, and deploy it atomically (or --dry-run).

    1. Build with publishconf.py into a fresh folder; any warning stops here.
    2. Check: no broken internal link or missing asset, every feed parses, every page
       has a title and a canonical URL.
    3. Deploy. A folder or SSH target gets a new release, DEST/releases/<time>-<sha>/,
       copied with rsync (unchanged files hard-linked to the previous release), then
       the symlink DEST/current switches to it in one rename: the web server serves
       DEST/current. The last 5 releases are kept. A git:REMOTE[#BRANCH] target gets
       the site committed to BRANCH (default gh-pages, with .nojekyll) by ghp-import
       and pushed.
    A failure at any step leaves the live site as it was and exits non-zero.
    Environment: PUBLISH_TARGET; PUBLISH_SSH_OPTIONS (extra ssh options, e.g. "-F cfg");
    PUBLISH_RSYNC_OPTIONS (extra rsync options, e.g. "--bwlimit=500").
    """
    from blogtools import publish as publishing

    options = _publish_options("publish", target, port, identity, keep, create, local)
    options.accept_numbers = accept_changed_numbers
    try:
        publishing.publish(options, dry_run=dry_run)
    except publishing.PublishError as error:
        raise Exit(f"publish: {error}", code=1) from None


@task
def public(c):
    """The public site, built strictly for PUBLIC_SITEURL and checked, into output/.

    For hosts that build the site themselves and serve a folder (Netlify, Cloudflare
    Pages: see netlify.toml). output/ is replaced only once the new site is whole and
    has passed the checks.
    """
    from blogtools import publish as publishing

    try:
        publishing.public_build(OUTPUT)
    except publishing.PublishError as error:
        raise Exit(f"public: {error}", code=1) from None


@task(help=PUBLISH_HELP)
def rollback(c, target=None, port=None, identity=None):
    """Make the previous release live again (one atomic switch) and say which is live.

    For a git:REMOTE[#BRANCH] target, the branch goes back one commit.
    """
    from blogtools import publish as publishing

    options = _publish_options("rollback", target, port, identity)
    try:
        publishing.rollback(options)
    except publishing.PublishError as error:
        raise Exit(f"rollback: {error}", code=1) from None


@task
def check(c):
    """Everything that would stop a publish, in one summary; exit non-zero on any problem.

    A build as strict as the public one, listing every problem instead of stopping at
    the first; the publish checks (links, assets, feeds, titles, canonical URLs); the
    citations (keys cited but missing, entries short of fields, entries not cited) and
    the charts (each one, its kind, cached or drawn). Nothing is written to content/ or
    output/.
    """
    from blogtools import checkreport

    problems = checkreport.run(PUBLISH_SETTINGS)
    if problems:
        raise Exit(code=1)


@task(help={"pytest_args": "extra arguments for pytest, e.g. '-k feeds -x'"})
def test(c, pytest_args=""):
    """Install what the tests need from Debian when missing, then run every test."""
    c.run(f"sh {ROOT / '.ci' / 'system-deps'}")
    c.run(f"{shlex.quote(sys.executable)} -m pytest {pytest_args}", pty=False)


@task
def lint(c):
    """ruff (formatting and lint) and deptry (the declared dependencies), as CI checks them."""
    python = shlex.quote(sys.executable)  # the tools of this environment, activated or not
    c.run(f"{python} -m ruff format --check .")
    c.run(f"{python} -m ruff check .")
    c.run(f"{python} -m deptry . plugins tests benchmarks")


@task(
    help={
        "sizes": "site sizes in posts, comma-separated (default 100,1000,5000)",
        "runs": "builds per measurement; the median is reported (default 3)",
    }
)
def bench(c, sizes="100,1000,5000", runs=3):
    """Build speed and memory against plain Pelican (and Hugo): writes benchmarks/RESULTS.md.

    Generates synthetic sites of each size (600 words, 3 tags, 3 citations a post, a
    chart in every tenth) and measures cold, warm and one-post-edit builds. Takes a
    while: about 3 minutes at 1,000 posts, 15 at 5,000, on two cores.
    """
    script = ROOT / "benchmarks" / "bench.py"
    size_args = " ".join(str(int(s)) for s in sizes.split(","))
    c.run(f"{shlex.quote(sys.executable)} {script} --sizes {size_args} --runs {int(runs)}")
