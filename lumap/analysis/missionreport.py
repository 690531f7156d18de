"""One indicator's mission report: the median area, the gap, the spread between regions,
verdicts since a baseline, and the uncertainty band of the gap measure, for every period at
one level (a :class:`MissionReport`).

Pure functions on tidy frames (the ``Store.series`` shape); the caller fetches the frames.
Also the words and numbers for the mission summary table. No Streamlit here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lumap.analysis import gapbands, gaps, verdicts
from lumap.analysis.comparators import region_of
from lumap.analysis.format import format_number, format_value, is_missing
from lumap.analysis.verdicts import Verdict
from lumap.data import levels as lv

FEW_PERIODS = 5  # fewer periods than this: "only N periods" next to the verdict
BASELINES = (2019, 2022)  # the White Paper's 2019 baseline, and its own publication year
#: Levels whose areas sit inside regions, so a between/within-region split means something.
DECOMPOSABLE = ("ltla", "utla", "cauth")
#: Whose value stands for "the country" next to the median, first with data wins.
COMPARATOR_CODES = (lv.UK, "K03000001", "K04000001", *lv.NATION_CODES.values())

LEVEL_RULE = (
    "The level is the median across areas (the typical area). We call it better or worse "
    "(higher or lower where the indicator has no good direction) only when the middle 95% of "
    "1,000 simulated changes in the median, re-sampled from the published confidence "
    "intervals exactly as for the gap, lies wholly on one side of zero; otherwise there is no "
    "clear change. Without published intervals no test is possible and we only say which "
    "way it moved."
)

# Verdict word -> tone, for colours on the page (the words are always shown too).
TONE = {
    "better": "good",
    "gap narrowing": "good",
    "worse": "bad",
    "gap widening": "bad",
    "higher": "moved",
    "lower": "moved",
    "no clear change": "flat",
    "no test possible": "untested",
}


# ---------------------------------------------------------------------------------------------
# Coverage and levels
# ---------------------------------------------------------------------------------------------


def coverage_text(nations) -> str | None:
    """ "England only", "Great Britain only", ...; None when all four nations are covered.

    ``nations`` are the letters of the nations whose local authorities have data."""
    have = {str(n) for n in (nations or [])}
    if not have:
        return "No local-authority data (regions or countries only)"
    if have >= set("EWSN"):
        return None
    if have == set("EWS"):
        return "Great Britain only (no Northern Ireland)"
    if have == set("EW"):
        return "England and Wales only"
    names = [lv.NATIONS[n] for n in "EWSN" if n in have]
    return " and ".join(names) + " only"


def coverage_notes(meta: dict, n_periods: int) -> list[str]:
    """Short coverage warnings to show next to a verdict."""
    notes = []
    text = coverage_text(meta.get("nations"))
    if text:
        notes.append(text)
    if n_periods == 1:
        notes.append("One period only: no trend")
    elif 0 < n_periods < FEW_PERIODS:
        notes.append(f"Only {n_periods} periods")
    return notes


def lower_tier_missing(codes) -> bool:
    """True when English data are upper-tier only: unitary, metropolitan or London codes
    (E06/E08/E09) but no shire districts (E07). Such an indicator's "lower-tier" map would
    silently leave out every shire county, so it is shown for upper-tier areas instead."""
    prefixes = {str(c)[:3] for c in codes}
    return bool(prefixes & {"E06", "E08", "E09"}) and "E07" not in prefixes


def level_for(available, wanted: str, upper_tier_only: bool = False) -> str | None:
    """The level to use: ``wanted`` if the indicator has it, else the nearest level in
    ``LEVEL_ORDER`` that it has (ties go to the finer level, which has more areas).
    ``upper_tier_only`` (see :func:`lower_tier_missing`) takes ``ltla`` out of the choice."""
    skip = {"ltla"} if upper_tier_only else set()
    have = [lvl for lvl in lv.LEVEL_ORDER if lvl in set(available or []) - skip]
    if not have:
        return None
    if wanted in have:
        return wanted
    pos = lv.LEVEL_ORDER.index(wanted) if wanted in lv.LEVEL_ORDER else 0
    return min(have, key=lambda lvl: (abs(lv.LEVEL_ORDER.index(lvl) - pos), lv.LEVEL_ORDER.index(lvl)))


def with_regions(frame: pd.DataFrame, geo: dict) -> pd.DataFrame:
    """Add ``group``: each area's region (E12), or its nation for Wales, Scotland and NI."""
    codes = frame["areacd"].astype(str)
    lookup = {c: region_of(c, geo) for c in codes.unique()}
    return frame.assign(group=codes.map(lookup))


