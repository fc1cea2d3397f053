"""invoke import-blogger: a Blogger export, in either format, into content/ and the site."""

from __future__ import annotations

import json
import re
import shutil
import threading
from pathlib import Path

import blogger_exports as bx
import markdown
import pytest
from lxml import html as lxml_html
from sitebuild import ROOT, pelican

from blogtools.blogger.export import read_export
from blogtools.blogger.importer import options_for, run
from blogtools.blogger.markup import to_markdown


def blocks(text: str) -> list[tuple[str, str]]:
    """A Markdown text's blocks as a reader sees them: (element, its words)."""
    text = text.replace("\\@", "@")  # the citations' escape: an at-sign written as such
    tree = lxml_html.fragment_fromstring(
        markdown.markdown(text, extensions=["extra"]), create_parent="div"
    )
    return [(b.tag, " ".join(b.text_content().split())) for b in tree]


def import_into(tmp_path: Path, export_text: str, name: str = "site", **asked):
    """The export imported into a new content/ folder; (exit status, report, content)."""
    content = tmp_path / name / "content"
    if not content.exists():
        content.mkdir(parents=True)
        (content / "references.bib").write_text("", encoding="utf-8")
    export = tmp_path / f"{name}-export.xml"
    export.write_text(export_text, encoding="utf-8")
    options = options_for(ROOT / "pelicanconf.py", export, **{"fetch_images": False, **asked})
    options.content = content
    code, lines = run(options)
    return code, "\n".join(lines), content


def sample(draft=True, page=True, deleted=True):
    posts = bx.seed_posts()
    if draft:
        posts.append(
            bx.Post(
                200,
                "A draft never published",
                "<div>Not yet.</div>",
                "2017-06-25T09:00:00.000+01:00",
                status="DRAFT",
                labels=["Ofsted"],
            )
        )
    if page:
        posts.append(bx.about_page())
    if deleted:
        posts.append(
            bx.Post(
                202,
                "Gone",
                "<div>Deleted.</div>",
                "2017-05-01T09:00:00.000+01:00",
                status="SOFT_TRASHED",
                path="/2017/05/gone.html",
            )
        )
    comments = [
        bx.Comment(
            301,
            posts[0],
            "Great post!<br>Second line <script>alert(1)</script>"
            '<a href="javascript:alert(2)">bad</a> <a href="https://example.org">ok</a>'
            '<img src=x onerror=alert(3)><b onmouseover="alert(4)">bold</b>',
            "2017-06-08T10:00:00.000+01:00",
            author="A <Reader>",
            url="javascript:alert(5)",
        ),
        bx.Comment(
            302,
            posts[0],
            "I disagree &amp; say so.",
            "2017-06-09T10:00:00.000+01:00",
            author="Ann Other",
            url="https://ann.example/",
        ),
    ]
    return posts, comments


FORMATS = {"older": bx.old_format, "newer": bx.new_format}


@pytest.mark.parametrize("kind", FORMATS)
def test_both_formats_read_the_same(tmp_path, kind):
    posts, comments = sample()
    path = tmp_path / "export.xml"
    path.write_text(FORMATS[kind](posts, comments), encoding="utf-8")
    export = read_export(path)
    by_kind = {k: [e for e in export.entries if e.kind == k] for k in ("post", "page", "comment")}
    assert [e.title for e in by_kind["page"]] == ["About me"]
    assert {c.parent for c in by_kind["comment"]} == {posts[0].id}
    statuses = {e.title: e.status for e in by_kind["post"]}
    assert statuses["A draft never published"] == "draft"
    assert statuses.get("Gone", "deleted") == "deleted"  # the older format leaves it out
    seed = by_kind["post"][0]
    assert seed.path == posts[0].path and seed.labels == posts[0].labels
    assert seed.published.utcoffset().total_seconds() == 3600
    assert export.unknown == []


