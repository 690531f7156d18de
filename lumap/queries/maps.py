"""One map view: its ranked rows (what the table, tooltip and CSV all show) and the
boundaries to draw (the vintage that matches the data's codes)."""

from __future__ import annotations

import pandas as pd

from lumap.analysis.ranks import rank_table
from lumap.data import levels as lv
from lumap.data.store import VALUE_COLUMNS, Store
from lumap.data.vintages import features_for, vintage_year

#: The columns of a map's rows, and of its CSV (``n_ranked``: areas with a value; ``tied``:
#: areas sharing the rank; ``source_areacd``: the code the source published the row under,
#: where a re-coded place is shown under its current code, :mod:`lumap.data.lineage`).
COLUMNS = [
    "areacd",
    "areanm",
    "indicator",
    "period",
    "period_label",
    *VALUE_COLUMNS[2:],
    "rank",
    "tied",
    "n_ranked",
    "source_areacd",
]


def map_table(store: Store, indicator: str, period: str, level: str) -> pd.DataFrame:
    """The rows one map shows, ranked by :func:`lumap.analysis.ranks.rank_table` (1 =
    highest value as published, ties shared), areas without a value last, with the CSV's columns."""
    frame = rank_table(
        store.values(indicator, period, level), decimals=store.indicator(indicator).get("decimals")
    )
    frame = frame.assign(indicator=indicator).rename(columns={"n": "n_ranked"})
    return frame[COLUMNS].reset_index(drop=True)


def features_to_draw(store: Store, indicator: str, period: str, level: str) -> dict:
    """FeatureCollection of the level's areas for this view: features valid in the
    boundary year that matches the codes with data, old codes still carrying data drawn
    on their own geometry, never the same ground twice."""
    collection = store.boundaries(lv.LEVELS[level]["topo"])
    frame = store.values(indicator, period, level)
    codes = set(frame.loc[frame["value"].notna(), "areacd"])
    year = vintage_year(codes, collection, store.latest_year)
    return features_for(collection, codes, year, store.successors)


def map_missing(store: Store, indicator: str, period: str, level: str, collection: dict) -> dict:
    """Why each drawn area (``collection``'s features) without a value has none
    (:func:`lumap.analysis.missing.missing_areas`). The members of a combined reporting area
    are not missing: the map draws the combined figure on them."""
    from lumap.analysis.combined import combined_areas
    from lumap.analysis.missing import missing_areas

    table = map_table(store, indicator, period, level)
    covered = combined_areas(table, collection)
    codes = [f["properties"]["areacd"] for f in collection["features"]]
    codes = [c for c in codes if c not in covered]
    return missing_areas(codes, table, store.period_rows(indicator, period), level, store.geo)
