"""The missions page's "change since baseline" view: a map of the change in one indicator
between two chosen periods (absolute or percent, diverging colours centred on zero,
polarity-aware) and the most improved / most declined areas."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from lumap import jobs
from lumap.analysis import changetable, gaps
from lumap.analysis.format import format_value
from lumap.data import levels as lv
from lumap.data.store import Store
from lumap.escape import md
from lumap.queries import missions
from lumap.ui import cache, chrome, deckui, downloads, mapwidget, missionsview, state
from lumap.ui.params import parse_choice, parse_year
from lumap.viz import changemap

KINDS = {"absolute": "Absolute change", "percent": "Percent change"}
MAP_HEIGHT = 620
LIST_LENGTH = 10
EMPTY_LIST = {
    "Most improved": "No area improved.",
    "Most declined": "No area got worse.",
    "Largest increases": "No area increased.",
    "Largest decreases": "No area decreased.",
}


@dataclass
class Change:
    indicator: str
    level: str
    year_from: int | None
    year_to: int | None
    kind: str


def controls(
    store: Store, indicator: str, wanted_level: str, baseline: int, notices: list[str], changed: bool
) -> Change:
    """From / to years and the kind of change (sidebar). Years are period start years."""
    level = missions.level_used(store, indicator, wanted_level) or wanted_level
    periods = store.periods(indicator)
    years = list(dict.fromkeys(int(y) for y in periods["start_year"]))
    labels = {int(y): store.period_label(indicator, store.resolve_year(indicator, int(y))) for y in years}
    state.resolve(
        state.Param("kind", parse_choice("kind", KINDS, "kind of change"), "absolute"), notices, changed
    )
    kind = st.radio("Change", list(KINDS), key="kind", format_func=KINDS.get, horizontal=True)
    if len(years) < 2:
        return Change(indicator, level, None, years[0] if years else None, kind)
    base = gaps.baseline_period(periods, baseline)
    default_from = int(periods.loc[periods["period"] == base, "start_year"].iloc[0]) if base else years[0]
    if default_from == years[-1]:
        default_from = years[-2]
    parse = {k: parse_year(k) for k in ("from", "to")}
    state.resolve(
        state.Param("from", parse["from"], default_from), notices, changed, valid=lambda y: y in years
    )
    state.resolve(state.Param("to", parse["to"], years[-1]), notices, changed, valid=lambda y: y in years)
    if st.session_state["from"] > st.session_state["to"]:
        st.session_state["from"], st.session_state["to"] = st.session_state["to"], st.session_state["from"]
        notices.append("“From” was after “To”; the two years have been swapped.")
    c1, c2 = st.columns(2)
    y_from = c1.selectbox("From", years, key="from", format_func=labels.get)
    y_to = c2.selectbox("To", years, key="to", format_func=labels.get)
    return Change(indicator, level, y_from, y_to, kind)


def view(store: Store, c: Change, wanted_level: str) -> None:
    meta = store.indicator(c.indicator)
    if not deckui.titled():  # a slide shows its own title
        st.header(md(f"Change since baseline: {meta['label']}"), anchor="change")
    if c.level not in store.levels(c.indicator):
        st.info("This indicator has no data at any geography level.")
        return
    if c.level != wanted_level:
        st.info(
            missionsview.fallback_note(wanted_level, c.level).replace("shown for", "mapped for"),
            icon=":material/info:",
        )
    if c.year_from is None:
        st.info(
            "Only one period is published for this indicator, so there is no change to map.",
            icon=":material/info:",
        )
        return
    if c.year_from == c.year_to:
        st.warning("Choose two different years to see a change.")
        return
    p_from, p_to = store.resolve_year(c.indicator, c.year_from), store.resolve_year(c.indicator, c.year_to)
    l_from, l_to = store.period_label(c.indicator, p_from), store.period_label(c.indicator, p_to)
    tbl = cache.change_table(store.key, c.indicator, p_from, p_to, c.level, c.kind)
    shown = cache.change_layer(store.key, c.indicator, p_from, p_to, c.level, c.kind)
    basis = shown.basis
    what = "percent change" if c.kind == "percent" else "change"
    colour = (
        "Colours show improvement (purple = better, orange = worse), because "
        f"{chrome.polarity_text(meta).lower()}."
        if basis == "improvement"
        else "Colours show the raw change (purple = increase, orange = decrease), because this "
        "indicator has no good or bad direction."
    )
    st.markdown(
        f"The {what} in **{md(meta['label'].lower())}** from **{md(l_from)}** to **{md(l_to)}**, "
        f"{md(lv.LEVELS[c.level]['name'].lower())}. {colour} The colour scale is centred on zero."
    )
    note = chrome.coverage_note(meta) if c.level in ("ltla", "utla") else None
    if note:
        st.info(note, icon=":material/info:")
    col_map, col_side = st.columns([3, 1.25], gap="medium")
    with col_map:
        mapwidget.choropleth(
            mapwidget.view_args(
                store, c.level, shown.layer, None, deckui.MAP_HEIGHT if deckui.on() else MAP_HEIGHT, False
            ),
            key="change-map",
        )
    with col_side:
        title = f"{'Percent change' if c.kind == 'percent' else 'Change'}, {l_from} to {l_to}"
        st.markdown(
            changemap.legend_html(shown.classes, c.kind, meta, basis, title, bool(note)),
            unsafe_allow_html=True,
        )
        st.markdown(md(counts_sentence(tbl, basis, c.level)))
        if not deckui.on():
            downloads.map_buttons(
                f"lumap-change-{c.indicator}-{c.year_from}-{c.year_to}-{c.level}-{c.kind}",
                "dl_change_map",
                jobs.change_image,
                cache.job_key(store),
                c.indicator,
                p_from,
                p_to,
                c.level,
                c.kind,
            )
    if deckui.on():  # a slide: the map, its legend and the counts
        return
    lists(tbl, meta, c.kind, l_from, l_to)
    label = f"{c.indicator}-{c.year_from}-{c.year_to}-{c.level}-{c.kind}"
    downloads.csv_button(
        "Download the change table (CSV)",
        tbl,
        f"lumap-change-{label}.csv",
        help="Every area in both periods, unrounded: value_a (from), value_b (to), "
        "change, improvement (change × polarity) and rank.",
    )
    if c.kind == "percent":
        st.caption(
            "Percent change is relative to the earlier value's size; it is not shown where "
            "the earlier value is zero."
        )
    st.caption(
        "Only areas with a value in both periods are compared: areas whose code changed "
        "between the two periods (mergers and renamings) appear in neither list."
    )
    chrome.metadata_panel(meta)
    if meta.get("has_ci"):
        st.caption(
            "These are survey or modelled estimates with confidence intervals: in a small area "
            "a large change can be sampling noise. The verdicts in the Mission gaps view allow "
            "for that uncertainty; this map and these lists do not."
        )


def counts_sentence(tbl: pd.DataFrame, basis: str, level: str) -> str:
    v = tbl[basis].dropna()
    up, down, same = int((v > 0).sum()), int((v < 0).sum()), int((v == 0).sum())
    if basis == "improvement":
        words = f"{up:,} improved, {down:,} got worse"
    else:
        words = f"{up:,} increased, {down:,} decreased"
    return f"Of {len(v):,} {lv.LEVELS[level]['short']} with a value in both periods, {words}" + (
        f" and {same:,} did not change." if same else "."
    )


def lists(tbl: pd.DataFrame, meta: dict, kind: str, l_from: str, l_to: str) -> None:
    cols = st.columns(2)
    for col, part in zip(
        cols,
        (changetable.most_improved(tbl, LIST_LENGTH), changetable.most_declined(tbl, LIST_LENGTH)),
        strict=True,
    ):
        with col:
            st.subheader(part.attrs.get("title", ""))
            if part.empty:
                st.caption(EMPTY_LIST.get(part.attrs.get("title"), "No area."))
                continue
            shown = pd.DataFrame(
                {
                    "Area": part["areanm"],
                    l_from: [format_value(x, meta, False) for x in part["value_a"]],
                    l_to: [format_value(x, meta, False) for x in part["value_b"]],
                    "Change": [changemap.format_change(x, kind, meta) for x in part["change"]],
                }
            )
            st.dataframe(shown, hide_index=True, width="stretch")
