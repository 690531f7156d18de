"""Altair charts for the missions page: a gap measure over time with its uncertainty band
and the baseline marked, and the level (median across areas and the country value).

Builders take the report table from :mod:`lumap.analysis.missionreport` and return Altair
charts; no Streamlit here. Tooltips carry pre-formatted text so the numbers read exactly as
on the page.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import altair as alt
import pandas as pd

if TYPE_CHECKING:
    from lumap.analysis.missionreport import MissionReport

LINE = "#253494"  # the measure (YlGnBu dark, as on the map)
BAND = "#a1dab4"
BASELINE = "#b35806"  # the baseline rule (PuOr orange)
COMPARATOR = "#7f7f7f"
HEIGHT = 230


def year_step(starts) -> int:
    """Years between x-axis ticks: every year for short series, then every 2 or 5."""
    s = pd.to_datetime(pd.Series(starts)).dropna()
    span = (s.max().year - s.min().year) if len(s) else 0
    return 1 if span <= 8 else 2 if span <= 16 else 5


MAX_LABELLED = 10  # up to this many periods, each one gets its own label ("2019-21")


def _x(df: pd.DataFrame, title: str | None = None) -> alt.X:
    """Time axis. Short series: a tick per period, labelled as the period is ("FY 2023-24");
    longer ones: a tick every 1, 2 or 5 years."""
    pairs = df[["start", "period"]].drop_duplicates("start").sort_values("start")
    if 1 < len(pairs) <= MAX_LABELLED:
        starts = pd.to_datetime(pairs["start"])
        values = [alt.DateTime(year=d.year, month=d.month, date=d.day) for d in starts]
        lookup = ", ".join(
            f"{json.dumps(d.strftime('%Y-%m-%d'))}: {json.dumps(str(lab))}"
            for d, lab in zip(starts, pairs["period"], strict=True)
        )
        long = max(len(str(x)) for x in pairs["period"]) > 10  # "FY 2019-20 to 2021-22"
        axis = alt.Axis(
            values=values,
            labelExpr=f"({{{lookup}}})[timeFormat(datum.value, '%Y-%m-%d')]",
            labelFontSize=12,
            labelOverlap="parity",
            labelAngle=-35 if long else 0,
            labelAlign="right" if long else "center",
            labelLimit=180,
            labelPadding=4,
        )
    else:
        axis = alt.Axis(
            format="%Y", labelFontSize=12, tickCount={"interval": "year", "step": year_step(df["start"])}
        )
    return alt.X("start:T", title=title, axis=axis)


def baseline_rule(start, label: str) -> alt.LayerChart:
    """A dashed vertical rule at the baseline period's start, labelled at the top."""
    df = pd.DataFrame({"start": [pd.Timestamp(start)], "text": [f"Baseline {label}"]})
    rule = (
        alt.Chart(df)
        .mark_rule(color=BASELINE, strokeDash=[5, 3], strokeWidth=2)
        .encode(x="start:T", tooltip=[alt.Tooltip("text:N", title="")])
    )
    text = (
        alt.Chart(df)
        .mark_text(
            align="left", baseline="bottom", dx=-2, dy=-3, color=BASELINE, fontSize=12, fontWeight="bold"
        )
        .encode(x="start:T", y=alt.value(0), text="text:N")
    )  # just above the plot, clear of the lines
    return rule + text


