"""The statistics behind the charts, exact where exactness is possible.

Pure Python (``math`` and ``random``): the numbers are the same on every
machine, and a build with every chart cached imports neither NumPy nor
matplotlib. Probabilities are computed in log space where terms under- or
overflow floats.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Sequence


def _log_comb(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def binomial_pmf(n: int, p: float) -> list[float]:
    """P(X = k) for k = 0..n, X ~ Binomial(n, p)."""
    return list(_binomial_masses(n, p))


def _binomial_masses(n: int, p: float) -> Iterator[float]:
    """P(X = 0), P(X = 1), ...: as many as the caller takes."""
    if p <= 0.0 or p >= 1.0:
        yield from ([1.0] + [0.0] * n if p <= 0.0 else [0.0] * n + [1.0])
        return
    log_p, log_q = math.log(p), math.log1p(-p)
    for k in range(n + 1):
        yield math.exp(_log_comb(n, k) + k * log_p + (n - k) * log_q)


def hypergeometric_pmf(population: int, successes: int, draws: int) -> list[float]:
    """P(X = k) for k = 0..draws: poor cases in ``draws`` files taken without
    replacement from ``population`` files of which ``successes`` are poor.

    Exact (integer arithmetic) for caseloads up to 5,000; in log space beyond.
    """
    if population <= 5000:
        total = math.comb(population, draws)
        return [
            math.comb(successes, k) * math.comb(population - successes, draws - k) / total
            for k in range(draws + 1)
        ]
    denominator = _log_comb(population, draws)
    out = []
    for k in range(draws + 1):
        if k > successes or draws - k > population - successes:
            out.append(0.0)
        else:
            log = _log_comb(successes, k) + _log_comb(population - successes, draws - k)
            out.append(math.exp(log - denominator))
    return out


def tail(pmf: Sequence[float], threshold: int) -> float:
    """P(X >= threshold), summed from the small end of the tail for accuracy."""
    return min(1.0, math.fsum(pmf[threshold:])) if threshold < len(pmf) else 0.0


def binomial_cdf(n: int, p: float, r: int) -> float:
    if r < 0:
        return 0.0
    if r >= n:
        return 1.0
    return min(1.0, math.fsum(binomial_pmf(n, p)[: r + 1]))


def binomial_quantile(n: int, p: float, probability: float) -> int:
    """The smallest r with P(X <= r) >= probability."""
    pmf = binomial_pmf(n, p)
    total = 0.0
    for r, mass in enumerate(pmf):
        total += mass
        if total >= probability - 1e-12:
            return r
    return n


def funnel_limit(n: int, target: float, probability: float) -> float:
    """A control limit of a funnel plot, exact and interpolated (Spiegelhalter 2005)."""
    return funnel_limits(n, target, (probability,))[0]


def funnel_limits(n: int, target: float, probabilities: Sequence[float]) -> list[float]:
    """Control limits of a funnel plot, exact and interpolated (Spiegelhalter 2005).

    For each probability q, r is the binomial quantile of q; the limit is
    (r - a) / n with a = (P(R <= r) - q) / (P(R <= r) - P(R <= r - 1)), which makes
    the limits change smoothly with n instead of in steps. One distribution serves
    all the limits at n, and it is summed only as far as the highest quantile.
    """
    cumulative = []
    total = 0.0
    top = max(probabilities) - 1e-12
    for mass in _binomial_masses(n, target):
        total += mass
        cumulative.append(min(1.0, total))
        if total >= top:
            break
    limits = []
    for q in probabilities:
        r = next((k for k, c in enumerate(cumulative) if c >= q - 1e-12), n)
        at_r = cumulative[r]
        below = cumulative[r - 1] if r > 0 else 0.0
        alpha = (at_r - q) / (at_r - below) if at_r > below else 0.0
        limits.append(min(1.0, max(0.0, (r - alpha) / n)))
    return limits


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson's score interval for a proportion."""
    z = normal_quantile(0.5 + confidence / 2)
    phat = successes / n
    denominator = 1 + z * z / n
    centre = (phat + z * z / (2 * n)) / denominator
    half = z * math.sqrt(phat * (1 - phat) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def normal_quantile(probability: float) -> float:
    """The standard normal quantile (Acklam's algorithm, refined by one Halley step)."""
    if not 0.0 < probability < 1.0:
        raise ValueError("probability must be between 0 and 1")
    a = (
        -3.969683028665376e01,
        2.209460984245205e02,
        -2.759285104469687e02,
        1.383577518672690e02,
        -3.066479806614716e01,
        2.506628277459239e00,
    )
    b = (
        -5.447609879822406e01,
        1.615858368580409e02,
        -1.556989798598866e02,
        6.680131188771972e01,
        -1.328068155288572e01,
    )
    c = (
        -7.784894002430293e-03,
        -3.223964580411365e-01,
        -2.400758277161838e00,
        -2.549732539343734e00,
        4.374664141464968e00,
        2.938163982698783e00,
    )
    d = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e00,
         3.754408661907416e00)  # fmt: skip
    low = 0.02425
    if probability < low:
        q = math.sqrt(-2 * math.log(probability))
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / (
            (((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1
        )
    elif probability <= 1 - low:
        q = probability - 0.5
        r = q * q
        x = (
            (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5])
            * q
            / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        )
    else:
        q = math.sqrt(-2 * math.log(1 - probability))
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / (
            (((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1
        )
    error = 0.5 * math.erfc(-x / math.sqrt(2)) - probability
    u = error * math.sqrt(2 * math.pi) * math.exp(x * x / 2)
    return x - u / (1 + x * u / 2)


def red_bead_draws(
    beads: int, red: int, paddle: int, workers: int, days: int, seed: int
) -> list[list[int]]:
    """Deming's experiment: red beads in each worker's paddle, day by day.

    ``draws[day][worker]``: the paddle takes ``paddle`` beads from the mixed
    urn without replacement, and they go back before the next draw.
    """
    rng = random.Random(seed)
    urn = range(beads)
    return [
        [sum(1 for bead in rng.sample(urn, paddle) if bead < red) for _ in range(workers)]
        for _ in range(days)
    ]


def repeated_samples(
    sample: int, poor: float, repeats: int, seed: int, caseload: int | None = None
) -> list[int]:
    """Poor cases found in each of ``repeats`` samples of the same authority."""
    rng = random.Random(seed)
    if caseload:
        poor_cases = round(poor * caseload)
        files = range(caseload)
        return [sum(1 for f in rng.sample(files, sample) if f < poor_cases) for _ in range(repeats)]
    return [sum(1 for _ in range(sample) if rng.random() < poor) for _ in range(repeats)]
