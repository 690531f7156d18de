"""Pieces every data page shows: attribution, indicator metadata, polarity, legend."""

from __future__ import annotations

import streamlit as st

from lumap import config
from lumap.analysis.polarity import Polarity
from lumap.data.levels import NATIONS
from lumap.data.metadata import source_links
from lumap.data.store import Store
from lumap.escape import html, md, md_link

POLARITY_TEXT = {
    Polarity.HIGHER_IS_BETTER: "Higher is better",
    Polarity.LOWER_IS_BETTER: "Lower is better",
    Polarity.NEUTRAL: "Neither higher nor lower is better (neutral)",
}
NO_POLARITY_TEXT = "No direction set: lumap says higher/lower, not better/worse"


def attribution(store: Store | None = None) -> None:
    year = None
    if store is not None:
        year = (store.build_info.get("built") or "")[:4] or None
    st.caption(
        config.ATTRIBUTION.format(year=year or "2026") + f" [Open Government Licence v3.0]({config.OGL_URL})."
    )


def source_label(source: str | None) -> str:
    """What the Data page calls the build's source: its name, never a machine path
    ("/srv/x/shared/data" -> "a local copy of the source data (folder “data”)"), a web
    source by its host."""
    text = str(source or "").strip()
    if not text:
        return "an unknown source"
    if text.startswith(("http://", "https://")):
        return "the web source at " + text.split("://", 1)[1].split("/", 1)[0]
    if "/" in text or "\\" in text:
        name = text.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or text
        return f"a local copy of the source data (folder “{name}”)"
    return text


def polarity_text(meta: dict) -> str:
    """The indicator's direction in words; "no direction set" when the catalogue gives none;
    with neutral wording on, says so and names the catalogue's direction."""
    if meta.get("neutral_wording"):
        own = meta.get("catalogue_polarity")
        said = NO_POLARITY_TEXT if own is None else POLARITY_TEXT[Polarity.of(own)]
        if Polarity.of(own).directed:
            return f"Neutral wording: higher/lower only (the catalogue says: {said.lower()})"
        return f"Neutral wording: higher/lower only ({said[:1].lower() + said[1:]})"
    if meta.get("polarity") is None:
        return NO_POLARITY_TEXT
    return POLARITY_TEXT[Polarity.of(meta["polarity"])]


def polarity_source(meta: dict) -> str:
    """Where the direction comes from, in words (lumap/catalogue/polarity.csv), or ''."""
    src = meta.get("polarity_source")
    if not src:
        return ""
    who = {
        "missions.csv": "the mission catalogue (a judgement from the White Paper's wording)",
        "ELS metadata": "the indicator's own published wording",
        "White Paper": "the Levelling Up White Paper",
        "lumap": "lumap's own judgement",
    }.get(src, src)
    why = meta.get("polarity_why") or ""
    return f"From {who}" + (f": {why}" if why else ".")


def count_note(store: Store, indicator: str) -> None:
    """Say that a count is a count (:mod:`lumap.analysis.counts`), naming the rates beside it."""
    from lumap.analysis.counts import count_note as words

    text = words(store.meta, indicator)
    if text:
        st.info(md(text), icon=":material/functions:")


def missing_nations(meta: dict) -> list[str]:
    """Nations whose local authorities have no data for this indicator."""
    have = set(meta.get("nations") or [])
    if not have:
        return []
    return [name for n, name in NATIONS.items() if n not in have]


def and_list(names: list[str]) -> str:
    """['Wales', 'Scotland', 'NI'] -> 'Wales, Scotland and NI'."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def coverage_note(meta: dict) -> str | None:
    missing = missing_nations(meta)
    if not missing:
        return None
    names = and_list(missing)
    return (
        f"Not published for {names}: those areas are drawn white with a "
        "“not published” key, not as low values."
    )


def metadata_panel(meta: dict, expanded: bool = False) -> None:
    """Description, source links, caveats, direction. Text from the source is shown as
    text (:mod:`lumap.escape`): its Markdown is not run, its line breaks are kept. Not on a
    slide (its source is in the slide's footer)."""
    from lumap.ui import deckui

    if deckui.on():
        return
    with st.expander("About this indicator", expanded=expanded):
        if meta.get("subtitle"):
            st.markdown(f"**{md(meta['subtitle'])}**")
        if meta.get("description"):
            st.markdown(md(meta["description"], block=True))
        st.markdown(f"**Direction:** {polarity_text(meta)}")
        if polarity_source(meta):
            st.caption(md(polarity_source(meta)))
        links = source_links(meta)
        if links:
            parts = [md_link(org, url) for org, url in links]
            date = meta.get("source_date")
            st.markdown(
                "**Source:** " + "; ".join(parts) + (f" (published {md(date.split('|')[0])})" if date else "")
            )
        if meta.get("experimental"):
            st.markdown("*Official statistics in development.*")
        if meta.get("caveats"):
            st.markdown("**Caveats**")
            st.markdown(md(meta["caveats"], block=True))


def legend_html(title: str, unit: str, direction: str, keys, scale: float = 1.0) -> str:
    """A legend to sit next to the map (for ``st.markdown(unsafe_allow_html=True)``; every
    text escaped with :func:`lumap.escape.html`; no external assets). ``keys`` are
    :class:`lumap.viz.legend.Key` rows, lowest class first."""
    e = html
    rows = "".join(_key(k) for k in keys)
    unit_html = f"<div style='font-size:0.85em;color:#333'>{e(unit)}</div>" if unit else ""
    direction_html = f"<div style='font-size:0.85em;color:#333;margin-bottom:0.2em'>{e(direction)}</div>"
    return (
        f"<div style='line-height:1.5;font-size:{0.95 * scale:.2f}em'><b>{e(title)}</b>{unit_html}"
        + direction_html
        + rows
        + "</div>"
    )


def _key(key) -> str:
    """One legend row: swatch (hatched for a stand-in value), words, and which end is better."""
    from lumap.viz.legend import HATCH

    fill = key.fill
    if fill.startswith(HATCH):
        base = fill[len(HATCH) :]
        background = f"repeating-linear-gradient(45deg,{base} 0 3px,#ffffff 3px 5px)"
    else:
        background = fill
    end = f" <b>({html(key.end)})</b>" if key.end else ""
    return (
        f"<div><span style='display:inline-block;width:1.4em;height:0.95em;background:{background};"
        f"border:1px solid #666;vertical-align:middle;margin-right:0.5em'></span>"
        f"{html(key.label)}{end}</div>"
    )
