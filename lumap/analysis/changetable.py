"""Per-area change in one indicator between two periods, and the most improved / most
declined areas (the missions page's change map and lists). No Streamlit here."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lumap.analysis.gaptext import CHANGE_TITLES
from lumap.analysis.polarity import Polarity
from lumap.analysis.ranks import ranks


def change_table(
    frame_a: pd.DataFrame, frame_b: pd.DataFrame, polarity, kind: str = "absolute"
) -> pd.DataFrame:
    """Per-area change from period a to period b (areas in both only).

    ``change`` = b - a, or for ``kind="percent"`` (b - a) / |a| * 100 (NaN when a == 0).
    ``improvement`` = change × polarity (NaN for neutral indicators). ``rank`` 1 = most
    improved (or largest increase when neutral), by :func:`lumap.analysis.ranks.ranks`
    (rounded ties share the best rank; <NA> unranked).
    """
    if kind not in ("absolute", "percent"):
        raise ValueError(f"kind must be 'absolute' or 'percent', not {kind!r}")
    p = Polarity.of(polarity)
    a = frame_a[["areacd", "value"]]
    b = frame_b[["areacd", "value"]]
    t = a.merge(b, on="areacd", how="inner", suffixes=("_a", "_b"))
    names: dict = {}
    for f in (frame_a, frame_b):  # the later period's name wins (areas get renamed)
        if "areanm" in f.columns:
            names.update(f.dropna(subset=["areanm"]).set_index("areacd")["areanm"].to_dict())
    t["areanm"] = t["areacd"].map(lambda c: names.get(c, c))
    va = pd.to_numeric(t["value_a"], errors="coerce").astype(float)
    vb = pd.to_numeric(t["value_b"], errors="coerce").astype(float)
    if kind == "absolute":
        change = vb - va
    else:
        change = ((vb - va) / va.abs() * 100).where(va != 0)
    improvement = change * p if p else pd.Series(np.nan, index=t.index, dtype=float)
    key = improvement if p else change
    out = pd.DataFrame(
        {
            "areacd": t["areacd"],
            "areanm": t["areanm"],
            "value_a": va,
            "value_b": vb,
            "change": change,
            "improvement": improvement,
            "rank": ranks(key)["rank"],
        }
    )
    out = out.sort_values(["rank", "areanm"], na_position="last", kind="stable")
    out = out.reset_index(drop=True)
    out.attrs.update(kind=kind, polarity=int(p))
    return out


def _ranked_list(table: pd.DataFrame, n: int, best: bool) -> pd.DataFrame:
    p = table.attrs.get("polarity")
    by_improvement = bool(p) if p is not None else bool(table["improvement"].notna().any())
    col = "improvement" if by_improvement else "change"
    v = table[col]
    part = table[v > 0] if best else table[v < 0]
    part = part.sort_values([col, "areanm"], ascending=[not best, True], kind="stable").head(n)
    part = part.reset_index(drop=True)
    title = CHANGE_TITLES[(by_improvement, best)]
    part.attrs.update(table.attrs)
    part.attrs.update(title=title, by=col)
    return part


def most_improved(table: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """Top n areas that improved (or, for neutral indicators, increased) the most.

    Only areas that actually improved are listed, so the list may be shorter than n.
    ``attrs["title"]`` is "Most improved" or "Largest increases".
    """
    return _ranked_list(table, n, best=True)


def most_declined(table: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """Top n areas that got worse (or, for neutral indicators, decreased) the most.

    Only areas that actually declined are listed. ``attrs["title"]`` is "Most declined" or
    "Largest decreases".
    """
    return _ranked_list(table, n, best=False)
