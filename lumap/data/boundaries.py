"""Boundaries: ONS TopoJSON in, per geography level a GeoJSON file (for the server) and a
quantised TopoJSON file (for the browser, see :mod:`lumap.data.topojson`) out.

Build time only (``build_boundaries``): decodes every TopoJSON vintage, merges them into one set of
features per level, simplifies them and writes ``<level>.geojson``, ``<level>.topo.json`` plus
``successors.json``. Which of those features a map draws is decided at run time by
:mod:`lumap.data.vintages`.

A level holds several code vintages at once (Barnsley ``E08000016`` until 2024, ``E08000038``
from 2025), and old and new features cover the same ground. Simplifying each feature on its own
would let neighbours drift apart. Instead each level is cut into *faces*: the pieces of the
plane bounded by every feature's boundary. Faces never overlap, so they form a polygon coverage
that ``shapely.coverage_simplify`` can simplify while keeping shared edges identical. Each feature
is then the union of its simplified faces, so old and new vintages, and neighbours, still share
their borders exactly.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely

from lumap.data import topojson
from lumap.data.vintages import OVERLAPS_FILE, SUCCESSORS_FILE

LEVEL_LAYERS = ("ltla", "utla", "cauth", "rgn", "ctry")
OUTPUT_LAYERS = LEVEL_LAYERS + ("uk",)

# Defaults measured on the 2025 ltla level (361 features) against the source (scripts/benchmark.py):
# mean deviation 16 m (London boroughs 4 m, 95th percentile 16 m), 65k vertices, 42k in the
# TopoJSON's shared arcs (454 KB, 146 KB gzipped). 0.005 gave 50 m (London 95th percentile
# 170 m, visibly straight at zoom 12); 0.02 with a 1e-3 grid, the old default, gave 334 m.
TOLERANCE = 0.002  # degrees; Visvalingam-Whyatt, roughly sqrt of the area of dropped triangles
GRID = 1e-4  # degrees; about 7 m x 11 m, under a pixel at zoom 12 (the source's own is ~10 m)
MIN_AREA = 3e-5  # square degrees (about 0.2 km2); smaller islands are dropped
SUCCESSOR_MIN_SHARE = 0.01  # a successor must cover more than 1 % of the old area

TOPO_SUFFIX = ".topo.json"  # the browser's copy of a level: quantised TopoJSON, shared arcs


@dataclass
class Boundary:
    """One feature of one level: a code with its validity years and its geometry as decoded
    (unsimplified, and not necessarily valid: see ``_repair``)."""

    areacd: str
    areanm: str
    start: int | None
    end: int | None
    geometry: shapely.Geometry
    vintages: list[str] = field(default_factory=list)

    @property
    def period(self) -> tuple[float, float]:
        return (
            -np.inf if self.start is None else self.start,
            np.inf if self.end is None else self.end,
        )


# --- decoding -------------------------------------------------------------------------------


def decode_topology(
    topo: dict, layers=OUTPUT_LAYERS
) -> dict[str, list[tuple[dict, shapely.Geometry | None]]]:
    """``{layer: [(properties, polygonal geometry or None), ...]}`` for the named layers.

    Geometries are returned as decoded, without repair (the ONS file has self-intersections).
    """
    arcs = _arcs(topo)
    objects = topo.get("objects", {})
    return {
        layer: [
            (g.get("properties") or {}, _polygonal(g, arcs)) for g in objects[layer].get("geometries", [])
        ]
        for layer in layers
        if layer in objects
    }


def _arcs(topo: dict) -> list[np.ndarray]:
    """Arc coordinates in lon/lat; quantised arcs are delta-encoded, hence the cumulative sum."""
    transform = topo.get("transform")
    if transform is None:
        return [np.asarray(a, dtype=float)[:, :2] for a in topo["arcs"]]
    scale = np.asarray(transform["scale"], dtype=float)
    translate = np.asarray(transform["translate"], dtype=float)
    return [np.cumsum(np.asarray(a, dtype=np.int64)[:, :2], axis=0) * scale + translate for a in topo["arcs"]]


def _ring(arcs: list[np.ndarray], indexes: list[int]) -> np.ndarray:
    """Stitch arcs into a ring; ``~i`` means arc ``i`` reversed, and arcs share their end points."""
    parts: list[np.ndarray] = []
    for i in indexes:
        coords = arcs[i] if i >= 0 else arcs[~i][::-1]
        parts.append(coords if not parts else coords[1:])
    return np.concatenate(parts)


def _polygon(arcs: list[np.ndarray], rings: list[list[int]]) -> shapely.Polygon | None:
    coords = [_ring(arcs, r) for r in rings]
    coords = [c for c in coords if len(c) >= 4]
    if not coords:
        return None
    return shapely.Polygon(coords[0], coords[1:])


def _polygonal(obj: dict, arcs: list[np.ndarray]) -> shapely.Geometry | None:
    if obj.get("type") == "Polygon":
        polygons = [_polygon(arcs, obj["arcs"])]
    elif obj.get("type") == "MultiPolygon":
        polygons = [_polygon(arcs, p) for p in obj["arcs"]]
    else:
        return None
    polygons = [p for p in polygons if p is not None]
    return shapely.MultiPolygon(polygons) if len(polygons) > 1 else (polygons[0] if polygons else None)


def _repair(geometry: shapely.Geometry) -> shapely.Geometry:
    """Valid polygonal geometry; collapsed parts (lines, points) are dropped.

    The ONS file has self-intersections in 39 geometries, and repairing the regions, countries
    and UK (long coastlines) takes about a second. Simplification does not need it (faces come
    from the boundary lines, ownership from point-in-part tests), so only the few geometries
    whose areas are compared (successors) or that are written unsimplified get repaired.
    """
    if geometry.is_valid:
        return geometry
    fixed = shapely.make_valid(geometry, method="structure", keep_collapsed=False)
    if fixed.geom_type == "GeometryCollection":
        fixed = shapely.union_all([g for g in fixed.geoms if g.geom_type.endswith("Polygon")])
    return fixed


# --- merging vintages -----------------------------------------------------------------------


def _int_or_none(value) -> int | None:
    return None if value is None else int(value)


def merge_vintages(decoded: dict[str, dict[str, list]]) -> dict[str, list[Boundary]]:
    """One ``Boundary`` per feature across vintages, newest vintage first (dict order).

    A feature is identified by (areacd, start, end), with one tolerance: an older file may not
    yet know a code's ``end`` (``topo-2024-07-01.json`` has Barnsley ``E08000016`` without the
    ``end`` 2024 that ``topo.json`` gives it). Such a record is the same feature, not a second
    Barnsley that would still be valid in 2025.
    """
    levels: dict[str, dict[str, list[Boundary]]] = defaultdict(lambda: defaultdict(list))
    for vintage, layers in decoded.items():
        for layer, records in layers.items():
            for props, geometry in records:
                if geometry is not None:
                    _add_record(levels[layer][str(props["areacd"])], vintage, props, geometry)
    return {
        layer: sorted((b for same in codes.values() for b in same), key=_sort_key)
        for layer, codes in levels.items()
    }


def _add_record(same_code: list[Boundary], vintage: str, props: dict, geometry) -> None:
    start, end = _int_or_none(props.get("start")), _int_or_none(props.get("end"))
    for b in same_code:
        if b.start == start and (b.end == end or end is None):
            if vintage not in b.vintages:
                b.vintages.append(vintage)
            return
    areacd = str(props["areacd"])
    same_code.append(Boundary(areacd, str(props.get("areanm") or areacd), start, end, geometry, [vintage]))


def _sort_key(b: Boundary) -> tuple:
    return (b.areacd, b.period)


# --- simplification -------------------------------------------------------------------------


def simplify_level(
    boundaries: list[Boundary],
    tolerance: float = TOLERANCE,
    grid: float | None = GRID,
    min_area: float = MIN_AREA,
) -> list[shapely.Geometry]:
    """Simplified geometry per boundary, keeping shared edges shared (see the module docstring).

    Islets (faces under ``min_area`` with no neighbour) are dropped, but a boundary always keeps
    its largest face. A boundary whose result is empty or invalid keeps its unsimplified geometry.
    """
    geoms = np.array([b.geometry for b in boundaries], dtype=object)
    faces = _faces(geoms, None)
    neighbours = _neighbours(faces)
    owners = _owners(faces, geoms, [b.period for b in boundaries])
    _fill_small_gaps(faces, owners, neighbours, min_area)
    kept = _kept_faces(faces, owners, neighbours, min_area)
    faces, owners = faces[kept], [owners[f] for f in kept]
    if tolerance:
        faces = shapely.coverage_simplify(faces, tolerance)
    if grid:
        faces, owners = _snap(faces, owners, grid)
    result = _unions(faces, owners, len(boundaries))
    return [
        _oriented(g) if _usable(g) else _unsimplified(b.geometry, grid)
        for g, b in zip(result, boundaries, strict=True)
    ]


def _faces(geoms: np.ndarray, grid: float | None) -> np.ndarray:
    """Polygons of the planar partition made by all boundaries (the union nodes them; with
    ``grid`` it also snap-rounds them onto the grid)."""
    edges = shapely.line_merge(shapely.union_all(shapely.boundary(geoms), grid_size=grid or None))
    return shapely.get_parts(shapely.polygonize(shapely.get_parts(edges)))


def _neighbours(faces: np.ndarray) -> list[set[int]]:
    """Faces sharing at least one edge segment with each face.

    Polygonized faces are built from the same noded edges, so neighbours share exact segments;
    hashing segments is much faster than a geometric ``intersects`` against a huge coastline face,
    and unlike a shared vertex it does not count an islet that grid snapping made touch the coast.
    """
    rings, face_of_ring = shapely.get_rings(faces, return_index=True)
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)
    _, vertex = np.unique(coords, axis=0, return_inverse=True)
    vertex = vertex.ravel()
    same_ring = ring_of[:-1] == ring_of[1:]
    a, b = vertex[:-1][same_ring], vertex[1:][same_ring]
    segment = np.minimum(a, b) * (vertex.max() + 1) + np.maximum(a, b)
    pairs = np.unique(np.column_stack([segment, face_of_ring[ring_of[:-1][same_ring]]]), axis=0)
    found: list[set[int]] = [set() for _ in faces]
    same = pairs[:-1, 0] == pairs[1:, 0]  # a segment borders at most two faces
    for f, g in np.unique(np.column_stack([pairs[:-1, 1][same], pairs[1:, 1][same]]), axis=0).tolist():
        found[f].add(g)
        found[g].add(f)
    return found


def _overlap(a: tuple, b: tuple) -> bool:
    return max(a[0], b[0]) <= min(a[1], b[1])


def _owners(faces: np.ndarray, geoms: np.ndarray, periods: list[tuple]) -> list[list[int]]:
    """Boundaries each face belongs to.

    A face inside two boundaries valid in the same year (a sliver where the source overlaps
    itself, e.g. in the Solway Firth) goes to the first of them only, so a map of one year never
    draws the same ground twice. Faces of old and new vintages keep all their owners.
    """
    parts, part_of = shapely.get_parts(geoms, return_index=True)  # a part, even invalid, is a ring set
    face_idx, part_idx = shapely.STRtree(parts).query(shapely.point_on_surface(faces), predicate="within")
    owners: list[list[int]] = [[] for _ in faces]
    for f, g in sorted(set(zip(face_idx.tolist(), part_of[part_idx].tolist(), strict=True))):
        if not any(_overlap(periods[g], periods[h]) for h in owners[f]):
            owners[f].append(g)
    return owners


def _fill_small_gaps(faces, owners, neighbours, min_area: float) -> None:
    """Give each small face that no boundary owns (a sliver gap between neighbours in the source,
    or a tiny hole) to the owners of the neighbour with the longest shared edge."""
    areas = shapely.area(faces)
    for f in np.flatnonzero(areas < min_area):
        if owners[f]:
            continue
        candidates = [n for n in neighbours[f] if owners[n]]
        if candidates:
            shared = shapely.length(shapely.intersection(faces[f], faces[candidates]))
            if shared.max() > 0:
                owners[f] = list(owners[candidates[int(np.argmax(shared))]])


def _kept_faces(faces, owners, neighbours, min_area: float) -> list[int]:
    """Owned faces minus islets; a boundary made only of islets keeps its largest."""
    areas = shapely.area(faces)
    kept = {f for f, found in enumerate(owners) if found and (areas[f] >= min_area or neighbours[f])}
    largest: dict[int, int] = {}
    for f, found in enumerate(owners):
        for g in found:
            if g not in largest or areas[f] > areas[largest[g]]:
                largest[g] = f
    covered = {g for f in kept for g in owners[f]}
    return sorted(kept | {f for g, f in largest.items() if g not in covered})


def _snap(faces: np.ndarray, owners: list[list[int]], grid: float) -> tuple[np.ndarray, list[list[int]]]:
    """Snap-round the simplified coverage onto the grid as a whole.

    Snapping each feature on its own would make neighbours disagree wherever a narrow part
    collapses; re-noding all edges together keeps one shared edge per border. Each new face takes
    the owners of the face its interior point falls in.
    """
    snapped = _faces(faces, grid)
    new, old = shapely.STRtree(faces).query(shapely.point_on_surface(snapped), predicate="within")
    new_owners: list[list[int]] = [[] for _ in snapped]
    for n, o in zip(new.tolist(), old.tolist(), strict=True):
        new_owners[n] = owners[o]
    return snapped, new_owners


def _unions(faces: np.ndarray, owners: list[list[int]], count: int) -> list[shapely.Geometry | None]:
    members: list[list] = [[] for _ in range(count)]
    for face, found in zip(faces, owners, strict=True):
        for g in found:
            members[g].append(face)
    return [shapely.coverage_union_all(m) if m else None for m in members]


def _oriented(geometry: shapely.Geometry) -> shapely.Geometry:
    return shapely.orient_polygons(geometry, exterior_cw=False)  # RFC 7946 winding


def _unsimplified(geometry: shapely.Geometry, grid: float | None) -> shapely.Geometry:
    """Fallback for a feature that simplification broke; off the grid if even the grid breaks it."""
    geometry = _repair(geometry)
    snapped = _oriented(shapely.set_precision(geometry, grid)) if grid else None
    return snapped if _usable(snapped) else _oriented(geometry)


def _usable(geometry) -> bool:
    return (
        geometry is not None
        and not geometry.is_empty
        and geometry.geom_type in ("Polygon", "MultiPolygon")
        and geometry.is_valid
    )


# --- successors -----------------------------------------------------------------------------


def find_successors(levels: dict[str, list[Boundary]]) -> dict[str, list[str]]:
    """``{old code: [codes starting after it ended that cover > 1 % of its area]}``, all levels.

    Every code with an ``end`` year is a key, even when nothing replaced it.
    """
    overlaps = successor_overlaps(levels)
    return {code: sorted(overlaps[code]) for code in sorted(overlaps)}


def successor_overlaps(levels: dict[str, list[Boundary]]) -> dict[str, dict[str, list[float]]]:
    """``{old code: {successor: [share of the old area inside it, share of it inside the old
    area]}}``: the successors of :func:`find_successors` with how much ground each pair shares,
    both ways (what :mod:`lumap.data.lineage` decides "the same place" on). Shares are of the
    source's own (repaired, unsimplified) geometry, rounded to 4 decimals."""
    found: dict[str, dict[str, list[float]]] = {}
    for boundaries in levels.values():
        changed = [b for b in boundaries if b.start is not None or b.end is not None]
        geoms = [_repair(b.geometry) for b in changed]
        tree = shapely.STRtree(geoms)
        for old, old_geom in zip(changed, geoms, strict=True):
            if old.end is None:
                continue
            pairs = found.setdefault(old.areacd, {})
            for j in tree.query(old_geom, predicate="intersects"):
                new = changed[j]
                if new.start is None or new.start <= old.end or new.areacd in pairs:
                    continue
                shared = shapely.intersection(old_geom, geoms[j]).area
                of_old = shared / old_geom.area if old_geom.area else 0.0
                if of_old > SUCCESSOR_MIN_SHARE:
                    of_new = shared / geoms[j].area if geoms[j].area else 0.0
                    pairs[new.areacd] = [round(of_old, 4), round(of_new, 4)]
    return {code: dict(sorted(found[code].items())) for code in sorted(found)}


