"""A session's own indicators (uploads, :mod:`lumap.data.upload`): held in this session's
``st.session_state`` only, so no other session can reach them and they are released with
the session. Every page reads them through the session's :class:`~lumap.data.overlay.Overlay`
(:func:`lumap.ui.cache.store` returns it), so no page special-cases them.

What the pages compute from them is kept here too (:func:`memo`, a small LRU in the
session), never in the caches every session shares (:mod:`lumap.ui.cache`).
"""

from __future__ import annotations

import copy
import secrets
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable

import streamlit as st

from lumap.data.overlay import Overlay
from lumap.data.store import Store
from lumap.data.upload import OwnIndicator

_OWN = HELD_KEY = "_own_indicators"  # {indicator: OwnIndicator}, in the order added
_OVERLAY = "_own_overlay"  # (build key, digests, Overlay) of the last rerun
_MEMO = "_own_memo"
_TOKEN = "_own_token"
#: Uploaded indicators one session may hold at once, and computed views kept for them.
MAX_INDICATORS = 5
MEMO_ENTRIES = 48
#: Marks a cache key that names a session's overlay (never seen by a shared cache).
OWN_KEY = "+own-"


def indicators() -> list[OwnIndicator]:
    return list(st.session_state.get(_OWN, {}).values())


def has(indicator: str) -> bool:
    return indicator in st.session_state.get(_OWN, {})


def add(own: OwnIndicator) -> None:
    """Keep an uploaded indicator for the rest of the session (replacing one with the same id)."""
    held = dict(st.session_state.get(_OWN, {}))
    held[own.indicator] = own
    st.session_state[_OWN] = held
    st.session_state.pop(_OVERLAY, None)


def remove(indicator: str) -> None:
    held = dict(st.session_state.get(_OWN, {}))
    held.pop(indicator, None)
    st.session_state[_OWN] = held
    st.session_state.pop(_OVERLAY, None)
    memo_store = st.session_state.get(_MEMO)
    if memo_store:
        memo_store.clear()


# ---- this session's own slides (#7): frames of its own, sessions of their own ---------------------

#: The URL parameter that carries a session's share token to its own slides' frames.
SHARE_PARAM = "own"
_SHARE = "_own_share"  # this session's _Shared


class _Shared:
    """This session's uploads, as its own deck's slides may see them while it presents: a
    slide in /present is its page in a frame, and a frame is a session of its own, which
    never sees this session's ``st.session_state``. Only the session holds this object; the
    registry has a weak reference, so the token dies with the session (or when an upload is
    added or removed) and nothing is kept after it."""

    def __init__(self, held: dict) -> None:
        self.held = held
        self.token = secrets.token_urlsafe(18)  # 144 random bits: never guessed, only handed on


_SHARED: dict[str, weakref.ref] = {}
_SHARED_LOCK = threading.Lock()


def share_token() -> str | None:
    """A secret token under which this session's own slides see its uploaded indicators
    (None without uploads). It goes only into the frames' addresses of this session's
    /present, never into a deck's link."""
    held = st.session_state.get(_OWN)
    if not held:
        return None
    box = st.session_state.get(_SHARE)
    if box is None or box.held is not held:
        box = _Shared(held)
        st.session_state[_SHARE] = box
        with _SHARED_LOCK:
            for token in [t for t, ref in _SHARED.items() if ref() is None]:
                del _SHARED[token]
            _SHARED[box.token] = weakref.ref(box)
    return box.token


def adopt(token: str) -> bool:
    """Let this session (a slide's frame) see the uploads of the session whose token this
    is, while that session lives; False when the token names no living session."""
    with _SHARED_LOCK:
        ref = _SHARED.get(str(token))
    box = ref() if ref is not None else None
    if box is None:
        return False
    st.session_state[_OWN] = dict(box.held)
    st.session_state.pop(_OVERLAY, None)
    return True


def overlay(base: Store) -> Store:
    """The store this session's pages read: the shared one, with the session's own
    indicators over it when it has any (one Overlay per build and set of uploads)."""
    own = indicators()
    if not own:
        st.session_state.pop(_OVERLAY, None)
        return base
    digests = tuple(o.digest for o in own)
    held = st.session_state.get(_OVERLAY)
    if held and held[0] == base.key and held[1] == digests:
        return held[2]
    made = Overlay(base, own)
    st.session_state[_OVERLAY] = (base.key, digests, made)
    return made


def current() -> Overlay | None:
    """This session's overlay, when it has own indicators (set by :func:`overlay`)."""
    try:
        held = st.session_state.get(_OVERLAY)
    except Exception:  # no session (a background thread without a script context)
        return None
    return held[2] if held else None


def own_key(found: Overlay) -> str:
    """The key a computation on this session's overlay runs under: the build's key plus a
    token of this session (no other session's key can equal it)."""
    token = st.session_state.setdefault(_TOKEN, secrets.token_hex(12))
    return f"{found.key}{OWN_KEY}{token}"


def resolve(key: str) -> Overlay:
    """The overlay an own key names; only this session's."""
    found = current()
    if found is None or own_key(found) != key:
        raise KeyError("this view's own data belongs to another session or is gone; reload the page")
    return found


def digest(found: Overlay) -> str:
    return ",".join(o.digest for o in found.own.values())


def memo(key: tuple, compute: Callable[[], object], copy_result: bool = True):
    """``compute()`` once per ``key`` for this session (a bounded LRU); a copy of the result
    when ``copy_result`` (what ``st.cache_data`` gives), the object itself otherwise."""
    held = st.session_state.get(_MEMO)
    if held is None:
        held = st.session_state[_MEMO] = OrderedDict()
    if key in held:
        held.move_to_end(key)
        value = held[key]
    else:
        value = compute()
        held[key] = value
        while len(held) > MEMO_ENTRIES:
            held.popitem(last=False)
    return copy.deepcopy(value) if copy_result else value
