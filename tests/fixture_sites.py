"""The engine's fixture sites (tests/sites/NAME/content), copied where a test may change them.

The author's own content/ is his to edit: the tests of the engine build sites of
their own. Binary files a site needs (PNG, PDF) are written here rather than kept
in the repository.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

SITES = Path(__file__).with_name("sites")


def write_png(path: Path, width: int, height: int) -> Path:
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (width, height), (200, 40, 30)).save(path, format="PNG")
    return path


def write_pdf(path: Path, text: str = "A report") -> Path:
    """A one-page PDF, written as the format's reference describes (cross-reference table
    with the objects' byte offsets)."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(out))
    return path


def _media(content: Path) -> None:
    write_png(content / "images" / "beads.png", 640, 360)
    write_png(content / "2020" / "diagram.png", 300, 200)
    write_pdf(content / "files" / "report.pdf")


WRITERS = {"media": _media}


def fixture_site(name: str, dest: Path) -> Path:
    """A copy of the fixture site ``name``'s content folder under ``dest``; its path."""
    content = dest / "content"
    shutil.copytree(SITES / name / "content", content)
    if name in WRITERS:
        WRITERS[name](content)
    return content


TAGS = ["sampling", "ofsted", "blame", "inspection", "data", "courts"]


def write_posts(content: Path, count: int) -> list[Path]:
    """Enough posts, three tags each, for every listing to run to several pages."""
    posts = []
    for n in range(count):
        day = dt.date(2018, 1, 1) + dt.timedelta(days=3 * n)
        tags = ", ".join(TAGS[(n + k) % len(TAGS)] for k in range(3))
        summary = f"Summary: The summary of {n}.\n" if n % 2 else ""  # else the body's start
        post = content / f"{day}-post-{n}.md"
        post.write_text(
            f"Title: Post {n}\nDate: {day} 09:00\nTags: {tags}\n{summary}\nThe body of post "
            f"{n}, with [a link to the first]({{filename}}2018-01-01-post-0.md).\n",
            encoding="utf-8",
        )
        posts.append(post)
    return posts
