"""Links from posts and pages to files in the content folder: checked as each is read,
and images given their size.

A ``{static}``, ``{attach}`` or ``{filename}`` link to a file that is not there is
reported as ``path:line: what — what to do`` (Pelican's own "Unable to find
'/images/x.png'" names neither the post nor the line, and is left out for a link
reported here); so is a plain relative address that names a file of the content
folder (``images/x.png``), which a browser would look for beside the post's page
and not find. Each image of the content folder gets its ``width`` and ``height``,
so that the page does not move as it loads, and lazy loading.

No settings.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path, PurePosixPath

from pelican import signals
from pelican.contents import Static

from blogsupport import buildmemory
from blogsupport.generators import contents
from blogsupport.perbuild import PerBuild
from blogsupport.problems import Problem, display, line_of

from .containment import escaping_links, first_escape, inside, written_inside
from .links import IMAGE_SUFFIXES, links, with_sizes
from .sizes import image_size

logger = logging.getLogger(__name__)
# Pelican's own words for a link to a missing file: its logger, and the message.
PELICAN_UNFOUND = {
    "pelican.contents": "Unable to find '%s', skipping url replacement.",
    "pelican.cache": "Cannot get modification stamp for %s\n\t%s",
}


class _ReportedHere(logging.Filter):
    """Leaves out Pelican's own warnings about a missing file this plugin has reported
    with the post and the line."""

    def __init__(self) -> None:
        super().__init__()
        self.values: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg == PELICAN_UNFOUND.get(record.name) and record.args:
            return str(record.args[0]) not in self.values
        return True


class LinkedFiles(PerBuild, key="linked_files.build", what="linked files"):
    """One build's links: what it reported (so that Pelican's own message for the same
    link is left out), and the real paths outside content/ it refused."""

    def __init__(self, settings: dict, logger: logging.Logger | None = None) -> None:
        super().__init__(settings, logger)
        self.unfound = _ReportedHere()
        self.refused: set[str] = set()
        self._refuse_escaping_links()
        for name in PELICAN_UNFOUND:  # this build's filter, in place of an earlier build's
            found = logging.getLogger(name)
            for earlier in [f for f in found.filters if isinstance(f, _ReportedHere)]:
                found.removeFilter(earlier)
            found.addFilter(self.unfound)

    def _refuse_escaping_links(self) -> None:
        settings = self.settings
        memory = buildmemory.of(settings)
        found = memory.get("linked_files.escaping") if memory is not None else None
        if found is None or found[0] != (memory.files, settings["PATH"]):
            found = ((memory.files if memory else 0, settings["PATH"]),
                     escaping_links(settings["PATH"]))  # fmt: skip
            if memory is not None:  # the live preview: walked again when files come or go
                memory["linked_files.escaping"] = found
        for relative, is_folder in found[1]:
            link = Path(settings["PATH"]) / relative
            Problem(
                display(link),
                None,
                f"is a symlink that leads outside the content folder, to "
                f"{os.path.realpath(link)}: nothing under it is published",
                "keep what the site publishes inside content/ (copy it in, do not link to it)",
            ).log(self.logger)
            self.refused.add(os.path.realpath(link))
            if is_folder:  # Pelican would walk it, following the link: left out instead
                for name in ("STATIC_EXCLUDES", "ARTICLE_EXCLUDES", "PAGE_EXCLUDES"):
                    settings[name] = [*settings.get(name, []), relative]

    def read(self, content) -> None:
        """A post's links checked, and its images given their size."""
        if isinstance(content, Static) or not getattr(content, "_content", None):
            return
        check(content, self)
        root = Path(content.settings["PATH"])
        content._content = with_sizes(content._content, content.relative_dir, _size_of(root))

    def generator_read(self, generator, contents: list) -> None:
        _written_outside(generator)

    def finish(self) -> None:
        for name in PELICAN_UNFOUND:
            logging.getLogger(name).removeFilter(self.unfound)