def gap_chart(
    table: pd.DataFrame,
    measure_label: str,
    value_text: list[str],
    baseline_start=None,
    baseline_label: str | None = None,
    band_text: list[str] | None = None,
    height: int = HEIGHT,
    no_gap: float | None = None,
) -> alt.LayerChart:
    """The gap measure (``observed``) per period with its band (``low``/``high``).

    ``no_gap`` (0 or 1): drawn as a dashed "no gap" line, so the axis always reaches it and
    a small change cannot look steep on a zoomed axis.

    ``table`` needs ``start``, ``period_label``, ``observed``, ``low``, ``high``;
    ``value_text``/``band_text`` are the formatted tooltip strings, one per row.
    """
    df = pd.DataFrame(
        {
            "start": pd.to_datetime(table["start"]),
            "period": table["period_label"].astype(str),
            "observed": pd.to_numeric(table["observed"], errors="coerce"),
            "low": pd.to_numeric(table["low"], errors="coerce"),
            "high": pd.to_numeric(table["high"], errors="coerce"),
            "value_text": value_text,
            "band_text": band_text if band_text is not None else [""] * len(table),
        }
    ).dropna(subset=["observed"])
    tooltip = [
        alt.Tooltip("period:N", title="Period"),
        alt.Tooltip("value_text:N", title=measure_label),
        alt.Tooltip("band_text:N", title="95% band"),
    ]
    y = alt.Y(
        "observed:Q",
        title=measure_label,
        scale=alt.Scale(zero=False),
        axis=alt.Axis(titleFontSize=12, labelFontSize=12),
    )
    base = alt.Chart(df)
    x = _x(df)
    layers = []
    if df["low"].notna().any():
        layers.append(
            base.transform_filter("isValid(datum.low)")
            .mark_area(color=BAND, opacity=0.55)
            .encode(x=x, y=alt.Y("low:Q", title=measure_label), y2="high:Q", tooltip=tooltip)
        )
    layers.append(
        base.mark_line(color=LINE, strokeWidth=2.5, point=alt.OverlayMarkDef(color=LINE, size=45)).encode(
            x=x, y=y, tooltip=tooltip
        )
    )
    if no_gap is not None:
        ref = pd.DataFrame({"y": [float(no_gap)], "text": ["no gap"]})
        layers.append(
            alt.Chart(ref)
            .mark_rule(color="#777", strokeDash=[2, 3])
            .encode(y="y:Q", tooltip=[alt.Tooltip("text:N", title="")])
        )
        layers.append(
            alt.Chart(ref)
            .mark_text(align="left", baseline="bottom", dx=3, dy=-2, color="#555", fontSize=11)
            .encode(x=alt.value(0), y="y:Q", text="text:N")
        )
    if baseline_start is not None:
        layers.append(baseline_rule(baseline_start, baseline_label or ""))
    return alt.layer(*layers).properties(height=height).configure_view(strokeWidth=0)


def level_chart(
    table: pd.DataFrame,
    comparator_name: str | None,
    median_text: list[str],
    comparator_text: list[str],
    unit_title: str,
    baseline_start=None,
    baseline_label: str | None = None,
    height: int = HEIGHT,
) -> alt.LayerChart:
    """Median across areas, and the country's own value (e.g. the UK), per period."""
    start = pd.to_datetime(table["start"])
    period = table["period_label"].astype(str)
    parts = [
        pd.DataFrame(
            {
                "start": start,
                "period": period,
                "series": "Median area",
                "value": pd.to_numeric(table["median"], errors="coerce"),
                "text": median_text,
            }
        )
    ]
    if comparator_name:
        parts.append(
            pd.DataFrame(
                {
                    "start": start,
                    "period": period,
                    "series": comparator_name,
                    "value": pd.to_numeric(table["comparator"], errors="coerce"),
                    "text": comparator_text,
                }
            )
        )
    df = pd.concat(parts, ignore_index=True).dropna(subset=["value"])
    domain = ["Median area"] + ([comparator_name] if comparator_name else [])
    colour = alt.Color(
        "series:N",
        scale=alt.Scale(domain=domain, range=[LINE, COMPARATOR][: len(domain)]),
        legend=alt.Legend(orient="bottom", title=None, labelFontSize=12),
    )
    lines = (
        alt.Chart(df)
        .mark_line(strokeWidth=2.5, point=alt.OverlayMarkDef(size=40))
        .encode(
            x=_x(df),
            y=alt.Y(
                "value:Q",
                title=unit_title,
                scale=alt.Scale(zero=False),
                axis=alt.Axis(titleFontSize=12, labelFontSize=12),
            ),
            color=colour,
            strokeDash=alt.StrokeDash(
                "series:N", scale=alt.Scale(domain=domain, range=[[1, 0], [6, 3]][: len(domain)]), legend=None
            ),
            tooltip=[
                alt.Tooltip("series:N", title=""),
                alt.Tooltip("period:N", title="Period"),
                alt.Tooltip("text:N", title="Value"),
            ],
        )
    )
    layers = [lines]
    if baseline_start is not None:
        layers.append(baseline_rule(baseline_start, baseline_label or ""))
    return alt.layer(*layers).properties(height=height).configure_view(strokeWidth=0)


