"""The measures analysts expect beside the missions' gap: beta-convergence, the Theil index
split between and within regions, rank mobility and Kendall's tau, and local Moran's I
pockets of unusually poor outcomes. (Sigma-convergence is the CV and the SD of logs over
time, in :mod:`lumap.analysis.gaps`; its interval comes from :mod:`lumap.analysis.verdicts`.)

Inputs are ``pandas.Series`` of values indexed by area code, one per period. Values are
polarity-aligned where a measure needs a direction ("worse", "lagging"): multiplied by -1
where lower is better, so a higher aligned value is always better. No Streamlit here; the
pysal packages are imported inside the functions, with numba hidden (:func:`numba_hidden`),
paid only by the worker process that computes these.
"""

from __future__ import annotations

import contextlib
import math
import sys
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lumap.analysis.polarity import Polarity

ALPHA = 0.05  # significance for local Moran's I (pseudo p-value from permutations)


def aligned(values: pd.Series, polarity) -> pd.Series:
    """Values turned so that higher is better (lower-is-better indicators times -1)."""
    v = pd.to_numeric(values, errors="coerce").astype(float)
    return -v if Polarity.of(polarity) == -1 else v


def paired(base: pd.Series, now: pd.Series) -> pd.DataFrame:
    """Areas with a value in both periods: columns ``base`` and ``now``, indexed by code."""
    df = pd.DataFrame(
        {"base": pd.to_numeric(base, errors="coerce"), "now": pd.to_numeric(now, errors="coerce")}
    )
    return df.dropna()


# ---------------------------------------------------------------------------------------------
# Beta-convergence
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Beta:
    """Change since the baseline regressed on the baseline value (ordinary least squares):
    ``change_i = intercept + slope * base_i``. A slope below 0 means areas that started
    lower rose more (or, where lower is better, areas that started higher fell more):
    lagging areas caught up. The interval is the slope's ``confidence`` t-interval."""

    slope: float
    ci_low: float
    ci_high: float
    intercept: float
    r2: float
    n: int
    verdict: str  # "converging", "diverging", "no clear pattern", "too few areas"


def beta_convergence(base: pd.Series, now: pd.Series, confidence: float = 0.95) -> Beta:
    """OLS of (now - base) on base over the areas with both values (scipy's linregress)."""
    from scipy import stats

    df = paired(base, now)
    n = len(df)
    if n < 3 or np.ptp(df["base"].to_numpy()) == 0:
        return Beta(math.nan, math.nan, math.nan, math.nan, math.nan, n, "too few areas")
    x = df["base"].to_numpy(dtype=float)
    y = (df["now"] - df["base"]).to_numpy(dtype=float)
    fit = stats.linregress(x, y)
    t = float(stats.t.ppf(0.5 + confidence / 2, n - 2))
    lo, hi = fit.slope - t * fit.stderr, fit.slope + t * fit.stderr
    verdict = "converging" if hi < 0 else "diverging" if lo > 0 else "no clear pattern"
    return Beta(
        float(fit.slope), float(lo), float(hi), float(fit.intercept), float(fit.rvalue**2), n, verdict
    )


@contextlib.contextmanager
def numba_hidden() -> Iterator[None]:
    """Import the pysal packages inside this block: ``import numba`` fails within it, so
    esda and libpysal take their plain-NumPy path. With numba importable, esda compiles its
    permutation kernels on first use in each process: the first local Moran's I took 165 s
    on this (loaded) machine against 0.1-0.7 s for the same 216-409 areas without numba
    (the arithmetic is the same; the permutations come from NumPy with the same seed)."""
    saved = sys.modules.get("numba", _ABSENT)
    sys.modules["numba"] = None  # type: ignore[assignment]  # makes `import numba` raise ImportError
    try:
        yield
    finally:
        if saved is _ABSENT:
            sys.modules.pop("numba", None)
        else:
            sys.modules["numba"] = saved  # type: ignore[assignment]


_ABSENT = object()


# ---------------------------------------------------------------------------------------------
# Theil index, between and within regions
# ---------------------------------------------------------------------------------------------


def theil_split(values, groups) -> dict:
    """Theil's T of the area values and its split into a between-group and a within-group
    part (``inequality.theil.TheilD``); ``total = between + within``. Needs every value > 0
    (NaN otherwise: the Theil index is defined on positive amounts)."""
    v = pd.to_numeric(pd.Series(np.asarray(values, dtype=object)), errors="coerce").to_numpy(dtype=float)
    g = np.asarray(groups, dtype=object)
    keep = np.isfinite(v)
    v, g = v[keep], g[keep]
    nan = {"total": math.nan, "between": math.nan, "within": math.nan, "share_between": math.nan}
    if len(v) < 2 or (v <= 0).any():
        return {**nan, "n": len(v)}
    with numba_hidden():
        from inequality.theil import TheilD

    g = np.array(["(none)" if x is None or x != x else str(x) for x in g])
    d = TheilD(v, g)
    total, between = float(np.ravel(d.T)[0]), float(np.ravel(d.bg)[0])
    within = float(np.ravel(d.wg)[0])
    share = between / total if total > 0 else math.nan
    return {"total": total, "between": between, "within": within, "share_between": share, "n": len(v)}


