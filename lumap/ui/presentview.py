"""The present page's parts: the slides' addresses, the full-screen frame, one slide alone."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from lumap import deck
from lumap.data.store import Store
from lumap.escape import md
from lumap.ui import deckui, owndata, state

FILL_SCREEN = (Path(__file__).parent / "deckfrontend" / "present.css").read_text(encoding="utf-8")


def src(slide: deck.Slide, shared: str | None = None) -> str:
    """The slide's own page in slide mode, relative to the component's frame
    (``/component/<name>/index.html``), so a base URL path keeps working. ``shared``: this
    session's share token, for a slide of its own uploaded data (:func:`owndata.share_token`)."""
    query = deck.normal_query(slide.query)
    token = deck.encode_slide(slide)
    path = "" if slide.page == "map" else slide.page  # the default page lives at the root
    own = f"&{owndata.SHARE_PARAM}={shared}" if shared else ""
    return f"../../{path}?{query + '&' if query else ''}{deckui.TOKEN_PARAM}={token}{own}"


def _own_here(params: dict) -> bool:
    """The slide shows an indicator this session uploaded."""
    return owndata.has(params.get("indicator") or "")


def missing(store: Store, slide: deck.Slide) -> str:
    """Why a slide cannot be shown on this server ("" when it can)."""
    params = slide.params()
    if deckui.session_only(store, params) and not _own_here(params):
        return (
            f"Slide “{slide.title or deck.PAGES[slide.page]}” showed data uploaded in another "
            f"session (“{deck.one_line(params['indicator'], 60)}”); uploaded data stays with the "
            "session that uploaded it, so this slide cannot reopen here."
        )
    return ""


def frames(store: Store, slides) -> list[dict]:
    out = []
    for s in slides:
        shared = owndata.share_token() if _own_here(s.params()) else None
        out.append({"src": src(s, shared), "title": s.title, "missing": missing(store, s)})
    return out


def fill_screen() -> None:
    st.html(f"<style>{FILL_SCREEN}</style>")


def empty(notices: list[str]) -> None:
    state.show_notices(notices)
    st.title("Present")
    st.info(
        "This deck has no slides. Open any view (a map, the missions summary, a comparison, a "
        "trend …), press “Add to deck” in the sidebar, then present the deck from the Deck page.",
        icon=":material/slideshow:",
    )
    st.page_link("pages/deck.py", label="Open the deck →", icon=":material/slideshow:")


def open_alone(slide: deck.Slide) -> None:
    """A deck of one slide (what an attendee opens from the screen): its page, in slide
    mode, with nothing around it (no second frame to load)."""
    params = slide.params()
    params[deckui.TOKEN_PARAM] = deck.encode_slide(slide)
    try:
        st.switch_page(deckui.PAGE_FILES[slide.page], query_params=params)
    except KeyError:  # a page registered by another module without a file here
        st.warning(md(f"This slide's page ({slide.page}) is not part of this lumap."))
