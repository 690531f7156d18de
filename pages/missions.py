"""Missions: for each Levelling Up mission, is the gap between places closing?"""

import streamlit as st

from lumap.ui import cache, changeview, chrome, deckui, missionsview, state
from lumap.viz import glancehtml

store = cache.store()
notices: list[str] = []
changed = state.url_changed()

with st.sidebar:
    v = missionsview.controls(store, notices, changed)
    change = (
        changeview.controls(store, v.indicator, v.level, v.baseline, notices, changed)
        if v.view == "change" and v.indicator
        else None
    )

state.show_notices(notices)
st.markdown(glancehtml.PAGE_STYLE, unsafe_allow_html=True)
if v.catalogue == "missions":
    st.title("Missions: is the gap between places closing?")
    st.markdown(
        ""
        if deckui.on()
        else "Each Levelling Up mission asks for outcomes to improve in every area **and** for the gap "
        "between the best-performing areas and the rest to close. At a glance, per mission: has "
        "the gap narrowed since the baseline by more than the noise in the estimates?"
    )
elif v.catalogue == "own":
    st.title("Your data: is the gap between places closing?")
    st.markdown(
        ""
        if deckui.on()
        else "The indicators you uploaded on the Your data page (**your data**, this browser "
        "session only), judged by the same rules as the missions: has the gap between the "
        "best-performing areas and the rest narrowed since the baseline by more than the noise "
        "in your figures?"
    )
else:
    st.title("Local Outcomes Framework: is the gap between places closing?")
    st.markdown(
        ""
        if deckui.on()
        else "MHCLG's Local Outcomes Framework (9 February 2026) sets priority outcomes for councils "
        "in England. For the outcomes the store can measure: has the gap between areas narrowed "
        "since the baseline? The framework's source and what the store cannot measure yet are "
        "under *How the verdicts are decided*."
    )

if change is not None:
    changeview.view(store, change, v.level)
else:
    missionsview.missions_view(store, v)

chrome.attribution(store)

state.remember(
    level=v.level,
    **({"indicator": v.indicator} if v.indicator else {}),
    **({"year": change.year_to} if change and change.year_to else {}),
)
params = {
    "catalogue": v.catalogue if v.catalogue != "missions" else None,
    "view": v.view if v.view != "missions" else None,
    "mission": v.mission or None,
    "indicator": v.indicator,
    "level": v.level,
    "baseline": v.baseline,
    "measure": v.measure,
}
if change is not None:
    params.update({"from": change.year_from, "to": change.year_to, "kind": change.kind})
state.write_url(params)
