"""The words of the gap analysis: what each measure is called and means, the verdict rule,
and the sentences and reasons a verdict carries. Numbers are computed in
:mod:`lumap.analysis.gaps` and :mod:`lumap.analysis.verdicts`; only words live here.
Plain text (callers escape for HTML)."""

from __future__ import annotations

import numpy as np

#: label, what it measures, and which way is "narrowing", per gap measure (the keys of
#: ``gaps.MEASURES``, which merges these words with the numbers).
MEASURE_WORDS: dict[str, dict[str, str]] = {
    "top_rest_gap": {
        "label": "Best 10% of areas ahead of the rest",
        "short": "best 10% ahead of the rest by",
        "explain": "How far the average of the best-performing tenth of areas is ahead of the "
        "average of all other areas, in the indicator's own units (0 would mean no gap).",
        "narrowing": "falls towards 0",
    },
    "best_worst_gap": {
        "label": "Best 10% of areas ahead of the worst 10%",
        "short": "best 10% ahead of the worst 10% by",
        "explain": "How far the average of the best-performing tenth of areas is ahead of the "
        "average of the worst-performing tenth (the IFS's measure), in the indicator's own units.",
        "narrowing": "falls towards 0",
    },
    "p90_p10_ratio": {
        "label": "90th / 10th percentile ratio",
        "explain": "How many times larger the value one-tenth of the way down from the top is "
        "than the value one-tenth of the way up from the bottom.",
        "narrowing": "falls towards 1",
    },
    "p90_p10_diff": {
        "label": "90th minus 10th percentile",
        "explain": "The distance, in the indicator's own units, between the value one-tenth of the "
        "way down from the top and the value one-tenth of the way up from the bottom.",
        "narrowing": "falls towards 0",
    },
    "top_rest_ratio": {
        "label": "Top 10% of areas / the rest",
        "explain": "The average of the best-performing tenth of areas divided by the average of "
        "all other areas (below 1 when lower values are better).",
        "narrowing": "moves towards 1",
    },
    "top_rest_diff": {
        "label": "Top 10% of areas minus the rest",
        "explain": "The average of the best-performing tenth of areas minus the average of all "
        "other areas, in the indicator's own units (negative when lower values are better).",
        "narrowing": "moves towards 0 (its size falls)",
    },
    "sd_log": {
        "label": "Standard deviation of logs",
        "explain": "The spread of area values on a log scale (0.1 is roughly a typical 10% "
        "difference from the average area); a fall over time is called sigma-convergence.",
        "narrowing": "falls towards 0",
    },
    "cv": {
        "label": "Coefficient of variation",
        "explain": "The typical spread of area values around their average, as a fraction of "
        "that average (0 would mean every area is the same).",
        "narrowing": "falls towards 0",
    },
}

# Not gap measures (no "closing" direction), but shown next to them.
DECOMPOSITION_LABELS: dict[str, dict] = {
    "share_between": {
        "label": "Share of the inequality between regions",
        "explain": "Of all the variation between areas, the part explained by which region or "
        "nation an area is in; the rest is variation between areas within the same region.",
    },
    "var_between": {"label": "Variance between regions", "explain": ""},
    "var_within": {"label": "Variance within regions", "explain": ""},
}

#: Titles of the change lists: by improvement (polarity known) or by raw change.
CHANGE_TITLES = {
    (True, True): "Most improved",
    (True, False): "Most declined",
    (False, True): "Largest increases",
    (False, False): "Largest decreases",
}


def _label(measure: str) -> str:
    return MEASURE_WORDS[measure]["label"].lower()


def fmt(v: float) -> str:
    """A measure in a sentence: three significant figures, or whole thousands."""
    if v is None or not np.isfinite(v):
        return "–"
    return f"{v:,.3g}" if abs(v) < 1000 else f"{v:,.0f}"


