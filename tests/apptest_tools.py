"""Reading what AppTest cannot show as widgets: charts and custom components."""

from __future__ import annotations

import html
import json

from lumap.escape import unescape_md


def elements(at, kind: str) -> list:
    """Every element of a proto type (``component_instance``, ``vega_lite_chart``, …)."""
    found = []

    def walk(node):
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for c in children.values():
                walk(c)
        if getattr(node, "type", "") == kind:
            found.append(node)

    walk(at._tree)
    return found


def map_elements(at) -> list:
    """lumap's map components on the page."""
    return [e for e in elements(at, "component_instance") if e.proto.component_name.endswith("lumap_map")]


def map_args(at) -> dict:
    """The arguments the map component sent to the browser (the whole per-view payload)."""
    found = map_elements(at)
    assert found, "no map on the page"
    return json.loads(found[0].proto.json_args)


def shown(text) -> str:
    """What a Markdown body (or HTML handed to Markdown) reads as in the browser: the
    escapes of :mod:`lumap.escape` (backslashes, character references, word joiners)
    removed, so tests can look for the words a reader sees."""
    return unescape_md(html.unescape(str(text)))


def map_areas(at, store) -> dict[str, dict]:
    """{areacd: {"id", "fill" (colour), "tip" (the whole text the browser shows)}} as sent to
    the browser, the ids read back through the store's copy of the level's boundaries."""
    from lumap.viz.choropleth import layer_codes, layer_tips

    args = map_args(at)
    collection = store.boundaries(args["geometry"]["object"])
    codes, tips = layer_codes(args, collection), layer_tips(args, collection)
    return {
        code: {"id": i, "fill": args["palette"][f], "tip": tip}
        for code, i, f, tip in zip(codes, args["ids"], args["fill"], tips, strict=True)
    }


def map_bytes(at) -> int:
    """Bytes of the map's per-view payload."""
    found = map_elements(at)
    assert found, "no map on the page"
    return len(found[0].proto.json_args)


def type_into(selectbox, text: str):
    """Enter free text in a selectbox that accepts new options (AppTest's ``set_value`` only
    takes listed options): the browser sends the typed text as the widget's string value."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    class Typed(type(selectbox)):
        @property
        def _widget_state(self):
            ws = WidgetState()
            ws.id = self.id
            ws.string_value = text
            return ws

    selectbox.__class__ = Typed
    selectbox._value = text
    return selectbox


def as_a_server_does(monkeypatch) -> None:
    """Run AppTest's scripts as a server runs them once it has left legacy pages mode.

    AppTest resets ``PagesManager.uses_pages_directory`` before every run, so each run
    starts in legacy mode (a ``pages/`` folder): ``cache._leave_legacy_pages_mode`` then
    reruns, and a button click's trigger is lost in that rerun. Patching that function out
    (as test_page_yourdata first did) leaves every run in legacy mode: the page runs
    *alone*, without app.py (no navigation, no "Add to deck"). Here the flag is cleared as
    soon as AppTest sets it, as in a server after its first run: app.py routes, clicks land."""
    from streamlit.runtime import pages_manager

    init = pages_manager.PagesManager.__init__

    def init_then_leave(self, *args, **kwargs):
        init(self, *args, **kwargs)
        pages_manager.PagesManager.uses_pages_directory = False

    monkeypatch.setattr(pages_manager.PagesManager, "__init__", init_then_leave)
