"""What the build reads stays inside content/, what it writes inside the output, and no input
makes it work without end: each case named with its file and line, never a traceback."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import lxml.html
import pytest
from project import copy_project, invoke
from sitebuild import copy_content, pelican, strict_and_preview

POST = "2017-06-22-the-cupboard-is-bare.md"
PAGE = "2017/06/the-cupboard-is-bare/index.html"


def with_text(content: Path, text: str, post: str = POST) -> Path:
    path = content / post
    path.write_text(path.read_text(encoding="utf-8") + "\n" + text + "\n", encoding="utf-8")
    return path


def chart(lines: str) -> str:
    return f"```chart\n{lines}\n```"


def line_of(path: Path, needle: str) -> int:
    return next(n for n, t in enumerate(path.read_text().splitlines(), 1) if needle in t)


# Chart data ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("../../../etc/passwd", "'data' must name a .csv file in content/data/"),
        ("/etc/hostname", "'data' must name a .csv file in content/data/"),
        ("/dev/zero", "'data' must name a .csv file in content/data/"),
        ("fifo.csv", "is not a file"),
        ("outside.csv", "leads outside"),
        ("huge.csv", "more than the 1,000,000 a chart may read"),
        ("rows.csv", "has 20,000 rows, more than the 1,000 a funnel plot may show"),
    ],
)
def test_chart_data_is_read_only_from_the_data_folder_and_bounded(tmp_path, data, message):
    content = copy_content(tmp_path)
    folder = content / "data"
    folder.mkdir()
    if data == "fifo.csv":
        os.mkfifo(folder / "fifo.csv")  # opened, it would block the build for ever
    elif data == "outside.csv":  # a link inside data/ (not one leaving content/ itself)
        (tmp_path / "elsewhere").mkdir()
        (tmp_path / "elsewhere" / "real.csv").write_text("authority,cases,poor\nx,10,1\n")
        (content / "other").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
        (folder / "outside.csv").symlink_to("../other/real.csv")
    elif data == "huge.csv":
        (folder / "huge.csv").write_text("authority,cases,poor\n" + "x,10,1\n" * 200_000)
    elif data == "rows.csv":
        (folder / "rows.csv").write_text("authority,cases,poor\n" + "x,10,1\n" * 20_000)
    post = with_text(content, chart(f'kind = "funnel"\ndata = "{data}"'))
    start = time.perf_counter()
    build = pelican(tmp_path / "out", content=content)
    assert time.perf_counter() - start < 60
    assert build.returncode != 0
    line = line_of(post, f'data = "{data}"')
    lenient = pelican(tmp_path / "lenient", content=content, strict=False)  # every message
    assert re.search(rf"{re.escape(POST)}:{line}: chart: .*{re.escape(message)}", lenient.log)


def test_a_chart_always_shows_the_data_it_names(tmp_path):
    """Keyed by the parsed block, not by a pattern over its text: a quoted key still names
    the data file, and an edited file is drawn again."""
    content = copy_content(tmp_path)
    (content / "data").mkdir()
    data = content / "data" / "x.csv"
    data.write_text("authority,cases,poor\nNorth,25,4\nSouth,30,12\n")
    with_text(content, chart('kind = "funnel"\n"data" = "x.csv"'))
    first = pelican(tmp_path / "one", content=content, cache=tmp_path / "cache")
    assert first.returncode == 0, first.log
    data.write_text("authority,cases,poor\nNorth,25,4\nSouth,30,12\nWest,40,20\n")
    second = pelican(tmp_path / "two", content=content, cache=tmp_path / "cache")
    assert second.returncode == 0, second.log
    assert "West" not in first.read(PAGE) and "West" in second.read(PAGE)


# Bounded work ----------------------------------------------------------------------


def test_a_chart_that_would_take_a_minute_is_refused_at_once(tmp_path):
    content = copy_content(tmp_path)
    block = 'kind = "verdict-risk"\nsamples = [10000, 9999, 9998, 9997, 9996, 9995]\n'
    block += "threshold_share = 0.3\nstep = 0.001"
    post = with_text(content, chart(block))
    start = time.perf_counter()
    build = pelican(tmp_path / "out", content=content)
    assert time.perf_counter() - start < 30
    line = line_of(post, "samples = [10000")
    assert re.search(
        rf"{re.escape(POST)}:{line}: chart: this chart would take about 60,\d{{3}},\d{{3}} steps "
        r"to compute, more than the 6,000,000 a chart may take — use fewer or smaller samples",
        build.log,
    )


def test_a_chart_past_its_time_limit_is_stopped_and_the_rest_is_built(tmp_path):
    content = copy_content(tmp_path)
    heavy = 'kind = "verdict-risk"\nsamples = [10000, 9999]\nthreshold = 3000\nstep = 0.004'
    post = with_text(content, chart(heavy))  # within the limits, and some seconds of work
    preview = pelican(
        tmp_path / "out",
        settings="pelicanconf.py",
        content=content,
        strict=False,
        CHARTS_TIME_LIMIT=0.5,
    )
    assert preview.returncode == 0, preview.log
    line = line_of(post, 'kind = "verdict-risk"')
    assert f"{POST}:{line}: chart: computing it took more than 0.5 s, and was stopped" in (
        preview.log
    )
    page = lxml.html.fromstring(preview.read(PAGE))
    assert page.xpath("//div[@class='chart-error']")
    assert (preview.output / "2017/06/ofsteds-methodology-how-good-is-it/index.html").is_file()


def test_a_funnel_data_file_with_counts_too_large_to_chart(tmp_path):
    content = copy_content(tmp_path)
    (content / "data").mkdir()
    rows = "".join(f"u{n},{900_000 + n},{n}\n" for n in range(10))
    (content / "data" / "big.csv").write_text("authority,cases,poor\n" + rows)
    with_text(content, chart('kind = "funnel"\ndata = "big.csv"'))
    build = pelican(tmp_path / "out", content=content)
    assert "steps to chart, more than the 6,000,000 a chart may take" in build.log


# Files outside the site --------------------------------------------------------------


def test_symlinks_and_links_that_leave_content_publish_nothing(tmp_path):
    secret = tmp_path / "home"
    (secret / ".ssh").mkdir(parents=True)
    (secret / ".ssh" / "id_rsa").write_text("PRIVATE KEY")
    content = copy_content(tmp_path / "src")
    (content / "images").mkdir()
    (content / "images" / "home").symlink_to(secret, target_is_directory=True)
    (content / "images" / "passwd.txt").symlink_to("/etc/passwd")
    with_text(content, "[a]({static}/../../../../etc/hostname) [b]({static}/images/passwd.txt)")
    strict, preview = strict_and_preview(tmp_path, content)
    assert strict.returncode != 0
    assert preview.returncode == 0, preview.log
    assert "content/images/home: is a symlink that leads outside the content folder" in (
        preview.log
    )
    assert "images/passwd.txt: is a symlink that leads outside" in preview.log
    assert "which is outside the content folder — link only to files in content/" in preview.log
    published = {p.name for p in preview.output.rglob("*")}
    assert not {"id_rsa", "passwd.txt", "hostname", ".ssh"} & published


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "Save_as: ../output-evil/x.html",
            "Save_as '../output-evil/x.html' leads outside the site",
        ),
        ("URL: /../../x/", "Url '/../../x/' leads outside the site"),
        ("Slug: ../../x", "Slug '../../x' is not a slug"),
    ],
)
def test_metadata_that_would_write_outside_the_output_is_refused(tmp_path, line, message):
    content = copy_content(tmp_path / "src")
    post = content / POST
    post.write_text(post.read_text().replace("Summary:", f"{line}\nSummary:", 1))
    number = line_of(post, line)
    strict, preview = strict_and_preview(tmp_path, content)
    assert strict.returncode != 0 and f"{POST}:{number}: {message}" in strict.log
    assert not (tmp_path / "output-evil").exists() and not (tmp_path / "x").exists()
    assert (preview.output / PAGE).is_file()  # the post, at its own address meanwhile


# Odd files ----------------------------------------------------------------------------


def test_a_nul_byte_is_named_and_the_feeds_still_parse(tmp_path):
    import feedparser

    content = copy_content(tmp_path / "src")
    post = with_text(content, "A NUL \x00 here, and a bell \x07 there.")
    number = line_of(post, "A NUL")
    strict, _ = strict_and_preview(tmp_path, content)
    assert f"{POST}:{number}: a control character U+0000 at column 7" in strict.log
    build = pelican(tmp_path / "lenient", content=content, strict=False)
    assert build.returncode == 0, build.log
    feed = feedparser.parse(build.output / "feeds" / "all.atom.xml")
    assert not feed.bozo and any("A NUL  here" in e.content[0].value for e in feed.entries)


@pytest.mark.parametrize(
    ("encoding", "message"),
    [
        ("utf-16", "the file is UTF-16, not UTF-8 — save it as UTF-8"),
        ("cp1252", "the file is not UTF-8: it looks like Windows-1252"),
    ],
)
def test_a_post_not_in_utf8_is_named_and_read_as_written(tmp_path, encoding, message):
    content = copy_content(tmp_path / "src")
    post = content / POST
    text = post.read_text(encoding="utf-8").replace("We live in hope!", "We live in hope! Gödel")
    post.write_bytes(text.encode(encoding))
    strict, preview = strict_and_preview(tmp_path, content)
    assert strict.returncode != 0 and message in strict.log
    assert "Could not process" not in preview.log
    assert "We live in hope! Gödel" in preview.read(PAGE)


def test_newpost_with_a_very_long_title_or_a_line_break(tmp_path):
    project = copy_project(tmp_path / "project")
    title = "A very long title " * 20
    made = invoke(project, "newpost", title.strip())
    path = project / made.stdout.strip()
    assert path.is_file() and len(path.name) < 100
    assert f"Title: {' '.join(title.split())}\n" in path.read_text()
    invoke(project, "newpost", "Another", "--category", "Inspection\nStatus: published")
    other = next(project.joinpath("content").glob("*-another.md")).read_text()
    assert "Category: Inspection Status: published\n" in other
    assert "Status: draft" in other


def test_clean_removes_a_linked_output_folder_s_link_only(tmp_path):
    project = copy_project(tmp_path / "project")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("mine")
    (project / "output").symlink_to(elsewhere, target_is_directory=True)
    done = invoke(project, "clean")
    assert "removed the link output" in done.stdout
    assert not (project / "output").exists() and (elsewhere / "keep.txt").read_text() == "mine"