def rule_text(
    measure: str, fallback: str | None, ratio: bool, min_areas: int, n_boot: int, confidence: float
) -> str:
    """The gap verdict rule in plain English (see :func:`lumap.analysis.verdicts.rule_text`)."""
    pct = f"{confidence * 100:g}%"
    target = "1" if ratio else "0"
    return (
        f"We measure the gap with the {_label(measure)} at the baseline and in the latest "
        f"period, as its distance from {target} (no gap at all), so a fall means the gap is "
        f"narrowing. Where estimates come with published 95% confidence intervals, we simulate "
        f"{n_boot:,} plausible versions of every area's value (a normal distribution centred on "
        f"the published value, with a spread set by its interval; areas without an interval "
        f"keep their value), recompute the measure for both periods each time, and keep the "
        f"middle {pct} of the simulated changes, re-centred on the observed change (adding "
        f"noise widens every spread measure a little; re-centring removes that bias). "
        f"If that whole range is below zero the gap is narrowing; if it is all above zero the gap is "
        f"widening; otherwise there is no clear "
        f"change. Where no intervals are published, or either period has fewer than "
        f"{min_areas} areas, no test is possible and we only say which way the measure moved."
        + (
            f" If any area has a zero or negative value the ratio is not meaningful, and we use "
            f"the {_label(fallback)} instead."
            if fallback
            else ""
        )
    )


def direction(change: float, noun: str, up: str = "rose", down: str = "fell") -> str:
    """'the median area value rose by 3.2'."""
    if not np.isfinite(change):
        return f"the {noun} could not be computed"
    if change == 0:
        return f"the {noun} did not change"
    return f"the {noun} {down if change < 0 else up} by {fmt(abs(change))}"


def gap_direction(base: float, now: float, change: float, measure: str) -> str:
    """E.g. 'the top 10% of areas / the rest went from 1.5 to 1.4: the gap measure fell by
    0.1 (the gap narrowed)'."""
    if not np.isfinite(change):
        return f"the {_label(measure)} could not be calculated"
    moved = f"the {_label(measure)} went from {fmt(base)} to {fmt(now)}"
    if change == 0:
        return f"{moved}: the gap did not change"
    verb = "fell" if change < 0 else "rose"
    return (
        f"{moved}: the gap measure {verb} by {fmt(abs(change))} (the gap "
        f"{'narrowed' if change < 0 else 'widened'})"
    )


def ci_note(share_base: float, share_now: float) -> str:
    """What the test assumed about areas without intervals ("" if every area has one)."""
    if share_base == 0 and share_now > 0:
        return (
            "Confidence intervals are published only for the latest period; baseline "
            "values are treated as exact."
        )
    if share_now == 0 and share_base > 0:
        return (
            "Confidence intervals are published only for the baseline period; latest "
            "values are treated as exact."
        )
    if min(share_base, share_now) < 1:
        return "Some areas have no published confidence interval; their values are treated as exact."
    return ""


def too_few_areas(what: str, n_base: int, n_now: int, min_areas: int) -> str:
    return (
        f"Too few areas to judge {what}: {n_base} at the baseline and {n_now} in the "
        f"latest period (at least {min_areas} are needed in each)."
    )


NO_INTERVALS = (
    "No confidence intervals are published for this indicator, so sampling "
    "uncertainty can't be assessed: we cannot tell whether the change is bigger "
    "than the noise in the estimates."
)
NONPOSITIVE = "Some areas have a zero or negative value"
MAY_BE_NONPOSITIVE = "Within their confidence intervals some areas could be zero or negative"


def fallback_note(why: str, measure: str, fallback: str) -> str:
    """Why a ratio measure gave way to its difference measure."""
    return f"{why}, so the {_label(measure)} is not meaningful; using the {_label(fallback)} instead."


def not_calculable(measure: str) -> str:
    return (
        f"The {_label(measure)} cannot be calculated for "
        f"these values (for example, the average is zero or negative)."
    )


def not_calculable_in_draws(measure: str) -> str:
    return (
        f"Within their confidence intervals some values make the "
        f"{_label(measure)} impossible to "
        f"calculate (for example, an average of zero or below)."
    )