# ---------------------------------------------------------------------------------------------
# Rank mobility
# ---------------------------------------------------------------------------------------------


def tenths(values: pd.Series) -> pd.Series:
    """Each area's tenth, 1 = the lowest values ... 10 = the highest: the area with rank r
    (1 = lowest, ties take the lowest rank) of n is in tenth ceil(10 r / n)."""
    r = values.rank(method="min")
    return np.ceil(10 * r / len(values)).astype(int)


@dataclass(frozen=True)
class Mobility:
    """How areas moved between tenths from the baseline to now (polarity-aligned: tenth 10
    is the best). ``tau``: Kendall's rank correlation of the two periods (1 = the same
    order, 0 = no relation), with its p-value."""

    n: int
    changed: int  # areas in a different tenth
    up: int  # areas in a better tenth
    down: int
    stayed_worst: int  # in the worst tenth at both dates
    worst_then: int  # in the worst tenth at the baseline
    tau: float
    tau_p: float


def rank_mobility(base: pd.Series, now: pd.Series, polarity) -> Mobility:
    """Tenths at each date of the areas with both values, and Kendall's tau-b (ties
    counted, as ``giddy.rank.Tau`` does) from ``scipy.stats.kendalltau``."""
    df = paired(aligned(base, polarity), aligned(now, polarity))
    n = len(df)
    if n < 3:
        return Mobility(n, 0, 0, 0, 0, 0, math.nan, math.nan)
    from scipy.stats import kendalltau

    t0, t1 = tenths(df["base"]), tenths(df["now"])
    tau = kendalltau(df["base"].to_numpy(dtype=float), df["now"].to_numpy(dtype=float))
    worst0, worst1 = t0 == 1, t1 == 1
    return Mobility(
        n=n,
        changed=int((t0 != t1).sum()),
        up=int((t1 > t0).sum()),
        down=int((t1 < t0).sum()),
        stayed_worst=int((worst0 & worst1).sum()),
        worst_then=int(worst0.sum()),
        tau=float(tau.statistic),
        tau_p=float(tau.pvalue),
    )


# ---------------------------------------------------------------------------------------------
# Local Moran's I: pockets of poor outcomes
# ---------------------------------------------------------------------------------------------


def cold_spots(
    values: pd.Series,
    neighbours: dict[str, list[str]],
    polarity,
    permutations: int = 999,
    seed: int = 0,
    alpha: float = ALPHA,
) -> pd.DataFrame:
    """Local Moran's I (``esda.Moran_Local``, row-standardised weights) on polarity-aligned
    values. Returns one row per area: ``areacd, value, local_i, quadrant, p``, and
    ``pocket`` True where an area is worse than average, its neighbours are too
    (quadrant "low-low") and the pseudo p-value from ``permutations`` is below ``alpha``.

    ``neighbours`` maps an area code to its neighbours' codes; areas without a value, or
    without a neighbour that has one, are left out."""
    with numba_hidden():
        from esda.moran import Moran_Local
        from libpysal.weights import W

    y = aligned(values, polarity).dropna()
    have = set(y.index)
    while True:  # drop areas left without a neighbour until none is
        links = {a: [b for b in neighbours.get(a, []) if b in have and b != a] for a in have}
        alone = {a for a, bs in links.items() if not bs}
        if not alone:
            break
        have -= alone
    codes = sorted(links)
    cols = ["areacd", "value", "local_i", "quadrant", "p", "pocket"]
    if len(codes) < 10:
        return pd.DataFrame(columns=cols)
    w = W({a: links[a] for a in codes}, silence_warnings=True)
    w.transform = "r"
    order = list(w.id_order)
    x = y.loc[order].to_numpy(dtype=float)
    if np.ptp(x) == 0:
        return pd.DataFrame(columns=cols)
    with warnings.catch_warnings():
        # esda warns that its pseudo p-value (permutations at least as extreme in the
        # observed direction, GeoDa's folded test) will become two-sided in a later major
        # release; this pin keeps the directed one, which is what "unusually low" asks.
        warnings.simplefilter("ignore", DeprecationWarning)
        lisa = Moran_Local(x, w, permutations=permutations, seed=seed)
    quadrant = pd.Series(lisa.q).map({1: "high-high", 2: "low-high", 3: "low-low", 4: "high-low"})
    out = pd.DataFrame(
        {
            "areacd": order,
            "value": pd.to_numeric(values, errors="coerce").loc[order].to_numpy(),
            "local_i": lisa.Is,
            "quadrant": quadrant.to_numpy(),
            "p": lisa.p_sim,
        }
    )
    out["pocket"] = (out["quadrant"] == "low-low") & (out["p"] < alpha)
    return out
