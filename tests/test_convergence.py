"""The analysts' measures on small hand-made fixtures, each against values worked by hand
(the arithmetic is in the comments)."""

import math
import sys

import numpy as np
import pandas as pd
import pytest

from lumap.analysis import convergence as cv
from lumap.analysis import gaps


def s(values, prefix="A"):
    return pd.Series(values, index=[f"{prefix}{i}" for i in range(len(values))], dtype=float)


# ---- the oriented gap measures (the default and the IFS one) --------------------------------


def test_top_rest_gap_is_never_negative_whatever_the_polarity():
    x = list(range(1, 11))  # n = 10, so the "top tenth" is ceil(10/10) = 1 area
    # higher is better: top = {10}, rest mean = (1+…+9)/9 = 45/9 = 5, gap = 10 - 5 = 5
    assert gaps.top_tenth_gap(x, 1)["gap"] == pytest.approx(5)
    # lower is better: top = {1}, rest mean = (2+…+10)/9 = 54/9 = 6, gap = (1 - 6) × -1 = 5
    assert gaps.top_tenth_gap(x, -1)["gap"] == pytest.approx(5)
    assert gaps.top_tenth_gap(x, -1)["difference"] == pytest.approx(-5)
    s_ = gaps.sort_rows(x)
    assert gaps.rows_measure(s_, "top_rest_gap", -1)[0] == pytest.approx(5)


def test_best_worst_gap_ifs_style():
    x = list(range(1, 21))  # n = 20: a tenth is ceil(20/10) = 2 areas
    # higher is better: best = {19, 20} mean 19.5, worst = {1, 2} mean 1.5, gap = 18
    r = gaps.best_worst_gap(x, 1)
    assert (r["best_mean"], r["worst_mean"], r["gap"], r["k"]) == pytest.approx((19.5, 1.5, 18, 2))
    # lower is better: best = {1, 2} mean 1.5, worst = {19, 20} mean 19.5, gap = (1.5 - 19.5) × -1 = 18
    r = gaps.best_worst_gap(x, -1)
    assert (r["best_mean"], r["worst_mean"], r["gap"]) == pytest.approx((1.5, 19.5, 18))
    assert gaps.gap_distance(18, "best_worst_gap") == pytest.approx(18)


def test_sd_of_logs():
    # logs of 1, e, e² are 0, 1, 2: mean 1, population variance (1 + 0 + 1)/3 = 2/3
    assert gaps.sd_of_logs([1, math.e, math.e**2]) == pytest.approx(math.sqrt(2 / 3))
    assert math.isnan(gaps.sd_of_logs([0, 1, 2]))  # log of 0 is undefined


def test_gap_measures_carry_the_new_measures():
    m = gaps.gap_measures(pd.DataFrame({"value": list(range(1, 11))}), 1)
    assert m["top_rest_gap"] == pytest.approx(5) and m["best_worst_gap"] == pytest.approx(9)
    assert m["best_mean"] == 10 and m["worst_mean"] == 1
    assert gaps.DEFAULT_MEASURE == "top_rest_gap" and gaps.MEASURES["top_rest_gap"]["oriented"]


# ---- beta-convergence ----------------------------------------------------------------------


def test_beta_convergence_by_hand():
    # base x = 1, 2, 3, 4; now 3, 3, 4, 4; change y = 2, 1, 1, 0
    # mean x 2.5, mean y 1; Sxy = (-1.5)(1) + (-0.5)(0) + (0.5)(0) + (1.5)(-1) = -3; Sxx = 5
    # slope = -3/5 = -0.6; intercept = 1 - (-0.6)(2.5) = 2.5
    # fitted 1.9, 1.3, 0.7, 0.1; residuals 0.1, -0.3, 0.3, -0.1; SSR = 0.2; s² = 0.2/2 = 0.1
    # se(slope) = sqrt(0.1/5) = 0.141421; t(0.975, 2 df) = 4.302653; half-width 0.608495
    # R² = 1 - 0.2/2 = 0.9 (SST = 1 + 0 + 0 + 1 = 2)
    b = cv.beta_convergence(s([1, 2, 3, 4]), s([3, 3, 4, 4]))
    assert b.slope == pytest.approx(-0.6) and b.intercept == pytest.approx(2.5)
    assert (b.ci_low, b.ci_high) == pytest.approx((-1.208495, 0.008495), abs=1e-5)
    assert b.r2 == pytest.approx(0.9) and b.n == 4
    assert b.verdict == "no clear pattern"  # the interval includes 0


