"""The area profile's numbers and words, on hand-made frames with values worked out by hand."""

import math

import pandas as pd
import pytest

from lumap.analysis import profile as pf
from lumap.analysis import profiletext as pt
from lumap.analysis.ranks import rank_table
from lumap.analysis.significance import UNTESTED

NAN = float("nan")
UK, ENG, NE = "K02000001", "E92000001", "E12000001"
A, B, C, D = "E06000001", "E06000002", "E06000003", "E07000004"
GEO = {
    A: {"areanm": "Alpha", "parents": [NE]},
    NE: {"areanm": "North East", "parents": [ENG]},
    ENG: {"areanm": "England", "parents": [UK]},
    UK: {"areanm": "United Kingdom", "parents": []},
}
PERIODS = [
    {"period": "2018", "label": "2018", "start": "2018-01-01", "start_year": 2018},
    {"period": "2019", "label": "2019", "start": "2019-01-01", "start_year": 2019},
    {"period": "2023", "label": "2023", "start": "2023-01-01", "start_year": 2023},
    {"period": "2024", "label": "2024", "start": "2024-01-01", "start_year": 2024},
]
META = {
    "pay": {
        "label": "Weekly pay",
        "prefix": "GBPSign",
        "decimals": 0,
        "polarity": 1,
        "mission": 1,
        "topic": "economy",
        "periods": PERIODS,
    },
    "rate": {
        "label": "Smoking rate",
        "suffix": "%",
        "decimals": 1,
        "polarity": -1,
        "mission": None,
        "topic": "health",
        "periods": PERIODS,
    },
}


def obs(indicator, areacd, period, value, lci=NAN, uci=NAN, status="", notes=""):
    p = next(x for x in PERIODS if x["period"] == period)
    return {
        "indicator": indicator,
        "areacd": areacd,
        "areanm": GEO.get(areacd, {}).get("areanm", areacd),
        "period": period,
        "period_label": p["label"],
        "start_year": p["start_year"],
        "start": pd.Timestamp(p["start"]),
        "value": value,
        "lci_95": lci,
        "uci_95": uci,
        "status": status,
        "notes": notes,
    }


def context(similar=(B, C)):
    """Alpha (E06) with its comparators and two similar areas; a lower-tier table of four areas."""
    rows = pd.DataFrame(
        [
            # pay: Alpha 2018, 2019, 2023, 2024 (2024 with an interval)
            obs("pay", A, "2018", 400.0),
            obs("pay", A, "2019", 450.0),
            obs("pay", A, "2023", 480.0),
            obs("pay", A, "2024", 520.25, 500.0, 540.5),
            obs("pay", UK, "2024", 600.5),
            obs("pay", ENG, "2024", 610.0),
            obs("pay", NE, "2024", 530.0),
            obs("pay", B, "2024", 300.0),
            obs("pay", C, "2024", 420.0),
            # rate: Alpha's latest is suppressed
            obs("rate", A, "2023", 14.0),
            obs("rate", A, "2024", NAN, status="c"),
            obs("rate", UK, "2024", 12.0),
        ]
    )
    ltla = pd.DataFrame(
        [
            obs("pay", A, "2019", 450.0),
            obs("pay", B, "2019", 500.0),
            obs("pay", C, "2019", 450.0),
            obs("pay", D, "2019", 700.0),
            obs("pay", A, "2024", 520.25),
            obs("pay", B, "2024", 300.0),
            obs("pay", C, "2024", 420.0),
            obs("pay", D, "2024", 800.0),
            obs("rate", A, "2023", 14.0),
            obs("rate", B, "2023", 10.0),
            obs("rate", A, "2024", NAN, status="c"),
            obs("rate", B, "2024", 9.0),
        ]
    )
    levels = {"ltla": pf.LevelIndex(ltla, "ltla"), "utla": pf.LevelIndex(ltla[ltla["areacd"] != D], "utla")}
    return pf.AreaContext(A, "Alpha", rows, levels, GEO, list(similar))


# ---- ranks ---------------------------------------------------------------------------------


