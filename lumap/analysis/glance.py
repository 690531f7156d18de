"""The missions at a glance: one plain verdict per mission, and for each indicator why its gap
moved, with numbers that add up as they are shown.

Input: per indicator, its gap verdict (:class:`lumap.analysis.verdicts.Verdict`) and the
means of the best tenth and of the rest at the baseline and now (from the report table).
No Streamlit here; words are plain text (callers escape).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lumap.analysis.format import format_number, is_missing, round_half_up, unit_parts
from lumap.analysis.polarity import Polarity

#: tone of each verdict word, for colours (the words are always shown too)
TONES = {
    "gap narrowing": "good",
    "gap widening": "bad",
    "no clear change": "flat",
    "no test possible": "untested",
    "no verdict": "none",
}
MAX_EXTRA_DECIMALS = 2


# ---------------------------------------------------------------------------------------------
# Numbers as shown
# ---------------------------------------------------------------------------------------------


def shown(value: float, decimals: int) -> float:
    """The number a reader sees (rounded half up), as a float to do arithmetic with."""
    return float(round_half_up(value, decimals))


def published_decimals(meta: dict) -> int:
    """The indicator's published decimal places (1 when it gives none)."""
    d = meta.get("decimals")
    return 1 if d is None else int(d)


def decimals_for(meta: dict, pairs: list[tuple[float, float]]) -> int:
    """The indicator's published decimals, plus up to two more where a change that is not
    zero would otherwise show as zero (so "0.48 → 0.49" is never shown as "0.5 → 0.5")."""
    d = published_decimals(meta)
    for extra in range(MAX_EXTRA_DECIMALS + 1):
        ok = all(
            is_missing(a) or is_missing(b) or a == b or shown(a, d + extra) != shown(b, d + extra)
            for a, b in pairs
        )
        if ok:
            return d + extra
    return d + MAX_EXTRA_DECIMALS


def amount(value: float, meta: dict, decimals: int) -> str:
    """A size in the indicator's units: "£23.5", "4.2 pp" for percentages, "1.3 years"."""
    prefix, suffix, _ = unit_parts(meta)
    text = format_number(abs(value), decimals)
    if suffix == "%":
        return text + " pp"
    return prefix + text + suffix


def level(value: float, meta: dict, decimals: int) -> str:
    """A value in the indicator's units ("74.2%", "£642")."""
    prefix, suffix, _ = unit_parts(meta)
    text = format_number(value, decimals)
    if text.startswith("-") and prefix:
        return "-" + prefix + text[1:] + suffix
    return prefix + text + suffix


def signed(value: float, meta: dict, decimals: int) -> str:
    if shown(value, decimals) == 0:
        return "±" + amount(0.0, meta, decimals)
    return ("+" if value > 0 else "−") + amount(value, meta, decimals)


def change_text(base: float, now: float, meta: dict) -> str:
    """ "£642 → £667 (+£25)": both values and the change worked from the shown numbers."""
    d = decimals_for(meta, [(base, now)])
    b, n = shown(base, d), shown(now, d)
    return f"{level(b, meta, d)} → {level(n, meta, d)} ({signed(round(n - b, d), meta, d)})"


def interval_text(lo: float, hi: float, meta: dict | None = None, decimals: int | None = None) -> str:
    """ "+0.04 pp to +2.2 pp": enough decimals (up to two more than published) that an end
    that is not zero does not show as zero, and the two ends do not show as the same."""
    meta = meta or {}
    if is_missing(lo) or is_missing(hi):
        return "–"
    d0 = decimals if decimals is not None else published_decimals(meta)
    d = d0
    for extra in range(MAX_EXTRA_DECIMALS + 1):
        d = d0 + extra
        clear = all(x == 0 or shown(x, d) != 0 for x in (lo, hi)) and (
            lo == hi or shown(lo, d) != shown(hi, d)
        )
        if clear:
            break
    return f"{signed(lo, meta, d)} to {signed(hi, meta, d)}"


# ---------------------------------------------------------------------------------------------
# Why a gap moved
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Movement:
    """How the best tenth and the rest moved between the baseline and now, in shown numbers
    (so ``gap_now - gap_base == gap_change`` exactly as displayed).

    ``best_change``/``rest_change`` are aligned: positive = better (higher where higher is
    better, lower where lower is better; for neutral indicators, higher). ``kind`` names the
    story: "levelling up" (the rest improved by more than the best), "levelling down" (the
    gap narrowed because the best got worse, the rest not improving), "both" (narrowed with
    the best worse and the rest better), "pulling ahead", "falling behind", "apart", "same".
    """

    decimals: int
    best_base: float
    best_now: float
    rest_base: float
    rest_now: float
    gap_base: float
    gap_now: float
    gap_change: float
    best_change: float
    rest_change: float
    kind: str
    sentence: str
    gap_text: str  # "12.3 → 11.8 (−0.5)"


