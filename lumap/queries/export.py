"""``lumap export``: the numbers of one map view as CSV, exactly as the store holds them (no rounding)."""

from __future__ import annotations

import difflib

from lumap.data import levels as lv
from lumap.data.store import Store
from lumap.queries.maps import map_table


class ExportError(ValueError):
    """A bad export request; ``argv`` is the ``lumap`` command line that would work instead
    (None when there is nothing to suggest)."""

    def __init__(self, message: str, argv: list[str] | None = None):
        super().__init__(message)
        self.argv = argv


def export_csv(store: Store, indicator: str, year: int | None, level: str, period: str | None = None) -> str:
    """The CSV of one map: the indicator at ``level`` in the period starting in ``year``
    (None: the latest), or in the exact ``period`` a link names (``period=2025-10``, the ISO
    period, its label: :meth:`Store.find_period`), which wins over ``year``."""
    if not store.has(indicator):
        close = difflib.get_close_matches(indicator, list(store.meta), n=3)
        if close:
            raise ExportError(
                f"unknown indicator {indicator!r}. Did you mean: {', '.join(close)}?",
                ["export", "--indicator", close[0], "--level", level],
            )
        raise ExportError(f"unknown indicator {indicator!r}; list them with `lumap list`", ["list"])
    levels = store.levels(indicator)
    if level not in lv.LEVELS or level not in levels:
        what = f"unknown level {level!r}; use one of {', '.join(lv.LEVEL_ORDER)}"
        if level in lv.LEVELS:
            what = f"{indicator} has no data at level {level}; it has: {', '.join(levels) or 'none'}"
        fix = ["export", "--indicator", indicator, "--level", levels[0]] if levels else ["list"]
        raise ExportError(what, fix)
    if period:
        found = store.find_period(indicator, period)
        if found is None:
            keys = [
                store.period_key(indicator, p["period"], short=False)
                for p in store.meta[indicator]["periods"]
            ]
            raise ExportError(
                f"{indicator} has no period {period!r}; its periods: {', '.join(str(k) for k in keys)}",
                ["export", "--indicator", indicator, "--period", str(keys[-1]), "--level", level],
            )
        return map_table(store, indicator, found, level).to_csv(index=False, float_format=None)
    period = store.resolve_year(indicator, year)
    if period is None:
        years = sorted({p["start_year"] for p in store.meta[indicator]["periods"]})
        raise ExportError(
            f"{indicator} has no period starting in {year}; years: {', '.join(map(str, years))}",
            ["export", "--indicator", indicator, "--year", str(years[-1]), "--level", level],
        )
    return map_table(store, indicator, period, level).to_csv(index=False, float_format=None)