def test_rank_by_group_matches_rank_table_per_group():
    frame = pd.DataFrame(
        {
            "indicator": ["x"] * 5 + ["y"] * 3,
            "period": ["p"] * 5 + ["p"] * 3,
            "areacd": list("ABCDE") + list("ABC"),
            "areanm": list("ABCDE") + list("ABC"),
            "value": [10.0, 30.0, 20.0, 30.0, NAN, 0.1 + 0.2, 0.3, 1.0],
        }
    )
    out = pf.rank_by_group(frame)
    # x: 30, 30 share rank 1; 20 -> 3; 10 -> 4; missing -> <NA>; n = 4
    x = out[out["indicator"] == "x"].set_index("areacd")
    assert [x.at[c, "rank"] for c in "BDCA"] == [1, 1, 3, 4]
    assert pd.isna(x.at["E", "rank"]) and (x["n"] == 4).all()
    # y: 0.1+0.2 ties with 0.3 (float artefact), both 2nd after 1.0; n = 3
    y = out[out["indicator"] == "y"].set_index("areacd")
    assert [y.at[c, "rank"] for c in "CAB"] == [1, 2, 2] and (y["n"] == 3).all()
    ref = rank_table(frame[frame["indicator"] == "x"]).set_index("areacd")["rank"]
    assert x["rank"].sort_index().equals(ref.sort_index())


def test_level_index_lookups():
    li = context().levels["ltla"]
    s = li.slice("pay", "2024")
    assert sorted(s["areacd"]) == [A, B, C, D] and (s["n"] == 4).all()
    assert dict(zip(s["areacd"], s["rank"], strict=True))[A] == 2  # 800 > 520.25 > 420 > 300
    assert li.slice("pay", "1999").empty and li.area("nope").empty
    assert set(li.area(A)["indicator"]) == {"pay", "rate"}
    assert li.has_prefix("pay", "E07") and not li.has_prefix("rate", "E07")


def test_rank_levels_order():
    assert pf.rank_levels("E06000009") == ["ltla", "utla"]
    assert pf.rank_levels("E10000006") == ["utla"]
    assert pf.rank_levels("E47000001") == ["cauth"]
    assert pf.rank_levels("E12000002") == ["rgn"]
    assert pf.rank_levels("W92000004") == ["ctry", "rgn"]  # a nation is ranked among countries
    assert pf.rank_levels("K02000001") == []


def test_upper_tier_only_indicator_is_ranked_among_upper_tier_areas():
    ctx = context()
    assert ctx.rank_level("pay") == "ltla"  # published for a district (E07): lower tier
    assert ctx.rank_level("rate") == "utla"  # no E07 rows anywhere: upper tier
    r = ctx.rank("rate", "2023")
    assert (r.level, r.rank, r.n, r.tied) == ("utla", 1, 2, 1)  # 14 > 10


# ---- one indicator row ---------------------------------------------------------------------


def test_indicator_row_numbers_by_hand():
    ctx = context()
    r = pf.indicator_row(ctx, "pay", META["pay"])
    assert r["period"] == "2024" and r["value"] == 520.25 and r["lci_95"] == 500.0
    assert (r["level"], r["rank"], r["n"]) == ("ltla", 2, 4)
    assert (r["uk_value"], r["country_value"], r["region_value"]) == (600.5, 610.0, 530.0)
    # UK 600.5 outside [500, 540.5]; higher is better -> significantly worse
    assert r["uk_vs"] == "significantly worse" and r["uk_significant"] is True
    # North East 530 inside the interval -> not significant
    assert r["region_vs"] == "not significantly different" and r["region_significant"] is False
    # similar: mean of B 300 and C 420 = 360, n = 2; 360 below the interval -> better
    assert r["similar_value"] == 360.0 and r["similar_n"] == 2 and r["similar_vs"] == "significantly better"
    # previous period 2023 (480): +40.25, +8.385...%; five years: 2024-5 = 2019 -> 450: +70.25
    assert r["prev_period_label"] == "2023" and r["prev_change"] == pytest.approx(40.25)
    assert r["prev_percent"] == pytest.approx(40.25 / 480 * 100)
    assert r["y5_period_label"] == "2019" and r["y5_change"] == pytest.approx(70.25)
    assert r["spark"] == [400.0, 450.0, 480.0, 520.25]
    assert r["national"] == "uk"
    assert r["sentence"] == (
        "Alpha's weekly pay (2024) is £520, £80 below the UK's £601 — significantly "
        "worse; 2nd highest of the 4 lower-tier areas with data."
    )


def test_indicator_row_suppressed_latest_and_untested():
    r = pf.indicator_row(context(), "rate", META["rate"])
    assert r["period"] == "2024" and math.isnan(r["value"]) and r["status"] == "c"
    assert r["rank"] is None and r["n"] == 1  # ranked among the areas that do have a value
    assert r["uk_vs"] == "no data to compare" and r["uk_value"] == 12.0
    assert math.isnan(r["prev_change"])  # no change to a suppressed value
    assert r["sentence"] == "Alpha has no published figure for smoking rate (2024)."
    # an earlier period on request: no interval -> untested, lower is better -> worse
    r = pf.indicator_row(context(), "rate", META["rate"], "2023")
    assert r["value"] == 14.0 and (r["rank"], r["n"], r["level"]) == (1, 2, "utla")
    assert math.isnan(r["uk_value"]) and r["uk_vs"] is None  # the UK has no 2023 figure


