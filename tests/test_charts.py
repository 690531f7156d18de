"""Chart builders for compare and trends: what they encode, checked on the Vega-Lite spec."""

import json

import pandas as pd

from lumap.analysis.heatmap import for_areas, heat_table
from lumap.viz import charts

NAN = float("nan")
META = {"label": "Pay", "prefix": "£", "decimals": 0, "polarity": 1}


def _layers(chart):
    return chart.to_dict()["layer"]


def bar_rows():
    return pd.DataFrame(
        {
            "name": ["Low", "High", "Gone", "United Kingdom"],
            "code": ["A", "B", "C", "K02000001"],
            "value": [10.0, 30.0, NAN, 20.0],
            "lci_95": [8.0, NAN, NAN, 19.0],
            "uci_95": [12.0, NAN, NAN, 21.0],
            "kind": ["area", "area", "area", "uk"],
            "status": ["", "", "u", ""],
            "notes": "",
            "reason": ["", "", "low reliability", ""],
        }
    )


def test_bar_chart_sorted_high_to_low_with_whiskers_and_missing_labels():
    spec = charts.bar_chart(bar_rows(), META, "Pay", "2025").to_dict()
    bars = spec["layer"][0]
    assert bars["encoding"]["y"]["sort"] == ["High", "United Kingdom", "Low", "Gone"]
    marks = [ly["mark"]["type"] if isinstance(ly["mark"], dict) else ly["mark"] for ly in spec["layer"]]
    assert marks.count("rule") == 1 and marks.count("tick") == 2  # whiskers with caps
    texts = json.dumps(spec)
    assert "no value: low reliability" in texts  # suppressed shown with reason
    assert spec["autosize"]["type"] == "fit-x"  # height is not squeezed
    # x range leaves room for the value labels right of the longest bar
    assert bars["encoding"]["x"]["scale"]["domain"][1] > 30.0


def test_period_axis_labels_ticks_with_period_labels():
    periods = pd.DataFrame(
        {"start": pd.to_datetime(["2019-04-01", "2020-04-01"]), "label": ["FY 2019-20", "FY 2020-21"]}
    )
    axis = charts.period_axis(periods).to_dict()
    assert len(axis["values"]) == 2 and axis["values"][0]["year"] == 2019 and axis["values"][0]["month"] == 4
    assert '"2019-04-01":"FY 2019-20"' in axis["labelExpr"] and "utcFormat" in axis["labelExpr"]


def _heat_cells():
    f = pd.DataFrame(
        {
            "areacd": ["A", "B"],
            "areanm": ["a", "b"],
            "value": [1.0, 2.0],
            "lci_95": NAN,
            "uci_95": NAN,
            "status": "",
            "notes": "",
        }
    )
    items = [
        {
            "indicator": "p",
            "label": "Pay",
            "mission": 1,
            "polarity": 1,
            "period": "x",
            "period_label": "2025",
            "frame": f,
        },
        {
            "indicator": "f",
            "label": "Flow",
            "mission": 3,
            "polarity": 0,
            "period": "x",
            "period_label": "2024",
            "frame": f,
        },
    ]
    cells = for_areas(heat_table(items), ["A", "B"])
    return cells.assign(area=cells["areacd"])


def test_heatmap_marks_neutral_rows_and_keeps_two_colour_scales():
    chart = charts.heatmap_chart(_heat_cells(), ["A", "B"], lambda s: {"decimals": 1}, "Heat")
    spec = chart.to_dict()
    assert spec["resolve"]["scale"]["color"] == "independent"
    rows = spec["layer"][0]["encoding"]["y"]["sort"]
    assert rows == ["M1 · Pay", "M3 · Flow (neutral)"]


def _trend_frames():
    def s(code, name, vals):
        return pd.DataFrame(
            {
                "areacd": code,
                "areanm": name,
                "period": ["p1", "p2"],
                "period_label": ["2020", "2021"],
                "start": pd.to_datetime(["2020-01-01", "2021-01-01"]),
                "value": vals,
                "lci_95": NAN,
                "uci_95": NAN,
                "status": "",
                "notes": "",
            }
        )

    areas = s("A", "Alpha", [10.0, 11.0]).assign(line="Alpha", segment="A")
    comps = s("K02000001", "United Kingdom", [12.0, 13.0]).assign(
        line="United Kingdom (comparator)", segment="K02000001"
    )
    context = pd.concat([s("X", "Extreme", [1000.0, 1001.0]), s("Y", "Y", [9.0, 9.5])])
    markers = pd.DataFrame(
        {
            "line": ["Alpha"],
            "areacd": ["A"],
            "start": pd.to_datetime(["2021-01-01"]),
            "y": [11.0],
            "period_label": ["2021"],
            "note": ["Code changed: ..."],
        }
    )
    joins = pd.DataFrame(columns=["line", "edge", "start", "y"])
    return {
        "selected": ["A"],
        "areas": areas,
        "comparators": comps,
        "context": context,
        "joins": joins,
        "markers": markers,
    }


def test_trend_chart_layers_and_y_range_ignore_extreme_context():
    periods = pd.DataFrame({"start": pd.to_datetime(["2020-01-01", "2021-01-01"]), "label": ["2020", "2021"]})
    chart = charts.trend_chart(_trend_frames(), META, periods, "Pay")
    spec = chart.to_dict()
    layers = spec["layer"]
    ctx = layers[0]
    assert ctx["mark"]["color"] == charts.CONTEXT and ctx["mark"]["clip"] is True
    domain = layers[0]["encoding"]["y"]["scale"]["domain"]
    assert domain[0] < 10.0 and 13.0 < domain[1] < 100.0  # 1000 is clipped, not scaled to
    shapes = [ly["mark"].get("shape") for ly in layers if isinstance(ly["mark"], dict)]
    assert "diamond" in shapes  # code-change marker
    colour = layers[-2]["encoding"]["color"]["scale"]
    assert colour["domain"] == ["Alpha", "United Kingdom (comparator)"]


def test_to_png_renders_offline():
    png = charts.to_png(charts.bar_chart(bar_rows(), META, "Pay"), width=400, scale=1)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 1000