# --- writing --------------------------------------------------------------------------------


def _decimals(grid: float | None) -> int | None:
    """Decimal places that represent every multiple of ``grid`` (1e-3 -> 3, 5e-4 -> 4)."""
    if not grid:
        return None
    for d in range(16):
        scaled = grid * 10**d
        if abs(scaled - round(scaled)) < 1e-9 * max(1.0, scaled):
            return d
    return None


def _ring_coords(ring, decimals: int | None) -> list:
    xy = shapely.get_coordinates(ring)
    return (xy if decimals is None else np.round(xy, decimals)).tolist()


def geojson_geometry(geometry: shapely.Geometry, decimals: int | None = None) -> dict:
    """GeoJSON geometry dict; rounding here keeps the text short (no ``0.30000000000000004``)."""
    polygons = [geometry] if geometry.geom_type == "Polygon" else list(geometry.geoms)
    coords = [
        [_ring_coords(p.exterior, decimals)] + [_ring_coords(r, decimals) for r in p.interiors]
        for p in polygons
    ]
    if len(coords) == 1:
        return {"type": "Polygon", "coordinates": coords[0]}
    return {"type": "MultiPolygon", "coordinates": coords}


def _feature(b: Boundary, geometry: shapely.Geometry, decimals: int | None) -> dict:
    props = {
        "areacd": b.areacd,
        "areanm": b.areanm,
        "start": b.start,
        "end": b.end,
        "vintages": list(b.vintages),
    }
    return {"type": "Feature", "properties": props, "geometry": geojson_geometry(geometry, decimals)}


