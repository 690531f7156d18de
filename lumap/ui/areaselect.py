"""Choosing several areas (compare, trends): URL ``areas=CODE,CODE``, shared across pages.

Where the list comes from, first match wins: the URL when it changed from outside (a
pasted link), the list last chosen on any page (``state.shared("areas")``), the area
last clicked on the map (``state.shared("area")``) with its most similar areas, then a
fixed set of well-known places. Codes that cannot be shown become notices
(``selection.resolve_areas``); a list that loses every code falls back to the default.

The shared list is what the reader asked for, not what one view could show: it changes
only when they edit the multiselect (or open a link). So an area left out because an
indicator is England-only comes back when they pick an indicator that covers it.
"""

from __future__ import annotations

import streamlit as st

from lumap.analysis import selection
from lumap.analysis.comparators import DEFAULT_SIMILAR
from lumap.data.store import Store
from lumap.ui import state

LIMIT = 10
#: Blackpool, Manchester, Westminster, Cardiff, City of Edinburgh, Belfast: a spread of
#: places in all four nations, valid at both local-authority levels.
DEFAULT_CODES = ["E06000009", "E08000003", "E09000033", "W06000015", "S12000036", "N09000003"]


def default_areas(store: Store, options: list[str], n: int = 5) -> list[str]:
    have = set(options)
    area = state.shared("area")
    if area in have:
        similar = (store.similar.get(area) or {}).get(DEFAULT_SIMILAR) or []
        return ([area] + [c for c in similar if c in have and c != area])[:n]
    picked = [c for c in DEFAULT_CODES if c in have][:n]
    return picked if len(picked) >= 2 else options[:n]


def _remember(key: str) -> None:
    state.remember(areas=list(st.session_state.get(key) or []))


def choose_areas(
    store: Store,
    options: list[str],
    notices: list[str],
    changed: bool,
    *,
    key: str,
    what: str,
    nations=None,
    label: str = "Areas",
    help: str | None = None,
) -> list[str]:
    """Settle the list, then draw the multiselect (max ``LIMIT``); returns the codes."""
    names = store.area_name

    def check(codes) -> list[str]:
        kept, msgs = selection.resolve_areas(codes, options, store.successors, names, LIMIT, what, nations)
        notices.extend(msgs)
        return kept

    raw = st.query_params.get("areas")
    shared = state.shared("areas")
    if changed and raw:
        value = check(selection.split_codes(raw)) or default_areas(store, options)
        state.remember(areas=value)
    elif shared is not None:
        value = check(shared) if shared else []
        if shared and not value:
            value = default_areas(store, options)
    else:
        value = default_areas(store, options)
        state.remember(areas=value)
    st.session_state[key] = value
    return st.multiselect(
        label,
        options,
        key=key,
        max_selections=LIMIT,
        format_func={c: f"{names(c)} ({c})" for c in options}.get,  # no closure over the Store
        placeholder="Type an area's name or code",
        on_change=_remember,
        args=(key,),
        help=help or f"Up to {LIMIT} areas. Only areas with data for this view are listed.",
    )
