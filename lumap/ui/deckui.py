"""Slides and decks in the app (#7): the "Add to deck" control on every page, the deck being
built in this session, and slide mode — a page showing one view as a slide.

A slide is a page's view: the page, the query string it wrote (``state.WRITTEN``: every
parameter any page writes travels untouched), the part of the page it shows, a title and
a one-line note (:mod:`lumap.deck`). A page shows itself as a slide when its URL carries
``deckslide=<token>`` (the slide's own token); the session stays in slide mode from then
on (the page rewrites its URL without the token).

The contract for pages (two calls, both cheap and safe in any mode):

``on()``
    True when this session shows one slide: leave out what a slide does not need
    (tables, downloads, notes for readers at a desk).
``show(part, label)``
    For a page with more than one view (the missions page's summary and its indicator
    sections; compare's bars and heat map): offers ``part`` to "Add to deck" and says
    whether to draw it. Outside slide mode it is always True; in slide mode it is True only
    for the slide's part (or, for a slide that names none, the first part the page offers).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from lumap import deck
from lumap.data.metadata import source_links
from lumap.data.store import Store
from lumap.escape import html, md
from lumap.ui import deckwidget, owndata, state

DECK_KEY = "_deck"  # tuple[deck.Slide, ...]: the deck this session is building
SLIDE_KEY = "_deck_slide"  # deck.Slide: this session shows one slide
PARTS_KEY = "_deck_parts"  # [(part, label)] the page offered in this run
SHOWN_KEY = "_deck_shown"  # the part drawn in this run (slide mode)
PROBLEM_KEY = "_deck_problem"  # why the last "Add to deck" did not add
TOKEN_PARAM = "deckslide"
HIDDEN = "lumap-deck-hidden"  # a container's key: drawn, never shown (slide.css)
#: A map's height on a slide, in the canvas's pixels (deckwidget.CANVAS: 1120×630).
MAP_HEIGHT = 430
SLIDE_CSS = (Path(__file__).parent / "deckfrontend" / "slide.css").read_text(encoding="utf-8")
PAGE_FILES = {
    "map": "pages/map.py",
    "missions": "pages/missions.py",
    "area": "pages/area.py",
    "compare": "pages/compare.py",
    "trends": "pages/trends.py",
}


# ---- the deck being built -------------------------------------------------------------------


def slides() -> tuple[deck.Slide, ...]:
    return tuple(st.session_state.get(DECK_KEY, ()))


def set_slides(new) -> None:
    st.session_state[DECK_KEY] = tuple(new)


def deck_param() -> str | None:
    """The deck's URL parameter, or None for an empty deck."""
    current = slides()
    return deck.encode(current) if current else None


# ---- slide mode ------------------------------------------------------------------------------


def begin_run() -> deck.Slide | None:
    """Called by app.py before the page runs: settle slide mode (a ``deckslide`` token in
    the URL starts it) and forget the parts offered by the previous run."""
    st.session_state[PARTS_KEY] = []
    st.session_state.pop(SHOWN_KEY, None)
    shared = st.query_params.get(owndata.SHARE_PARAM)
    if shared and st.query_params.get(TOKEN_PARAM):  # a slide of its presenter's own uploads
        owndata.adopt(shared)
    token = st.query_params.get(TOKEN_PARAM)
    if token:
        try:
            st.session_state[SLIDE_KEY] = deck.decode_slide(token)
        except ValueError:
            st.session_state[SLIDE_KEY] = deck.Slide("map")
    return st.session_state.get(SLIDE_KEY)


def on() -> bool:
    return st.session_state.get(SLIDE_KEY) is not None


def current_slide() -> deck.Slide | None:
    return st.session_state.get(SLIDE_KEY)


def titled() -> bool:
    """A slide with its own title is showing (the page's own title is hidden)."""
    slide = current_slide()
    return slide is not None and bool(slide.title)


def show(part: str, label: str) -> bool:
    offered = st.session_state.setdefault(PARTS_KEY, [])
    if part not in [p for p, _ in offered]:
        offered.append((part, label))
    elif label:
        offered[:] = [(p, label if p == part else lab) for p, lab in offered]
    slide = current_slide()
    if slide is None:
        return True
    if slide.part:
        return part == slide.part
    if SHOWN_KEY not in st.session_state:
        st.session_state[SHOWN_KEY] = part
    return st.session_state[SHOWN_KEY] == part


#: Chart text on a slide, in the canvas's pixels (×1.71 on a 1920×1080 screen): readable from the
#: back of a room. Vega draws its own text, so the page's CSS cannot reach it.
SLIDE_CHART_CONFIG = {
    "axis": {"labelFontSize": 15, "titleFontSize": 15},
    "legend": {"labelFontSize": 15, "titleFontSize": 15, "symbolSize": 160, "labelLimit": 320},
    "title": {"fontSize": 20, "subtitleFontSize": 14},
    "text": {"fontSize": 14},
}


def legible(chart, height: int | None = None):
    """``chart`` (Altair chart or Vega-Lite dict) as a slide shows it: bigger text and, with
    ``height``, a height that fits the canvas. Unchanged outside slide mode."""
    if not on():
        return chart
    if isinstance(chart, dict):
        spec = dict(chart)
        config = dict(spec.get("config") or {})
        for k, v in SLIDE_CHART_CONFIG.items():
            config[k] = {**(config.get(k) or {}), **v}
        spec["config"] = config
        if height and "height" in spec:
            spec["height"] = height
        return spec
    chart = chart.configure_axis(**SLIDE_CHART_CONFIG["axis"])
    chart = chart.configure_legend(**SLIDE_CHART_CONFIG["legend"])
    chart = chart.configure_title(**SLIDE_CHART_CONFIG["title"])
    if height:
        chart = chart.properties(height=height)
    return chart