@pytest.mark.parametrize("kind", FORMATS)
def test_the_seed_posts_come_out_as_the_author_wrote_them(tmp_path, kind):
    posts, comments = sample()
    code, report, content = import_into(tmp_path, FORMATS[kind](posts, comments))
    assert code == 0, report
    for source in sorted(bx.SEED.glob("*.md")):
        written = (content / source.name).read_text(encoding="utf-8")
        meta, body = bx.body_of(content / source.name)
        original, _ = bx.body_of(source)
        assert blocks(body) == blocks(bx.blogger_body(source)), source.name
        assert "&nbsp;" not in written and "\xa0" not in written and "style=" not in written
        assert meta["Title"] == original["Title"] and meta["Slug"] == source.stem[11:]
        assert meta["Date"] == original["Date"] + "+01:00"  # with its time zone
        assert meta["Tags"] == original["Tags"] and meta["Category"] == original["Category"]
    assert "[1] Reason J. “Human error: models and management”" in report  # citation candidates
    draft = (content / "2017-06-25-a-draft-never-published.md").read_text(encoding="utf-8")
    assert "Status: draft" in draft
    assert (content / "pages" / "about-me.md").is_file()
    assert not list(content.glob("*gone*"))
    if kind == "newer":  # the newer export carries the search description
        assert "Summary: Ofsted’s report on Gloucestershire condemns" in (
            content / "2017-06-19-gloucestershire-blaming-the-blamers.md"
        ).read_text("utf-8")


def test_readers_comments_are_kept_and_made_harmless(tmp_path):
    posts, comments = sample()
    code, report, content = import_into(tmp_path, bx.new_format(posts, comments))
    assert code == 0 and "comments: 2" in report
    [thread] = list((content / "blogger" / "comments").glob("*.json"))
    kept = json.loads(thread.read_text(encoding="utf-8"))
    text = json.dumps(kept)
    for hostile in ("script", "javascript", "onerror", "onmouseover", "alert(3)"):
        assert hostile not in text
    assert kept[0]["author"] == "A <Reader>" and kept[0]["url"] == ""
    assert 'href=\\"https://example.org\\" rel=\\"nofollow ugc noopener\\"' in text


def test_blogger_markup_becomes_plain_markdown():
    converted = to_markdown(
        '<div style="text-align: justify;">One&nbsp; <span style="font-weight: bold;">two'
        "</span> <i>three</i><br /><br />Four<br />five</div>"
        "<ul><li>a<ul><li>b</li></ul></li></ul><h3>Head</h3>"
        "<table><tr><th>x</th></tr><tr><td>1</td></tr></table>"
        '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>'
        "<script>alert(1)</script><div>&lt;script&gt;alert(2)&lt;/script&gt; @someone *x*</div>"
        "<div># not a heading</div><div>1. not a list</div>"
        '<a href="javascript:alert(3)">text only</a>'
    )
    md = converted.markdown
    assert md.startswith("One **two** *three*\n\nFour  \nfive\n\n- a\n  - b\n\n### Head\n")
    assert (
        "| x |" in md
        and "[Watch the video on YouTube](https://www.youtube.com/watch?v=dQw4w9WgXcQ)" in md
    )
    rendered = markdown.markdown(md, extensions=["extra"])
    assert "<script" not in rendered and "javascript" not in rendered and "alert(1)" not in rendered
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in rendered
    assert "<h1>" not in rendered and "<ol>" not in rendered and "text only" in rendered
    assert "\\@someone" in md  # not a citation
    assert converted.removed == ["script"] and converted.embeds


def test_an_import_again_updates_only_what_the_author_has_not_touched(tmp_path):
    posts, comments = sample()
    code, _, content = import_into(tmp_path, bx.new_format(posts, comments))
    assert code == 0
    again, report, _ = import_into(tmp_path, bx.new_format(posts, comments))
    assert again == 0 and "wrote 0 files" in report and "6 unchanged" in report
    edited = content / "2017-06-14-whats-in-a-name.md"
    edited.write_text(edited.read_text("utf-8") + "\nMy own new paragraph.\n", encoding="utf-8")
    (content / "2017-06-22-the-cupboard-is-bare.md").unlink()
    posts[0].html += "<div>A paragraph added on Blogger.</div>"
    posts[1].html += "<div>Added on Blogger too.</div>"
    posts.append(
        bx.Post(
            203,
            "A newer post",
            "<div>New.</div>",
            "2017-07-01T09:00:00.000+01:00",
            path="/2017/07/a-newer-post.html",
            labels=["Ofsted"],
        )
    )
    code, report, _ = import_into(tmp_path, bx.new_format(posts, comments))
    assert code == 0, report
    assert "A paragraph added on Blogger." in (
        content / "2017-06-07-ofsteds-methodology-how-good-is-it.md"
    ).read_text("utf-8")
    assert "My own new paragraph." in edited.read_text("utf-8")
    assert "Added on Blogger too." not in edited.read_text("utf-8")
    assert not (content / "2017-06-22-the-cupboard-is-bare.md").exists()
    assert (content / "2017-07-01-a-newer-post.md").is_file()
    assert "edited since it was imported — kept" in report and "deleted since" in report


