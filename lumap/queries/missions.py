"""The missions page's questions: one indicator's report at one level, and the change
per area between two periods."""

from __future__ import annotations

import pandas as pd

from lumap.analysis import changetable
from lumap.analysis import missionreport as mr
from lumap.analysis.missionreport import COMPARATOR_CODES, MissionReport, indicator_report
from lumap.data.store import Store


def mission_report(store: Store, indicator: str, level: str, baseline: int, measure: str) -> MissionReport:
    """:func:`lumap.analysis.missionreport.indicator_report` on the store's series of the
    indicator at ``level`` and its national comparators (≈50–200 ms)."""
    meta = store.meta[indicator]
    return indicator_report(
        store.series(indicator, level=level),
        store.series(indicator, list(COMPARATOR_CODES)),
        meta.get("polarity"),
        baseline,
        measure,
        level,
        store.geo,
        standardised=meta.get("standardised") is not False,
    )


def change_table(
    store: Store, indicator: str, period_from: str, period_to: str, level: str, kind: str
) -> pd.DataFrame:
    """Per-area change between two periods (:func:`lumap.analysis.changetable.change_table`)."""
    return changetable.change_table(
        store.values(indicator, period_from, level),
        store.values(indicator, period_to, level),
        store.meta[indicator].get("polarity"),
        kind,
    )


def level_used(store: Store, indicator: str, wanted: str) -> str | None:
    """The level an indicator is shown at: the one asked for, else the nearest it has
    (upper tier for indicators whose English data are upper-tier only)."""
    upper = wanted == "ltla" and mr.lower_tier_missing(store.rows(indicator)["areacd"].unique())
    return mr.level_for(store.levels(indicator), wanted, upper_tier_only=upper)
