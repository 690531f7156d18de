"""Tests for lumap.analysis.gaps.

Every expected number is worked out by hand in the comment next to it, on fixtures small
enough to check with pencil and paper. Percentiles follow Hyndman & Fan type 7: the p-th
percentile of n sorted values s[0..n-1] is at position h = (n - 1) p; with lo = floor(h),
value = s[lo] + (h - lo) (s[lo+1] - s[lo]).
"""

from __future__ import annotations

import math
import time

import numpy as np
import pandas as pd
import pytest

from lumap.analysis import gaps

ONE_TO_TEN = list(range(1, 11))


def frame(values, half_width=None, groups=None, prefix="E0"):
    """A tidy period frame; ``half_width`` (scalar or list) gives value ± half_width as the CI."""
    n = len(values)
    v = np.asarray(values, dtype=float)
    if half_width is None:
        lci = uci = np.full(n, np.nan)
    else:
        hw = np.broadcast_to(np.asarray(half_width, dtype=float), (n,))
        lci, uci = v - hw, v + hw
    return pd.DataFrame(
        {
            "areacd": [f"{prefix}{i:02d}" for i in range(n)],
            "areanm": [f"Area {i}" for i in range(n)],
            "value": v,
            "lci_95": lci,
            "uci_95": uci,
            "group": groups if groups is not None else ["G"] * n,
        }
    )


# ---------------------------------------------------------------------------------------------
# percentile_gap
# ---------------------------------------------------------------------------------------------


def test_percentile_gap_one_to_ten():
    r = gaps.percentile_gap(ONE_TO_TEN)
    # p90: h = 9 * 0.9 = 8.1 -> s[8] + 0.1 (s[9] - s[8]) = 9 + 0.1 * 1 = 9.1
    assert r["p90"] == pytest.approx(9.1)
    # p10: h = 9 * 0.1 = 0.9 -> s[0] + 0.9 (s[1] - s[0]) = 1 + 0.9 = 1.9
    assert r["p10"] == pytest.approx(1.9)
    # 9.1 / 1.9 = 91 / 19 = 4.789473...
    assert r["ratio"] == pytest.approx(91 / 19)
    # 9.1 - 1.9 = 7.2
    assert r["difference"] == pytest.approx(7.2)
    assert r["n"] == 10


def test_percentile_gap_drops_nan():
    # NaNs removed first, so the result is the same as for 1..10 above (p90 9.1, p10 1.9)
    r = gaps.percentile_gap([np.nan, *ONE_TO_TEN, None])
    assert r["n"] == 10
    assert r["p90"] == pytest.approx(9.1)
    assert r["p10"] == pytest.approx(1.9)


def test_percentile_gap_five_values():
    # s = 10, 20, 30, 40, 50; p90: h = 4 * 0.9 = 3.6 -> 40 + 0.6 * 10 = 46
    # p10: h = 0.4 -> 10 + 0.4 * 10 = 14; ratio 46 / 14 = 23 / 7; difference 32
    r = gaps.percentile_gap([50, 10, 40, 20, 30])
    assert r["p90"] == pytest.approx(46)
    assert r["p10"] == pytest.approx(14)
    assert r["ratio"] == pytest.approx(23 / 7)
    assert r["difference"] == pytest.approx(32)


def test_percentile_ratio_nan_when_p10_not_positive():
    # s = -5, 0, 5, ... ; p10 of (-5, 0, 5, 10, 15): h = 0.4 -> -5 + 0.4 * 5 = -3 <= 0 -> NaN
    # p90: h = 3.6 -> 10 + 0.6 * 5 = 13; difference 13 - (-3) = 16
    r = gaps.percentile_gap([-5, 0, 5, 10, 15])
    assert r["p10"] == pytest.approx(-3)
    assert math.isnan(r["ratio"])
    assert r["difference"] == pytest.approx(16)


def test_percentile_ratio_defined_when_p10_positive_despite_a_negative_value():
    # s = -2, 1, 2, ..., 9 (n = 10). p10: h = 0.9 -> -2 + 0.9 * (1 - -2) = 0.7 (> 0)
    # p90: h = 8.1 -> 8 + 0.1 * (9 - 8) = 8.1; ratio 8.1 / 0.7 = 81 / 7
    r = gaps.percentile_gap([-2, *range(1, 10)])
    assert r["p10"] == pytest.approx(0.7)
    assert r["p90"] == pytest.approx(8.1)
    assert r["ratio"] == pytest.approx(81 / 7)


def test_percentile_gap_empty():
    r = gaps.percentile_gap([np.nan])
    assert r["n"] == 0 and math.isnan(r["p90"]) and math.isnan(r["ratio"])


def test_own_type7_percentile_agrees_with_numpy_linear():
    # A cross-check (not an expected value): our sorted-row interpolation is numpy's 'linear'.
    rng = np.random.default_rng(3)
    for n in (1, 2, 7, 10, 11, 361):
        x = rng.normal(size=n)
        for q in (0.1, 0.5, 0.9):
            ours = gaps._rows_quantile(np.sort(x)[None, :], q)[0]
            assert ours == pytest.approx(np.percentile(x, q * 100, method="linear"))


# ---------------------------------------------------------------------------------------------
# top_tenth_gap
# ---------------------------------------------------------------------------------------------