def test_indicator_row_none_without_rows_and_chosen_period_without_value():
    ctx = context()
    assert pf.indicator_row(ctx, "nothing", {"label": "x", "periods": []}) is None
    r = pf.indicator_row(ctx, "pay", META["pay"], "2099")
    assert math.isnan(r["value"]) and r["period"] == "2099"


def test_build_profile_groups_by_mission_then_topic():
    p = pf.build_profile(context(), META, {1: "Living standards"})
    assert list(p["indicator"]) == ["pay", "rate"]
    assert list(p["group"]) == ["Mission 1 · Living standards", "Other indicators · Health"]
    exp = pf.export_frame(p)
    assert list(exp.columns) == pf.EXPORT_COLUMNS
    assert exp.loc[0, "value"] == 520.25 and exp.loc[0, "uk_value"] == 600.5  # unrounded


# ---- closing the gap ------------------------------------------------------------------------


def test_closing_gap_by_hand():
    ctx = context()
    profile = pf.build_profile(ctx, META)
    gap = pf.closing_gap(ctx, profile, META)
    assert list(gap["indicator"]) == ["pay"]  # "rate" has no mission
    g = gap.iloc[0]
    # 4 areas -> top tenth = ceil(4/10) = 1 area: the best value.
    # 2019: top 700, Alpha 450 -> 250 behind; 2024: top 800, Alpha 520.25 -> 279.75 behind
    assert g["base_period"] == "2019" and g["now_period"] == "2024"
    assert g["base_shortfall"] == pytest.approx(250) and g["now_shortfall"] == pytest.approx(279.75)
    assert g["change"] == pytest.approx(29.75) and g["direction"] == "widening"
    words = pt.gap_table(gap, META).iloc[0]
    assert (words["Gap then"], words["Gap now"]) == ("£250 behind", "£280 behind")
    assert words["Verdict"] == "falling further behind (by £30)"
    assert words["Top tenth now"] == "£800"


def test_gap_words():
    m = META["rate"]
    assert pt.gap_words(2.34, False, m) == "2.3 percentage points behind"
    assert pt.gap_words(2.34, False, m, short=True) == "2.3 pts behind"
    assert pt.gap_words(-1.0, False, m) == "1.0 percentage points ahead"
    assert pt.gap_words(0.04, False, m) == "level"
    assert pt.gap_words(1.0, True, m) == "in the top tenth"
    assert pt.gap_words(NAN, None, m) == "no value"
    assert pt.gap_direction_words(-0.5, 1.0, m, True) == "closing the gap (by 0.5 pts)"
    assert pt.gap_direction_words(0.5, 1.0, m, True) == "falling further behind (by 0.5 pts)"
    assert pt.gap_direction_words(-0.5, -2.0, m, True) == "further ahead (by 0.5 pts)"
    assert pt.gap_direction_words(0.5, -1.0, m, True) == "lead narrowed (by 0.5 pts)"
    assert pt.gap_direction_words(0.01, 1.0, m) == "about the same distance"
    assert pt.gap_direction_words(NAN, 1.0, m) == "not known"


# ---- words ----------------------------------------------------------------------------------


def test_rank_text():
    assert pt.rank_text(12, 361, "ltla", "ltla") == "12th highest of 361"
    assert pt.rank_text(1, 216, "utla", "ltla") == "1st highest of 216 upper-tier areas"
    assert pt.rank_text(None, 361, "ltla", "ltla") == "not ranked"
    assert pt.rank_text(pd.NA, 0, None, "ltla") == "not ranked"
    assert pt.rank_text(None, 12, "ltla", "ltla", "replaced") == "not ranked (code replaced)"


def test_vs_text():
    assert pt.vs_text(f"worse ({UNTESTED})") == "worse (untested)"
    assert pt.vs_text("significantly better") == "significantly better"
    assert pt.vs_text("no data to compare") == "" and pt.vs_text(None) == ""


def test_change_text_polarity_and_units():
    assert pt.change_text(12.4, "2024", META["pay"]) == "+£12 (better) since 2024"
    assert pt.change_text(-0.44, "2019", META["rate"], short=True) == "−0.4 pts (better) since 2019"
    assert pt.change_text(0.04, "2019", META["rate"]) == "no change since 2019"
    neutral = {**META["rate"], "polarity": 0}
    assert pt.change_text(1.0, "2019", neutral) == "+1.0 percentage points since 2019"
    assert pt.change_text(NAN, "2019", META["pay"]) == "" and pt.change_text(1.0, None, META["pay"]) == ""


