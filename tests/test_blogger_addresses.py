"""Every old Blogger address of an imported blog leads to its new page: through nginx's
rules, through the pages left at the old addresses (in the browser), and invoke check
fails when one leads nowhere. Images are fetched over HTTP from a server of the test's."""

from __future__ import annotations

import functools
import http.client
import http.server
import struct
import threading
import zlib
from pathlib import Path
from urllib.parse import quote, urlsplit

import blogger_exports as bx
import pytest
from browsing import chromium, serving
from pelican.utils import slugify
from project import copy_project, invoke
from servers import free_port, nginx_server
from sitebuild import pelican

LABELS = ["blame culture", "Protección", "children's services"]


def exported():
    posts = bx.seed_posts()
    posts[0].labels.append("only on Blogger")  # his own post's file has no such tag
    posts.append(
        bx.Post(
            202,
            "Labelled",
            "<div>Words.</div>",
            "2017-05-02T09:00:00.000+01:00",
            path="/2017/05/labelled.html",
            labels=LABELS,
        )
    )
    posts.append(bx.about_page())
    comments = [bx.Comment(301, posts[0], "Thank you.", "2017-06-08T10:00:00.000+01:00")]
    return posts, bx.new_format(posts, comments)


@pytest.fixture(scope="module")
def moved(tmp_path_factory):
    """The author's project (his five posts already converted by hand) with the whole
    export imported by `invoke import-blogger`, and the public site built from it."""
    tmp = tmp_path_factory.mktemp("moved")
    project = copy_project(tmp / "project")
    posts, text = exported()
    (tmp / "export.xml").write_text(text, encoding="utf-8")
    result = invoke(project, "import-blogger", str(tmp / "export.xml"), "--no-images")
    assert "5 already yours and kept" in result.stdout and "pages: 1 (1 new" in result.stdout
    assert "posts: 6 (1 new" in result.stdout
    build = pelican(tmp / "output", content=project / "content")
    assert build.returncode == 0, build.log
    return project, posts, build.output


def expected(posts) -> dict[str, str]:
    """Each old address and the new path it must lead to, worked out from Pelican's rules."""
    found = {p.path: f"/{p.path[1:9]}{p.path[9:-5]}/" for p in posts if p.kind == "post"}
    found["/p/about-me.html"] = "/about-me/"
    labels = {label for p in posts for label in p.labels} - {"only on Blogger"}
    found["/search/label/only on Blogger"] = "/tags/"  # no such tag in the site: all tags
    for label in labels:
        slug = slugify(
            label,
            regex_subs=[
                (r"[^\w\s-]", ""),
                (r"(?u)\A\s*", ""),
                (r"(?u)\s*\Z", ""),
                (r"[-\s]+", "-"),
            ],
        )
        found[f"/search/label/{label}"] = f"/tag/{slug}/"
        found[f"/feeds/posts/default/-/{label}"] = f"/feeds/tag/{slug}.atom.xml"
    found["/feeds/posts/default"] = "/feeds/all.atom.xml"
    found["/rss.xml"] = "/feeds/all.rss.xml"
    return found


def request(address: str, path: str) -> tuple[int, str]:
    host = urlsplit(address)
    connection = http.client.HTTPConnection(host.hostname, host.port, timeout=10)
    connection.request("GET", quote(path, safe="/?=&"))
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status, response.getheader("Location") or ""


def test_nginx_redirects_every_old_address(moved, tmp_path):
    _, posts, output = moved
    rules = f"    include {output / 'redirects.nginx.conf'};\n"
    with nginx_server(output, tmp_path / "nginx", extra=rules) as address:
        wanted = expected(posts)
        assert len(wanted) >= 6 + 1 + 1 + 2 * 15 + 2
        for old, new in wanted.items():
            for query in ("", "?m=1"):
                status, location = request(address, old + query)
                assert (status, urlsplit(location).path) == (301, new), old + query
                assert request(address, new)[0] == 200, new
        assert urlsplit(request(address, "/feeds/posts/default?alt=rss")[1]).path == (
            "/feeds/all.rss.xml"
        )
        label = LABELS[0]
        assert urlsplit(request(address, f"/feeds/posts/default/-/{label}?alt=rss")[1]).path == (
            f"/feeds/tag/{label.replace(' ', '-')}.rss.xml"
        )
        assert request(address, "/2017/06/")[0] == 200  # the month: the same address as before


def test_the_other_servers_rules_say_the_same(moved):
    _, posts, output = moved
    netlify = {}
    for line in (output / "_redirects").read_text("utf-8").splitlines():
        if line and not line.startswith("#") and " alt=" not in line:
            old, new, status = line.split()
            netlify[old] = (new, status)
    apache = (output / ".htaccess").read_text("utf-8")
    for old, new in expected(posts).items():
        assert netlify[quote(old, safe="/")] == (new, "301!"), old
        assert f" {new} [R=301,L,QSD]" in apache


