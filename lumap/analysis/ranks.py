"""Ranks and percentiles of areas for one indicator, one period, one geography level.

The one ranking rule of lumap, used by the map (tooltip, panel, table and CSV), the compare
page, the heat map, the area profile, the change map and every sentence:

- ``rank`` 1 is the *highest* value (whatever the polarity), so "1st" always reads as
  "highest"; ties share the lowest rank number (pandas ``method="min"``: 1, 2, 2, 4).
- ``n`` is the number of areas with a value; areas with a missing value get no rank.
- ``tied`` is how many areas share the rank (1 when none does; 0 without a rank), and the
  words say so: "joint 12th highest of 361", "joint highest of 361 (189 areas at 100.0%)"
  (:func:`rank_text` for tables and tooltips, :func:`rank_phrase` for sentences).
- Areas are ranked on the values **as published**: rounded, half up, to the indicator's
  published decimal places (``decimals``, the metadata's ``decimalPlaces``), exactly as
  :func:`lumap.analysis.format.format_number` shows them. Two areas both shown as "100.0%"
  are joint, never 1st and 124th because one was 99.97 in the file. Without ``decimals``
  values are rounded to 9 places, so float artefacts (0.30000000000000004) do not split ties.
- Areas are ranked among the areas of *one* geography level: the caller passes that
  level's frame (and :class:`Rank` carries the level's key when it is known).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lumap.analysis.format import is_missing, ordinal, round_half_up
from lumap.analysis.polarity import Polarity

TIE_DECIMALS = 9


@dataclass(frozen=True)
class Rank:
    """One area's place among the areas of a geography level with a value."""

    rank: int | None  # None: the area has no value (or is not in the level)
    n: int  # areas with a value
    tied: int = 0  # areas sharing ``rank``, this one included; 0 without a rank
    level: str | None = None  # the geography level ranked in, when known


def published(values, decimals=None) -> pd.Series:
    """The values as a reader sees them: rounded half up (away from zero on a tie) to
    ``decimals`` places, an int or a series aligned with ``values`` (one per row, when rows
    are of several indicators), exactly as :func:`lumap.analysis.format.format_number`
    rounds them. None (or a missing entry): 9 places. Vectorised; only values within a
    hair of a tie go through :func:`~lumap.analysis.format.round_half_up` (the text of the
    float decides, as in the display: 0.15 -> 0.2 although 0.15 * 10 = 1.4999999999999998)."""
    v = pd.to_numeric(pd.Series(values), errors="coerce").astype(float)
    if decimals is None:
        return v.round(TIE_DECIMALS)
    if np.ndim(decimals):
        d = pd.to_numeric(pd.Series(decimals, index=v.index), errors="coerce").fillna(TIE_DECIMALS)
        places = d.to_numpy(dtype=float)
    else:
        places = np.full(len(v), TIE_DECIMALS if is_missing(decimals) else float(decimals))
    scale = np.power(10.0, places)
    x = v.to_numpy()
    a = np.abs(x) * scale
    out = np.sign(x) * np.floor(a + 0.5) / scale
    near = np.flatnonzero(np.abs(a - np.floor(a) - 0.5) < 1e-6)
    for i in near:
        out[i] = float(round_half_up(x[i], int(places[i])))
    return pd.Series(out, index=v.index, dtype=float)


def _values(values: pd.Series, decimals=None) -> pd.Series:
    return published(values, decimals)


def ranks(
    values: pd.Series, groups: Sequence[pd.Series] = (), descending: bool = True, decimals=None
) -> pd.DataFrame:
    """``rank`` (nullable Int64), ``n`` and ``tied`` for each value, aligned with its index.

    ``groups``: series aligned with ``values``; each group is ranked on its own (the area
    profile ranks every indicator and period of a level at once). ``descending=True``:
    rank 1 = highest value. ``decimals``: the published decimal places (an int, or a series
    aligned with ``values``), see :func:`published`.
    """
    v = _values(values, decimals)
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


def rank_table(frame: pd.DataFrame, descending: bool = True, decimals=None) -> pd.DataFrame:
    """The frame plus ``rank``, ``n`` and ``tied`` (see :func:`ranks`), sorted by rank.

    ``descending=True``: rank 1 = highest value. Rows without a value come last with
    ``rank`` <NA>. Ties are ordered by area name. The index is reset. ``decimals``: the
    indicator's published decimal places (values are ranked as published).
    """
    out = frame.copy()
    r = ranks(out["value"], descending=descending, decimals=decimals)
    out[["rank", "n", "tied"]] = r
    out["_missing"] = out["rank"].isna()
    keys = ["_missing", "rank"] + (["areanm"] if "areanm" in out.columns else [])
    out = out.sort_values(keys, kind="stable", na_position="last")
    return out.drop(columns="_missing").reset_index(drop=True)