def test_top_tenth_higher_is_better():
    r = gaps.top_tenth_gap(ONE_TO_TEN, 1)
    # n_top = ceil(10 / 10) = 1: top = {10}; rest = 1..9, mean 45 / 9 = 5
    assert r["n_top"] == 1 and r["n"] == 10
    assert r["top_mean"] == pytest.approx(10)
    assert r["rest_mean"] == pytest.approx(5)
    assert r["difference"] == pytest.approx(5)  # 10 - 5
    assert r["ratio"] == pytest.approx(2)  # 10 / 5


def test_top_tenth_rounds_up_the_number_of_top_areas():
    r = gaps.top_tenth_gap(range(1, 12), 1)
    # n = 11 -> n_top = ceil(1.1) = 2: top = {10, 11}, mean 10.5; rest 1..9, mean 5
    assert r["n_top"] == 2
    assert r["top_mean"] == pytest.approx(10.5)
    assert r["rest_mean"] == pytest.approx(5)
    assert r["difference"] == pytest.approx(5.5)  # 10.5 - 5
    assert r["ratio"] == pytest.approx(2.1)  # 10.5 / 5


def test_top_tenth_lower_is_better():
    r = gaps.top_tenth_gap(ONE_TO_TEN, -1)
    # top = lowest {1}; rest = 2..10, mean 54 / 9 = 6
    assert r["top_mean"] == pytest.approx(1)
    assert r["rest_mean"] == pytest.approx(6)
    assert r["difference"] == pytest.approx(-5)  # 1 - 6: negative when lower is better
    assert r["ratio"] == pytest.approx(1 / 6)


@pytest.mark.parametrize("neutral", [0, None, float("nan")])
def test_top_tenth_neutral_means_highest(neutral):
    # same as polarity +1: top {10}, rest mean 5
    r = gaps.top_tenth_gap(ONE_TO_TEN, neutral)
    assert r["top_mean"] == pytest.approx(10)
    assert r["difference"] == pytest.approx(5)


def test_top_tenth_ratio_nan_with_a_negative_value():
    r = gaps.top_tenth_gap([-2, *range(1, 10)], 1)
    # top {9}; rest -2, 1..8: mean (-2 + 36) / 9 = 34 / 9; difference 9 - 34/9 = 47 / 9
    assert r["rest_mean"] == pytest.approx(34 / 9)
    assert r["difference"] == pytest.approx(47 / 9)
    assert math.isnan(r["ratio"])  # a value <= 0 -> ratio not meaningful


def test_top_tenth_ratio_nan_with_a_zero_value():
    assert math.isnan(gaps.top_tenth_gap([0, *range(1, 10)], 1)["ratio"])


def test_top_tenth_too_few_values():
    r = gaps.top_tenth_gap([5.0], 1)  # no "rest" -> NaN
    assert r["n"] == 1 and math.isnan(r["top_mean"]) and math.isnan(r["ratio"])
    r = gaps.top_tenth_gap([2.0, 6.0], 1)  # n_top = 1: top 6, rest 2 -> ratio 3
    assert r["ratio"] == pytest.approx(3)


def test_top_tenth_all_equal():
    r = gaps.top_tenth_gap([4.0] * 12, 1)  # 4 / 4 = 1, 4 - 4 = 0
    assert r["ratio"] == pytest.approx(1) and r["difference"] == pytest.approx(0)


# ---------------------------------------------------------------------------------------------
# coefficient_of_variation
# ---------------------------------------------------------------------------------------------


def test_cv_one_to_ten():
    # mean 5.5; population variance of 1..n is (n^2 - 1) / 12 = 99 / 12 = 8.25
    # sd = sqrt(8.25) = 2.8722813...; cv = 2.8722813 / 5.5 = 0.5222330
    assert gaps.coefficient_of_variation(ONE_TO_TEN) == pytest.approx(0.52223297, rel=1e-7)


def test_cv_small():
    # 2, 4, 6: mean 4; squared deviations 4, 0, 4 -> variance 8/3; sd 1.6329932; cv 0.4082483
    assert gaps.coefficient_of_variation([2, 4, 6, np.nan]) == pytest.approx(0.40824829)


def test_cv_nan_when_mean_not_positive():
    assert math.isnan(gaps.coefficient_of_variation([-1, 1]))  # mean 0
    assert math.isnan(gaps.coefficient_of_variation([-3, 1]))  # mean -1
    assert math.isnan(gaps.coefficient_of_variation([]))


def test_cv_all_equal_is_zero():
    assert gaps.coefficient_of_variation([7, 7, 7]) == pytest.approx(0)


# ---------------------------------------------------------------------------------------------
# variance_decomposition
# ---------------------------------------------------------------------------------------------


def test_variance_decomposition_two_equal_groups():
    r = gaps.variance_decomposition([1, 2, 3, 7, 8, 9], list("AAABBB"))
    # grand mean 5; group means A 2, B 8
    # total = (16 + 9 + 4 + 4 + 9 + 16) / 6 = 58 / 6
    # between = (3 * (2-5)^2 + 3 * (8-5)^2) / 6 = 54 / 6 = 9
    # within = (1 + 0 + 1 + 1 + 0 + 1) / 6 = 4 / 6
    # share = 9 / (58/6) = 54 / 58
    assert r["total"] == pytest.approx(58 / 6)
    assert r["between"] == pytest.approx(9)
    assert r["within"] == pytest.approx(4 / 6)
    assert r["share_between"] == pytest.approx(54 / 58)
    assert r["n_groups"] == 2


