"""The area profile's small trend chart: the area against its comparators over time.
Altair only; no Streamlit here."""

from __future__ import annotations

import altair as alt
import pandas as pd

from lumap.escape import js_string

AREA_COLOUR = "#206095"  # ONS dark blue
COMPARATOR_COLOURS = ["#a8bd3a", "#871a5b", "#f66068", "#746cb1"]
FEW_PERIODS = 6


def trend_chart(
    frame: pd.DataFrame, area_name: str, highlight_label: str | None = None, height: int = 200
) -> alt.Chart:
    """Lines per ``series`` (the area first, then comparators) over ``start``, with the
    area's 95% interval as a band where published and a rule at ``highlight_label``.

    ``frame``: series, start, period_label, value, lci_95, uci_95, value_text."""
    data = frame.dropna(subset=["value"]).copy()
    data["start"] = pd.to_datetime(data["start"])
    names = list(dict.fromkeys(data["series"]))
    if area_name in names:
        names = [area_name] + [n for n in names if n != area_name]
    colours = [AREA_COLOUR] + COMPARATOR_COLOURS[: max(len(names) - 1, 0)]
    colour = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(domain=names, range=colours[: len(names)]),
        legend=alt.Legend(orient="bottom", columns=1, labelLimit=220),
    )
    if data["start"].nunique() <= FEW_PERIODS:  # few periods: label each with its own name
        order = list(data.sort_values("start")["period_label"].drop_duplicates())
        x = alt.X("period_label:O", title=None, sort=order, axis=alt.Axis(labelAngle=0, labelOverlap=True))
    else:
        x = alt.X(
            "start:T",
            title=None,
            axis=alt.Axis(format="%Y", labelOverlap=True, tickCount={"interval": "year", "step": 1}),
        )
    y = alt.Y("value:Q", title=None, scale=alt.Scale(zero=False))
    tooltip = [
        alt.Tooltip("series:N", title="Area"),
        alt.Tooltip("period_label:N", title="Period"),
        alt.Tooltip("value_text:N", title="Value"),
    ]
    base = alt.Chart(data)
    lines = base.mark_line(point=alt.OverlayMarkDef(size=22)).encode(
        x=x,
        y=y,
        color=colour,
        tooltip=tooltip,
        # the name travels as a JSON string literal (Altair's own ``==`` writes a Python repr)
        strokeWidth=alt.condition(f"datum.series === {js_string(area_name)}", alt.value(3), alt.value(1.5)),
    )
    layers = []
    band = data[(data["series"] == area_name) & data["lci_95"].notna() & data["uci_95"].notna()]
    if len(band):
        layers.append(
            alt.Chart(band)
            .mark_area(opacity=0.18, color=AREA_COLOUR)
            .encode(x=x, y=alt.Y("lci_95:Q", title=None), y2="uci_95:Q")
        )
    layers.append(lines)
    hit = data[data["period_label"] == highlight_label].head(1)
    if highlight_label and len(hit):
        layers.append(
            alt.Chart(hit[["start", "period_label"]])
            .mark_rule(color="#707070", strokeDash=[4, 3])
            .encode(x=x)
        )
    return alt.layer(*layers).properties(height=height)


def total_height(chart_height: int, n_series: int) -> int:
    """Pixels to give the chart in Streamlit (which counts the legend in the height)."""
    return chart_height + 40 + 24 * n_series
