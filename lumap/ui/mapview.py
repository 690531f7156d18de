"""The map page's parts: the choropleth (lumap's map component), the selected-area panel,
the table."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from lumap.analysis import counts
from lumap.analysis import missing as gaps
from lumap.analysis.comparison import status_reason
from lumap.analysis.format import format_value, is_missing, unit_parts
from lumap.analysis.ranks import rank_text
from lumap.data import levels as lv
from lumap.data.store import Store
from lumap.escape import md
from lumap.ui import cache, chrome, downloads, mapwidget, state
from lumap.viz import legend
from lumap.viz.classify import Classes

MAP_HEIGHT = 640
PRESENT_HEIGHT = 860  # presentation mode: the map fills a projector screen


def table(store: Store, indicator: str, period: str, level: str) -> pd.DataFrame:
    return cache.map_table(store.key, indicator, period, level)


def combined(store: Store, indicator: str, period: str, level: str) -> dict:
    """{member code: the combined area's row} for the combined reporting areas this map
    draws on their members (:mod:`lumap.analysis.combined`)."""
    from lumap.analysis.combined import combined_areas

    drawn = cache.map_features(store.key, indicator, period, level)
    return combined_areas(table(store, indicator, period, level), drawn)


def draw_map(
    store: Store,
    indicator: str,
    period: str,
    level: str,
    scheme: str,
    selected: str | None,
    basemap: bool,
    height: int = MAP_HEIGHT,
    *,
    hexagons: bool = False,
    legend_keys: list | None = None,
) -> tuple[str | None, Classes | None]:
    """Draw the map; return (the area of a new click or None, the classes used).
    ``hexagons`` draws the level's hexagon map; ``legend_keys`` also go inside the map,
    shown there on a narrow screen with the selected area's line."""
    shown = cache.map_layer(store.key, indicator, period, level, scheme)
    meta = store.indicator(indicator)
    compact = None
    if legend_keys is not None:
        unit = meta.get("subtext") or meta.get("suffix") or ""
        compact = legend.component_legend(
            meta.get("label", ""), unit, legend.direction_text(meta), legend_keys
        )
    args = mapwidget.view_args(
        store,
        level,
        shown.layer,
        selected,
        height,
        basemap,
        hexagons=hexagons,
        focus=focus(),
        legend=compact,
        summary=selected_line(store, indicator, period, level, selected) if selected else None,
    )
    value = mapwidget.choropleth(args, key="map")
    return mapwidget.new_click(value, "_map_click"), shown.classes


def area_panel(store: Store, indicator: str, period: str, level: str, code: str) -> None:
    """Value, rank, UK / country / region values and a small trend for one area."""
    from lumap.analysis import comparators
    from lumap.analysis.combined import combined_note

    meta = store.indicator(indicator)
    tbl = table(store, indicator, period, level)
    row = tbl[tbl["areacd"] == code]
    name = store.area_name(code)
    st.markdown(f"#### {md(name)}")
    together = combined(store, indicator, period, level).get(code)
    if together is not None and (row.empty or is_missing(row["value"].iloc[0])):
        st.caption(md(combined_note(together.areacd, together.areanm) + ":"))
        row = tbl[tbl["areacd"] == together.areacd]
        name = str(together.areanm)
    if row.empty or is_missing(row["value"].iloc[0]):
        why = missing_reasons(store, indicator, period, level).get(code)
        if why is not None:
            reason = why.reason
            if why.kind == gaps.ANCESTOR and why.via_value is not None:
                reason += f"; {why.via_name} (county): {format_value(why.via_value, meta)}"
        else:
            status = row["status"].iloc[0] if not row.empty else ""
            reason = status_reason(status, row["notes"].iloc[0] if not row.empty else "")
        st.info(
            md(f"No value for {store.period_label(indicator, period)}" + (f": {reason}." if reason else "."))
        )
    else:
        r = row.iloc[0]
        # the number alone in the metric (a long unit was cut off there: "41.3 per 100,00…"),
        # the unit's words under it
        st.metric(md(store.period_label(indicator, period)), md(format_value(r["value"], meta, False)))
        if unit_parts(meta)[2]:
            st.caption(md(unit_parts(meta)[2]))
        st.caption(
            md(
                rank_text(
                    r["rank"],
                    r["n_ranked"],
                    f"{lv.LEVELS[level]['short']} with data",
                    r["tied"],
                    format_value(r["value"], meta),
                )
            )
        )
        if not is_missing(r["lci_95"]):
            st.caption(
                md(
                    f"95% confidence interval {format_value(r['lci_95'], meta, False)} to "
                    f"{format_value(r['uci_95'], meta, False)}"
                )
            )
    comps = comparators.comparator_values(store.period_rows(indicator, period), code, store.geo, [])
    own = None if row.empty else row["value"].iloc[0]
    if comps:
        lines = [f"- {md(c['name'])}: **{md(format_value(c['value'], meta))}**" for c in comps]
        if counts.is_count(meta):  # totals: the area's share of each, never a difference
            lines = [
                line
                + (
                    f" (total; {md(name)} is {counts.share_text(part)} of it)"
                    if part is not None
                    else " (total)"
                )
                for line, c in zip(lines, comps, strict=True)
                for part in [counts.share(own, c["value"])]
            ]
        st.markdown("\n".join(lines))
    if not row.empty and row["source_areacd"].iloc[0] != row["areacd"].iloc[0]:
        st.caption(md(store.published_as(row["areacd"].iloc[0], row["source_areacd"].iloc[0])))
    trend = store.series(indicator, [code, lv.UK])
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
    st.page_link(
        "pages/area.py", label="Full area profile →", query_params={"area": code, "indicator": indicator}
    )


MORE = "Details further down the page"


def selected_line(store: Store, indicator: str, period: str, level: str, code: str) -> str:
    """The selected area in two lines, for inside the map on a phone (plain text)."""
    meta = store.indicator(indicator)
    tbl = table(store, indicator, period, level)
    row = tbl[tbl["areacd"] == code]
    name = store.area_name(code)
    together = combined(store, indicator, period, level).get(code)
    if together is not None and (row.empty or is_missing(row["value"].iloc[0])):
        row = tbl[tbl["areacd"] == together.areacd]
        name = f"{name} (with {together.areanm})"
    if row.empty or is_missing(row["value"].iloc[0]):
        why = missing_reasons(store, indicator, period, level).get(code)
        if why is not None and why.kind == gaps.ANCESTOR and why.via_value is not None:
            value = format_value(why.via_value, meta)
            return f"{name}: no value of its own\n{why.via_name} (county): {value}\n{MORE}"
        return f"{name}: no value" + (f" ({why.reason})" if why else "") + f"\n{MORE}"
    r = row.iloc[0]
    value = format_value(r["value"], meta)
    rank = rank_text(r["rank"], r["n_ranked"], tied=r.get("tied", 0), value_text=value)
    return f"{name}: {value}" + (f", {rank}" if rank else "") + f"\n{MORE}"


def ranked_table(store: Store, indicator: str, period: str, level: str) -> None:
    meta = store.indicator(indicator)
    tbl = table(store, indicator, period, level)
    shown = pd.DataFrame(
        {
            "Rank": tbl["rank"],
            "Joint": ["" if t <= 1 else f"joint ({t} areas)" for t in tbl["tied"]],
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
    label = store.period_label(indicator, period)
    downloads.csv_button(
        "Download CSV",
        tbl,
        f"lumap-{indicator}-{label.replace(' ', '_')}-{level}.csv",
        help="Exactly the numbers on the map, unrounded, as published by the source.",
    )


def missing_reasons(store: Store, indicator: str, period: str, level: str) -> dict:
    """{areacd: Missing} for the drawn areas with no value (:mod:`lumap.analysis.missing`)."""
    return cache.map_missing(store.key, indicator, period, level)


def legend_keys(store: Store, indicator: str, period: str, level: str, classes, missing: dict) -> list:
    """The legend's rows: the classes that have areas, then the reasons for missing values
    that occur on this map."""
    values = table(store, indicator, period, level)["value"].to_numpy(dtype=float)
    members = combined(store, indicator, period, level)
    return legend.map_keys(
        classes, values, store.indicator(indicator), missing, level, members
    )  # as the pictures


def draw_legend(meta: dict, keys: list, scale: float = 1.0) -> None:
    unit = meta.get("subtext") or meta.get("suffix") or ""
    st.markdown(
        chrome.legend_html(meta.get("label", ""), unit, legend.direction_text(meta), keys, scale=scale),
        unsafe_allow_html=True,
    )


def _show_level(level: str) -> None:
    st.session_state["level"] = level


def missing_notes(store: Store, indicator: str, level: str, missing: dict) -> None:
    """Say why areas have no value when it is not the area itself: published only for
    counties (one click to show them), only for the areas inside, or not for a nation."""
    kinds = gaps.summary(missing)
    label = md(store.indicator(indicator)["label"])
    levels = store.levels(indicator)
    words = gaps.AREA_WORDS.get(level, ("area", "areas"))[1]
    if kinds.get(gaps.ANCESTOR):
        st.info(
            f"**{label}** is published for counties, not {words}: {kinds[gaps.ANCESTOR]} {words} "
            "show their county's value, **hatched** (not their own, and not ranked).",
            icon=":material/info:",
        )
        if "utla" in levels:
            st.button(
                "Show counties and unitary authorities",
                on_click=_show_level,
                args=("utla",),
                key="show_counties",
                icon=":material/map:",
            )
    below = next((m.via_level for m in missing.values() if m.kind == gaps.CHILDREN and m.via_level), None)
    if kinds.get(gaps.CHILDREN):
        inner = gaps.AREA_WORDS.get(below or "", ("area", "areas"))[1]
        st.info(
            f"{kinds[gaps.CHILDREN]} {words} are published only for the {inner} inside them, "
            "not as a whole: they are drawn grey.",
            icon=":material/info:",
        )
        if below in levels and below != level:
            st.button(
                f"Show {inner}",
                on_click=_show_level,
                args=(below,),
                key="show_inner",
                icon=":material/map:",
            )
    nations = gaps.unpublished_nations(missing)
    if nations:
        st.info(
            md(
                f"Not published for {chrome.and_list(nations)}: those areas are drawn white "
                "with a “not published” key, not as low values."
            ),
            icon=":material/info:",
        )


# ---- finding a place ------------------------------------------------------------------------

FIND_KEY = "find_area"
FOCUS_KEY = "_map_focus"


def area_options(store: Store, indicator: str, period: str, level: str) -> dict[str, str]:
    """{code: "Name (CODE)"} of every area the map draws (the finder's list)."""
    from lumap.queries.places import area_options as build

    return build(cache.map_features(store.key, indicator, period, level))


def _choose(code: str | None) -> None:
    """Select an area and zoom the map to it once (the finder and the postcode box)."""
    st.session_state["area"] = code
    if code:
        seq = (st.session_state.get(FOCUS_KEY) or {}).get("seq", 0) + 1
        st.session_state[FOCUS_KEY] = {"area": code, "seq": seq}


def _found(store_key: str, level: str, options: dict[str, str]) -> None:
    """The finder's choice: an area of the list, or typed text: a code or name typed in
    full, else a postcode (from the build's lookup)."""
    from lumap.queries.places import find_postcode

    value = st.session_state.get(FIND_KEY)
    st.session_state[MESSAGE_KEY] = None
    if value is None or value in options:
        _choose(value)
        return
    from lumap.data.postcodes import normalise
    from lumap.queries.places import match_text

    text = str(value).strip()
    code = match_text(text, options)
    if code is None and normalise(text):
        answer = find_postcode(cache.store_for(store_key), text, level, options)
        st.session_state[MESSAGE_KEY] = answer.message
        code = answer.area
    elif code is None:
        st.session_state[MESSAGE_KEY] = f"No area on this map matches “{text[:40]}”."
    st.session_state[FIND_KEY] = code
    if code:
        _choose(code)


MESSAGE_KEY = "_finder_message"


def finder(store: Store, level: str, area: str | None, options: dict[str, str]) -> None:
    """One box above the map to find a place: type a name or code (any of the level's
    areas; the list narrows as you type, arrow keys and Enter choose) or a postcode, when
    the build has a postcode lookup. Choosing selects the area, opens its panel and zooms
    the map to it."""
    from lumap.queries.places import has_postcodes

    loaded = has_postcodes(store)
    st.session_state[FIND_KEY] = area if area in options else None
    placeholder = f"Type a name or code of any of the {len(options)} {lv.LEVELS[level]['short']}"
    st.selectbox(
        "Find an area" + (" or postcode" if loaded else ""),
        list(options),
        key=FIND_KEY,
        index=None,
        format_func=lambda code: options.get(code, code),
        placeholder=placeholder + (", or a postcode" if loaded else ""),
        accept_new_options=True,
        on_change=_found,
        args=(store.key, level, options),
        help="Type, then choose with the arrow keys and Enter: the area's panel opens and the map "
        "zooms to it."
        + (
            " A postcode finds the area it is in."
            if loaded
            else " Postcode search is not available: this build has no postcode lookup (build the "
            "store with --postcodes and the ONS postcode directory, NSPL or ONSPD)."
        ),
    )
    message = st.session_state.get(MESSAGE_KEY)
    if message:
        st.caption(md(message))
    elif not loaded:
        st.caption("Postcode search is not available: no postcode lookup is loaded in this build.")


def focus() -> dict | None:
    """The last area chosen in the finder, for the map to zoom to (once per choice)."""
    return st.session_state.get(FOCUS_KEY)


VIEWS = {"map": "Boundaries", "hex": "Hexagons (one per area, equal size)"}


def view_picker(store: Store, level: str, notices: list[str], changed: bool) -> str:
    """ "map" or "hex": the boundaries, or the level's hexagon map where the build has one."""
    from lumap.ui.params import parse_choice

    state.resolve(state.Param("view", parse_choice("view", list(VIEWS)), "map"), notices, changed)
    if not mapwidget.has_hexagons(store, level):
        return "map"
    return st.radio(
        "Map view",
        list(VIEWS),
        key="view",
        format_func=VIEWS.get,
        help="Hexagons give every area the same size: small urban areas show as well as large rural ones.",
    )
