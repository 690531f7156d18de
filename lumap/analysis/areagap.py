"""One area against the top tenth of areas: how far behind (or ahead) it is, and whether it
is closing that gap between two periods. Point estimates only; no test. No Streamlit here."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from lumap.analysis.gaps import top_tenth_gap, usable
from lumap.analysis.polarity import Polarity


def area_distance_to_top(frame: pd.DataFrame, areacd: str, polarity) -> dict:
    """How far one area is from the mean of the top tenth of areas (as in ``top_tenth_gap``).

    ``difference`` = area value - top mean; ``pct_of_top`` = that as % of |top mean|;
    ``shortfall`` = how far behind the top it is in the "good" direction (positive = behind;
    for neutral indicators, below the top). NaN throughout if the area has no value.
    """
    f = usable(frame)
    tt = top_tenth_gap(f["value"].to_numpy(dtype=float), polarity)
    hit = f.loc[f["areacd"].astype(str) == str(areacd), "value"]
    value = float(hit.iloc[0]) if len(hit) else math.nan
    top = tt["top_mean"]
    diff = value - top
    pct = diff / abs(top) * 100 if np.isfinite(diff) and top != 0 else math.nan
    p = Polarity.of(polarity)
    shortfall = (value - top) if p == -1 else (top - value)
    in_top = None
    if np.isfinite(value) and tt["n"] >= 1:
        s = np.sort(f["value"].to_numpy(dtype=float))
        k = tt["n_top"]
        in_top = bool(value <= s[k - 1]) if p == -1 else bool(value >= s[len(s) - k])
    return {
        "areacd": areacd,
        "value": value,
        "top_mean": top,
        "difference": diff,
        "pct_of_top": pct,
        "shortfall": shortfall,
        "in_top_tenth": in_top,
        "n_top": tt["n_top"],
        "n": tt["n"],
    }


def area_gap_change(base_frame: pd.DataFrame, now_frame: pd.DataFrame, areacd: str, polarity) -> dict:
    """Is this area closing the gap to the top tenth? Shortfall at baseline and now.

    ``change`` = shortfall now - shortfall at baseline: negative = catching up. No test.
    """
    b = area_distance_to_top(base_frame, areacd, polarity)
    n = area_distance_to_top(now_frame, areacd, polarity)
    change = n["shortfall"] - b["shortfall"]
    if not np.isfinite(change):
        word = "unknown"
    elif change < 0:
        word = "closing"
    elif change > 0:
        word = "widening"
    else:
        word = "unchanged"
    return {"base": b, "now": n, "change": change, "direction": word}
