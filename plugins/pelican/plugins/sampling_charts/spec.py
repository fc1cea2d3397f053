"""A chart block's TOML, read and checked: every key known, every value in range.

The block is data only: TOML read by the standard library, nothing evaluated.
Problems carry the line in the block where the key is, so that the plugin can
name the line in the post.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from typing import Any

REQUIRED = object()
MAX_SAMPLE = 10_000
MAX_CASELOAD = 1_000_000
MAX_UNITS = 1_000  # units of a funnel plot, simulated or from a data file
# Probability terms and random draws one chart may take: some seconds of work. Each
# parameter has its own range; this bounds what they ask for together (six curves of
# 10,000 cases at 1,001 points would be sixty million terms, a minute).
MAX_COST = 6_000_000


@dataclass(frozen=True)
class Param:
    """One parameter a chart kind takes: its type, default, bounds and meaning."""

    kind: type | tuple[type, ...]
    default: Any = REQUIRED
    low: float | None = None
    high: float | None = None
    doc: str = ""


@dataclass(frozen=True)
class ChartError:
    """What is wrong with a block, at a line counted from the block's first line (1)."""

    line: int | None
    message: str
    fix: str


@dataclass(frozen=True)
class ChartSpec:
    """A chart block as read and checked: its kind, parameters and words."""

    kind: str
    params: dict[str, Any]
    title: str
    caption: str
    alt: str
    seed: int
    id: str = ""


ANCHOR = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,60}")
SHARED: dict[str, Param] = {
    "kind": Param(
        str,
        doc="which chart: "
        + ", ".join(["sampling", "red-beads", "verdict-risk", "funnel", "intervals"]),
    ),
    "title": Param(str, "", doc="the chart's title, in bold before the caption"),
    "caption": Param(str, "", doc="the figure's caption, under the chart"),
    "alt": Param(str, "", doc="text for readers who cannot see the chart (generated if absent)"),
    "seed": Param(int, 1, 0, 2**32 - 1, "the random seed of simulations: same seed, same chart"),
    "id": Param(str, "", doc="the figure's anchor in the page (#id); from its title if absent"),
}
KINDS: dict[str, dict[str, Param]] = {
    "sampling": {
        "sample": Param(int, REQUIRED, 1, MAX_SAMPLE, "cases tracked"),
        "poor": Param((int, float), REQUIRED, 0, 1, "true share of poor cases in the authority"),
        "threshold": Param(
            int,
            REQUIRED,
            0,
            MAX_SAMPLE,
            "poor cases found at or above which the verdict is adverse",
        ),
        "caseload": Param(
            int,
            None,
            1,
            MAX_CASELOAD,
            "the authority's cases, if finite (hypergeometric, not binomial)",
        ),
    },
    "red-beads": {
        "beads": Param(int, 4000, 2, 100_000, "beads in the urn"),
        "red": Param((int, float), 0.2, 0, 1, "share of red beads"),
        "paddle": Param(int, 50, 1, 10_000, "beads in each draw"),
        "workers": Param(int, 6, 1, 26, "identical workers or authorities"),
        "days": Param(int, 4, 1, 20, "draws by each"),
        "unit": Param(str, "worker", doc="what to call each: worker, authority..."),
    },
    "verdict-risk": {
        "samples": Param(list, REQUIRED, doc="sample sizes, one curve each, e.g. [25, 30, 50]"),
        "threshold": Param(int, None, 0, MAX_SAMPLE, "poor cases for an adverse verdict, or..."),
        "threshold_share": Param(
            (int, float), None, 0, 1, "...the share of the sample that makes it adverse"
        ),
        "range": Param(list, [0.0, 1.0], doc="the true shares to plot, [from, to]"),
        "step": Param((int, float), 0.02, 0.001, 0.1, "spacing of the plotted points"),
        "mark": Param((int, float), None, 0, 1, "a true share to mark and state the risk at"),
    },
    "funnel": {
        "data": Param(str, None, doc="a CSV file in content/data/ (or simulate)"),
        "label": Param(str, "authority", doc="the CSV column naming each unit"),
        "denominator": Param(str, "cases", doc="the CSV column of cases looked at"),
        "numerator": Param(str, "poor", doc="the CSV column of poor cases found"),
        "target": Param((int, float), None, 0, 1, "the expected share (default: the overall one)"),
        "units": Param(int, 30, 2, MAX_UNITS, "units to simulate when there is no data"),
        "poor": Param((int, float), 0.2, 0, 1, "true share of poor cases, simulated"),
        "sizes": Param(list, [10, 200], doc="smallest and largest simulated samples"),
    },
    "intervals": {
        "sample": Param(int, REQUIRED, 1, MAX_SAMPLE, "cases in each sample"),
        "poor": Param((int, float), REQUIRED, 0, 1, "true share of poor cases"),
        "repeats": Param(int, 20, 1, 200, "samples drawn"),
        "confidence": Param((int, float), 0.95, 0.5, 0.999, "confidence of each interval"),
        "caseload": Param(int, None, 1, MAX_CASELOAD, "the authority's cases, if finite"),
    },
}
_TOML_LINE = re.compile(r"\(at line (\d+)(?:, column \d+)?\)")


