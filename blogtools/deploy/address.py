"""The public address a site is built for, checked against where it is published.

Every absolute link the public build writes (feeds, canonical URLs, sitemap, cards)
starts with this address: a site published under an address it was not built for
works at first sight and breaks in every feed reader and search engine. What can be
told without the network is told before anything is built.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from .targets import GitTarget, Target

SETTING = "PUBLIC_SITEURL (in pelicanconf.py, or the environment variable)"
_LOCAL = re.compile(r"^(localhost|127\.\d+\.\d+\.\d+|::1|0\.0\.0\.0)$")
# git@github.com:OWNER/REPO.git, ssh://git@github.com/OWNER/REPO, https://github.com/OWNER/REPO
_GITHUB = re.compile(
    r"^(?:git@github\.com:|(?:ssh://git@|https://)github\.com/)"
    r"(?P<owner>[A-Za-z0-9-]+)/(?P<repo>[A-Za-z0-9._-]+?)(?:\.git)?/?$"
)


class AddressError(ValueError):
    """An address the public site may not be built for; said before building."""


@dataclass(frozen=True)
class Address:
    """The site's public address, and the custom domain a GitHub Pages site needs told."""

    url: str
    cname: str | None = None  # the custom domain GitHub Pages must be told of (CNAME file)


def github_pages_address(remote: str) -> str | None:
    """Where GitHub Pages serves a repository's site without a custom domain."""
    match = _GITHUB.match(remote)
    if not match:
        return None
    owner, repo = match["owner"].lower(), match["repo"]
    if repo.lower() == f"{owner}.github.io":
        return f"https://{owner}.github.io/"  # a user or organisation site
    return f"https://{owner}.github.io/{repo}/"  # a project site


def checked_address(site_url: str, target: Target | None, local: bool = False) -> Address:
    """The address, if a site built for it can be published to ``target``; ``local``: an
    address on this machine is meant (a copy served here to try the site out)."""
    parts = urlsplit(site_url)
    if not site_url:
        raise AddressError(f"the public address is not set — set {SETTING}")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AddressError(
            f"the public address {site_url!r} is not a web address — set {SETTING} to one "
            "such as https://example.org"
        )
    if _LOCAL.match(parts.hostname) and not local:
        raise AddressError(
            f"the public address {site_url!r} is this machine's — set {SETTING} to the "
            "address readers will use (or publish with --local, for a copy served here)"
        )
    if not isinstance(target, GitTarget):
        return Address(site_url)
    pages = github_pages_address(target.remote)
    if parts.hostname.endswith(".github.io"):
        if pages and site_url.rstrip("/") + "/" != pages:
            raise AddressError(
                f"GitHub Pages serves {target.remote} at {pages}, but the site is built for "
                f"{site_url} — set {SETTING} to {pages.rstrip('/')}"
            )
        return Address(site_url)
    if parts.path not in ("", "/"):
        raise AddressError(
            f"a custom domain on GitHub Pages serves a site at its root, not at {parts.path} "
            f"— set {SETTING} to {parts.scheme}://{parts.netloc}"
        )
    return Address(site_url, cname=parts.hostname)
