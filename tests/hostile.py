"""A site whose every input carries an attack: front matter, file names, .bib fields, chart
texts and data labels, a page's metadata.

The payloads are the classic ones (a script, an event handler, a javascript: address, a
closing </title>, a CDATA end, entities that decode to markup, private-use and control
characters); each input gets them all, so that whatever reads or writes it, a reader's
browser must see text and nothing more.
"""

from __future__ import annotations

from pathlib import Path

MARK = "zq"  # every payload starts with it: what a test looks for in the text shown
PAYLOADS = [
    'zq0"><script>alert(0)</script>',
    "zq1<svg onload=alert(1)>",
    "zq2<img src=x onerror=alert(2)>",
    "zq3 javascript:alert(3)",
    "zq4</title><svg onload=alert(4)>",
    "zq5]]><script>alert(5)</script>",
    "zq6&lt;svg onload=alert(6)&gt;",
    'zq7" onmouseover="alert(7)',
    "zq8 {{ 7 * 7 }} {% if 1 %}x{% endif %}",
    "zq9 \ue000private\ue001 use",
]
ALL = " ".join(PAYLOADS)
# A payload as a TOML string, a CSV field and BibTeX text.


def toml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def csv(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def bibtex(text: str) -> str:
    return text.replace("&", "\\&").replace("%", "\\%").replace("#", "\\#")


def tag(payload: str) -> str:
    """A payload as a tag: without ';', which Pelican reads as the tags' separator."""
    return payload.replace(";", "")


def write_site(content: Path) -> Path:
    """The hostile site's content folder."""
    (content / "pages").mkdir(parents=True)
    (content / "data").mkdir()
    entries = []
    for n, payload in enumerate(PAYLOADS):
        entries.append(
            f"@misc{{evil{n},\n  author = {{Evil{n}, E.}},\n  title = {{{bibtex(payload)}}},\n"
            f"  note = {{{bibtex(payload)}}},\n  url = {{https://example.org/{n}}},\n"
            "  year = {2020},\n}\n"
        )
    entries.append(
        "@misc{evilurl,\n  author = {Link, E.},\n  title = {A link},\n"
        "  howpublished = {\\href{javascript:alert(20)}{click}},\n"
        "  url = {javascript:alert(21)},\n  year = {2020},\n}\n"
    )
    (content / "references.bib").write_text("\n".join(entries), encoding="utf-8")
    rows = ["authority,cases,poor"] + [
        f"{csv(payload)},{20 + n},{n + 1}" for n, payload in enumerate(PAYLOADS)
    ]
    (content / "data" / "evil.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    cites = " ".join(f"[@evil{n}]" for n in range(len(PAYLOADS))) + " [@evilurl]"
    for n, payload in enumerate(PAYLOADS):
        names = [f"2020-01-{n + 1:02d}-post-{n}.md"]
        body = (
            f"Title: Post {n} {payload}\n"
            f"Date: 2020-01-{n + 1:02d} 12:00\n"
            f"Author: Author {payload}\n"
            f"Category: Category {n} {payload}\n"
            f"Tags: Ofsted, tag {n} {tag(payload)}\n"
            # The body and a Summary are the author's Markdown, in which HTML is HTML: what
            # he types as text goes in code (or with entities), and must stay text.
            + (f"Summary: A summary `{payload}`\n" if n % 2 else "")
            + f"\nThe text of post {n}: `{payload}`. {cites}\n\n"
            "```chart\n"
            'kind = "funnel"\n'
            'data = "evil.csv"\n'
            f"title = {toml(payload)}\n"
            f"caption = {toml(payload)}\n"
            f"alt = {toml(payload)}\n"
            "```\n\n"
            "```chart\n"
            'kind = "red-beads"\n'
            f"unit = {toml('unit $x$ ' + payload)}\n"
            f"title = {toml('$x$ ' + payload)}\n"
            "```\n"
        )
        (content / names[0]).write_text(body, encoding="utf-8")
    (content / "2020-02-01-q&a-with-ofsted.md").write_text(
        "Title: Questions & answers\nDate: 2020-02-01 12:00\n\nA file name with an ampersand.\n",
        encoding="utf-8",
    )
    (content / "pages" / "about.md").write_text(
        f"Title: About {PAYLOADS[1]}\nSummary: `{PAYLOADS[0]}`\n\nAbout: `{ALL}`\n",
        encoding="utf-8",
    )
    return content
