"""Write polygon features as quantised TopoJSON with shared arcs (what the browser loads).

The features of one level form a coverage on a grid (see :mod:`lumap.data.boundaries`):
neighbours, and old and new vintages, share their borders vertex for vertex. So every border
can be stored once, as an *arc*, and each ring becomes a list of arc references, about half the
coordinates of GeoJSON; quantised and delta-encoded, each coordinate is a small integer.

Arcs are cut at *junctions*: vertices with other than two neighbours in the graph of all ring
segments (where three areas meet, or a border meets the coast). A ring without a junction
(an island, or an area with a single neighbour around it) is one closed arc, started at its
smallest vertex so that the same ring in two features is found to be the same arc.
"""

from __future__ import annotations

import numpy as np
import shapely

_SHIFT = np.int64(1 << 31)


def _key(q: np.ndarray) -> np.ndarray:
    """One int64 per quantised vertex (x and y below 2**31)."""
    return q[:, 0].astype(np.int64) * _SHIFT + q[:, 1].astype(np.int64)


def _rings(geometry: shapely.Geometry) -> list[list[np.ndarray]]:
    """[[exterior, *holes] per polygon] as coordinate arrays."""
    polygons = [geometry] if geometry.geom_type == "Polygon" else list(geometry.geoms)
    out = []
    for p in polygons:
        out.append([shapely.get_coordinates(p.exterior)] + [shapely.get_coordinates(r) for r in p.interiors])
    return out


def _clean(ring: np.ndarray) -> np.ndarray:
    """Drop repeated vertices (snapping can make neighbours equal); keep the ring closed."""
    keep = np.ones(len(ring), dtype=bool)
    keep[1:] = np.any(ring[1:] != ring[:-1], axis=1)
    ring = ring[keep]
    if len(ring) and np.any(ring[0] != ring[-1]):
        ring = np.vstack([ring, ring[:1]])
    return ring


def encode(
    features: list[tuple[dict, shapely.Geometry]], grid: float, name: str, digits: int | None = None
) -> dict:
    """A TopoJSON topology with one object ``name`` holding ``features`` (properties, polygonal
    geometry) in order; the geometries' ``id`` is their index. Coordinates are quantised to
    ``grid`` degrees (the geometries are expected on that grid already, so nothing moves)."""
    all_xy = (
        np.concatenate([shapely.get_coordinates(g) for _, g in features]) if features else np.zeros((1, 2))
    )
    origin = np.floor(all_xy.min(axis=0) / grid) * grid
    if digits is not None:
        origin = np.round(origin, digits)

    quantised = []
    for _, geometry in features:
        polys = []
        for rings in _rings(geometry):
            polys.append([_clean(np.rint((r - origin) / grid).astype(np.int64)) for r in rings])
        quantised.append(polys)

    degree = _degrees([r for polys in quantised for rings in polys for r in rings if len(r) >= 4])
    arcs: list[np.ndarray] = []
    index: dict[bytes, int] = {}
    geometries = []
    for i, ((props, _), polys) in enumerate(zip(features, quantised, strict=True)):
        coded = []
        for rings in polys:
            refs = [_ring_refs(r, degree, arcs, index) for r in rings if len(r) >= 4]
            if refs:
                coded.append(refs)
        geom: dict = {"id": i, "properties": props}
        if len(coded) == 1:
            geom.update(type="Polygon", arcs=coded[0])
        elif coded:
            geom.update(type="MultiPolygon", arcs=coded)
        else:
            geom.update(type=None)
        geometries.append(geom)

    scale = [grid, grid]
    translate = [float(origin[0]), float(origin[1])]
    return {
        "type": "Topology",
        "transform": {"scale": scale, "translate": translate},
        "objects": {name: {"type": "GeometryCollection", "geometries": geometries}},
        "arcs": [_delta(a) for a in arcs],
    }


def _degrees(rings: list[np.ndarray]) -> dict[int, int]:
    """Number of distinct neighbours of every vertex, over all ring segments."""
    if not rings:
        return {}
    a = np.concatenate([_key(r[:-1]) for r in rings])
    b = np.concatenate([_key(r[1:]) for r in rings])
    edges = np.unique(np.column_stack([np.minimum(a, b), np.maximum(a, b)]), axis=0)
    vertices, counts = np.unique(edges.ravel(), return_counts=True)
    return dict(zip(vertices.tolist(), counts.tolist(), strict=True))


def _ring_refs(ring: np.ndarray, degree: dict[int, int], arcs: list, index: dict) -> list[int]:
    keys = _key(ring[:-1])
    junctions = [j for j, k in enumerate(keys.tolist()) if degree.get(k, 2) != 2]
    if not junctions:
        start = int(np.argmin(keys))
        rotated = np.vstack([ring[start:-1], ring[:start], ring[start : start + 1]])
        return [_arc_ref(rotated, arcs, index, closed=True)]
    start = junctions[0]
    rotated = np.vstack([ring[start:-1], ring[:start], ring[start : start + 1]])
    cuts = [j - start for j in junctions] + [len(rotated) - 1]
    return [_arc_ref(rotated[s : e + 1], arcs, index) for s, e in zip(cuts[:-1], cuts[1:], strict=True)]


def _arc_ref(chain: np.ndarray, arcs: list, index: dict, closed: bool = False) -> int:
    """Index of the arc for ``chain`` (``~i`` when stored the other way round), adding it if new."""
    forward = chain.tobytes()
    if forward in index:
        return index[forward]
    back = chain[::-1]
    if closed:  # the reverse of a closed ring starts at the same smallest vertex
        back = np.vstack([chain[:1], chain[-2:0:-1], chain[:1]])
    backward = back.tobytes()
    if backward in index:
        return ~index[backward]
    index[forward] = len(arcs)
    arcs.append(chain)
    return index[forward]


def _delta(arc: np.ndarray) -> list[list[int]]:
    out = np.vstack([arc[:1], np.diff(arc, axis=0)])
    return out.tolist()
