"""View state in the URL, shared across pages.

Rules:
- A value in the URL wins when the URL changed from outside (a pasted link, first load).
- Otherwise the widget wins, and the URL is rewritten to match after the page is laid out.
- Values survive page switches through non-widget session keys (``shared.<name>``).
- A bad value never raises: it becomes a notice and the default is used.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from lumap.escape import md

SHARED = "shared."
WRITTEN = "_url_written"
NEUTRAL = "neutral"  # the neutral-wording switch (lumap.ui.wording), in every page's URL


@dataclass
class Param:
    name: str  # URL parameter name (and widget key)
    parse: Callable[[str], object]  # raises ValueError with a user-facing message
    default: object
    serialize: Callable[[object], str | None] = lambda v: None if v is None else str(v)


def set_current_page(name: str) -> None:
    """Called by app.py with the page about to run."""
    st.session_state["_page"] = name


def current_page() -> str:
    return st.session_state.get("_page", "")


def url_changed() -> bool:
    """True when the URL's parameters are not the ones this session last wrote."""
    current = st.query_params.to_dict()
    return current != st.session_state.get(WRITTEN)


def resolve(param: Param, notices: list[str], changed: bool, valid: Callable[[object], bool] | None = None):
    """Decide the value of one parameter before its widget is drawn and put it in the
    widget's session key. Returns the value."""
    raw = st.query_params.get(param.name)
    value = None
    from_url = False
    if changed and raw is not None and raw != "":
        try:
            value = param.parse(raw)
            from_url = True
        except ValueError as exc:
            notices.append(str(exc))
    if not from_url:
        if param.name in st.session_state:
            value = st.session_state[param.name]
        elif SHARED + param.name in st.session_state:
            value = st.session_state[SHARED + param.name]
        else:
            value = param.default
    if valid is not None and not valid(value):
        if from_url:
            notices.append(f"{param.name}={raw!s} is not available here; showing the default instead.")
        value = param.default
    st.session_state[param.name] = value
    return value


def remember(**values) -> None:
    """Keep values for other pages (non-widget keys survive page switches)."""
    for k, v in values.items():
        st.session_state[SHARED + k] = v


def shared(name: str, default=None):
    return st.session_state.get(SHARED + name, default)


def write_url(params: dict[str, str | None]) -> None:
    """Make the URL say exactly ``params`` (None values dropped), plus the switches every
    page shares (``neutral=1`` when neutral wording is on)."""
    clean = {k: str(v) for k, v in params.items() if v not in (None, "")}
    if st.session_state.get(NEUTRAL):
        clean.setdefault(NEUTRAL, "1")
    if st.query_params.to_dict() != clean:
        st.query_params.from_dict(clean)
    st.session_state[WRITTEN] = clean


def show_notices(notices: list[str]) -> None:
    """Notices are plain text that may quote the URL: shown as text, never as Markdown."""
    for n in notices:
        st.warning(md(n), icon=":material/warning:")
