"""The compare page's parts: comparator controls, bar chart, sentences, table, heat map,
downloads."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lumap.analysis import comparison, heatmap
from lumap.analysis.comparators import DEFAULT_SIMILAR, SIMILAR_KINDS
from lumap.analysis.counts import is_count, share_text
from lumap.analysis.format import format_value, is_missing
from lumap.analysis.ranks import rank_text
from lumap.analysis.significance import RULE_TEXT
from lumap.analysis.trends import display_names
from lumap.data import levels as lv
from lumap.data.store import Store
from lumap.escape import md
from lumap.ui import cache, deckui, downloads, state, wording
from lumap.ui.params import parse_choice, parse_choices
from lumap.viz import charts

KINDS = list(comparison.COMPARATORS)
KIND_LABELS = {"uk": "UK", "country": "Country", "region": "Region", "similar": "Similar areas"}
DEFAULT_KINDS = ["uk", "region"]


def comparator_controls(notices: list[str], changed: bool) -> tuple[list[str], str, str]:
    """(comparators shown, comparator the sentences use, kind of similar areas)."""
    state.resolve(
        state.Param("comp", parse_choices("comparator", KINDS), DEFAULT_KINDS),
        notices,
        changed,
        valid=lambda v: isinstance(v, list) and all(k in KINDS for k in v),
    )
    kinds = st.multiselect(
        "Comparators",
        KINDS,
        key="comp",
        format_func=KIND_LABELS.get,
        help="Shown in the chart and the table. Similar areas: the average of the "
        "area's ONS statistical nearest neighbours (an orange tick in the chart).",
    )
    state.resolve(
        state.Param("vs", parse_choice("vs", KINDS), "uk"), notices, changed, valid=lambda v: v in KINDS
    )
    vs = st.radio("Sentences compare with", KINDS, key="vs", format_func=KIND_LABELS.get, horizontal=True)
    state.resolve(
        state.Param("similar", parse_choice("similar", SIMILAR_KINDS), DEFAULT_SIMILAR),
        notices,
        changed,
        valid=lambda v: v in SIMILAR_KINDS,
    )
    similar_kind = st.selectbox(
        "Similar areas by",
        list(SIMILAR_KINDS),
        key="similar",
        format_func=SIMILAR_KINDS.get,
        help="ONS nearest neighbours: overall, or on economic or demographic measures.",
    )
    return kinds, vs, similar_kind


def what(store: Store, indicator: str, period: str, level: str) -> str:
    return f"the {lv.LEVELS[level]['short']} with data for {store.period_label(indicator, period)}"


def compare_table(
    store: Store, indicator: str, period: str, level: str, areas: list[str], similar_kind: str
) -> pd.DataFrame:
    frame = cache.level_values(store.key, indicator, period, level)
    meta = wording.meta(store, indicator)
    return comparison.compare_table(
        frame,
        store.period_rows(indicator, period),
        areas,
        store.geo,
        store.similar,
        meta.get("polarity"),
        similar_kind,
        decimals=meta.get("decimals"),
        count=is_count(meta),
    )


def bar_chart(store: Store, indicator: str, period: str, level: str, table: pd.DataFrame, kinds: list[str]):
    meta = wording.meta(store, indicator)
    if is_count(meta):  # the UK's or a region's total beside one area's says nothing
        kinds = []
    rows = comparison.chart_rows(table, [])  # one bar per area; comparators are ticks on it
    names = display_names(table["areacd"], store.area_name)  # old and new Barnsley stay apart
    rows["name"] = [names.get(c, n) for c, n in zip(rows["code"], rows["name"], strict=True)]
    marks = comparison.comparator_marks(table, kinds, names)
    rows["reason"] = [
        comparison.status_reason(s, n) if is_missing(v) else ""
        for s, n, v in zip(rows["status"], rows["notes"], rows["value"], strict=True)
    ]
    similar = None
    if "similar" in kinds and table["similar_value"].notna().any():
        s = table[table["similar_value"].notna()]
        similar = pd.DataFrame(
            {"name": s["areacd"].map(names), "value": s["similar_value"], "n": s["similar_n"]}
        )
    label = store.period_label(indicator, period)
    subtitle = f"{label} · {lv.LEVELS[level]['name']}"
    if meta.get("has_ci"):
        subtitle += " · black whiskers: 95% confidence intervals"
    if len(marks):
        subtitle += " · ticks: each area's comparators"
    if similar is not None:
        subtitle += " · orange ticks: average of each area's similar areas"
    return charts.bar_chart(rows, meta, meta["label"], subtitle, similar, comparators=marks)


def published_as_notes(store: Store, table: pd.DataFrame) -> list[str]:
    """'Barnsley: published under Barnsley's previous code E08000016 (boundary unchanged).' for
    each area whose figure the source published under an earlier code of the same place."""
    return [
        f"{store.area_name(code)}: "
        + store.published_as(code, source)[:1].lower()
        + store.published_as(code, source)[1:]
        for code, source in zip(table["areacd"], table["source_areacd"], strict=True)
        if source and source != code
    ]


def show_bar_chart(chart) -> None:
    st.altair_chart(deckui.legible(chart), width="stretch")


def sentences(
    store: Store, indicator: str, period: str, level: str, table: pd.DataFrame, vs: str
) -> list[str]:
    meta = wording.meta(store, indicator)
    label = store.period_label(indicator, period)
    short = lv.LEVELS[level]["short"]
    return [comparison.sentence(r, meta, vs, label, short) for _, r in table.iterrows()]


def show_sentences(texts: list[str]) -> None:
    """One quotable sentence per area; each names the comparator it uses (the area's
    country stands in where the UK or a region has no figure)."""
    st.markdown("\n".join(f"- {md(t)}" for t in texts))
    st.caption(RULE_TEXT)


def display_table(store: Store, indicator: str, table: pd.DataFrame, kinds: list[str]) -> pd.DataFrame:
    """What the reader sees: rounded with the indicator's decimals, words for suppression. A
    count's comparator columns give the comparator's total and the area's share of it."""
    meta = wording.meta(store, indicator)
    count = is_count(meta)
    out = pd.DataFrame(
        {
            "Area": table["areanm"],
            "Code": table["areacd"],
            "Value": [
                format_value(v, meta) if pd.notna(v) else _suppressed(s, n)
                for v, s, n in zip(table["value"], table["status"], table["notes"], strict=True)
            ],
            "95% CI": [
                ""
                if is_missing(lo) or is_missing(hi)
                else f"{format_value(lo, meta, False)} – {format_value(hi, meta, False)}"
                for lo, hi in zip(table["lci_95"], table["uci_95"], strict=True)
            ],
            "Rank": [
                rank_text(r, n, tied=t, value_text=None if is_missing(v) else format_value(v, meta)) or "–"
                for r, n, t, v in zip(table["rank"], table["n"], table["tied"], table["value"], strict=True)
            ],
        }
    )
    for k in kinds:
        out[f"vs {KIND_LABELS[k]}"] = [
            "–"
            if is_missing(v) or is_missing(own)
            else f"{_short(k, name)}{format_value(v, meta, False)} — "
            + (_share_words(part) if count else word)
            for name, v, word, own, part in zip(
                table[f"{k}_name"],
                table[f"{k}_value"],
                table[f"{k}_word"],
                table["value"],
                table[f"{k}_share"],
                strict=True,
            )
        ]
    return out