def chart_specs(meta: dict, rep: MissionReport) -> tuple[dict, dict] | None:
    """(gap, level) Vega-Lite specs of :func:`indicator_charts`, or None for a single period."""
    gap, lev = indicator_charts(meta, rep)
    return None if gap is None or lev is None else (gap.to_dict(), lev.to_dict())


def indicator_charts(meta: dict, rep: MissionReport) -> tuple[alt.LayerChart | None, alt.LayerChart | None]:
    """(gap chart, level chart) for one indicator's missions report; (None, None) when there
    is a single period (nothing to draw over time)."""
    from lumap.analysis import gaps
    from lumap.analysis.format import format_value
    from lumap.analysis.missionreport import format_measure

    t = rep.table
    if len(t) < 2:
        return None, None
    m = rep.measure
    label = gaps.MEASURES[m]["label"]
    base = rep.baseline
    b_start, b_label = (base.start, base.label) if base else (None, None)
    band_text = [
        "no band"
        if pd.isna(lo) or pd.isna(hi)
        else f"{format_measure(lo, m, meta)} to {format_measure(hi, m, meta)}"
        for lo, hi in zip(t["low"], t["high"], strict=True)
    ]
    gap = gap_chart(
        t,
        label,
        [format_measure(x, m, meta) for x in t["observed"]],
        b_start,
        b_label,
        band_text,
        no_gap=gaps.MEASURES[m]["no_gap"],
    )
    who = None if rep.totals else rep.comparator_name
    level = level_chart(
        t,
        who,
        [format_value(x, meta) for x in t["median"]],
        [format_value(x, meta) for x in t["comparator"]],
        str(meta.get("subtext") or meta.get("suffix") or meta.get("label") or ""),
        b_start,
        b_label,
    )
    return gap, level


def beta_chart(scatter: pd.DataFrame, beta, meta: dict, base_label: str, now_label: str) -> dict:
    """Beta-convergence: each area's change against its baseline value, with the fitted line
    (slope and interval in the title). Returns a Vega-Lite spec (dict)."""
    from lumap.analysis.format import format_number, unit_parts

    prefix, suffix, _ = unit_parts(meta)
    unit = (prefix + suffix).strip() or (meta.get("subtext") or "")
    df = scatter.assign(
        base_text=[format_number(x, meta.get("decimals")) for x in scatter["base"]],
        change_text=[format_number(x, meta.get("decimals")) for x in scatter["change"]],
    )
    x_title = f"{base_label} value" + (f" ({unit})" if unit else "")
    y_title = f"Change to {now_label}" + (
        f" ({unit})" if unit and unit != "%" else " (pp)" if unit == "%" else ""
    )
    points = (
        alt.Chart(df)
        .mark_circle(size=28, opacity=0.55, color=LINE)
        .encode(
            x=alt.X("base:Q", title=x_title, scale=alt.Scale(zero=False)),
            y=alt.Y("change:Q", title=y_title),
            tooltip=[
                alt.Tooltip("areanm:N", title="Area"),
                alt.Tooltip("base_text:N", title=base_label),
                alt.Tooltip("change_text:N", title="Change"),
            ],
        )
    )
    lo, hi = float(df["base"].min()), float(df["base"].max())
    fit = pd.DataFrame(
        {"base": [lo, hi], "change": [beta.intercept + beta.slope * lo, beta.intercept + beta.slope * hi]}
    )
    line = alt.Chart(fit).mark_line(color=BASELINE, strokeWidth=2.5).encode(x="base:Q", y="change:Q")
    zero = alt.Chart(pd.DataFrame({"y": [0]})).mark_rule(color="#999", strokeDash=[3, 3]).encode(y="y:Q")
    title = f"Slope {beta.slope:.3g} (95% interval {beta.ci_low:.3g} to {beta.ci_high:.3g}): {beta.verdict}"
    chart = alt.layer(zero, points, line).properties(height=260, title=title).configure_view(strokeWidth=0)
    return chart.to_dict()
