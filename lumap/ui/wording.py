"""Neutral wording: one switch, on every page, between "better/worse" and plain
"higher/lower" (words and colours), kept in the URL as ``neutral=1``.

Local leaders ask "is this good for us?"; a journalist may need words that take no side
(anchors.md, gap 4). With the switch on, every page reads each indicator's metadata through
:func:`lumap.analysis.polarity.as_neutral`: no better direction, so significance words say
"higher"/"lower", changes carry no "(better)", the heat map and the profile's positions are
coloured by value, and the change map by change, not improvement.
"""

from __future__ import annotations

import streamlit as st

from lumap.analysis.polarity import as_neutral
from lumap.data.store import Store
from lumap.ui import state
from lumap.ui.params import parse_flag

KEY = state.NEUTRAL  # the widget's key and the URL's parameter


def resolve(notices: list[str], changed: bool) -> bool:
    """Settle the switch from the URL / session before any page reads it."""
    return bool(state.resolve(state.Param(KEY, parse_flag(KEY), False), notices, changed))


def toggle() -> bool:
    """The switch, at the top of every page's sidebar."""
    return st.sidebar.toggle(
        "Neutral wording",
        key=KEY,
        help="Say higher/lower instead of better/worse, and colour by value instead of by "
        "better/worse: wording that takes no side on which direction is good.",
    )


def neutral() -> bool:
    return bool(st.session_state.get(KEY))


def meta(store: Store, indicator: str) -> dict:
    """An indicator's metadata as the pages should word it."""
    m = store.indicator(indicator)
    return as_neutral(m) if neutral() else m


def catalogue(store: Store) -> dict[str, dict]:
    """Every indicator's metadata as the pages should word it (a new dict when neutral)."""
    return {s: as_neutral(m) for s, m in store.meta.items()} if neutral() else store.meta
