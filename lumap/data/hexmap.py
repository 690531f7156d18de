"""A hexagon map of a geography level: one equal-sized hexagon per area, placed near where
the area is, so a London borough is as visible as a Highland council area.

Computed at build time from the level's boundaries (no published layout is in the source):
each area's centroid, in Web Mercator metres (the projection the map draws in, so the
hexagons come out regular on screen), is assigned to one cell of a hexagonal lattice by
an optimal assignment that minimises the total squared distance between centroids and
cell centres (:func:`scipy.optimize.linear_sum_assignment`). Dense places spill into the
nearest free cells, keeping their order; neighbours stay near.

Boundary vintages: the newest set of areas is laid out first; each older vintage keeps
every cell already given to an area it shares and places only its own areas (the old
districts of a county that became a unitary authority) in free cells near them. So every
feature of the level has one hexagon, an area keeps its hexagon across years, and the
areas drawn for any one year never share a cell.

The output is ``<level>.hex.topo.json``: TopoJSON with the same object name, the same
geometry order (ids) and the same properties as ``<level>.topo.json``, so the map
component swaps one file for the other and every per-view payload stays as it is.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import shapely
from scipy.optimize import linear_sum_assignment

from lumap.data import topojson

#: Levels that get a hexagon map: many areas of very different sizes.
HEX_LEVELS = ("ltla", "utla")
HEX_SUFFIX = ".hex.topo.json"
GRID = 1e-4  # degrees, as the boundaries
_R = 6378137.0  # Web Mercator sphere radius
#: Cells considered for an area are those within this many cell sizes of some centroid.
#: (Fewer cells near the areas make a compact map; more let places sit nearer their centroid.)
REACH = 2.0
#: A hexagon's area as a multiple of the mean area of the newest vintage's areas: 1 makes
#: the hexagons cover about as much ground as the areas do, so the map stays compact.
SIZE = 1.0
#: Weight of staying near the newest layout's cell, against moving nearer the centroid.
STAY = 4.0


def mercator(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x = np.radians(lon) * _R
    y = np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)) * _R
    return x, y


def unmercator(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lon = np.degrees(x / _R)
    lat = np.degrees(2 * np.arctan(np.exp(y / _R)) - np.pi / 2)
    return lon, lat


def _valid(props: dict, year: int) -> bool:
    start, end = props.get("start"), props.get("end")
    return (start is None or start <= year) and (end is None or year <= end)


def vintage_years(props: list[dict], latest: int) -> list[int]:
    """The years in which the set of valid features changes, newest first (each a vintage)."""
    years = {latest}
    for p in props:
        if p.get("start") is not None and p["start"] <= latest:
            years.add(int(p["start"]))
        if p.get("end") is not None and p["end"] < latest:
            years.add(int(p["end"]))
    return sorted(years, reverse=True)


def cell_size(areas: np.ndarray) -> float:
    """Circumradius of a hexagon whose area is ``SIZE`` times the mean area (Mercator m²)."""
    mean = float(np.mean(areas)) if len(areas) else 1.0
    return math.sqrt(2 * SIZE * mean / (3 * math.sqrt(3)))


def lattice(points: np.ndarray, r: float, reach: float = REACH) -> tuple[np.ndarray, np.ndarray]:
    """Centres of pointy-top hexagons of circumradius ``r`` within ``reach`` cells of any
    point, and their (column, row) indexes."""
    w, h = math.sqrt(3) * r, 1.5 * r
    lo, hi = points.min(axis=0) - reach * 2 * r, points.max(axis=0) + reach * 2 * r
    rows = np.arange(math.floor(lo[1] / h), math.ceil(hi[1] / h) + 1)
    cols = np.arange(math.floor(lo[0] / w), math.ceil(hi[0] / w) + 1)
    cc, rr = np.meshgrid(cols, rows)
    cx = cc * w + (rr % 2) * w / 2
    cy = rr * h
    centres = np.column_stack([cx.ravel(), cy.ravel()])
    index = np.column_stack([cc.ravel(), rr.ravel()])
    from scipy.spatial import cKDTree

    near = cKDTree(points).query(centres, k=1)[0] <= reach * 2 * r
    return centres[near], index[near]


def assign(points: np.ndarray, centres: np.ndarray, anchors: np.ndarray | None = None) -> np.ndarray:
    """For each point, the index of its cell: one point per cell, minimum total cost. The
    cost is the squared distance from the point to the cell, plus ``STAY`` times the squared
    distance from the cell to the point's anchor (its cell in the newest layout; NaN for
    none), so an older vintage moves only the areas it has to."""
    d = ((points[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
    if anchors is not None:
        pull = ((anchors[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
        d = d + STAY * np.nan_to_num(pull, nan=0.0)
    rows, cols = linear_sum_assignment(d)
    out = np.empty(len(points), dtype=int)
    out[rows] = cols
    return out


def layouts(
    props: list[dict], geometries: list, latest: int
) -> tuple[dict[int, dict[int, int]], np.ndarray, float]:
    """({vintage year: {feature index: cell index}}, the cell centres in Mercator metres, the
    cell circumradius). The newest vintage is laid out from centroids alone; each older one
    keeps its areas near their newest cells (see :func:`assign`)."""
    have = [i for i, g in enumerate(geometries) if g is not None and not g.is_empty]
    if not have:
        return {}, np.zeros((0, 2)), 1.0
    cent = shapely.centroid([geometries[i] for i in have])
    x, y = mercator(np.asarray(shapely.get_x(cent)), np.asarray(shapely.get_y(cent)))
    pts = dict(zip(have, np.column_stack([x, y]), strict=True))
    years = vintage_years([props[i] for i in have], latest)
    newest = [i for i in have if _valid(props[i], years[0])] or have
    projected = [
        shapely.transform(geometries[i], lambda c: np.column_stack(mercator(c[:, 0], c[:, 1])))
        for i in newest
    ]
    r = cell_size(np.asarray([g.area for g in projected]))
    everything = np.array(list(pts.values()))
    most = max(sum(_valid(props[i], y) for i in have) for y in years)
    reach = REACH
    centres, _ = lattice(everything, r, reach)
    while len(centres) < 1.2 * most:  # room for the largest vintage
        reach += 1.0
        centres, _ = lattice(everything, r, reach)
    out: dict[int, dict[int, int]] = {}
    first: dict[int, int] = {}
    seen: set[frozenset] = set()
    for year in years:
        members = [i for i in have if _valid(props[i], year)]
        if not members or frozenset(members) in seen:
            continue  # the same areas as a newer vintage: that layout serves
        seen.add(frozenset(members))
        anchors = np.array([centres[first[i]] if i in first else (np.nan, np.nan) for i in members])
        chosen = assign(np.array([pts[i] for i in members]), centres, anchors if first else None)
        out[year] = {i: int(c) for i, c in zip(members, chosen, strict=True)}
        for i, c in out[year].items():
            first.setdefault(i, c)
    return out, centres, r


def hexagon(centre: np.ndarray, r: float) -> shapely.Polygon:
    """A pointy-top hexagon in lon/lat degrees, on the quantisation grid."""
    angles = np.radians(np.arange(6) * 60 + 30)
    x = centre[0] + r * 0.97 * np.cos(angles)  # a hair smaller: a gap shows the edges
    y = centre[1] + r * 0.97 * np.sin(angles)
    lon, lat = unmercator(x, y)
    ring = np.round(np.column_stack([lon, lat]) / GRID) * GRID
    return shapely.Polygon(np.vstack([ring, ring[:1]]))


def object_name(level: str, year: int) -> str:
    """The TopoJSON object of one vintage's hexagons."""
    return f"{level}-{year}"


