"""Area-centred queries over the store: which areas have data, what kind of area each is,
every row of a few areas across all indicators, and one level's rows for all indicators.

These are the raw material of the area profile (:mod:`lumap.analysis.profile`). No
Streamlit here; values are unrounded, exactly as the store holds them.
"""

from __future__ import annotations

import pandas as pd

from lumap.data import levels as lv
from lumap.data import lineage
from lumap.data.store import Store

#: What a GSS code prefix means, in words a reader knows.
AREA_TYPES = {
    "E06": "unitary authority",
    "E07": "district",
    "E08": "metropolitan borough",
    "E09": "London borough",
    "W06": "Welsh council",
    "S12": "Scottish council",
    "N09": "Northern Ireland council",
    "E67": "combined reporting area",
    "E10": "county",
    "E47": "combined authority",
    "E12": "region",
    "E92": "country",
    "W92": "country",
    "S92": "country",
    "N92": "country",
}

SERIES_COLUMNS = [
    "indicator",
    "areacd",
    "areanm",
    "period",
    "period_label",
    "start_year",
    "start",
    "value",
    "lci_95",
    "uci_95",
    "status",
    "notes",
]
_TEXT = ["indicator", "areacd", "areanm", "period", "period_label", "status", "notes"]


def area_type(code: str) -> str:
    return AREA_TYPES.get(str(code)[:3], "area")


def area_label(name: str, code: str, start=None, end=None) -> str:
    """'Blackpool (unitary authority / E06000009)'; old and new codes say when they applied:
    'Allerdale (district, to 2022 / E07000026)'."""
    when = ""
    if _year(end):
        when = f", to {int(end)}"
    elif _year(start):
        when = f", from {int(start)}"
    return f"{name} ({area_type(code)}{when} / {code})"


def _year(x) -> bool:
    try:
        return x is not None and not pd.isna(x) and int(x) > 0
    except (TypeError, ValueError):
        return False


def catalogue(store: Store) -> pd.DataFrame:
    """Every area of a charted level (ltla, utla, cauth, rgn, ctry) with at least one
    published value: areacd, areanm, type, levels, start, end, label. Sorted by name, the
    current code of a name first. A re-coded place is one entry, under its current code
    (its figures under earlier codes are part of it: :mod:`lumap.data.lineage`)."""
    obs = store.obs
    have = obs.loc[obs["value"].notna(), "areacd"].astype(str).unique()
    have = list(dict.fromkeys(store.current_code(c) for c in have))
    rows = []
    for code in have:
        levels = lv.levels_of(code)
        if not levels:
            continue
        g = store.geo.get(code) or {}
        name = store.area_name(code)
        start, end = g.get("start"), g.get("end")
        rows.append(
            {
                "areacd": code,
                "areanm": name,
                "type": area_type(code),
                "levels": levels,
                "start": start,
                "end": end,
                "label": area_label(name, code, start, end),
            }
        )
    df = pd.DataFrame(rows, columns=["areacd", "areanm", "type", "levels", "start", "end", "label"])
    df["_name"] = df["areanm"].str.lower()
    df["_old"] = df["end"].map(_year)
    df = df.sort_values(["_name", "_old", "areacd"], kind="stable")
    return df.drop(columns=["_name", "_old"]).reset_index(drop=True)


def area_rows(store: Store, codes) -> pd.DataFrame:
    """Every row of the given codes, all indicators and periods: one row per indicator,
    code and period (the first, as :meth:`Store.series` keeps), oldest period first. A
    re-coded place includes the rows of its earlier codes, under its current code
    (``source_areacd``: the code the source used; :mod:`lumap.data.lineage`)."""
    codes = lineage.with_earlier([str(c) for c in dict.fromkeys(codes) if c], store.continuations)
    rows = store.area_obs(codes)
    out = rows[SERIES_COLUMNS].copy()
    for c in _TEXT:  # plain Python strings: a small frame read row by row
        out[c] = out[c].astype(str).astype(object)
    out = out.drop_duplicates(subset=["indicator", "areacd", "period"], keep="first")
    out = lineage.fold(out, store.continuations, store.area_name, by=("indicator", "period"))
    out[lineage.SOURCE_CODE] = out[lineage.SOURCE_CODE].astype(object)
    return out.sort_values(["indicator", "start", "areacd"], kind="stable").reset_index(drop=True)


def level_table(store: Store, level: str) -> pd.DataFrame:
    """All indicators at one level: the rows :meth:`Store.values` gives for every period
    (one code of each obsolete/successor pair kept), in one frame with ``indicator``."""
    frames = []
    for indicator in store.meta:
        if level not in store.levels(indicator):
            continue
        f = store.series(indicator, level=level, folded=False)  # folded once below: 80 calls cost seconds
        if len(f):
            frames.append(f.assign(indicator=indicator))
    if not frames:
        return pd.DataFrame(columns=[*SERIES_COLUMNS, lineage.SOURCE_CODE])
    out = pd.concat(frames, ignore_index=True)
    out = lineage.fold(out, store.continuations, store.area_name, by=("indicator", "period"))
    order = {indicator: i for i, indicator in enumerate(store.meta)}
    out = out.assign(_i=out["indicator"].map(order)).sort_values(["_i", "start", "areacd"], kind="stable")
    out = out.reset_index(drop=True)[[*SERIES_COLUMNS, lineage.SOURCE_CODE]]
    for c in [*_TEXT, lineage.SOURCE_CODE]:  # categoricals: a fraction of the memory, and fast grouping
        out[c] = out[c].astype("category")
    return out
