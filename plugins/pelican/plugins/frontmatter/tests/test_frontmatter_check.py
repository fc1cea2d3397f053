"""Front matter: each mistake named with its line, the post still built in the preview."""

from __future__ import annotations

from blogsupport.metadata import metadata_lines
from pelican.plugins.frontmatter.check import check

POST = """Title: A post
Date: 2017-06-22 12:00
Tgas: Ofsted
Status: publisehd
Modified: not a date

Body text.
Date: this line is the body, not metadata
"""


def test_metadata_lines_stop_at_the_body():
    keys = [(line, key) for line, key, _ in metadata_lines(POST)]
    assert keys == [(1, "title"), (2, "date"), (3, "tgas"), (4, "status"), (5, "modified")]


def test_each_problem_has_its_line_and_a_fix():
    checked = check(POST, "content/a.md", "2017-06-22-a.md")
    messages = [str(p) for p in checked.problems]
    assert messages == [
        "content/a.md:3: unknown metadata 'tgas' — did you mean 'Tags:'?",
        "content/a.md:4: 'Status: publisehd' is not a status — write draft, published or "
        "hidden; published is assumed",
        "content/a.md:5: 'Modified: not a date' is not a date — write it as YYYY-MM-DD or "
        "YYYY-MM-DD HH:MM; the line is ignored meanwhile",
    ]
    assert "Status:" not in checked.text and "Modified:" not in checked.text
    assert "Tgas: Ofsted" in checked.text  # unknown keys are harmless: kept
    assert "Date: this line is the body" in checked.text


def test_a_bad_date_falls_back_to_the_file_name():
    checked = check("Title: T\nDate: 2017-22-06\n\nBody\n", "content/b.md", "2017-06-22-b.md")
    assert str(checked.problems[0]).endswith("the date in the file name is used meanwhile")
    assert checked.text == "Title: T\n\nBody\n"


def test_a_sound_post_is_left_alone():
    text = "Title: T\nDate: 2017-06-22\nTags: a, b\nCSL: apa\nNocite: @x\n\nBody\n"
    checked = check(text, "content/c.md", "c.md")
    assert checked.problems == [] and checked.text == text
