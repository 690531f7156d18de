"""lumap's deck component (no network, no build step): the presenter's full-screen shell and
the small script every slide page runs.

- ``shell(...)``: on /present, one iframe per slide (each the slide's own page, live, in
  slide mode), laid out on a canvas of ``CANVAS`` pixels and scaled to the screen (big type
  on a projector, nothing to scroll), the current one shown and its neighbours already
  loaded behind it, so the next slide appears at once; arrow keys, space, PageUp/PageDown
  (clickers), Home/End and on-screen buttons step through it; its value is the slide
  shown (1-based).
- ``slide_script(...)``: on a page in slide mode, passes the stepping keys to the shell it
  sits in (also from inside a map, which would otherwise pan on the arrow keys).

Why scale the frame rather than zoom the page inside it: Streamlit sizes charts and
component frames from their on-screen width, so under a CSS zoom they come out scaled
twice (measured: a map frame at 0.8 zoom drawn at 0.64 of its column), and Vega's hover
reads pointer positions that a zoom or transform inside the page would skew. A page laid
out in a frame of the canvas's size measures itself as usual; the browser maps pointer
events through the frame's transform.

Every text reaches the browser through ``textContent`` (never as markup); slide addresses
are built here from a known page name and a re-encoded query string.
"""

from __future__ import annotations

from pathlib import Path

import streamlit.components.v1 as components

FRONTEND = Path(__file__).parent / "deckfrontend"
_component = components.declare_component("lumap_deck", path=str(FRONTEND))

#: The slide canvas in CSS pixels (16:9): a slide's page is laid out at this size, then scaled
#: to the screen (×1.71 at 1920×1080, ×1.14 at 1280×720).
CANVAS = (1120, 630)


def shell(slides: list[dict], start: int, edit_url: str, notices: list[str], key: str = "deck") -> int | None:
    """The presenter's view. ``slides``: {"src", "title", "missing"} each (``missing``: why
    the slide cannot be shown here, else ""). Returns the slide shown (1-based) or None."""
    value = _component(
        role="deck",
        slides=slides,
        start=start,
        edit_url=edit_url,
        notices=notices,
        canvas=list(CANVAS),
        key=key,
        default=None,
    )
    if isinstance(value, dict) and isinstance(value.get("slide"), int):
        return value["slide"]
    return None


def slide_script(key: str = "deck-slide") -> None:
    """The slide page's key-forwarding script (draws nothing)."""
    _component(role="slide", key=key, default=None)
