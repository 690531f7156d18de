"""lumap's map component: Leaflet in an iframe, fed per view with only what changes.

Why our own component rather than st_folium (measured, see the mapwire note and
scripts/benchmark.py): st_folium sends the whole map as a JavaScript string on every rerun
(≈310 KB per indicator or year switch), rebuilds every path to restyle them, and its start-up
(scripts appended one by one, the header re-parsed, a 250 ms debounced value, click handlers
bound after the layer is drawn) let an early first click go missing. Here the geometry of a
level is a content-hashed TopoJSON file under ``/app/static/geo/`` that the browser fetches
once and caches, and each render carries only ids, palette indexes and tooltip texts.

The component's value is ``{"area": code, "seq": n, "mount": id, "view": v}``: ``seq`` counts
clicks in the iframe since it was mounted (``mount``), so a new click is told from the value
Streamlit keeps returning, even for the same area twice.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components

from lumap import config
from lumap.data.store import Store
from lumap.viz.choropleth import UK_BOUNDS

FRONTEND = Path(__file__).parent / "mapfrontend"
GEO_URL = "app/static/geo/"  # relative to the component's page: ../../app/static/geo/
BACKDROP_LEVELS = {"cauth": "uk"}  # levels that do not cover the UK get its outline beneath
HEX_SUFFIX = ".hex.topo.json"  # the hexagon map of a level (lumap.data.hexmap)
_component = components.declare_component("lumap_map", path=str(FRONTEND))


def published_geometry(
    store: Store, level: str, static_dir: Path | None = None, suffix: str = ".topo.json"
) -> str | None:
    """Name of the level's TopoJSON under static/geo/, published there from the store under a
    content hash (so a browser may cache it for good, and a new build gets a new name while
    a page still holding the old one keeps working). None when the store has no such file.
    ``suffix`` ".hex.topo.json" publishes the level's hexagon map instead."""
    src = store.build.boundaries / f"{level}{suffix}"
    if not src.exists():
        return None
    stat = src.stat()
    cache_key = (str(src), stat.st_mtime_ns, stat.st_size)
    name = _published.get(cache_key)
    if name:
        return name
    data = src.read_bytes()
    name = f"{level}.{hashlib.sha256(data).hexdigest()[:16]}{suffix}"
    target_dir = (static_dir or config.STATIC_DIR) / "geo"
    target = target_dir / name
    if not target.exists():
        target_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target_dir, prefix=f".{name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    _published[cache_key] = name
    return name


_published: dict[tuple, str] = {}


def ensure_static(store: Store) -> None:
    """Publish every level's geometry (``make setup`` and the server's first map call this)."""
    for p in sorted(store.build.boundaries.glob("*.topo.json")):
        if p.name.endswith(HEX_SUFFIX):
            published_geometry(store, p.name.removesuffix(HEX_SUFFIX), suffix=HEX_SUFFIX)
        else:
            published_geometry(store, p.name.removesuffix(".topo.json"))


def has_hexagons(store: Store, level: str) -> bool:
    """True when the build has a hexagon map of the level (:mod:`lumap.data.hexmap`)."""
    return (store.build.boundaries / f"{level}{HEX_SUFFIX}").exists()


def hex_object(store: Store, level: str, ids: list[int]) -> str | None:
    """The hexagon layout (one per boundary vintage) that has a hexagon for most of ``ids``."""
    members = _hex_members(store.build.boundaries / f"{level}{HEX_SUFFIX}")
    if not members:
        return None
    wanted = set(ids)
    return max(members, key=lambda name: (len(members[name] & wanted), name))


def _hex_members(path: Path) -> dict[str, set[int]]:
    """{object name: ids with a hexagon} of a hexagon file (read once per file version)."""
    if not path.exists():
        return {}
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _hex_cache:
        import json

        topo = json.loads(path.read_text())
        objects = topo["objects"].items()
        _hex_cache[key] = {
            name: {g["id"] for g in obj["geometries"] if g.get("type")} for name, obj in objects
        }
    return _hex_cache[key]


_hex_cache: dict[tuple, dict[str, set[int]]] = {}


def view_args(
    store: Store,
    level: str,
    layer: dict,
    selected: str | None,
    height: int,
    tiles: bool,
    *,
    hexagons: bool = False,
    focus: dict | None = None,
    legend: dict | None = None,
    summary: str | None = None,
) -> dict:
    """The component's arguments for one view (everything JSON; tests read them back).

    ``hexagons`` draws the level's hexagon map instead of its boundaries (same ids);
    ``focus`` ({"area", "seq"}) zooms to an area once per ``seq``; ``legend`` and ``summary``
    (the selected area in a line) are shown inside the map on a narrow screen."""
    obj = hex_object(store, level, layer["ids"]) if hexagons else None
    name = published_geometry(store, level, suffix=HEX_SUFFIX) if obj else published_geometry(store, level)
    if name is None:
        raise FileNotFoundError(
            f"The store has no browser boundaries for {level} (boundaries/{level}.topo.json): "
            "rebuild it with `make data`."
        )
    args = {
        "geometry": {"url": f"../../{GEO_URL}{name}", "object": obj or level},
        "backdrop": None,
        "fit": f"{level}-hex" if obj else level,
        "bounds": UK_BOUNDS,
        "height": height,
        "selected": selected,
        "tiles": "https://tile.openstreetmap.org/{z}/{x}/{y}.png" if tiles and not obj else None,
        "focus": focus,
        "legend": legend,
        "summary": summary,
        **layer,
    }
    if obj:
        return args
    backdrop = BACKDROP_LEVELS.get(level)
    backdrop_name = published_geometry(store, backdrop) if backdrop else None
    if backdrop_name:
        args["backdrop"] = {"url": f"../../{GEO_URL}{backdrop_name}", "object": backdrop}
    return args


def choropleth(args: dict, key: str) -> dict | None:
    """Draw the map; the component's value (the last click) or None."""
    view = hashlib.sha1(repr(sorted((k, str(v)) for k, v in args.items())).encode()).hexdigest()[:12]
    return _component(**args, key=key, view=view, default=None)


def new_click(value: dict | None, seen_key: str) -> str | None:
    """The area of a click not yet acted on, else None (the value stays until the next one).
    A click is (the iframe's mount id, its click number): a remounted map starts again at 1."""
    if not isinstance(value, dict) or not isinstance(value.get("seq"), int):
        return None
    click = (str(value.get("mount")), value["seq"])
    if click == st.session_state.get(seen_key):
        return None
    st.session_state[seen_key] = click
    area = value.get("area")
    return area if isinstance(area, str) else None
