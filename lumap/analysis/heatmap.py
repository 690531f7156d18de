"""Areas × indicators: where each place stands on every mission indicator.

Each cell is the area's percentile rank among all areas of the geography level with a
value in the indicator's latest period at that level (``ranks.percentile_rank``): 100 is
the best area, 0 the worst. Indicators with no direction (neutral or unknown polarity)
get a plain percentile, 100 = highest, flagged ``neutral`` so a chart can colour them
apart and never read them as good or bad.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd

from lumap.analysis.polarity import Polarity
from lumap.analysis.ranks import percentile_rank, rank_table
from lumap.data.store import VALUE_COLUMNS

#: One cell of the heat map (and one row of its CSV).
COLUMNS = [
    *("indicator", "label", "mission", "polarity", "neutral", "period", "period_label"),
    *VALUE_COLUMNS,
    *("rank", "n", "tied", "percentile"),
]


def latest_with_values(periods: Iterable[str], frame_for: Callable[[str], pd.DataFrame]):
    """The latest period (``periods`` oldest first) whose frame has at least one value,
    and that frame; ``(None, None)`` when none has. Looks at as few periods as it can."""
    for period in reversed(list(periods)):
        frame = frame_for(period)
        if len(frame) and pd.to_numeric(frame["value"], errors="coerce").notna().any():
            return period, frame
    return None, None


def indicator_cells(frame: pd.DataFrame, polarity, decimals=None) -> pd.DataFrame:
    """One period, one level: every area with ``rank``/``n``/``tied`` (1 = highest value as
    published) and ``percentile`` (polarity-aware, 100 = best; plain for neutral) and ``neutral``."""
    out = rank_table(frame, decimals=decimals)
    out["percentile"] = percentile_rank(out, polarity, decimals).to_numpy()
    out["neutral"] = not Polarity.of(polarity).directed
    return out


def heat_table(items: Iterable[dict]) -> pd.DataFrame:
    """Long table, one row per indicator × area. Each item: ``indicator``, ``label``,
    ``mission``, ``polarity``, ``period``, ``period_label`` and ``frame`` (that period's
    rows at the level). Indicators whose frame is None or empty are left out."""
    parts = []
    for it in items:
        frame = it.get("frame")
        if frame is None or not len(frame):
            continue
        # a count is ranked by size, never as better or worse (lumap.analysis.counts)
        polarity = None if it.get("count") else it.get("polarity")
        cells = indicator_cells(frame, polarity, it.get("decimals"))
        for key in ("indicator", "label", "mission", "polarity", "period", "period_label"):
            cells[key] = it.get(key)
        parts.append(cells)
    if not parts:
        return pd.DataFrame(columns=COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    return out[COLUMNS]


def neutral_cells(cells: pd.DataFrame) -> pd.DataFrame:
    """The cells for neutral wording: every indicator a plain percentile, 100 = highest (a
    lower-is-better indicator's "100 = best" turned round), flagged ``neutral``."""
    out = cells.copy()
    flip = pd.to_numeric(out["polarity"], errors="coerce").fillna(0).lt(0) & ~out["neutral"].astype(bool)
    out.loc[flip, "percentile"] = 100 - out.loc[flip, "percentile"]
    out["neutral"] = True
    return out


def for_areas(table: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """The rows of ``codes`` (every indicator): indicators by mission then label, and
    within each the areas in the order given. Areas with no row for an indicator are added with no value and
    status "" so the grid has no holes; ``published`` says whether the area had a row."""
    if table.empty:
        return table.assign(published=pd.Series(dtype=bool))
    inds = (
        table[["indicator", "label", "mission", "polarity", "neutral", "period", "period_label", "n"]]
        .drop_duplicates("indicator")
        .assign(_m=lambda d: pd.to_numeric(d["mission"], errors="coerce").fillna(99))
        .sort_values(["_m", "label"])
        .drop(columns="_m")
    )
    grid = inds.assign(_k=1).merge(pd.DataFrame({"areacd": list(codes), "_k": 1}), on="_k").drop(columns="_k")
    have = table[table["areacd"].isin(codes)].drop(
        columns=["label", "mission", "polarity", "neutral", "period", "period_label", "n"]
    )
    out = grid.merge(have, on=["indicator", "areacd"], how="left", indicator="_merge")
    out["published"] = out["_merge"] == "both"
    out = out.drop(columns="_merge")
    return out.reset_index(drop=True)[COLUMNS + ["published"]]
