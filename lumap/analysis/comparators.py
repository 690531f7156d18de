"""Which areas an area is compared with, and their values.

Geography comes from ONS geo metadata shaped like ``data/boundaries/geo-metadata.json``::

    {areacd: {"areanm": ..., "level": [...], "parents": [codes], "children": [...]}}

Parents are walked transitively, so a lookup where each area lists only its direct
parent works as well as the ONS file (which lists every ancestor).

Comparators, in the order a page shows them: the UK, the area's country, its region
(Wales, Scotland and Northern Ireland are their own region-equivalents, as in ELS), and
the unweighted mean of a list of similar areas.
"""

from __future__ import annotations

import pandas as pd

from lumap.analysis.format import is_missing
from lumap.data import levels

#: The kinds of ONS similar-area lists (the keys of the store's ``similar.json``), with
#: the words a page shows for each; "global" is the default.
SIMILAR_KINDS = {"global": "overall", "economic": "economic", "demographic": "demographic"}
DEFAULT_SIMILAR = "global"


def ancestors(areacd: str, geo: dict) -> list[str]:
    """Every ancestor code, nearest first (breadth-first over ``parents``), no repeats."""
    start = str(areacd)
    seen: list[str] = []
    queue = list((geo.get(start) or {}).get("parents") or [])
    while queue:
        code = queue.pop(0)
        if code == start or code in seen:
            continue
        seen.append(code)
        queue.extend((geo.get(code) or {}).get("parents") or [])
    return seen


def _first_with_prefix(areacd: str, geo: dict, prefixes: tuple[str, ...]) -> str | None:
    code = str(areacd)
    if code[:3] in prefixes:
        return code
    return next((c for c in ancestors(code, geo) if c[:3] in prefixes), None)


def region_of(areacd: str, geo: dict) -> str | None:
    """The E12 region of an English area, or W92/S92/N92 for Welsh/Scottish/NI areas.

    A region (or nation) is its own region. England, the UK and English areas missing
    from ``geo`` have none. For Wales/Scotland/NI the nation is inferred from the code's
    first letter when ``geo`` does not know the area.
    """
    code = str(areacd)
    found = _first_with_prefix(code, geo, levels.REGION_PREFIXES)
    if found:
        return found
    if code[:1] in ("W", "S", "N"):
        return levels.NATION_CODES[code[:1]]
    return None


def country_of(areacd: str, geo: dict) -> str | None:
    """E92/W92/S92/N92 from the parents, falling back to the code's first letter."""
    code = str(areacd)
    return _first_with_prefix(code, geo, levels.COUNTRY_PREFIXES) or levels.country_of(code)


def _float(x) -> float:
    return float("nan") if is_missing(x) else float(x)


def comparator_values(values_all_levels: pd.DataFrame, areacd: str, geo: dict, similar=None) -> list[dict]:
    """Comparator values for one area from a frame of one indicator and period that
    holds every area code (all levels).

    Returns a list of ``{key, code, name, value, lci_95, uci_95, n}`` with ``key`` in
    "uk", "country", "region", "similar", in that order. A comparator is skipped when it
    is the area itself, repeats an earlier comparator (a Welsh area's country and region
    are both Wales) or has no value. ``n`` is None except for "similar", where it counts
    the similar areas that had a value; their plain unweighted mean is the value, named
    "average of N similar areas", with no confidence interval, ``code`` None and the
    codes used under ``codes``.
    """
    frame = values_all_levels.drop_duplicates("areacd").set_index("areacd")
    area = str(areacd)
    used = {area}
    out: list[dict] = []

    def name_of(code: str) -> str:
        if code in frame.index and "areanm" in frame.columns and not pd.isna(frame.at[code, "areanm"]):
            return str(frame.at[code, "areanm"])
        return str((geo.get(code) or {}).get("areanm") or code)

    for key, code in (
        ("uk", levels.UK),
        ("country", country_of(area, geo)),
        ("region", region_of(area, geo)),
    ):
        if not code or code in used or code not in frame.index:
            continue
        row = frame.loc[code]
        if is_missing(row["value"]):
            continue
        used.add(code)
        out.append(
            {
                "key": key,
                "code": code,
                "name": name_of(code),
                "value": float(row["value"]),
                "lci_95": _float(row.get("lci_95")),
                "uci_95": _float(row.get("uci_95")),
                "n": None,
            }
        )

    codes = [c for c in dict.fromkeys(str(s) for s in (similar or [])) if c != area]
    have = [c for c in codes if c in frame.index and not is_missing(frame.at[c, "value"])]
    if have:
        n = len(have)
        mean = sum(float(frame.at[c, "value"]) for c in have) / n
        out.append(
            {
                "key": "similar",
                "code": None,
                "name": f"average of {n} similar area{'s' if n != 1 else ''}",
                "value": mean,
                "lci_95": float("nan"),
                "uci_95": float("nan"),
                "n": n,
                "codes": have,
            }
        )
    return out
