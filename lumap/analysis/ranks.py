"""Ranks and percentiles of areas for one indicator, one period, one geography level.

The one ranking rule of lumap, used by the map (tooltip, panel, table and CSV), the compare
page, the heat map, the area profile, the change map and every sentence:

- ``rank`` 1 is the *highest* value (whatever the polarity), so "1st" always reads as
  "highest"; ties share the lowest rank number (pandas ``method="min"``: 1, 2, 2, 4).
- ``n`` is the number of areas with a value; areas with a missing value get no rank.
- ``tied`` is how many areas share the rank (1 when none does; 0 without a rank), so a
  sentence can say "joint 12th".
- Values are rounded to 9 decimal places before ranking so that float artefacts in the
  source (0.30000000000000004 vs 0.3) do not split genuine ties.
- Areas are ranked among the areas of *one* geography level: the caller passes that
  level's frame (and :class:`Rank` carries the level's key when it is known).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from lumap.analysis.format import is_missing, ordinal
from lumap.analysis.polarity import Polarity

TIE_DECIMALS = 9


@dataclass(frozen=True)
class Rank:
    """One area's place among the areas of a geography level with a value."""

    rank: int | None  # None: the area has no value (or is not in the level)
    n: int  # areas with a value
    tied: int = 0  # areas sharing ``rank``, this one included; 0 without a rank
    level: str | None = None  # the geography level ranked in, when known


def _values(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values, errors="coerce").astype(float).round(TIE_DECIMALS)


def ranks(values: pd.Series, groups: Sequence[pd.Series] = (), descending: bool = True) -> pd.DataFrame:
    """``rank`` (nullable Int64), ``n`` and ``tied`` for each value, aligned with its index.

    ``groups``: series aligned with ``values``; each group is ranked on its own (the area
    profile ranks every indicator and period of a level at once). ``descending=True``:
    rank 1 = highest value.
    """
    v = _values(values)
    by = list(groups)
    if by:
        grouped = v.groupby(by, observed=True, sort=False)
        rank = grouped.rank(method="min", ascending=not descending)
        n = v.notna().groupby(by, observed=True, sort=False).transform("sum")
    else:
        rank = v.rank(method="min", ascending=not descending)
        n = pd.Series(int(v.notna().sum()), index=v.index)
    keys = [*by, rank]
    tied = rank.groupby(keys, observed=True, sort=False).transform("size") if len(v) else rank
    return pd.DataFrame(
        {
            "rank": rank.astype("Int64"),
            "n": n.astype(int),
            "tied": tied.where(rank.notna(), 0).astype(int),
        },
        index=values.index,
    )


def rank_table(frame: pd.DataFrame, descending: bool = True) -> pd.DataFrame:
    """The frame plus ``rank``, ``n`` and ``tied`` (see :func:`ranks`), sorted by rank.

    ``descending=True``: rank 1 = highest value. Rows without a value come last with
    ``rank`` <NA>. Ties are ordered by area name. The index is reset.
    """
    out = frame.copy()
    r = ranks(out["value"], descending=descending)
    out[["rank", "n", "tied"]] = r
    out["_missing"] = out["rank"].isna()
    keys = ["_missing", "rank"] + (["areanm"] if "areanm" in out.columns else [])
    out = out.sort_values(keys, kind="stable", na_position="last")
    return out.drop(columns="_missing").reset_index(drop=True)


def rank_of(frame: pd.DataFrame, areacd: str, descending: bool = True, level: str | None = None) -> Rank:
    """The :class:`Rank` of one area (``rank`` None if it is absent or has no value)."""
    table = frame if {"rank", "n", "tied"} <= set(frame.columns) else rank_table(frame, descending)
    n = int(_values(table["value"]).notna().sum())
    hit = table.loc[table["areacd"] == areacd]
    if hit.empty or is_missing(hit["rank"].iloc[0]):
        return Rank(None, n, 0, level)
    return Rank(int(hit["rank"].iloc[0]), n, int(hit["tied"].iloc[0]), level)


def rank_text(rank, n, group: str | None = None) -> str:
    """'12th highest of 361' (``group``: '12th highest of 361 upper-tier areas'); '' when
    there is no rank. The words of a rank in tables and tooltips."""
    if is_missing(rank) or is_missing(n) or not n:
        return ""
    return f"{ordinal(int(rank))} highest of {int(n)}" + (f" {group}" if group else "")


def percentile_rank(frame: pd.DataFrame, polarity=None) -> pd.Series:
    """0–100 per area, 100 = best, for colouring a heat map. Aligned to ``frame.index``.

    Definition: order areas from worst to best (polarity-aware; neutral counts higher as
    "better", i.e. it is then simply a position from lowest to highest), take each area's
    average rank r in 1..n (ties share the mean of their positions), and return
    ``(r - 1) / (n - 1) × 100``. Equivalently ``(areas strictly worse + 0.5 × other areas
    tied) / (n - 1) × 100``. So the best area is 100, the worst 0, the median 50; a lone
    area gets 50. Missing values get NaN.
    """
    sign = Polarity.of(polarity) or 1
    score = _values(frame["value"]) * sign
    n = int(score.notna().sum())
    if n == 0:
        return pd.Series(float("nan"), index=frame.index, name="percentile")
    if n == 1:
        return score.where(score.isna(), 50.0).rename("percentile")
    avg = score.rank(method="average", ascending=True)
    return ((avg - 1) / (n - 1) * 100).rename("percentile")
