"""The numbers of one map view as CSV, exactly as the store holds them (no rounding)."""

from __future__ import annotations

import difflib

import pandas as pd

from lumap.data import levels as lv
from lumap.data.store import Store

COLUMNS = [
    "areacd",
    "areanm",
    "indicator",
    "period",
    "period_label",
    "value",
    "lci_95",
    "uci_95",
    "status",
    "notes",
    "rank",
    "n_ranked",
]


class ExportError(ValueError):
    pass


def map_table(store: Store, slug: str, period: str, level: str) -> pd.DataFrame:
    """The rows one map shows, ranked (1 = highest value), with the export's columns."""
    frame = store.values(slug, period, level)
    ranked = frame["value"].rank(ascending=False, method="min")
    frame = frame.assign(
        indicator=slug,
        rank=ranked.astype("Int64"),
        n_ranked=int(frame["value"].notna().sum()),
    )
    return frame.sort_values(["rank", "areanm"], na_position="last")[COLUMNS].reset_index(drop=True)


def export_csv(store: Store, slug: str, year: int | None, level: str) -> str:
    if not store.has(slug):
        close = difflib.get_close_matches(slug, list(store.meta), n=3)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise ExportError(f"unknown indicator {slug!r}.{hint}")
    if level not in lv.LEVELS:
        raise ExportError(f"unknown level {level!r}; use one of {', '.join(lv.LEVEL_ORDER)}")
    if level not in store.levels(slug):
        raise ExportError(
            f"{slug} has no data at level {level}; it has: {', '.join(store.levels(slug)) or 'none'}"
        )
    period = store.resolve_year(slug, year)
    if period is None:
        years = sorted({p["start_year"] for p in store.meta[slug]["periods"]})
        raise ExportError(f"{slug} has no period starting in {year}; years: {', '.join(map(str, years))}")
    return map_table(store, slug, period, level).to_csv(index=False, float_format=None)
