"""Old addresses as redirects: server rules for nginx, Apache and Netlify, and pages.

A ``Redirect`` is an old path (with, for Blogger's feeds, the query that chose the
format) and the address it now has. The three rule files say the same thing in
each server's words; hosts that run no rules (GitHub Pages) get a small page at the
old path that sends the browser on and names the new address as canonical. Old
paths come from an export someone else's software wrote: each is checked here to
be a plain path before it goes into a rule or a file name, and is quoted for the
rule it goes into.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import quote, unquote

_PLAIN = re.compile(r"/[^\x00-\x1f\x7f\"\\<>`{}|^?#]*")
_TARGET = re.compile(r"(https?://[A-Za-z0-9.-]+(:\d+)?)?/[A-Za-z0-9/._~%!$&'()*+,;=:@-]*")


@dataclass(frozen=True)
class Redirect:
    """``old`` (a path, decoded: ``/search/label/blame culture``), optionally only when
    the query has ``alt=VALUE``, to ``new`` (a path or an address)."""

    old: str
    new: str
    alt: str = ""  # Blogger's feed format in the query: "rss"
    title: str = ""  # what is at the new address, for the page left at the old one


def plain_path(path: str) -> str | None:
    """``path`` if it is one a rule and a file may be made from (decoded, no '..', no
    control or quoting characters), else None."""
    path = unquote(path)
    if not _PLAIN.fullmatch(path):
        return None
    normal = posixpath.normpath(path) + ("/" if path.endswith("/") and path != "/" else "")
    if normal != path or "/../" in path + "/" or path.startswith("//"):
        return None
    return path


def safe_target(target: str) -> bool:
    """Whether ``target`` is an address our rules may send to (our own URLs always are)."""
    return bool(_TARGET.fullmatch(target))


def nginx(redirects: list[Redirect]) -> str:
    """An nginx include file: ``include …/redirects.nginx.conf;`` inside the server block."""
    lines = [
        "# Old Blogger addresses, redirected permanently (written by the site's build).",
        "# The query (?m=1, ?alt=rss) is matched by the rules and not passed on.",
    ]
    by_path: dict[str, list[Redirect]] = {}
    for redirect in redirects:
        by_path.setdefault(redirect.old, []).append(redirect)
    for old, group in by_path.items():
        lines.append(f'location = "{_nginx_quote(old)}" {{')
        for redirect in sorted(group, key=lambda r: not r.alt):
            if redirect.alt:
                lines.append(
                    f'    if ($arg_alt = "{_nginx_quote(redirect.alt)}") '
                    f'{{ return 301 "{_nginx_quote(redirect.new)}"; }}'
                )
            else:
                lines.append(f'    return 301 "{_nginx_quote(redirect.new)}";')
        lines.append("}")
    return "\n".join(lines) + "\n"


def _nginx_quote(text: str) -> str:
    # In a quoted nginx string a backslash escapes; "$" would start a variable, and
    # neither appears in a plain path or one of our targets (checked before).
    return text.replace("\\", "\\\\").replace('"', '\\"')


def apache(redirects: list[Redirect]) -> str:
    """An Apache ``.htaccess`` (mod_rewrite), for the site's root folder."""
    lines = [
        "# Old Blogger addresses, redirected permanently (written by the site's build).",
        "RewriteEngine On",
    ]
    for redirect in sorted(redirects, key=lambda r: (r.old, not r.alt)):
        pattern = "^" + re.escape(redirect.old.lstrip("/")) + "$"  # a space escaped too
        if redirect.alt:
            lines.append(f"RewriteCond %{{QUERY_STRING}} (^|&)alt={re.escape(redirect.alt)}(&|$)")
        lines.append(f"RewriteRule {pattern} {redirect.new} [R=301,L,QSD]")
    return "\n".join(lines) + "\n"


def netlify(redirects: list[Redirect]) -> str:
    """Netlify's (and Cloudflare Pages') ``_redirects``: a query rule before the plain."""
    lines = ["# Old Blogger addresses, redirected permanently (written by the site's build)."]
    for redirect in sorted(redirects, key=lambda r: (r.old, not r.alt)):
        old = quote(redirect.old, safe="/")
        query = f" alt={redirect.alt}" if redirect.alt else ""
        lines.append(f"{old}{query} {redirect.new} 301!")
    return "\n".join(lines) + "\n"


def stub_page(new: str, title: str) -> str:
    """A page at an old address that sends the reader on, for hosts without rules."""
    address, name = html.escape(new, quote=True), html.escape(title)
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<title>{name}</title>\n<link rel="canonical" href="{address}">\n'
        f'<meta http-equiv="refresh" content="0; url={address}">\n'
        '<meta name="robots" content="noindex">\n</head>\n<body>\n'
        f'<p>This page has moved to <a href="{address}">{name}</a>.</p>\n</body>\n</html>\n'
    )


def stub_file(old: str) -> str:
    """Where, inside the site, a page for ``old`` goes so that a host without rules
    serves it at that address (GitHub Pages serves ``/a/b`` from ``a/b.html``)."""
    inside = old.lstrip("/")
    if not inside or inside.endswith("/"):
        return inside + "index.html"
    if inside.endswith((".html", ".htm", ".xml")):
        return inside
    return inside + ".html"
