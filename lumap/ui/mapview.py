"""The map page's parts: the choropleth (lumap's map component), the selected-area panel,
the table."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from lumap.analysis.comparison import status_reason
from lumap.analysis.format import format_value, is_missing
from lumap.analysis.ranks import rank_text
from lumap.data import levels as lv
from lumap.data.store import Store
from lumap.escape import md
from lumap.ui import cache, chrome, downloads, mapwidget
from lumap.viz.classify import Classes

MAP_HEIGHT = 640
PRESENT_HEIGHT = 860  # presentation mode: the map fills a projector screen


def table(store: Store, slug: str, period: str, level: str) -> pd.DataFrame:
    return cache.map_table(store.key, slug, period, level)


def draw_map(
    store: Store,
    slug: str,
    period: str,
    level: str,
    scheme: str,
    selected: str | None,
    basemap: bool,
    height: int = MAP_HEIGHT,
) -> tuple[str | None, Classes | None]:
    """Draw the map; return (the area of a new click or None, the classes used)."""
    shown = cache.map_layer(store.key, slug, period, level, scheme)
    args = mapwidget.view_args(store, level, shown.layer, selected, height, basemap)
    value = mapwidget.choropleth(args, key="map")
    return mapwidget.new_click(value, "_map_click"), shown.classes


def area_panel(store: Store, slug: str, period: str, level: str, code: str) -> None:
    """Value, rank, UK / country / region values and a small trend for one area."""
    from lumap.analysis import comparators

    meta = store.indicator(slug)
    tbl = table(store, slug, period, level)
    row = tbl[tbl["areacd"] == code]
    name = store.area_name(code)
    st.markdown(f"#### {md(name)}")
    if row.empty or is_missing(row["value"].iloc[0]):
        status = row["status"].iloc[0] if not row.empty else ""
        reason = status_reason(status, row["notes"].iloc[0] if not row.empty else "")
        st.info(md(f"No value for {store.period_label(slug, period)}" + (f" ({reason})." if reason else ".")))
    else:
        r = row.iloc[0]
        st.metric(md(store.period_label(slug, period)), md(format_value(r["value"], meta)))
        st.caption(rank_text(r["rank"], r["n_ranked"], f"{lv.LEVELS[level]['short']} with data"))
        if not is_missing(r["lci_95"]):
            st.caption(
                md(
                    f"95% confidence interval {format_value(r['lci_95'], meta, False)} to "
                    f"{format_value(r['uci_95'], meta, False)}"
                )
            )
    comps = comparators.comparator_values(store.period_rows(slug, period), code, store.geo, [])
    if comps:
        lines = [f"- {md(c['name'])}: **{md(format_value(c['value'], meta))}**" for c in comps]
        st.markdown("\n".join(lines))
    trend = store.series(slug, [code, lv.UK])
    trend = trend[trend["value"].notna()]
    if trend["period"].nunique() > 1:
        trend = trend.assign(area=trend["areacd"].map(lambda c: store.area_name(c)))
        chart = (
            alt.Chart(trend)
            .mark_line(point=True)
            .encode(
                x=alt.X("start:T", title=None),
                y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=False), axis=alt.Axis(tickCount=4)),
                color=alt.Color("area:N", legend=alt.Legend(orient="bottom", title=None)),
                tooltip=["area", "period_label", "value"],
            )
            .properties(height=160)
        )
        st.altair_chart(chart, width="stretch")
    st.page_link("pages/area.py", label="Full area profile →", query_params={"area": code, "indicator": slug})


def ranked_table(store: Store, slug: str, period: str, level: str) -> None:
    meta = store.indicator(slug)
    tbl = table(store, slug, period, level)
    shown = pd.DataFrame(
        {
            "Rank": tbl["rank"],
            "Area": tbl["areanm"],
            "Code": tbl["areacd"],
            "Value": [format_value(v, meta) for v in tbl["value"]],
            "95% CI": [
                "" if is_missing(lo) else f"{format_value(lo, meta, False)} – {format_value(hi, meta, False)}"
                for lo, hi in zip(tbl["lci_95"], tbl["uci_95"], strict=True)
            ],
            "Status": [
                status_reason(s, n) if is_missing(v) else ""
                for s, n, v in zip(tbl["status"], tbl["notes"], tbl["value"], strict=True)
            ],
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch", height=360)
    label = store.period_label(slug, period)
    downloads.csv_button(
        "Download CSV",
        tbl,
        f"lumap-{slug}-{label.replace(' ', '_')}-{level}.csv",
        help="Exactly the numbers on the map, unrounded, as published by the source.",
    )


def legend(classes, meta: dict, missing_nations: bool, scale: float = 1.0) -> None:
    st.markdown(chrome.legend_html(classes, meta, missing_nations, scale=scale), unsafe_allow_html=True)
