"""Ranks and percentiles of areas for one indicator, one period, one geography level.

Conventions:

- ``rank`` 1 is the *highest* value (whatever the polarity), so "1st" always reads as
  "highest"; ties share the lowest rank number (pandas ``method="min"``: 1, 2, 2, 4).
- ``n`` is the number of areas with a value; areas with a missing value get no rank.
- Values are rounded to 9 decimal places before ranking so that float artefacts in the
  source (0.30000000000000004 vs 0.3) do not split genuine ties.
"""

from __future__ import annotations

import pandas as pd

from lumap.analysis.significance import polarity_sign

TIE_DECIMALS = 9


def _values(frame: pd.DataFrame) -> pd.Series:
    return pd.to_numeric(frame["value"], errors="coerce").astype(float).round(TIE_DECIMALS)


def rank_table(frame: pd.DataFrame, descending: bool = True) -> pd.DataFrame:
    """The frame plus ``rank`` (nullable Int64) and ``n``, sorted by rank.

    ``descending=True``: rank 1 = highest value. Rows without a value come last with
    ``rank`` <NA>. Ties are ordered by area name. The index is reset.
    """
    out = frame.copy()
    v = _values(out)
    out["rank"] = v.rank(method="min", ascending=not descending).astype("Int64")
    out["n"] = int(v.notna().sum())
    keys = ["_missing", "rank"] + (["areanm"] if "areanm" in out.columns else [])
    out["_missing"] = v.isna()
    out = out.sort_values(keys, kind="stable", na_position="last")
    return out.drop(columns="_missing").reset_index(drop=True)


def rank_of(frame: pd.DataFrame, areacd: str, descending: bool = True) -> tuple[int | None, int]:
    """``(rank, n)`` of one area, or ``(None, n)`` if it is absent or has no value."""
    table = frame if {"rank", "n"} <= set(frame.columns) else rank_table(frame, descending)
    n = int(_values(table).notna().sum())
    hit = table.loc[table["areacd"] == areacd, "rank"]
    if hit.empty or pd.isna(hit.iloc[0]):
        return None, n
    return int(hit.iloc[0]), n


def percentile_rank(frame: pd.DataFrame, polarity=None) -> pd.Series:
    """0–100 per area, 100 = best, for colouring a heat map. Aligned to ``frame.index``.

    Definition: order areas from worst to best (polarity-aware; neutral counts higher as
    "better", i.e. it is then simply a position from lowest to highest), take each area's
    average rank r in 1..n (ties share the mean of their positions), and return
    ``(r - 1) / (n - 1) × 100``. Equivalently ``(areas strictly worse + 0.5 × other areas
    tied) / (n - 1) × 100``. So the best area is 100, the worst 0, the median 50; a lone
    area gets 50. Missing values get NaN.
    """
    sign = polarity_sign(polarity) or 1
    score = _values(frame) * sign
    n = int(score.notna().sum())
    if n == 0:
        return pd.Series(float("nan"), index=frame.index, name="percentile")
    if n == 1:
        return score.where(score.isna(), 50.0).rename("percentile")
    avg = score.rank(method="average", ascending=True)
    return ((avg - 1) / (n - 1) * 100).rename("percentile")
