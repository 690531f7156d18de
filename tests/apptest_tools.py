"""Reading what AppTest cannot show as widgets: charts and custom components."""

from __future__ import annotations

import json


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


def folium_args(at) -> dict:
    """The arguments st_folium sent to the browser (the map's whole payload)."""
    found = elements(at, "component_instance")
    assert found, "no st_folium map on the page"
    return json.loads(found[0].proto.json_args)
