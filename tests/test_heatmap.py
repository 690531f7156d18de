"""Areas × indicators percentile table on hand-made frames."""

import math

import pandas as pd

from lumap.analysis.heatmap import for_areas, heat_table, indicator_cells, latest_with_values

NAN = float("nan")


def frame(values: dict, status=None):
    status = status or {}
    return pd.DataFrame(
        {
            "areacd": list(values),
            "areanm": [c.lower() for c in values],
            "value": list(values.values()),
            "lci_95": NAN,
            "uci_95": NAN,
            "status": [status.get(c, "") for c in values],
            "notes": "",
        }
    )


def test_latest_with_values_skips_empty_periods_and_looks_no_further():
    looked = []
    frames = {"p1": frame({"A": 1.0}), "p2": frame({"A": 2.0}), "p3": frame({"A": NAN}, {"A": "x"})}

    def get(p):
        looked.append(p)
        return frames[p]

    period, f = latest_with_values(["p1", "p2", "p3"], get)
    assert period == "p2" and f["value"].iloc[0] == 2.0
    assert looked == ["p3", "p2"]
    assert latest_with_values(["p3"], get) == (None, None)


def test_indicator_cells_polarity_aware():
    # A=10, B=20, C=30, D missing. Lower is better: C worst (0), B 50, A best (100).
    cells = indicator_cells(frame({"A": 10.0, "B": 20.0, "C": 30.0, "D": NAN}), polarity=-1)
    pct = dict(zip(cells["areacd"], cells["percentile"], strict=True))
    assert (pct["A"], pct["B"], pct["C"]) == (100.0, 50.0, 0.0) and math.isnan(pct["D"])
    rank = dict(zip(cells["areacd"], cells["rank"], strict=True))
    assert (rank["C"], rank["B"], rank["A"]) == (1, 2, 3)  # rank 1 = highest value, always
    assert (cells["n"] == 3).all() and not cells["neutral"].any()


def test_indicator_cells_neutral_is_plain_and_flagged():
    for polarity in (0, None):
        cells = indicator_cells(frame({"A": 10.0, "B": 20.0, "C": 30.0}), polarity=polarity)
        pct = dict(zip(cells["areacd"], cells["percentile"], strict=True))
        assert (pct["A"], pct["C"]) == (0.0, 100.0)
        assert cells["neutral"].all()


def test_heat_table_and_for_areas_fill_the_grid():
    items = [
        {
            "indicator": "pay",
            "label": "Pay",
            "mission": 1,
            "polarity": 1,
            "period": "2025",
            "period_label": "2025",
            "frame": frame({"A": 1.0, "B": 3.0, "C": 2.0}),
        },
        {
            "indicator": "flow",
            "label": "Flow",
            "mission": 3,
            "polarity": 0,
            "period": "2024",
            "period_label": "2024",
            "frame": frame({"A": 5.0, "B": NAN}, {"B": "u"}),
        },
        {
            "indicator": "none",
            "label": "None",
            "mission": 2,
            "polarity": 1,
            "period": None,
            "period_label": None,
            "frame": None,
        },
    ]
    table = heat_table(items)
    assert set(table["indicator"]) == {"pay", "flow"}
    grid = for_areas(table, ["C", "B", "Z"])
    # indicators by mission (pay M1, flow M3), areas in the order given, no holes
    assert list(zip(grid["indicator"], grid["areacd"], strict=True)) == [
        ("pay", "C"),
        ("pay", "B"),
        ("pay", "Z"),
        ("flow", "C"),
        ("flow", "B"),
        ("flow", "Z"),
    ]
    g = grid.set_index(["indicator", "areacd"])
    assert g.loc[("pay", "B"), "percentile"] == 100.0 and g.loc[("pay", "C"), "percentile"] == 50.0
    assert g.loc[("pay", "B"), "period_label"] == "2025" and g.loc[("pay", "B"), "n"] == 3
    assert g.loc[("flow", "B"), "status"] == "u" and g.loc[("flow", "B"), "published"]
    assert math.isnan(g.loc[("flow", "B"), "value"])
    assert not g.loc[("pay", "Z"), "published"] and not g.loc[("flow", "C"), "published"]
    assert g.loc[("flow", "Z"), "neutral"] and g.loc[("flow", "Z"), "label"] == "Flow"
    assert for_areas(heat_table([]), ["A"]).empty
