"""Why an area on a map has no value: the four answers a reader needs told apart.

A grey area used to say "suppressed or not available" whatever the reason. The source
knows better, and so does the store:

- ``SUPPRESSED``: the source has a row for this area and period but no number (status x,
  c, u or z, or a note): suppressed or unavailable *for this area*, with the source's reason.
- ``ANCESTOR``: no row, but the area's county (an upper-tier parent) has a value: the
  indicator is published only at the other level. The map draws the area in its county's
  colour, hatched, and says so (healthy life expectancy on the district map).
- ``CHILDREN``: no row, but the areas inside it have values (published for districts only).
- ``NATION``: no area of the area's nation has a row at this level in this period: not
  published for that nation (homicide has no Scottish rows at all).
- ``ABSENT``: none of these; the source simply has no row for the area in this period.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lumap.analysis.comparison import status_reason
from lumap.analysis.format import is_missing
from lumap.data import levels as lv

SUPPRESSED = "suppressed"
ANCESTOR = "ancestor"
CHILDREN = "children"
NATION = "nation"
ABSENT = "absent"

#: What a level's areas are called in a sentence ("published for counties, not districts").
AREA_WORDS = {
    "ltla": ("district", "districts"),
    "utla": ("county", "counties"),
    "cauth": ("combined authority", "combined authorities"),
    "rgn": ("region", "regions"),
    "ctry": ("country", "countries"),
}
#: Upper-tier parents whose value may stand in for a lower-tier area (a county for its
#: districts); a region or nation is too coarse to colour a district with.
STAND_IN_PREFIXES = ("E10", "E11")


@dataclass(frozen=True)
class Missing:
    """One area without a value on one map, and why."""

    kind: str
    reason: str  # plain words, e.g. "low reliability", "not published for Scotland"
    via: str | None = None  # the code whose value stands in (ANCESTOR), else None
    via_name: str | None = None
    via_value: float | None = None
    via_level: str | None = None  # the level to show instead, for a one-click switch


def nation_name(code: str) -> str | None:
    return lv.NATIONS.get(str(code)[:1])


def published_nations(rows: pd.DataFrame, level: str) -> set[str]:
    """First letters of the nations with any row (value or status) among ``level``'s areas."""
    codes = rows["areacd"].astype(str)
    at_level = codes[codes.str[:3].isin(lv.LEVELS[level]["prefixes"])]
    return {c[:1] for c in at_level if c[:1] in lv.NATIONS}


def missing_areas(
    codes: list[str],
    table: pd.DataFrame,
    period_rows: pd.DataFrame,
    level: str,
    geo: dict,
) -> dict[str, Missing]:
    """Why each of ``codes`` (the areas drawn) has no value, for those that have none.

    ``table`` is the map's rows (areacd, value, status, notes); ``period_rows`` every area's
    row for the same period at any level (:meth:`Store.period_rows`); ``geo`` the ONS
    parents and children of each area."""
    rows = {r.areacd: r for r in table.itertuples(index=False)}
    pairs = zip(period_rows["areacd"], period_rows["value"], strict=True)
    values = {str(c): v for c, v in pairs if not is_missing(v)}
    with_rows = set(period_rows["areacd"].astype(str))
    names = dict(zip(period_rows["areacd"].astype(str), period_rows["areanm"].astype(str), strict=True))
    nations = published_nations(period_rows, level)
    out: dict[str, Missing] = {}
    for code in codes:
        r = rows.get(code)
        if r is not None and not is_missing(r.value):
            continue
        if r is not None:
            reason = status_reason(r.status, getattr(r, "notes", ""))
            if reason == "not published":  # status_reason's words when the source gives none
                reason = "the source gives no reason"
            out[code] = Missing(SUPPRESSED, reason)
            continue
        info = geo.get(code) or {}
        parent = next(
            (p for p in info.get("parents") or [] if p[:3] in STAND_IN_PREFIXES and p in values), None
        )
        siblings = (geo.get(parent) or {}).get("children") or [] if parent else []
        if parent is not None and not any(s in with_rows for s in siblings):
            # published for the county and for none of its districts: the county's value
            # stands in (a district missing beside published siblings is another matter)
            name = (geo.get(parent) or {}).get("areanm") or names.get(parent, parent)
            words = AREA_WORDS.get(level, ("area", "areas"))[1]
            out[code] = Missing(
                ANCESTOR,
                f"published for counties, not {words}",
                via=parent,
                via_name=name,
                via_value=float(values[parent]),
                via_level="utla",
            )
            continue
        children = [c for c in info.get("children") or [] if c in values]
        if children:
            below = next((lvl for lvl in lv.LEVEL_ORDER if lv.in_level(children[0], lvl)), None)
            word = AREA_WORDS.get(below or "", ("area", "areas"))[1]
            out[code] = Missing(
                CHILDREN, f"published for its {len(children)} {word}, not for it as a whole", via_level=below
            )
            continue
        nation = nation_name(code)
        if nation and code[:1] not in nations:
            out[code] = Missing(NATION, f"not published for {nation}")
            continue
        out[code] = Missing(ABSENT, "not in the source for this period")
    return out


def summary(missing: dict[str, Missing]) -> dict[str, int]:
    """{kind: number of areas}."""
    out: dict[str, int] = {}
    for m in missing.values():
        out[m.kind] = out.get(m.kind, 0) + 1
    return out


def unpublished_nations(missing: dict[str, Missing]) -> list[str]:
    """Names of the nations a map's indicator is not published for, in the ONS order."""
    found = {nation_name(code) for code, m in missing.items() if m.kind == NATION}
    return [name for name in lv.NATIONS.values() if name in found]
