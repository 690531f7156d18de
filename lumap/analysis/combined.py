"""Combined reporting areas: places the source publishes one figure for, such as
E67000001 "City of London, Hackney" (no boundary of its own: the map draws it on its
members, its legend and side panel say so; their areas are not "no data")."""

from __future__ import annotations

import pandas as pd

from lumap.analysis.format import is_missing


def combined_areas(table: pd.DataFrame, collection: dict) -> dict[str, object]:
    """Areas the source publishes one figure for, such as E67000001 "City of London, Hackney"
    (a combined reporting area with no boundary of its own): {member code: the combined
    area's row} for the members among the features to draw, found by name. A combined area
    whose members are not all drawn is left out (it is then "no data" in the table only)."""
    by_name: dict[str, str] = {}
    for f in collection["features"]:
        by_name.setdefault(str(f["properties"].get("areanm", "")), f["properties"]["areacd"])
    drawn = {f["properties"]["areacd"] for f in collection["features"]}
    out: dict[str, object] = {}
    for r in table.itertuples(index=False):
        if r.areacd in drawn or is_missing(r.value) or "," not in str(r.areanm):
            continue
        members = [by_name.get(part.strip()) for part in str(r.areanm).split(",")]
        if len(members) > 1 and all(members):
            out.update({m: r for m in members if m})
    return out


def combined_note(code: str, name: str) -> str:
    """'One figure for City of London and Hackney together (combined area E67000001)'."""
    parts = [p.strip() for p in str(name).split(",") if p.strip()]
    together = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else str(name)
    return f"One figure for {together} together (combined area {code})"