def test_value_text_suppressed_with_reason():
    assert pt.value_text(520.25, "", "", META["pay"]) == "£520"
    assert pt.value_text(NAN, "c", "", META["pay"]) == "suppressed: confidential"
    assert pt.value_text(NAN, "u", "small sample", META["pay"]) == "suppressed: low reliability: small sample"
    assert pt.value_text(NAN, "", "", META["pay"]) == "no value"


def test_summary_counts():
    rows = [
        {"national": "uk", "uk_significant": True, "uk_judgement": "worse"},
        {"national": "uk", "uk_significant": True, "uk_judgement": "better"},
        {"national": "country", "country_significant": True, "country_judgement": "higher"},
        {"national": "uk", "uk_significant": False, "uk_judgement": "similar"},
        {"national": "uk", "uk_significant": None, "uk_judgement": "worse"},
        {"national": "uk", "uk_significant": None, "uk_judgement": None},  # no data: not counted
        {"national": "region", "region_significant": True, "region_judgement": "worse"},  # not national
    ]
    assert pt.summary_counts(pd.DataFrame(rows)) == {
        "significantly better": 1,
        "significantly worse": 1,
        "significantly different": 1,
        "not significantly different": 1,
        "untested": 1,
    }


def test_display_table_words_and_empty_columns_dropped():
    p = pf.build_profile(context(similar=()), META, {1: "Living standards"})
    t = pt.display_table(p, META)
    assert "Similar areas" not in t.columns  # no similar areas -> no column
    # narrow enough for 1400 px (#8.8): the UK only; country, region and similar areas are in
    # the selected indicator's card
    assert "UK" in t.columns and not {"England", "North East"} & set(t.columns)
    pay = t.iloc[0]
    assert (
        pay["Value"] == "£520" and pay["Rank"] == "2nd highest of 4" and pay["vs UK"] == "significantly worse"
    )
    assert pay["UK"] == "£601" and "Trend" not in t.columns  # the glance draws the real points
    assert pay["Change"].startswith("+£40 (better) since 2023")  # since the previous period first
    rate = t.iloc[1]
    assert rate["Value"] == "suppressed: confidential" and rate["Rank"] == "not ranked"


# ---- boundary changes ---------------------------------------------------------


def test_boundary_changes_both_directions():
    succ = {"E07000026": ["E06000063"], "E10000006": ["E06000063", "E06000064"]}
    geo = {"E07000026": {"end": 2022}, "E06000063": {"start": 2023}}
    old = pf.boundary_changes("E07000026", succ, geo)
    assert old["replaced_by"] == ["E06000063"] and old["replaced"] == [] and old["end"] == 2022
    new = pf.boundary_changes("E06000063", succ, geo)
    assert new["replaced"] == ["E07000026", "E10000006"] and new["replaced_by"] == [] and new["start"] == 2023
    assert pf.boundary_changes("E06000009", succ, geo) == {
        "replaced_by": [],
        "replaced": [],
        "start": None,
        "end": None,
    }


def test_context_comparators_equal_comparator_values():
    """The dict-lookup comparators give exactly what comparators.comparator_values gives."""
    from lumap.analysis.comparators import comparator_values

    for similar in ((B, C), (), (A, B, "E06000099")):
        ctx = context(similar)
        for slug in ("pay", "rate"):
            for period in ("2018", "2019", "2023", "2024", "1999"):
                fast = ctx.comparators(slug, period)
                slow = comparator_values(ctx.period_rows(slug, period), A, GEO, list(similar))
                assert nan_free(fast) == nan_free(slow), (similar, slug, period)


def nan_free(comps):
    """NaN never equals NaN: compare with None in its place."""
    return [{k: (None if isinstance(v, float) and v != v else v) for k, v in c.items()} for c in comps]


def test_replaced_code_with_a_value_but_no_rank_says_why():
    ctx = context()
    ctx.replaced = True
    r = pf.indicator_row(ctx, "pay", META["pay"], "2018")  # 2018 is not in the lower-tier table
    assert r["value"] == 400.0 and r["rank"] is None and r["rank_note"] == "replaced"
    assert pf.indicator_row(context(), "pay", META["pay"], "2018")["rank_note"] == ""


def test_row_change_feeds_change_sentence():
    from lumap.analysis.sentences import change_sentence

    r = pf.indicator_row(context(), "pay", META["pay"])
    ch = pf.row_change(r, "prev")
    assert (ch["from_value"], ch["to_value"], ch["from_period_label"]) == (480.0, 520.25, "2023")
    # +£40.25 from £480: +8.4%
    assert change_sentence("Alpha", META["pay"], ch) == "Up from £480 in 2023 to £520 in 2024 (+£40, +8.4%)."
    assert pf.row_change(pf.indicator_row(context(), "rate", META["rate"]), "prev") is None