class GitHubPagesLike(http.server.SimpleHTTPRequestHandler):
    """Serves /a/b from a/b.html when a/b is not there, as GitHub Pages does."""

    def log_message(self, *args):
        pass

    def translate_path(self, path):
        found = super().translate_path(path)
        if not Path(found).exists() and Path(found + ".html").is_file():
            return found + ".html"
        return found


@pytest.mark.browser
def test_the_pages_at_the_old_addresses_send_the_reader_on(moved):
    _, posts, output = moved
    port = free_port()
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", port), functools.partial(GitHubPagesLike, directory=str(output))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with chromium() as browser:
            page = browser.new_page()

            def the_public_site(route):  # https://blog.test/…, answered from the build
                path = urlsplit(route.request.url).path.lstrip("/")
                served = output / (path + "index.html" if path.endswith("/") or not path else path)
                route.fulfill(status=200, content_type="text/html", body=served.read_bytes())

            page.route("https://blog.test/**", the_public_site)
            checked = 0
            for old, new in expected(posts).items():
                if old.startswith("/feeds/") or old.endswith(".xml"):
                    continue
                page.goto(f"http://127.0.0.1:{port}{quote(old)}?m=1")
                page.wait_for_url(f"https://blog.test{new}", timeout=10_000)
                assert page.locator("h1").count() >= 1
                checked += 1
            assert checked >= 10
    finally:
        server.shutdown()
        server.server_close()
    stub = (output / "2017/06/the-cupboard-is-bare.html").read_text("utf-8")
    assert '<link rel="canonical" href="https://blog.test/2017/06/the-cupboard-is-bare/">' in stub


def test_check_fails_when_an_old_address_leads_nowhere(moved, tmp_path):
    project, _, _ = moved
    broken = copy_project(tmp_path / "broken")
    for path in (project / "content" / "blogger").rglob("*"):
        if path.is_file():
            target = broken / "content" / path.relative_to(project / "content")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    (broken / "content" / "2017-06-22-the-cupboard-is-bare.md").unlink()
    result = invoke(broken, "check", check=False)
    assert result.returncode != 0
    assert "content/blogger/import.json" in result.stdout
    assert "the old address /2017/06/the-cupboard-is-bare.html leads nowhere" in result.stdout


def png(width: int = 2, height: int = 1) -> bytes:
    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def test_images_are_fetched_and_failures_reported(tmp_path):
    served = tmp_path / "served"
    (served / "s1600").mkdir(parents=True)
    (served / "s1600" / "bead chart.png").write_bytes(png())
    (served / "s1600" / "page.png").write_text("<html>not an image</html>")
    albums = tmp_path / "Albums"
    albums.mkdir()
    (albums / "from-takeout.png").write_bytes(png(3, 3))
    project = copy_project(tmp_path / "project")
    with serving(served) as address:
        html = (
            f'<div><a href="{address}s1600/bead%20chart.png"><img alt="Red beads" '
            f'src="{address}s320/bead%20chart.png"></a></div>'
            f'<div><img alt="Missing" src="{address}s1600/nothing.png"></div>'
            f'<div><img alt="Wrong" src="{address}s1600/page.png"></div>'
            f'<div><img alt="Kept" src="https://1.bp.blogspot.com/x/s1600/from-takeout.png"></div>'
        )
        posts = [
            bx.Post(
                501,
                "Pictures",
                html,
                "2017-05-01T09:00:00.000+01:00",
                path="/2017/05/pictures.html",
            )
        ]
        (tmp_path / "export.xml").write_text(bx.new_format(posts), encoding="utf-8")
        result = invoke(
            project, "import-blogger", str(tmp_path / "export.xml"), "--images", str(albums)
        )
    post = (project / "content" / "2017-05-01-pictures.md").read_text("utf-8")
    images = sorted(p.name for p in (project / "content" / "images" / "blogger").iterdir())
    assert (
        len(images) == 2
        and images[0].startswith("bead-chart-")
        and images[1].startswith("from-takeout-")
    )
    assert f"![Red beads]({{static}}/images/blogger/{images[0]})" in post
    assert f"![Kept]({{static}}/images/blogger/{images[1]})" in post
    assert f"![Missing]({address}s1600/nothing.png)" in post  # the remote address kept
    assert "images: 2 fetched, 2 failed" in result.stdout
    assert (
        "nothing.png (the server answered 404" in result.stdout and "not an image" in result.stdout
    )
    build = pelican(tmp_path / "out", content=project / "content", strict=False)
    assert build.returncode == 0, build.log
    assert (tmp_path / "out" / "images" / "blogger" / images[0]).read_bytes() == png()
