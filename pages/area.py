"""Area profile: everything about one place, every indicator, against the UK, its country,
its region and similar areas; boundary changes; is it closing the gap?"""

import streamlit as st

from lumap.analysis.comparators import DEFAULT_SIMILAR
from lumap.ui import areaview, cache, chrome, deckui, pickers, state, wording

store = cache.store()
notices: list[str] = []
changed = state.url_changed()

code = areaview.find_area(store, notices, changed)
kind = areaview.similar_kind(notices, changed)

if code is None:
    state.show_notices(notices)
    st.title("Area profile")
    areaview.intro()
    chrome.attribution(store)
    state.write_url({k: state.shared(k) for k in ("indicator", "year")})
    st.stop()

neutral = wording.neutral()
profile, gap = cache.area_profile(store.key, code, kind, neutral)
name = store.area_name(code)

top = st.container()  # notices and header first (on a slide, the indicator card follows it)
with deckui.sidebar_or("profile", "Headline counts and the selected indicator"):
    st.markdown("### Selected indicator")
    indicator = areaview.pick_indicator(store, profile, notices, changed)
    period = (
        areaview.selected_indicator(store, code, indicator, kind, notices, changed, gap)
        if indicator
        else None
    )

when = pickers.period_params(store, indicator, period)
with top:
    state.show_notices(notices)
    areaview.header(store, code)
keep = {k: v for k, v in {"indicator": indicator, **when}.items() if v is not None}
areaview.boundary_notice(store, code, keep)
similar = list((store.similar.get(code) or {}).get(kind) or [])
areaview.page_links(code, indicator, when, profile, similar, kind)

if deckui.show("glance", "The area at a glance"):
    areaview.at_a_glance(store, code, kind, neutral)
if deckui.show("profile", "Headline counts and the selected indicator"):
    areaview.summary(profile, name)
if not deckui.on():
    areaview.profile_tables(store, profile, wording.catalogue(store))
    areaview.download(profile, code, name)
if deckui.show("gap", "Is it closing the gap? (every mission indicator)"):
    areaview.closing_gap(store, gap, name)
if not deckui.on():
    areaview.similar_areas(store, code, kind, keep)
chrome.attribution(store)

state.remember(area=code, indicator=indicator, year=st.session_state.get("year"), similar=kind)
areaview.write_url(
    {"area": code, "indicator": indicator, **when, "similar": None if kind == DEFAULT_SIMILAR else kind},
    changed,
)