def movement(
    best_base: float,
    best_now: float,
    rest_base: float,
    rest_now: float,
    polarity,
    meta: dict,
    best: str = "the best 10% of areas",
    rest: str = "the rest",
) -> Movement | None:
    """The story of a gap between ``best`` and ``rest`` (means at the baseline and now).

    Each mean is rounded as shown first; the gaps and changes are computed from those
    rounded numbers, so every sum on the page adds up as displayed."""
    values = (best_base, best_now, rest_base, rest_now)
    if any(is_missing(v) or not np.isfinite(v) for v in values):
        return None
    sign = -1 if Polarity.of(polarity) == -1 else 1
    neutral = Polarity.of(polarity) == 0
    d = decimals_for(meta, [(best_base, best_now), (rest_base, rest_now)])
    bb, bn, rb, rn = (shown(v, d) for v in values)
    gap_base, gap_now = round((bb - rb) * sign, d), round((bn - rn) * sign, d)
    gap_change = round(gap_now - gap_base, d)
    best_change, rest_change = round((bn - bb) * sign, d), round((rn - rb) * sign, d)
    kind = _kind(gap_change, best_change, rest_change)
    text = _sentence(kind, best, rest, best_change, rest_change, meta, d, neutral, (bb, bn, rb, rn))
    gap_text = f"{amount(gap_base, meta, d)} → {amount(gap_now, meta, d)} ({signed(gap_change, meta, d)})"
    return Movement(
        d, bb, bn, rb, rn, gap_base, gap_now, gap_change, best_change, rest_change, kind, text, gap_text
    )


def _kind(gap_change: float, best: float, rest: float) -> str:
    if gap_change == 0:
        return "same"
    if gap_change < 0:  # narrowed: rest - best improvement > 0
        if best < 0 and rest <= 0:
            return "levelling down"
        if best < 0 < rest:
            return "both"
        return "levelling up"
    if best > 0 and rest >= 0:
        return "pulling ahead"
    if rest < 0 <= best:
        return "falling behind" if best == 0 else "apart"
    return "falling behind"


def _moved(change: float, meta: dict, d: int, neutral: bool, a: float, b: float) -> str:
    """ "got better by 1.2 pp (from 70.1% to 71.3%)"."""
    span = f"from {level(a, meta, d)} to {level(b, meta, d)}"
    if change == 0:
        return f"did not change ({level(a, meta, d)})"
    if neutral:
        verb = "rose" if b > a else "fell"
    else:
        verb = "got better" if change > 0 else "got worse"
    return f"{verb} by {amount(change, meta, d)} ({span})"


def _sentence(kind, best, rest, best_change, rest_change, meta, d, neutral, v) -> str:
    bb, bn, rb, rn = v
    head = {
        "levelling up": "The gap narrowed because the rest caught up",
        "levelling down": "The gap narrowed because the best got worse: levelling down, not levelling up",
        "both": "The gap narrowed: the best got worse and the rest got better",
        "pulling ahead": "The gap widened because the best pulled further ahead",
        "falling behind": "The gap widened because the rest fell further behind",
        "apart": "The gap widened: the best got better and the rest got worse",
        "same": "The gap did not change",
    }[kind]
    if neutral:
        head = {"same": "The gap did not change"}.get(
            kind, "The gap " + ("narrowed" if "narrow" in head else "widened")
        )
    return (
        f"{head}. {best[0].upper() + best[1:]} {_moved(best_change, meta, d, neutral, bb, bn)}; "
        f"{rest} {_moved(rest_change, meta, d, neutral, rb, rn)}."
    )


# ---------------------------------------------------------------------------------------------
# A mission's verdict in words
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorGlance:
    """One indicator's line at a glance (plain text, numbers already formatted)."""

    indicator: str
    label: str
    level: str
    polarity: int
    verdict: str  # a key of TONES
    tested: bool
    periods: str  # "2019 → 2024"
    gap_text: str  # "12.3 → 11.8 (−0.5)" or ""
    why: str  # the movement sentence, or why there is no verdict
    kind: str  # Movement.kind or ""
    overlap: str  # a note when the two periods share years, else ""
    base: tuple[float, ...]  # area values at the baseline (for the strip)
    now: tuple[float, ...]
    base_label: str
    now_label: str
    unit: str
    versus: str = "rest"  # what the best tenth is compared with: "rest" or "worst" (tenth)