def test_beta_convergence_needs_three_areas_and_pairs_by_code():
    assert cv.beta_convergence(s([1, 2]), s([2, 3])).verdict == "too few areas"
    # perfectly converging: change = 10 - base, so slope exactly -1 with zero width
    base = s([1, 2, 3, 4, 5])
    b = cv.beta_convergence(base, 10 + 0 * base)
    assert b.slope == pytest.approx(-1) and b.verdict == "converging"
    # an area only in one period is left out
    b = cv.beta_convergence(s([1, 2, 3, 4]), pd.Series({"A0": 9.0, "A1": 8.0, "A2": 7.0}))
    assert b.n == 3


# ---- Theil between / within ----------------------------------------------------------------


def test_theil_split_by_hand():
    # values 1, 1, 2, 4 in groups a, a, b, b; mean 2, shares y/mean = 0.5, 0.5, 1, 2
    # T = (1/4)[2 × 0.5 ln 0.5 + 1 ln 1 + 2 ln 2] = (1/4)(-0.693147 + 0 + 1.386294) = 0.173287
    # between: group shares of the total 2/8 = 0.25 and 6/8 = 0.75, of the areas 0.5 each:
    #   0.25 ln(0.25/0.5) + 0.75 ln(0.75/0.5) = -0.173287 + 0.304099 = 0.130812
    # within = 0.75 × T(2, 4) = 0.75 × (1/2)[(2/3) ln(2/3) + (4/3) ln(4/3)] = 0.042475
    t = cv.theil_split([1, 1, 2, 4], ["a", "a", "b", "b"])
    assert t["total"] == pytest.approx(0.173287, abs=1e-6)
    assert t["between"] == pytest.approx(0.130812, abs=1e-6)
    assert t["within"] == pytest.approx(0.042475, abs=1e-6)
    assert t["between"] + t["within"] == pytest.approx(t["total"])
    assert t["share_between"] == pytest.approx(0.130812 / 0.173287, abs=1e-5)


def test_theil_needs_positive_values():
    assert math.isnan(cv.theil_split([0, 1, 2], ["a", "a", "b"])["total"])


# ---- rank mobility -------------------------------------------------------------------------


def test_rank_mobility_by_hand():
    # ten areas valued 1…10 are in tenths 1…10; now A0 and A1 swap places:
    # A0 moves up from tenth 1 to 2, A1 down from 2 to 1: 2 changed, 1 up, 1 down;
    # the worst tenth was {A0}, now {A1}: none stayed there.
    # Kendall's tau: 1 discordant pair of 45, tau = (44 - 1)/45 = 43/45
    base = s(range(1, 11))
    now = base.copy()
    now["A0"], now["A1"] = 2, 1
    m = cv.rank_mobility(base, now, 1)
    assert (m.n, m.changed, m.up, m.down, m.stayed_worst, m.worst_then) == (10, 2, 1, 1, 0, 1)
    assert m.tau == pytest.approx(43 / 45)


def test_rank_mobility_turns_lower_is_better_round():
    # lower is better: the area with value 10 is the worst (tenth 1) at both dates
    base = s(range(1, 11))
    m = cv.rank_mobility(base, base + 1, -1)
    assert (m.changed, m.stayed_worst, m.worst_then) == (0, 1, 1) and m.tau == pytest.approx(1)


