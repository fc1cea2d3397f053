"""Our citations against pandoc's, on real .bib files: how many are identical, and why not.

For each .bib file and CSL style, one post cites every entry in every form of the
README's citation table; the site builds it strictly, and pandoc (the same
binary) formats the same Markdown directly with ``--citeproc``. The in-text
citations (in order), the reference entries (by key) and the order of the
reference list are compared after taking away what is ours by design, which is
named: the hover previews and the attributes of our citation links, entry ids
made safe for a fragment, and links to anything but http(s) addresses. Each
difference left is printed with its class.

    python benchmarks/pandoc_parity.py FILE.bib [FILE.bib ...] [--styles apa,...]
    python benchmarks/pandoc_parity.py --corpus ../shared/bib-corpus   # every .bib there

The .bib files are read where they are; nothing is copied.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html

from pelican.plugins.citations.bibfile import read_files
from pelican.plugins.citations.markup import entry_anchor
from pelican.plugins.citations.pandoc_binary import pandoc_path
from pelican.plugins.citations.styles import resolve_style
from pelican.plugins.citations.syntax import PLAIN_KEY

ROOT = Path(__file__).resolve().parent.parent

STYLES = ["harvard-cite-them-right", "apa", "chicago-author-date"]

# The forms of the README's table, for KEY (and NEXT, the following entry).
FORMS = [
    "@{k} argues.",
    "as shown [@{k}].",
    "[@{k}, p. 768]",
    "[@{k}, pp. 768-770]",
    "[see @{k}; @{n}, ch. 3]",
    "Russell [-@{k}] called it",
    "@{k} [p. 769] says",
]
KEEP_ATTRIBUTES = {"a": ("href",), "span": ("class",), "div": ("class",)}


def written_key(key: str) -> str:
    return key if re.fullmatch(PLAIN_KEY, key) else "{" + key + "}"


def post_body(keys: list[str]) -> str:
    paragraphs = []
    for index, key in enumerate(keys):
        following = keys[(index + 1) % len(keys)]
        k, n = written_key(key), written_key(following)
        paragraphs += [form.format(k=k, n=n) for form in FORMS]
    return "\n\n".join(paragraphs) + "\n"


def canonical(element, anchors: dict[str, str]) -> str:
    """An element's content as comparable HTML: only the tags and attributes a reference
    is made of, links to entries by key, whitespace collapsed."""
    out = []

    def walk(node) -> None:
        if node.text:
            out.append(node.text)
        for child in node:
            if not isinstance(child.tag, str):  # comments
                if child.tail:
                    out.append(child.tail)
                continue
            classes = child.get("class", "").split()
            if "cite-preview" in classes:  # ours: the hover preview
                if child.tail:
                    out.append(child.tail)
                continue
            if child.tag == "span" and ("cite" in classes or not classes):
                walk(child)  # ours: the wrapper of a cited work; or pandoc's bare span
            else:
                attributes = []
                for name in KEEP_ATTRIBUTES.get(child.tag, ()):
                    value = child.get(name)
                    if value is None:
                        continue
                    if name == "href" and value.startswith("#"):
                        value = "#" + anchors.get(value[1:], value[1:])
                    if name == "class":
                        value = " ".join(sorted(c for c in value.split() if c != "uri"))
                        if not value:
                            continue
                    attributes.append(f' {name}="{value}"')
                out.append(f"<{child.tag}{''.join(attributes)}>")
                walk(child)
                out.append(f"</{child.tag}>")
            if child.tail:
                out.append(child.tail)

    walk(element)
    return " ".join("".join(out).split())


def text_of(element) -> str:
    return " ".join(element.text_content().split())


@dataclass
class Comparison:
    file: str
    style: str
    citations: tuple[int, int] = (0, 0)
    entries: tuple[int, int] = (0, 0)
    order: tuple[int, int] = (0, 0)
    strict: str = ""
    refused: list[str] = field(default_factory=list)
    pandoc_refused: str = ""
    differences: list[tuple[str, str, str, str]] = field(default_factory=list)
    seconds: float = 0.0


def classify(ours: str, theirs: str, ours_text: str, theirs_text: str) -> str:
    if ours_text != theirs_text:
        if "href" in theirs and "href" not in ours and re.search(r'href="(?!https?:|#)', theirs):
            return "ours: a link to a non-http(s) address kept as text"
        return "text"
    if re.search(r'href="(?!https?:|#)', theirs):
        return "ours: a link to a non-http(s) address kept as text"
    return "markup"


def build_ours(
    bib: Path, style: str, body: str, work: Path, strict: bool = True
) -> tuple[Path, int, str]:
    content = work / "content"
    content.mkdir(parents=True, exist_ok=True)
    (content / "2020-01-01-every-entry.md").write_text(
        "Title: Every entry\nDate: 2020-01-01 12:00\nSummary: Every entry, every form.\n\n" + body,
        encoding="utf-8",
    )
    output = work / "output"
    overrides = {
        "CITATIONS_BIBLIOGRAPHY": [str(bib)],
        "CITATIONS_STYLE": style,
        "SITEURL": "https://parity.test",
        "FEED_DOMAIN": "https://parity.test",
        "CACHE_PATH": str(work / "cache"),
        "PLUGIN_CACHE_PATH": str(work / "cache"),
        "PLUGINS": ["pelican.plugins.frontmatter", "pelican.plugins.citations"],
        "SEARCH_INDEX": False,
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pelican",
            str(content),
            "-s",
            str(ROOT / "publishconf.py"),
            "-o",
            str(output),
            *(["--fatal", "warnings"] if strict else []),
            "-e",
            *(f"{k}={json.dumps(v)}" for k, v in overrides.items()),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )
    return (
        output / "2020" / "01" / "every-entry" / "index.html",
        result.returncode,
        (result.stdout + result.stderr),
    )


def build_pandoc(bib: Path, style: str, body: str) -> tuple[str, str]:
    """pandoc's HTML, and what it said when it refused."""
    done = subprocess.run(
        [
            pandoc_path(),
            "--citeproc",
            "--bibliography",
            str(bib),
            "--csl",
            str(resolve_style(style, ROOT)),
            "-M",
            "lang=en-GB",
            "-M",
            "link-citations=true",
            "-f",
            "markdown",
            "-t",
            "html",
            "--wrap=none",
        ],
        input=body,
        capture_output=True,
        text=True,
    )
    refused = "" if done.returncode == 0 else " ".join(done.stderr.split())[:200]
    return done.stdout, refused