def rank_of(
    frame: pd.DataFrame, areacd: str, descending: bool = True, level: str | None = None, decimals=None
) -> Rank:
    """The :class:`Rank` of one area (``rank`` None if it is absent or has no value)."""
    table = frame if {"rank", "n", "tied"} <= set(frame.columns) else rank_table(frame, descending, decimals)
    n = int(_values(table["value"]).notna().sum())
    hit = table.loc[table["areacd"] == areacd]
    if hit.empty or is_missing(hit["rank"].iloc[0]):
        return Rank(None, n, 0, level)
    return Rank(int(hit["rank"].iloc[0]), n, int(hit["tied"].iloc[0]), level)


def _joint(rank: int, n: int, tied: int) -> str | None:
    """'highest' / 'lowest' / '12th' for a joint rank, None when the rank is not shared."""
    if tied <= 1:
        return None
    if rank == 1:
        return "highest"
    if rank + tied - 1 >= n:
        return "lowest"
    return f"{ordinal(rank)} highest"


def _sharing(tied: int, n: int, value_text: str | None) -> str:
    """' (189 areas at 100.0%)' / ' (all 12 at 100.0%)'; '' without the value's words."""
    if not value_text or tied <= 1:
        return ""
    return f" (all {n} at {value_text})" if tied >= n else f" ({tied} areas at {value_text})"


def rank_text(rank, n, group: str | None = None, tied=0, value_text: str | None = None) -> str:
    """'12th highest of 361' (``group``: '12th highest of 361 upper-tier areas'); '' when
    there is no rank. A shared rank says so: 'joint 12th highest of 361', 'joint highest of
    361 (189 areas at 100.0%)' (``value_text``: the shared value as shown). The words of a
    rank in tables and tooltips."""
    if is_missing(rank) or is_missing(n) or not n:
        return ""
    rank, n, tied = int(rank), int(n), 0 if is_missing(tied) else int(tied)
    of = f"of {n}" + (f" {group}" if group else "")
    joint = _joint(rank, n, tied)
    if joint:
        return f"joint {joint} {of}" + _sharing(tied, n, value_text)
    return f"{ordinal(rank)} highest {of}"


def rank_phrase(rank, n, level_short: str | None = None, tied=0, value_text: str | None = None) -> str:
    """The rank in a sentence: 'the highest of the 195 lower-tier areas with data', '12th
    highest of …', 'the lowest of …', 'joint 12th highest of …', 'the joint highest of the
    361 lower-tier areas with data (189 areas at 100.0%)'."""
    rank, n, tied = int(rank), int(n), 0 if is_missing(tied) else int(tied)
    if n == 1:
        return "the only one with data"
    group = f"the {n} {level_short or 'areas'} with data"
    joint = _joint(rank, n, tied)
    if joint:
        the = "the " if joint in ("highest", "lowest") else ""
        return f"{the}joint {joint} of {group}" + _sharing(tied, n, value_text)
    if rank == 1:
        return f"the highest of {group}"
    if rank == n:
        return f"the lowest of {group}"
    return f"{ordinal(rank)} highest of {group}"


def percentile_rank(frame: pd.DataFrame, polarity=None, decimals=None) -> pd.Series:
    """0–100 per area, 100 = best, for colouring a heat map. Aligned to ``frame.index``.

    Definition: order areas from worst to best (polarity-aware; neutral counts higher as
    "better", i.e. it is then simply a position from lowest to highest), take each area's
    average rank r in 1..n (ties share the mean of their positions), and return
    ``(r - 1) / (n - 1) × 100``. Equivalently ``(areas strictly worse + 0.5 × other areas
    tied) / (n - 1) × 100``. So the best area is 100, the worst 0, the median 50; a lone
    area gets 50. Missing values get NaN.
    """
    sign = Polarity.of(polarity) or 1
    score = _values(frame["value"], decimals) * sign
    n = int(score.notna().sum())
    if n == 0:
        return pd.Series(float("nan"), index=frame.index, name="percentile")
    if n == 1:
        return score.where(score.isna(), 50.0).rename("percentile")
    avg = score.rank(method="average", ascending=True)
    return ((avg - 1) / (n - 1) * 100).rename("percentile")
