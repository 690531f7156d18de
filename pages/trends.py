"""Trends: one indicator over every published period for up to ten areas, with the UK and
regions as comparators and every other area as faint context."""

import streamlit as st

from lumap.analysis.selection import merger_notes, replaced_notes
from lumap.data import levels as lv
from lumap.escape import md
from lumap.queries.compare import area_options
from lumap.ui import areaselect, cache, chrome, deckui, downloads, pickers, state, trendsview, wording

store = cache.store()
notices: list[str] = []
changed = state.url_changed()

with st.sidebar:
    mission, indicator = pickers.indicator_controls(store, notices, changed)
    level = pickers.level_picker(store, indicator, notices, changed)
    settings = trendsview.display_controls(store, indicator, notices, changed)

meta = wording.meta(store, indicator)
periods = store.periods(indicator)
st.title("Trends")
top = st.container()
series = cache.level_series(store.key, indicator, level)
options = area_options(series, store.area_name)
areas = areaselect.choose_areas(
    store,
    options,
    notices,
    changed,
    key="trends_areas",
    what=f"the {lv.LEVELS[level]['short']} with data for this indicator",
    nations=meta.get("nations") or None,
    label=f"Areas ({lv.LEVELS[level]['short']}, up to {areaselect.LIMIT})",
)
with top:
    state.show_notices(notices)
    span = (
        f"{md(periods['label'].iloc[0])} to {md(periods['label'].iloc[-1])}"
        if len(periods) > 1
        else md(periods["label"].iloc[0])
    )
    st.markdown(
        f"**{md(meta['label'])}** — {md(meta.get('subtitle') or '')}. "
        f"{span}, {md(lv.LEVELS[level]['name'].lower())}. *{chrome.polarity_text(meta)}.*"
    )
    missing = chrome.missing_nations(meta) if level in ("ltla", "utla") else []
    if missing:
        st.info(
            f"Not published for {chrome.and_list(missing)}: areas there cannot be chosen.",
            icon=":material/info:",
        )
    chrome.count_note(store, indicator)

stem = f"lumap-trends-{indicator}-{level}"
if not options:
    st.info(f"No {lv.LEVELS[level]['short']} have data for this indicator. Choose another geography.")
elif len(periods) == 1:
    st.info(
        md(
            f"{meta['label']} is published for one period only ({periods['label'].iloc[0]}), so there "
            "is no trend to draw. Here are the single values instead."
        ),
        icon=":material/info:",
    )
    if areas:
        chart, table, label = trendsview.single_period(store, indicator, level, areas, settings["regions"])
        st.altair_chart(deckui.legible(chart), width="stretch")
        with st.container(horizontal=True):
            downloads.csv_button("Download CSV", table, f"{stem}.csv", "dl_trends_csv")
            downloads.png_button(
                "Download chart (PNG)",
                chart,
                f"{stem}.png",
                "dl_trends_png",
                downloads.credits(store, meta, meta["label"], f"{label} · {lv.LEVELS[level]['name']}"),
            )
elif not areas:
    st.info("Choose one or more areas to draw.")
else:
    fr = trendsview.frames(store, indicator, level, areas, settings)
    if fr["y"] == "index":
        lost = trendsview.not_indexable(fr)
        if lost:
            st.warning(
                md(
                    f"No value in the base year ({settings['base']}), so not indexed: "
                    f"{', '.join(lost)}. Choose an earlier or later base year."
                ),
                icon=":material/warning:",
            )
    chart = trendsview.chart(store, indicator, fr, settings)
    st.altair_chart(deckui.legible(chart, height=330), width="stretch")
    notes = ["Dashed: comparators."]
    if settings["context"]:
        notes.append(f"Grey: every other {lv.LEVELS[level]['short'][:-1]} with data.")
    if len(fr["markers"]):
        notes.append(
            "◆ marks where an area's figures move to its new code (the same place; hover for details)."
        )
    if fr["y"] == "index":
        notes.append("Each line is divided by its own value in the base period and multiplied by 100.")
    st.caption(
        " ".join(notes) + " [x] unavailable, [c] confidential, [u] low reliability, [z] not applicable."
    )
    for note in replaced_notes(areas, store.successors, store.area_name):
        st.caption(md(note))
    have = set(series.loc[series["value"].notna(), "areacd"])
    for note in merger_notes(areas, store.successors, store.continuations, store.area_name, have):
        st.caption(md(note))
    if not deckui.on():
        st.dataframe(trendsview.wide_table(store, indicator, fr, areas), hide_index=True, width="stretch")
    with st.container(horizontal=True):
        downloads.csv_button(
            "Download CSV",
            trendsview.export(store, indicator, level, fr, settings),
            f"{stem}.csv",
            "dl_trends_csv",
        )
        trendsview.png_button(store, indicator, level, fr, settings, f"{stem}.png")
    st.page_link(
        "pages/compare.py",
        label="Compare these areas in one year →",
        query_params={"indicator": indicator, "level": level, "areas": ",".join(areas)},
    )

chrome.metadata_panel(meta)
chrome.attribution(store)

state.remember(indicator=indicator, level=level)
state.write_url(
    {
        "indicator": indicator,
        "level": level,
        "areas": ",".join(areas),
        "scale": "index" if settings["scale"] == "index" else None,
        "base": settings["base"] if settings["scale"] == "index" else None,
        "ci": "1" if settings["ci"] else None,
        "context": None if settings["context"] else "0",
        "regions": None if settings["regions"] else "0",
        "mission": mission or None,
    }
)
