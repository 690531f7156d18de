"""lumap — the entry point only sets up the frame and routes to the pages."""

from pathlib import Path

import streamlit as st

from lumap.data.store import StoreMissing
from lumap.escape import md
from lumap.ui import assets, cache, deckui, state, uploadcap, wording

st.set_page_config(
    page_title="lumap — Levelling Up missions explorer",
    layout="wide",
    page_icon=str(Path(__file__).parent / "lumap" / "ui" / "favicon.png"),
)
assets.ensure_leaflet()
uploadcap.install()  # before any page can show an uploader: uploads held in memory are capped

try:
    cache.store()
except StoreMissing as exc:
    st.error(md(str(exc)) + "\n\nOr run `make run`, which builds it when it is missing.")
    st.stop()

PAGES = [
    st.Page("pages/map.py", title="Map", icon=":material/map:", url_path="map", default=True),
    st.Page("pages/missions.py", title="Missions", icon=":material/flag:", url_path="missions"),
    st.Page("pages/area.py", title="Area profile", icon=":material/location_on:", url_path="area"),
    st.Page("pages/compare.py", title="Compare", icon=":material/compare_arrows:", url_path="compare"),
    st.Page("pages/trends.py", title="Trends", icon=":material/show_chart:", url_path="trends"),
    st.Page("pages/yourdata.py", title="Your data", icon=":material/upload_file:", url_path="yourdata"),
    st.Page("pages/data.py", title="Data", icon=":material/dataset:", url_path="data"),
    st.Page("pages/deck.py", title="Deck", icon=":material/slideshow:", url_path="deck"),
    st.Page("pages/present.py", title="Present", url_path="present", visibility="hidden"),
]
slide = deckui.begin_run()  # a page shown as one slide of a deck: no navigation, no sidebar
page = st.navigation(PAGES, position="hidden" if slide else "top")
state.set_current_page(page.url_path)
if slide:
    deckui.slide_top(slide)
_notices: list[str] = []
wording.resolve(_notices, state.url_changed())
if not slide:
    wording.toggle()
state.show_notices(_notices)
page.run()
if slide:
    deckui.slide_bottom(cache.store(), slide)
else:
    deckui.add_control(cache.store(), page.url_path or "map")  # the default page's path is ""

# After the first page is drawn, fill the missions page's caches in the background.
from lumap.ui import missionsview  # noqa: E402  (imported late: only needed once per process)

cache.warm_up("missions", lambda: missionsview.warm_reports(cache.store()))
