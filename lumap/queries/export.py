"""``lumap export``: the numbers of one map view as CSV, exactly as the store holds them (no rounding)."""

from __future__ import annotations

import difflib

from lumap.data import levels as lv
from lumap.data.store import Store
from lumap.queries.maps import map_table


class ExportError(ValueError):
    pass


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