def test_variance_decomposition_unequal_groups():
    r = gaps.variance_decomposition([2, 4, 6, 12], ["X", "X", "X", "Y"])
    # grand mean 6; X mean 4, Y mean 12
    # total = (16 + 4 + 0 + 36) / 4 = 14; between = (3 * 4 + 1 * 36) / 4 = 12
    # within = (4 + 0 + 4 + 0) / 4 = 2; share = 12 / 14 = 6 / 7
    assert r["total"] == pytest.approx(14)
    assert r["between"] == pytest.approx(12)
    assert r["within"] == pytest.approx(2)
    assert r["share_between"] == pytest.approx(6 / 7)


def test_variance_decomposition_single_group():
    r = gaps.variance_decomposition([2, 4, 6, 12], ["S"] * 4)
    # one group: its mean is the grand mean, so between = 0 and within = total = 14
    assert r["between"] == pytest.approx(0)
    assert r["within"] == pytest.approx(14)
    assert r["share_between"] == pytest.approx(0)
    assert r["n_groups"] == 1


def test_variance_decomposition_all_equal():
    r = gaps.variance_decomposition([0.1] * 5, list("AABBC"))
    # no variation at all: every part exactly 0, share undefined
    assert r["total"] == 0 and r["between"] == 0 and r["within"] == 0
    assert math.isnan(r["share_between"])


def test_variance_decomposition_drops_nan_values():
    r = gaps.variance_decomposition([1, np.nan, 3], ["A", "B", "A"])
    # B's only area is missing: n = 2, one group; mean 2, total = (1 + 1) / 2 = 1
    assert r["n"] == 2 and r["n_groups"] == 1
    assert r["total"] == pytest.approx(1)
    assert r["between"] == pytest.approx(0)


def test_variance_decomposition_missing_group_pooled():
    r = gaps.variance_decomposition([1, 3, 5, 7], ["A", "A", None, None])
    # "no group" pooled: A mean 2, none mean 6, grand 4; between = (2*4 + 2*4) / 4 = 4
    # total = (9 + 1 + 1 + 9) / 4 = 5
    assert r["n_no_group"] == 2
    assert r["between"] == pytest.approx(4)
    assert r["total"] == pytest.approx(5)


def test_variance_decomposition_length_mismatch():
    with pytest.raises(ValueError):
        gaps.variance_decomposition([1, 2], ["A"])


# ---------------------------------------------------------------------------------------------
# gap_measures / gap_series / MEASURES
# ---------------------------------------------------------------------------------------------


def test_gap_measures_one_period():
    f = frame([*ONE_TO_TEN, np.nan], groups=list("AAAAABBBBBB"))
    m = gaps.gap_measures(f, 1)
    assert m["n"] == 10  # NaN row dropped
    assert m["mean"] == pytest.approx(5.5)
    assert m["median"] == pytest.approx(5.5)  # (5 + 6) / 2
    assert m["p90_p10_ratio"] == pytest.approx(91 / 19)
    assert m["p90_p10_diff"] == pytest.approx(7.2)
    assert m["top_rest_ratio"] == pytest.approx(2)
    assert m["top_rest_diff"] == pytest.approx(5)
    assert m["cv"] == pytest.approx(0.52223297, rel=1e-7)
    # groups A = 1..5 (mean 3), B = 6..10 (mean 8), grand 5.5: between = (5*6.25 + 5*6.25)/10
    # = 6.25; total 8.25 -> share 6.25 / 8.25 = 25 / 33
    assert m["var_between"] == pytest.approx(6.25)
    assert m["share_between"] == pytest.approx(25 / 33)
    for key in gaps.MEASURES:
        assert key in m


def test_gap_measures_without_group_column():
    m = gaps.gap_measures(frame(ONE_TO_TEN).drop(columns="group"), 1)
    assert math.isnan(m["share_between"]) and m["var_total"] == pytest.approx(8.25)


def test_gap_series_one_row_per_period_sorted():
    later = frame(range(3, 13)).assign(period="2021", start_year=2021)
    earlier = frame(ONE_TO_TEN).assign(period="2019", start_year=2019)
    s = gaps.gap_series(pd.concat([later, earlier]), 1)
    assert list(s["period"]) == ["2019", "2021"]
    # 2019: top 10 / rest 5 = 2. 2021 (3..12): top 12, rest (3+...+11)/9 = 63/9 = 7 -> 12/7
    assert s["top_rest_ratio"].tolist() == pytest.approx([2, 12 / 7])
    assert s["top_rest_diff"].tolist() == pytest.approx([5, 5])  # 10-5, 12-7
    for key in gaps.MEASURES:
        assert key in s.columns


def test_gap_series_empty():
    empty = frame([]).assign(period=[], start_year=[])
    s = gaps.gap_series(empty, 1)
    assert s.empty and "cv" in s.columns


