"""Map: one indicator, one period, one geography level, on a choropleth."""

import streamlit as st

from lumap import jobs
from lumap.data import levels as lv
from lumap.escape import md
from lumap.ui import cache, chrome, deckui, downloads, mapview, pickers, state, wording
from lumap.ui.params import parse_choice, parse_code, parse_flag
from lumap.viz.classify import SCHEMES

store = cache.store()
notices: list[str] = []
changed = state.url_changed()

with st.sidebar:
    mission, indicator = pickers.indicator_controls(store, notices, changed)
    period = pickers.period_picker(store, indicator, notices, changed)
    level = pickers.level_picker(store, indicator, notices, changed)
    view = mapview.view_picker(store, level, notices, changed)
    state.resolve(state.Param("classes", parse_choice("classes", SCHEMES), "natural"), notices, changed)
    scheme = st.radio("Colour classes", list(SCHEMES), format_func=SCHEMES.get, key="classes")
    state.resolve(state.Param("basemap", parse_flag("basemap"), False), notices, changed)
    basemap = st.toggle("Street basemap (needs internet)", key="basemap")
    state.resolve(state.Param("present", parse_flag("present"), False), notices, changed)
    present = st.toggle(
        "Presentation mode",
        key="present",
        help="A larger map and legend for a projector; the table and notes are hidden.",
    )
    st.page_link("pages/yourdata.py", label="Map your own data", icon=":material/upload_file:")
big = present or deckui.on()  # presentation mode, or a slide of a deck

meta = wording.meta(store, indicator)
options = mapview.area_options(store, indicator, period, level)
codes = set(mapview.table(store, indicator, period, level)["areacd"]) | set(options)
area = state.resolve(
    state.Param("area", parse_code, None),
    notices,
    changed,
    valid=lambda v: v is None or v in codes,
)

state.show_notices(notices)
label = store.period_label(indicator, period)
st.title(md(meta["label"]))
st.markdown(
    f"{md(meta.get('subtitle') or '')} — **{md(label)}**, "
    f"{md(lv.LEVELS[level]['name'][:1].lower() + lv.LEVELS[level]['name'][1:])}. "
    f"*{chrome.polarity_text(meta)}.*"
)
missing = mapview.missing_reasons(store, indicator, period, level)
with st.container():  # one slot, notes or none: the map below keeps its place, so its view
    mapview.missing_notes(store, indicator, level, missing)
chrome.count_note(store, indicator)

layer_classes = cache.map_layer(store.key, indicator, period, level, scheme).classes
keys = mapview.legend_keys(store, indicator, period, level, layer_classes, missing)

view_params = {  # every control of the page, as the URL names it
    "indicator": indicator,
    **pickers.period_params(store, indicator, period),
    "level": level,
    "mission": mission or None,
    "classes": scheme if scheme != "natural" else None,
    "basemap": 1 if basemap else None,
    "present": 1 if present else None,
    "view": view if view != "map" else None,
}
col_map, col_side = st.columns([3, 1.25], gap="medium")
with col_map:
    if not present:
        mapview.finder(store, level, area, options)
    clicked, classes = mapview.draw_map(
        store,
        indicator,
        period,
        level,
        scheme,
        area,
        basemap,
        deckui.MAP_HEIGHT if deckui.on() else mapview.PRESENT_HEIGHT if present else mapview.MAP_HEIGHT,
        hexagons=view == "hex",
        legend_keys=keys,
    )
    if (code := clicked) and code != area:
        st.session_state["area"] = code
        state.write_url({**view_params, "area": code})
        st.rerun()
with col_side:
    mapview.draw_legend(meta, keys, scale=1.3 if big else 1.0)
    if area:
        mapview.area_panel(store, indicator, period, level, area)
        if st.button("Clear selection"):
            st.session_state["area"] = None
            st.rerun()
    else:
        st.caption("Click an area on the map, or find it by name, code or postcode above the map.")
    if not deckui.on():
        downloads.map_buttons(
            f"lumap-map-{indicator}-{label.replace(' ', '_')}-{level}",
            "dl_map",
            jobs.hex_map_image if view == "hex" else jobs.map_image,
            cache.job_key(store),
            indicator,
            period,
            level,
            scheme,
        )

if not big:
    st.subheader(f"All {lv.LEVELS[level]['short']}, ranked")
    mapview.ranked_table(store, indicator, period, level)
    chrome.metadata_panel(meta)
chrome.attribution(store)

state.remember(indicator=indicator, year=st.session_state["year"], level=level, area=area)
state.write_url({**view_params, "area": area})
