"""Citations in the built site: what readers and feed readers get, and bad input."""

from __future__ import annotations

import re

import feedparser
import pytest
from bs4 import BeautifulSoup
from sitebuild import copy_content, pelican

GLOUCESTERSHIRE = "2017/06/gloucestershire-blaming-the-blamers/index.html"
POST = "2017-06-19-gloucestershire-blaming-the-blamers.md"


def page(build, rel=GLOUCESTERSHIRE) -> BeautifulSoup:
    return BeautifulSoup(build.read(rel), "lxml")


def test_citations_link_to_their_entries_with_a_preview(site, site_url):
    soup = page(site)
    citations = soup.select(".post-body .citation")
    assert [" ".join(c.select_one("a").get_text().split()) for c in citations] == [
        "Reason, 2000",
        "1912",
    ]
    assert citations[0].get_text().startswith("(Reason, 2000")
    for citation in citations:
        link = citation.select_one("a.cite-ref")
        assert link["href"].startswith("#ref-")
        target = link["href"][1:]
        entry = soup.select_one(f".references #{target}")
        assert entry is not None
        preview = soup.select_one(f"#{link['aria-describedby']}")
        assert preview["role"] == "tooltip" and "cite-preview" in preview["class"]
        assert " ".join(preview.get_text().split()) == " ".join(entry.get_text().split())


def test_reference_list_in_the_style(site):
    soup = page(site)
    section = soup.select_one("section.references")
    assert section.select_one("h2").get_text() == "References"
    entries = [" ".join(e.get_text().split()) for e in section.select(".csl-entry")]
    assert entries == [
        "Reason, J. (2000) ‘Human error: Models and management’, BMJ, 320(7237), pp. 768–770. "
        "Available at: https://doi.org/10.1136/bmj.320.7237.768.",
        "Russell, B. (1912) The problems of philosophy. London: Oxford University Press.",
    ]
    doi = section.select_one("a[href='https://doi.org/10.1136/bmj.320.7237.768']")
    assert doi is not None


def test_site_references_page_links_back(site, site_url):
    soup = page(site, "references/index.html")
    entries = soup.select(".site-references .csl-entry")
    assert len(entries) == 2
    for entry in entries:
        back = entry.select_one(".cited-in a")
        assert back.get_text() == "Gloucestershire – blaming the blamers?"
        assert back["href"].startswith(
            f"{site_url}/2017/06/gloucestershire-blaming-the-blamers/#ref-"
        )
    nav = [a.get_text() for a in soup.select(".site-nav a")]
    assert "References" in nav


def test_feeds_carry_citations_and_references_without_previews(site, site_url):
    for name in ("all.atom.xml", "all.rss.xml"):
        feed = feedparser.parse(site.output / "feeds" / name)
        entry = next(e for e in feed.entries if e.title.startswith("Gloucestershire"))
        html = entry.content[0].value if "content" in entry else entry.summary
        soup = BeautifulSoup(html, "lxml")
        assert "(Reason, 2000)" in " ".join(soup.get_text().split())
        assert soup.select_one(".references .csl-entry")
        assert not soup.select(".cite-preview")
        for link in soup.select("a[href]"):
            assert link["href"].startswith("http"), link["href"]
        cite = soup.select_one("a.cite-ref")["href"]
        assert cite == f"{site_url}/2017/06/gloucestershire-blaming-the-blamers/#ref-reason2000"


def build_with(
    tmp_path, strict=True, bib=None, edit=None, settings="publishconf.py", name=None, **overrides
):
    name = name or ("strict" if strict else "preview")
    content = copy_content(tmp_path / f"src-{name}")
    if bib is not None:
        (content / "references.bib").write_text(bib, encoding="utf-8")
    if edit is not None:
        post = content / POST
        post.write_text(edit(post.read_text(encoding="utf-8")), encoding="utf-8")
    return pelican(
        tmp_path / name,
        settings=settings,
        content=content,
        strict=strict,
        cache=tmp_path / f"cache-{name}",
        **overrides,
    ), content


def line_of(path, text):
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_unknown_key_marks_the_citation_and_fails_the_strict_build(tmp_path):
    def typo(text):
        return text.replace("[@reason2000]", "[@reasn2000]")

    strict, content = build_with(tmp_path, edit=typo)
    assert strict.returncode != 0
    line = line_of(content / POST, "@reasn2000")
    assert re.search(
        rf"{re.escape(POST)}:{line}: cites unknown key 'reasn2000' — check the "
        r"spelling, or add an entry 'reasn2000' to .*references\.bib",
        strict.log,
    )

    preview, _ = build_with(tmp_path, strict=False, edit=typo, settings="pelicanconf.py")
    assert preview.returncode == 0, preview.log
    marked = page(preview).select_one(".citation-error mark")
    assert marked.get_text() == "[@reasn2000]"
    assert page(preview).select_one(".citation a.cite-ref").get_text() == "1912"


BROKEN = {
    "unbalanced braces": (
        "@article{bad,\n  author = {A, B},\n  title = {Unbalanced {brace},\n  year = {2004}\n}\n",
        r"references\.bib:1: cannot read this entry: .* — its braces are unbalanced",
    ),
    "missing comma": (
        "@article{bad,\n  author = {A, B},\n  title = {T}\n  journal = {J},\n  year = {2003}\n}\n",
        r"references\.bib:3: in 'bad', field 'title' runs into 'journal' — add the missing comma",
    ),
    "a key cited that names two works": (
        "@book{reason2000, author = {X, Y}, title = {Z}, year = {1999}}\n",
        r"cites 'reason2000', a key that names two different works \(.*references\.bib:\d+ and "
        r"line \d+\) — rename one of the entries",
    ),
    "an entry without a key": (
        "@book{, title = {Nobody's}, year = {1999}}\n",
        r"references\.bib:1: an @book entry has no key — write its key",
    ),
}


