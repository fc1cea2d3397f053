"""A picture for every link shared: a 1200×630 card for each post, and one for the site.

When a post's address is pasted into a social site or a messaging app, the preview it
shows comes from the page's ``og:image``. Each post gets a card drawn with matplotlib:
the site's name, the post's title and date, and its first chart when it has one (the
charts plugin leaves it as a PNG, ``content.chart_picture``); pages and the home page
get the site's card. A card is named by a digest of what is on it, kept in the
plugins' cache and linked into the output, so a warm build draws none and a card
changes its name when its post changes; a first build, which draws one a post, draws
them on every core. The theme writes the tags (``og:image``,
``og:image:alt``, ``twitter:card``) from ``article.card`` and ``SITE_CARD``.

Settings: ``SCHEMA`` (each with its default and meaning).
"""

from __future__ import annotations

import hashlib
import os
import textwrap
from pathlib import Path

from pelican import signals

from blogsupport import buildmemory
from blogsupport.linking import link_or_copy
from blogsupport.perbuild import PerBuild
from blogsupport.plugin_settings import Schema, cache_folder

SCHEMA = Schema("CARDS_", {
    "CARDS_OUTPUT_DIR": ("cards", "where the cards go in the site"),
}, misspelt=("CARD_",))  # fmt: skip
SIZE = (1200, 630)
PER_WORKER = 8  # cards a worker takes at a time; fewer than two workers' worth: drawn here
VERSION = "2"  # of what a card shows and how: a new version, new cards
INK, PAPER, ACCENT, MUTED = "#1c1e21", "#fbfaf7", "#9c3b12", "#5a5f66"


def card_name(*parts: str) -> str:
    """A card's file name: a digest of everything drawn on it."""
    digest = hashlib.sha256("\0".join([VERSION, *parts]).encode()).hexdigest()[:20]
    return f"{digest}.png"


def draw_card(site: str, title: str, date: str, picture: str = "") -> bytes:
    """The card: the site's name, the title and date, and the picture (a PNG) if any."""
    import io

    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.image import imread

    width, height = SIZE
    with matplotlib.rc_context({"font.family": "DejaVu Sans", "text.parse_math": False}):
        figure = Figure(figsize=(width / 100, height / 100), dpi=100, facecolor=PAPER)
        figure.patches.append(matplotlib.patches.Rectangle(
            (0, 0), 0.012, 1, transform=figure.transFigure, color=ACCENT))  # fmt: skip
        figure.text(0.05, 0.88, site, fontsize=22, color=MUTED, va="top")
        # Bold DejaVu Sans is some 0.62 em a letter: the title fits its column.
        size, letters, most = (28, 20, 6) if picture else (44, 28, 4)
        wrapped = textwrap.wrap(title, letters)
        lines = wrapped[:most]
        if len(wrapped) > most:
            lines[-1] = lines[-1].rstrip(" ,.;:") + "…"
        figure.text(0.05, 0.72, "\n".join(lines), fontsize=size, color=INK, va="top",
                    fontweight="bold", linespacing=1.2)  # fmt: skip
        if date:
            figure.text(0.05, 0.08, date, fontsize=22, color=MUTED)
        if picture:
            axes = figure.add_axes((0.52, 0.1, 0.45, 0.8))
            axes.imshow(imread(picture))
            axes.set_axis_off()
        buffer = io.BytesIO()
        # Not Pillow's optimize: it took 32 ms of a card's 53 for 3% of its size (30 KB).
        figure.savefig(buffer, format="png", dpi=100, facecolor=PAPER,
                       metadata={"Software": None})  # fmt: skip
    return buffer.getvalue()


def _draw_into(kept: Path, site: str, title: str, date: str, picture: str) -> None:
    """A card drawn and put in the cache whole (a worker's job, or the build's own)."""
    temporary = kept.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_bytes(draw_card(site, title, date, picture))
    os.replace(temporary, kept)