def compare(bib: Path, style: str) -> Comparison:
    start = time.perf_counter()
    bib = bib.resolve()
    result = Comparison(bib.name, style)
    index = read_files([(bib.name, bib.read_bytes())])
    # A key naming two different works is refused by design (the reader would see one of
    # them, which may not be the one meant): the post cites every other entry.
    result.refused = [k for k in index.entries if index.differing_duplicates(k)]
    keys = [k for k in index.entries if k not in result.refused]
    anchors = {f"ref-{k}": entry_anchor(k) for k in keys}
    body = post_body(keys)
    with tempfile.TemporaryDirectory(prefix="parity-") as tmp:
        page, returncode, log = build_ours(bib, style, body, Path(tmp) / "strict")
        if returncode == 0:
            result.strict = "passes"
        else:
            problems = [line for line in log.splitlines() if line.startswith(("ERROR", "WARNING"))]
            result.strict = f"fails: {problems[0] if problems else log[-300:]}"
            page, _, _ = build_ours(bib, style, body, Path(tmp) / "preview", strict=False)
        ours = lxml.html.fromstring(page.read_bytes()) if page.is_file() else None
    html, result.pandoc_refused = build_pandoc(bib, style, body)
    theirs = lxml.html.fromstring(html or "<p></p>")
    if ours is None or result.pandoc_refused:
        result.seconds = time.perf_counter() - start
        return result
    our_citations = ours.cssselect(".post-body .citation")
    their_citations = theirs.cssselect(".citation")
    same = 0
    for n, (mine, other) in enumerate(zip(our_citations, their_citations, strict=False)):
        a, b = canonical(mine, anchors), canonical(other, anchors)
        if a == b:
            same += 1
        else:
            kind = classify(a, b, text_of(mine), text_of(other))
            result.differences.append(("citation", f"#{n + 1} ({other.get('data-cites')})", a, b))
            result.differences[-1] = (*result.differences[-1][:2], f"[{kind}] {a}", b)
    result.citations = (same, max(len(their_citations), len(our_citations)))
    our_entries = {e.get("id"): e for e in ours.cssselect(".references .csl-entry")}
    their_entries = {
        entry_anchor(e.get("id")[4:]): e for e in theirs.cssselect(".csl-entry") if e.get("id")
    }
    same = 0
    for anchor, other in their_entries.items():
        mine = our_entries.get(anchor)
        if mine is None:
            result.differences.append(("entry", anchor, "[missing]", canonical(other, anchors)))
            continue
        a, b = canonical(mine, anchors), canonical(other, anchors)
        if a == b:
            same += 1
        else:
            kind = classify(a, b, text_of(mine), text_of(other))
            result.differences.append(("entry", anchor, f"[{kind}] {a}", b))
    for anchor in our_entries.keys() - their_entries.keys():
        result.differences.append(
            ("entry", anchor, canonical(our_entries[anchor], anchors), "[none]")
        )
    result.entries = (same, max(len(their_entries), len(our_entries)))
    our_order, their_order = list(our_entries), list(their_entries)
    same = sum(1 for a, b in zip(our_order, their_order, strict=False) if a == b)
    result.order = (same, max(len(our_order), len(their_order)))
    if our_order != their_order:
        first = next(
            (i for i, (a, b) in enumerate(zip(our_order, their_order, strict=False)) if a != b),
            min(len(our_order), len(their_order)),
        )
        result.differences.append(
            ("order", f"from position {first + 1}", " ".join(our_order[first : first + 3]),
             " ".join(their_order[first : first + 3]))
        )  # fmt: skip
    result.seconds = time.perf_counter() - start
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bib", nargs="*", type=Path)
    parser.add_argument("--corpus", type=Path, help="a folder: every .bib in it")
    parser.add_argument("--styles", default=",".join(STYLES))
    parser.add_argument("--show", type=int, default=5, help="differences shown per comparison")
    args = parser.parse_args()
    files = list(args.bib)
    if args.corpus:
        files += sorted(args.corpus.glob("*.bib"))
    rows = []
    for bib in files:
        for style in args.styles.split(","):
            comparison = compare(bib, style)
            rows.append(comparison)
            for kind, where, ours, theirs in comparison.differences[: args.show]:
                print(f"  {bib.name} {style} {kind} {where}:\n    ours:   {ours[:300]}\n"
                      f"    pandoc: {theirs[:300]}")  # fmt: skip
            if len(comparison.differences) > args.show:
                print(f"  ... and {len(comparison.differences) - args.show} more differences")
            if comparison.pandoc_refused:
                print(f"  pandoc refuses {bib.name}: {comparison.pandoc_refused}")
            print(
                f"{bib.name} / {style}: citations {comparison.citations[0]}/"
                f"{comparison.citations[1]}, entries {comparison.entries[0]}/"
                f"{comparison.entries[1]}, order {comparison.order[0]}/{comparison.order[1]}; "
                f"strict build {comparison.strict[:160]}; refused {comparison.refused or 'none'} "
                f"({comparison.seconds:.1f} s)",
                flush=True,
            )
    print()
    by_design = sorted({d[2].split("]")[0][1:] for r in rows for d in r.differences
                        if d[2].startswith("[ours")})  # fmt: skip
    if by_design:
        print("Ours by design: " + "; ".join(by_design))
    print(
        "| file | style | in-text citations identical | entries identical | order | "
        "strict build | keys refused |"
    )
    print("|---|---|---:|---:|---:|---|---|")
    for row in rows:
        refused = ", ".join(f"`{k}`" for k in row.refused) or "none"
        ours = {
            kind: sum(1 for d in row.differences if d[0] == kind and d[2].startswith("[ours"))
            for kind in ("citation", "entry")
        }
        counts = (
            ["pandoc refuses the file"] * 3
            if row.pandoc_refused
            else [
                f"{row.citations[0]}/{row.citations[1]}"
                + (f" (+{ours['citation']} ours)" if ours["citation"] else ""),
                f"{row.entries[0]}/{row.entries[1]}"
                + (f" (+{ours['entry']} ours)" if ours["entry"] else ""),
                f"{row.order[0]}/{row.order[1]}",
            ]
        )
        print(
            f"| {row.file} | {row.style} | {' | '.join(counts)} | "
            f"{row.strict.splitlines()[0][:120]} | {refused} |"
        )


if __name__ == "__main__":
    main()
