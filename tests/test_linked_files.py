"""Links to images, PDFs and other posts, in every build: strict, local, the live preview, feeds.

Built from the fixture site tests/sites/media and read back with lxml and feedparser:
each address a page or feed entry holds must name a file the build wrote.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import feedparser
import lxml.html
import pytest
from fixture_sites import fixture_site, write_png
from project import copy_project, invoke
from sitebuild import ROOT, TEST_SITEURL, pelican

from blogtools.qa.pageweight import weigh
from blogtools.qa.sitecheck import check_site
from pelican.plugins.linked_files.links import links, resolve, with_sizes
from pelican.plugins.linked_files.sizes import image_size

FIRST = "2020/01/a-post-with-pictures/index.html"
IN_FOLDER = "2020/01/a-post-in-a-folder/index.html"
KB = 1024


# The pure part ---------------------------------------------------------------------


def test_links_resolve_as_pelican_finds_them():
    assert resolve("/images/x.png", "") == "images/x.png"
    assert resolve("diagram.png", "2020") == "2020/diagram.png"
    assert resolve("../images/x.png#top", "pages") == "images/x.png"
    assert resolve("/images/a%20b.png?v=1", "") == "images/a b.png"
    assert resolve("../../etc/passwd", "pages") is None
    assert resolve("/../x", "") is None
    html = (
        '<p><img alt="a" src="{static}/images/x.png"> <a href="{filename}other.md#h">o</a>'
        "<a href='images/y.png'>y</a> <a href=\"https://example.org/z.png\">z</a>"
        '<a href="#top">t</a> <a href="/search/">s</a> <a href="mailto:a@b">m</a></p>'
    )
    found = [(link.what, link.target) for link in links(html, "")]
    assert found == [
        ("static", "images/x.png"),
        ("filename", "other.md"),
        ("", "images/y.png"),
    ]


def test_images_get_their_size_and_lazy_loading_and_keep_what_they_have():
    sizes = {"images/x.png": (640, 360)}
    html = (
        '<img alt="a" src="{static}/images/x.png">'
        '<img alt="b" src="{static}/images/x.png" width="10" height="5" loading="eager">'
        '<img alt="c" src="https://example.org/x.png">'
        '<img alt="d" src="{static}/images/unknown.png" />'
    )
    out = with_sizes(html, "", sizes.get)
    tags = lxml.html.fragments_fromstring(out)
    assert [(t.get("width"), t.get("height"), t.get("loading")) for t in tags] == [
        ("640", "360", "lazy"),
        ("10", "5", "eager"),
        (None, None, None),
        (None, None, "lazy"),
    ]


def test_image_sizes_from_png_and_svg_headers(tmp_path):
    assert image_size(write_png(tmp_path / "a.png", 31, 17)) == (31, 17)
    svg = tmp_path / "b.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="2in" height="72pt"/>')
    assert image_size(svg) == (192, 96)
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0 0 40 30"/>')
    assert image_size(svg) == (40, 30)
    (tmp_path / "c.png").write_bytes(b"not an image")
    assert image_size(tmp_path / "c.png") is None
    assert image_size(tmp_path / "missing.png") is None


# Builds ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def media(tmp_path_factory) -> Path:
    return fixture_site("media", tmp_path_factory.mktemp("media"))


def local_targets(page: Path, output: Path, site_url: str) -> list[tuple[str, Path]]:
    """(address, file it names) for every src and href of a page that stays on the site."""
    tree = lxml.html.fromstring(page.read_bytes())
    base = site_url.rstrip("/") + "/" + page.relative_to(output).as_posix()
    found = []
    for _element, attribute, url, _ in tree.iterlinks():
        if attribute not in ("src", "href") or url.startswith(("mailto:", "#")):
            continue
        absolute = urljoin(base, url)
        if site_url and not absolute.startswith(site_url):
            continue
        path = unquote(urlsplit(absolute).path)
        if site_url:
            path = path[len(urlsplit(site_url).path) :]
        target = output / path.lstrip("/")
        if path.endswith("/") or target.is_dir():
            target = target / "index.html"
        found.append((url, target))
    return found


def assert_every_link_resolves(output: Path, site_url: str) -> None:
    for rel in (FIRST, IN_FOLDER, "2020/01/the-second-post/index.html", "about/index.html"):
        page = output / rel
        assert page.is_file(), rel
        targets = local_targets(page, output, site_url)
        assert targets
        for url, target in targets:
            assert "{" not in url, (rel, url)
            assert target.is_file(), (rel, url, target)
    first = lxml.html.fromstring((output / FIRST).read_bytes())
    assert [i.get("alt") for i in first.iter("img")] == [
        "Red and white beads in a paddle",
        "A caseload drawn as bars",
    ]
    assert [(i.get("width"), i.get("height")) for i in first.iter("img")] == [
        ("640", "360"),
        ("320", "160"),
    ]
    assert (output / "files" / "report.pdf").read_bytes().startswith(b"%PDF-")
    assert (output / "2020" / "diagram.png").is_file()
    assert check_site(output, site_url) == []


def test_strict_public_build_resolves_every_link_and_feeds_are_absolute(media, tmp_path):
    build = pelican(tmp_path / "out", content=media)
    assert build.returncode == 0, build.log
    assert "asked for before" not in build.log and "Unable to find" not in build.log
    assert_every_link_resolves(build.output, TEST_SITEURL)
    for name in ("all.atom.xml", "all.rss.xml"):
        feed = feedparser.parse(build.output / "feeds" / name)
        assert not feed.bozo and len(feed.entries) == 3
        for entry in feed.entries:
            html = entry.content[0].value if "content" in entry else entry.summary
            tree = lxml.html.fragment_fromstring(html, create_parent="div")
            for _, attribute, url, _ in tree.iterlinks():
                assert url.startswith(TEST_SITEURL + "/"), (entry.title, attribute, url)
                rel = url[len(TEST_SITEURL) + 1 :].split("#")[0]
                target = build.output / rel
                assert (target / "index.html" if rel.endswith("/") or not rel else target).is_file()


def test_local_build_resolves_every_link(media, tmp_path):
    build = pelican(tmp_path / "out", settings="pelicanconf.py", content=media)
    assert build.returncode == 0, build.log
    assert_every_link_resolves(build.output, "")


def test_the_live_preview_resolves_every_link_before_and_after_an_edit(media, tmp_path):
    """The preview's builder keeps posts in memory between saves: the kept ones' links
    must resolve as well as the one read again."""
    content = tmp_path / "content"
    shutil.copytree(media, content)
    output = tmp_path / "out"
    overrides = {
        "PATH": str(content),
        "OUTPUT_PATH": str(output),
        "CACHE_PATH": str(tmp_path / "cache"),
        "PLUGIN_CACHE_PATH": str(tmp_path / "cache"),
    }
    builder = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "blogtools.preview.builder",
            str(ROOT / "pelicanconf.py"),
            "--override",
            json.dumps(overrides),
        ],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # never read: a pipe would fill and stall the builder
        text=True,
    )

    def build(changed: list[str], full: bool) -> dict:
        builder.stdin.write(json.dumps({"cmd": "build", "changed": changed, "full": full}) + "\n")
        builder.stdin.flush()
        return json.loads(builder.stdout.readline())

    try:
        first = build([], True)
        assert first["ok"], first
        assert_every_link_resolves(output, "")
        second = content / "2020-01-02-the-second-post.md"
        second.write_text(second.read_text() + "\nOne more sentence.\n")
        again = build(["2020-01-02-the-second-post.md"], False)
        assert again["ok"] and not again["full"], again
        assert "One more sentence." in (output / "2020/01/the-second-post/index.html").read_text()
        assert_every_link_resolves(output, "")
    finally:
        builder.stdin.close()
        builder.wait(timeout=60)


def test_a_post_with_an_image_stays_within_the_page_weight_budget(media, tmp_path):
    build = pelican(tmp_path / "out", content=media)
    assert build.returncode == 0, build.log
    weight = weigh(build.output, build.output / FIRST, TEST_SITEURL)
    assert weight.total < 40 * KB and weight.gzipped < 12 * KB, weight
    assert weight.render_blocking == []
    for page in build.output.rglob("*.html"):
        for image in lxml.html.fromstring(page.read_bytes()).iter("img"):
            assert image.get("width") and image.get("height"), (page, image.get("src"))


# Mistakes --------------------------------------------------------------------------


def test_a_missing_file_and_a_relative_address_are_named_with_their_line(media, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(media, content)
    post = content / "2020-01-02-the-second-post.md"
    post.write_text(
        post.read_text()
        + "\n![A chart]({static}/images/missing.png)\n\nSee [the PDF](files/report.pdf).\n"
    )
    lines = post.read_text().splitlines()
    missing_line = next(n for n, t in enumerate(lines, 1) if "missing.png" in t)
    relative_line = next(n for n, t in enumerate(lines, 1) if "(files/report.pdf)" in t)
    preview = pelican(tmp_path / "local", settings="pelicanconf.py", content=content, strict=False)
    assert preview.returncode == 0, preview.log
    shown = str(post) if not post.is_relative_to(ROOT) else str(post.relative_to(ROOT))
    assert (
        f"{shown}:{missing_line}: links to {{static}}/images/missing.png, but there is no file "
        in preview.log
    )
    assert "put the file there, or correct the link" in preview.log
    assert (
        f"{shown}:{relative_line}: links to 'files/report.pdf', an address relative to the "
        "page's own, where the file will not be — write {static}/files/report.pdf"
    ) in preview.log
    assert "Unable to find" not in preview.log and "modification stamp" not in preview.log
    strict = pelican(tmp_path / "strict", content=content)
    assert strict.returncode != 0
    assert f"{shown}:{missing_line}: links to" in strict.log


def test_the_guard_fails_a_build_in_which_a_plugin_reads_html_too_early(media, tmp_path):
    """The guard every test build carries, shown to work: a plugin that asks for a post's
    HTML as soon as the posts are read fails the strict build, named by its line."""
    plugins = tmp_path / "plugins" / "too_early"
    plugins.mkdir(parents=True)
    (plugins / "__init__.py").write_text(
        "from pelican import signals\n\n"
        "def _read(generator):\n"
        "    for article in generator.articles:\n"
        "        article.content  # too early: the static files are not listed yet\n\n"
        "def register():\n"
        "    signals.article_generator_finalized.connect(_read)\n"
    )
    from sitebuild import GUARDS, TEST_PLUGINS, project_plugins

    build = pelican(
        tmp_path / "out",
        content=media,
        PLUGIN_PATHS=[str(TEST_PLUGINS), str(tmp_path / "plugins")],
        PLUGINS=[*project_plugins(), "too_early", *GUARDS],
    )
    assert build.returncode != 0
    assert "too_early/__init__.py:5: the HTML of" in build.log
    assert "before every generator had read its files" in build.log


def test_invoke_publish_deploys_the_image_the_pdf_and_the_links(media, tmp_path):
    project = copy_project(tmp_path / "project")
    shutil.rmtree(project / "content")
    shutil.copytree(media, project / "content")
    target = tmp_path / "www"
    target.mkdir()
    done = invoke(project, "publish", "--target", str(target), env={"PUBLIC_SITEURL": TEST_SITEURL})
    assert "no problems" in done.stdout, done.stdout + done.stderr
    assert_every_link_resolves(target / "current", TEST_SITEURL)


def test_each_build_keeps_its_own_reported_links_and_filter(tmp_path):
    """Two builds in one process (the preview's): each filters Pelican's messages by its own
    links only, on its own object, and takes its filter off at the end."""
    import logging

    from pelican.plugins.linked_files.build import PELICAN_UNFOUND, LinkedFiles

    loggers = [logging.getLogger(name) for name in PELICAN_UNFOUND]
    first = LinkedFiles.start({"PATH": str(tmp_path)})
    first.unfound.values.add("/images/gone.png")
    second = LinkedFiles.start({"PATH": str(tmp_path)})
    assert second.unfound.values == set() and first is not second
    for found in loggers:
        assert second.unfound in found.filters and first.unfound not in found.filters
    record = logging.LogRecord(
        "pelican.contents", logging.WARNING, "", 0, PELICAN_UNFOUND["pelican.contents"],
        ("/images/gone.png",), None,
    )  # fmt: skip
    assert second.unfound.filter(record)  # not reported by this build: Pelican's message stays
    second.finish()
    assert not [f for found in loggers for f in found.filters if f is second.unfound]