class Cards(PerBuild, key="link_cards.build", what="cards", schema=SCHEMA):
    """This build's cards: named as the posts are read, drawn when the site is written."""

    def __init__(self, settings: dict, log=None) -> None:
        super().__init__(settings, log)
        self.cache = cache_folder(settings) / "cards"
        self.folder = str(settings["CARDS_OUTPUT_DIR"]).strip("/")
        self.wanted: dict[str, tuple] = {}  # file name -> what to draw on it
        self.drawn = 0
        self.site = str(settings.get("SITENAME", ""))
        site_card = (self.site, str(settings.get("SITESUBTITLE", "")), "", "")
        name = card_name(*site_card)
        self.wanted[name] = site_card
        settings["SITE_CARD"] = f"{self.folder}/{name}"

    def generator_read(self, generator, found: list) -> None:
        made = buildmemory.per_content(self.settings, "link_cards.cards")
        for content in found:
            if not hasattr(generator, "articles"):
                content.card = self.settings["SITE_CARD"]
                continue
            picture = getattr(content, "chart_picture", "") or ""
            when = getattr(content, "date", None)
            made_from = (self.site, getattr(content, "title", ""), when, picture)
            kept = made.get(content) if made is not None else None
            if kept is not None and kept[0] == made_from:
                _, name, drawn = kept  # a post the live preview kept: its card as it was
            else:
                title = " ".join(str(getattr(content, "title", "")).split())
                date = when.strftime("%-d %B %Y") if when else ""
                name = card_name(self.site, title, date, Path(picture).name)
                drawn = (self.site, title, date, picture)
                if made is not None:
                    made[content] = (made_from, name, drawn)
            self.wanted[name] = drawn
            content.card = f"{self.folder}/{name}"

    def write(self, output: Path) -> None:
        """Each card in the output: the kept one linked, or drawn and kept."""
        target = output / self.folder
        target.mkdir(parents=True, exist_ok=True)
        self.cache.mkdir(parents=True, exist_ok=True)
        memory = buildmemory.of(self.settings)
        placed = memory.setdefault("link_cards.placed", set()) if memory is not None else set()
        wanted = [name for name in self.wanted if (str(target), name) not in placed]
        missing = [name for name in wanted if not (self.cache / name).is_file()]
        self._draw(missing)
        for name in wanted:
            kept = self.cache / name
            destination = target / name
            if not destination.exists():
                link_or_copy(kept, destination)
            placed.add((str(target), name))

    def _draw(self, names: list[str]) -> None:
        """Each card not yet kept, drawn into the cache: on every core when there are many
        (a site's first build draws one a post, some 0.04 s each)."""
        jobs = []
        for name in names:
            site, title, date, picture = self.wanted[name]
            if picture and not os.path.isfile(picture):
                picture = ""  # its drawing failed, and was reported
            jobs.append((self.cache / name, site, title, date, picture))
        workers = min(os.cpu_count() or 1, len(jobs) // PER_WORKER)
        if workers > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # fork: a worker starts at once, with matplotlib already imported
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(workers, mp_context=context) as pool:
                list(pool.map(_draw_into, *zip(*jobs, strict=True), chunksize=PER_WORKER))
        else:
            for job in jobs:
                _draw_into(*job)
        self.drawn += len(jobs)

    def finish(self) -> None:
        self.logger.info("cards: %d drawn, %d from the cache", self.drawn,
                         len(self.wanted) - self.drawn)  # fmt: skip


class CardFilesGenerator:
    """Writes the cards once the charts (and so their PNGs) are drawn."""

    def __init__(self, context, settings, path, theme, output_path, *args, **kwargs):
        self.settings, self.output_path = settings, output_path

    def generate_context(self) -> None:
        pass

    def generate_output(self, writer) -> None:
        cards = Cards.of(self)
        if cards is not None:
            cards.write(Path(self.output_path))


def _generators(pelican):
    return CardFilesGenerator


def register() -> None:
    """Pelican's entry point: cards named as posts are read, drawn as the site is written."""
    Cards.connect()
    signals.get_generators.connect(_generators)
