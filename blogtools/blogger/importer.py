"""``invoke import-blogger EXPORT.xml``: a Blogger blog moved into ``content/``.

Each post becomes a Markdown file with its metadata (Title, Date and Modified with
their time zone, Author, Category, Tags, Slug from the old address, Status, Summary),
each page a page, each post's comments a read-only archive beside it, and each image
a file of the site. ``content/blogger/import.json`` records what was imported: each
entry's old address, the file it became and a fingerprint of what was written, from
which the ``blogger_archive`` plugin makes every old address redirect, and by which a
later import of a newer export updates only what the author has not edited since.

Everything is worked out first, in memory; only then is anything written, each file
whole (written aside and renamed), the record first marked unfinished and last
finished, so that an import stopped half-way is taken up again by the next one and a
bad export writes nothing at all. Nothing is written outside ``content/``.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from blogsupport.metadata import metadata_lines
from blogsupport.problems import Problem
from blogsupport.sanitise import reader_html

from .export import BadExport, Entry, Export, read_export
from .images import Fetched, fetch_all
from .markup import to_markdown

STATE = Path("blogger") / "import.json"
COMMENTS = Path("blogger") / "comments"
IMAGES = Path("images") / "blogger"
FORMAT = 1


@dataclass
class Options:
    """What the author asked for."""

    export: Path
    content: Path
    images: Path | None = None  # a folder holding the export's images
    fetch_images: bool = True
    dry_run: bool = False
    categories: dict[str, str] = field(default_factory=dict)  # label -> category
    default_category: str = ""
    slugify: object = None  # Pelican's slugify, with the site's substitutions


@dataclass
class Planned:
    """One file the import would write, and why."""

    path: Path  # inside content/
    text: str
    action: str  # "new", "update"


@dataclass
class Plan:
    """All an import would do: files to write, the record, and its report."""

    files: list[Planned] = field(default_factory=list)
    images: list[Fetched] = field(default_factory=list)
    state: dict = field(default_factory=dict)
    counts: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)  # what the author should look at
    references: list[str] = field(default_factory=list)


def sha(text: str | bytes) -> str:
    """The fingerprint of what was written."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()


def _date(when: datetime | None) -> str:
    return when.isoformat(sep=" ", timespec="minutes") if when else ""


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _slug_of(entry: Entry, slugify) -> str:
    stem = entry.path.rstrip("/").rsplit("/", 1)[-1].removesuffix(".html") if entry.path else ""
    stem = re.sub(r"[^\w.-]+", "-", stem).strip("-.")
    if stem:
        return stem
    return slugify(entry.title) if entry.title and slugify else ""


def _label(label: str) -> str:
    """A label as a Pelican tag: no comma or semicolon, which Pelican splits tags on."""
    return _one_line(re.sub(r"[,;]+", " ", label))


def _metadata_value(text: str) -> str:
    return _one_line(text).replace("\x00", "")


def _existing_posts(content: Path) -> dict[tuple[str, str], Path]:
    """The Markdown already in content/, by (date, slug): the author's own posts."""
    found = {}
    for path in content.rglob("*.md"):
        try:
            fields = {k: v for _, k, v in metadata_lines(path.read_text(encoding="utf-8"))}
        except (OSError, UnicodeDecodeError):
            continue
        match = re.match(r"(\d{4}-\d{2}-\d{2})-(.+)\.md$", path.name)
        slug = fields.get("slug") or (match.group(2) if match else path.stem)
        date = (fields.get("date") or (match.group(1) if match else ""))[:10]
        found[(date, slug)] = path.relative_to(content)
    return found


def _post_text(entry: Entry, markdown: str, slug: str, options: Options, report: Plan) -> str:
    title = _metadata_value(entry.title)
    if not title:
        when = entry.published.strftime("%-d %B %Y") if entry.published else "undated"
        title = f"Untitled ({when})"
        report.notes.append(
            f"{options.export}:{entry.line}: a {entry.kind} with no title — titled "
            f"“{title}”; give it a real one"
        )
    lines = [f"Title: {title}"]
    if entry.published:
        lines.append(f"Date: {_date(entry.published)}")
    if entry.updated and entry.published and (entry.updated - entry.published).total_seconds() > 60:
        lines.append(f"Modified: {_date(entry.updated)}")
    if entry.author:
        lines.append(f"Author: {_metadata_value(entry.author)}")
    if entry.kind == "post":
        labels = [_label(label) for label in entry.labels]
        category = next(
            (options.categories[x] for x in entry.labels if x in options.categories),
            options.default_category,
        )
        if category:
            lines.append(f"Category: {category}")
        if labels:
            lines.append(f"Tags: {', '.join(labels)}")
    lines.append(f"Slug: {slug}")
    if entry.status == "draft":
        lines.append("Status: draft")
    if entry.description:
        lines.append(f"Summary: {_one_line(to_markdown(entry.description).markdown)}")
    return "\n".join(lines) + "\n\n" + (markdown or "")


