"""Is the gap between the top-performing and other areas closing? The measures.

Each Levelling Up mission asks two things of an indicator: outcomes improve in every area,
and the gap between the top performers and the rest closes. This module measures that gap
for one indicator at one geography level and period, and tracks it over time. Whether a
change since the baseline is bigger than the sampling noise is :mod:`lumap.analysis.verdicts`;
one area against the top tenth is :mod:`lumap.analysis.areagap`; per-area change between two
periods is :mod:`lumap.analysis.changetable`; the words are :mod:`lumap.analysis.gaptext`.

Inputs are tidy frames with ``areacd, value, lci_95, uci_95, group`` (``group`` = the region
used for the within/between split; Scotland, Wales and Northern Ireland each count as one).
A missing ``value`` means no estimate and is dropped; missing ``lci_95``/``uci_95`` mean no
published interval. ``polarity`` is +1 (higher is better), -1 (lower is better) or 0/None
(neutral; "top" then means the highest values).

Every measure is computed by one row-wise helper (``_rows_*``, :func:`rows_measure`) that
takes a 2-D array (rows = draws, columns = areas). The observed value is the one-row case,
and the bootstrap passes ``n_boot`` rows, so observed and simulated numbers come from the
same code.

No Streamlit here.
"""

from __future__ import annotations

import math
from typing import Final

import numpy as np
import pandas as pd

from lumap.analysis.gaptext import MEASURE_WORDS
from lumap.analysis.polarity import Polarity

PERCENTILE_METHOD: Final = "linear"  # numpy's default: Hyndman & Fan type 7, as in R's quantile()

#: Per measure: the value meaning "no gap", its kind (ratio, difference, spread) and, for a
#: ratio, the difference measure used where the ratio is not meaningful; plus its words
#: (label, explain, narrowing) from :data:`lumap.analysis.gaptext.MEASURE_WORDS`.
_NUMBERS: dict[str, dict] = {
    # Oriented gaps (the default first): how far the best areas are ahead, in the indicator's
    # own units, so 0 is no gap and a bigger number is a bigger gap whatever the polarity.
    "top_rest_gap": {"no_gap": 0.0, "kind": "difference", "fallback": None, "oriented": True},
    "best_worst_gap": {"no_gap": 0.0, "kind": "difference", "fallback": None, "oriented": True},
    "p90_p10_ratio": {"no_gap": 1.0, "kind": "ratio", "fallback": "p90_p10_diff"},
    "p90_p10_diff": {"no_gap": 0.0, "kind": "difference", "fallback": None},
    "top_rest_ratio": {"no_gap": 1.0, "kind": "ratio", "fallback": "top_rest_diff"},
    "top_rest_diff": {"no_gap": 0.0, "kind": "difference", "fallback": None},
    "cv": {"no_gap": 0.0, "kind": "spread", "fallback": None},
    "sd_log": {"no_gap": 0.0, "kind": "spread", "fallback": None},
}
#: The measure a reader sees first: how far the best tenth of areas is ahead of the rest.
DEFAULT_MEASURE: Final = "top_rest_gap"
MEASURES: dict[str, dict] = {
    k: {"oriented": False, **MEASURE_WORDS[k], **spec} for k, spec in _NUMBERS.items()
}

# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------


def _clean(values) -> np.ndarray:
    """A 1-D float array with missing values dropped."""
    arr = pd.to_numeric(pd.Series(np.asarray(values, dtype=object).ravel()), errors="coerce")
    arr = arr.to_numpy(dtype=float)
    return arr[np.isfinite(arr)]


def n_top(n: int) -> int:
    """Number of areas in the "top tenth": ceil(n / 10), so 361 areas -> 37, 9 areas -> 1."""
    return int(math.ceil(n / 10)) if n > 0 else 0


def _nan_rows(rows: int) -> np.ndarray:
    return np.full(rows, np.nan)


# ---------------------------------------------------------------------------------------------
# Row-wise measures on s: shape (rows, n), no NaN, each row sorted ascending
# (one sort per row serves every measure, and is faster than np.percentile/np.median on
# 1,000 x 360 arrays: 0.7 ms against 5 ms here)
# ---------------------------------------------------------------------------------------------


def sort_rows(x: np.ndarray) -> np.ndarray:
    return np.sort(np.atleast_2d(np.asarray(x, dtype=float)), axis=1)