def test_an_interrupted_import_is_finished_by_the_next(tmp_path):
    posts, comments = sample()
    code, _, content = import_into(tmp_path, bx.new_format(posts, comments))
    record = content / "blogger" / "import.json"
    state = json.loads(record.read_text("utf-8"))
    state["finished"] = False  # as an import stopped half-way leaves it
    record.write_text(json.dumps(state), encoding="utf-8")
    (content / "2017-06-22-the-cupboard-is-bare.md").unlink()  # not written yet
    code, report, _ = import_into(tmp_path, bx.new_format(posts, comments))
    assert code == 0 and (content / "2017-06-22-the-cupboard-is-bare.md").is_file(), report


def test_the_authors_own_posts_are_kept_and_their_old_addresses_recorded(tmp_path):
    content = tmp_path / "site" / "content"
    shutil.copytree(bx.SEED, content)
    before = {p: p.read_bytes() for p in content.rglob("*.md")}
    posts, comments = sample()
    code, report, _ = import_into(tmp_path, bx.new_format(posts, comments))
    assert code == 0 and "5 already yours and kept" in report
    assert all(p.read_bytes() == data for p, data in before.items())
    record = json.loads((content / "blogger" / "import.json").read_text("utf-8"))
    files = {e["old"]: e["file"] for e in record["entries"] if e["old"]}
    assert files["/2017/06/the-cupboard-is-bare.html"] == "2017-06-22-the-cupboard-is-bare.md"


def test_a_dry_run_writes_nothing(tmp_path):
    posts, comments = sample()
    code, report, content = import_into(tmp_path, bx.new_format(posts, comments), dry_run=True)
    assert code == 0 and "would write 8 files" in report
    assert "new: content/2017-06-22-the-cupboard-is-bare.md" in report
    assert sorted(p.name for p in content.iterdir()) == ["references.bib"]


