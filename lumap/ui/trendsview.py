"""The trends page's parts: display controls, the line chart, the single-period fallback,
the table of values by period, downloads."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lumap.analysis import comparison, trends
from lumap.analysis.counts import is_count
from lumap.analysis.format import format_value, is_missing
from lumap.data import levels as lv
from lumap.data.store import VALUE_COLUMNS, Store
from lumap.queries import compare
from lumap.ui import cache, downloads, state
from lumap.ui.params import parse_choice, parse_flag, parse_year
from lumap.viz import charts, publish

SCALES = {"value": "Values", "index": "Index (base year = 100)"}


def display_controls(store: Store, indicator: str, notices: list[str], changed: bool) -> dict:
    """Values or index (and its base year), CI bands, context lines. Returns the settings."""
    meta = store.indicator(indicator)
    years = trends.base_years(store.periods(indicator))
    scale = state.resolve(
        state.Param("scale", parse_choice("scale", SCALES, instead="values"), "value"),
        notices,
        changed,
        valid=lambda v: v in SCALES,
    )
    if len(years) < 2 and scale == "index":
        st.session_state["scale"] = scale = "value"
    scale = st.radio(
        "Show", list(SCALES), key="scale", format_func=SCALES.get, disabled=len(years) < 2, horizontal=True
    )
    state.resolve(
        state.Param("base", parse_year("base"), years[0]),
        notices,
        changed,
        valid=lambda v: v in years,
    )
    base = st.selectbox(
        "Base year (= 100)",
        years,
        key="base",
        disabled=scale != "index",
        help="Each line is divided by its own value in the base year's period.",
    )
    has_ci = bool(meta.get("has_ci"))
    state.resolve(
        state.Param("ci", parse_flag("ci"), False), notices, changed, valid=lambda v: isinstance(v, bool)
    )
    if not has_ci:
        st.session_state["ci"] = False
    ci = st.toggle(
        "95% confidence bands",
        key="ci",
        disabled=not has_ci,
        help=None if has_ci else "This indicator publishes no confidence intervals.",
    )
    state.resolve(
        state.Param("regions", parse_flag("regions"), True),
        notices,
        changed,
        valid=lambda v: isinstance(v, bool),
    )
    regions = st.toggle(
        "Regions of the chosen areas",
        key="regions",
        help="Dashed lines for each chosen area's region (or nation); the UK is always shown.",
    )
    state.resolve(
        state.Param("context", parse_flag("context"), True),
        notices,
        changed,
        valid=lambda v: isinstance(v, bool),
    )
    context = st.toggle("Every other area as faint grey lines", key="context")
    return {"scale": scale, "base": int(base), "ci": ci, "regions": regions, "context": context}


def frames(store: Store, indicator: str, level: str, areas: list[str], settings: dict) -> dict:
    series = cache.level_series(store.key, indicator, level)
    comps = compare.comparator_series(store, indicator, areas, settings.get("regions", True))
    if is_count(store.indicator(indicator)):  # the UK's or a region's total is not a comparator
        comps = comps.iloc[0:0]
    y = "value"
    if settings["scale"] == "index":
        series = trends.indexed(series, settings["base"])
        comps = trends.indexed(comps, settings["base"])
        y = "index"
    out = trends.trend_frames(series, comps, areas, store.area_name, y)
    if not settings["context"]:
        out["context"] = out["context"].iloc[0:0]
    out["y"] = y
    return out


def not_indexable(fr: dict) -> list[str]:
    """Lines with no value in the base year (they cannot be indexed)."""
    shown = pd.concat([fr["areas"], fr["comparators"]], ignore_index=True)
    if shown.empty:
        return []
    has = shown.groupby("line")["index"].apply(lambda v: v.notna().any())
    return [line for line, ok in has.items() if not ok]


def chart(store: Store, indicator: str, fr: dict, settings: dict):
    args, kwargs = _chart_args(store, indicator, fr, settings)
    return charts.trend_chart(*args, **kwargs)


def png_button(store: Store, indicator: str, level: str, fr: dict, settings: dict, file_name: str) -> None:
    """The trend chart as PNG, built and rendered in a worker process when clicked, its
    context lines as one path, with its title, periods and sources burned in
    (``publish.trend_png``)."""
    args, kwargs = _chart_args(store, indicator, fr, settings)
    credits = downloads.credits(store, args[1], args[1]["label"], trend_period(args[2], level))
    downloads.job_png_button(
        "Download chart (PNG)", file_name, "dl_trends_png", publish.trend_png, credits, *args, **kwargs
    )


def trend_period(periods: pd.DataFrame, level: str) -> str:
    """'2008 to 2025 · Local authority districts (lower tier)': what a trend PNG covers."""
    span = f"{periods['label'].iloc[0]} to {periods['label'].iloc[-1]}" if len(periods) else ""
    return " · ".join(x for x in (span, lv.LEVELS[level]["name"]) if x)


def _chart_args(store: Store, indicator: str, fr: dict, settings: dict) -> tuple[tuple, dict]:
    meta = store.indicator(indicator)
    y = fr["y"]
    shown = pd.concat([fr["areas"], fr["comparators"], fr["context"]], ignore_index=True)
    used = set(shown.loc[shown[y].notna(), "period"])
    periods = store.periods(indicator)
    periods = periods[periods["period"].isin(used)]
    base = str(settings["base"]) if y == "index" else None
    if base is not None:
        p = store.periods(indicator)
        base = p.loc[p["start_year"] == settings["base"], "label"].iloc[0]
    return (fr, meta, periods, meta["label"]), {"y": y, "ci": settings["ci"], "indexed_base": base}


def single_period(store: Store, indicator: str, level: str, areas: list[str], regions: bool = True):
    """An indicator with one period: its values as bars (areas, UK, regions)."""
    meta = store.indicator(indicator)
    period = store.periods(indicator)["period"].iloc[0]
    frame = cache.level_values(store.key, indicator, period, level)
    table = comparison.compare_table(
        frame, store.period_rows(indicator, period), areas, store.geo, store.similar, meta.get("polarity")
    )
    kinds = [] if is_count(meta) else (["uk", "region"] if regions else ["uk"])
    rows = comparison.chart_rows(table, kinds)  # the CSV: areas, then each comparator once
    rows["reason"] = [
        comparison.status_reason(s, n) if is_missing(v) else ""
        for s, n, v in zip(rows["status"], rows["notes"], rows["value"], strict=True)
    ]
    label = store.period_label(indicator, period)
    bars = rows[rows["kind"] == "area"]
    marks = comparison.comparator_marks(table, kinds)
    chart = charts.single_values_chart(
        bars, meta, meta["label"], f"{label} (the only period published)", comparators=marks
    )
    export = rows.drop(columns=["reason"]).assign(
        indicator=indicator, period=period, period_label=label, level=level
    )
    return chart, export, label


def wide_table(store: Store, indicator: str, fr: dict, selected: list[str]) -> pd.DataFrame:
    """Lines × periods, rounded for reading; suppressed values as [x]/[c]/[u]/[z]."""
    meta = store.indicator(indicator)
    y = fr["y"]
    shown = pd.concat(
        [fr["areas"].assign(role="area"), fr["comparators"].assign(role="comparator")], ignore_index=True
    )
    if shown.empty:
        return pd.DataFrame()

    def cell(r) -> str:
        v = r[y]
        if not is_missing(v):
            return format_value(v, meta, False) if y == "value" else f"{v:.1f}"
        return "–" if is_missing(r["status"]) else f"[{str(r['status']).strip()}]"

    shown = shown.assign(cell=shown.apply(cell, axis=1))
    # an old (or new) code drawn with the chosen area gets its own row
    shown["row"] = [
        line if code in selected or role == "comparator" else f"{line} · as {nm} ({code})"
        for line, code, nm, role in zip(
            shown["line"], shown["areacd"], shown["areanm"], shown["role"], strict=True
        )
    ]
    order = shown.sort_values("start")["period_label"].drop_duplicates().tolist()
    # chosen areas in their order, each followed by its other codes, then comparators
    line_rank = {line: i for i, line in enumerate(dict.fromkeys(shown["line"]))}
    keys = shown.assign(
        _r=shown["role"] != "area",
        _l=shown["line"].map(line_rank),
        _m=~(shown["areacd"].isin(selected) | (shown["role"] != "area")),
    )
    rows = list(dict.fromkeys(keys.sort_values(["_r", "_l", "_m", "start"], kind="stable")["row"]))
    wide = shown.pivot_table(index="row", columns="period_label", values="cell", aggfunc="first")
    wide = wide.reindex(index=rows, columns=order).fillna("")
    wide.columns.name = None
    return wide.reset_index().rename(columns={"row": "Area"})


def export(store: Store, indicator: str, level: str, fr: dict, settings: dict) -> pd.DataFrame:
    """The CSV: every plotted value of the chosen areas and comparators, unrounded."""
    cols = ["line", "areacd", "areanm", "period", "period_label", "start", *VALUE_COLUMNS[2:]]
    parts = [fr["areas"].assign(role="area"), fr["comparators"].assign(role="comparator")]
    out = pd.concat(parts, ignore_index=True)
    keep = cols + (["index"] if fr["y"] == "index" else [])
    out = out[keep + ["role"]].assign(indicator=indicator, level=level)
    out["start"] = pd.to_datetime(out["start"]).dt.strftime("%Y-%m-%d")
    if fr["y"] == "index":
        out["base_year"] = settings["base"]
    return out.sort_values(["role", "line", "start"], kind="stable").reset_index(drop=True)
