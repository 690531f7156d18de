"""The deck page's parts: the deck from the URL or the session, one card per slide (title,
note, move, remove, open), presenting, the deck's link and the offline downloads."""

from __future__ import annotations

import functools
import hashlib
from urllib.parse import urlsplit

import streamlit as st

from lumap import deck
from lumap.data.store import Store
from lumap.escape import md
from lumap.ui import cache, deckui, offline, slideshots


def settle(notices: list[str], changed: bool) -> tuple[deck.Slide, ...]:
    """The deck to edit: the URL's when the URL changed from outside (a link, a reload),
    else the one this session is building."""
    raw = st.query_params.get("deck")
    if changed and raw:
        got = deck.decode(raw)
        notices.extend(got.notices)
        if got.slides:
            deckui.set_slides(got.slides)
        elif deckui.slides():
            notices.append("The deck you were building is kept.")
    return deckui.slides()


def intro() -> None:
    st.info(
        "No slides yet. Open any view — a map, the missions summary or one indicator's section, "
        "a change map, an area profile, a comparison, a trend — and press **Add to deck** in the "
        "sidebar. Each slide is live when you present it and the deck is a link that reopens the "
        "same slides on any machine.",
        icon=":material/slideshow:",
    )


def base_url() -> str:
    """This app's address without the page (for links to copy), e.g. ``http://host:8501/``."""
    try:
        url = st.context.url or ""
    except Exception:  # noqa: BLE001 (no browser context: AppTest)
        url = ""
    parts = urlsplit(url)
    if not parts.scheme:
        return "/"
    path = parts.path.rsplit("/", 1)[0] + "/"
    return f"{parts.scheme}://{parts.netloc}{path}"


def toolbar(store: Store, slides) -> None:
    param = deck.encode(slides)
    st.markdown(
        f"**{len(slides)} slide{'s' if len(slides) != 1 else ''}.** Present full screen and step with "
        "→ / ← , space, PageDown / PageUp (a clicker) or the buttons; each slide stays live "
        "(hover, click) and the next one is loaded before you get to it."
    )
    with st.container(horizontal=True):
        st.page_link(
            "pages/present.py",
            label="Present",
            icon=":material/play_arrow:",
            query_params={"deck": param},
        )
        st.download_button(
            "Download deck (HTML, works offline)",
            functools.partial(offline.deck_file, slides, cache.job_key(store)),
            file_name="lumap-deck.html",
            mime="text/html",
            key="deck_offline",
            on_click="ignore",
            icon=":material/download:",
            help=(
                "One file with every slide — maps, charts, tables, notes — that opens in any browser "
                "with no internet and no lumap (a USB stick): arrow keys step through it. Maps are "
                "pictures there. Drawn on the server when you click: a few seconds a slide."
            ),
        )
        if st.button("Empty the deck", icon=":material/delete_sweep:", key="deck_clear"):
            deckui.set_slides(())
            st.rerun()
    slide_files(store, slides)


MADE_KEY = "_deck_made"  # {fmt: (deck param, slideshots.Made)}: the last drawn PDF / zip
SLIDE_FILES = {
    "pdf": ("Slides as PDF", ":material/picture_as_pdf:", "lumap-slides.pdf"),
    "zip": ("Slides as PNGs (ZIP)", ":material/photo_library:", "lumap-slides.zip"),
}


def slide_files(store: Store, slides) -> None:
    """Draw the deck as a PDF (a page a slide) or a zip of PNGs, each slide 1920×1080, in a
    worker one slide at a time with a progress bar; then offer the file. A slide that fails
    or takes longer than the worker's limit becomes a page that says so, and is named here."""
    param = deck.encode(slides)
    made = {fmt: m for fmt, (p, m) in (st.session_state.get(MADE_KEY) or {}).items() if p == param}
    st.caption(
        "Take the slides as pictures: a PDF with one 1920×1080 page a slide, or a zip of 1920×1080 "
        "PNGs (title, the map with its legend or the chart or table, the note, the slide's number "
        f"and the source). Drawn on the server, a few seconds a slide (up to {deck.MAX_SLIDES} slides)."
    )
    with st.container(horizontal=True):
        for fmt, (label, icon, _name) in SLIDE_FILES.items():
            if st.button(f"Make {label[0].lower()}{label[1:]}", icon=icon, key=f"deck_make_{fmt}"):
                if (drawn := _make(store, slides, fmt)) is not None:
                    made[fmt] = drawn
                    st.session_state[MADE_KEY] = {f: (param, m) for f, m in made.items()}
        for fmt, m in made.items():
            label, _icon, name = SLIDE_FILES[fmt]
            what = f"{m.pages} {'pages' if fmt == 'pdf' else 'PNGs'}, {len(m.data) / 1e6:.1f} MB"
            st.download_button(
                f"Download {label[0].lower()}{label[1:]} · {what}",
                m.data,
                file_name=name,
                mime=slideshots.FORMATS[fmt],
                key=f"deck_download_{fmt}",
                on_click="ignore",
                icon=":material/download:",
            )
    for m in made.values():
        if m.failed:
            st.warning(
                md("Not drawn (a page in the file says so): " + "; ".join(m.failed)),
                icon=":material/warning:",
            )