def comparator(rows: pd.DataFrame) -> tuple[str | None, pd.DataFrame]:
    """From rows of several comparator codes (``areacd, period, value``), the first code of
    ``COMPARATOR_CODES`` with any value, and its rows."""
    if rows is None or rows.empty:
        return None, rows
    v = pd.to_numeric(rows["value"], errors="coerce")
    for code in COMPARATOR_CODES:
        mine = rows[(rows["areacd"].astype(str) == code).to_numpy() & v.notna().to_numpy()]
        if len(mine):
            return code, mine
    return None, rows.iloc[0:0]


# ---------------------------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodInfo:
    period: str
    label: str
    start: pd.Timestamp
    start_year: int


@dataclass(frozen=True)
class MissionReport:
    """Everything the missions page shows for one indicator at one level.

    ``table``: one row per period (labels, ``n``, ``median``, ``comparator``, every gap
    measure, ``share_between``, ``observed``/``low``/``high`` of the charted measure).
    ``measure``: the measure charted (the verdict's, after any fallback). The verdicts are
    None when there is nothing to compare; ``no_verdict`` then says why. ``totals``: the
    indicator is a total (not a rate), so no national comparator is drawn.
    """

    table: pd.DataFrame
    measure: str
    requested_measure: str
    n_periods: int
    decomposed: bool
    baseline_year: int
    baseline: PeriodInfo | None
    latest: PeriodInfo | None
    gap_verdict: Verdict | None
    median_verdict: Verdict | None
    no_verdict: str
    comparator_name: str | None
    comparator_code: str | None
    totals: bool
    bands_note: str


def _period_info(series: pd.DataFrame, period) -> PeriodInfo | None:
    if period is None:
        return None
    row = series[series["period"] == period].iloc[0]
    return PeriodInfo(str(period), str(row["period_label"]), row["start"], int(row["start_year"]))


def _chart_measure(gs: pd.DataFrame, measure: str, gap: Verdict | None) -> str:
    """The measure to draw: the one the verdict used (after any fallback), else the one
    asked for unless it is undefined in every period and has a fallback."""
    if gap and gap.measure in gaps.MEASURES:
        return gap.measure
    fallback = gaps.MEASURES[measure]["fallback"]
    if fallback and not gs.empty and pd.to_numeric(gs[measure], errors="coerce").isna().all():
        return fallback
    return measure


def indicator_report(
    series: pd.DataFrame,
    comparator_rows: pd.DataFrame | None,
    polarity,
    baseline_year: int = 2019,
    measure: str = "top_rest_ratio",
    level: str = "ltla",
    geo: dict | None = None,
    n_boot: int = 1000,
    seed: int = 0,
    band_boot: int = 1000,
    standardised: bool = True,
) -> MissionReport:
    """The :class:`MissionReport` of one indicator at one level.

    ``series`` is ``Store.series(indicator, level=level)``; ``comparator_rows`` the rows of
    the codes in ``COMPARATOR_CODES`` (any periods). ``standardised=False`` (totals such as
    £ millions, not rates): no national comparator, since a national total is not comparable
    with one area's.
    """
    if measure not in gaps.MEASURES:
        raise KeyError(f"unknown measure {measure!r}")
    values = pd.to_numeric(series["value"], errors="coerce") if len(series) else pd.Series(dtype=float)
    usable = series[values.notna().to_numpy()] if len(series) else series
    decomposed = level in DECOMPOSABLE and geo is not None
    if geo is not None and decomposed and len(usable):
        usable = with_regions(usable, geo)
    gs = gaps.gap_series(usable, polarity) if len(usable) else gaps.gap_series(usable.iloc[0:0], polarity)
    if not decomposed:
        gs["share_between"] = math.nan

    periods = (
        usable[["period", "start_year", "period_label", "start"]]
        .drop_duplicates("period")
        .sort_values(["start", "period"], kind="stable")
        if len(usable)
        else pd.DataFrame(columns=["period", "start_year", "period_label", "start"])
    )
    n_periods = len(periods)
    base_p = gaps.baseline_period(periods, baseline_year) if n_periods else None
    latest_p = periods["period"].iloc[-1] if n_periods else None
    baseline, latest = _period_info(usable, base_p), _period_info(usable, latest_p)
    gap_v = median_v = None
    no_verdict = ""
    if n_periods == 0:
        no_verdict = "No values at this level."
    elif n_periods == 1:
        no_verdict = "Only one period is published, so there is no trend to judge."
    elif baseline is None:
        no_verdict = (
            f"No period starts in {baseline_year} or later (the data end in "
            f"{latest.label if latest else ''}), so there is no change since the baseline."
        )
    elif base_p == latest_p:
        no_verdict = (
            f"The baseline period ({baseline.label}) is also the latest "
            f"one, so there is no change since the baseline yet."
        )
    else:
        base_f = usable[usable["period"] == base_p]
        now_f = usable[usable["period"] == latest_p]
        gap_v = verdicts.gap_verdict(base_f, now_f, polarity, measure=measure, n_boot=n_boot, seed=seed)
        median_v = verdicts.median_verdict(base_f, now_f, polarity, n_boot=n_boot, seed=seed)

    chart_measure = _chart_measure(gs, measure, gap_v)
    bands = gapbands.gap_bands(usable, polarity, chart_measure, n_boot=band_boot, seed=seed)

    table = periods.merge(gs.drop(columns=["start_year"]), on="period", how="left")
    table = table.merge(bands[["period", "observed", "low", "high", "band", "note"]], on="period", how="left")
    code, comp = comparator(comparator_rows if standardised else None)
    name = None
    if code is not None:
        names = comp["areanm"].astype(str) if "areanm" in comp.columns else pd.Series([code])
        name = str(names.iloc[-1])
        cv = pd.to_numeric(comp["value"], errors="coerce")
        table["comparator"] = table["period"].map(dict(zip(comp["period"], cv, strict=True))).astype(float)
    else:
        table["comparator"] = math.nan
    return MissionReport(
        table=table.reset_index(drop=True),
        measure=chart_measure,
        requested_measure=measure,
        n_periods=n_periods,
        decomposed=decomposed,
        baseline_year=baseline_year,
        baseline=baseline,
        latest=latest,
        gap_verdict=gap_v,
        median_verdict=median_v,
        no_verdict=no_verdict,
        comparator_name=name,
        comparator_code=code,
        totals=not standardised,
        bands_note=_bands_note(bands),
    )