def _linked(url: str) -> str:
    """The path a ``{static}`` link names, as Pelican's own message quotes it."""
    return url.split("}", 1)[-1].split("|", 1)[-1].split("#")[0]


def _fix_for(link, target: str) -> str:
    prefix = "static" if PurePosixPath(target).suffix not in (".md", ".markdown") else "filename"
    return f"write {{{prefix}}}/{target}"


def check(content, build: LinkedFiles) -> None:
    """Report each link of ``content`` to a file that is not there."""
    html = content._content or ""
    root = Path(content.settings["PATH"])
    source = content.source_path
    here = content.relative_dir
    for link in links(html, here):
        where = display(source)
        if link.what:
            line = line_of(source, link.url) or line_of(source, link.url.split("}", 1)[-1])
            if link.target is None:
                build.unfound.values.add(_linked(link.url))
                build.refused.add(os.path.realpath(root / link.url.split("}", 1)[-1].lstrip("/")))
                Problem(
                    where,
                    line,
                    f"links to {link.url}, which is outside the content folder",
                    "link only to files in content/",
                ).log(build.logger)
            elif not (root / link.target).exists():
                build.unfound.values.add(_linked(link.url))
                build.unfound.values.add(str(root / link.target))
                Problem(
                    where,
                    line,
                    f"links to {link.url}, but there is no file {display(root / link.target)}",
                    "put the file there, or correct the link",
                ).log(build.logger)
        elif link.target and (root / link.target).is_file():
            Problem(
                where,
                line_of(source, f"({link.url}") or line_of(source, link.url),
                f"links to '{link.url}', an address relative to the page's own, where "
                "the file will not be",
                _fix_for(link, link.target),
            ).log(build.logger)


def _size_of(root: Path):
    def size_of(target: str):
        path = root / target
        if path.suffix.lower() not in IMAGE_SUFFIXES:
            return None
        return image_size(path)

    return size_of


def _outside_content(generator) -> None:
    """Static files whose real path leaves the content folder (a symlink to a home folder,
    a ``{static}/../`` link) are reported and not copied."""
    build = LinkedFiles.of(generator)
    if build is None:
        return
    root = generator.settings["PATH"]
    kept = []
    for static in generator.staticfiles:
        if inside(static.source_path, root):
            kept.append(static)
            continue
        escape = first_escape(Path(root), static.relative_source_path) or static.source_path
        if os.path.realpath(escape) not in build.refused:  # one message for each link
            build.refused.add(os.path.realpath(escape))
            Problem(
                display(escape),
                None,
                f"leads outside the content folder, to {os.path.realpath(escape)}: "
                f"{static.relative_source_path} is not published",
                "keep what the site publishes inside content/ (copy it in, do not link to it)",
            ).log(logger)
        generator.context.get("static_content", {}).pop(static.relative_source_path, None)
        build.unfound.values.add("/" + static.relative_source_path)  # not Pelican's too
    generator.staticfiles[:] = kept
    generator.context["staticfiles"] = kept


def _written_outside(generator) -> None:
    """Posts and pages whose file would be written outside the output (a ``Save_as`` or a
    slug with '..') are reported and not written."""
    output = generator.output_path
    checked = buildmemory.per_content(generator.settings, "linked_files.inside")
    for content in contents(generator):
        if checked is not None and checked.get(content) == output:
            continue  # a post the live preview kept (its address as it was)
        save_as = content.save_as
        if written_inside(save_as, output):
            if checked is not None:
                checked[content] = output
            continue
        Problem(
            display(content.source_path),
            line_of(content.source_path, save_as.rsplit("/", 1)[-1]) or None,
            f"would be written at {save_as}, outside the site",
            "give a Save_as or Slug inside the site (no '..', no leading '/'); "
            "the page is not written meanwhile",
        ).log(logger)
        content.override_save_as = ""


def register() -> None:
    """Pelican's entry point: links checked as content is read, escapes refused."""
    LinkedFiles.connect()
    signals.static_generator_finalized.connect(_outside_content)
