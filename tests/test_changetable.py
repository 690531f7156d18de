"""Tests for lumap.analysis.areagap (one area against the top tenth) and lumap.analysis.changetable.

Every expected number is worked out by hand in the comment next to it, on fixtures small
enough to check with pencil and paper.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from lumap.analysis import areagap, changetable

from .gapfixtures import ONE_TO_TEN, frame

# ---------------------------------------------------------------------------------------------
# area_distance_to_top / area_gap_change
# ---------------------------------------------------------------------------------------------


def test_area_distance_to_top_higher_is_better():
    f = frame(ONE_TO_TEN)  # E000 = 1, ..., E003 = 4, ..., E009 = 10
    r = areagap.area_distance_to_top(f, "E003", 1)
    # top mean 10; 4 - 10 = -6; -6 / 10 = -60%; 6 behind the top
    assert r["value"] == 4 and r["top_mean"] == pytest.approx(10)
    assert r["difference"] == pytest.approx(-6)
    assert r["pct_of_top"] == pytest.approx(-60)
    assert r["shortfall"] == pytest.approx(6)
    assert r["in_top_tenth"] is False
    top = areagap.area_distance_to_top(f, "E009", 1)
    assert top["in_top_tenth"] is True and top["shortfall"] == pytest.approx(0)


def test_area_distance_to_top_lower_is_better():
    r = areagap.area_distance_to_top(frame(ONE_TO_TEN), "E003", -1)
    # top mean = lowest tenth = 1; 4 - 1 = 3; 3 / 1 = 300%; shortfall 3 (above the best)
    assert r["top_mean"] == pytest.approx(1)
    assert r["difference"] == pytest.approx(3)
    assert r["pct_of_top"] == pytest.approx(300)
    assert r["shortfall"] == pytest.approx(3)
    assert areagap.area_distance_to_top(frame(ONE_TO_TEN), "E000", -1)["in_top_tenth"] is True


def test_area_distance_to_top_missing_area_or_value():
    f = frame([*ONE_TO_TEN, np.nan])  # E010 has no value
    for code in ("E010", "NOPE"):
        r = areagap.area_distance_to_top(f, code, 1)
        assert math.isnan(r["value"]) and math.isnan(r["difference"])
        assert math.isnan(r["pct_of_top"]) and r["in_top_tenth"] is None
        assert r["top_mean"] == pytest.approx(10)


def test_area_gap_change_closing():
    # base: area E003 = 4, top 10 -> shortfall 6. now: E003 = 7, top still 10 -> shortfall 3
    now = frame([1, 2, 3, 7, 5, 6, 7, 8, 9, 10])
    r = areagap.area_gap_change(frame(ONE_TO_TEN), now, "E003", 1)
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
    t = changetable.change_table(*_two_periods(), 1).set_index("areacd")
    # inner join: A, B, C. changes: A 12-10 = +2, B 15-20 = -5, C 3-0 = +3
    assert sorted(t.index) == ["A", "B", "C"]
    assert t.loc["A", "change"] == 2 and t.loc["B", "change"] == -5 and t.loc["C", "change"] == 3
    # improvement = change * +1; rank 1 = most improved: C (3), A (2), B (-5)
    assert t.loc["C", "rank"] == 1 and t.loc["A", "rank"] == 2 and t.loc["B", "rank"] == 3


def test_change_table_lower_is_better():
    t = changetable.change_table(*_two_periods(), -1).set_index("areacd")
    # improvement = change * -1: A -2, B +5, C -3 -> ranks B 1, A 2, C 3
    assert t.loc["B", "improvement"] == 5
    assert t.loc["B", "rank"] == 1 and t.loc["A", "rank"] == 2 and t.loc["C", "rank"] == 3


def test_change_table_percent():
    t = changetable.change_table(*_two_periods(), 1, kind="percent").set_index("areacd")
    # A (12-10)/10 = +20%; B (15-20)/20 = -25%; C from 0 -> undefined
    assert t.loc["A", "change"] == pytest.approx(20)
    assert t.loc["B", "change"] == pytest.approx(-25)
    assert math.isnan(t.loc["C", "change"]) and pd.isna(t.loc["C", "rank"])


def test_change_table_percent_negative_base():
    a = pd.DataFrame({"areacd": ["A"], "areanm": ["Ash"], "value": [-10.0]})
    b = pd.DataFrame({"areacd": ["A"], "areanm": ["Ash"], "value": [-5.0]})
    # (-5 - -10) / |-10| * 100 = +50%: a rise is a positive percentage even from below zero
    assert changetable.change_table(a, b, 1, kind="percent")["change"].iloc[0] == pytest.approx(50)


def test_change_table_neutral():
    t = changetable.change_table(*_two_periods(), None).set_index("areacd")
    assert t["improvement"].isna().all()
    # ranked by change: C (+3) 1, A (+2) 2, B (-5) 3
    assert t.loc["C", "rank"] == 1 and t.loc["B", "rank"] == 3


def test_change_table_bad_kind():
    with pytest.raises(ValueError):
        changetable.change_table(*_two_periods(), 1, kind="relative")


def test_most_improved_and_declined_higher_is_better():
    t = changetable.change_table(*_two_periods(), 1)
    up, down = changetable.most_improved(t), changetable.most_declined(t)
    assert list(up["areacd"]) == ["C", "A"]  # only areas that improved, best first
    assert list(down["areacd"]) == ["B"]
    assert up.attrs["title"] == "Most improved" and down.attrs["title"] == "Most declined"
    assert list(changetable.most_improved(t, n=1)["areacd"]) == ["C"]


def test_most_improved_lower_is_better():
    t = changetable.change_table(*_two_periods(), -1)
    assert list(changetable.most_improved(t)["areacd"]) == ["B"]  # fell by 5 = improved
    assert list(changetable.most_declined(t)["areacd"]) == ["C", "A"]  # rose 3, rose 2


def test_most_improved_neutral_uses_increases():
    t = changetable.change_table(*_two_periods(), 0)
    up, down = changetable.most_improved(t), changetable.most_declined(t)
    assert up.attrs["title"] == "Largest increases" and list(up["areacd"]) == ["C", "A"]
    assert down.attrs["title"] == "Largest decreases" and list(down["areacd"]) == ["B"]


def test_change_table_names_from_either_frame():
    a, b = _two_periods()
    b = b.assign(areanm=["Ash (renamed)", "Birch", "Cedar", "Elm"])
    t = changetable.change_table(a, b.drop(columns="areanm"), 1).set_index("areacd")
    assert t.loc["A", "areanm"] == "Ash"  # only the first frame has names
    t = changetable.change_table(a, b, 1).set_index("areacd")
    assert t.loc["A", "areanm"] == "Ash (renamed)"  # the later name wins
