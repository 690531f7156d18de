"""Every control of every page is in the URL (#8.6): walk each widget of each page, change it,
and check that the URL's parameter for it changed, so a shared link reopens the same view.

Widgets are found on the rendered page (AppTest), not listed by hand: a new control without a
URL parameter fails here. Download buttons and action buttons ("Clear selection") are not
view state; the few widgets whose URL parameter has another name are mapped in ``URL_NAME``.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

#: Widget key -> the URL parameters that carry it (a period is ``year=`` or ``period=``).
URL_NAME = {
    "year_period": ("year", "period"),
    "area_period": ("year", "period"),
    "compare_areas": ("areas",),
    "trends_areas": ("areas",),
    "find_area": ("area",),
    "postcode": ("area",),
}
#: Widgets that build something from the view rather than set it: the deck's "Slide shows"
#: choice says which part of this view the next "Add to deck" takes (the deck's own URL
#: carries the slide, tests/test_deck.py).
NOT_VIEW_STATE = ("deck_part_",)
#: (page, deep link) pairs that between them show every control of every page.
VIEWS = [
    ("pages/map.py", {}),
    ("pages/map.py", {"area": "E06000009"}),
    ("pages/compare.py", {}),
    ("pages/trends.py", {}),
    ("pages/trends.py", {"scale": "index"}),
    ("pages/area.py", {"area": "E06000009"}),
    ("pages/missions.py", {}),
    ("pages/missions.py", {"view": "change", "indicator": "gross-median-weekly-pay"}),
    ("pages/data.py", {}),
]
KINDS = ("selectbox", "multiselect", "radio", "toggle", "checkbox", "select_slider", "slider", "text_input")


def open_page(page: str, params: dict) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def controls(at: AppTest) -> list:
    """Every enabled widget with a key of its own on the page (sidebar included)."""
    found = []
    for kind in KINDS:
        for w in getattr(at, kind):
            key = getattr(w, "key", None)
            if key and not str(key).startswith(("$$", *NOT_VIEW_STATE)) and not w.disabled:
                found.append((kind, key))
    return found


def url(at: AppTest) -> dict:
    return {k: at.query_params[k] for k in at.query_params}


def change(at: AppTest, kind: str, key: str) -> bool:
    """Give the widget another value; False when it has no other value to take."""
    w = getattr(at, kind)(key=key)
    if kind in ("toggle", "checkbox"):
        w.set_value(not w.value)
    elif kind == "selectbox":
        opts = list(w.options)
        if len(opts) < 2:
            return False
        now = w.index if w.index is not None else -1
        pick_option(w, 1 if now == 0 else 0)
    elif kind == "radio":
        if len(w.options) < 2:
            return False
        pick_option(w, 1 if w.index == 0 else 0)
    elif kind == "multiselect":
        value = list(w.value)
        if len(value) > 1:
            w.set_value(value[:-1])
        else:
            extra = [o for o in w.options if o not in value]
            if not extra:
                return False
            w.select(extra[0])
    elif kind == "text_input":
        return False  # a search box: its result (an area) is checked through "area"
    else:
        return False
    at.run()
    return True


def pick_option(radio, index: int) -> None:
    """Choose a radio's or a selectbox's option by position, as a click does: AppTest's
    ``set_value`` wants the option's value, which it cannot list (only the formatted labels),
    while the browser sends the label at ``index``."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    state = WidgetState(id=radio.id, string_value=radio.options[index])
    radio.__class__ = type("ClickedRadio", (type(radio),), {"_widget_state": property(lambda self: state)})
    radio._value = None  # marks the widget as changed


@pytest.mark.parametrize(
    "page,params", VIEWS, ids=[f"{p.split('/')[-1]}{'?' + str(q) if q else ''}" for p, q in VIEWS]
)
def test_every_control_changes_the_url(app_env, page, params):
    first = open_page(page, params)
    keys = controls(first)
    if page.endswith("data.py"):
        assert keys == [("toggle", "neutral")]  # only the shared switch: the page shows, it is not set
    checked = []
    for kind, key in keys:
        at = open_page(page, params)
        before = url(at)
        if not change(at, kind, key):
            continue
        assert not at.exception, (key, [e.value for e in at.exception])
        after = url(at)
        names = URL_NAME.get(key, (key,))
        assert any(before.get(n) != after.get(n) for n in names), (
            f"{page}: changing {kind} {key!r} left the URL's {', '.join(names)} as they were: "
            f"{before} -> {after}"
        )
        checked.append(key)
    assert checked or page.endswith("data.py"), f"{page}: no control was walked"


def test_the_map_url_round_trips_the_colour_classes(app_env):
    at = open_page("pages/map.py", {})
    at.radio(key="classes").set_value("quantiles").run()
    assert at.query_params["classes"] in ("quantiles", ["quantiles"])
    again = open_page("pages/map.py", url(at))  # the shared link
    assert again.radio(key="classes").value == "quantiles"
    at.toggle(key="basemap").set_value(True).run()
    assert at.query_params["basemap"] in ("1", ["1"])
    assert open_page("pages/map.py", url(at)).toggle(key="basemap").value is True
