"""From a chart's parameters to what it shows: the numbers, a table of them, the words.

Everything the chart draws comes from here, and the same numbers fill the data
table under it and the sentence that states the result, so the three always
agree. Pure: no matplotlib, no files.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import Any

from . import stats
from .spec import MAX_CASELOAD, MAX_COST, ChartSpec

# Bars and rows outside this much probability mass are left out of large samples.
TRIM = 1e-5


@dataclass
class Table:
    """The numbers behind a chart, as the table under it shows them."""

    caption: str
    columns: list[str]
    rows: list[list[str]]


@dataclass
class ChartData:
    """Everything a chart shows, computed from its parameters: what to plot, its table and words."""

    kind: str
    plot: dict[str, Any]
    table: Table
    summary: str
    alt: str
    notes: list[str] = field(default_factory=list)


class DataError(ValueError):
    """Data that cannot be charted (a CSV with a bad value): message and CSV line."""

    def __init__(self, message: str, fix: str, line: int | None = None, key: str = "data"):
        super().__init__(message)
        self.fix, self.line, self.key = fix, line, key

    def __reduce__(self):  # raised in a worker, read in the build: pickled with its fields
        return (DataError, (str(self), self.fix, self.line, self.key))


def percent(value: float, places: int = 1) -> str:
    """A proportion as a percentage for the table: 0.125 is 12.5%."""
    return f"{100 * value:.{places}f}%"


def probability(value: float) -> str:
    """A probability for the table: four decimals, or scientific when smaller."""
    if value == 0:
        return "0"
    if value < 0.00005:
        return f"{value:.2e}"
    return f"{value:.4f}"


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def compute(spec: ChartSpec, rows: list[dict[str, str]] | None = None) -> ChartData:
    """The chart's data. ``rows`` are a funnel's CSV rows, when it has a data file."""
    handler = {
        "sampling": _sampling,
        "red-beads": _red_beads,
        "verdict-risk": _verdict_risk,
        "funnel": _funnel,
        "intervals": _intervals,
    }[spec.kind]
    data = handler(spec, rows) if spec.kind == "funnel" else handler(spec)
    if spec.alt:
        data.alt = spec.alt
    return data


def _sampling(spec: ChartSpec) -> ChartData:
    p = spec.params
    n, share, threshold, caseload = p["sample"], p["poor"], p["threshold"], p.get("caseload")
    if caseload:
        poor_cases = round(share * caseload)
        pmf = stats.hypergeometric_pmf(caseload, poor_cases, n)
        model = f"drawn from a caseload of {caseload:,} with {poor_cases:,} poor cases"
    else:
        pmf = stats.binomial_pmf(n, share)
        model = f"when {percent(share, 0)} of the authority's cases are poor"
    adverse = stats.tail(pmf, threshold)
    mean = sum(k * q for k, q in enumerate(pmf))
    low, high = _trimmed(pmf, threshold)
    ks = list(range(low, high + 1))
    summary = (
        f"A sample of {n} cases {model} finds {threshold} or more poor cases, an adverse "
        f"verdict, with probability {percent(adverse)}; on average it finds {mean:.1f}."
    )
    alt = (
        f"Bar chart of the chance of finding each number of poor cases, from {low} to {high}, "
        f"in a sample of {n} cases {model}. The bars for {threshold} or more, an adverse "
        f"verdict, are hatched; together they come to {percent(adverse)}."
    )
    rows = [[str(k), probability(pmf[k]), "adverse" if k >= threshold else ""] for k in ks]
    notes = []
    if (low, high) != (0, n):
        notes.append(
            f"Numbers of poor cases below {low} or above {high} have a combined "
            f"probability under {TRIM:.0e} and are not shown."
        )
    return ChartData(
        "sampling",
        {"ks": ks, "pmf": [pmf[k] for k in ks], "threshold": threshold, "adverse": adverse, "n": n},
        Table(
            f"Probability of each number of poor cases in a sample of {n}",
            ["Poor cases found", "Probability", "Verdict"],
            rows,
        ),
        summary,
        alt,
        notes,
    )


def _trimmed(pmf: list[float], keep: int) -> tuple[int, int]:
    if len(pmf) <= 61:
        return 0, len(pmf) - 1
    low, high, total = 0, len(pmf) - 1, 0.0
    while low < keep and total + pmf[low] < TRIM / 2:
        total += pmf[low]
        low += 1
    total = 0.0
    while high > keep and total + pmf[high] < TRIM / 2:
        total += pmf[high]
        high -= 1
    return low, high


def _red_beads(spec: ChartSpec) -> ChartData:
    p = spec.params
    beads, paddle, workers, days = p["beads"], p["paddle"], p["workers"], p["days"]
    red = round(p["red"] * beads)
    unit = p["unit"].strip() or "worker"
    names = [f"{unit[0].upper()}{unit[1:]} {chr(65 + i)}" for i in range(workers)]
    draws = stats.red_bead_draws(beads, red, paddle, workers, days, spec.seed)
    centre = sum(map(sum, draws)) / (paddle * workers * days)
    sigma = math.sqrt(centre * (1 - centre) / paddle)
    upper, lower = min(1.0, centre + 3 * sigma), max(0.0, centre - 3 * sigma)
    totals = [sum(day[w] for day in draws) for w in range(workers)]
    order = sorted(range(workers), key=lambda w: (totals[w], w))
    ranks = {w: 1 + sorted(totals).index(totals[w]) for w in range(workers)}
    outside = sum(1 for day in draws for x in day if not lower <= x / paddle <= upper)
    best, worst = order[0], order[-1]
    summary = (
        f"Every {unit} drew {paddle} beads a day from the same urn of {beads:,}, "
        f"{percent(red / beads, 0)} red. Their totals over {_plural(days, 'day')} ran from "
        f"{totals[best]} ({names[best]}) to {totals[worst]} ({names[worst]}) red beads; "
        + ("every draw fell within" if outside == 0 else f"{_plural(outside, 'draw')} fell outside")
        + f" the 3-sigma limits of {percent(lower)} to {percent(upper)}. "
        "A league table of them would rank nothing but chance."
    )
    alt = (
        f"Control chart of the share of red beads in each of {workers * days} draws by "
        f"{workers} identical {unit}s over {days} days, with a centre line at "
        f"{percent(centre)} and 3-sigma limits at {percent(lower)} and {percent(upper)}; "
        f"beside it, their totals ranked from {names[best]} ({totals[best]}) "
        f"to {names[worst]} ({totals[worst]})."
    )
    rows = [
        [names[w], *(str(draws[d][w]) for d in range(days)), str(totals[w]), str(ranks[w])]
        for w in order
    ]
    return ChartData(
        "red-beads",
        {
            "draws": draws,
            "paddle": paddle,
            "names": names,
            "centre": centre,
            "upper": upper,
            "lower": lower,
            "totals": totals,
            "order": order,
            "unit": unit,
        },
        Table(
            f"Red beads drawn by each {unit}, day by day, ranked by total",
            [unit.capitalize(), *(f"Day {d + 1}" for d in range(days)), "Total", "Rank"],
            rows,
        ),
        summary,
        alt,
    )


def _verdict_risk(spec: ChartSpec) -> ChartData:
    p = spec.params
    samples = sorted(dict.fromkeys(p["samples"]))
    low, high = p["range"]
    step = p["step"]
    count = round((high - low) / step)
    shares = [round(low + i * step, 6) for i in range(count + 1)]
    if p.get("threshold") is not None:
        thresholds = {n: p["threshold"] for n in samples}
        rule = f"{p['threshold']} or more poor cases"
    else:
        thresholds = {n: math.ceil(p["threshold_share"] * n - 1e-9) for n in samples}
        rule = f"{percent(p['threshold_share'], 0)} or more of the sample poor"
    curves = {
        n: [stats.tail(stats.binomial_pmf(n, s), thresholds[n]) for s in shares] for n in samples
    }
    sizes = _join([str(n) for n in samples])
    mark = p.get("mark")
    if mark is not None:
        risks = [stats.tail(stats.binomial_pmf(n, mark), thresholds[n]) for n in samples]
        summary = (
            f"With {rule} needed for an adverse verdict and {percent(mark, 0)} of cases "
            "truly poor, the chance of an adverse verdict is "
            + _join([f"{percent(r)} with {n} cases" for r, n in zip(risks, samples, strict=True)])
            + "."
        )
    else:
        risks = []
        summary = (
            f"The chance of an adverse verdict ({rule}) at each true share of poor cases, "
            f"for samples of {sizes} cases."
        )
    alt = (
        f"Line chart of the chance of an adverse verdict, {rule}, against the true share of "
        f"poor cases from {percent(low, 0)} to {percent(high, 0)}, one curve for each sample "
        f"size: {sizes}. {summary if mark is not None else ''}"
    ).strip()
    rows = [
        [percent(s, 1), *(probability(curves[n][i]) for n in samples)] for i, s in enumerate(shares)
    ]
    return ChartData(
        "verdict-risk",
        {
            "shares": shares,
            "curves": curves,
            "samples": samples,
            "mark": mark,
            "risks": risks,
            "thresholds": thresholds,
        },
        Table(
            "Chance of an adverse verdict by true share of poor cases and sample size",
            ["True share poor", *(f"{n} cases" for n in samples)],
            rows,
        ),
        summary,
        alt,
    )


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _funnel(spec: ChartSpec, csv_rows: list[dict[str, str]] | None) -> ChartData:
    p = spec.params
    if p.get("data") is not None:
        units = _units_from_rows(csv_rows or [], p)
        source = f"from {p['data']}"
    else:
        rng = random.Random(spec.seed)
        smallest, largest = p["sizes"]
        units = []
        for i in range(p["units"]):
            n = rng.randint(smallest, largest)
            units.append((f"Authority {i + 1}", n, sum(rng.random() < p["poor"] for _ in range(n))))
        source = f"simulated: {_plural(len(units), 'authority')} with {percent(p['poor'], 0)} poor"
        source = source.replace("authoritys", "authorities")
    total_n = sum(n for _, n, _ in units)
    target = p["target"] if p.get("target") is not None else sum(x for *_, x in units) / total_n
    ns = sorted({n for _, n, _ in units})
    grid = _grid(ns[0], ns[-1])
    names = ("lo998", "lo95", "hi95", "hi998")
    quantiles = (0.001, 0.025, 0.975, 0.999)
    by_n = {n: stats.funnel_limits(n, target, quantiles) for n in sorted(set(grid) | set(ns))}
    limits = {name: [by_n[n][i] for n in grid] for i, name in enumerate(names)}
    positions = []
    for _, n, x in units:
        lo998, lo95, hi95, hi998 = by_n[n]
        share = x / n
        if not lo998 <= share <= hi998:
            positions.append("outside 99.8%")
        elif not lo95 <= share <= hi95:
            positions.append("outside 95%")
        else:
            positions.append("within")
    outside95 = sum(pos != "within" for pos in positions)
    outside998 = positions.count("outside 99.8%")
    summary = (
        f"Of {len(units)} units ({source}), {outside95} lie outside the 95% limits and "
        f"{outside998} outside the 99.8% limits around {percent(target)}; chance alone would "
        f"put about {0.05 * len(units):.1f} outside the 95% limits and "
        f"{0.002 * len(units):.1f} outside the 99.8% ones."
    )
    alt = (
        f"Funnel plot of the share of poor cases found against the number of cases looked at, "
        f"for {len(units)} units, with a target line at {percent(target)} and 95% and 99.8% "
        f"limits that narrow as samples grow. {outside95} units lie outside the 95% limits, "
        f"{outside998} outside the 99.8% limits."
    )
    rows = [
        [name, str(n), str(x), percent(x / n), pos]
        for (name, n, x), pos in sorted(
            zip(units, positions, strict=True), key=lambda u: (u[0][1], u[0][0])
        )
    ]
    return ChartData(
        "funnel",
        {"units": units, "positions": positions, "target": target, "grid": grid, **limits},
        Table(
            "Each unit's cases, poor cases and share, against the control limits",
            [
                p["label"].capitalize() if p.get("data") else "Unit",
                "Cases",
                "Poor",
                "Share poor",
                "Position",
            ],
            rows,
        ),
        summary,
        alt,
    )


def _grid(low: int, high: int) -> list[int]:
    if high - low <= 200:
        return list(range(low, high + 1))
    step = (high - low) / 200
    return sorted({low + round(i * step) for i in range(201)} | {high})


def _units_from_rows(rows: list[dict[str, str]], p: dict) -> list[tuple[str, int, int]]:
    label, den, num = p["label"], p["denominator"], p["numerator"]
    if not rows:
        raise DataError(f"data file {p['data']} has no rows", "add a header line and data rows")
    for column, key in ((label, "label"), (den, "denominator"), (num, "numerator")):
        if column not in rows[0]:
            raise DataError(
                f"data file {p['data']} has no column '{column}' (its columns: "
                f"{', '.join(rows[0])})",
                f"name an existing column in '{key}'",
                key=key,
            )
    units = []
    for line, row in enumerate(rows, 2):
        values = []
        for column in (den, num):
            text = (row.get(column) or "").strip()
            if not text.isdigit():
                raise DataError(
                    f"{p['data']}:{line}: '{column}' is {text!r}, not a whole number",
                    "put a count of cases in every row",
                    line,
                )
            values.append(int(text))
        n, x = values
        if n > MAX_CASELOAD:
            raise DataError(
                f"{p['data']}:{line}: {n:,} cases is more than the {MAX_CASELOAD:,} a unit "
                "may have",
                "check the counts: a unit is one authority's sample or caseload",
                line,
            )
        if n == 0 or x > n:
            raise DataError(
                f"{p['data']}:{line}: {x} poor of {n} cases is impossible",
                "the poor cases must be between 0 and the cases looked at",
                line,
            )
        units.append(((row.get(label) or f"Row {line}").strip(), n, x))
    work = sum({n for _, n, _ in units})
    if work > MAX_COST:
        raise DataError(
            f"data file {p['data']}'s counts would take about {work:,} steps to chart, more "
            f"than the {MAX_COST:,} a chart may take",
            "chart fewer units, or units with fewer cases",
        )
    return units


def _intervals(spec: ChartSpec) -> ChartData:
    p = spec.params
    n, share, repeats, confidence = p["sample"], p["poor"], p["repeats"], p["confidence"]
    counts = stats.repeated_samples(n, share, repeats, spec.seed, p.get("caseload"))
    intervals = [stats.wilson_interval(x, n, confidence) for x in counts]
    covers = [lo <= share <= hi for lo, hi in intervals]
    shares = [x / n for x in counts]
    level = percent(confidence, 0 if (100 * confidence).is_integer() else 1)
    summary = (
        f"{_plural(repeats, 'sample')} of {n} cases from the same authority, {percent(share, 0)} "
        f"of whose cases are poor, found between {percent(min(shares), 0)} and "
        f"{percent(max(shares), 0)} poor; {sum(covers)} of the {repeats} {level} intervals "
        f"contain the true {percent(share, 0)}."
    )
    alt = (
        f"Chart of {repeats} repeated samples of {n} cases, each shown as the share of poor "
        f"cases found with its {level} Wilson interval, scattered around the true share of "
        f"{percent(share, 0)}, drawn as a vertical line. {summary}"
    )
    rows = [
        [str(i + 1), str(x), percent(x / n), percent(lo), percent(hi), "yes" if c else "no"]
        for i, (x, (lo, hi), c) in enumerate(zip(counts, intervals, covers, strict=True))
    ]
    return ChartData(
        "intervals",
        {
            "shares": shares,
            "intervals": intervals,
            "covers": covers,
            "truth": share,
            "n": n,
            "level": level,
        },
        Table(
            f"Each sample's poor cases, share and {level} interval",
            ["Sample", "Poor found", "Share", "Lower", "Upper", "Contains true share"],
            rows,
        ),
        summary,
        alt,
    )