def plan(export: Export, state: dict, options: Options) -> Plan:
    """Everything the import would write, worked out without writing anything."""
    result = Plan()
    content = options.content
    known = {e["id"]: e for e in state.get("entries", [])}
    existing = _existing_posts(content) if content.is_dir() else {}
    comments: dict[str, list[Entry]] = defaultdict(list)
    for entry in export.entries:
        if entry.kind == "comment":
            comments[entry.parent].append(entry)
    for kind, line in export.unknown:
        result.notes.append(
            f"{options.export}:{line}: an entry of an unknown kind ({kind}) was left out — "
            "nothing to do unless it held a post"
        )
    taken: dict[Path, str] = {}
    converted = []
    for entry in export.entries:
        if entry.kind == "comment":
            continue
        if entry.status == "deleted":
            result.counts["deleted"] += 1
            continue
        found = to_markdown(entry.html)
        converted.append((entry, found))
        result.references += [f"{entry.title}: {line}" for line in found.references]
        for what in found.embeds:
            result.notes.append(f"{options.export}:{entry.line}: an embed became a link ({what})")
    if options.fetch_images:
        urls = [url for _, found in converted for url in found.images]
        result.images = fetch_all(urls, options.images) if urls else []
    new_address = {
        image.url: f"{{static}}/{IMAGES.as_posix()}/{image.name}"
        for image in result.images
        if image.data is not None
    }
    entries = []
    for entry, found in converted:
        slug = _slug_of(entry, options.slugify) or "post"
        markdown = found.markdown
        for old in dict.fromkeys(found.images):  # the post's own images, not every one
            if old in new_address:
                markdown = markdown.replace(f"]({old}", f"]({new_address[old]}")
        day = entry.published.strftime("%Y-%m-%d") if entry.published else "undated"
        target = Path("pages") / f"{slug}.md" if entry.kind == "page" else Path(f"{day}-{slug}.md")
        if target in taken and taken[target] != entry.id:
            base = slug
            for number in range(2, 1000):
                slug = f"{base}-{number}"
                target = target.with_name(
                    target.name.replace(f"-{base}.md", f"-{slug}.md")
                    if entry.kind != "page"
                    else f"{slug}.md"
                )
                if target not in taken:
                    break
            result.notes.append(
                f"{options.export}:{entry.line}: a second {entry.kind} with the address of "
                f"another (“{entry.title}”) — written as {target} with the slug {slug}"
            )
        taken[target] = entry.id
        text = _post_text(entry, markdown, slug, options, result)
        record = {
            "id": entry.id,
            "kind": entry.kind,
            "title": _metadata_value(entry.title),
            "old": entry.path if entry.status != "draft" else "",
            "labels": {label: _label(label) for label in entry.labels},
            "status": "draft" if entry.status == "draft" else "published",
            "date": entry.published.isoformat() if entry.published else "",
        }
        before = known.get(entry.id)
        if before and before.get("file"):
            target = Path(before["file"])
        own = existing.get((day, slug)) if entry.kind == "post" else None
        if own is None and entry.kind == "page" and (content / target).exists() and not before:
            own = target
        action = _decide(content, target, text, before, own, state.get("finished", True))
        record["file"] = str((own or target).as_posix())
        record["sha256"] = (
            sha(text) if action in ("new", "update", "same") else (before or {}).get("sha256")
        )
        if action in ("new", "update"):
            result.files.append(Planned(target, text, action))
        result.counts[f"{entry.kind}:{action}"] += 1
        if action == "kept-edited":
            result.notes.append(f"{target}: edited since it was imported — kept as it is")
        elif action == "kept-yours":
            result.notes.append(
                f"{record['file']}: already in content/ — kept, and its old "
                f"address {entry.path or '(none)'} redirected to it"
            )
        elif action == "kept-deleted":
            result.notes.append(
                f"{target}: deleted since it was imported — not written again "
                "(take its entry out of content/blogger/import.json to import it again)"
            )
        if entry.status == "draft":
            result.counts["drafts"] += 1
        thread = sorted(comments.get(entry.id, []), key=lambda c: c.published or datetime.min)
        live = [c for c in thread if c.status == "live"]
        if live:
            name = COMMENTS / f"{Path(record['file']).stem}.json"
            record["comments"] = name.as_posix()
            result.counts["comments"] += len(live)
            comment_text = (
                json.dumps(
                    [
                        {
                            "id": c.id,
                            "author": _metadata_value(c.author) or "Anonymous",
                            "url": c.author_url
                            if c.author_url.startswith(("http://", "https://"))
                            else "",
                            "date": c.published.isoformat() if c.published else "",
                            "reply_to": c.reply_to,
                            "html": reader_html(c.html),
                        }
                        for c in live
                    ],
                    ensure_ascii=False,
                    indent=1,
                )
                + "\n"
            )
            if (
                not (content / name).is_file()
                or (content / name).read_text("utf-8") != comment_text
            ):
                result.files.append(Planned(name, comment_text, "comments"))
        entries.append(record)
    result.counts["posts"] = sum(1 for e in entries if e["kind"] == "post")
    result.counts["pages"] = sum(1 for e in entries if e["kind"] == "page")
    result.state = {
        "format": FORMAT,
        "blog": {"title": export.title, "address": export.address},
        "entries": entries,
    }
    return result


