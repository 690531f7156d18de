"""Ranks and percentiles on a hand-made frame of six areas (values chosen by hand)."""

import math

import pandas as pd
import pytest

from lumap.analysis.ranks import (
    Rank,
    percentile_rank,
    published,
    rank_of,
    rank_phrase,
    rank_table,
    rank_text,
    ranks,
)


def frame():
    # A=10, B=30, C=20, D=30 (tie with B), E=missing, F=0.1+0.2 (float artefact of 0.3)
    return pd.DataFrame(
        {
            "areacd": ["A", "B", "C", "D", "E", "F"],
            "areanm": ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot"],
            "value": [10.0, 30.0, 20.0, 30.0, float("nan"), 0.1 + 0.2],
            "lci_95": [float("nan")] * 6,
            "uci_95": [float("nan")] * 6,
            "status": ["", "", "", "", "x", ""],
        }
    )


def test_rank_table_descending_min_ties_missing_last():
    t = rank_table(frame())
    # Hand: sorted high->low: B=30, D=30 (tie, both rank 1 by 'min'), C=20 -> 3, A=10 -> 4,
    # F=0.3 -> 5; E missing -> no rank. n = 5 areas with a value.
    assert list(t["areacd"]) == ["B", "D", "C", "A", "F", "E"]  # ties by name, missing last
    assert list(t["rank"].iloc[:5]) == [1, 1, 3, 4, 5]
    assert pd.isna(t["rank"].iloc[5])
    assert (t["n"] == 5).all()
    assert list(t["tied"]) == [2, 2, 1, 1, 1, 0]  # B and D share 1st; E has no rank


def test_rank_table_ascending():
    t = rank_table(frame(), descending=False)
    # Hand: low->high: F=0.3 -> 1, A=10 -> 2, C=20 -> 3, B=D=30 -> 4 (min of 4,5)
    ranks = dict(zip(t["areacd"], t["rank"], strict=True))
    assert ranks["F"] == 1 and ranks["A"] == 2 and ranks["C"] == 3
    assert ranks["B"] == 4 and ranks["D"] == 4


def test_float_artefacts_do_not_split_ties():
    f = pd.DataFrame({"areacd": ["X", "Y"], "areanm": ["X", "Y"], "value": [0.1 + 0.2, 0.3]})
    # Hand: 0.30000000000000004 and 0.3 are the same published value -> both rank 1.
    assert list(rank_table(f)["rank"]) == [1, 1]
    assert list(rank_table(f)["tied"]) == [2, 2]


def test_rank_of():
    f = frame()
    assert rank_of(f, "C") == Rank(3, 5, 1)
    assert rank_of(f, "D", level="ltla") == Rank(1, 5, 2, "ltla")  # tied with B
    assert rank_of(f, "E") == Rank(None, 5)  # missing value: no rank
    assert rank_of(f, "ZZZ") == Rank(None, 5)  # absent
    assert rank_of(rank_table(f), "A") == Rank(4, 5, 1)  # works on an already ranked table too
    r = rank_of(f, "C")
    assert type(r.rank) is int and type(r.n) is int


def test_ranks_in_groups_and_words():
    # x: 30, 30, 20 (ties share 1st); y: 0.1 + 0.2 and 0.3 tie after rounding, then 0.1
    v = pd.Series([30.0, 20.0, 30.0, 0.1 + 0.2, 0.3, 0.1, float("nan")])
    g = pd.Series(["x", "x", "x", "y", "y", "y", "y"])
    r = ranks(v, [g])
    assert list(r["rank"].iloc[:6]) == [1, 3, 1, 1, 1, 3] and pd.isna(r["rank"].iloc[6])
    assert list(r["n"]) == [3, 3, 3, 3, 3, 3, 3]
    assert list(r["tied"]) == [2, 1, 2, 2, 2, 1, 0]
    assert rank_text(12, 361) == "12th highest of 361"
    assert rank_text(1, 216, "upper-tier areas") == "1st highest of 216 upper-tier areas"
    assert rank_text(pd.NA, 361) == "" and rank_text(3, 0) == ""


def test_percentile_higher_is_better():
    p = percentile_rank(frame(), polarity=1)
    # Hand, ascending average ranks among the 5 values: F=1, A=2, C=3, B=D=(4+5)/2=4.5.
    # percentile = (r-1)/(n-1)*100 with n=5: F 0, A 25, C 50, B and D 87.5.
    # Check against the other definition: B has 3 strictly worse, 1 other tied ->
    # (3 + 0.5*1)/4*100 = 87.5.
    assert list(p.iloc[[5, 0, 2, 1, 3]]) == pytest.approx([0, 25, 50, 87.5, 87.5])
    assert math.isnan(p.iloc[4])
    assert p.name == "percentile"


def test_percentile_lower_is_better():
    p = percentile_rank(frame(), polarity=-1)
    # Hand: lower is better, so worst->best is B=D (30), C, A, F.
    # Average ranks: B=D=1.5, C=3, A=4, F=5 -> (r-1)/4*100: 12.5, 50, 75, 100.
    assert list(p.iloc[[1, 3, 2, 0, 5]]) == pytest.approx([12.5, 12.5, 50, 75, 100])


