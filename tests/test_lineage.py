"""The one "same place" rule (lumap.data.lineage) and how rows fold onto the current code."""

import pandas as pd
import pytest
import shapely

from lumap.data import boundaries as B
from lumap.data import lineage as L
from lumap.data.store import Store


def names(code):
    return {"OLD": "Sheffield", "NEW": "Sheffield", "A": "Allerdale", "C": "Cumberland"}.get(code, code)


def test_a_one_to_one_recode_with_the_same_boundary_is_the_same_place():
    conts = L.continuations({"OLD": ["NEW"]}, {"OLD": {"NEW": [1.0, 0.999]}}, names)
    assert conts["OLD"] == L.Continuation("OLD", "NEW", 1.0, 0.999, "boundary")
    assert L.current_code("OLD", conts) == "NEW" and L.earlier_codes("NEW", conts) == ["OLD"]


def test_shares_below_95_percent_either_way_are_not():
    assert not L.continuations({"OLD": ["NEW"]}, {"OLD": {"NEW": [1.0, 0.94]}}, names)
    assert not L.continuations({"OLD": ["NEW"]}, {"OLD": {"NEW": [0.94, 1.0]}}, names)


def test_a_merger_is_not_even_where_one_predecessor_has_the_same_outline():
    # a county and its districts merged into a unitary authority: the county's outline is
    # the new one's (1.0 / 1.0), but the new code has several predecessors
    succ = {"COUNTY": ["UA"], "D1": ["UA"], "D2": ["UA"]}
    overlaps = {"COUNTY": {"UA": [1.0, 1.0]}, "D1": {"UA": [1.0, 0.4]}, "D2": {"UA": [1.0, 0.6]}}
    assert L.continuations(succ, overlaps, names) == {}
    # a split: one old code, two successors
    assert L.continuations({"CTY": ["N", "S"]}, {"CTY": {"N": [0.5, 1], "S": [0.5, 1]}}, names) == {}


def test_without_a_boundary_a_one_to_one_note_keeps_the_place_only_under_the_same_name():
    got = L.continuations({"OLD": ["NEW"]}, {}, names)
    assert got["OLD"].basis == "name" and got["OLD"].words().startswith("same name")
    assert L.continuations({"A": ["C"]}, {}, names) == {}  # renamed as well: not the same place


def test_overlaps_are_measured_both_ways_at_build_time():
    def b(code, box, start=None, end=None):
        return B.Boundary(code, code, start, end, shapely.box(*box))

    level = [
        b("OLD", (0, 0, 1, 1), end=2024),
        b("NEW", (0, 0, 1, 1.02), start=2025),
        b("BIG", (0, 0, 4, 1), start=2025),
    ]
    got = B.successor_overlaps({"ltla": level})
    assert got["OLD"]["NEW"] == [1.0, round(1 / 1.02, 4)]
    assert got["OLD"]["BIG"] == [1.0, 0.25]
    assert B.find_successors({"ltla": level}) == {"OLD": ["BIG", "NEW"]}


def frame(rows):
    return pd.DataFrame(rows, columns=["areacd", "areanm", "period", "value"])


CONTS = {"OLD": L.Continuation("OLD", "NEW", 1.0, 1.0, "boundary")}


def test_fold_shows_the_old_codes_value_under_the_current_code():
    f = frame(
        [
            ["OLD", "Sheffield", "2024", 583.3],
            ["NEW", "Sheffield", "2024", None],
            ["X", "Leeds", "2024", 600.0],
        ]
    )
    out = L.fold(f, CONTS, names)
    assert list(out["areacd"]) == ["NEW", "X"]
    assert out.set_index("areacd").loc["NEW", "value"] == 583.3
    assert out.set_index("areacd").loc["NEW", L.SOURCE_CODE] == "OLD"
    assert out.set_index("areacd").loc["X", L.SOURCE_CODE] == "X"


def test_fold_prefers_the_current_codes_own_value_and_keeps_every_period():
    f = frame(
        [
            ["OLD", "Sheffield", "2023", 1.0],
            ["OLD", "Sheffield", "2024", 2.0],
            ["NEW", "Sheffield", "2024", 2.5],
        ]
    )
    out = L.fold(f, CONTS, names)
    assert list(zip(out["period"], out["value"], out[L.SOURCE_CODE], strict=True)) == [
        ("2023", 1.0, "OLD"),
        ("2024", 2.5, "NEW"),
    ]
    assert set(out["areacd"]) == {"NEW"}


@pytest.fixture(scope="module")
def store(real_store_dir):
    return Store(real_store_dir)


def test_real_store_sheffield_and_barnsley_are_one_place_each_mergers_are_not(store):
    conts = store.continuations
    assert conts["E08000019"].new == "E08000039" and conts["E08000019"].basis == "boundary"
    assert conts["E08000016"].new == "E08000038"
    assert min(conts["E08000019"].old_share, conts["E08000019"].new_share) >= L.SAME_PLACE_SHARE
    for merged in [
        "E07000026",  # Allerdale -> Cumberland
        "E10000006",  # Cumbria -> Cumberland, Westmorland and Furness
        "E10000002",  # Buckinghamshire county -> Buckinghamshire UA (with its districts)
        "E10000027",  # Somerset county -> Somerset UA
        "E10000009",  # Dorset county -> Dorset UA
        "E07000190",  # Taunton Deane -> Somerset West and Taunton
        "E07000150",  # Corby -> North Northamptonshire
    ]:
        assert merged not in conts, merged
    # no boundary in the source: one-to-one notes keeping the name
    assert conts["E06000048"].new == "E06000057" and conts["E06000048"].basis == "name"
    # the boundaries win over a note naming too many successors
    assert store.successors["S12000024"] == ["S12000048"]
    assert store.current_code("S12000024") == "S12000048"


def test_real_store_values_show_sheffield_once_under_its_current_code(store):
    pay = "gross-median-weekly-pay"
    v = store.values(pay, "2025-04-30", "ltla").set_index("areacd")
    assert "E08000019" not in v.index
    assert v.loc["E08000039", "value"] == 606.6 and v.loc["E08000039", L.SOURCE_CODE] == "E08000019"
    raw = store.rows(pay)
    assert (
        float(raw[(raw["areacd"] == "E08000019") & (raw["period"] == "2025-04-30")]["value"].iloc[0]) == 606.6
    )
    series = store.series(pay, ["E08000039"])
    assert set(series["areacd"]) == {"E08000039"} and len(series) == len(raw[raw["areacd"] == "E08000019"])