def test_measures_catalogue_has_words_for_the_page():
    for key in ("p90_p10_ratio", "p90_p10_diff", "top_rest_ratio", "top_rest_diff", "cv"):
        spec = gaps.MEASURES[key]
        assert spec["label"] and spec["explain"].endswith(".") and spec["narrowing"]
    assert gaps.MEASURES["top_rest_ratio"]["no_gap"] == 1
    assert gaps.MEASURES["top_rest_diff"]["no_gap"] == 0


def test_gap_distance_is_polarity_safe():
    # |ratio - 1|: 1/6 -> 5/6; 2 -> 1. |diff|: -5 -> 5. cv as is.
    assert gaps.gap_distance(1 / 6, "top_rest_ratio") == pytest.approx(5 / 6)
    assert gaps.gap_distance(2, "top_rest_ratio") == pytest.approx(1)
    assert gaps.gap_distance(-5, "top_rest_diff") == pytest.approx(5)
    assert gaps.gap_distance(0.3, "cv") == pytest.approx(0.3)


def test_rule_text_plain_english():
    t = gaps.rule_text("top_rest_ratio")
    for phrase in (
        "95% confidence intervals",
        "1,000",
        "narrowing",
        "widening",
        "no clear change",
        "fewer than 10 areas",
        "top 10% of areas minus the rest",
    ):
        assert phrase in t
    assert "instead" not in gaps.rule_text("cv")  # no fallback sentence for the CV


# ---------------------------------------------------------------------------------------------
# gap_verdict
# ---------------------------------------------------------------------------------------------


def test_gap_verdict_no_intervals_reports_direction_only():
    # base 1..10: ratio 2 (distance 1); now 3..12: ratio 12/7 (distance 5/7)
    # change = 5/7 - 1 = -2/7 = -0.2857 (gap narrowed)
    r = gaps.gap_verdict(frame(ONE_TO_TEN), frame(range(3, 13)), 1)
    assert r["verdict"] == "no test possible" and r["tested"] is False
    assert r["base"] == pytest.approx(2) and r["now"] == pytest.approx(12 / 7)
    assert r["change"] == pytest.approx(-2 / 7)
    assert math.isnan(r["ci_low"]) and math.isnan(r["ci_high"])
    assert "confidence intervals" in r["reason"] and "can't be assessed" in r["reason"]
    assert "fell by 0.286" in r["direction"] and "narrowed" in r["direction"]
    assert r["share_with_ci"] == 0


def test_gap_verdict_too_few_areas():
    r = gaps.gap_verdict(frame(range(1, 10), 0.01), frame(range(3, 13), 0.01), 1)
    assert r["verdict"] == "no test possible" and not r["tested"]
    assert "Too few areas" in r["reason"] and "9 at the baseline" in r["reason"]
    # 1..9: top 9, rest mean 4.5 -> 2; still reported
    assert r["base"] == pytest.approx(2)


def test_gap_verdict_too_few_after_dropping_nan():
    base = frame([*ONE_TO_TEN[:9], np.nan], 0.01)  # 9 usable values
    r = gaps.gap_verdict(base, frame(range(3, 13), 0.01), 1)
    assert r["verdict"] == "no test possible" and r["n_base"] == 9


def test_gap_verdict_narrowing_with_tight_intervals():
    # CIs ±0.01 -> sd 0.02 / 3.92 = 0.0051: the change stays very close to -2/7
    r = gaps.gap_verdict(frame(ONE_TO_TEN, 0.01), frame(range(3, 13), 0.01), 1)
    assert r["tested"] and r["verdict"] == "gap narrowing"
    assert r["change"] == pytest.approx(-2 / 7)
    assert -0.30 < r["ci_low"] <= r["ci_high"] < -0.27
    assert r["n_boot"] == 1000 and r["share_with_ci"] == 1


def test_gap_verdict_widening_with_tight_intervals():
    # reverse of the above: change = 1 - 5/7 = +2/7
    r = gaps.gap_verdict(frame(range(3, 13), 0.01), frame(ONE_TO_TEN, 0.01), 1)
    assert r["verdict"] == "gap widening"
    assert r["change"] == pytest.approx(2 / 7)
    assert 0.27 < r["ci_low"] <= r["ci_high"] < 0.30


def test_gap_verdict_no_clear_change_with_wide_intervals():
    # identical values at both periods (21..30) with CIs ±5: observed change 0 and the
    # simulated changes scatter both sides of 0
    f = frame(range(21, 31), 5)
    r = gaps.gap_verdict(f, f, 1)
    assert r["change"] == pytest.approx(0)
    assert r["verdict"] == "no clear change"
    assert r["ci_low"] < 0 < r["ci_high"]


def test_gap_verdict_lower_is_better_ratio():
    # polarity -1, base 1..10: top {1}, rest mean 6 -> ratio 1/6, distance 5/6
    # now 3..12: top {3}, rest (4+...+12)/9 = 72/9 = 8 -> ratio 3/8, distance 5/8
    # change = 5/8 - 5/6 = (15 - 20)/24 = -5/24: narrowing
    r = gaps.gap_verdict(frame(ONE_TO_TEN, 0.01), frame(range(3, 13), 0.01), -1)
    assert r["base"] == pytest.approx(1 / 6) and r["now"] == pytest.approx(3 / 8)
    assert r["change"] == pytest.approx(-5 / 24)
    assert r["verdict"] == "gap narrowing"


