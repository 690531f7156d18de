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


def folium_args(at) -> dict:
    """The arguments st_folium sent to the browser (the map's whole payload)."""
    found = elements(at, "component_instance")
    assert found, "no st_folium map on the page"
    return json.loads(found[0].proto.json_args)


def shown(text) -> str:
    """What a Markdown body (or HTML handed to Markdown) reads as in the browser: the
    escapes of :mod:`lumap.escape` (backslashes, character references, word joiners)
    removed, so tests can look for the words a reader sees."""
    return unescape_md(html.unescape(str(text)))