@dataclass(frozen=True)
class MissionGlance:
    """A mission's (or an outcome's) verdict: its number, name, aim, the sentence and tone
    of :func:`mission_sentence`, the counts, and one line per indicator."""

    number: int
    short: str
    aim: str
    sentence: str
    tone: str
    counts: dict
    indicators: tuple[IndicatorGlance, ...]


NARROWED = ("levelling up", "levelling down", "both")
WIDENED = ("pulling ahead", "falling behind", "apart")


def count_verdicts(words: list[str], kinds: list[str]) -> dict:
    """How many indicators got each verdict; ``levelling down``: narrowing verdicts that
    came from the best getting worse; ``untested_narrowed``/``untested_widened``: which
    way the untested ones moved."""
    pairs = list(zip(words, kinds, strict=True))
    c = {w: words.count(w) for w in TONES}
    c["levelling down"] = sum(1 for w, k in pairs if w == "gap narrowing" and k == "levelling down")
    c["untested_narrowed"] = sum(1 for w, k in pairs if w == "no test possible" and k in NARROWED)
    c["untested_widened"] = sum(1 for w, k in pairs if w == "no test possible" and k in WIDENED)
    c["total"] = len(words)
    return c


def _of(n: int, what: str) -> str:
    return f"{n} {what}" + ("" if n == 1 else "s")


def _untested_moves(counts: dict) -> str:
    nar, wid = counts.get("untested_narrowed", 0), counts.get("untested_widened", 0)
    moves = [f"{n} {w}" for n, w in ((nar, "narrowed"), (wid, "widened")) if n]
    return f" (untested, {' and '.join(moves)})" if moves else ""


def mission_sentence(counts: dict) -> tuple[str, str]:
    """("The gap is narrowing on 2 of 5 indicators, widening on 1, no clear change on 2.",
    tone). Tone: good (only narrowing), bad (only widening), mixed (both), flat (tested, no
    clear change), untested (nothing could be tested: "Not enough data to tell")."""
    total = counts["total"]
    nar, wid, flat = counts["gap narrowing"], counts["gap widening"], counts["no clear change"]
    tested = nar + wid + flat
    untested, none = counts["no test possible"], counts["no verdict"]
    if total == 0:
        return "No indicator in lumap's data measures this mission.", "none"
    if tested == 0:
        why = []
        if untested:
            moved = _untested_moves(counts).replace(" (untested, ", " (").replace(")", "")
            why.append(
                f"{_of(untested, 'indicator')} moved{moved + ')' if moved else ''}, untested (no intervals)"
            )
        if none:
            why.append(f"{_of(none, 'indicator')} without two periods to compare")
        return "Not enough data to tell: " + "; ".join(why) + ".", "untested"
    items = []  # (phrase, count, small print)
    if nar:
        down = counts.get("levelling down", 0)
        items.append(("narrowing on", nar, f" ({down} of them because the best got worse)" if down else ""))
    if wid:
        items.append(("widening on", wid, ""))
    if flat:
        items.append(("no clear change on", flat, ""))
    phrase, n, extra = items[0]
    lead = "No clear change in the gap on" if phrase.startswith("no clear") else f"The gap is {phrase}"
    text = f"{lead} {n} of {_of(total, 'indicator')}{extra}"
    for phrase, n, extra in items[1:]:
        text += f", {phrase} {n}{extra}"
    text += "."
    left = untested + none
    if left:
        text += f" {left} more cannot be judged yet{_untested_moves(counts)}."
    tone = "mixed" if nar and wid else "good" if nar else "bad" if wid else "flat"
    return text, tone


def overlap_note(base_raw: str, now_raw: str, base_label: str, now_label: str) -> str:
    """A note when two periods share years (rolling averages), else ""."""
    from lumap.data.periods import PeriodError, parse_period

    try:
        a, b = parse_period(base_raw), parse_period(now_raw)
    except PeriodError:
        return ""
    if a.months < 12 or b.months < 12:
        return ""
    a_end = a.start.year * 12 + a.start.month - 1 + a.months
    b_start = b.start.year * 12 + b.start.month - 1
    shared = a_end - b_start
    if shared <= 0:
        return ""
    years = shared // 12
    total = a.months // 12
    return (
        f"{base_label} and {now_label} are overlapping {total}-year periods that share "
        f"{years} of their {total} years, so the change reflects only the years that differ."
    )