def test_gap_verdict_lower_is_better_difference_uses_size():
    # polarity -1, base 1..10: diff 1 - 6 = -5. now 2, 4, ..., 20: top {2}, rest 4..20 step 2,
    # mean 12 -> diff 2 - 12 = -10. |diff| 5 -> 10: change +5, the gap widened even though
    # the signed difference fell.
    now = frame(range(2, 21, 2), 0.01)
    r = gaps.gap_verdict(frame(ONE_TO_TEN, 0.01), now, -1, measure="top_rest_diff")
    assert r["base"] == pytest.approx(-5) and r["now"] == pytest.approx(-10)
    assert r["change"] == pytest.approx(5)
    assert r["verdict"] == "gap widening"


def test_gap_verdict_negative_values_fall_back_to_difference():
    # base: -2, 1..9 -> top 9, rest 34/9, diff 47/9 (ratio NaN)
    # now: -2, 1..8, 20 -> top 20, rest (-2 + 36)/9 = 34/9, diff 20 - 34/9 = 146/9
    # change = 146/9 - 47/9 = 99/9 = 11
    base = frame([-2, *range(1, 10)], 0.01)
    now = frame([-2, *range(1, 9), 20], 0.01)
    r = gaps.gap_verdict(base, now, 1, measure="top_rest_ratio")
    assert r["requested_measure"] == "top_rest_ratio"
    assert r["measure"] == "top_rest_diff"
    assert "zero or negative" in r["note"] and "instead" in r["note"]
    assert r["base"] == pytest.approx(47 / 9) and r["now"] == pytest.approx(146 / 9)
    assert r["change"] == pytest.approx(11)
    assert r["verdict"] == "gap widening"


def test_gap_verdict_negative_values_fallback_without_intervals():
    base = frame([-2, *range(1, 10)])
    now = frame([-2, *range(1, 9), 20])
    r = gaps.gap_verdict(base, now, 1, measure="p90_p10_ratio")
    # p10 of base = 0.7 > 0 but now: s = -2, 1, ..., 8, 20: p10 = -2 + 0.9 * 3 = 0.7 too;
    # both p10 > 0, so the percentile ratio is defined and no fallback is needed:
    # base p90 = 8.1 (see above); now p90: h = 8.1 -> 8 + 0.1 * (20 - 8) = 9.2
    assert r["measure"] == "p90_p10_ratio" and r["note"] == ""
    assert r["base"] == pytest.approx(8.1 / 0.7) and r["now"] == pytest.approx(9.2 / 0.7)
    r = gaps.gap_verdict(base, now, 1, measure="top_rest_ratio")
    assert r["measure"] == "top_rest_diff" and r["verdict"] == "no test possible"


def test_gap_verdict_fallback_when_intervals_cross_zero():
    # all observed values positive (ratio 2 observed), but area "1" has CI 1 ± 1.96
    # (sd 1), so some simulated values are <= 0 and the ratio is undefined in those draws
    hw = [1.96] + [0.0] * 9
    r = gaps.gap_verdict(frame(ONE_TO_TEN, hw), frame(ONE_TO_TEN), 1)
    assert r["measure"] == "top_rest_diff" and "Within their confidence intervals" in r["note"]
    assert r["tested"] and r["base"] == pytest.approx(5)


def test_gap_verdict_interval_matches_hand_derivation():
    # Only the top area (100) has a CI at baseline: 100 ± 1.96 -> sd 3.92 / 3.92 = 1.
    # top_rest_diff at baseline = Z - mean(rest), Z ~ N(100, 1) (it stays on top); now fixed.
    # change = |diff_now| - |diff_base| = (100 - m) - (Z - m) = 100 - Z ~ N(0, 1)
    # -> 95% interval of the change = ±1.96
    values = [*range(1, 10), 100]
    base = frame(values, [0.0] * 9 + [1.96])
    r = gaps.gap_verdict(base, frame(values), 1, measure="top_rest_diff", n_boot=20000)
    assert r["change"] == pytest.approx(0)
    assert r["ci_low"] == pytest.approx(-1.96, abs=0.08)
    assert r["ci_high"] == pytest.approx(1.96, abs=0.08)
    assert r["verdict"] == "no clear change"
    assert "only for the baseline" in r["reason"]


def test_gap_verdict_partial_intervals_share():
    # base: 5 of 10 areas with CI; now: none -> share over both periods = 5 / 20 = 0.25
    base = frame(ONE_TO_TEN, [0.01] * 5 + [np.nan] * 5)
    r = gaps.gap_verdict(base, frame(range(3, 13)), 1)
    assert r["share_with_ci"] == pytest.approx(0.25)
    assert r["share_with_ci_base"] == pytest.approx(0.5)
    assert r["share_with_ci_now"] == 0
    assert r["tested"]  # at least one period has intervals


def test_draws_keep_areas_without_interval_fixed():
    period = gaps._load(frame([1, 2, 3], [0.0, np.nan, 1.96]))
    d = gaps._draws(period, 50, np.random.default_rng(0))
    # rows are sorted; areas 1 and 2 are fixed, area 3 ~ N(3, 1) varies
    fixed = np.isin(d, [1.0, 2.0]).sum(axis=1)
    assert (fixed >= 2).all()
    assert d.std(axis=0).max() > 0.5


