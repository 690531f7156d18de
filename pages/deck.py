"""Deck: the slides added from the other pages; reorder, remove, title and note them, present
them, share the deck's link, and take the deck away offline."""

import streamlit as st

from lumap.ui import cache, deckui, deckview, state

store = cache.store()
notices: list[str] = []
slides = deckview.settle(notices, state.url_changed())

state.show_notices(notices)
st.title("Deck")
if not slides:
    deckview.intro()
    state.write_url({})
    st.stop()

deckview.toolbar(store, slides)
for i in range(len(slides)):
    deckview.slide_card(store, slides, i)
deckview.sharing(deckui.slides())
state.write_url({"deck": deckui.deck_param()})
