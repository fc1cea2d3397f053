"""Citations as pandoc formats them: our site against pandoc run directly, and the
real-world inputs that once broke the build.

tests/data/patterns.bib holds entries written for these tests, each reproducing a
pattern found in real .bib files (capitalised field names, crossref, @string,
undated web pages, corporate authors, same author and year, accents, biblatex dates
and types, LaTeX commands); benchmarks/pandoc_parity.py cites every entry in every
form of the README's table and compares.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import lxml.html
import pytest
from pandoc_parity import compare
from sitebuild import pelican, strict_and_preview

DATA = Path(__file__).with_name("data")
POST = "2020-01-01-a-post.md"


@pytest.mark.parametrize("style", ["harvard-cite-them-right", "apa", "chicago-author-date"])
def test_every_form_of_every_pattern_renders_as_pandoc_renders_it(style):
    result = compare(DATA / "patterns.bib", style)
    shown = "\n".join(f"{kind} {where}: {ours} | {theirs}" for kind, where, ours, theirs in
                      result.differences[:5])  # fmt: skip
    assert result.differences == [], shown
    assert result.citations[0] == result.citations[1] == 34 * 7
    assert result.entries[0] == result.entries[1] == 34
    assert result.strict == "passes"


def site(tmp_path: Path, bib: bytes | str, body: str, **settings):
    content = tmp_path / "content"
    content.mkdir(parents=True, exist_ok=True)
    data = bib.encode("utf-8") if isinstance(bib, str) else bib
    (content / "references.bib").write_bytes(data)
    (content / POST).write_text(f"Title: A post\nDate: 2020-01-01\n\n{body}\n", encoding="utf-8")
    return content


def built(build) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((build.output / "2020/01/a-post/index.html").read_bytes())


def test_href_in_a_field_is_a_link_cited_or_not(tmp_path):
    bib = (
        "@misc{govuk, author = {{Department for Education}}, title = {Working Together},\n"
        "  howpublished = {\\href{https://www.gov.uk/x}{gov.uk}}, year = {2020}}\n"
        "@misc{other, howpublished = {\\href{https://example.org/}{elsewhere}}, year = {2019}}\n"
    )
    build = pelican(tmp_path / "out", content=site(tmp_path, bib, "As [@govuk] says."))
    assert build.returncode == 0, build.log
    links = built(build).xpath("//section[@class='references']//a/@href")
    assert links == ["https://www.gov.uk/x"]


def test_a_thousand_nested_braces_and_a_long_edition_build_in_good_time(tmp_path):
    nested = "{" * 1000 + "Deep" + "}" * 1000
    edition = "1" + "and" * 50 + "1!"
    bib = (
        f"@misc{{deep, author = {{Nest, Ed}}, title = {nested}, year = {{2000}}}}\n"
        f"@book{{long, author = {{Long, E.}}, title = {{T}}, edition = {{{edition}}},\n"
        "  publisher = {Press}, year = {2001}}\n"
    )
    start = time.perf_counter()
    build = pelican(tmp_path / "out", content=site(tmp_path, bib, "[@deep; @long]"))
    assert build.returncode == 0, build.log
    assert time.perf_counter() - start < 60  # was exponential in the edition's length
    text = " ".join(built(build).xpath("string(//section[@class='references'])").split())
    assert "Deep" in text and edition in text


def test_a_latin1_file_fails_the_strict_build_by_name_and_reads_right_in_the_preview(tmp_path):
    bib = "@book{godel1931,\n  author = {Gödel, Kurt},\n  title = {Über Sätze},\n"
    bib += "  year = {1931},\n}\n"
    content = site(tmp_path, bib.encode("latin-1"), "As [@godel1931] showed.")
    strict, preview = strict_and_preview(tmp_path, content)
    assert strict.returncode != 0
    assert "references.bib:2: the file is not UTF-8: it looks like Windows-1252" in strict.log
    assert preview.returncode == 0, preview.log
    text = " ".join(built(preview).xpath("string(//section[@class='references'])").split())
    assert "Gödel, K. (1931) Über sätze" in text and "\ufffd" not in text


def test_an_apostrophe_in_a_url_stays_an_apostrophe(tmp_path):
    bib = "@misc{obrien, author = {O'Brien, S.}, title = {Voices},\n"
    bib += "  url = {https://example.org/o'brien-voices}, year = {2021}}\n"
    build = pelican(tmp_path / "out", content=site(tmp_path, bib, "[@obrien]"))
    assert build.returncode == 0, build.log
    [href] = built(build).xpath("//section[@class='references']//a/@href")
    assert href == "https://example.org/o'brien-voices"


def test_hostile_fields_stay_text_and_unsafe_links_are_not_links(tmp_path):
    bib = (
        "@misc{evil, author = {Evil, E.},\n"
        '  title = {Break \\&"><svg onload=alert(1)> and <script>alert(2)</script> '
        "\\href{javascript:alert(3)}{click}},\n"
        "  url = {javascript:alert(4)}, year = {2020}}\n"
    )
    build = pelican(tmp_path / "out", content=site(tmp_path, bib, "As [@evil] shows."))
    assert build.returncode == 0, build.log
    page = built(build)
    scripts = "//script[not(@type='application/ld+json')][contains(., 'alert')]"
    assert not page.xpath(f"//svg | {scripts} | //*[@onload]")
    for block in page.xpath("//script[@type='application/ld+json']"):  # data: JSON strings
        assert "<script>alert(2)</script>" in json.dumps(json.loads(block.text), ensure_ascii=False)
    hrefs = page.xpath("//a/@href")
    assert not [h for h in hrefs if h.lower().startswith("javascript:")]
    text = page.xpath("string(//section[@class='references'])")
    assert '"><svg onload=alert(1)>' in text and "<script>alert(2)</script>" in text


def test_undated_web_pages_say_no_date_and_pass_the_strict_build(tmp_path):
    bib = (
        "@misc{page, author = {{Ofsted}}, title = {Inspecting Children's Services},\n"
        "  url = {https://www.gov.uk/x}, urldate = {2021-03-04}}\n"
    )
    build = pelican(tmp_path / "out", content=site(tmp_path, bib, "[@page]"))
    assert build.returncode == 0, build.log
    text = " ".join(built(build).xpath("string(//section[@class='references'])").split())
    assert text == (
        "References Ofsted (no date) ‘Inspecting children’s services’. Available at: "
        "https://www.gov.uk/x (Accessed: 4 March 2021)."
    )


def test_a_file_pandoc_refuses_names_the_entry_and_still_formats_the_others(tmp_path):
    """A value ending in '\\}' balances for BibTeX but not for pandoc, which then refuses
    the whole file: the entry is named; a post citing only others is formatted."""
    bib = (
        "@article{trap, author = {Shapiro, S.}, title = {T},\n"
        "  journal = {Journal of Law {\\&} Politics{\\\\\\}}, year = {2007}}\n\n"
        "@book{fine, author = {Fine, F.}, title = {Fine}, publisher = {P}, year = {2001}}\n"
    )
    content = site(tmp_path, bib, "[@fine]")
    preview = pelican(
        tmp_path / "preview", settings="pelicanconf.py", content=content, strict=False
    )
    assert preview.returncode == 0, preview.log
    assert "references.bib:1: cannot read this entry" in preview.log
    text = built(preview).xpath("string(//section[@class='references'])")
    assert "Fine, F. (2001) Fine" in " ".join(text.split())
    strict = pelican(tmp_path / "strict", content=content)
    assert strict.returncode != 0


def test_the_bundled_seed_bibliography_is_copied_not_shared():
    assert shutil.which  # the tests read only tests/: nothing from ../shared
    assert not any("shared" in str(p) for p in DATA.iterdir())


@pytest.mark.parametrize("style", ["harvard-cite-them-right", "apa", "chicago-author-date", "ieee"])
def test_posts_sharing_a_citeproc_call_come_out_as_if_each_were_alone(tmp_path, style):
    """Posts that cite no author's name in common share one citeproc call (the style is
    read once for them all): every post must be what it would be formatted alone."""
    import random

    from pelican.plugins.citations.bibfile import read_files

    bib = (DATA / "patterns.bib").read_text(encoding="utf-8")
    keys = list(read_files([("p.bib", bib.encode())]).entries)
    rng = random.Random(2017)
    content = tmp_path / "content"
    content.mkdir()
    (content / "references.bib").write_text(bib, encoding="utf-8")
    forms = ["@{k} argues", "[@{k}]", "[see @{k}, p. 3]", "[-@{k}]", "@{k} [ch. 2]"]
    for n in range(60):
        cited = rng.sample(keys, rng.randint(1, 4))
        body = " ".join(rng.choice(forms).format(k=k) + "." for k in cited)
        (content / f"2020-01-{1 + n % 28:02d}-post-{n}.md").write_text(
            f"Title: Post {n}\nDate: 2020-01-{1 + n % 28:02d}\nSlug: post-{n}\n\n{body}\n",
            encoding="utf-8",
        )
    shared = pelican(
        tmp_path / "shared", content=content, cache=tmp_path / "c1", verbose=True,
        CITATIONS_STYLE=style,
    )  # fmt: skip
    alone = pelican(
        tmp_path / "alone", content=content, cache=tmp_path / "c2", verbose=True,
        CITATIONS_STYLE=style, CITATIONS_GROUP=1,
    )  # fmt: skip
    assert shared.returncode == 0 and alone.returncode == 0, shared.log + alone.log
    calls = int(re.search(r"60 posts formatted \((\d+) citeproc calls\)", shared.log).group(1))
    assert "60 posts formatted (60 citeproc calls)" in alone.log
    assert calls < 30 if style != "ieee" else calls == 60  # a numbered style is never shared
    for n in range(60):
        rel = f"2020/01/post-{n}/index.html"
        mine = lxml.html.fromstring(shared.read(rel)).xpath("//div[@class='post-body']")[0]
        theirs = lxml.html.fromstring(alone.read(rel)).xpath("//div[@class='post-body']")[0]
        assert lxml.html.tostring(mine) == lxml.html.tostring(theirs), rel


def test_a_warm_build_imports_nothing_of_the_engine(tmp_path):
    """Everything in the cache: no pandoc, and neither the engine, bibtexparser, pylatexenc
    nor nh3 imported into the build's process (the index's own module is, to unpickle it)."""
    import json
    import subprocess
    import sys

    from sitebuild import ROOT, SEED

    script = (
        "import json, sys\n"
        "from pelican import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit:\n"
        "    pass\n"
        "names = ('pelican.plugins.citations.engine', 'bibtexparser', 'pylatexenc', 'nh3')\n"
        "print(json.dumps({n: n in sys.modules for n in names}))\n"
    )
    arguments = [
        str(SEED),
        "-s",
        str(ROOT / "publishconf.py"),
        "-o",
        str(tmp_path / "out"),
        "-q",
        "-e",
        f'CACHE_PATH="{tmp_path / "cache"}"',
        f'PLUGIN_CACHE_PATH="{tmp_path / "cache"}"',
    ]
    runs = [
        subprocess.run(
            [sys.executable, "-c", script, *arguments],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        for _ in range(2)
    ]
    cold, warm = (json.loads(run.stdout.strip().splitlines()[-1]) for run in runs)
    assert cold["pelican.plugins.citations.engine"] and cold["bibtexparser"]
    assert warm == dict.fromkeys(warm, False), warm


def test_private_use_characters_in_a_field_stay_text(tmp_path):
    bib = "@misc{pua, author = {Use, Private}, title = {Marked \ue000here\ue001 and \ue006there},"
    bib += " year = {2021}}\n"
    build = pelican(tmp_path / "out", content=site(tmp_path, bib, "[@pua]"))
    assert build.returncode == 0, build.log
    text = built(build).xpath("string(//section[@class='references'])")
    assert "\ue000here\ue001 and \ue006there" in text