def test_percentile_neutral_is_higher_and_edge_cases():
    assert list(percentile_rank(frame(), None).dropna()) == list(percentile_rank(frame(), 1).dropna())
    assert list(percentile_rank(frame(), "0").dropna()) == list(percentile_rank(frame(), 1).dropna())
    one = pd.DataFrame({"areacd": ["A", "B"], "value": [5.0, float("nan")]})
    p = percentile_rank(one, 1)
    assert p.iloc[0] == 50.0 and math.isnan(p.iloc[1])  # a lone area sits in the middle
    none = pd.DataFrame({"areacd": ["A"], "value": [float("nan")]})
    assert percentile_rank(none, 1).isna().all()


# ---- #8.2: ties are "joint", and ranks are on the values as published ------------------------


def test_ranked_on_the_values_as_published():
    # Hand: 99.97 is published (1 decimal) as 100.0, so it is joint first with 100.0, not 2nd;
    # 99.94 shows as 99.9 and comes after both.
    f = pd.DataFrame({"areacd": list("ABC"), "areanm": list("ABC"), "value": [100.0, 99.97, 99.94]})
    t = rank_table(f, decimals=1).set_index("areacd")
    assert list(t.loc[["A", "B", "C"], "rank"]) == [1, 1, 3]
    assert list(t.loc[["A", "B", "C"], "tied"]) == [2, 2, 1]
    assert list(rank_table(f, decimals=2).set_index("areacd").loc[["A", "B", "C"], "rank"]) == [1, 2, 3]
    # half up, as the display: 2.25 -> 2.3 ties with 2.3; -2.25 -> -2.3
    g = pd.DataFrame({"areacd": list("XYZ"), "areanm": list("XYZ"), "value": [2.25, 2.3, -2.25]})
    assert list(rank_table(g, decimals=1)["tied"]) == [2, 2, 1]
    assert list(published(pd.Series([0.15, 2.25, -2.25, 1234.5]), 1)) == [0.2, 2.3, -2.3, 1234.5]


def test_published_matches_the_display_everywhere():
    import random

    from lumap.analysis.format import format_number

    rnd = random.Random(8)
    values = [round(rnd.uniform(-5000, 5000), rnd.randint(0, 5)) for _ in range(3000)]
    values += [k / 1000 + 0.0005 for k in range(-500, 500)]  # halves at the third decimal
    for d in (0, 1, 2, 3):
        got = published(pd.Series(values), d)
        want = [float(format_number(v, d, thousands=False)) for v in values]
        assert [g + 0.0 for g in got] == [w + 0.0 for w in want]


def test_joint_words():
    assert rank_text(12, 361, tied=3) == "joint 12th highest of 361"
    assert rank_text(1, 361, tied=189, value_text="100%") == "joint highest of 361 (189 areas at 100%)"
    assert rank_text(360, 361, tied=2) == "joint lowest of 361"
    assert rank_text(1, 12, tied=12, value_text="100.0%") == "joint highest of 12 (all 12 at 100.0%)"
    assert rank_text(12, 361, tied=1, value_text="£5") == "12th highest of 361"  # not shared: as before
    assert rank_phrase(1, 361, "lower-tier areas", 189, "100.0%") == (
        "the joint highest of the 361 lower-tier areas with data (189 areas at 100.0%)"
    )
    assert rank_phrase(12, 361, "lower-tier areas", 3, "74.2%") == (
        "joint 12th highest of the 361 lower-tier areas with data (3 areas at 74.2%)"
    )
    assert rank_phrase(12, 361, "lower-tier areas") == "12th highest of the 361 lower-tier areas with data"


def test_real_4g_and_5g_ties_are_joint_in_table_tooltip_and_sentence(real_store_dir):
    from lumap.analysis.format import format_value
    from lumap.analysis.sentences import area_sentence
    from lumap.data.store import Store
    from lumap.queries.maps import map_table

    store = Store(real_store_dir)
    for slug, code in (("4g-coverage", "E06000009"), ("5g-coverage", "E06000041")):  # Blackpool, Wokingham
        meta = store.indicator(slug)
        period = store.periods(slug)["period"].iloc[-1]
        t = map_table(store, slug, period, "ltla")
        row = t[t["areacd"] == code].iloc[0]
        shown = format_value(row["value"], meta)
        assert shown == "100.0%"
        at_100 = int((t["value"].round(1) == 100.0).sum())  # every area shown as 100.0%
        assert row["rank"] == 1 and row["tied"] == at_100 > 100
        words = rank_text(row["rank"], row["n_ranked"], tied=row["tied"], value_text=shown)
        assert words == f"joint highest of {row['n_ranked']} ({at_100} areas at 100.0%)"
        from lumap.viz.choropleth import tooltip_text

        tip = tooltip_text(row["areanm"], shown, row["rank"], row["n_ranked"], None, None, row["tied"])
        assert words in tip.splitlines()  # the map's tooltip says the same
        few = tooltip_text("X", "£567", 270, 359, None, None, 4)
        assert few.splitlines()[-1] == "joint 270th highest of 359"  # a small tie: no count
        s = area_sentence(
            row["areanm"],
            meta,
            "2026",
            row["value"],
            rank=row["rank"],
            n=row["n_ranked"],
            level_short="lower-tier areas",
            tied=row["tied"],
        )
        n = row["n_ranked"]
        assert f"the joint highest of the {n} lower-tier areas with data ({at_100} areas at 100.0%)" in s