@pytest.mark.parametrize("case", BROKEN)
def test_malformed_bib_is_named_with_its_line(tmp_path, case):
    source, message = BROKEN[case]
    real = (copy_content(tmp_path / "orig") / "references.bib").read_text(encoding="utf-8")
    bib = source + "\n" + real if "two works" not in case else real + "\n" + source
    strict, _ = build_with(tmp_path, bib=bib)
    assert strict.returncode != 0
    assert re.search(message, strict.log), strict.log
    preview, _ = build_with(tmp_path, strict=False, bib=bib, settings="pelicanconf.py")
    assert preview.returncode == 0
    assert re.search(message, preview.log)
    assert page(preview).select(".post-body .citation")  # the post still renders


def test_entries_short_of_fields_are_notes_not_failures(tmp_path):
    """An undated or unpublished work is formatted as pandoc formats it ("n.d."): a note for
    `invoke check`, not a reason to stop a publish."""
    real = (copy_content(tmp_path / "orig") / "references.bib").read_text(encoding="utf-8")
    bib = real.replace("  publisher = {Oxford University Press},\n", "").replace(
        "  year      = {1912},\n", ""
    )
    strict, _ = build_with(tmp_path, bib=bib, verbose=True)
    assert strict.returncode == 0, strict.log
    assert "note: content/references.bib:" not in strict.log or "russell1912" in strict.log
    soup = page(strict)
    text = " ".join(soup.select_one(".references").get_text().split())
    assert "Russell, B. (no date) The problems of philosophy. London." in text


def test_unknown_style_site_wide_and_per_post(tmp_path):
    strict, _ = build_with(tmp_path, CITATIONS_STYLE="harvard-cite-them-wrong")
    assert strict.returncode != 0
    assert re.search(
        r"pelicanconf\.py:\d+: CITATIONS_STYLE: no CSL style named "
        r"'harvard-cite-them-wrong' — use a CSL style's name",
        strict.log,
    )

    def house_style(text):
        return text.replace("Summary:", "CSL: nonsuch\nSummary:", 1)

    strict, content = build_with(tmp_path, edit=house_style, name="post-style")
    assert strict.returncode != 0
    line = line_of(content / POST, "CSL: nonsuch")
    assert f"{POST}:{line}: unknown citation style 'nonsuch'" in strict.log


def test_a_misspelt_setting_is_named(tmp_path):
    strict, _ = build_with(tmp_path, CITATIONS_STYEL="apa", CITATION_STYLE="apa")
    assert strict.returncode != 0
    assert "unknown setting CITATIONS_STYEL — did you mean CITATIONS_STYLE?" in strict.log


def test_a_note_style_is_refused_for_a_post(tmp_path):
    def footnotes(text):
        return text.replace("Summary:", "CSL: chicago-notes-bibliography-17th-edition\nSummary:", 1)

    strict, content = build_with(tmp_path, edit=footnotes)
    assert strict.returncode != 0
    line = line_of(content / POST, "CSL: chicago")
    assert (
        f"{POST}:{line}: 'chicago-notes-bibliography-17th-edition' is a note style, which "
        "puts citations in footnotes — use an author-date or numeric style for posts"
    ) in strict.log


def test_per_post_style_and_nocite(tmp_path):
    def numeric(text):
        return text.replace("Summary:", "CSL: ieee\nNocite: @deming1986\nSummary:", 1)

    build, _ = build_with(tmp_path, edit=numeric)
    assert build.returncode == 0, build.log
    soup = page(build)
    assert [c.get_text() for c in soup.select(".post-body .cite-ref")] == ["[1]", "[2]"]
    entries = [" ".join(e.get_text().split()) for e in soup.select(".references .csl-entry")]
    assert entries[0] == (
        "[1] J. Reason, ‘Human error: Models and management’, BMJ, vol. 320, no. 7237, pp. "
        "768–770, 2000, doi: 10.1136/bmj.320.7237.768."
    )
    assert entries[2].startswith("[3] W. E. Deming, Out of the crisis.")


def test_citations_are_cached_and_a_warm_build_starts_no_pandoc(tmp_path):
    content = copy_content(tmp_path)
    first = pelican(tmp_path / "one", content=content, cache=tmp_path / "cache", verbose=True)
    second = pelican(tmp_path / "two", content=content, cache=tmp_path / "cache", verbose=True)
    assert (
        "citations: 1 post formatted (1 citeproc call), 0 from the cache; pandoc started 1 time"
        in first.log
    )
    assert (
        "citations: 0 posts formatted (0 citeproc calls), 1 from the cache; pandoc not started"
        in second.log
    )
    assert first.read(GLOUCESTERSHIRE) == second.read(GLOUCESTERSHIRE)


def test_a_large_bibliography_gives_the_same_post(tmp_path):
    real = (copy_content(tmp_path / "orig") / "references.bib").read_text(encoding="utf-8")
    filler = "".join(
        f"@book{{filler{n}, author = {{Filler, F.}}, title = {{Filler number {n} on "
        f"sampling}}, publisher = {{Press}}, year = {{{1950 + n % 60}}}}}\n"
        for n in range(2000)
    )
    small, _ = build_with(tmp_path, name="small")
    large, _ = build_with(tmp_path, bib=real + filler, name="large")
    assert large.returncode == 0, large.log
    assert (
        page(large).select_one(".post-body").decode()
        == page(small).select_one(".post-body").decode()
    )
