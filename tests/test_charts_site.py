"""Charts in the built site: figures, feeds, the cache, and bad blocks."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

import feedparser
from bs4 import BeautifulSoup
from sitebuild import ROOT, copy_content, pelican

from pelican.plugins.sampling_charts import spec as specs

METHODOLOGY = "2017/06/ofsteds-methodology-how-good-is-it/index.html"
MYSTERY = "2017/06/the-case-of-the-missing-methodology/index.html"
POST = "2017-06-07-ofsteds-methodology-how-good-is-it.md"


def figures(build, rel):
    return BeautifulSoup(build.read(rel), "lxml").select("figure.chart")


def test_figures_with_alt_text_captions_and_data_tables(site, site_url):
    assert len(figures(site, METHODOLOGY)) == 3
    assert len(figures(site, MYSTERY)) == 1
    for figure in figures(site, METHODOLOGY) + figures(site, MYSTERY):
        image = figure.select_one("img")
        assert int(image["width"]) > 300 and int(image["height"]) > 200
        assert len(image["alt"]) > 60
        assert image["src"].startswith(f"{site_url}/charts/") and image["src"].endswith(".svg")
        phone = figure.select_one("picture > source[media]")
        assert phone["srcset"] == image["src"].removesuffix(".svg") + "-narrow.svg"
        assert int(phone["width"]) < int(image["width"]) and int(phone["height"]) > 300
        for drawing in image["src"], phone["srcset"]:
            svg = site.output / drawing[len(site_url) + 1 :]
            assert svg.stat().st_size < 60_000
            ElementTree.fromstring(svg.read_bytes())
        caption = figure.select_one("figcaption")
        assert caption.select_one(".chart-title").get_text()
        table = figure.select_one("details.chart-data table")
        assert table.select_one("caption").get_text()
        assert len(table.select("tbody tr")) >= 4
        assert table.select("thead th[scope=col]")
    sampling = figures(site, METHODOLOGY)[0]
    assert "10.9%" in sampling.select_one("figcaption").get_text()
    assert "10.9%" in sampling.select_one("img")["alt"]


def test_the_author_s_text_around_the_charts_is_unchanged(site):
    soup = BeautifulSoup(site.read(METHODOLOGY), "lxml")
    body = soup.select_one(".post-body")
    previous = soup.select_one("figure.chart").find_previous_sibling("p")
    assert previous.get_text().endswith("effectively invalidating its findings.")
    assert "```" not in body.get_text() and "kind =" not in body.get_text()


def test_feeds_show_the_charts_with_absolute_urls(site, site_url):
    feed = feedparser.parse(site.output / "feeds" / "all.atom.xml")
    entry = next(e for e in feed.entries if e.title.startswith("Ofsted's methodology"))
    images = BeautifulSoup(entry.content[0].value, "lxml").select("figure.chart img")
    assert len(images) == 3
    for image in images:
        assert image["src"].startswith(f"{site_url}/charts/")
        assert (site.output / image["src"][len(site_url) + 1 :]).is_file()


def test_charts_are_the_same_bytes_in_every_build_and_cached(tmp_path):
    content = copy_content(tmp_path)
    one = pelican(tmp_path / "one", content=content, cache=tmp_path / "c1", verbose=True)
    two = pelican(tmp_path / "two", content=content, cache=tmp_path / "c2", verbose=True)
    again = pelican(tmp_path / "again", content=content, cache=tmp_path / "c1", verbose=True)
    assert "charts: 4 charts drawn, 0 from the cache" in one.log
    assert "charts: 4 charts drawn, 0 from the cache" in two.log
    assert "charts: 0 charts drawn, 4 from the cache" in again.log
    files = sorted(p.name for p in (one.output / "charts").glob("*.svg"))
    assert len(files) == 8  # each drawn for the desktop and for a phone
    for name in files:
        first = (one.output / "charts" / name).read_bytes()
        assert first == (two.output / "charts" / name).read_bytes()
        assert first == (again.output / "charts" / name).read_bytes()
    assert one.read(METHODOLOGY) == two.read(METHODOLOGY) == again.read(METHODOLOGY)


def test_a_build_with_every_chart_cached_does_not_import_matplotlib(tmp_path):
    content = copy_content(tmp_path)
    cache = tmp_path / "cache"
    probe = (
        "import sys\n"
        "from pelican import main\n"
        f"main([{str(content)!r}, '-s', {str(ROOT / 'publishconf.py')!r}, '-o', "
        f"{str(tmp_path / 'out')!r}, '-q', '-e', 'CACHE_PATH=\"{cache}\"', "
        f"'PLUGIN_CACHE_PATH=\"{cache}\"'])\n"
        "print('matplotlib' in sys.modules, 'citeproc' in sys.modules, "
        "'bibtexparser' in sys.modules)\n"
    )
    cold = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True)
    assert cold.returncode == 0, cold.stderr
    warm = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True)
    assert warm.returncode == 0, warm.stderr
    assert warm.stdout.strip().splitlines()[-1] == "False False False"


def break_chart(tmp_path, old, new, name="strict", strict=True, settings="publishconf.py"):
    content = copy_content(tmp_path / f"src-{name}")
    post = content / POST
    text = post.read_text(encoding="utf-8")
    assert old in text
    post.write_text(text.replace(old, new, 1), encoding="utf-8")
    build = pelican(
        tmp_path / name,
        content=content,
        strict=strict,
        settings=settings,
        cache=tmp_path / f"cache-{name}",
    )
    line = next(
        n for n, row in enumerate(post.read_text().splitlines(), 1) if new.split("\n")[0] in row
    )
    return build, line


def test_a_bad_parameter_fails_the_strict_build_and_shows_a_box_in_the_preview(tmp_path):
    strict, line = break_chart(tmp_path, "poor = 0.2\nthreshold = 8", "poor = 1.2\nthreshold = 8")
    assert strict.returncode != 0
    assert (
        f"{POST}:{line}: chart: 'poor' must be between 0 and 1, not 1.2 — true share of poor "
        "cases in the authority"
    ) in strict.log
    preview, _ = break_chart(
        tmp_path,
        "poor = 0.2\nthreshold = 8",
        "poor = 1.2\nthreshold = 8",
        name="preview",
        strict=False,
        settings="pelicanconf.py",
    )
    assert preview.returncode == 0
    soup = BeautifulSoup(preview.read(METHODOLOGY), "lxml")
    box = soup.select_one(".chart-error")
    assert f"{POST}:{line}: chart: 'poor' must be between 0 and 1" in box.get_text()
    assert "poor = 1.2" in box.select_one("pre").get_text()
    assert len(soup.select("figure.chart")) == 2  # the other charts are drawn


def test_invalid_toml_names_its_line(tmp_path):
    strict, line = break_chart(tmp_path, "sample = 25\n", "sample = = 25\n")
    assert strict.returncode != 0
    assert re.search(
        rf"{re.escape(POST)}:{line}: chart: the chart block is not valid TOML", strict.log
    )


def test_funnel_data_files(tmp_path):
    content = copy_content(tmp_path / "src")
    (content / "data").mkdir(exist_ok=True)
    (content / "data" / "inspections.csv").write_text(
        "authority,cases,poor\nNorthshire,25,4\nSouthshire,30,12\nWestshire,28,5\n"
        "Eastshire,27,6\n<script>Borough</script>,26,3\n",
        encoding="utf-8",
    )
    post = content / POST
    good = '```chart\nkind = "funnel"\ndata = "inspections.csv"\ntitle = "Five authorities"\n```\n'
    text = post.read_text(encoding="utf-8")
    post.write_text(
        text.replace("Watch this space.", good + "\nWatch this space."), encoding="utf-8"
    )
    build = pelican(tmp_path / "out", content=content, cache=tmp_path / "cache")
    assert build.returncode == 0, build.log
    funnel = figures(build, METHODOLOGY)[-1]
    rows = [[c.get_text() for c in r.select("th, td")] for r in funnel.select("tbody tr")]
    assert ["Southshire", "30", "12", "40.0%", "outside 95%"] in rows
    assert "<script>" not in build.read(METHODOLOGY)
    assert "&lt;script&gt;Borough&lt;/script&gt;" in build.read(METHODOLOGY)

    post.write_text(post.read_text().replace('"inspections.csv"', '"missing.csv"'))
    missing = pelican(tmp_path / "missing", content=content, cache=tmp_path / "cache")
    assert missing.returncode != 0
    assert re.search(
        rf"{re.escape(POST)}:\d+: chart: data file .*missing\.csv not found", missing.log
    )

    post.write_text(
        post.read_text().replace('"missing.csv"', '"inspections.csv"\nnumerator = "failures"')
    )
    column = pelican(tmp_path / "column", content=content, cache=tmp_path / "cache")
    assert column.returncode != 0
    assert "has no column 'failures' (its columns: authority, cases, poor)" in column.log


def test_every_key_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    keys = [("all", key) for key in specs.SHARED]
    keys += [(kind, key) for kind, params in specs.KINDS.items() for key in params]
    for kind, key in keys:
        assert f"`{key}`" in readme, f"README's author guide does not explain '{key}' ({kind})"