def test_gap_verdict_deterministic_for_a_seed():
    a = gaps.gap_verdict(frame(ONE_TO_TEN, 2), frame(range(3, 13), 2), 1, seed=7)
    b = gaps.gap_verdict(frame(ONE_TO_TEN, 2), frame(range(3, 13), 2), 1, seed=7)
    c = gaps.gap_verdict(frame(ONE_TO_TEN, 2), frame(range(3, 13), 2), 1, seed=8)
    assert a == b
    assert (a["ci_low"], a["ci_high"]) != (c["ci_low"], c["ci_high"])


def test_gap_verdict_all_equal_values():
    # no gap at either period: ratio 1 both times, change 0
    f = frame([5.0] * 12, 0.01)
    r = gaps.gap_verdict(f, f, 1)
    assert r["base"] == pytest.approx(1) and r["change"] == pytest.approx(0, abs=1e-12)
    assert r["verdict"] == "no clear change"


def test_gap_verdict_cv_undefined_is_no_test():
    f = frame([-5, -4, -3, -2, -1, 1, 2, 3, 4, 4], 0.01)  # mean -0.1: CV undefined
    r = gaps.gap_verdict(f, f, 1, measure="cv")
    assert r["verdict"] == "no test possible" and "cannot be calculated" in r["reason"]


def test_gap_verdict_unknown_measure():
    with pytest.raises(KeyError):
        gaps.gap_verdict(frame(ONE_TO_TEN), frame(ONE_TO_TEN), 1, measure="gini")


def test_gap_verdict_speed_360_areas():
    rng = np.random.default_rng(1)

    def big():
        v = rng.normal(30, 5, 360)
        return frame(v, rng.uniform(1, 4, 360))

    base, now = big(), big()
    gaps.gap_verdict(base, now, 1)  # warm up
    t0 = time.perf_counter()
    r = gaps.gap_verdict(base, now, 1, n_boot=1000)
    elapsed = time.perf_counter() - t0
    assert r["tested"] and r["n_boot"] == 1000
    assert elapsed < 0.5  # measured ~15 ms on the 2-CPU dev box; generous for slow CI


# ---------------------------------------------------------------------------------------------
# level_verdict
# ---------------------------------------------------------------------------------------------


def _median_fixture(middle, half_width):
    # 11 areas: 0..4 and 100..104 fixed, the middle one decides the median
    return frame([0, 1, 2, 3, 4, middle, 100, 101, 102, 103, 104], [0.0] * 5 + [half_width] + [0.0] * 5)


@pytest.mark.parametrize("polarity,expected", [(1, "better"), (-1, "worse"), (0, "higher"), (None, "higher")])
def test_level_verdict_interval_matches_hand_derivation(polarity, expected):
    # base median = middle area ~ N(50, 1) (CI 50 ± 1.96); now median fixed at 53.
    # change = 53 - N(50, 1) ~ N(3, 1): 95% interval 3 ± 1.96 = (1.04, 4.96), all above 0
    base, now = _median_fixture(50, 1.96), _median_fixture(53, 0.0)
    r = gaps.level_verdict(base, now, polarity, n_boot=20000)
    assert r["base"] == pytest.approx(50) and r["now"] == pytest.approx(53)
    assert r["change"] == pytest.approx(3)
    assert r["ci_low"] == pytest.approx(1.04, abs=0.08)
    assert r["ci_high"] == pytest.approx(4.96, abs=0.08)
    assert r["verdict"] == expected


@pytest.mark.parametrize("polarity,expected", [(1, "worse"), (-1, "better"), (0, "lower")])
def test_level_verdict_falls(polarity, expected):
    # change = 47 - N(50, 1) ~ N(-3, 1): interval (-4.96, -1.04), all below 0
    r = gaps.level_verdict(_median_fixture(50, 1.96), _median_fixture(47, 0.0), polarity)
    assert r["verdict"] == expected


def test_level_verdict_no_clear_change():
    # change = 50.5 - N(50, 1): interval (-1.46, 2.46) includes 0
    r = gaps.level_verdict(_median_fixture(50, 1.96), _median_fixture(50.5, 0.0), 1)
    assert r["verdict"] == "no clear change"


def test_level_verdict_no_intervals():
    # medians: 1..10 -> 5.5; 3..12 -> 7.5; rose by 2
    r = gaps.level_verdict(frame(ONE_TO_TEN), frame(range(3, 13)), 1)
    assert r["verdict"] == "no test possible" and not r["tested"]
    assert r["change"] == pytest.approx(2)
    assert r["direction"] == "the median area value rose by 2"
    assert "confidence intervals" in r["reason"]


def test_level_verdict_too_few_areas():
    r = gaps.level_verdict(frame(range(1, 6), 0.1), frame(range(1, 6), 0.1), 1)
    assert r["verdict"] == "no test possible" and "Too few areas" in r["reason"]


def test_level_verdict_deterministic():
    a = gaps.level_verdict(_median_fixture(50, 5), _median_fixture(52, 5), 1, seed=3)
    b = gaps.level_verdict(_median_fixture(50, 5), _median_fixture(52, 5), 1, seed=3)
    assert a == b


# ---------------------------------------------------------------------------------------------
# area_distance_to_top / area_gap_change
# ---------------------------------------------------------------------------------------------


