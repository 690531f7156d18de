"""Tests for lumap.analysis.missionreport: one indicator's report for the missions page."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from lumap.analysis import gaps
from lumap.analysis import missionreport as mr
from lumap.analysis.verdicts import Verdict

META = {
    "indicator": "pay",
    "label": "Pay",
    "prefix": "GBPSign",
    "suffix": None,
    "subtext": None,
    "decimals": 0,
    "mission": 1,
    "polarity": 1,
    "nations": ["E", "W", "S", "N"],
}
PCT = {
    "indicator": "emp",
    "label": "Employment",
    "prefix": None,
    "suffix": "%",
    "subtext": None,
    "decimals": 1,
    "mission": 1,
    "polarity": 1,
    "nations": ["E", "W", "S"],
}

# Ten English districts in two regions, plus two Welsh ones (their own "region").
CODES = [f"E0700000{i}" for i in range(6)] + [f"E0800000{i}" for i in range(4)] + ["W06000001", "W06000002"]
GEO = {
    **{c: {"parents": ["E12000001"]} for c in CODES[:6]},
    **{c: {"parents": ["E12000002"]} for c in CODES[6:10]},
}
STARTS = {2018: "2018-04-01", 2019: "2019-04-01", 2021: "2021-04-01"}


def series(values_by_year: dict[int, list[float]], half_width=None) -> pd.DataFrame:
    """A Store.series-shaped frame: one row per area and period."""
    rows = []
    for year, values in values_by_year.items():
        for code, v in zip(CODES, values, strict=True):
            hw = half_width
            rows.append(
                {
                    "areacd": code,
                    "areanm": code,
                    "value": v,
                    "lci_95": v - hw if hw is not None else np.nan,
                    "uci_95": v + hw if hw is not None else np.nan,
                    "status": "",
                    "notes": "",
                    "period": STARTS[year],
                    "period_label": str(year),
                    "start_year": year,
                    "start": pd.Timestamp(STARTS[year]),
                }
            )
    return pd.DataFrame(rows)


BASE = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21]
LATER = [12, 12, 13, 13, 14, 15, 16, 17, 18, 18, 19, 19]  # the top has come down, the bottom up


def comparators():
    return pd.DataFrame(
        {
            "areacd": ["K03000001", "K02000001", "K02000001"],
            "areanm": ["GB", "United Kingdom", "United Kingdom"],
            "period": [STARTS[2019], STARTS[2019], STARTS[2021]],
            "value": [1.0, 15.5, 16.0],
        }
    )


# ---------------------------------------------------------------------------------------------
# Coverage and levels
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "nations,text",
    [
        (["E", "W", "S", "N"], None),
        (["E", "S", "W"], "Great Britain only (no Northern Ireland)"),
        (["E", "W"], "England and Wales only"),
        (["E"], "England only"),
        (["N"], "Northern Ireland only"),
        (["E", "N"], "England and Northern Ireland only"),
        ([], "No local-authority data (regions or countries only)"),
    ],
)
def test_coverage_text(nations, text):
    assert mr.coverage_text(nations) == text


def test_coverage_notes_flag_few_and_single_periods():
    assert mr.coverage_notes(META, 10) == []
    assert mr.coverage_notes(META, 3) == ["Only 3 periods"]
    assert mr.coverage_notes({**META, "nations": ["E"]}, 1) == ["England only", "One period only: no trend"]


@pytest.mark.parametrize(
    "available,wanted,expected",
    [
        (["ltla", "utla", "rgn"], "ltla", "ltla"),
        (["rgn", "ctry"], "ltla", "rgn"),  # R&D: nearest level that exists
        (["ltla", "utla", "cauth", "ctry"], "rgn", "cauth"),  # tie between cauth and ctry: finer wins
        (["ctry"], "ltla", "ctry"),
        ([], "ltla", None),
    ],
)
def test_level_for(available, wanted, expected):
    assert mr.level_for(available, wanted) == expected


def test_upper_tier_only_indicators_skip_the_lower_tier():
    # healthy life expectancy: unitary/met/London authorities but no shire districts (E07)
    assert mr.lower_tier_missing(["E06000001", "E08000001", "E09000001", "W06000001"])
    assert not mr.lower_tier_missing(["E06000001", "E07000001"])
    assert not mr.lower_tier_missing(["S12000001", "N09000001"])  # no English data at all
    assert mr.level_for(["ltla", "utla", "rgn"], "ltla", upper_tier_only=True) == "utla"
    assert mr.level_for(["ltla", "utla", "rgn"], "utla", upper_tier_only=True) == "utla"


def test_with_regions_uses_geo_and_nation_for_wales():
    f = mr.with_regions(series({2019: BASE}), GEO)
    groups = dict(zip(f["areacd"], f["group"], strict=True))
    assert groups["E07000000"] == "E12000001" and groups["E08000003"] == "E12000002"
    assert groups["W06000001"] == "W92000004"


def test_comparator_prefers_the_uk():
    code, rows = mr.comparator(comparators())
    assert code == "K02000001" and list(rows["value"]) == [15.5, 16.0]
    assert mr.comparator(None)[0] is None


# ---------------------------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------------------------


def test_report_with_intervals_tests_both_verdicts():
    s = series({2018: BASE, 2019: BASE, 2021: LATER}, half_width=0.01)
    r = mr.indicator_report(s, comparators(), 1, 2019, "p90_p10_diff", "ltla", GEO, n_boot=300, band_boot=300)
    assert r.baseline.label == "2019" and r.latest.label == "2021"
    # P90 - P10 of BASE (10..21): h = 9.9 -> 19 + 0.9 = 19.9; h = 1.1 -> 11.1; diff 8.8.
    # LATER sorted 12,12,13,13,14,15,16,17,18,18,19,19: s[9] + 0.9 (s[10] - s[9]) = 18.9;
    # s[1] + 0.1 (s[2] - s[1]) = 12.1; diff 6.8
    assert r.gap_verdict.base == pytest.approx(8.8) and r.gap_verdict.now == pytest.approx(6.8)
    assert r.gap_verdict.verdict == "gap narrowing"  # intervals of ±0.01: far beyond noise
    # medians: BASE (15 + 16) / 2 = 15.5, LATER (15 + 16) / 2 = 15.5 -> no clear change
    assert r.median_verdict.base == 15.5 and r.median_verdict.now == 15.5
    assert r.median_verdict.verdict == "no clear change"
    t = r.table
    assert list(t["period_label"]) == ["2018", "2019", "2021"]
    assert list(t["n"]) == [12, 12, 12]
    assert r.comparator_name == "United Kingdom"
    assert list(t["comparator"].fillna(-1)) == [-1, 15.5, 16.0]
    assert t["band"].all() and r.bands_note == ""
    assert r.measure == "p90_p10_diff" and r.decomposed
    # between-region share, 2019: region means E12000001 12.5 (10..15), E12000002 17.5,
    # Wales 20.5; grand mean 15.5; between = (6 * 9 + 4 * 4 + 2 * 25) / 12 = 120 / 12 = 10;
    # total variance of 10..21 = (12^2 - 1) / 12 = 143 / 12; share = 10 / (143 / 12) = 120 / 143
    assert t.loc[1, "share_between"] == pytest.approx(120 / 143)


def test_report_without_intervals_says_no_test_possible():
    r = mr.indicator_report(series({2019: BASE, 2021: LATER}), None, 1, 2019, "top_rest_ratio", "ltla", GEO)
    assert r.gap_verdict.verdict == "no test possible" and not r.gap_verdict.tested
    assert "No confidence intervals" in r.gap_verdict.reason
    assert r.bands_note.startswith("No uncertainty band")
    word, tone, detail = mr.verdict_words(r.gap_verdict, "gap")
    assert (word, tone, detail) == ("no test possible", "untested", "narrowed, not tested")


def test_single_period_and_baseline_problems():
    one = mr.indicator_report(series({2021: LATER}), None, 1, 2019, "cv", "ltla", GEO)
    assert one.gap_verdict is None and "one period" in one.no_verdict
    assert one.n_periods == 1 and len(one.table) == 1
    late = mr.indicator_report(series({2018: BASE, 2019: BASE}), None, 1, 2022, "cv", "ltla", GEO)
    assert late.gap_verdict is None and "No period starts in 2022 or later" in late.no_verdict
    same = mr.indicator_report(series({2018: BASE, 2019: BASE}), None, 1, 2019, "cv", "ltla", GEO)
    assert same.gap_verdict is None and "also the latest" in same.no_verdict
    empty = mr.indicator_report(series({2019: BASE}).iloc[0:0], None, 1, 2019, "cv", "ltla", GEO)
    assert empty.no_verdict == "No values at this level." and empty.table.empty


def test_regions_level_is_not_decomposed_and_totals_have_no_comparator():
    r = mr.indicator_report(
        series({2019: BASE, 2021: LATER}), comparators(), 1, 2019, "cv", "rgn", GEO, standardised=False
    )
    assert not r.decomposed and r.table["share_between"].isna().all()
    assert r.comparator_name is None and r.totals


def test_ratio_falls_back_when_undefined_in_every_period():
    neg = [-3, -2, -1, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    r = mr.indicator_report(series({2019: neg}), None, 1, 2019, "top_rest_ratio", "ltla", GEO)
    assert r.measure == "top_rest_diff"


def test_unknown_measure():
    with pytest.raises(KeyError):
        mr.indicator_report(series({2019: BASE}), None, 1, 2019, "gini", "ltla", GEO)


# ---------------------------------------------------------------------------------------------
# Words and numbers
# ---------------------------------------------------------------------------------------------


def test_format_measure_and_changes():
    assert mr.format_measure(1.23456, "top_rest_ratio", META) == "1.23"
    assert mr.format_measure(0.12345, "cv", META) == "0.123"
    assert mr.format_measure(-12.4, "top_rest_diff", META) == "-£12"
    assert mr.format_measure(5.25, "p90_p10_diff", PCT) == "5.3 pp"
    assert mr.format_measure(math.nan, "cv", META) == "–"
    assert mr.format_delta(-0.84, PCT) == "−0.8 pp"
    assert mr.format_delta(23.4, META) == "+£23"
    assert mr.format_measure_change(0.0123, "top_rest_ratio", META) == "+0.012"
    assert mr.format_measure_change(-1.5, "top_rest_diff", PCT) == "−1.5 pp"
    assert mr.share_text(0.2849) == "28%" and mr.share_text(None) == "–"


def verdict(word="no test possible", tested=False, change=math.nan, **fields) -> Verdict:
    """A verdict with only the fields a test names."""
    nan = math.nan
    defaults = dict(measure="median", requested_measure="median", base=nan, now=nan, ci_low=nan, ci_high=nan)
    defaults.update(n_boot=0, reason="", note="", direction="", confidence=0.95, share_with_ci=0.0)
    defaults.update(share_with_ci_base=0.0, share_with_ci_now=0.0, n_base=0, n_now=0)
    return Verdict(verdict=word, tested=tested, change=change, **{**defaults, **fields})


def test_gap_sentence_says_which_way_the_gap_moved():
    closer = verdict(measure="top_rest_ratio", base=0.568, now=0.577, change=-0.009)
    assert mr.gap_sentence(closer, META) == (
        "The top 10% of areas / the rest went from 0.57 to 0.58: closer to 1, where there would be no gap."
    )
    further = verdict(measure="cv", base=0.1, now=0.2, change=0.1)
    assert "further from 0" in mr.gap_sentence(further, META)
    assert "could not be calculated" in mr.gap_sentence(verdict(measure="cv", base=0.1, now=0.2), META)


def test_verdict_words():
    assert mr.verdict_words(None, "gap") == ("no verdict", "none", "")
    assert mr.verdict_words(verdict("better", True, 1), "median") == (
        "better",
        "good",
        "",
    )
    assert mr.verdict_words(verdict("gap widening", True, 1), "gap")[1] == "bad"
    untested = verdict("no test possible", False, 2.0)
    assert mr.verdict_words(untested, "median") == ("no test possible", "untested", "rose, not tested")


def test_summary_row():
    s = series({2019: BASE, 2021: LATER}, half_width=0.01)
    rep = mr.indicator_report(s, None, 1, 2019, "p90_p10_diff", "utla", GEO, n_boot=200, band_boot=200)
    row = mr.summary_row({**META, "nations": ["E"]}, rep, "utla", "ltla")
    assert row["periods"] == "2019 → 2021"
    assert row["median_base"] == "£16" and row["median_now"] == "£16"  # 15.5 rounds half up
    assert row["gap_base"] == "£9" and row["gap_now"] == "£7"  # 8.8 and 6.8
    assert row["gap_word"] == "gap narrowing" and row["gap_tone"] == "good"
    assert row["notes"][0] == "Shown for upper-tier areas (none for lower-tier areas)"
    assert "England only" in row["notes"]
    assert row["gap_measure"] == gaps.MEASURES["p90_p10_diff"]["label"]
    single = mr.summary_row(
        META, mr.indicator_report(series({2021: LATER}), None, 1, 2019, "cv", "ltla", GEO), "ltla", "ltla"
    )
    assert single["median_word"] == "no verdict" and single["median_now"] == "£16"
    assert single["gap_now"] == mr.format_measure(gaps.coefficient_of_variation(LATER), "cv", META)


def test_summary_record_is_unrounded():
    s = series({2019: BASE, 2021: LATER}, half_width=0.01)
    rep = mr.indicator_report(s, None, 1, 2019, "p90_p10_diff", "ltla", GEO, n_boot=200, band_boot=200)
    rec = mr.summary_record("pay", META, rep, "ltla")
    assert rec["gap_baseline"] == pytest.approx(8.8) and rec["gap_latest"] == pytest.approx(6.8)
    assert rec["gap_distance_change"] == pytest.approx(-2.0)
    assert rec["gap_verdict"] == "gap narrowing" and rec["median_verdict"] == "no clear change"
    assert rec["baseline_period"] == STARTS[2019] and rec["latest_period"] == STARTS[2021]
    assert rec["gap_change_ci_low"] < rec["gap_change_ci_high"] < 0
    one = mr.summary_record("pay", META, mr.indicator_report(series({2021: LATER}), None, 1), "ltla")
    assert one["gap_verdict"] == "no verdict" and math.isnan(one["gap_baseline"])
    assert "one period" in one["why_no_verdict"]