def rows_quantile(s: np.ndarray, q: float) -> np.ndarray:
    """Hyndman & Fan type 7 (numpy ``linear``): position h = (n - 1) q, interpolate linearly."""
    rows, n = s.shape
    if n == 0:
        return _nan_rows(rows)
    h = (n - 1) * q
    lo = int(math.floor(h))
    hi = min(lo + 1, n - 1)
    frac = h - lo
    return s[:, lo] + frac * (s[:, hi] - s[:, lo])


def _safe_ratio(num: np.ndarray, den: np.ndarray, ok: np.ndarray) -> np.ndarray:
    out = np.full(np.shape(num), np.nan)
    np.divide(num, den, out=out, where=ok)
    return out


def _rows_p90_p10(s: np.ndarray) -> dict[str, np.ndarray]:
    p90, p10 = rows_quantile(s, 0.9), rows_quantile(s, 0.1)
    return {
        "p90": p90,
        "p10": p10,
        "ratio": _safe_ratio(p90, p10, p10 > 0),
        "difference": p90 - p10,
    }


def _rows_top_tenth(s: np.ndarray, polarity) -> dict[str, np.ndarray]:
    rows, n = s.shape
    k = n_top(n)
    if n < 2:  # no "rest" to compare with
        nan = _nan_rows(rows)
        return {
            "top_mean": nan,
            "rest_mean": nan.copy(),
            "difference": nan.copy(),
            "ratio": nan.copy(),
            "gap": nan.copy(),
            "n_top": k,
            "n": n,
        }
    if Polarity.of(polarity) == -1:  # lower is better: the top are the lowest values
        top, rest = s[:, :k], s[:, k:]
    else:
        top, rest = s[:, n - k :], s[:, : n - k]
    top_mean = top.mean(axis=1)
    rest_mean = rest.mean(axis=1)
    ok = (rest_mean > 0) & (s[:, 0] > 0)  # s[:, 0] is each row's minimum
    return {
        "top_mean": top_mean,
        "rest_mean": rest_mean,
        "difference": top_mean - rest_mean,
        "ratio": _safe_ratio(top_mean, rest_mean, ok),
        "gap": (top_mean - rest_mean) * _sign(polarity),
        "n_top": k,
        "n": n,
    }


def _sign(polarity) -> int:
    """+1 where higher is better (or neutral), -1 where lower is better: multiplying by it
    turns "best minus other" into a number that is never negative."""
    return -1 if Polarity.of(polarity) == -1 else 1


def _rows_best_worst(s: np.ndarray, polarity) -> dict:
    """Mean of the best tenth (ceil(n/10) areas) and of the worst tenth, and how far the
    best are ahead: (best_mean - worst_mean) in the direction of "better" (never negative)."""
    rows, n = s.shape
    k = n_top(n)
    if n < 2:
        nan = _nan_rows(rows)
        return {"best_mean": nan, "worst_mean": nan.copy(), "gap": nan.copy(), "k": k}
    low, high = s[:, :k].mean(axis=1), s[:, n - k :].mean(axis=1)
    best, worst = (low, high) if Polarity.of(polarity) == -1 else (high, low)
    return {"best_mean": best, "worst_mean": worst, "gap": (best - worst) * _sign(polarity), "k": k}


def _rows_sd_log(s: np.ndarray) -> np.ndarray:
    """Population standard deviation of the natural logs; NaN where any value is <= 0."""
    if s.shape[1] == 0:
        return _nan_rows(s.shape[0])
    ok = s[:, 0] > 0  # s[:, 0] is each row's minimum
    out = _nan_rows(s.shape[0])
    if ok.any():
        out[ok] = np.log(s[ok]).std(axis=1, ddof=0)
    return out


def _rows_cv(s: np.ndarray) -> np.ndarray:
    if s.shape[1] == 0:
        return _nan_rows(s.shape[0])
    mean = s.mean(axis=1)
    sd = s.std(axis=1, ddof=0)
    return _safe_ratio(sd, mean, mean > 0)