def test_tenths():
    # 20 areas: rank r is in tenth ceil(10 r / 20), so ranks 1-2 -> 1, 19-20 -> 10
    t = cv.tenths(s(range(20)))
    assert t.tolist() == [i // 2 + 1 for i in range(20)]


# ---- local Moran's I -----------------------------------------------------------------------


def chain(n):
    codes = [f"A{i}" for i in range(n)]
    return {c: [codes[j] for j in (i - 1, i + 1) if 0 <= j < n] for i, c in enumerate(codes)}


def test_cold_spots_by_hand():
    # twelve areas in a line; the first four have 1, the rest 10 (higher is better)
    # mean 7, z = -6 (low) or 3 (high); sum z² = 4 × 36 + 8 × 9 = 216
    # esda's local I = (n - 1) z_i lag_i / sum z² = 11 z_i lag_i / 216
    # A1 (neighbours A0, A2, both low): lag -6, I = 11 × 36 / 216 = 1.8333, low-low
    # A3 (neighbours A2 low, A4 high): lag (-6 + 3)/2 = -1.5, I = 11 × 9 / 216 = 0.4583, low-low
    # A5 (neighbours A4, A6, high): lag 3, I = 11 × 9 / 216 = 0.4583, high-high
    # A1's pseudo p: both neighbours low among the other 11 values (3 low) has chance
    # C(3,2)/C(11,2) = 3/55 = 0.055, so A1 is a pocket at alpha 0.1; A0 (one neighbour, 3/11) is not
    v = s([1] * 4 + [10] * 8)
    out = cv.cold_spots(v, chain(12), 1, permutations=999, seed=1, alpha=0.1).set_index("areacd")
    assert out.loc["A1", "local_i"] == pytest.approx(11 * 36 / 216)
    assert out.loc["A3", "local_i"] == pytest.approx(11 * 9 / 216)
    assert out.loc["A3", "quadrant"] == "low-low"
    assert out.loc["A5", "local_i"] == pytest.approx(11 * 9 / 216)
    assert out.loc["A1", "quadrant"] == "low-low" and out.loc["A5", "quadrant"] == "high-high"
    assert out.loc["A1", "p"] == pytest.approx(3 / 55, abs=0.02)
    assert bool(out.loc["A1", "pocket"]) and not bool(out.loc["A0", "pocket"])
    assert not out.loc[["A5", "A6", "A7"], "pocket"].any()


def test_cold_spots_lower_is_better_finds_the_high_values():
    v = s([10] * 4 + [1] * 8)  # lower is better: the 10s are the poor outcomes
    out = cv.cold_spots(v, chain(12), -1, seed=1, alpha=0.1).set_index("areacd")
    assert out.loc["A1", "quadrant"] == "low-low" and bool(out.loc["A1", "pocket"])
    assert out.loc["A1", "value"] == 10  # reported in the indicator's own values


def test_cold_spots_skips_isolated_areas_and_tiny_sets():
    n = chain(12)
    n["A11"] = []
    out = cv.cold_spots(s([1] * 4 + [10] * 8), n, 1, seed=1)
    assert "A11" not in set(out["areacd"])
    assert cv.cold_spots(s([1, 2, 3]), chain(3), 1).empty
    assert np.isfinite(out["p"]).all()


def test_kendall_tau_b_counts_ties():
    # x = 1, 2, 2, 3 and y = 1, 2, 3, 3: of the 6 pairs, 4 are concordant, none discordant,
    # one is tied in x (areas 1, 2) and one in y (areas 2, 3).
    # tau-b = (4 - 0) / sqrt((6 - 1)(6 - 1)) = 4/5 = 0.8 (tau-a, ignoring ties, would be 4/6)
    m = cv.rank_mobility(s([1, 2, 2, 3]), s([1, 2, 3, 3]), 1)
    assert m.tau == pytest.approx(0.8)


def test_pysal_runs_without_numba():
    # esda's permutation engine takes its plain-NumPy path (numba's JIT cost minutes here)
    cv.cold_spots(s([1] * 4 + [10] * 8), chain(12), 1, seed=1)
    import esda.crand

    assert esda.crand.prange is range
    assert sys.modules.get("numba", "absent") is not None  # numba is not left hidden
