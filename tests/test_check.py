"""invoke check: passes on the real site, fails on each kind of problem and says where."""

from __future__ import annotations

import pytest
from project import copy_project, invoke

GLOUCESTERSHIRE = "content/2017-06-19-gloucestershire-blaming-the-blamers.md"
METHODOLOGY = "content/2017-06-07-ofsteds-methodology-how-good-is-it.md"
CUPBOARD = "content/2017-06-22-the-cupboard-is-bare.md"


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("check") / "project")


def test_the_real_site_passes(base):
    result = invoke(base, "check")
    assert "check: no problems" in result.stdout
    assert (
        "Site checks (links, assets, titles, canonical URLs, feeds): no problems" in result.stdout
    )
    assert "Citations: 2 works cited, from 5 entries in content/references.bib" in result.stdout
    assert "notes on the works cited (not problems): none" in result.stdout
    assert (
        "entries not cited (not a problem): deming1986, spiegelhalter2005, munro2011"
        in result.stdout
    )
    assert "Charts: 4 in 2 posts" in result.stdout
    assert f"{METHODOLOGY}:28  sampling" in result.stdout


BREAKS = {
    "a front-matter date": (
        CUPBOARD,
        "Date: 2017-06-22 12:00",
        "Date: 22/22/2017",
        "'Date: 22/22/2017' is not a date",
    ),
    "a citation key": (
        GLOUCESTERSHIRE,
        "[@reason2000]",
        "[@reasn2000]",
        "keys cited but missing: reasn2000",
    ),
    "a chart parameter": (
        METHODOLOGY,
        "sample = 25\n",
        "sample = 0\n",
        "chart: 'sample' must be between 1 and 10,000, not 0",
    ),
    "a link": (
        CUPBOARD,
        "We live in hope!",
        "We live in [hope](/no/such/page/)!",
        "broken link to /no/such/page/",
    ),
    "a .bib entry": (
        "content/references.bib",
        "  title     = {The Problems of Philosophy},\n",
        "  title     = {The Problems of Philosophy}\n",
        "in 'russell1912', field 'title' runs into 'publisher' — add the missing comma",
    ),
}


@pytest.mark.parametrize("case", BREAKS)
def test_each_kind_of_problem_fails_the_check(tmp_path, case):
    path, old, new, message = BREAKS[case]
    project = copy_project(tmp_path / "project")
    target = project / path
    text = target.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = invoke(project, "check", check=False)
    assert result.returncode == 1
    assert message in result.stdout
    assert "check: " in result.stdout and "problem" in result.stdout.splitlines()[-1]


def test_entries_short_of_fields_are_listed_as_notes_and_do_not_fail(tmp_path):
    project = copy_project(tmp_path / "project")
    bib = project / "content" / "references.bib"
    text = bib.read_text(encoding="utf-8")
    bib.write_text(text.replace("  publisher = {Oxford University Press},\n", ""), "utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "@book{russell1912" in t)
    result = invoke(project, "check")
    assert "notes on the works cited (not problems): 1" in result.stdout
    assert (
        f"content/references.bib:{line}: 'russell1912': it has no publisher, which the style "
        "prints for its type — add publisher"
    ) in result.stdout
    assert "check: no problems" in result.stdout
