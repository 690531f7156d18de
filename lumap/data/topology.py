"""TopoJSON structure checks, before any geometry work starts.

Everything :func:`lumap.data.boundaries.decode_topology` and the simplification rely on is
checked here, in time linear in the file: the layers lumap draws are present, arcs are lists
of numeric positions, every arc index points at an arc, each feature has a code and sane
years, and the decoded coordinates are longitude/latitude. The last check matters most: a
quantised file without its ``transform`` decodes to coordinates in the tens of thousands,
and simplifying those ran for 15 minutes and took 23 GB before this check existed.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lumap.data.jsonfile import Checker, kind
from lumap.data.limits import MAX_ARCS, MAX_FEATURES, MAX_VERTICES
from lumap.data.problems import Problem

LAYERS = ("ltla", "utla", "cauth", "rgn", "ctry", "uk")
#: Layers the current boundaries must have: a map of a level without them cannot be drawn.
REQUIRED = ("ltla", "utla", "cauth", "rgn", "ctry")


def check_topology(
    doc: Any, file: str, layers: tuple[str, ...] = LAYERS, required: tuple[str, ...] = ()
) -> list[Problem]:
    """Problems of a parsed TopoJSON document (an empty list when it can be decoded).
    ``required`` layers must be present with at least one geometry (the current vintage)."""
    check = Checker(file)
    top = check.object(doc, [], 'a TopoJSON object ({"type": "Topology", "objects": …, "arcs": …})')
    if top is None:
        return check.problems
    if top.get("type") != "Topology":
        check.fail(["type"], f'should be "Topology", found {kind(top.get("type"))}')
    transform = _transform(top, check)
    ends: dict[int, tuple] = {}
    arcs = _arcs(top, check, transform, ends)
    objects = check.object(top.get("objects"), ["objects"], "an object of layers (ltla, utla, …)")
    if objects is not None:
        present = [name for name in layers if name in objects]
        if not objects:
            check.fail(["objects"], "is empty: the file has no boundaries")
        elif not present:
            found = ", ".join(sorted(map(str, objects))[:10])
            check.fail(
                ["objects"], f"has none of the layers lumap draws ({', '.join(layers)}); it has {found}"
            )
        missing = [name for name in required if name not in objects]
        if present and missing:
            check.fail(
                ["objects"],
                f"has no {', '.join(missing)} layer(s): lumap draws {', '.join(required)} from the current "
                "boundaries",
            )
        for name in present:
            if check.full:
                break
            layer = objects[name]
            if name in required and isinstance(layer, dict) and layer.get("geometries") == []:
                check.fail(
                    ["objects", name, "geometries"], "is empty: the current boundaries need this layer"
                )
            _layer(
                objects[name],
                ["objects", name],
                check,
                len(arcs) if arcs is not None else None,
                ends,
                transform,
            )
    return check.problems


def _numbers(value: Any, n: int) -> bool:
    return (
        isinstance(value, list)
        and len(value) == n
        and all(isinstance(x, int | float) and not isinstance(x, bool) and np.isfinite(x) for x in value)
    )


def _transform(top: dict, check: Checker) -> tuple[np.ndarray, np.ndarray] | None:
    if "transform" not in top:
        return None
    t = check.object(top["transform"], ["transform"], "an object with scale and translate")
    if t is None:
        return None
    scale, translate = t.get("scale"), t.get("translate")
    if not _numbers(scale, 2) or 0 in (scale or []):
        check.fail(["transform", "scale"], f"should be two non-zero numbers [x, y], found {kind(scale)}")
        return None
    if not _numbers(translate, 2):
        check.fail(["transform", "translate"], f"should be two numbers [x, y], found {kind(translate)}")
        return None
    return np.asarray(scale, dtype=float), np.asarray(translate, dtype=float)


def _arcs(top: dict, check: Checker, transform, ends: dict[int, tuple]) -> list | None:
    """Each arc must be a list of at least two [x, y] number pairs (integers when quantised),
    and the decoded coordinates must be longitude/latitude. ``ends`` gets each arc's first and
    last position (before scaling: exact), to check that rings close."""
    arcs = check.array(top.get("arcs"), ["arcs"], "a list of arcs", MAX_ARCS)
    if arcs is None:
        return None
    vertices = 0
    lo, hi = np.array([np.inf, np.inf]), np.array([-np.inf, -np.inf])
    for i, arc in enumerate(arcs):
        if check.full:
            return None
        a = _positions(arc)
        if a is None or a.dtype.kind not in "if" or a.ndim != 2 or a.shape[0] < 2 or a.shape[1] < 2:
            check.fail(["arcs", i], "should be a list of at least two [x, y] number positions")
            continue
        vertices += a.shape[0]
        if vertices > MAX_VERTICES:
            check.fail(["arcs"], f"have more than {MAX_VERTICES:,} positions in all; simplify the file first")
            return None
        xy = a[:, :2].astype(float)
        if not np.isfinite(xy).all():
            check.fail(["arcs", i], "has a position that is not a finite number")
            continue
        last = xy.sum(axis=0) if transform is not None else xy[-1]
        ends[i] = (tuple(xy[0]), tuple(last))
        if transform is not None:
            if a.dtype.kind == "f" and not (xy == np.round(xy)).all():
                check.fail(
                    ["arcs", i],
                    "has fractional positions, but a quantised file (with transform) has whole numbers",
                )
                continue
            xy = np.cumsum(xy, axis=0) * transform[0] + transform[1]
        lo, hi = np.minimum(lo, xy.min(axis=0)), np.maximum(hi, xy.max(axis=0))
    if vertices and (lo[0] < -180 or hi[0] > 180 or lo[1] < -90 or hi[1] > 90):
        span = f"x from {lo[0]:g} to {hi[0]:g}, y from {lo[1]:g} to {hi[1]:g}"
        if transform is None:
            check.fail(
                ["arcs"],
                f"are not longitude/latitude ({span}) and there is no transform: a quantised TopoJSON needs "
                '"transform": {"scale": […], "translate": […]}',
            )
        else:
            check.fail(
                ["arcs"],
                f"decode to coordinates that are not longitude/latitude ({span}): check the transform",
            )
    return arcs


def _positions(arc: Any) -> np.ndarray | None:
    if not isinstance(arc, list) or not arc or not all(isinstance(p, list) for p in arc):
        return None
    try:
        return np.asarray(arc)
    except (ValueError, TypeError, OverflowError):  # ragged, or numbers too large for a machine type
        return None


def _layer(layer: Any, path: list, check: Checker, n_arcs: int | None, ends: dict, transform) -> None:
    obj = check.object(
        layer, path, 'a GeometryCollection ({"type": "GeometryCollection", "geometries": […]})'
    )
    if obj is None:
        return
    geoms = check.array(obj.get("geometries"), [*path, "geometries"], "a list of geometries", MAX_FEATURES)
    for j, g in enumerate(geoms or []):
        if check.full:
            return
        at = [*path, "geometries", j]
        g = check.object(g, at, "a geometry object")
        if g is None:
            continue
        props = check.object(g.get("properties"), [*at, "properties"], "an object with areacd and areanm")
        if props is None:
            continue
        code = check.code(props.get("areacd"), [*at, "properties", "areacd"])
        check.text(props.get("areanm"), [*at, "properties", "areanm"], max_len=200)
        start = check.year(props.get("start"), [*at, "properties", "start"])
        end = check.year(props.get("end"), [*at, "properties", "end"])
        if start is not None and end is not None and start > end:
            check.fail([*at, "properties"], f"{code}: starts in {start}, after it ends in {end}")
        gtype = g.get("type")
        if gtype not in ("Polygon", "MultiPolygon"):
            check.fail([*at, "type"], f'{code}: should be "Polygon" or "MultiPolygon", found {kind(gtype)}')
            continue
        depth = 2 if gtype == "Polygon" else 3
        bad = _bad_arc_refs(g.get("arcs"), depth, n_arcs) or _open_ring(g["arcs"], depth, ends, transform)
        if bad:
            check.fail([*at, "arcs"], f"{code}: {bad}")


def _open_ring(value: list, depth: int, ends: dict, transform) -> str | None:
    """Why a ring's arcs do not join end to end, or None. TopoJSON rings close exactly; a
    quantised file read without its transform (deltas taken for positions) does not."""
    polygons = [value] if depth == 2 else value
    for rings in polygons:
        for n, ring in enumerate(rings, 1):
            joined = []
            for i in ring:
                if (i if i >= 0 else ~i) not in ends:
                    return None  # a bad arc, reported on its own
                first, last = ends[i] if i >= 0 else ends[~i][::-1]
                joined.append((first, last))
            gaps = [k for k in range(len(joined)) if joined[k][1] != joined[(k + 1) % len(joined)][0]]
            if gaps:
                hint = (
                    ""
                    if transform is not None
                    else " (a quantised file without its transform looks like this)"
                )
                return f"ring {n} does not close: its arcs do not meet end to end{hint}"
    return None


def _bad_arc_refs(value: Any, depth: int, n_arcs: int | None) -> str | None:
    """Why a geometry's ``arcs`` are not ``depth`` levels of lists ending in arc indexes."""
    what = (
        "a list of rings, each a list of arc indexes"
        if depth == 2
        else "a list of polygons, each a list of rings"
    )
    if not isinstance(value, list) or not value:
        return f"arcs should be {what}, found {kind(value)}"
    level = value
    for _ in range(depth - 1):
        if not all(isinstance(x, list) for x in level):
            return f"arcs should be {what}"
        level = [y for x in level for y in x]
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in level):
        return "arc indexes should be whole numbers"
    if n_arcs is not None:
        out = [i for i in level if not -n_arcs <= i < n_arcs]
        if out:
            return f"arc index {out[0]} does not exist (the file has {n_arcs:,} arcs)"
    return None
