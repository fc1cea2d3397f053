"""The statistics behind the charts, exact where exactness is possible.

Pure Python (``math``, ``random``, ``statistics``): the numbers are the same on every
machine, and a build with every chart cached imports neither NumPy nor
matplotlib. Probabilities are computed in log space where terms under- or
overflow floats.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Sequence
from statistics import NormalDist


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
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    phat = successes / n
    denominator = 1 + z * z / n
    centre = (phat + z * z / (2 * n)) / denominator
    half = z * math.sqrt(phat * (1 - phat) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


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
