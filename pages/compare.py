"""Compare: two to ten areas on one indicator and period, with comparators, quotable
sentences, and a heat map of every mission indicator."""

import streamlit as st

from lumap.analysis.comparators import DEFAULT_SIMILAR
from lumap.analysis.selection import replaced_notes
from lumap.data import levels as lv
from lumap.escape import md
from lumap.queries.compare import area_options
from lumap.ui import areaselect, cache, chrome, compareview, deckui, downloads, pickers, state, wording

store = cache.store()
notices: list[str] = []
changed = state.url_changed()

with st.sidebar:
    mission, indicator = pickers.indicator_controls(store, notices, changed)
    period = pickers.period_picker(store, indicator, notices, changed)
    level = pickers.level_picker(store, indicator, notices, changed)
    kinds, vs, similar_kind = compareview.comparator_controls(notices, changed)

meta = wording.meta(store, indicator)
label = store.period_label(indicator, period)
st.title("Compare areas")
top = st.container()
options = area_options(cache.level_values(store.key, indicator, period, level), store.area_name)
areas = areaselect.choose_areas(
    store,
    options,
    notices,
    changed,
    key="compare_areas",
    what=compareview.what(store, indicator, period, level),
    nations=meta.get("nations") or None,
    label=f"Areas ({lv.LEVELS[level]['short']}, 2 to {areaselect.LIMIT})",
)
with top:
    state.show_notices(notices)
    st.markdown(
        f"**{md(meta['label'])}** — {md(meta.get('subtitle') or '')}. "
        f"**{md(label)}**, {md(lv.LEVELS[level]['name'].lower())}. "
        f"*{chrome.polarity_text(meta)}.*"
    )
    missing = chrome.missing_nations(meta) if level in ("ltla", "utla") else []
    if missing:
        st.info(
            f"Not published for {chrome.and_list(missing)}: areas there cannot be chosen.",
            icon=":material/info:",
        )
    chrome.count_note(store, indicator)

if not options:
    st.info(md(f"No {lv.LEVELS[level]['short']} have data for {label}. Choose another year or geography."))
elif not areas:
    st.info("Choose at least two areas to compare.")
else:
    if len(areas) == 1:
        st.info("Add at least one more area to compare; the comparators are shown meanwhile.")
    table = compareview.compare_table(store, indicator, period, level, areas, similar_kind)
    texts = compareview.sentences(store, indicator, period, level, table, vs)
    stem = compareview.file_stem(indicator, store, period, level)

    bars = compareview.bar_chart(store, indicator, period, level, table, kinds)
    if deckui.show("bars", "Bar chart and sentences"):
        compareview.show_bar_chart(bars)
        for note in replaced_notes(areas, store.successors, store.area_name):
            st.caption(md(note))
        for note in compareview.published_as_notes(store, table):
            st.caption(md(note))
        st.subheader("In words")
        compareview.show_sentences(texts)
    if not deckui.on():
        st.subheader("Table")
        st.dataframe(
            compareview.display_table(store, indicator, table, kinds), hide_index=True, width="stretch"
        )
        with st.container(horizontal=True):
            downloads.csv_button(
                "Download CSV",
                compareview.export_table(store, indicator, period, level, table, kinds, texts),
                f"{stem}.csv",
                key="dl_compare_csv",
            )
            downloads.png_button(
                "Download chart (PNG)",
                bars,
                f"{stem}.png",
                "dl_compare_png",
                downloads.credits(store, meta, meta["label"], f"{label} · {lv.LEVELS[level]['name']}"),
            )

    if deckui.show("heat", "Heat map of every mission indicator"):
        compareview.heat_section(store, level, areas)

    st.page_link(
        "pages/trends.py",
        label="See these areas over time →",
        query_params={"indicator": indicator, "level": level, "areas": ",".join(areas)},
    )

chrome.metadata_panel(meta)
chrome.attribution(store)

state.remember(indicator=indicator, year=st.session_state["year"], level=level)
state.write_url(
    {
        "indicator": indicator,
        **pickers.period_params(store, indicator, period),
        "level": level,
        "areas": ",".join(areas),
        "comp": ",".join(kinds) or "none",
        "vs": vs,
        "similar": similar_kind if similar_kind != DEFAULT_SIMILAR else None,
        "mission": mission or None,
    }
)