def test_area_distance_to_top_higher_is_better():
    f = frame(ONE_TO_TEN)  # E000 = 1, ..., E003 = 4, ..., E009 = 10
    r = gaps.area_distance_to_top(f, "E003", 1)
    # top mean 10; 4 - 10 = -6; -6 / 10 = -60%; 6 behind the top
    assert r["value"] == 4 and r["top_mean"] == pytest.approx(10)
    assert r["difference"] == pytest.approx(-6)
    assert r["pct_of_top"] == pytest.approx(-60)
    assert r["shortfall"] == pytest.approx(6)
    assert r["in_top_tenth"] is False
    top = gaps.area_distance_to_top(f, "E009", 1)
    assert top["in_top_tenth"] is True and top["shortfall"] == pytest.approx(0)


def test_area_distance_to_top_lower_is_better():
    r = gaps.area_distance_to_top(frame(ONE_TO_TEN), "E003", -1)
    # top mean = lowest tenth = 1; 4 - 1 = 3; 3 / 1 = 300%; shortfall 3 (above the best)
    assert r["top_mean"] == pytest.approx(1)
    assert r["difference"] == pytest.approx(3)
    assert r["pct_of_top"] == pytest.approx(300)
    assert r["shortfall"] == pytest.approx(3)
    assert gaps.area_distance_to_top(frame(ONE_TO_TEN), "E000", -1)["in_top_tenth"] is True


def test_area_distance_to_top_missing_area_or_value():
    f = frame([*ONE_TO_TEN, np.nan])  # E010 has no value
    for code in ("E010", "NOPE"):
        r = gaps.area_distance_to_top(f, code, 1)
        assert math.isnan(r["value"]) and math.isnan(r["difference"])
        assert math.isnan(r["pct_of_top"]) and r["in_top_tenth"] is None
        assert r["top_mean"] == pytest.approx(10)


def test_area_gap_change_closing():
    # base: area E003 = 4, top 10 -> shortfall 6. now: E003 = 7, top still 10 -> shortfall 3
    now = frame([1, 2, 3, 7, 5, 6, 7, 8, 9, 10])
    r = gaps.area_gap_change(frame(ONE_TO_TEN), now, "E003", 1)
    assert r["change"] == pytest.approx(-3) and r["direction"] == "closing"


# ---------------------------------------------------------------------------------------------
# change_table / most_improved / most_declined
# ---------------------------------------------------------------------------------------------


def _two_periods():
    a = pd.DataFrame(
        {
            "areacd": ["A", "B", "C", "D"],
            "areanm": ["Ash", "Birch", "Cedar", "Dale"],
            "value": [10.0, 20.0, 0.0, 5.0],
        }
    )
    b = pd.DataFrame(
        {
            "areacd": ["A", "B", "C", "E"],
            "areanm": ["Ash", "Birch", "Cedar", "Elm"],
            "value": [12.0, 15.0, 3.0, 1.0],
        }
    )
    return a, b


def test_change_table_absolute_higher_is_better():
    t = gaps.change_table(*_two_periods(), 1).set_index("areacd")
    # inner join: A, B, C. changes: A 12-10 = +2, B 15-20 = -5, C 3-0 = +3
    assert sorted(t.index) == ["A", "B", "C"]
    assert t.loc["A", "change"] == 2 and t.loc["B", "change"] == -5 and t.loc["C", "change"] == 3
    # improvement = change * +1; rank 1 = most improved: C (3), A (2), B (-5)
    assert t.loc["C", "rank"] == 1 and t.loc["A", "rank"] == 2 and t.loc["B", "rank"] == 3


def test_change_table_lower_is_better():
    t = gaps.change_table(*_two_periods(), -1).set_index("areacd")
    # improvement = change * -1: A -2, B +5, C -3 -> ranks B 1, A 2, C 3
    assert t.loc["B", "improvement"] == 5
    assert t.loc["B", "rank"] == 1 and t.loc["A", "rank"] == 2 and t.loc["C", "rank"] == 3


def test_change_table_percent():
    t = gaps.change_table(*_two_periods(), 1, kind="percent").set_index("areacd")
    # A (12-10)/10 = +20%; B (15-20)/20 = -25%; C from 0 -> undefined
    assert t.loc["A", "change"] == pytest.approx(20)
    assert t.loc["B", "change"] == pytest.approx(-25)
    assert math.isnan(t.loc["C", "change"]) and pd.isna(t.loc["C", "rank"])


def test_change_table_percent_negative_base():
    a = pd.DataFrame({"areacd": ["A"], "areanm": ["Ash"], "value": [-10.0]})
    b = pd.DataFrame({"areacd": ["A"], "areanm": ["Ash"], "value": [-5.0]})
    # (-5 - -10) / |-10| * 100 = +50%: a rise is a positive percentage even from below zero
    assert gaps.change_table(a, b, 1, kind="percent")["change"].iloc[0] == pytest.approx(50)


def test_change_table_neutral():
    t = gaps.change_table(*_two_periods(), None).set_index("areacd")
    assert t["improvement"].isna().all()
    # ranked by change: C (+3) 1, A (+2) 2, B (-5) 3
    assert t.loc["C", "rank"] == 1 and t.loc["B", "rank"] == 3


