"""Tests for lumap.analysis.gapbands: per-period uncertainty bands of a gap measure."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

from lumap.analysis import gapbands, gaps, verdicts

from .gapfixtures import frame


def period(values, half_width=None, period="2019", start_year=2019):
    """One period's rows (:func:`tests.gapfixtures.frame`) with its period and start year."""
    return frame(values, half_width).assign(period=period, start_year=start_year)


def middle_decides_median(middle=50.0, half_width=1.96):
    # 11 areas: 0..4 and 100..104 have no interval; the middle one (sd = 3.92 / 3.92 = 1)
    # is always the median, so the median's draws are exactly N(50, 1).
    return period(
        [0, 1, 2, 3, 4, middle, 100, 101, 102, 103, 104], [np.nan] * 5 + [half_width] + [np.nan] * 5
    )


def test_median_band_is_the_normal_interval():
    b = gapbands.gap_bands(middle_decides_median(), 1, "median", n_boot=20_000, seed=3, centred=False)
    row = b.iloc[0]
    assert row["observed"] == 50 and row["band"]
    # 2.5% and 97.5% points of N(50, 1) are 50 -/+ 1.96 (sampling error of the quantile ~0.02)
    assert row["low"] == pytest.approx(50 - 1.96, abs=0.06)
    assert row["high"] == pytest.approx(50 + 1.96, abs=0.06)
    assert row["sim_median"] == pytest.approx(50, abs=0.03)
    assert row["share_with_ci"] == pytest.approx(1 / 11)


def test_band_uses_exactly_the_verdict_draws():
    f = period(np.linspace(10, 30, 12), np.linspace(0.5, 2, 12))
    b = gapbands.gap_bands(f, 1, "top_rest_ratio", n_boot=500, seed=7, centred=False)
    # the same generator, the same draws, the same row-wise measure
    rng = np.random.default_rng(7)
    sims = gaps.rows_measure(verdicts.draws(verdicts.load_period(f), 500, rng), "top_rest_ratio", 1)
    lo, hi = np.quantile(sims, [0.025, 0.975])
    assert b.iloc[0]["low"] == lo and b.iloc[0]["high"] == hi


def test_centred_band_keeps_width_and_moves_onto_the_observed_value():
    # Noise added to noisy estimates inflates the CV: the raw band sits above the observed CV.
    rng = np.random.default_rng(1)
    f = period(rng.normal(50, 3, 200), 4.0)
    raw = gapbands.gap_bands(f, 1, "cv", n_boot=1000, seed=0, centred=False).iloc[0]
    cen = gapbands.gap_bands(f, 1, "cv", n_boot=1000, seed=0, centred=True).iloc[0]
    assert raw["sim_median"] > raw["observed"]
    assert raw["low"] > raw["observed"]  # the raw band misses the line
    assert cen["low"] < cen["observed"] < cen["high"]
    assert cen["high"] - cen["low"] == pytest.approx(raw["high"] - raw["low"])
    assert cen["shift"] == pytest.approx(raw["observed"] - raw["sim_median"])


def test_no_band_without_intervals_or_with_too_few_areas():
    b = gapbands.gap_bands(period(range(1, 21)), 1, "cv")
    assert not b.iloc[0]["band"] and np.isnan(b.iloc[0]["low"])
    assert b.iloc[0]["note"] == "no confidence intervals published"
    assert b.iloc[0]["observed"] == pytest.approx(gaps.coefficient_of_variation(range(1, 21)))
    few = gapbands.gap_bands(period(range(1, 10), 0.5), 1, "cv")
    assert not few.iloc[0]["band"] and few.iloc[0]["note"] == "fewer than 10 areas"


def test_no_band_when_the_ratio_is_undefined_in_some_draws():
    # values near zero with wide intervals: some draws go negative, the ratio is undefined
    f = period([0.1, 0.2, 1, 2, 3, 4, 5, 6, 7, 8], 1.0)
    row = gapbands.gap_bands(f, 1, "top_rest_ratio", n_boot=300).iloc[0]
    assert not row["band"] and "undefined in some simulations" in row["note"]
    assert np.isfinite(row["observed"])  # the published values still give a ratio


def test_periods_sorted_and_deterministic():
    f = pd.concat(
        [period(np.arange(1, 13) * 2.0, 1.0, "2021", 2021), period(np.arange(1, 13) * 1.0, 0.5, "2019", 2019)]
    )
    a = gapbands.gap_bands(f, -1, "p90_p10_diff", n_boot=200, seed=5)
    b = gapbands.gap_bands(f, -1, "p90_p10_diff", n_boot=200, seed=5)
    assert list(a["period"]) == ["2019", "2021"]
    pd.testing.assert_frame_equal(a, b)
    # observed P90 - P10 of 1..12: h = 11 * 0.9 = 9.9 -> 10 + 0.9 = 10.9; h = 1.1 -> 2.1; diff 8.8
    assert a.iloc[0]["observed"] == pytest.approx(8.8)
    assert a.iloc[1]["observed"] == pytest.approx(17.6)


def test_empty_and_bad_arguments():
    empty = gapbands.gap_bands(period([]).iloc[0:0], 1, "cv")
    assert empty.empty and list(empty.columns) == gapbands.COLUMNS
    with pytest.raises(KeyError):
        gapbands.gap_bands(period(range(12)), 1, "gini")
    with pytest.raises(ValueError):
        gapbands.gap_bands(period(range(12)), 1, "cv", n_boot=0)


def test_speed_20_periods_of_360_areas():
    rng = np.random.default_rng(2)
    f = pd.concat(
        [period(rng.normal(30, 5, 360), rng.uniform(0.5, 2, 360), str(y), y) for y in range(2004, 2024)]
    )
    gapbands.gap_bands(f.iloc[:720], 1, "top_rest_ratio", n_boot=100)  # warm up
    t0 = time.perf_counter()
    b = gapbands.gap_bands(f, 1, "top_rest_ratio", n_boot=1000)
    elapsed = time.perf_counter() - t0
    assert b["band"].all() and len(b) == 20
    assert elapsed < 2.0  # measured ~0.1 s on the 2-CPU dev box