def _bands_note(bands: pd.DataFrame) -> str:
    if bands.empty:
        return "No band: no values."
    if bands["band"].all():
        return ""
    notes = sorted(set(bands.loc[~bands["band"].astype(bool), "note"]) - {""})
    if not bands["band"].any():
        return "No uncertainty band: " + "; ".join(notes) + "."
    return "No band for some periods: " + "; ".join(notes) + "."


# ---------------------------------------------------------------------------------------------
# Words and numbers for the page
# ---------------------------------------------------------------------------------------------


def format_measure(value, measure: str, meta: dict) -> str:
    """A gap measure for people: ratios and the CV as plain numbers (2 and 3 decimals),
    differences in the indicator's own units ("pp" for percentages)."""
    if is_missing(value) or not np.isfinite(value):
        return "–"
    kind = gaps.MEASURES[measure]["kind"] if measure in gaps.MEASURES else "level"
    if kind == "ratio":
        return format_number(value, 2)
    if kind == "spread":
        return format_number(value, 3)
    if kind == "difference" and (meta.get("suffix") or "") == "%":
        return format_number(value, meta.get("decimals")) + " pp"
    return format_value(value, meta, with_subtext=False)


def _signed(value, text_of_size) -> str:
    sign = "+" if value > 0 else "−" if value < 0 else ""
    return sign + text_of_size(abs(value))


def format_delta(value, meta: dict) -> str:
    """A signed change in the indicator's units: "+£23", "−1.2 pp" (for percentages)."""
    if is_missing(value) or not np.isfinite(value):
        return "–"
    if (meta.get("suffix") or "") == "%":
        return _signed(value, lambda v: format_number(v, meta.get("decimals")) + " pp")
    return _signed(value, lambda v: format_value(v, meta, with_subtext=False))


def format_measure_change(value, measure: str, meta: dict) -> str:
    """A signed change in a gap measure: 3 decimals for ratios and the CV, units otherwise."""
    if is_missing(value) or not np.isfinite(value):
        return "–"
    if gaps.MEASURES[measure]["kind"] in ("ratio", "spread"):
        return _signed(value, lambda v: format_number(v, 3))
    return format_delta(value, meta)


def gap_sentence(gap: Verdict, meta: dict) -> str:
    """E.g. "The top 10% of areas / the rest went from 0.57 to 0.58: closer to 1, where there
    would be no gap." Plain text; the verdict word is shown separately."""
    m = gap.measure
    spec = gaps.MEASURES[m]
    label = spec["label"]
    change = gap.change
    if is_missing(change) or not np.isfinite(change):
        return f"The {label.lower()} could not be calculated."
    base, now = format_measure(gap.base, m, meta), format_measure(gap.now, m, meta)
    target = format_number(spec["no_gap"], 0)
    if change == 0:
        return f"The {label.lower()} was {now} at both dates: no change in the gap."
    where = "closer to" if change < 0 else "further from"
    return f"The {label.lower()} went from {base} to {now}: {where} {target}, where there would be no gap."


