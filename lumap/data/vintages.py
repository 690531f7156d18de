"""Run time: which boundary features one map draws.

The build (:mod:`lumap.data.boundaries`) writes one GeoJSON file per geography level holding
every code vintage at once (Barnsley ``E08000016`` until 2024, ``E08000038`` from 2025), and
``successors.json``. These functions work on the parsed files as plain dicts, so the app can
cache one parsed file per level and hand features straight to folium; they need no shapely.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

SUCCESSORS_FILE = "successors.json"
OVERLAPS_FILE = "overlaps.json"  # shares of ground between old codes and successors (lumap.data.lineage)


def load_level(out_dir: Path, level: str) -> dict:
    """The level's GeoJSON FeatureCollection as a plain dict. Treat it as read-only: it is meant
    to be cached once and shared."""
    with open(Path(out_dir) / f"{level}.geojson", encoding="utf-8") as fh:
        return json.load(fh)


def load_successors(out_dir: Path) -> dict[str, list[str]]:
    with open(Path(out_dir) / SUCCESSORS_FILE, encoding="utf-8") as fh:
        return json.load(fh)


def valid_in(props: dict, year: int) -> bool:
    start, end = props.get("start"), props.get("end")
    return (start is None or start <= year) and (end is None or year <= end)


def _distance(props: dict, year: int) -> int:
    """Years between ``year`` and a feature's validity (0 when valid)."""
    if props.get("end") is not None and props["end"] < year:
        return year - props["end"]
    if props.get("start") is not None and props["start"] > year:
        return props["start"] - year
    return 0


def _related(successors: dict[str, list[str]]) -> dict[str, set[str]]:
    """Successors and predecessors of every code."""
    related: dict[str, set[str]] = defaultdict(set)
    for old, new in successors.items():
        for code in new:
            related[old].add(code)
            related[code].add(old)
    return related


def features_for(
    collection: dict, codes_with_data: set[str], year: int, successors: dict[str, list[str]]
) -> dict:
    """FeatureCollection to draw for one map of ``year``: one feature per areacd.

    Features valid in ``year``, plus any code with data that is not valid then (an old code, or a
    new code used for earlier years), minus the valid-in-year codes that replaced it or that it
    replaced when those have no data of their own. An out-of-year code is skipped when a related
    code already carries data, so the same ground is never drawn twice. Feature dicts are shared
    with ``collection``, not copied.
    """
    related = _related(successors)
    chosen: dict[str, dict] = {}
    for f in collection["features"]:
        if valid_in(f["properties"], year):
            chosen.setdefault(f["properties"]["areacd"], f)
    drawn_with_data = {code for code in chosen if code in codes_with_data}
    removed: set[str] = set()
    for f in _out_of_year(collection, codes_with_data, year, set(chosen)):
        code = f["properties"]["areacd"]
        if related[code] & drawn_with_data:
            continue
        chosen[code] = f
        drawn_with_data.add(code)
        removed |= {c for c in related[code] if c not in codes_with_data}
    features = [f for code, f in sorted(chosen.items()) if code not in removed]
    return {"type": "FeatureCollection", "features": features}


def _out_of_year(collection: dict, codes_with_data: set[str], year: int, valid_codes: set[str]) -> list[dict]:
    """Features of codes with data that are not valid in ``year``, the closest in time first,
    one per code."""
    found: dict[str, dict] = {}
    for f in collection["features"]:
        props = f["properties"]
        code = props["areacd"]
        if code in codes_with_data and code not in valid_codes:
            if code not in found or _distance(props, year) < _distance(found[code]["properties"], year):
                found[code] = f
    return sorted(found.values(), key=lambda f: (_distance(f["properties"], year), f["properties"]["areacd"]))


def vintage_year(codes: set[str], collection: dict, default_year: int) -> int:
    """The boundary year matching a set of data codes.

    The latest ``start`` among the codes that have one; otherwise the latest year, up to
    ``default_year``, in which every code with geometry is valid (the earliest ``end``);
    ``default_year`` when no code has geometry.
    """
    records = [f["properties"] for f in collection["features"] if f["properties"]["areacd"] in codes]
    starts = [p["start"] for p in records if p.get("start") is not None]
    if starts:
        return max(starts)
    last_year: dict[str, float] = {}
    for p in records:
        end = default_year if p.get("end") is None else p["end"]
        last_year[p["areacd"]] = max(last_year.get(p["areacd"], end), end)
    return int(min([default_year, *last_year.values()]))
