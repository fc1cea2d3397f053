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
    assert "Citations: 2 works cited in 1 posts" in result.stdout
    assert (
        "entries not cited (not a problem): deming1986, munro2011, spiegelhalter2005"
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
        "  publisher = {Oxford University Press},\n",
        "",
        "entry 'russell1912' has no publisher",
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
