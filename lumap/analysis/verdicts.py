"""Verdicts: is a change since the baseline bigger than the sampling noise?

Two verdicts on the same simulation: has the gap between areas narrowed or widened
(:func:`gap_verdict`, on a measure of :mod:`lumap.analysis.gaps`), and has the typical area
(the median across areas) got better or worse (:func:`median_verdict`).

Each area's value is re-sampled ``n_boot`` times from its published 95% confidence interval
(a normal distribution centred on the value, sd = interval width / 3.92; areas without an
interval keep their value), the measure is recomputed on every draw, and the middle
``confidence`` share of the simulated changes decides. :mod:`lumap.analysis.gapbands` draws
bands over time with the same :func:`load_period` / :func:`draws`. No Streamlit here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lumap.analysis import gaptext
from lumap.analysis.gaps import (
    MEASURES,
    PERCENTILE_METHOD,
    gap_distance,
    one,
    rows_measure,
    rows_quantile,
    sort_rows,
    usable,
)
from lumap.analysis.polarity import Polarity

CI_WIDTH_IN_SD = 3.92  # a 95% CI is 2 x 1.96 standard errors wide: sd = (uci - lci) / 3.92
MIN_AREAS = 10  # fewer areas: the 10th/90th percentiles and a "top tenth" mean little
NO_TEST = "no test possible"


@dataclass(frozen=True)
class Verdict:
    """The answer for one indicator at one level, baseline against latest period.

    ``verdict``: "gap narrowing" / "gap widening" (gap), "better" / "worse" / "higher" /
    "lower" (median), "no clear change", or "no test possible" (``tested`` False, ``reason``
    says why; ``direction`` still says which way it moved). ``change``: the measure's
    change, or for a gap the change in its distance from "no gap" (negative = narrowing).
    ``ci_low``/``ci_high``: the middle ``confidence`` of the simulated changes.
    """

    verdict: str
    measure: str  # the measure used (after any fallback); "median" for the median verdict
    requested_measure: str
    base: float
    now: float
    change: float
    ci_low: float
    ci_high: float
    n_boot: int
    tested: bool
    reason: str  # why untested, or what the test assumed ("" if nothing to say)
    note: str  # why a ratio measure gave way to its difference ("" if it did not)
    direction: str  # which way the measure moved, in words
    confidence: float
    share_with_ci: float
    share_with_ci_base: float
    share_with_ci_now: float
    n_base: int
    n_now: int


def load_period(frame: pd.DataFrame) -> dict:
    """Values, standard errors from the 95% CI (0 where none) and a has-interval mask."""
    f = usable(frame)
    x = f["value"].to_numpy(dtype=float)
    if "lci_95" in f.columns and "uci_95" in f.columns:
        lo = pd.to_numeric(f["lci_95"], errors="coerce").to_numpy(dtype=float)
        hi = pd.to_numeric(f["uci_95"], errors="coerce").to_numpy(dtype=float)
        has = np.isfinite(lo) & np.isfinite(hi) & (hi >= lo)  # reversed bounds: not trusted
        sd = np.where(has, np.nan_to_num(hi - lo) / CI_WIDTH_IN_SD, 0.0)
    else:
        has = np.zeros(len(x), dtype=bool)
        sd = np.zeros(len(x))
    return {
        "x": x,
        "sd": sd,
        "has": has,
        "n": len(x),
        "sorted": sort_rows(x),
        "share": float(has.mean()) if len(x) else 0.0,
    }


def draws(period: dict, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """(n_boot, n) simulated values, each row sorted: normal(value, sd) for areas with an
    interval; areas without one keep their value (no normals drawn for them).

    Column order does not matter (rows are sorted), so simulated areas go first and fixed
    ones after: contiguous blocks and in-place arithmetic, no fancy indexing or temporaries.
    """
    x, sd = period["x"], period["sd"]
    vary = sd > 0
    k = int(vary.sum())
    z = rng.standard_normal((n_boot, k))
    z *= sd[vary]
    z += x[vary]
    if k < len(x):
        d = np.empty((n_boot, len(x)))
        d[:, :k] = z
        d[:, k:] = x[~vary]
    else:
        d = z
    d.sort(axis=1)
    return d


def _skeleton(pb: dict, pn: dict, measure: str, confidence: float) -> dict:
    """The fields of an untested verdict; the functions below fill in what they find."""
    n_all = pb["n"] + pn["n"]
    return {
        "verdict": NO_TEST,
        "measure": measure,
        "requested_measure": measure,
        "base": math.nan,
        "now": math.nan,
        "change": math.nan,
        "ci_low": math.nan,
        "ci_high": math.nan,
        "n_boot": 0,
        "tested": False,
        "reason": "",
        "note": "",
        "direction": "",
        "confidence": confidence,
        "share_with_ci": (int(pb["has"].sum()) + int(pn["has"].sum())) / n_all if n_all else 0.0,
        "share_with_ci_base": pb["share"],
        "share_with_ci_now": pn["share"],
        "n_base": pb["n"],
        "n_now": pn["n"],
    }


def _untestable(pb: dict, pn: dict, what: str) -> str:
    """Why no test is possible ("" if one is)."""
    if min(pb["n"], pn["n"]) < MIN_AREAS:
        return gaptext.too_few_areas(what, pb["n"], pn["n"], MIN_AREAS)
    if not (pb["has"].any() or pn["has"].any()):
        return gaptext.NO_INTERVALS
    return ""


def check_args(n_boot: int, confidence: float) -> None:
    if int(n_boot) < 1:
        raise ValueError(f"n_boot must be at least 1, not {n_boot}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, not {confidence}")


def _interval(change: np.ndarray, confidence: float) -> tuple[float, float]:
    a = (1 - confidence) / 2
    lo, hi = np.quantile(change, [a, 1 - a], method=PERCENTILE_METHOD)
    return float(lo), float(hi)


def _tested(
    out: dict, verdict: str, interval: tuple[float, float], n_boot: int, pb: dict, pn: dict
) -> Verdict:
    """The verdict of a test that ran: its word, the interval, and what it assumed."""
    lo, hi = interval
    done = dict(verdict=verdict, ci_low=lo, ci_high=hi, n_boot=int(n_boot), tested=True)
    return Verdict(**{**out, **done, "reason": gaptext.ci_note(pb["share"], pn["share"])})


def rule_text(measure: str = "top_rest_ratio", n_boot: int = 1000, confidence: float = 0.95) -> str:
    """The gap verdict rule in plain English, for the page."""
    spec = MEASURES[measure]
    return gaptext.rule_text(
        measure, spec["fallback"], spec["kind"] == "ratio", MIN_AREAS, n_boot, confidence
    )


def gap_verdict(
    base_frame: pd.DataFrame,
    now_frame: pd.DataFrame,
    polarity,
    measure: str = "top_rest_ratio",
    n_boot: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
) -> Verdict:
    """Has the gap narrowed, widened, or not clearly changed since the baseline?

    See ``rule_text`` for the rule. ``change`` = distance-from-no-gap now minus at baseline, so
    negative = narrowing. The two periods are simulated independently. A ratio measure falls
    back to its difference measure when any observed or simulated value is zero or negative;
    ``measure`` in the result then names the measure actually used, ``requested_measure`` the
    one asked for, and ``note`` says why.
    """
    if measure not in MEASURES:
        raise KeyError(f"unknown measure {measure!r}; expected one of {sorted(MEASURES)}")
    check_args(n_boot, confidence)
    pb, pn = load_period(base_frame), load_period(now_frame)
    out = _skeleton(pb, pn, measure, confidence)
    fallback = MEASURES[measure]["fallback"]

    def observe(m: str) -> None:
        base = one(rows_measure(pb["sorted"], m, polarity))
        now = one(rows_measure(pn["sorted"], m, polarity))
        change = float(gap_distance(now, m) - gap_distance(base, m))
        out.update(
            measure=m,
            base=base,
            now=now,
            change=change,
            direction=gaptext.gap_direction(base, now, change, m),
        )

    def fall_back(why: str) -> None:
        out["note"] = gaptext.fallback_note(why, measure, fallback)
        observe(fallback)

    observe(measure)
    nonpositive = bool((pb["x"] <= 0).any() or (pn["x"] <= 0).any())
    if fallback and nonpositive and not np.isfinite(out["change"]):
        fall_back(gaptext.NONPOSITIVE)

    reason = _untestable(pb, pn, "a gap")
    if not reason and not np.isfinite(out["change"]):
        reason = gaptext.not_calculable(out["measure"])
    if reason:
        return Verdict(**{**out, "reason": reason})

    rng = np.random.default_rng(seed)
    db, dn = draws(pb, n_boot, rng), draws(pn, n_boot, rng)
    sim_b = rows_measure(db, out["measure"], polarity)
    sim_n = rows_measure(dn, out["measure"], polarity)
    if not (np.isfinite(sim_b).all() and np.isfinite(sim_n).all()):
        if not (fallback and out["measure"] == measure):
            return Verdict(**{**out, "reason": gaptext.not_calculable_in_draws(out["measure"])})
        # Simulated values crossed zero: the ratio is undefined in some draws. Switch to the
        # difference for observed and simulated values alike rather than drop draws.
        fall_back(gaptext.MAY_BE_NONPOSITIVE)
        sim_b = rows_measure(db, fallback, polarity)
        sim_n = rows_measure(dn, fallback, polarity)
    m = out["measure"]
    sim_change = gap_distance(sim_n, m) - gap_distance(sim_b, m)
    # Noise added to every area inflates a spread measure in each simulated period, by more
    # where intervals are wider; re-centre the simulated changes on the observed change so
    # that only their spread, not that bias, decides the verdict.
    sim_change = sim_change - np.median(sim_change) + out["change"]
    lo, hi = _interval(sim_change, confidence)
    verdict = "gap narrowing" if hi < 0 else "gap widening" if lo > 0 else "no clear change"
    return _tested(out, verdict, (lo, hi), n_boot, pb, pn)


def median_verdict(
    base_frame: pd.DataFrame,
    now_frame: pd.DataFrame,
    polarity,
    n_boot: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
) -> Verdict:
    """Has the typical area (the median across areas) got better or worse since the baseline?

    Same simulation as ``gap_verdict``; ``change`` = median now - median at baseline (in the
    indicator's units). Verdict "better"/"worse" when polarity is known, "higher"/"lower" when
    neutral, "no clear change" when the interval includes 0, "no test possible" otherwise.
    """
    check_args(n_boot, confidence)
    p = Polarity.of(polarity)
    pb, pn = load_period(base_frame), load_period(now_frame)
    out = _skeleton(pb, pn, "median", confidence)
    base = one(rows_quantile(pb["sorted"], 0.5))
    now = one(rows_quantile(pn["sorted"], 0.5))
    change = now - base
    out.update(base=base, now=now, change=change, direction=gaptext.direction(change, "median area value"))
    reason = _untestable(pb, pn, "a change")
    if reason:
        return Verdict(**{**out, "reason": reason})
    rng = np.random.default_rng(seed)
    db, dn = draws(pb, n_boot, rng), draws(pn, n_boot, rng)  # same order as gap_verdict
    sim = rows_quantile(dn, 0.5) - rows_quantile(db, 0.5)
    lo, hi = _interval(sim, confidence)
    if lo > 0:
        verdict = {1: "better", -1: "worse", 0: "higher"}[p]
    elif hi < 0:
        verdict = {1: "worse", -1: "better", 0: "lower"}[p]
    else:
        verdict = "no clear change"
    return _tested(out, verdict, (lo, hi), n_boot, pb, pn)