def key_line(text: str, key: str) -> int | None:
    """The line of the block where ``key =`` is written."""
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for number, line in enumerate(text.splitlines(), 1):
        if pattern.match(line):
            return number
    return None


def _describe(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {int: "a whole number", float: "a number", str: "text in quotes", list: "a list [...]"}
    return " or ".join(dict.fromkeys(names[k] for k in kinds))


def parse(text: str) -> tuple[ChartSpec | None, list[ChartError]]:
    """Read a block; a spec, or None and what is wrong."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = _TOML_LINE.search(str(error))
        line = int(match.group(1)) if match else None
        message = _TOML_LINE.sub("", str(error)).strip().rstrip(".")
        return None, [
            ChartError(
                line,
                f"the chart block is not valid TOML: {message}",
                'write one key = value per line, text in "quotes"',
            )
        ]
    errors: list[ChartError] = []
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        shown = f"'{kind}'" if kind is not None else "none"
        errors.append(
            ChartError(
                key_line(text, "kind"),
                f"unknown chart kind {shown}",
                "set kind to one of " + ", ".join(f'"{k}"' for k in KINDS),
            )
        )
        return None, errors
    schema = {**SHARED, **KINDS[kind]}
    values: dict[str, Any] = {}
    for key in data:
        if key not in schema:
            known = ", ".join(k for k in schema if k != "kind")
            errors.append(
                ChartError(
                    key_line(text, key),
                    f"unknown key '{key}' for a {kind} chart",
                    f"use only: {known}",
                )
            )
    for key, param in schema.items():
        value = data.get(key, param.default)
        if value is REQUIRED:
            errors.append(
                ChartError(
                    None, f"a {kind} chart needs '{key}' ({param.doc})", f"add a line: {key} = ..."
                )
            )
            continue
        if value is None or key not in data:
            values[key] = value
            continue
        problem = _check(value, param)
        if problem:
            errors.append(ChartError(key_line(text, key), f"'{key}' {problem}", param.doc))
            continue
        values[key] = float(value) if param.kind == (int, float) else value
    if values.get("id") and not ANCHOR.fullmatch(values["id"]):
        errors.append(
            ChartError(
                key_line(text, "id"),
                f"'id' {values['id']!r} cannot be an anchor",
                "use letters, digits and '-': id = \"red-beads\"",
            )
        )
    if not errors:
        errors.extend(_cross_checks(kind, values, text))
    if errors:
        return None, errors
    params = {k: v for k, v in values.items() if k not in SHARED}
    return ChartSpec(
        kind,
        params,
        values["title"],
        values["caption"],
        values["alt"],
        values["seed"],
        values["id"],
    ), []


def _check(value: Any, param: Param) -> str | None:
    kinds = param.kind if isinstance(param.kind, tuple) else (param.kind,)
    if isinstance(value, bool) or not isinstance(value, kinds):
        return f"must be {_describe(param.kind)}, not {value!r}"
    if isinstance(value, (int, float)) and (
        (param.low is not None and value < param.low)
        or (param.high is not None and value > param.high)
    ):
        return f"must be between {_number(param.low)} and {_number(param.high)}, not {value}"
    return None


def _number(value: float | None) -> str:
    if value is None:
        return "…"
    return f"{value:,.0f}" if float(value).is_integer() else str(value)


def _cross_checks(kind: str, v: dict[str, Any], text: str) -> list[ChartError]:
    errors: list[ChartError] = []

    def need(condition: bool, key: str, message: str, fix: str) -> None:
        if not condition:
            errors.append(ChartError(key_line(text, key), message, fix))

    if kind in ("sampling", "intervals") and v.get("caseload") is not None:
        need(
            v["sample"] <= v["caseload"],
            "sample",
            f"'sample' ({v['sample']}) is larger than 'caseload' ({v['caseload']})",
            "a sample cannot hold more cases than the authority has",
        )
    if kind == "sampling":
        need(
            v["threshold"] <= v["sample"],
            "threshold",
            f"'threshold' ({v['threshold']}) is larger than 'sample' ({v['sample']})",
            "no sample could reach it: make it at most the sample size",
        )
    if kind == "red-beads":
        need(
            v["paddle"] <= v["beads"],
            "paddle",
            f"'paddle' ({v['paddle']}) holds more beads than the urn ({v['beads']})",
            "make the paddle smaller than the urn",
        )
    if kind == "verdict-risk":
        samples = v["samples"]
        need(
            1 <= len(samples) <= 6
            and all(
                isinstance(s, int) and not isinstance(s, bool) and 1 <= s <= MAX_SAMPLE
                for s in samples
            ),
            "samples",
            f"'samples' must be 1 to 6 whole numbers from 1 to {MAX_SAMPLE:,}",
            "for example samples = [25, 30, 50]",
        )
        need(
            (v.get("threshold") is None) != (v.get("threshold_share") is None),
            "threshold",
            "a verdict-risk chart needs either 'threshold' or 'threshold_share', not both",
            "threshold = 8 (poor cases), or threshold_share = 0.3 (of each sample)",
        )
        low_high = v["range"]
        need(
            len(low_high) == 2
            and all(isinstance(x, (int, float)) for x in low_high)
            and 0 <= low_high[0] < low_high[1] <= 1,
            "range",
            "'range' must be [from, to] with 0 <= from < to <= 1",
            "for example range = [0, 0.6]",
        )
        if not errors and v.get("threshold") is not None:
            need(
                v["threshold"] <= max(samples),
                "threshold",
                f"'threshold' ({v['threshold']}) is larger than every sample",
                "make it at most the largest sample size",
            )
    if kind == "funnel":
        sizes = v["sizes"]
        need(
            len(sizes) == 2
            and all(isinstance(s, int) and not isinstance(s, bool) for s in sizes)
            and 1 <= sizes[0] <= sizes[1] <= MAX_SAMPLE,
            "sizes",
            "'sizes' must be [smallest, largest] whole numbers, smallest first",
            "for example sizes = [10, 200]",
        )
        if v.get("data") is not None:
            need(
                re.fullmatch(r"[\w.-]+(/[\w.-]+)*\.csv", v["data"]) is not None
                and ".." not in v["data"],
                "data",
                f"'data' must name a .csv file in content/data/, not {v['data']!r}",
                'for example data = "inspections-2017.csv"',
            )
    if not errors:
        work = cost(kind, v)
        need(
            work <= MAX_COST,
            COST_KEYS[kind],
            f"this chart would take about {work:,} steps to compute, more than the "
            f"{MAX_COST:,} a chart may take",
            COST_FIXES[kind],
        )
    return errors


COST_KEYS = {"sampling": "sample", "red-beads": "paddle", "verdict-risk": "samples",
             "funnel": "units", "intervals": "repeats"}  # fmt: skip
COST_FIXES = {
    "sampling": "use a smaller sample",
    "red-beads": "use fewer workers or days, or a smaller paddle",
    "verdict-risk": "use fewer or smaller samples, a narrower range or a larger step",
    "funnel": "use fewer units or smaller sizes",
    "intervals": "use fewer repeats or a smaller sample",
}


def cost(kind: str, v: dict[str, Any]) -> int:
    """About how many probability terms and random draws the chart takes to compute."""
    if kind == "sampling":
        return v["sample"] + 1
    if kind == "red-beads":
        return v["workers"] * v["days"] * v["paddle"]
    if kind == "verdict-risk":
        low, high = v["range"]
        points = round((high - low) / v["step"]) + 1 + (v.get("mark") is not None)
        return points * sum(n + 1 for n in v["samples"])
    if kind == "funnel":
        if v.get("data") is not None:
            return 0  # counted when the data is read (compute.py)
        return 2 * v["units"] * v["sizes"][1]
    return v["repeats"] * v["sample"]
