"""The charts' statistics against an independent computation: scipy.stats."""

from __future__ import annotations

import math

import pytest
from scipy import stats as scipy

from pelican.plugins.sampling_charts import stats


@pytest.mark.parametrize(
    ("n", "p"), [(25, 0.2), (30, 0.05), (1, 0.5), (500, 0.31), (25, 0.0), (25, 1.0)]
)
def test_binomial(n, p):
    ours = stats.binomial_pmf(n, p)
    assert len(ours) == n + 1
    for k, value in enumerate(ours):
        assert value == pytest.approx(scipy.binom.pmf(k, n, p), abs=1e-12, rel=1e-9)
    for threshold in (0, 1, n // 3, n):
        assert stats.tail(ours, threshold) == pytest.approx(
            scipy.binom.sf(threshold - 1, n, p), abs=1e-12
        )


@pytest.mark.parametrize(
    ("population", "poor", "draws"), [(200, 40, 25), (1000, 1, 30), (30, 30, 25), (5000, 1250, 300)]
)
def test_hypergeometric(population, poor, draws):
    ours = stats.hypergeometric_pmf(population, poor, draws)
    for k, value in enumerate(ours):
        assert value == pytest.approx(
            scipy.hypergeom.pmf(k, population, poor, draws), abs=1e-12, rel=1e-9
        )


@pytest.mark.parametrize(
    ("x", "n", "confidence"), [(5, 25, 0.95), (0, 30, 0.95), (30, 30, 0.95), (12, 40, 0.998)]
)
def test_wilson_interval(x, n, confidence):
    z = scipy.norm.ppf(0.5 + confidence / 2)
    phat = x / n
    centre = (phat + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z / (1 + z**2 / n) * math.sqrt(phat * (1 - phat) / n + z**2 / (4 * n**2))
    low, high = stats.wilson_interval(x, n, confidence)
    assert low == pytest.approx(max(0, centre - half), abs=1e-9)
    assert high == pytest.approx(min(1, centre + half), abs=1e-9)


@pytest.mark.parametrize(("n", "target"), [(25, 0.2), (100, 0.2), (7, 0.5), (300, 0.05)])
@pytest.mark.parametrize("q", [0.001, 0.025, 0.975, 0.999])
def test_funnel_limits_follow_spiegelhalter(n, target, q):
    """Exact binomial limits, interpolated as in Spiegelhalter (2005), from scipy's quantiles."""
    r = scipy.binom.ppf(q, n, target)
    at_r, below = scipy.binom.cdf(r, n, target), scipy.binom.cdf(r - 1, n, target)
    alpha = (at_r - q) / (at_r - below)
    expected = min(1.0, max(0.0, (r - alpha) / n))  # a share cannot leave [0, 1]
    assert stats.funnel_limits(n, target, (q,))[0] == pytest.approx(expected, abs=1e-9)


def test_funnel_limits_narrow_as_samples_grow():
    uppers = [stats.funnel_limits(n, 0.2, (0.975,))[0] for n in (10, 50, 200, 1000)]
    assert uppers == sorted(uppers, reverse=True)
    assert uppers[-1] == pytest.approx(0.2 + 1.96 * math.sqrt(0.2 * 0.8 / 1000), abs=0.003)


def test_red_beads_are_reproducible_and_behave_like_the_urn():
    draws = stats.red_bead_draws(4000, 800, 50, 6, 4, seed=1)
    assert draws == stats.red_bead_draws(4000, 800, 50, 6, 4, seed=1)
    assert draws != stats.red_bead_draws(4000, 800, 50, 6, 4, seed=2)
    many = stats.red_bead_draws(4000, 800, 50, 50, 40, seed=3)
    counts = [x for day in many for x in day]
    mean = sum(counts) / len(counts)
    expected = scipy.hypergeom.mean(4000, 800, 50)
    sd = scipy.hypergeom.std(4000, 800, 50) / math.sqrt(len(counts))
    assert abs(mean - expected) < 4 * sd


def test_repeated_samples():
    counts = stats.repeated_samples(25, 0.2, 400, seed=5)
    assert counts == stats.repeated_samples(25, 0.2, 400, seed=5)
    assert abs(sum(counts) / 400 - 5) < 4 * math.sqrt(25 * 0.2 * 0.8 / 400)
    finite = stats.repeated_samples(25, 0.2, 50, seed=5, caseload=25)
    assert set(finite) == {5}  # the whole caseload: every sample finds all 5 poor cases