def rows_measure(s: np.ndarray, measure: str, polarity) -> np.ndarray:
    """One named measure (a key of ``MEASURES``, or "median") per row of a row-sorted array
    (:func:`sort_rows`)."""
    if measure == "top_rest_gap":
        return _rows_top_tenth(s, polarity)["gap"]
    if measure == "best_worst_gap":
        return _rows_best_worst(s, polarity)["gap"]
    if measure == "sd_log":
        return _rows_sd_log(s)
    if measure == "p90_p10_ratio":
        return _rows_p90_p10(s)["ratio"]
    if measure == "p90_p10_diff":
        return _rows_p90_p10(s)["difference"]
    if measure == "top_rest_ratio":
        return _rows_top_tenth(s, polarity)["ratio"]
    if measure == "top_rest_diff":
        return _rows_top_tenth(s, polarity)["difference"]
    if measure == "cv":
        return _rows_cv(s)
    if measure == "median":
        return rows_quantile(s, 0.5)
    raise KeyError(f"unknown measure {measure!r}; expected one of {sorted(MEASURES)}")


def gap_distance(measure_value, measure: str):
    """How far a measure is from "no gap": |ratio - 1|, |difference|, or the CV itself.

    Works on scalars and arrays. Used so that a fall always means the gap is narrowing,
    whatever the polarity (a top-vs-rest difference of -3 is a bigger gap than -2).
    """
    spec = MEASURES[measure]
    return np.abs(np.asarray(measure_value, dtype=float) - spec["no_gap"])


# ---------------------------------------------------------------------------------------------
# Public one-period measures
# ---------------------------------------------------------------------------------------------


def one(arr: np.ndarray) -> float:
    return float(arr[0])


def percentile_gap(values) -> dict:
    """90th and 10th percentiles, their ratio (NaN if p10 <= 0) and difference.

    Percentiles use numpy's ``linear`` method (Hyndman & Fan type 7, R's default): the p-th
    percentile of n sorted values sits at position (n - 1) * p / 100, interpolating linearly.
    """
    s = sort_rows(_clean(values))
    r = _rows_p90_p10(s)
    return {
        "p90": one(r["p90"]),
        "p10": one(r["p10"]),
        "ratio": one(r["ratio"]),
        "difference": one(r["difference"]),
        "n": int(s.shape[1]),
    }


def top_tenth_gap(values, polarity) -> dict:
    """Mean of the top tenth of areas (ceil(n/10) of them) against the mean of the rest.

    "Top" is the highest values when higher is better or the indicator is neutral, the lowest
    when lower is better. ``difference`` = top_mean - rest_mean (so negative when lower is
    better); ``ratio`` = top_mean / rest_mean, NaN if rest_mean <= 0 or any value <= 0.
    """
    r = _rows_top_tenth(sort_rows(_clean(values)), polarity)
    return {
        "top_mean": one(r["top_mean"]),
        "rest_mean": one(r["rest_mean"]),
        "difference": one(r["difference"]),
        "ratio": one(r["ratio"]),
        "gap": one(r["gap"]),
        "n_top": int(r["n_top"]),
        "n": int(r["n"]),
    }


def best_worst_gap(values, polarity) -> dict:
    """The best tenth of areas against the worst tenth (as the IFS measures gaps): their means
    and how far the best are ahead, in the indicator's units (never negative)."""
    s = sort_rows(_clean(values))
    r = _rows_best_worst(s, polarity)
    return {
        "best_mean": one(r["best_mean"]),
        "worst_mean": one(r["worst_mean"]),
        "gap": one(r["gap"]),
        "k": int(r["k"]),
        "n": int(s.shape[1]),
    }


def sd_of_logs(values) -> float:
    """Standard deviation (ddof=0) of the natural logs; NaN if any value is <= 0."""
    return one(_rows_sd_log(sort_rows(_clean(values))))


def coefficient_of_variation(values) -> float:
    """Population standard deviation (ddof=0) / mean; NaN if the mean is <= 0 or no values."""
    return one(_rows_cv(sort_rows(_clean(values))))


