"""Tests for lumap.analysis.verdicts (bootstrap verdicts since a baseline).

Every expected number is worked out by hand in the comment next to it, on fixtures small
enough to check with pencil and paper.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pandas as pd
import pytest

from lumap.analysis import verdicts

from .gapfixtures import ONE_TO_TEN, frame

# gap_verdict
# ---------------------------------------------------------------------------------------------


def test_gap_verdict_no_intervals_reports_direction_only():
    # base 1..10: ratio 2 (distance 1); now 3..12: ratio 12/7 (distance 5/7)
    # change = 5/7 - 1 = -2/7 = -0.2857 (gap narrowed)
    r = verdicts.gap_verdict(frame(ONE_TO_TEN), frame(range(3, 13)), 1)
    assert r.verdict == "no test possible" and r.tested is False
    assert r.base == pytest.approx(2) and r.now == pytest.approx(12 / 7)
    assert r.change == pytest.approx(-2 / 7)
    assert math.isnan(r.ci_low) and math.isnan(r.ci_high)
    assert "confidence intervals" in r.reason and "can't be assessed" in r.reason
    assert "fell by 0.286" in r.direction and "narrowed" in r.direction
    assert r.share_with_ci == 0


def test_gap_verdict_too_few_areas():
    r = verdicts.gap_verdict(frame(range(1, 10), 0.01), frame(range(3, 13), 0.01), 1)
    assert r.verdict == "no test possible" and not r.tested
    assert "Too few areas" in r.reason and "9 at the baseline" in r.reason
    # 1..9: top 9, rest mean 4.5 -> 2; still reported
    assert r.base == pytest.approx(2)


def test_gap_verdict_too_few_after_dropping_nan():
    base = frame([*ONE_TO_TEN[:9], np.nan], 0.01)  # 9 usable values
    r = verdicts.gap_verdict(base, frame(range(3, 13), 0.01), 1)
    assert r.verdict == "no test possible" and r.n_base == 9


def test_gap_verdict_narrowing_with_tight_intervals():
    # CIs ±0.01 -> sd 0.02 / 3.92 = 0.0051: the change stays very close to -2/7
    r = verdicts.gap_verdict(frame(ONE_TO_TEN, 0.01), frame(range(3, 13), 0.01), 1)
    assert r.tested and r.verdict == "gap narrowing"
    assert r.change == pytest.approx(-2 / 7)
    assert -0.30 < r.ci_low <= r.ci_high < -0.27
    assert r.n_boot == 1000 and r.share_with_ci == 1


def test_gap_verdict_widening_with_tight_intervals():
    # reverse of the above: change = 1 - 5/7 = +2/7
    r = verdicts.gap_verdict(frame(range(3, 13), 0.01), frame(ONE_TO_TEN, 0.01), 1)
    assert r.verdict == "gap widening"
    assert r.change == pytest.approx(2 / 7)
    assert 0.27 < r.ci_low <= r.ci_high < 0.30


def test_gap_verdict_no_clear_change_with_wide_intervals():
    # identical values at both periods (21..30) with CIs ±5: observed change 0 and the
    # simulated changes scatter both sides of 0
    f = frame(range(21, 31), 5)
    r = verdicts.gap_verdict(f, f, 1)
    assert r.change == pytest.approx(0)
    assert r.verdict == "no clear change"
    assert r.ci_low < 0 < r.ci_high


def test_gap_verdict_lower_is_better_ratio():
    # polarity -1, base 1..10: top {1}, rest mean 6 -> ratio 1/6, distance 5/6
    # now 3..12: top {3}, rest (4+...+12)/9 = 72/9 = 8 -> ratio 3/8, distance 5/8
    # change = 5/8 - 5/6 = (15 - 20)/24 = -5/24: narrowing
    r = verdicts.gap_verdict(frame(ONE_TO_TEN, 0.01), frame(range(3, 13), 0.01), -1)
    assert r.base == pytest.approx(1 / 6) and r.now == pytest.approx(3 / 8)
    assert r.change == pytest.approx(-5 / 24)
    assert r.verdict == "gap narrowing"


def test_gap_verdict_lower_is_better_difference_uses_size():
    # polarity -1, base 1..10: diff 1 - 6 = -5. now 2, 4, ..., 20: top {2}, rest 4..20 step 2,
    # mean 12 -> diff 2 - 12 = -10. |diff| 5 -> 10: change +5, the gap widened even though
    # the signed difference fell.
    now = frame(range(2, 21, 2), 0.01)
    r = verdicts.gap_verdict(frame(ONE_TO_TEN, 0.01), now, -1, measure="top_rest_diff")
    assert r.base == pytest.approx(-5) and r.now == pytest.approx(-10)
    assert r.change == pytest.approx(5)
    assert r.verdict == "gap widening"


def test_gap_verdict_negative_values_fall_back_to_difference():
    # base: -2, 1..9 -> top 9, rest 34/9, diff 47/9 (ratio NaN)
    # now: -2, 1..8, 20 -> top 20, rest (-2 + 36)/9 = 34/9, diff 20 - 34/9 = 146/9
    # change = 146/9 - 47/9 = 99/9 = 11
    base = frame([-2, *range(1, 10)], 0.01)
    now = frame([-2, *range(1, 9), 20], 0.01)
    r = verdicts.gap_verdict(base, now, 1, measure="top_rest_ratio")
    assert r.requested_measure == "top_rest_ratio"
    assert r.measure == "top_rest_diff"
    assert "zero or negative" in r.note and "instead" in r.note
    assert r.base == pytest.approx(47 / 9) and r.now == pytest.approx(146 / 9)
    assert r.change == pytest.approx(11)
    assert r.verdict == "gap widening"


def test_gap_verdict_negative_values_fallback_without_intervals():
    base = frame([-2, *range(1, 10)])
    now = frame([-2, *range(1, 9), 20])
    r = verdicts.gap_verdict(base, now, 1, measure="p90_p10_ratio")
    # p10 of base = 0.7 > 0 but now: s = -2, 1, ..., 8, 20: p10 = -2 + 0.9 * 3 = 0.7 too;
    # both p10 > 0, so the percentile ratio is defined and no fallback is needed:
    # base p90 = 8.1 (see above); now p90: h = 8.1 -> 8 + 0.1 * (20 - 8) = 9.2
    assert r.measure == "p90_p10_ratio" and r.note == ""
    assert r.base == pytest.approx(8.1 / 0.7) and r.now == pytest.approx(9.2 / 0.7)
    r = verdicts.gap_verdict(base, now, 1, measure="top_rest_ratio")
    assert r.measure == "top_rest_diff" and r.verdict == "no test possible"


def test_gap_verdict_fallback_when_intervals_cross_zero():
    # all observed values positive (ratio 2 observed), but area "1" has CI 1 ± 1.96
    # (sd 1), so some simulated values are <= 0 and the ratio is undefined in those draws
    hw = [1.96] + [0.0] * 9
    r = verdicts.gap_verdict(frame(ONE_TO_TEN, hw), frame(ONE_TO_TEN), 1)
    assert r.measure == "top_rest_diff" and "Within their confidence intervals" in r.note
    assert r.tested and r.base == pytest.approx(5)


def test_gap_verdict_interval_matches_hand_derivation():
    # Only the top area (100) has a CI at baseline: 100 ± 1.96 -> sd 3.92 / 3.92 = 1.
    # top_rest_diff at baseline = Z - mean(rest), Z ~ N(100, 1) (it stays on top); now fixed.
    # change = |diff_now| - |diff_base| = (100 - m) - (Z - m) = 100 - Z ~ N(0, 1)
    # -> 95% interval of the change = ±1.96
    values = [*range(1, 10), 100]
    base = frame(values, [0.0] * 9 + [1.96])
    r = verdicts.gap_verdict(base, frame(values), 1, measure="top_rest_diff", n_boot=20000)
    assert r.change == pytest.approx(0)
    assert r.ci_low == pytest.approx(-1.96, abs=0.08)
    assert r.ci_high == pytest.approx(1.96, abs=0.08)
    assert r.verdict == "no clear change"
    assert "only for the baseline" in r.reason


def test_gap_verdict_partial_intervals_share():
    # base: 5 of 10 areas with CI; now: none -> share over both periods = 5 / 20 = 0.25
    base = frame(ONE_TO_TEN, [0.01] * 5 + [np.nan] * 5)
    r = verdicts.gap_verdict(base, frame(range(3, 13)), 1)
    assert r.share_with_ci == pytest.approx(0.25)
    assert r.share_with_ci_base == pytest.approx(0.5)
    assert r.share_with_ci_now == 0
    assert r.tested  # at least one period has intervals


def test_draws_keep_areas_without_interval_fixed():
    period = verdicts.load_period(frame([1, 2, 3], [0.0, np.nan, 1.96]))
    d = verdicts.draws(period, 50, np.random.default_rng(0))
    # rows are sorted; areas 1 and 2 are fixed, area 3 ~ N(3, 1) varies
    fixed = np.isin(d, [1.0, 2.0]).sum(axis=1)
    assert (fixed >= 2).all()
    assert d.std(axis=0).max() > 0.5


def test_gap_verdict_deterministic_for_a_seed():
    a = verdicts.gap_verdict(frame(ONE_TO_TEN, 2), frame(range(3, 13), 2), 1, seed=7)
    b = verdicts.gap_verdict(frame(ONE_TO_TEN, 2), frame(range(3, 13), 2), 1, seed=7)
    c = verdicts.gap_verdict(frame(ONE_TO_TEN, 2), frame(range(3, 13), 2), 1, seed=8)
    assert a == b
    assert (a.ci_low, a.ci_high) != (c.ci_low, c.ci_high)


def test_gap_verdict_all_equal_values():
    # no gap at either period: ratio 1 both times, change 0
    f = frame([5.0] * 12, 0.01)
    r = verdicts.gap_verdict(f, f, 1)
    assert r.base == pytest.approx(1) and r.change == pytest.approx(0, abs=1e-12)
    assert r.verdict == "no clear change"


def test_gap_verdict_cv_undefined_is_no_test():
    f = frame([-5, -4, -3, -2, -1, 1, 2, 3, 4, 4], 0.01)  # mean -0.1: CV undefined
    r = verdicts.gap_verdict(f, f, 1, measure="cv")
    assert r.verdict == "no test possible" and "cannot be calculated" in r.reason


def test_gap_verdict_unknown_measure():
    with pytest.raises(KeyError):
        verdicts.gap_verdict(frame(ONE_TO_TEN), frame(ONE_TO_TEN), 1, measure="gini")


def test_gap_verdict_speed_360_areas():
    rng = np.random.default_rng(1)

    def big():
        v = rng.normal(30, 5, 360)
        return frame(v, rng.uniform(1, 4, 360))

    base, now = big(), big()
    verdicts.gap_verdict(base, now, 1)  # warm up
    t0 = time.perf_counter()
    r = verdicts.gap_verdict(base, now, 1, n_boot=1000)
    elapsed = time.perf_counter() - t0
    assert r.tested and r.n_boot == 1000
    assert elapsed < 0.5  # measured ~15 ms on the 2-CPU dev box; generous for slow CI


# ---------------------------------------------------------------------------------------------
# median_verdict
# ---------------------------------------------------------------------------------------------


def _median_fixture(middle, half_width):
    # 11 areas: 0..4 and 100..104 fixed, the middle one decides the median
    return frame([0, 1, 2, 3, 4, middle, 100, 101, 102, 103, 104], [0.0] * 5 + [half_width] + [0.0] * 5)


@pytest.mark.parametrize("polarity,expected", [(1, "better"), (-1, "worse"), (0, "higher"), (None, "higher")])
def test_median_verdict_interval_matches_hand_derivation(polarity, expected):
    # base median = middle area ~ N(50, 1) (CI 50 ± 1.96); now median fixed at 53.
    # change = 53 - N(50, 1) ~ N(3, 1): 95% interval 3 ± 1.96 = (1.04, 4.96), all above 0
    base, now = _median_fixture(50, 1.96), _median_fixture(53, 0.0)
    r = verdicts.median_verdict(base, now, polarity, n_boot=20000)
    assert r.base == pytest.approx(50) and r.now == pytest.approx(53)
    assert r.change == pytest.approx(3)
    assert r.ci_low == pytest.approx(1.04, abs=0.08)
    assert r.ci_high == pytest.approx(4.96, abs=0.08)
    assert r.verdict == expected


@pytest.mark.parametrize("polarity,expected", [(1, "worse"), (-1, "better"), (0, "lower")])
def test_median_verdict_falls(polarity, expected):
    # change = 47 - N(50, 1) ~ N(-3, 1): interval (-4.96, -1.04), all below 0
    r = verdicts.median_verdict(_median_fixture(50, 1.96), _median_fixture(47, 0.0), polarity)
    assert r.verdict == expected


def test_median_verdict_no_clear_change():
    # change = 50.5 - N(50, 1): interval (-1.46, 2.46) includes 0
    r = verdicts.median_verdict(_median_fixture(50, 1.96), _median_fixture(50.5, 0.0), 1)
    assert r.verdict == "no clear change"


def test_median_verdict_no_intervals():
    # medians: 1..10 -> 5.5; 3..12 -> 7.5; rose by 2
    r = verdicts.median_verdict(frame(ONE_TO_TEN), frame(range(3, 13)), 1)
    assert r.verdict == "no test possible" and not r.tested
    assert r.change == pytest.approx(2)
    assert r.direction == "the median area value rose by 2"
    assert "confidence intervals" in r.reason


def test_median_verdict_too_few_areas():
    r = verdicts.median_verdict(frame(range(1, 6), 0.1), frame(range(1, 6), 0.1), 1)
    assert r.verdict == "no test possible" and "Too few areas" in r.reason


def test_median_verdict_deterministic():
    a = verdicts.median_verdict(_median_fixture(50, 5), _median_fixture(52, 5), 1, seed=3)
    b = verdicts.median_verdict(_median_fixture(50, 5), _median_fixture(52, 5), 1, seed=3)
    assert a == b


def test_bad_arguments():
    with pytest.raises(ValueError):
        verdicts.gap_verdict(frame(ONE_TO_TEN), frame(ONE_TO_TEN), 1, n_boot=0)
    with pytest.raises(ValueError):
        verdicts.median_verdict(frame(ONE_TO_TEN), frame(ONE_TO_TEN), 1, confidence=95)


def test_verdict_is_not_fooled_by_wider_intervals_at_one_end():
    # The same 100 values in both periods (observed change exactly 0); only the published
    # intervals differ: ±0.001 at the baseline, ±0.5 now. Noise inflates the simulated gap
    # now, so an un-centred test would call a spurious "gap widening".
    import numpy as np
    import pandas as pd

    from lumap.analysis.verdicts import gap_verdict

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
    assert out.change == 0
    assert out.ci_low < 0 < out.ci_high
    assert out.verdict == "no clear change"


def test_nullable_dtypes_from_parquet_are_untestable():
    v = pd.Series([*ONE_TO_TEN, None], dtype="Float64")
    f = pd.DataFrame({"areacd": [f"E{i:02d}" for i in range(11)], "value": v})
    assert verdicts.gap_verdict(f, f, 1).verdict == "no test possible"


def test_rule_text_plain_english():
    t = verdicts.rule_text("top_rest_ratio")
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
    assert "instead" not in verdicts.rule_text("cv")  # no fallback sentence for the CV