def _write_json(path: Path, obj) -> int:
    """Write compact JSON atomically (temporary file, then rename); returns the size in bytes."""
    data = json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len(data)


# --- build ----------------------------------------------------------------------------------


def build_boundaries(
    topo_files: dict[str, bytes],
    out_dir: Path,
    progress=lambda msg: None,
    *,
    tolerance: float = TOLERANCE,
    grid: float | None = GRID,
    min_area: float = MIN_AREA,
) -> dict:
    """Write ``out_dir/<level>.geojson`` for each level in ``OUTPUT_LAYERS``, ``successors.json``
    and ``overlaps.json`` (how much ground each old code shares with each successor).

    ``topo_files`` maps vintage name -> TopoJSON bytes, newest first; a feature's geometry comes
    from the newest file that has it. Returns a summary: features, vertices before and after, and
    bytes per level, plus the successor count and the time taken.
    """
    started = time.perf_counter()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    decoded = {}
    for vintage, raw in topo_files.items():  # checked by lumap.data.topology before they get here
        decoded[vintage] = decode_topology(json.loads(raw))
        progress(f"boundaries: decoded {vintage}")
    levels = merge_vintages(decoded)
    summary: dict = {"levels": {}, "tolerance": tolerance, "grid": grid, "min_area": min_area}
    for level in OUTPUT_LAYERS:
        summary["levels"][level] = _build_level(
            level, levels.get(level, []), out_dir, tolerance, grid, min_area
        )
        progress(f"boundaries: {level} {summary['levels'][level]['features']} features")
    overlaps = successor_overlaps({k: v for k, v in levels.items() if k in OUTPUT_LAYERS})
    successors = {code: sorted(pairs) for code, pairs in overlaps.items()}
    summary["successors"] = len(successors)
    summary["successors_bytes"] = _write_json(out_dir / SUCCESSORS_FILE, successors)
    summary["overlaps_bytes"] = _write_json(out_dir / OVERLAPS_FILE, overlaps)
    summary["seconds"] = round(time.perf_counter() - started, 2)
    return summary


def _build_level(level: str, boundaries: list[Boundary], out_dir: Path, tolerance, grid, min_area) -> dict:
    simple = simplify_level(boundaries, tolerance, grid, min_area) if boundaries else []
    decimals = _decimals(grid)
    features = [_feature(b, g, decimals) for b, g in zip(boundaries, simple, strict=True)]
    size = _write_json(out_dir / f"{level}.geojson", {"type": "FeatureCollection", "features": features})
    topo = topojson.encode(
        [(f["properties"], g) for f, g in zip(features, simple, strict=True)],
        grid or 1e-6,
        level,
        digits=decimals,
    )
    topo_size = _write_json(out_dir / f"{level}{TOPO_SUFFIX}", topo)
    return {
        "features": len(boundaries),
        "vertices_before": int(sum(shapely.get_num_coordinates([b.geometry for b in boundaries]))),
        "vertices_after": int(sum(shapely.get_num_coordinates(simple))),
        "bytes": size,
        "topojson_bytes": topo_size,
        "topojson_arc_vertices": sum(len(a) for a in topo["arcs"]),
    }
