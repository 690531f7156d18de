"""Tests for lumap.analysis.gaps (the gap measures).

Every expected number is worked out by hand in the comment next to it, on fixtures small
enough to check with pencil and paper. Percentiles follow Hyndman & Fan type 7: the p-th
percentile of n sorted values s[0..n-1] is at position h = (n - 1) p; with lo = floor(h),
value = s[lo] + (h - lo) (s[lo+1] - s[lo]).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from lumap.analysis import gaps

from .gapfixtures import ONE_TO_TEN, frame

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
            ours = gaps.rows_quantile(np.sort(x)[None, :], q)[0]
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


# ---------------------------------------------------------------------------------------------
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
