"""The compare and trends pages' questions (the slow parts, so the UI can cache them):
which areas a view can show, every mission indicator's latest period at a level, an
indicator's whole series at a level."""

from __future__ import annotations

from functools import partial

import pandas as pd

from lumap.analysis import heatmap, trends
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
    for slug, m in store.meta.items():
        if not m.get("mission") or level not in (m.get("levels") or []):
            continue
        periods = [p["period"] for p in m["periods"]]
        period, frame = heatmap.latest_with_values(periods, partial(store.values, slug, level=level))
        if period is None:
            continue
        items.append(
            {
                "indicator": slug,
                "label": m["label"],
                "mission": m["mission"],
                "polarity": m.get("polarity"),
                "period": period,
                "period_label": store.period_label(slug, period),
                "frame": frame,
            }
        )
    return heatmap.heat_table(items)


def level_series(store: Store, indicator: str, level: str) -> pd.DataFrame:
    """Every period of every area of ``level``, oldest first; an old code is kept in a
    period unless a code that replaced it has a value there (``trends.keep_one_code``)."""
    rows = store.series(indicator)
    rows = rows[rows["areacd"].str[:3].isin(lv.LEVELS[level]["prefixes"]).to_numpy()]
    return trends.keep_one_code(rows, store.successors).reset_index(drop=True)