def sidebar_or(part: str, label: str):
    """Where a page draws what a slide shows from its sidebar (the area profile's indicator
    card): the sidebar normally; on a slide of ``part``, the page itself; on a slide of
    another part, nowhere (a hidden container: the page's code still runs)."""
    if not on():
        show(part, label)
        return st.sidebar
    return st.container() if show(part, label) else st.container(key=HIDDEN)


def slide_top(slide: deck.Slide) -> None:
    """Before the page runs: the slide's styles, its title and the fit-to-screen script."""
    css = SLIDE_CSS
    if slide.title:
        css += '\n[data-testid="stHeading"]:has(h1) { display: none !important; }'
    st.html(f"<style>{css}</style>")
    deckwidget.slide_script()
    if slide.title:
        head = f"<div class='lumap-slide-head'><h1>{html(slide.title)}</h1></div>"
        st.markdown(head, unsafe_allow_html=True)


def slide_bottom(store: Store, slide: deck.Slide) -> None:
    """After the page ran: the note and the data's source in small type (drawn last)."""
    params = slide.params()
    meta = store.meta.get(params.get("indicator", "")) if params.get("indicator") else None
    bits = []
    if meta:
        orgs = [org for org, _ in source_links(meta)]
        if orgs:
            bits.append("Data: " + "; ".join(orgs) + ".")
    note = f"<div class='note'>{html(slide.note)}</div>" if slide.note else ""
    source = f"<div class='source'>{html(' '.join(bits))}</div>" if bits else ""
    if note or source:
        st.markdown(f"<div class='lumap-slide-foot'>{note}{source}</div>", unsafe_allow_html=True)


# ---- the "Add to deck" control --------------------------------------------------------------


def default_title(store: Store, page: str, params: dict, part: str, label: str) -> str:
    """A title that says what the slide shows (the presenter may change it)."""
    meta = store.meta.get(params.get("indicator", "")) or {}
    name = meta.get("label", "")
    area = params.get("area")
    if page == "map":
        when = ""
        if name and params.get("year", "").isdigit():
            try:
                period = store.resolve_year(params["indicator"], int(params["year"]))
                when = f", {store.period_label(params['indicator'], period)}"
            except (KeyError, ValueError):
                when = ""
        where = f" — {store.area_name(area)}" if area else ""
        return f"{name or 'Map'}{when}{where}"
    if page == "missions":
        if params.get("view") == "change" and name:
            span = f", {params['from']} to {params['to']}" if params.get("from") and params.get("to") else ""
            return f"Change in {name[:1].lower() + name[1:]}{span}"
        return label if part and label else "Missions: is the gap between places closing?"
    if page == "area":
        return store.area_name(area) if area else "Area profile"
    if page == "compare":
        n = len([a for a in params.get("areas", "").split(",") if a])
        what = "heat map" if part == "heat" else f"{n} areas compared" if n else "compared"
        return f"{name}: {what}" if name else "Compare areas"
    if page == "trends":
        return f"{name} over time" if name else "Trends"
    return deck.PAGES.get(page, page)


def session_only(store: Store, params: dict) -> bool:
    """A view of an indicator this server's store does not hold (data uploaded in one
    session, #11): its slide cannot reopen anywhere else."""
    indicator = params.get("indicator")
    return bool(indicator) and (indicator not in store.meta or bool(store.meta[indicator].get("own")))


def _add(page: str, params: dict, part: str, title: str) -> None:
    """The button's callback (runs before the next run, with the view the reader saw). Its
    arguments are plain values: they stay in the session, and a session must not keep an
    old build's Store alive (tests/test_store_reload.py)."""
    current = slides()
    try:
        slide = deck.make_slide(page, params, title, "", part)
        deck.encode(current + (slide,))
    except ValueError as exc:
        st.session_state[PROBLEM_KEY] = str(exc)
        return
    set_slides(current + (slide,))
    st.toast(f"Added slide {len(current) + 1} to the deck.", icon=":material/check:")


def add_control(store: Store, page: str) -> None:
    """In the sidebar, after the page ran: add its view (or one of its parts) to the deck."""
    if page not in deck.PAGES:
        return
    params = dict(st.session_state.get(state.WRITTEN) or {})
    offered = list(st.session_state.get(PARTS_KEY) or [])
    with st.sidebar:
        st.divider()
        part, label = ("", "")
        if len(offered) > 1:
            labels = dict(offered)
            part = st.selectbox(
                "Slide shows", list(labels), format_func=labels.get, key=f"deck_part_{page}", help=None
            )
            label = labels[part]
        elif offered:
            part, label = offered[0]
        current = slides()
        st.button(
            "Add to deck",
            icon=":material/add_to_queue:",
            key="deck_add",
            help="This view, exactly as it is now, becomes the deck's next slide.",
            disabled=len(current) >= deck.MAX_SLIDES,
            on_click=_add,
            args=(page, params, part, default_title(store, page, params, part, label)),
        )
        problem = st.session_state.pop(PROBLEM_KEY, None)
        if problem:
            st.warning(md(problem), icon=":material/warning:")
        if session_only(store, params):
            st.caption(
                "This view shows data uploaded in this session: its slide shows only here, "
                "and a deck link opened on another machine cannot reopen it."
            )
        n = len(slides())
        st.page_link(
            "pages/deck.py",
            label=f"Deck: {n} slide{'s' if n != 1 else ''} →" if n else "Deck (empty) →",
            icon=":material/slideshow:",
            query_params={"deck": deck_param()} if n else None,
        )