def variance_decomposition(values, groups) -> dict:
    """Split the population variance of area values into between-group and within-group parts.

    total = sum (x - mean)^2 / n; between = sum over groups n_g (mean_g - mean)^2 / n;
    within = sum over groups sum (x - mean_g)^2 / n; total = between + within.
    Areas with a missing value are dropped; areas with a missing group are pooled into one
    "no group" group (and counted in ``n_no_group``) so the total still covers every area.
    """
    v = pd.to_numeric(pd.Series(np.asarray(values, dtype=object).ravel()), errors="coerce")
    g = pd.Series(np.asarray(groups, dtype=object).ravel())
    if len(g) != len(v):
        raise ValueError(f"values ({len(v)}) and groups ({len(g)}) differ in length")
    keep = np.isfinite(v.to_numpy(dtype=float))
    v = v[keep].astype(float).reset_index(drop=True)
    g = g[keep].reset_index(drop=True)
    n_no_group = int(g.isna().sum())
    g = g.astype(object).where(g.notna(), "(no group)")
    n = len(v)
    empty = {
        "total": math.nan,
        "between": math.nan,
        "within": math.nan,
        "share_between": math.nan,
        "n_groups": 0,
        "n": n,
        "n_no_group": n_no_group,
    }
    if n == 0:
        return empty
    x = v.to_numpy()
    n_groups = int(g.nunique())
    if np.ptp(x) == 0:  # all equal: exactly zero, not 1e-33 from rounding
        return {
            "total": 0.0,
            "between": 0.0,
            "within": 0.0,
            "share_between": math.nan,
            "n_groups": n_groups,
            "n": n,
            "n_no_group": n_no_group,
        }
    grand = x.mean()
    _, inverse = np.unique(g.astype(str).to_numpy(), return_inverse=True)
    group_mean = (np.bincount(inverse, weights=x) / np.bincount(inverse))[inverse]
    total = float(((x - grand) ** 2).sum() / n)
    between = float(((group_mean - grand) ** 2).sum() / n)
    within = float(((x - group_mean) ** 2).sum() / n)
    share = between / total if total > 0 else math.nan
    return {
        "total": total,
        "between": between,
        "within": within,
        "share_between": share,
        "n_groups": n_groups,
        "n": n,
        "n_no_group": n_no_group,
    }


def usable(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows with a usable value only."""
    v = pd.to_numeric(frame["value"], errors="coerce")
    return frame.loc[np.isfinite(v.to_numpy(dtype=float))].assign(value=v)


def gap_measures(frame: pd.DataFrame, polarity) -> dict:
    """Every gap measure for one period, as a flat dict (keys match ``MEASURES`` where they can)."""
    f = usable(frame)
    x = f["value"].to_numpy(dtype=float)
    pg = percentile_gap(x)
    tt = top_tenth_gap(x, polarity)
    bw = best_worst_gap(x, polarity)
    if "group" in f.columns:
        vd = variance_decomposition(x, f["group"].to_numpy())
    else:
        vd = variance_decomposition(x, np.full(len(x), None, dtype=object))
        vd.update(share_between=math.nan, between=math.nan, within=math.nan, n_groups=0)
    return {
        "n": int(len(x)),
        "mean": float(x.mean()) if len(x) else math.nan,
        "median": one(rows_quantile(sort_rows(x), 0.5)),
        "p90": pg["p90"],
        "p10": pg["p10"],
        "p90_p10_ratio": pg["ratio"],
        "p90_p10_diff": pg["difference"],
        "top_mean": tt["top_mean"],
        "rest_mean": tt["rest_mean"],
        "top_rest_ratio": tt["ratio"],
        "top_rest_diff": tt["difference"],
        "top_rest_gap": tt["gap"],
        "n_top": tt["n_top"],
        "best_mean": bw["best_mean"],
        "worst_mean": bw["worst_mean"],
        "best_worst_gap": bw["gap"],
        "cv": coefficient_of_variation(x),
        "sd_log": sd_of_logs(x),
        "var_total": vd["total"],
        "var_between": vd["between"],
        "var_within": vd["within"],
        "share_between": vd["share_between"],
        "n_groups": vd["n_groups"],
    }


def gap_series(frame_all_periods: pd.DataFrame, polarity) -> pd.DataFrame:
    """One row per period (sorted by ``start_year``) with every measure from ``gap_measures``."""
    f = frame_all_periods
    cols = ["period", "start_year"] + list(gap_measures(f.iloc[0:0], polarity))
    if f.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    for period, part in f.groupby("period", sort=False):
        row = {"period": period, "start_year": part["start_year"].iloc[0]}
        row.update(gap_measures(part, polarity))
        rows.append(row)
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["start_year", "period"], kind="stable").reset_index(drop=True)


def baseline_period(periods: pd.DataFrame, year: int = 2019):
    """The period starting in ``year`` (the White Paper baseline is 2019), else the first one
    starting after it, else None. Returns the ``period`` value."""
    if periods is None or len(periods) == 0:
        return None
    p = periods.assign(_y=pd.to_numeric(periods["start_year"], errors="coerce"))
    p = p.sort_values("_y", kind="stable")
    hit = p[p["_y"] == year]
    if hit.empty:
        hit = p[p["_y"] > year]
    return None if hit.empty else hit["period"].iloc[0]