def _share_words(part) -> str:
    """'total; this area is 0.15% of it' (a count beside a comparator's total)."""
    return "total" if is_missing(part) else f"total; this area is {share_text(part)} of it"


def _suppressed(status, notes) -> str:
    """'suppressed [u]: low reliability' (the source's flag and its meaning)."""
    flag = "" if is_missing(status) else str(status).strip()
    reason = comparison.status_reason(status, notes)
    return f"suppressed [{flag}]: {reason}" if flag in comparison.STATUS_WORDS else f"no value: {reason}"


def _short(kind: str, name) -> str:
    """The comparator's name where it varies by area ("North West: "), none for the UK."""
    if is_missing(name) or (kind == "uk" and name == "United Kingdom"):
        return ""
    if kind == "similar":
        return str(name).replace("average of ", "avg of ") + ": "
    return f"{name}: "


def export_table(
    store: Store,
    indicator: str,
    period: str,
    level: str,
    table: pd.DataFrame,
    kinds: list[str],
    texts: list[str],
) -> pd.DataFrame:
    """The CSV: the store's unrounded numbers for every area and comparator shown."""
    base = ["areacd", "areanm", "value", "lci_95", "uci_95", "status", "notes", "rank", "n"]
    out = table[base].rename(columns={"n": "n_ranked"}).copy()
    out.insert(2, "indicator", indicator)
    out.insert(3, "period", period)
    out.insert(4, "period_label", store.period_label(indicator, period))
    out.insert(5, "level", level)
    for k in kinds:
        for c in ("code", "name", "value", "lci_95", "uci_95", "difference", "word"):
            out[f"{k}_{c}"] = table[f"{k}_{c}"]
        if k == "similar":
            out["similar_n"] = table["similar_n"]
        elif is_count(store.indicator(indicator)):
            out[f"{k}_share"] = table[f"{k}_share"]
    out["sentence"] = texts
    return out


