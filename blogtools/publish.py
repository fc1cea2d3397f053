"""``invoke publish`` and ``invoke rollback``: build strictly, check, deploy atomically.

Each step must succeed before the next starts, and a failure at any step
leaves the live site as it was: the build goes to a fresh folder, the checks
read that folder, and a release becomes live only by the switch of one symlink
(or, for git targets, one push).
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import numbers
from .deploy.address import Address, AddressError, checked_address
from .deploy.folder import ReleaseDeployer
from .deploy.gitpages import GitDeployer
from .deploy.releases import release_name
from .deploy.shell import DeployError
from .deploy.targets import GitTarget, Target, TargetError, parse_target
from .qa.sitecheck import check_site

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_KEEP = 5


PublishError = DeployError  # a step failed; the message says which and why


@dataclass
class Options:
    """What a publish is told: where to, how many releases to keep, which site."""

    target: Target | None  # None: built for a host that publishes a folder itself
    keep: int = DEFAULT_KEEP
    content: Path = ROOT / "content"
    settings: Path = ROOT / "publishconf.py"
    root: Path = ROOT
    say: Callable[[str], None] = print
    rsync_options: tuple[str, ...] = ()
    create: bool = False  # make a folder target whose parent does not exist yet
    local: bool = False  # the site may be addressed at this machine (a copy served here)
    accept_numbers: bool = False  # publish posts whose chart numbers changed, unannounced


# Configuration -----------------------------------------------------------------


def publish_settings(settings: Path) -> dict:
    """publishconf.py as Pelican reads it."""
    from pelican.settings import read_settings

    return read_settings(str(settings))


def configured_target(settings: dict, given: str | None) -> str:
    """--target, else the PUBLISH_TARGET environment variable, else the setting."""
    return given or os.environ.get("PUBLISH_TARGET") or settings.get("PUBLISH_TARGET") or ""


def ssh_options_from_environment() -> list[str]:
    """Extra ssh options (PUBLISH_SSH_OPTIONS), e.g. a known_hosts file for a test server."""
    return shlex.split(os.environ.get("PUBLISH_SSH_OPTIONS", ""))


def git_sha(root: Path) -> str:
    """The commit the site is built from, named in the release; 'nogit' outside git."""
    try:
        return subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "nogit"


# Steps --------------------------------------------------------------------------


def build(options: Options, output: Path) -> int:
    """The strict build into ``output``; the number of pages, or PublishError."""
    start = time.perf_counter()
    options.say(f"Building with {options.settings.name} (strict) ...")
    # Not -q: Pelican's quiet mode drops the very warnings that --fatal turns into failures.
    command = [sys.executable, "-m", "pelican", str(options.content), "-s", str(options.settings)]
    result = subprocess.run(
        [*command, "-o", str(output), "--fatal", "warnings"],
        cwd=options.root,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )
    if result.returncode != 0:
        log = "\n".join(
            line
            for line in (result.stdout + result.stderr).splitlines()
            if line.startswith(("WARNING", "ERROR", "CRITICAL"))
        )
        raise PublishError(f"the build failed, nothing was published:\n{log}")
    pages = sum(1 for _ in output.rglob("*.html"))
    options.say(f"  built {pages} pages in {time.perf_counter() - start:.1f} s")
    return pages


def check(options: Options, output: Path, site_url: str) -> None:
    """Refuse to publish a site whose links, assets, titles or feeds are broken."""
    feeds = sum(1 for p in output.rglob("*.xml") if p.name.endswith((".atom.xml", ".rss.xml")))
    options.say(f"Checking links, assets, titles, canonical URLs and {feeds} feeds ...")
    problems = check_site(output, site_url)
    if problems:
        listed = "\n".join(f"  {p}" for p in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        raise PublishError(
            f"the built site has {len(problems)} problem(s), nothing was published:\n{listed}{more}"
        )
    options.say("  no problems")


def site_address(options: Options) -> Address:
    """The address publishconf.py builds for, checked against the target before anything
    is built."""
    site_url = publish_settings(options.settings).get("SITEURL", "")
    try:
        return checked_address(site_url, options.target, options.local)
    except AddressError as error:
        raise PublishError(f"{error}; nothing was built or published") from None


def built_and_checked(options: Options, output: Path, site_url: str) -> None:
    """The strict build, then its checks: the one way to a site fit to publish."""
    build(options, output)
    check(options, output, site_url)


def numbers_announced(options: Options, output: Path) -> None:
    """Refuse to publish a post whose chart numbers changed since the last publish unless
    it says so (a Correction: or Update: line), or the publisher accepts it."""
    since, silent = numbers.unannounced(options.root, output)
    if not silent:
        return
    listed = "\n".join(f"  {url}: {', '.join(figures)}" for url, figures in silent.items())
    if options.accept_numbers:
        options.say(f"Numbers changed since the publish of {since}, accepted:\n{listed}")
        return
    raise PublishError(
        f"the numbers of a chart changed since the publish of {since}, and the post does not "
        f"say so:\n{listed}\n  add a line to each post — Correction: YYYY-MM-DD what changed "
        "(or Update: …) — or publish with --accept-changed-numbers; nothing was published"
    )


def publish(options: Options, dry_run: bool = False) -> int:
    """Build, check, deploy (or show what would change). 0 on success."""
    address = site_address(options)
    site_url = address.url
    options.say(f"Publishing the site for {address.url} to {options.target}")
    deployer = deployer_for(options, address.cname)
    deployer.preflight()  # before the build: a missing rsync, a mistyped folder, said at once
    if dry_run:
        with tempfile.TemporaryDirectory(prefix="publish-") as tmp:
            output = Path(tmp) / "site"
            built_and_checked(options, output, site_url)
            numbers_announced(options, output)
            changes = deployer.changes(output)
        options.say(
            f"Dry run: publishing to {options.target} would make "
            f"{changes.summary()}; nothing was changed"
        )
        for line in changes.lines():
            options.say(f"  {line}")
        return 0
    # The target is ours from the start: a second publish is told so at once, not after
    # building, and nothing can change the target between this build's checks and its copy.
    with deployer.lock(), tempfile.TemporaryDirectory(prefix="publish-") as tmp:
        output = Path(tmp) / "site"
        built_and_checked(options, output, site_url)
        numbers_announced(options, output)
        name = release_name(dt.datetime.now(dt.UTC), git_sha(options.root))
        deployer.deploy(output, name)
        numbers.record(options.root, output, dt.datetime.now(dt.UTC).date())
    options.say(f"Live at {site_url or options.target}")
    return 0


def public_build(output: Path, say: Callable[[str], None] = print) -> None:
    """The public site, built and checked as a publish builds it, into ``output``: for
    hosts that build the site themselves (Netlify, Cloudflare Pages) and publish a folder."""
    options = Options(target=None, say=say)
    address = site_address(options)
    say(f"Building the public site for {address.url} into {output}")
    with tempfile.TemporaryDirectory(prefix="public-", dir=output.parent) as tmp:
        site = Path(tmp) / "site"
        built_and_checked(options, site, address.url)
        if output.is_symlink() or output.is_file():
            output.unlink()
        elif output.exists():
            shutil.rmtree(output)
        site.rename(output)  # whole, once checked: never a half-built output/
    say(f"  {output} holds the site for {address.url}")


def rollback(options: Options) -> int:
    """Put the previous release back in place."""
    deployer_for(options).rollback()
    return 0


def deployer_for(options: Options, cname: str | None = None):
    """The deployer for the target: a git branch, or releases in a folder."""
    if isinstance(options.target, GitTarget):
        return GitDeployer(options.target, options.say, cname)
    return ReleaseDeployer(
        options.target, options.keep, options.say, options.rsync_options, options.create
    )


def options_from(
    settings: dict,
    target: str | None,
    port: str | None,
    identity: str | None,
    keep: str | None = None,
    create: bool = False,
    local: bool = False,
) -> Options:
    """The command's options, checked before anything is done: OptionsError if wrong."""
    where = configured_target(settings, target)
    try:
        number = int(port) if port else None
    except ValueError:
        raise OptionsError(f"--port must be a number, not {port!r}") from None
    keep_value = keep if keep not in (None, "") else settings.get("PUBLISH_KEEP_RELEASES")
    try:
        kept = int(keep_value if keep_value is not None else DEFAULT_KEEP)
    except (TypeError, ValueError):
        kept = 0
    if kept < 1:
        raise OptionsError(
            f"--keep must be a whole number of releases, 1 or more, not {keep_value!r}"
        )
    try:
        parsed = parse_target(where, number, identity or None, ssh_options_from_environment())
    except TargetError as error:
        raise OptionsError(str(error)) from None
    return Options(
        target=parsed,
        keep=kept,
        rsync_options=tuple(shlex.split(os.environ.get("PUBLISH_RSYNC_OPTIONS", ""))),
        create=create,
        local=local,
    )


class OptionsError(ValueError):
    """An option that cannot be used: said before anything is built or touched."""
