"""The .bib files as the plugin reads them for their structure: lines, problems, encodings.

pandoc reads the entries' content (tests/test_citations_pandoc.py); here is what is
ours, the place of each thing wrong, and the text of each entry handed to pandoc.
"""

from __future__ import annotations

import re
import time

import pytest

from blogsupport.textfiles import decode
from pelican.plugins.citations.bibfile import read_files

# The one format of every problem: path:line: what is wrong — what to do.
PROBLEM_LINE = re.compile(r"^[^\s:][^:]*(?::\d+)?: .+ — .+$")

BIB = """% a comment
@string{cwr = {Child and Family Social Work}}

@book{hood2018,
  editor = {Hood, Rick},
  title = {The Handbook},
  publisher = {Policy Press},
  year = {2018},
}

@incollection{bywaters2018,
  author = {Bywaters, Paul},
  title = {Inequalities},
  crossref = {hood2018},
}

@article{ferguson2016,
  author = {Ferguson, Harry},
  title = {Invisible Children},
  journal = cwr,
  year = {2016},
}
"""


def read(text: str, name: str = "content/references.bib"):
    return read_files([(name, text.encode("utf-8"))])


def test_entries_keep_their_line_text_and_parents():
    index = read(BIB)
    assert index.problems == []
    assert {k: e[0].line for k, e in index.entries.items()} == {
        "hood2018": 4,
        "bywaters2018": 11,
        "ferguson2016": 17,
    }
    assert index.first("bywaters2018").parents == ["hood2018"]
    text = index.text_for(["bywaters2018"])
    assert text.index("@string{cwr") < text.index("@book{hood2018") < text.index("@incollection")
    assert "ferguson2016" not in text
    assert "@article{ferguson2016" in index.text_for(["ferguson2016"])


def test_each_structural_problem_is_named_with_its_line_and_fix():
    broken = (
        "@article{bad,\n  author = {A, B},\n  title = {T}\n  journal = {J},\n  year = {2003}\n}\n"
        "@book{, title = {No Key}, year = {2000}}\n"
        "@book{open, title = {Unbalanced {brace}, year = {2004}\n"
        "@book{after, title = {Fine}, year = {2001}}\n"
    )
    index = read(broken)
    messages = [str(p) for p in index.problems]
    assert all(PROBLEM_LINE.match(m) and " — " in m for m in messages), messages
    assert (
        "content/references.bib:3: in 'bad', field 'title' runs into 'journal' — "
        "add the missing comma after the title field"
    ) in messages
    assert any(
        m.startswith("content/references.bib:7: an @book entry has no key") for m in messages
    )
    assert any(m.startswith("content/references.bib:8: cannot read this entry") for m in messages)


def test_duplicate_keys_same_entry_twice_and_two_different_works():
    same = "@book{a, title = {T}, year = {2000}}\n@book{a,  title = {T},\n year = {2000}}\n"
    index = read(same)
    assert index.differing_duplicates("a") == []
    assert "the same entry written twice" in str(index.notes[0][1])
    different = "@book{a, title = {T}, year = {2000}}\n\n@misc{a, title = {U}, year = {2019}}\n"
    index = read(different)
    assert [e.line for e in index.differing_duplicates("a")] == [1, 3]
    note = str(index.notes[0][1])
    assert note.startswith("content/references.bib:3: duplicate key 'a' (also at line 1)")
    assert index.text_for(["a"]).count("@") == 2  # both: pandoc chooses, as it would


def test_utf8_with_a_bom_and_crlf_lines():
    data = b"\xef\xbb\xbf" + BIB.replace("\n", "\r\n").encode()
    index = read_files([("x.bib", data)])
    assert index.problems == [] and index.first("ferguson2016").line == 17


def test_a_windows_1252_file_is_named_and_read_as_it_was_written():
    data = "@book{godel1931,\n  author = {Gödel, Kurt},\n  title = {Über Sätze},\n}\n"
    text, problem = decode(data.encode("cp1252"), "content/references.bib")
    assert "Gödel" in text and "Über Sätze" in text
    assert str(problem) == (
        "content/references.bib:2: the file is not UTF-8: it looks like Windows-1252 "
        "(Latin-1), the first character beyond ASCII on this line — save it as UTF-8, in "
        "your editor or with: iconv -f windows-1252 -t utf-8"
    )


def test_a_utf8_file_with_some_bad_bytes_names_the_lines():
    good = "@book{a,\n  author = {Jörn Müller},\n  title = {Long\u2010term},\n}\n".encode()
    damaged = good.replace("\u2010".encode(), b"\xe2\x80?")
    text, problem = decode(damaged, "r.bib")
    assert "Jörn Müller" in text and "\ufffd" in text
    assert str(problem).startswith("r.bib:3: the file is UTF-8 but for characters on 1 line")


def test_latex_that_once_stopped_every_build_is_only_text_here():
    """\\href in a field broke bibtexparser's LaTeX decoding (a CRITICAL traceback naming no
    file), and so did a thousand nested braces; neither is decoded here."""
    nested = "{" * 1000 + "x" + "}" * 1000
    bib = (
        "@misc{govuk, howpublished = {\\href{https://www.gov.uk/x}{gov.uk}}, year = {2020}}\n"
        f"@misc{{deep, title = {nested}, year = {{2000}}}}\n"
    )
    start = time.perf_counter()
    index = read(bib)
    assert time.perf_counter() - start < 5
    assert set(index.entries) == {"govuk", "deep"} and index.problems == []


@pytest.mark.parametrize(
    "pathological",
    [
        "@misc{x, title = {" + "\n" + " " * 100_000 + "}}",
        "@misc{x, note = {" + "\n a =" * 20_000 + "}}",
        "@" * 100_000,
        "{" * 100_000,
    ],
)
def test_pathological_files_take_linear_time(pathological):
    start = time.perf_counter()
    read(pathological)
    assert time.perf_counter() - start < 5
