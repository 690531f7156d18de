"""The compare and trends pages' questions (the slow parts, so the UI can cache them):
which areas a view can show, every mission indicator's latest period at a level, an
indicator's whole series at a level."""

from __future__ import annotations

from functools import partial

import pandas as pd

from lumap.analysis import heatmap, trends
from lumap.analysis.comparators import country_of, region_of
from lumap.data import levels as lv
from lumap.data.store import Store


def area_options(frame: pd.DataFrame, name_of) -> list[str]:
    """Codes of a values/series frame (one row per area, suppressed ones included),
    ordered by area name, then code."""
    codes = list(dict.fromkeys(frame["areacd"].astype(str)))
    return sorted(codes, key=lambda c: (str(name_of(c)).lower(), c))


def mission_heat_table(store: Store, level: str) -> pd.DataFrame:
    """heatmap.heat_table over every indicator of a mission published at ``level``, each
    in its latest period with at least one value at that level."""
    items = []
    for indicator, m in store.meta.items():
        if not m.get("mission") or level not in (m.get("levels") or []):
            continue
        periods = [p["period"] for p in m["periods"]]
        period, frame = heatmap.latest_with_values(periods, partial(store.values, indicator, level=level))
        if period is None:
            continue
        items.append(
            {
                "indicator": indicator,
                "label": m["label"],
                "mission": m["mission"],
                "polarity": m.get("polarity"),
                "decimals": m.get("decimals"),
                "count": m.get("standardised") is False,
                "period": period,
                "period_label": store.period_label(indicator, period),
                "frame": frame,
            }
        )
    return heatmap.heat_table(items)


def level_series(store: Store, indicator: str, level: str) -> pd.DataFrame:
    """Every period of every area of ``level``, oldest first: :meth:`Store.series` at the
    level (an old code is kept in a period unless a code that replaced it has a value there;
    a re-coded place is one series under its current code)."""
    return store.series(indicator, level=level)


def comparator_series(store: Store, indicator: str, areas: list[str], regions: bool = True) -> pd.DataFrame:
    """The UK and the chosen areas' regions (countries when the UK has no figure)."""
    candidates = [lv.UK] + [
        c for a in areas for c in (region_of(a, store.geo), country_of(a, store.geo)) if c
    ]
    s = store.series(indicator, areas=list(dict.fromkeys(candidates)))
    with_data = set(s.loc[s["value"].notna(), "areacd"])
    codes = trends.comparator_codes(areas, store.geo, with_data, exclude=areas)
    if not regions:  # the UK, or each area's country where the UK has no figure
        codes = [c for c in codes if c == lv.UK or (lv.UK not in with_data and c[:3] in lv.COUNTRY_PREFIXES)]
    out = s[s["areacd"].isin(codes)]
    order = out["areacd"].map({c: i for i, c in enumerate(codes)})
    return (
        out.assign(_o=order)
        .sort_values(["_o", "start"], kind="stable")
        .drop(columns="_o")
        .reset_index(drop=True)
    )