def _make(store: Store, slides, fmt: str) -> slideshots.Made | None:
    n = len(slides)
    bar = st.progress(0.0, text=f"Drawing slide 1 of {n} …")

    def progress(done: int, total: int) -> None:
        more = f"drawing slide {done + 1} of {total} …" if done < total else "putting the file together …"
        bar.progress(done / total, text=f"{done} of {total} slides drawn; {more}")

    try:
        made = slideshots.deck_file(slides, fmt, cache.job_key(store), progress)
    except Exception as exc:  # noqa: BLE001 (the workers failed as a whole: say so, keep the page)
        bar.empty()
        st.error(md(f"The slides could not be drawn: {exc}. Try again in a moment."), icon=":material/error:")
        return None
    bar.empty()
    return made


def _key(slide: deck.Slide, i: int) -> str:
    return f"{i}-{hashlib.sha1(deck.encode_slide(slide).encode()).hexdigest()[:10]}"


def _set(i: int, what: str, key: str) -> None:
    value = st.session_state.get(key, "")
    current = deckui.slides()
    deckui.set_slides(deck.retitled(current, i, **{what: value}))


def _move(i: int, step: int) -> None:
    deckui.set_slides(deck.moved(deckui.slides(), i, step))


def _remove(i: int) -> None:
    deckui.set_slides(deck.removed(deckui.slides(), i))


def describe(store: Store, slide: deck.Slide) -> str:
    """What the slide shows, in a few words, for the card."""
    params = slide.params()
    bits = [deck.PAGES.get(slide.page, slide.page)]
    meta = store.meta.get(params.get("indicator", ""))
    if meta:
        bits.append(meta["label"])
    elif params.get("indicator"):
        bits.append(f"{params['indicator']} (not in this store)")
    if params.get("area"):
        bits.append(store.area_name(params["area"]))
    if slide.part:
        bits.append(f"part: {slide.part}")
    return " · ".join(bits)


def slide_card(store: Store, slides, i: int) -> None:
    slide = slides[i]
    key = _key(slide, i)
    with st.container(border=True, key=f"deck-slide-{i + 1}"):
        head, tools = st.columns([5, 2], vertical_alignment="top")
        with head:
            st.markdown(f"**Slide {i + 1}** · {md(describe(store, slide))}")
            st.text_input(
                "Title",
                value=slide.title,
                max_chars=deck.MAX_TITLE,
                key=f"deck_title_{key}",
                on_change=_set,
                args=(i, "title", f"deck_title_{key}"),
            )
            st.text_input(
                "Note (one line, shown under the slide)",
                value=slide.note,
                max_chars=deck.MAX_NOTE,
                key=f"deck_note_{key}",
                on_change=_set,
                args=(i, "note", f"deck_note_{key}"),
            )
            if deckui.session_only(store, slide.params()):
                st.caption(
                    "Uses data uploaded in this session: this slide shows only in this session; "
                    "the deck's link cannot reopen it on another machine."
                )
        with tools:
            with st.container(horizontal=True):
                st.button(
                    "",
                    icon=":material/arrow_upward:",
                    key=f"deck_up_{key}",
                    help="Move up",
                    on_click=_move,
                    args=(i, -1),
                    disabled=i == 0,
                )
                st.button(
                    "",
                    icon=":material/arrow_downward:",
                    key=f"deck_down_{key}",
                    help="Move down",
                    on_click=_move,
                    args=(i, 1),
                    disabled=i == len(slides) - 1,
                )
                st.button(
                    "",
                    icon=":material/close:",
                    key=f"deck_remove_{key}",
                    help="Remove this slide",
                    on_click=_remove,
                    args=(i,),
                )
            st.page_link(
                deckui.PAGE_FILES.get(slide.page, "pages/map.py"),
                label="Open this view",
                icon=":material/open_in_new:",
                query_params=slide.params() or None,
            )
            st.page_link(
                "pages/present.py",
                label="Present from here",
                icon=":material/play_arrow:",
                query_params={"deck": deck.encode(slides), "slide": str(i + 1)},
            )


def sharing(slides) -> None:
    if not slides:
        return
    param = deck.encode(slides)
    base = base_url()
    st.subheader("Share and keep")
    st.markdown(
        "The deck is this link: open it on any machine with lumap to get the same slides in the "
        f"same order ({len(param):,} characters; a deck holds up to {deck.MAX_SLIDES} slides)."
    )
    st.code(f"{base}present?deck={param}", language=None, wrap_lines=True)
    with st.expander("Each slide's own link (for attendees' phones)"):
        for i, s in enumerate(slides, start=1):
            st.markdown(f"**{i}.** {md(s.title or deck.PAGES.get(s.page, s.page))}")
            st.code(f"{base}present?deck={deck.slide_link(s)}", language=None, wrap_lines=True)
