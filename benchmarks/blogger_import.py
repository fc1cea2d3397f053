"""Blogger import benchmark: a 1,000-post export with 5,000 comments, imported.

Times reading the export, converting and writing everything (``--no-images``), and an
import again of the same export (nothing to write), each in a fresh run of
``blogtools.blogger.importer.run``; prints a table, with the peak memory. With
``--converters``, first compares the HTML-to-Markdown converters on the five seed
posts as Blogger stored them and on a sample of each kind of markup Blogger's editor
writes (``blogger_exports.FEATURES``): how many of their blocks come out as an author
would have written them, what raw HTML or ``&nbsp;`` is left, and how long each takes.

    python benchmarks/blogger_import.py [--posts 1000] [--comments 5000] [--runs 3]
                                        [--converters]
"""

from __future__ import annotations

import argparse
import re
import resource
import statistics
import tempfile
import time
from pathlib import Path

import blogger_exports as bx

from blogtools.blogger.export import read_export
from blogtools.blogger.importer import options_for, run

ROOT = Path(__file__).resolve().parent.parent


def _blocks(text: str) -> list[tuple[str, str]]:
    import markdown
    from lxml import html

    tree = html.fragment_fromstring(markdown.markdown(text, extensions=["extra"]), "div")
    return [(b.tag, " ".join(b.text_content().split())) for b in tree]


def compare_converters() -> None:
    """Each converter on the seed posts' Blogger HTML: blocks as written, and time."""
    import importlib
    import subprocess

    from blogtools.blogger.markup import to_markdown

    def pandoc(source: str) -> str:
        from pypandoc import get_pandoc_path

        command = [get_pandoc_path(), "-f", "html", "-t", "markdown_strict+pipe_tables",
                   "--wrap=none"]  # fmt: skip
        return subprocess.run(command, input=source, capture_output=True, text=True).stdout

    converters = {"markdownify (ours, with our clean-up)": lambda h: to_markdown(h).markdown,
                  "pandoc (markdown_strict)": pandoc}  # fmt: skip
    try:
        html2text = importlib.import_module("html2text")

        def with_html2text(source: str) -> str:
            converter = html2text.HTML2Text()
            converter.body_width = 0
            return converter.handle(source)

        converters["html2text"] = with_html2text
    except ImportError:
        print("(html2text is not installed: pip install html2text to compare it too)")
    features = [bx.Post(0, "", source, "") for source, _ in bx.FEATURES]
    posts = bx.seed_posts() + features
    originals = [_blocks(bx.blogger_body(p)) for p in sorted(bx.SEED.glob("*.md"))]
    originals += [_blocks(wanted) for _, wanted in bx.FEATURES]
    total = sum(len(o) for o in originals)
    print(f"{'converter':40} {'blocks as written':>18} {'HTML, nbsp left':>16} {'ms a post':>10}")
    for name, convert in converters.items():
        start = time.perf_counter()
        outputs = [convert(post.html) for post in posts]
        elapsed = (time.perf_counter() - start) / len(posts) * 1000
        same = sum(
            sum(1 for a, b in zip(_blocks(out), original, strict=False) if a == b)
            for out, original in zip(outputs, originals, strict=True)
        )
        left = sum(len(re.findall(r"<[a-z]|&nbsp;|\xa0", out)) for out in outputs)
        print(f"{name:40} {f'{same} of {total}':>18} {left:16} {elapsed:10.1f}")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--comments", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--converters", action="store_true")
    args = parser.parse_args()
    if args.converters:
        compare_converters()
    posts, comments = bx.archive(args.posts, args.comments)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-blogger-") as tmp:
        export = Path(tmp) / "export.xml"
        export.write_text(bx.new_format(posts, comments), encoding="utf-8")
        size = export.stat().st_size
        reading, first, again = [], [], []
        for number in range(args.runs):
            start = time.perf_counter()
            read_export(export)
            reading.append(time.perf_counter() - start)
            options = options_for(ROOT / "pelicanconf.py", export, fetch_images=False)
            options.content = Path(tmp) / f"content-{number}"
            options.content.mkdir()
            start = time.perf_counter()
            code, lines = run(options)
            first.append(time.perf_counter() - start)
            assert code == 0, lines
            start = time.perf_counter()
            code, lines = run(options)
            again.append(time.perf_counter() - start)
            assert code == 0 and "wrote 0 files" in "\n".join(lines), lines
        written = sum(1 for p in options.content.rglob("*") if p.is_file())
    rows.append(("reading the export", reading))
    rows.append(("importing (convert and write)", first))
    rows.append(("importing again (nothing new)", again))
    print(f"{args.posts} posts, {args.comments} comments; export {size / 1e6:.1f} MB; "
          f"{written} files written; median and slowest of {args.runs} runs")  # fmt: skip
    print(f"{'step':32} {'median s':>9} {'slowest s':>10}")
    for name, times in rows:
        print(f"{name:32} {statistics.median(times):9.2f} {max(times):10.2f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
