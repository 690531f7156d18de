"""Tests for the missions page's builders: gap charts, the change map, the summary table."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

from lumap.analysis import changetable
from lumap.analysis.missionreport import MissionReport
from lumap.viz import changemap, gapcharts, summarytable
from lumap.viz.choropleth import layer_codes, layer_tips
from lumap.viz.classify import NO_DATA, NOT_PUBLISHED, diverging_classes

from .apptest_tools import shown

META = {"label": "Pay", "prefix": "GBPSign", "suffix": None, "subtext": None, "decimals": 0, "polarity": 1}
PCT = {"label": "Rate", "prefix": None, "suffix": "%", "subtext": None, "decimals": 1, "polarity": -1}


def table(n=4, band=True):
    starts = pd.to_datetime([f"{2016 + i}-04-01" for i in range(n)])
    obs = np.linspace(1.5, 1.3, n)
    return pd.DataFrame(
        {
            "start": starts,
            "period_label": [f"FY {2016 + i}-{17 + i}" for i in range(n)],
            "observed": obs,
            "low": obs - 0.05 if band else np.nan,
            "high": obs + 0.05 if band else np.nan,
            "median": np.linspace(500, 560, n),
            "comparator": np.linspace(520, 590, n),
        }
    )


def layers(spec: dict) -> list[dict]:
    out = []
    for layer in spec.get("layer", []):
        out.extend(layers(layer) if "layer" in layer else [layer])
    return out


def marks(spec: dict) -> list[str]:
    return [
        layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in layers(spec)
    ]


# ---------------------------------------------------------------------------------------------
# gap charts
# ---------------------------------------------------------------------------------------------


def test_gap_chart_has_band_line_and_baseline_rule():
    t = table()
    spec = gapcharts.gap_chart(
        t, "Top 10% / rest", ["x"] * 4, t["start"][1], "FY 2017-18", ["band"] * 4
    ).to_dict()
    assert marks(spec) == ["area", "line", "rule", "text"]
    text = json.dumps(spec)
    assert "Baseline FY 2017-18" in text
    # a short series: one tick per period, labelled as the period is published
    x = layers(spec)[1]["encoding"]["x"]
    assert len(x["axis"]["values"]) == 4 and "FY 2016-17" in x["axis"]["labelExpr"]


def test_gap_chart_without_band_or_baseline():
    t = table(band=False)
    spec = gapcharts.gap_chart(t, "CV", ["x"] * 4).to_dict()
    assert marks(spec) == ["line"]


def test_long_series_use_year_ticks():
    t = table(n=20)
    x = layers(gapcharts.gap_chart(t, "CV", ["x"] * 20).to_dict())[-1]["encoding"]["x"]
    assert x["axis"]["format"] == "%Y" and x["axis"]["tickCount"] == {"interval": "year", "step": 5}
    assert gapcharts.year_step(pd.to_datetime(["2010-01-01", "2016-01-01"])) == 1
    assert gapcharts.year_step(pd.to_datetime(["2004-01-01", "2016-01-01"])) == 2


def test_level_chart_two_series_and_none_comparator():
    t = table()
    spec = gapcharts.level_chart(t, "United Kingdom", ["m"] * 4, ["c"] * 4, "£").to_dict()
    data = next(iter(spec["datasets"].values()))
    assert {d["series"] for d in data} == {"Median area", "United Kingdom"}
    one = gapcharts.level_chart(t, None, ["m"] * 4, ["c"] * 4, "£").to_dict()
    assert {d["series"] for d in next(iter(one["datasets"].values()))} == {"Median area"}


def test_indicator_charts_single_period_is_none():
    rep = MissionReport(
        table=table(n=1),
        measure="top_rest_ratio",
        requested_measure="top_rest_ratio",
        n_periods=1,
        decomposed=False,
        baseline_year=2019,
        baseline=None,
        latest=None,
        gap_verdict=None,
        median_verdict=None,
        no_verdict="Only one period is published, so there is no trend to judge.",
        comparator_name=None,
        comparator_code=None,
        totals=False,
        bands_note="",
    )
    assert gapcharts.indicator_charts(META, rep) == (None, None)


# ---------------------------------------------------------------------------------------------
# change map
# ---------------------------------------------------------------------------------------------


def test_colour_basis_and_format_change():
    assert changemap.colour_basis(1) == "improvement" and changemap.colour_basis(-1.0) == "improvement"
    assert changemap.colour_basis(0) == "change" and changemap.colour_basis(None) == "change"
    assert changemap.format_change(23.4, "absolute", META) == "+£23"
    assert changemap.format_change(-1.25, "absolute", PCT) == "−1.3 pp"
    assert changemap.format_change(3.44, "percent", META) == "+3.4%"
    assert changemap.format_change(math.nan, "percent", META) == "–"


def test_change_features_colour_by_improvement_and_text_tooltips():
    # lower is better: a fall of 2 is an improvement of +2
    chg = changetable.change_table(
        pd.DataFrame({"areacd": ["E1", "E2"], "areanm": ["<b>A</b>", "B"], "value": [10.0, 10.0]}),
        pd.DataFrame({"areacd": ["E1", "E2"], "areanm": ["<b>A</b>", "B"], "value": [8.0, 11.0]}),
        -1,
    )
    classes = diverging_classes(chg["improvement"].to_numpy())
    coll = {
        "features": [
            {"geometry": None, "properties": {"areacd": c, "areanm": c}} for c in ["E1", "E2", "E3", "S9"]
        ]
    }
    index = {(c, None, None): i for i, c in enumerate(["E1", "E2", "E3", "S9"])}
    layer = changemap.change_features(
        coll, index, chg, PCT, classes, "absolute", ("2019", "2024"), "improvement", {"E"}
    )
    codes = layer_codes(layer, coll)
    tips = dict(zip(codes, layer_tips(layer, coll), strict=True))
    fills = {c: layer["palette"][f] for c, f in zip(codes, layer["fill"], strict=True)}
    # plain text: the component sets it with textContent, so markup in a name stays text
    assert tips["E1"].startswith("<b>A</b>\n") and layer["names"]["0"] == "<b>A</b>"
    assert "−2.0 pp (improved)" in tips["E1"] and "+1.0 pp (got worse)" in tips["E2"]
    assert "1st most improved of 2" in tips["E1"] and tips["E1"].endswith("\n2019 to 2024")
    assert fills["E1"] == classes.colours[-1]  # most improved: darkest purple
    assert fills["E2"] != fills["E1"]
    assert fills["E3"] == NO_DATA and fills["S9"] == NOT_PUBLISHED
    assert "not published for this nation" in tips["S9"]


def test_map_component_never_parses_data_as_html():
    frontend = Path(__file__).resolve().parents[1] / "lumap" / "ui" / "mapfrontend"
    js = (frontend / "lumapmap.js").read_text() + (frontend / "index.html").read_text()  # its head script too
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in js, sink
    assert "textContent" in js


def test_change_legend_is_best_first_and_escaped():
    classes = diverging_classes([-4.0, 4.0], k=3)
    html_ = changemap.legend_html(classes, "absolute", PCT, "improvement", "Change <2019>", True)
    assert "<2019>" not in html_ and "Change <2019>" in shown(html_) and "Purple = improved" in shown(html_)
    # lower is better: the best class (improvement 4) is a change of -4
    assert shown(html_).index("−4.0 pp") < shown(html_).index("+4.0 pp")
    assert "Not published for this nation" in shown(html_)


# ---------------------------------------------------------------------------------------------
# summary table
# ---------------------------------------------------------------------------------------------


def row(**kw):
    base = {
        "mission": 7,
        "label": "Healthy <life>",
        "periods": "2019 → 2022",
        "notes": ["England only"],
        "median_base": "62.1",
        "median_now": "59.9",
        "unit": "years",
        "median_word": "worse",
        "median_tone": "bad",
        "median_detail": "",
        "gap_measure": "Top 10% of areas / the rest",
        "gap_base": "1.11",
        "gap_now": "1.13",
        "gap_word": "gap widening",
        "gap_tone": "bad",
        "gap_detail": "",
        "no_verdict": "",
    }
    return {**base, **kw}


def test_summary_html_escapes_and_groups():
    html_ = summarytable.summary_html(
        [row(), row(mission=8, label="Anxiety")], {7: "Mission 7: Health", 8: "Mission 8: Well-being"}
    )
    assert "Healthy <life>" in shown(html_) and "<life>" not in html_
    assert html_.count("lu-mission") == 2 + 1  # two heading rows (+ the CSS rule)
    assert "lu-chip lu-bad" in html_ and "gap widening" in html_ and "62&#46;1</span> → <span" in html_
    assert "2019 → 2022 · England only" in shown(html_)


def test_chip_words_always_present():
    assert "no clear change" in summarytable.chip("no clear change", "flat")
    assert "↑ higher" in summarytable.chip("higher", "moved")
    assert "narrowed, not tested" in shown(
        summarytable.chip("no test possible", "untested", "narrowed, not tested")
    )
    assert "<x>" not in summarytable.chip("<x>", "none") and "<x>" in shown(summarytable.chip("<x>", "none"))
