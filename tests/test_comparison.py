"""The compare table, its chart rows and sentences on a hand-made period of five areas.

Lower-tier values (one period): Anglesey 62.0, Hull 54.0, Burnley 52.0, Blackpool 51.8,
Middlesbrough suppressed (u). Comparators: UK 60.9, England 61.3, Wales 58.5, North West 59.2.
Blackpool's similar areas: Burnley, Hull, Middlesbrough (no value) -> mean of two = 53.0.
"""

import math

import pandas as pd
import pytest

from lumap.analysis.comparison import chart_rows, compare_table, pick_comparator, sentence, status_reason

NAN = float("nan")
GEO = {
    "K02000001": {"areanm": "United Kingdom", "parents": []},
    "E92000001": {"areanm": "England", "parents": ["K02000001"]},
    "W92000004": {"areanm": "Wales", "parents": ["K02000001"]},
    "E12000002": {"areanm": "North West", "parents": ["E92000001"]},
    "E06000009": {"areanm": "Blackpool", "parents": ["E12000002"]},
    "E07000117": {"areanm": "Burnley", "parents": ["E12000002"]},
    "W06000001": {"areanm": "Isle of Anglesey", "parents": ["W92000004"]},
}
SIMILAR = {"E06000009": {"global": ["E07000117", "E06000010", "E06000002"]}}
META = {"label": "Female healthy life expectancy", "subtext": "years", "decimals": 1, "polarity": 1}


def level_frame():
    rows = [
        ("E06000009", "Blackpool", 51.8, 49.9, 53.7, "", ""),
        ("E07000117", "Burnley", 52.0, 49.0, 55.0, "", ""),
        ("W06000001", "Isle of Anglesey", 62.0, 59.0, 65.0, "", ""),
        ("E06000010", "Kingston upon Hull, City of", 54.0, 52.0, 56.0, "", ""),
        ("E06000002", "Middlesbrough", NAN, NAN, NAN, "u", ""),
    ]
    return pd.DataFrame(rows, columns=["areacd", "areanm", "value", "lci_95", "uci_95", "status", "notes"])


def all_codes():
    extra = pd.DataFrame(
        [
            ("K02000001", "United Kingdom", 60.9, 60.7, 61.2, "", ""),
            ("E92000001", "England", 61.3, 61.0, 61.6, "", ""),
            ("W92000004", "Wales", 58.5, 57.6, 59.4, "", ""),
            ("E12000002", "North West", 59.2, 58.4, 60.0, "", ""),
        ],
        columns=level_frame().columns,
    )
    return pd.concat([extra, level_frame()], ignore_index=True)


@pytest.fixture()
def table():
    return compare_table(
        level_frame(),
        all_codes(),
        ["E06000009", "W06000001", "E06000002", "E99999999"],
        GEO,
        SIMILAR,
        polarity=1,
    )


def test_rows_in_the_order_given_absent_codes_skipped(table):
    assert list(table["areacd"]) == ["E06000009", "W06000001", "E06000002"]


def test_values_and_ranks_come_unrounded_from_the_frame(table):
    bp = table.iloc[0]
    assert bp["value"] == 51.8 and bp["lci_95"] == 49.9 and bp["uci_95"] == 53.7
    # Hand: 62.0 > 54.0 > 52.0 > 51.8 -> Blackpool 4th of the 4 areas with a value
    assert (bp["rank"], bp["n"]) == (4, 4)
    assert table.iloc[1]["rank"] == 1
    assert pd.isna(table.iloc[2]["rank"]) and table.iloc[2]["n"] == 4


def test_comparators_and_significance(table):
    bp = table.iloc[0]
    assert (bp["uk_code"], bp["uk_value"]) == ("K02000001", 60.9)
    assert bp["uk_difference"] == pytest.approx(51.8 - 60.9)
    assert bp["uk_word"] == "significantly worse"  # 60.9 is outside 49.9-53.7
    assert (bp["country_name"], bp["country_value"]) == ("England", 61.3)
    assert (bp["region_name"], bp["region_value"]) == ("North West", 59.2)
    # similar: mean of Burnley 52.0 and Hull 54.0 (Middlesbrough has no value) = 53.0,
    # inside Blackpool's interval -> not significant
    assert bp["similar_value"] == pytest.approx(53.0) and bp["similar_n"] == 2
    assert bp["similar_word"] == "not significantly different"
    assert (bp["uk_lci_95"], bp["uk_uci_95"]) == (60.7, 61.2)


def test_welsh_region_is_wales_and_no_similar_areas_stays_empty(table):
    an = table.iloc[1]
    assert an["uk_word"] == "not significantly different"  # 60.9 inside 59-65
    assert an["country_word"] == "significantly better"  # 58.5 below 59
    assert (an["region_code"], an["region_value"]) == ("W92000004", 58.5)
    assert pd.isna(an["similar_code"]) and math.isnan(an["similar_value"]) and pd.isna(an["similar_word"])


def test_pick_comparator_fallbacks():
    comps = [{"key": "uk", "value": 1.0}, {"key": "country", "value": 2.0}]
    assert pick_comparator(comps, "region")["key"] == "country"
    assert pick_comparator(comps, "similar") is None
    assert pick_comparator([{"key": "country", "value": 2.0}], "uk")["key"] == "country"


def test_sentence_matches_the_issue_wording(table):
    s = sentence(table.iloc[0], META, "uk", "2022-24", "lower-tier areas")
    assert s == (
        "Blackpool's female healthy life expectancy (2022-24) is 51.8 years, 9.1 years below "
        "the UK's 60.9 years — significantly worse; the lowest of the 4 lower-tier areas with data."
    )


def test_sentence_against_similar_areas_and_fallback(table):
    s = sentence(table.iloc[0], META, "similar", "2022-24", "lower-tier areas")
    assert "1.2 years below the average of 2 similar areas (53.0 years) — not significantly different" in s
    # Anglesey has no similar areas: the sentence uses the UK and says so by name
    s = sentence(table.iloc[1], META, "similar", "2022-24", "lower-tier areas")
    assert "1.1 years above the UK's 60.9" in s and "the highest of the 4" in s


def test_sentence_for_a_suppressed_value_gives_the_reason(table):
    s = sentence(table.iloc[2], META, "uk", "2022-24", "lower-tier areas")
    assert s == (
        "Middlesbrough has no published figure for female healthy life expectancy (2022-24); "
        "the source marks it “low reliability”."
    )


def test_status_reason():
    assert status_reason("u") == "low reliability"
    assert status_reason("x", "Data not available") == "unavailable: Data not available"
    assert status_reason("c", "Obsolete code since 2023 (replaced by E06000063 Cumberland)") == "confidential"
    assert status_reason("", "") == "not published"
    assert status_reason(NAN, None) == "not published"


def test_chart_rows_list_each_comparator_once(table):
    rows = chart_rows(table, ["uk", "region"])
    assert list(rows["code"][:3]) == ["E06000009", "W06000001", "E06000002"]
    assert list(rows["kind"][:3]) == ["area"] * 3
    # UK once; regions: North West, Wales; Middlesbrough (not in geo) falls back to England
    assert list(zip(rows["code"][3:], rows["kind"][3:], strict=True)) == [
        ("K02000001", "uk"),
        ("E12000002", "region"),
        ("W92000004", "region"),
        ("E92000001", "region"),
    ]
    assert rows.loc[rows["code"] == "K02000001", "lci_95"].iloc[0] == 60.7
    assert list(chart_rows(table, [])["kind"]) == ["area"] * 3