BAD = {
    "not XML": ("this is not xml at all", "not well-formed XML"),
    "truncated": (None, "cut short"),
    "an RSS feed": (
        "<?xml version='1.0'?><rss version='2.0'><channel/></rss>",
        "not a Blogger export: its root element is <rss>",
    ),
    "another Atom feed": (
        "<feed xmlns='http://www.w3.org/2005/Atom'><id>x</id>"
        "<generator>WordPress</generator></feed>",
        "not one Blogger wrote",
    ),
    "no posts": (
        "<feed xmlns='http://www.w3.org/2005/Atom'><id>tag:blogger.com,1999:blog-1</id></feed>",
        "holds no posts or pages",
    ),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_input_is_named_and_writes_nothing(tmp_path, case):
    text, expected = BAD[case]
    if text is None:
        posts, comments = sample()
        full = bx.new_format(posts, comments)
        text = full[: len(full) // 2]
    code, report, content = import_into(tmp_path, text)
    assert code == 1 and expected in report, report
    assert re.match(r"\S+export\.xml(:\d+)?: .+ — .+", report), report
    assert sorted(p.name for p in content.iterdir()) == ["references.bib"]


def test_odd_entries_are_imported_and_named(tmp_path):
    posts = [
        bx.Post(
            401,
            "Same title",
            "<div>One.</div>",
            "2017-06-01T09:00:00.000+01:00",
            path="/2017/06/same-title.html",
            labels=["blame culture", "Protección", "a, b"],
        ),
        bx.Post(
            402,
            "Same title",
            "<div>Two.</div>",
            "2017-06-01T10:00:00.000+01:00",
            path="/2017/06/same-title.html",
        ),
        bx.Post(
            403,
            "",
            "<div>No title here.</div>",
            "2017-06-02T09:00:00.000+01:00",
            path="/2017/06/blog-post.html",
        ),
    ]
    text = bx.new_format(posts).replace(
        "</feed>", "<entry><id>x</id><blogger:type>WIDGET</blogger:type></entry></feed>"
    )
    code, report, content = import_into(tmp_path, text)
    assert code == 0, report
    assert (content / "2017-06-01-same-title.md").is_file()
    assert (content / "2017-06-01-same-title-2.md").is_file()
    assert "a second post with the address of another" in report
    assert "with no title — titled “Untitled (2 June 2017)”" in report
    assert "an entry of an unknown kind (widget) was left out" in report
    first = (content / "2017-06-01-same-title.md").read_text("utf-8")
    assert "Tags: blame culture, Protección, a b" in first


def test_two_imports_at_once_one_waits_its_turn(tmp_path):
    posts, comments = sample()
    text = bx.new_format(posts, comments)
    import_into(tmp_path, text, dry_run=True)  # the folder made
    import fcntl

    lock_path = tmp_path / "site" / "content" / "blogger" / ".import.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        code, report, content = import_into(tmp_path, text)
    assert code == 1 and "another import into this content/ is running" in report
    assert not list(content.glob("*.md"))
    assert threading.active_count() >= 1


@pytest.fixture(scope="module")
def imported_site(tmp_path_factory):
    """The seed posts imported from the newer export and built as the public site."""
    tmp_path = tmp_path_factory.mktemp("blogger")
    posts, comments = sample()
    code, report, content = import_into(tmp_path, bx.new_format(posts, comments))
    assert code == 0, report
    build = pelican(tmp_path / "output", content=content)
    assert build.returncode == 0, build.log
    return build


def test_the_imported_site_builds_strictly_with_comments_shown_not_fed(imported_site):
    page = lxml_html.fromstring(
        imported_site.read("2017/06/ofsteds-methodology-how-good-is-it/index.html")
    )
    [section] = page.xpath('//section[@class="archived-comments"]')
    assert section.get("data-pagefind-ignore") is not None
    assert "Comments from the original blog" in section.text_content()
    assert [a.get("rel") for a in section.xpath(".//a")] == ["nofollow ugc noopener"] * 2
    assert not section.xpath(".//script | .//*[@onerror] | .//*[@onmouseover]")
    assert "Great post" not in imported_site.read("feeds/all.atom.xml")


@pytest.mark.parametrize(("source", "wanted"), bx.FEATURES)
def test_each_kind_of_blogger_markup_becomes_what_an_author_writes(source, wanted):
    assert to_markdown(source).markdown == wanted


def test_the_settings_put_the_comments_in_the_feeds_and_the_search(tmp_path):
    posts, comments = sample()
    code, report, content = import_into(tmp_path, bx.new_format(posts, comments))
    assert code == 0, report
    build = pelican(
        tmp_path / "output",
        content=content,
        BLOGGER_COMMENTS_IN_FEEDS=True,
        BLOGGER_COMMENTS_IN_SEARCH=True,
    )
    assert build.returncode == 0, build.log
    feed = build.read("feeds/all.atom.xml")
    assert "Comments from the original blog" in feed and "Great post!" in feed
    assert "alert(" not in feed
    page = lxml_html.fromstring(build.read("2017/06/ofsteds-methodology-how-good-is-it/index.html"))
    [section] = page.xpath('//section[@class="archived-comments"]')
    assert section.get("data-pagefind-ignore") is None


def test_a_trimmed_export_without_the_feeds_own_id_is_still_read(tmp_path):
    """As exports cut down by other tools are found: no <id> or <generator> of the feed,
    the Blogger namespace and the entries' own ids only."""
    text = (
        "<?xml version='1.0' encoding='UTF-8' ?>\n<feed xmlns='http://www.w3.org/2005/Atom' "
        "xmlns:blogger='http://schemas.google.com/blogger/2008'><entry>"
        "<id>tag:blogger.com,1999:blog-1.post-11</id>"
        "<published>2023-05-01T10:00:00+01:00</published>"
        "<category scheme='http://schemas.google.com/g/2005#kind' "
        "term='http://schemas.google.com/blogger/2008/kind#post' />"
        "<title type='text'>Market day</title><content type='html'>&lt;p&gt;Hello&lt;/p&gt;"
        "</content><link rel='alternate' type='text/html' "
        "href='https://example.blogspot.com/2023/05/market-day.html' /></entry></feed>\n"
    )
    code, report, content = import_into(tmp_path, text)
    assert code == 0, report
    assert "Slug: market-day" in (content / "2023-05-01-market-day.md").read_text("utf-8")
