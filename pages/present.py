"""Present: a deck full screen, one live slide at a time (/present?deck=...&slide=k)."""

import streamlit as st

from lumap import deck
from lumap.ui import cache, deckui, deckwidget, presentview, state
from lumap.ui.params import parse_int

store = cache.store()
raw = st.query_params.get("deck")
decoded = deck.decode(raw) if raw else deck.Decoded(deckui.slides())
slides, notices = list(decoded.slides), list(decoded.notices)

if not slides:
    presentview.empty(notices)
    st.stop()
if raw:
    deckui.set_slides(slides)  # "Edit deck" and the other pages carry on with this deck

start = state.resolve(
    state.Param("slide", parse_int("slide", 1, len(slides)), 1), notices, state.url_changed()
)
if len(slides) == 1 and not notices:
    presentview.open_alone(slides[0])  # an attendee's link to one slide: that page, as a slide

param = deck.encode(slides)
presentview.fill_screen()
shown = deckwidget.shell(
    presentview.frames(store, slides), int(start), f"../../deck?deck={param}", notices, key="deck"
)
state.write_url({"deck": param, "slide": shown or start})