def test_change_table_bad_kind():
    with pytest.raises(ValueError):
        gaps.change_table(*_two_periods(), 1, kind="relative")


def test_most_improved_and_declined_higher_is_better():
    t = gaps.change_table(*_two_periods(), 1)
    up, down = gaps.most_improved(t), gaps.most_declined(t)
    assert list(up["areacd"]) == ["C", "A"]  # only areas that improved, best first
    assert list(down["areacd"]) == ["B"]
    assert up.attrs["title"] == "Most improved" and down.attrs["title"] == "Most declined"
    assert list(gaps.most_improved(t, n=1)["areacd"]) == ["C"]


def test_most_improved_lower_is_better():
    t = gaps.change_table(*_two_periods(), -1)
    assert list(gaps.most_improved(t)["areacd"]) == ["B"]  # fell by 5 = improved
    assert list(gaps.most_declined(t)["areacd"]) == ["C", "A"]  # rose 3, rose 2


def test_most_improved_neutral_uses_increases():
    t = gaps.change_table(*_two_periods(), 0)
    up, down = gaps.most_improved(t), gaps.most_declined(t)
    assert up.attrs["title"] == "Largest increases" and list(up["areacd"]) == ["C", "A"]
    assert down.attrs["title"] == "Largest decreases" and list(down["areacd"]) == ["B"]


# ---------------------------------------------------------------------------------------------
# baseline_period
# ---------------------------------------------------------------------------------------------


def test_baseline_period_exact_year():
    p = pd.DataFrame({"period": ["2017", "2018", "2019", "2020"], "start_year": [2017, 2018, 2019, 2020]})
    assert gaps.baseline_period(p) == "2019"


def test_baseline_period_first_after():
    p = pd.DataFrame(
        {"period": ["2015-17", "2018-20", "2021-23", "2022-24"], "start_year": [2015, 2018, 2021, 2022]}
    )
    assert gaps.baseline_period(p) == "2021-23"
    assert gaps.baseline_period(p, year=2018) == "2018-20"


def test_baseline_period_none_and_monthly():
    p = pd.DataFrame({"period": ["2016", "2017"], "start_year": [2016, 2017]})
    assert gaps.baseline_period(p) is None
    assert gaps.baseline_period(p.iloc[0:0]) is None
    monthly = pd.DataFrame({"period": ["2018-12", "2019-01", "2019-02"], "start_year": [2018, 2019, 2019]})
    assert gaps.baseline_period(monthly) == "2019-01"  # the first period starting in 2019


def test_change_table_names_from_either_frame():
    a, b = _two_periods()
    b = b.assign(areanm=["Ash (renamed)", "Birch", "Cedar", "Elm"])
    t = gaps.change_table(a, b.drop(columns="areanm"), 1).set_index("areacd")
    assert t.loc["A", "areanm"] == "Ash"  # only the first frame has names
    t = gaps.change_table(a, b, 1).set_index("areacd")
    assert t.loc["A", "areanm"] == "Ash (renamed)"  # the later name wins


def test_nullable_dtypes_from_parquet():
    # pandas nullable Float64 with <NA>, as a Parquet read may give: NA dropped like NaN.
    # values 1..10 with one <NA> -> same as 1..10: top 10 / rest 5 = 2
    v = pd.Series([*ONE_TO_TEN, None], dtype="Float64")
    f = pd.DataFrame(
        {
            "areacd": [f"E{i:02d}" for i in range(11)],
            "value": v,
            "lci_95": pd.Series([None] * 11, dtype="Float64"),
            "uci_95": pd.Series([None] * 11, dtype="Float64"),
            "group": pd.Series(["G"] * 11, dtype="string"),
        }
    )
    m = gaps.gap_measures(f, 1)
    assert m["n"] == 10 and m["top_rest_ratio"] == pytest.approx(2)
    assert gaps.gap_verdict(f, f, 1)["verdict"] == "no test possible"


def test_bad_arguments():
    with pytest.raises(ValueError):
        gaps.gap_verdict(frame(ONE_TO_TEN), frame(ONE_TO_TEN), 1, n_boot=0)
    with pytest.raises(ValueError):
        gaps.level_verdict(frame(ONE_TO_TEN), frame(ONE_TO_TEN), 1, level=95)


def test_verdict_is_not_fooled_by_wider_intervals_at_one_end():
    # The same 100 values in both periods (observed change exactly 0); only the published
    # intervals differ: ±0.001 at the baseline, ±0.5 now. Noise inflates the simulated gap
    # now, so an un-centred test would call a spurious "gap widening".
    import numpy as np
    import pandas as pd

    from lumap.analysis.gaps import gap_verdict

    v = np.linspace(1.0, 2.0, 100)
    base = pd.DataFrame(
        {
            "areacd": [f"A{i}" for i in range(100)],
            "value": v,
            "lci_95": v - 0.001,
            "uci_95": v + 0.001,
            "group": "g",
        }
    )
    now = base.assign(lci_95=v - 0.5, uci_95=v + 0.5)
    out = gap_verdict(base, now, polarity=1, measure="cv", n_boot=2000, seed=1)
    assert out["change"] == 0
    assert out["ci_low"] < 0 < out["ci_high"]
    assert out["verdict"] == "no clear change"
