"""Trend frames: code changes joined, comparators, context, index to a base year (hand-made)."""

import pandas as pd
import pytest

from lumap.analysis.selection import merger_notes
from lumap.analysis.trends import (
    code_changes,
    comparator_codes,
    display_names,
    indexed,
    keep_one_code,
    trend_frames,
)
from lumap.data.lineage import SOURCE_CODE, Continuation

NAN = float("nan")
OLD, MID, NEW = "E07000001", "E07000002", "E06000001"
A, B, AB = "E07000010", "E07000011", "E06000010"
SUCC = {OLD: [MID], MID: [NEW], A: [AB], B: [AB]}
NAMES = {
    OLD: "Old",
    MID: "Mid",
    NEW: "New",
    A: "Aville",
    B: "Bville",
    AB: "ABshire",
    "E06000050": "Context",
    "K02000001": "United Kingdom",
}


def rows(spec):
    """spec: [(code, year, value, lci, uci, status)] -> a series frame."""
    out = pd.DataFrame(spec, columns=["areacd", "start_year", "value", "lci_95", "uci_95", "status"])
    out["areanm"] = out["areacd"].map(NAMES)
    out["period"] = out["start_year"].astype(str)
    out["period_label"] = out["period"]
    out["start"] = pd.to_datetime(out["start_year"].astype(str) + "-01-01")
    out["notes"] = ""
    return out


def test_keep_one_code_only_drops_an_old_code_when_the_new_one_has_a_value():
    f = rows(
        [
            (OLD, 2020, 5.0, NAN, NAN, ""),
            (NEW, 2020, NAN, NAN, NAN, "x"),  # new row empty
            (OLD, 2021, 6.0, NAN, NAN, ""),
            (NEW, 2021, 7.0, NAN, NAN, ""),
        ]
    )  # both valued
    kept = keep_one_code(f, SUCC)
    assert list(zip(kept["areacd"], kept["start_year"], strict=True)) == [
        (OLD, 2020),
        (NEW, 2020),
        (NEW, 2021),
    ]
    assert keep_one_code(f, {}).equals(f)


def test_display_names_disambiguate_shared_names():
    names = display_names(
        ["E08000016", "E08000038", "E08000035"],
        {"E08000016": "Barnsley", "E08000038": "Barnsley", "E08000035": "Leeds"}.get,
    )
    assert names == {
        "E08000016": "Barnsley (E08000016)",
        "E08000038": "Barnsley (E08000038)",
        "E08000035": "Leeds",
    }


def test_a_merger_is_not_joined_but_named():
    # AB replaced A and B (a merger): a different area, so each keeps its own line
    notes = merger_notes([AB], SUCC, {}, NAMES, have={A, B, AB})
    assert notes == [
        f"ABshire ({AB}) replaced Aville ({A}) and Bville ({B}): a different area, so their earlier "
        "figures are not joined to it; add them to see their own."
    ]
    # a re-code that keeps the place is one series (lumap.data.lineage), not a merger
    conts = {OLD: Continuation(OLD, MID, 1.0, 1.0, "boundary")}
    assert merger_notes([MID], {OLD: [MID]}, conts, NAMES) == []
    assert merger_notes([AB], SUCC, {}, NAMES, have={AB}) == []  # no predecessor with data here


def test_comparator_codes_uk_then_regions_or_countries_without_uk():
    geo = {
        "E06000009": {"parents": ["E12000002"]},
        "E12000002": {"parents": ["E92000001"]},
        "E92000001": {"parents": ["K02000001"]},
        "W06000001": {"parents": ["W92000004"]},
    }
    sel = ["E06000009", "W06000001"]
    assert comparator_codes(sel, geo, {"K02000001", "E12000002", "W92000004"}) == [
        "K02000001",
        "E12000002",
        "W92000004",
    ]
    # England-only data: no UK value, so each area's country comes in
    assert comparator_codes(sel, geo, {"E92000001", "E12000002"}) == ["E92000001", "E12000002"]
    # a selected region is not its own comparator
    assert comparator_codes(["E12000002"], geo, {"K02000001", "E12000002"}, exclude=["E12000002"]) == [
        "K02000001"
    ]


def test_indexed_scales_values_and_limits_by_each_areas_base():
    f = rows(
        [
            (A, 2015, 200.0, 180.0, 220.0, ""),
            (A, 2016, 220.0, 200.0, 240.0, ""),
            (B, 2015, 0.0, NAN, NAN, ""),
            (B, 2016, 3.0, NAN, NAN, ""),
        ]
    )
    out = indexed(f, 2015)
    a = out[out["areacd"] == A]
    # Hand: 220/200*100 = 110; limits 180/200*100 = 90, 240/200*100 = 120
    assert list(a["index"]) == pytest.approx([100.0, 110.0])
    assert list(a["lci_index"]) == pytest.approx([90.0, 100.0])
    assert list(a["uci_index"]) == pytest.approx([110.0, 120.0])
    assert out[out["areacd"] == B]["index"].isna().all()  # base value 0: no index


def test_one_marker_where_the_series_moves_to_the_new_code():
    s = rows(
        [
            (NEW, 2020, 10.0, NAN, NAN, ""),
            (NEW, 2021, 12.0, NAN, NAN, ""),
            (NEW, 2022, NAN, NAN, NAN, "x"),
            (NEW, 2023, 16.0, NAN, NAN, ""),
        ]
    )
    s[SOURCE_CODE] = [OLD, OLD, NEW, NEW]
    markers = code_changes(s, "New", "value", NAMES.get)
    assert len(markers) == 1
    m = markers.iloc[0]
    assert (m["areacd"], m["y"], m["period_label"]) == (NEW, 16.0, "2023")
    assert (
        m["note"]
        == f"Code changed: New was published as {OLD} until 2021, as {NEW} from 2023 (the same place)"
    )
    s[SOURCE_CODE] = OLD  # every figure under the old code: nothing changes within the series
    assert code_changes(s, "New", "value", NAMES.get).empty


def test_trend_frames_split_areas_comparators_and_context():
    level = rows(
        [
            (A, 2020, 10.0, NAN, NAN, ""),
            (AB, 2021, 15.0, NAN, NAN, ""),
            ("E06000050", 2020, 1.0, NAN, NAN, ""),
            ("E06000050", 2021, 2.0, NAN, NAN, ""),
        ]
    )
    level[SOURCE_CODE] = level["areacd"]
    comps = rows([("K02000001", 2020, 11.0, NAN, NAN, ""), ("K02000001", 2021, 12.0, NAN, NAN, "")])
    fr = trend_frames(level, comps, [AB], NAMES.get)
    assert fr["selected"] == [AB]
    assert set(fr["areas"]["areacd"]) == {AB} and set(fr["areas"]["line"]) == {"ABshire"}
    assert set(fr["context"]["areacd"].unique()) == {A, "E06000050"}  # the merged area is context
    assert set(fr["comparators"]["line"]) == {"United Kingdom (comparator)"}
    assert fr["joins"].empty and fr["markers"].empty
    empty = trend_frames(level, comps, [], NAMES.get)
    assert empty["areas"].empty and len(empty["context"]) == 4 and empty["markers"].empty