def share_text(share) -> str:
    if is_missing(share):
        return "–"
    return f"{format_number(share * 100, 0)}%"


def verdict_words(verdict: Verdict | None, kind: str) -> tuple[str, str, str]:
    """(headline word, tone, detail) for a gap (``kind="gap"``) or median verdict.

    An untested change is described by its direction only ("narrowed, not tested")."""
    if verdict is None:
        return "no verdict", "none", ""
    word = verdict.verdict
    detail = ""
    if not verdict.tested:
        ch = verdict.change
        if is_missing(ch) or not np.isfinite(ch):
            detail = "could not be calculated"
        elif ch == 0:
            detail = "unchanged"
        elif kind == "gap":
            detail = ("narrowed" if ch < 0 else "widened") + ", not tested"
        else:
            detail = ("rose" if ch > 0 else "fell") + ", not tested"
    return word, TONE.get(word, "none"), detail


def summary_row(meta: dict, report: MissionReport, level_used: str, wanted_level: str) -> dict:
    """One line of the mission summary table, as display strings plus tones."""
    base, latest = report.baseline, report.latest
    gap, med = report.gap_verdict, report.median_verdict
    m = report.measure
    g_word, g_tone, g_detail = verdict_words(gap, "gap")
    m_word, m_tone, m_detail = verdict_words(med, "median")
    notes = coverage_notes(meta, report.n_periods)
    if level_used != wanted_level:
        notes.insert(
            0, f"Shown for {lv.LEVELS[level_used]['short']} (none for {lv.LEVELS[wanted_level]['short']})"
        )
    if gap is not None and gap.note:
        notes.append("gap measured by " + gaps.MEASURES[gap.measure]["label"].lower())
    if gap is not None and base is not None and latest is not None:
        periods = f"{base.label} → {latest.label}"
    else:
        periods = latest.label if latest else "–"
    last = report.table.iloc[-1] if len(report.table) else None
    return {
        "mission": meta.get("mission"),
        "indicator": meta.get("indicator"),
        "label": meta.get("label"),
        "periods": periods,
        "level": level_used,
        "notes": notes,
        "median_base": format_value(med.base, meta, False) if med else "",
        "median_now": (
            format_value(med.now, meta, False)
            if med
            else format_value(last["median"], meta, False)
            if last is not None
            else ""
        ),
        "unit": meta.get("subtext") or "",
        "median_word": m_word,
        "median_tone": m_tone,
        "median_detail": m_detail,
        "gap_measure": gaps.MEASURES[m]["label"],
        "gap_base": format_measure(gap.base, gap.measure, meta) if gap else "",
        "gap_now": (
            format_measure(gap.now, gap.measure, meta)
            if gap
            else format_measure(last[m], m, meta)
            if last is not None
            else ""
        ),
        "gap_word": g_word,
        "gap_tone": g_tone,
        "gap_detail": g_detail,
        "no_verdict": report.no_verdict,
    }


#: Columns of the summary CSV taken from each verdict, and the verdict's field for each.
MEDIAN_COLUMNS = {
    "median_baseline": "base",
    "median_latest": "now",
    "median_change": "change",
    "median_change_ci_low": "ci_low",
    "median_change_ci_high": "ci_high",
}
GAP_COLUMNS = {
    "gap_baseline": "base",
    "gap_latest": "now",
    "gap_distance_change": "change",
    "gap_change_ci_low": "ci_low",
    "gap_change_ci_high": "ci_high",
}


def _fields(verdict: Verdict | None, columns: dict[str, str]) -> dict:
    return {col: math.nan if verdict is None else getattr(verdict, f) for col, f in columns.items()}


def summary_record(indicator: str, meta: dict, report: MissionReport, level_used: str) -> dict:
    """One row of the summary CSV: the same verdicts as the table, with unrounded numbers."""
    gap, med = report.gap_verdict, report.median_verdict
    return {
        "mission": meta.get("mission"),
        "indicator": indicator,
        "label": meta.get("label"),
        "level": level_used,
        "baseline_period": report.baseline.period if gap and report.baseline else None,
        "latest_period": report.latest.period if report.latest else None,
        **_fields(med, MEDIAN_COLUMNS),
        "median_verdict": med.verdict if med else "no verdict",
        "gap_measure": gap.measure if gap else report.measure,
        **_fields(gap, GAP_COLUMNS),
        "gap_verdict": gap.verdict if gap else "no verdict",
        "n_boot": gap.n_boot if gap else 0,
        "coverage": "; ".join(coverage_notes(meta, report.n_periods)),
        "why_no_verdict": report.no_verdict or (gap.reason if gap else ""),
    }