def _decide(content: Path, target: Path, text: str, before: dict | None, own, finished) -> str:
    if own is not None and not before:
        return "kept-yours"
    path = content / target
    if before is None:
        return "kept-yours" if path.exists() else "new"
    if not path.exists():
        return "new" if not finished else "kept-deleted"
    written = sha(path.read_bytes())
    if written == sha(text):
        return "same"
    if written == before.get("sha256"):
        return "update"
    return "kept-edited"


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _inside(content: Path, relative: Path) -> Path:
    path = (content / relative).resolve()
    if not path.is_relative_to(content.resolve()):
        raise BadExport(f"{relative} would be outside content/", "report this: it is a bug")
    return path


def apply(result: Plan, content: Path) -> None:
    """Write what ``plan`` worked out: the record (unfinished), the files, the record."""
    state_path = _inside(content, STATE)
    state = dict(result.state, finished=False)
    _write(state_path, (json.dumps(state, ensure_ascii=False, indent=1) + "\n").encode())
    for image in result.images:
        if image.data is not None:
            _write(_inside(content, IMAGES / image.name), image.data)
    for planned in result.files:
        _write(_inside(content, planned.path), planned.text.encode("utf-8"))
    state["finished"] = True
    _write(state_path, (json.dumps(state, ensure_ascii=False, indent=1) + "\n").encode())


@contextlib.contextmanager
def _locked(content: Path):
    lock_path = content / "blogger" / ".import.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BadExport(
                "another import into this content/ is running",
                "wait for it to finish, then import again",
            ) from None
        yield


def summary(result: Plan, options: Options) -> list[str]:
    """What the import did (or, in a dry run, would do), for the terminal."""
    c = result.counts
    verb = "would write" if options.dry_run else "wrote"
    fetched = sum(1 for i in result.images if i.data is not None)
    failed = [i for i in result.images if i.data is None]
    lines = [
        f"posts: {c['posts']} ({c['post:new']} new, {c['post:update']} updated, "
        f"{c['post:same']} unchanged, {c['post:kept-edited']} edited since and kept, "
        f"{c['post:kept-yours']} already yours and kept, {c['post:kept-deleted']} deleted "
        f"since and left out)",
        f"pages: {c['pages']} ({c['page:new']} new, {c['page:update']} updated)",
        f"drafts: {c['drafts']}; deleted on Blogger, left out: {c['deleted']}",
        f"comments: {c['comments']}",
        f"images: {fetched} fetched, {len(failed)} failed",
        f"old addresses recorded: {sum(1 for e in result.state['entries'] if e['old'])} posts "
        "and pages, with their labels, months, years and feeds (the site's build writes the "
        "redirects)",
        f"{verb} {len(result.files)} files and content/{STATE.as_posix()}",
    ]
    for image in failed:
        lines.append(
            f"image not fetched: {image.url} ({image.error}) — the post keeps its "
            "old address; fetch it by hand into content/images/blogger/"
        )
    lines += result.notes
    if result.references:
        lines.append("numbered reference lines, candidates for citations (see the README):")
        lines += [f"  {line}" for line in result.references]
    if options.dry_run:
        lines += [f"  {p.action}: content/{p.path.as_posix()}" for p in result.files]
    return lines


def run(options: Options) -> tuple[int, list[str]]:
    """Import; (exit status, lines to print)."""
    try:
        export = read_export(options.export)
        if not any(e.kind in ("post", "page") for e in export.entries):
            raise BadExport("the export holds no posts or pages", "export the blog again")
        state_path = options.content / STATE
        state = {}
        if state_path.is_file():
            try:
                state = json.loads(state_path.read_text(encoding="utf-8"))
            except (ValueError, UnicodeDecodeError) as error:
                raise BadExport(
                    f"content/{STATE.as_posix()} is not valid JSON ({error})",
                    "restore it from git (git checkout -- content/blogger)",
                ) from None
        result = plan(export, state, options)
        if not options.dry_run:
            with _locked(options.content):
                apply(result, options.content)
    except BadExport as error:
        return 1, [str(Problem(str(options.export), error.line, error.message, error.fix))]
    return 0, summary(result, options)


def options_for(settings_file: Path, export: Path, **asked) -> Options:
    """The import's options from the site's settings (the content folder, the category
    mapping, how slugs are made) and what the author asked on the command line."""
    from pelican.settings import read_settings
    from pelican.utils import slugify

    settings = read_settings(str(settings_file))
    substitutions = settings.get("SLUG_REGEX_SUBSTITUTIONS", [])
    return Options(
        export=export,
        content=Path(settings["PATH"]),
        categories=dict(settings.get("BLOGGER_CATEGORIES") or {}),
        default_category=settings.get("BLOGGER_DEFAULT_CATEGORY")
        or settings.get("DEFAULT_CATEGORY", ""),
        slugify=lambda text: slugify(text, regex_subs=substitutions),
        **asked,
    )