# ---- heat map ---------------------------------------------------------------------------------


def heat_cells(store: Store, level: str, areas: list[str]) -> tuple[pd.DataFrame, int]:
    """Cells for the chosen areas; rows where none of them has a value are dropped
    (returned count)."""
    table = cache.mission_heat_table(store.key, level)
    cells = heatmap.for_areas(table, areas)
    if cells.empty:
        return cells, 0
    keep = cells.groupby("indicator")["value"].transform(lambda v: v.notna().any())
    dropped = cells.loc[~keep, "indicator"].nunique()
    cells = cells[keep].reset_index(drop=True)
    names = display_names(areas, store.area_name)
    cells["area"] = cells["areacd"].map(names)
    cells["areanm"] = cells["areacd"].map(store.area_name)
    nations = {
        indicator: set(store.indicator(indicator).get("nations") or "EWSN")
        for indicator in cells["indicator"].unique()
    }
    cells["published"] = [
        pub or (code[:1] in nations[indicator])
        for pub, code, indicator in zip(cells["published"], cells["areacd"], cells["indicator"], strict=True)
    ]
    if wording.neutral():
        cells = heatmap.neutral_cells(cells)
    return cells, dropped


def heat_chart(store: Store, level: str, cells: pd.DataFrame, areas: list[str]):
    names = list(display_names(areas, store.area_name).values())
    title = f"Every mission indicator, {lv.LEVELS[level]['name'].lower()}"
    return charts.heatmap_chart(cells, names, store.indicator, title)


def heat_credits(store: Store, level: str, cells: pd.DataFrame):
    """The heat map PNG's title, period (each indicator's latest) and sources."""
    metas = [store.indicator(s) for s in dict.fromkeys(cells["indicator"])]
    title = f"Every mission indicator, {lv.LEVELS[level]['name'].lower()}"
    return downloads.credits(store, metas, title, "Each indicator's latest period")


def heat_export(cells: pd.DataFrame, level: str) -> pd.DataFrame:
    return cells[heatmap.COLUMNS].assign(level=level)


def file_stem(indicator: str, store: Store, period: str, level: str) -> str:
    return f"lumap-compare-{indicator}-{store.period_label(indicator, period).replace(' ', '_')}-{level}"


def heat_section(store: Store, level: str, areas: list[str]) -> None:
    """Strengths and weaknesses across the missions: the heat map, what its colours mean,
    its downloads."""
    st.subheader("Strengths and weaknesses across the missions")
    cells, hidden = heat_cells(store, level, areas)
    if cells.empty:
        st.info(f"No mission indicator has data for these {lv.LEVELS[level]['short']}.")
        return
    heat = heat_chart(store, level, cells, areas)
    st.altair_chart(deckui.legible(heat), width="stretch")
    st.caption(
        "Colour: the area's percentile rank among all "
        f"{lv.LEVELS[level]['short']} with data in each indicator's latest period, "
        "turned so that 100 is always the best (purple) and 0 the worst (orange). "
        "Indicators marked (neutral) have no better direction: grey, 100 = highest. "
        "Hover a cell for the value, period and rank."
        + (f" {hidden} indicator(s) with no data for any chosen area are left out." if hidden else "")
    )
    with st.container(horizontal=True):
        downloads.csv_button(
            "Download heat map CSV",
            heat_export(cells, level),
            f"lumap-heatmap-{level}.csv",
            key="dl_heat_csv",
        )
        downloads.png_button(
            "Download heat map (PNG)",
            heat,
            f"lumap-heatmap-{level}.png",
            "dl_heat_png",
            heat_credits(store, level, cells),
        )