def hex_topology(collection: dict, level: str, latest: int) -> tuple[dict, dict]:
    """(TopoJSON of the level's hexagons, summary) for a level's GeoJSON collection: one
    object per vintage year (:func:`object_name`), each listing every feature of the level
    in the level's order (ids), with a hexagon for the features of that vintage and none
    for the others. Hexagons shared by vintages share their arcs."""
    feats = collection["features"]
    props = [f["properties"] for f in feats]
    geoms = [shapely.geometry.shape(f["geometry"]) if f.get("geometry") else None for f in feats]
    per_year, centres, r = layouts(props, geoms, latest)
    shapes = {c: hexagon(centres[c], r) for cells in per_year.values() for c in cells.values()}
    empty = shapely.Polygon()
    flat = []
    for cells in per_year.values():
        for i, p in enumerate(props):
            shape = shapes.get(cells.get(i, -1))
            keep = {"areacd": p["areacd"], "areanm": p.get("areanm")} if shape is not None else {}
            flat.append((keep, shape if shape is not None else empty))
    topo = topojson.encode(flat, GRID, level, digits=4)
    geometries = topo["objects"].pop(level)["geometries"]
    n = len(props)
    for k, year in enumerate(per_year):
        part = geometries[k * n : (k + 1) * n]
        for i, g in enumerate(part):
            g["id"] = i
        topo["objects"][object_name(level, year)] = {"type": "GeometryCollection", "geometries": part}
    summary = {
        "vintages": list(per_year),
        "hexagons": len(per_year[max(per_year)]) if per_year else 0,
        "cells": int(len(centres)),
        "radius_m": round(r),
    }
    return topo, summary


def write_hex_maps(out_dir: Path, latest: int, write_json) -> dict:
    """Write ``<level>.hex.topo.json`` beside each hex level's ``<level>.geojson`` in
    ``out_dir``; ``write_json(path, obj) -> bytes`` writes atomically. Returns a summary."""
    import json

    summary = {}
    for level in HEX_LEVELS:
        src = Path(out_dir) / f"{level}.geojson"
        if not src.exists():
            continue
        topo, info = hex_topology(json.loads(src.read_text()), level, latest)
        info["bytes"] = write_json(Path(out_dir) / f"{level}{HEX_SUFFIX}", topo)
        summary[level] = info
    return summary
