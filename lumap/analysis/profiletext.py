"""Words for the area profile: table cells, headline counts, "closing the gap" phrases.

Built from the numbers of :mod:`lumap.analysis.profile`; values are rounded only here,
for display, with the indicator's own decimal places. "Better"/"worse" appear only where
the indicator's polarity is known; "significantly" only where
:func:`lumap.analysis.significance.compare` says so. Plain text (callers escape for HTML).
"""

from __future__ import annotations

import pandas as pd

from lumap.analysis.comparison import status_reason
from lumap.analysis.format import format_difference, format_number, format_value, is_missing
from lumap.analysis.polarity import Polarity
from lumap.analysis.ranks import rank_text as _rank_words
from lumap.analysis.significance import UNTESTED
from lumap.data import levels as lv


def _zero(x, meta: dict) -> bool:
    """True when ``x`` rounds to zero at the indicator's published precision."""
    d = meta.get("decimals")
    return format_number(abs(x), d) == format_number(0, d)


# ---------------------------------------------------------------------------------------
# Cells
# ---------------------------------------------------------------------------------------


def value_text(value, status, notes, meta: dict) -> str:
    """'£539.90' / 'suppressed: confidential' / 'no value'."""
    if not is_missing(value):
        return format_value(value, meta)
    if not is_missing(status):
        return "suppressed: " + status_reason(status, notes)
    return "no value"


def rank_text(
    rank, n, level: str | None, primary: str | None, note: str = "", tied=0, value_text: str | None = None
) -> str:
    """'12th highest of 361', 'joint 12th highest of 361'; the level is named when it is not
    the area's usual one. ``note="replaced"``: an old code whose successor is ranked in its place."""
    group = lv.LEVELS[level]["short"] if isinstance(level, str) and level != primary else None
    text = _rank_words(rank, n, group, tied, value_text)
    if not text:
        return "not ranked (code replaced)" if note == "replaced" else "not ranked"
    return text


def vs_text(word) -> str:
    """A compare() word, shortened for a table cell: 'worse (untested)'."""
    if is_missing(word) or word == "no data to compare":
        return ""
    return str(word).replace(f"({UNTESTED})", "(untested)")


def change_text(change, from_label, meta: dict, short: bool = False, from_value=None, to_value=None) -> str:
    """'+£12 (better) since 2024', '−0.4 percentage points since 2019', 'no change since 2024'.

    "better"/"worse" only with a known polarity; it describes the direction, not a test.
    ``short``: "pts" for "percentage points" (a table cell). "No change" when the change
    rounds to nothing, or when the two values read the same as published (``from_value``,
    ``to_value``: 10.74 and 10.66 both show as 10.7%)."""
    if is_missing(change) or is_missing(from_label):
        return ""
    same = not is_missing(from_value) and not is_missing(to_value)
    if _zero(change, meta) or (same and format_value(from_value, meta) == format_value(to_value, meta)):
        return f"no change since {from_label}"
    sign = "+" if change > 0 else "−"
    word = ""
    p = Polarity.of(meta.get("polarity"))
    if p:
        word = " (better)" if (change > 0) == (p > 0) else " (worse)"
    return f"{sign}{_size(change, meta, short)}{word} since {from_label}"


# ---------------------------------------------------------------------------------------
# The compact table
# ---------------------------------------------------------------------------------------


def primary_level(profile: pd.DataFrame) -> str | None:
    """The level most of the area's indicators are ranked in."""
    levels = profile["level"].dropna() if "level" in profile else pd.Series(dtype=object)
    return None if levels.empty else str(levels.mode().iloc[0])


def comparator_name(profile: pd.DataFrame, key: str, default: str) -> str:
    names = profile[f"{key}_name"].dropna() if f"{key}_name" in profile else pd.Series(dtype=object)
    return str(names.mode().iloc[0]) if len(names) else default


def display_table(profile: pd.DataFrame, meta: dict) -> pd.DataFrame:
    """One row of words per indicator, in the profile's order, narrow enough for a 1400 px
    screen. Columns: indicator (slug), group, Indicator, Period (with the earlier code a
    figure was published under, "2025 · as E08000019"), Value, Rank, vs UK (or the country
    where no UK figure is published), UK, Change (since the previous period and over about
    five years). The other comparators are in the selected indicator's card."""
    if profile.empty:
        return pd.DataFrame()
    primary = primary_level(profile)
    rows = []
    for r in profile.to_dict("records"):
        m = meta[r["indicator"]]
        nat = r.get("national")
        vs_nat = vs_text(r.get(f"{nat}_vs")) if nat in ("uk", "country") else ""
        if vs_nat and nat == "country":
            vs_nat += f" vs {r['country_name']}"
        value = "" if is_missing(r["value"]) else format_value(r["value"], m)
        changes = [
            change_text(
                r.get(f"{k}_change"), r.get(f"{k}_period_label"), m, True, r.get(f"{k}_value"), r["value"]
            )
            for k in ("prev", "y5")
        ]
        source = r.get("source_areacd") or r["areacd"]
        rows.append(
            {
                "indicator": r["indicator"],
                "group": r.get("group", ""),
                "Indicator": r["label"],
                "Period": r["period_label"] + (f" · as {source}" if source != r["areacd"] else ""),
                "Value": value_text(r["value"], r.get("status"), r.get("notes"), m),
                "Rank": rank_text(
                    r.get("rank"),
                    r.get("n"),
                    r.get("level"),
                    primary,
                    r.get("rank_note") or "",
                    r.get("tied") or 0,
                    value or None,
                ),
                "vs UK": vs_nat,
                "UK": "" if is_missing(r.get("uk_value")) else format_value(r["uk_value"], m, False),
                "Change": "; ".join(c for c in dict.fromkeys(changes) if c),
            }
        )
    out = pd.DataFrame(rows)
    for col in ["UK", "vs UK"]:
        if col in out and not out[col].astype(bool).any():
            out = out.drop(columns=col)
    return out


# ---------------------------------------------------------------------------------------
# Headline counts
# ---------------------------------------------------------------------------------------

SUMMARY_KEYS = [
    "significantly better",
    "significantly worse",
    "significantly different",
    "not significantly different",
    "untested",
]


def summary_counts(profile: pd.DataFrame) -> dict[str, int]:
    """How the area compares with the UK (or its country where the UK has no figure):
    counts of indicators per verdict. "significantly different" counts significant
    differences on indicators with no better/worse direction."""
    counts = dict.fromkeys(SUMMARY_KEYS, 0)
    if profile.empty:
        return counts
    for r in profile.to_dict("records"):
        key = r.get("national")
        if key not in ("uk", "country"):
            continue
        sig, judged = r.get(f"{key}_significant"), r.get(f"{key}_judgement")
        if is_missing(judged):
            continue
        if sig is True:
            directed = judged in ("better", "worse")
            counts["significantly " + judged if directed else "significantly different"] += 1
        elif sig is False:
            counts["not significantly different"] += 1
        else:
            counts["untested"] += 1
    return counts


# ---------------------------------------------------------------------------------------
# Closing the gap
# ---------------------------------------------------------------------------------------


def gap_words(shortfall, in_top, meta: dict, short: bool = False) -> str:
    """'£182 behind' / '£5 ahead' / 'level' / 'in the top tenth' / 'no value': the area
    against the average of the top tenth of areas (``short``: "pts" for percentage points)."""
    if is_missing(shortfall):
        return "no value"
    if in_top:
        return "in the top tenth"
    if _zero(shortfall, meta):
        return "level"
    return f"{_size(shortfall, meta, short)} {'behind' if shortfall > 0 else 'ahead'}"


def _size(x, meta: dict, short: bool) -> str:
    size = format_difference(x, meta)
    return size.replace(" percentage points", " pts") if short else size


def gap_direction_words(change, now_shortfall, meta: dict, short: bool = False) -> str:
    """'closing the gap (by £12)', 'falling further behind (by £5)', 'about the same
    distance'; for an area at or ahead of the top tenth's average: 'further ahead (by …)'
    or 'lead narrowed (by …)'. ``change`` = shortfall now − shortfall then."""
    if is_missing(change):
        return "not known"
    if _zero(change, meta):
        return "about the same distance"
    size = _size(change, meta, short)
    if not is_missing(now_shortfall) and now_shortfall <= 0:
        return f"further ahead (by {size})" if change < 0 else f"lead narrowed (by {size})"
    return f"closing the gap (by {size})" if change < 0 else f"falling further behind (by {size})"


def gap_table(gap: pd.DataFrame, meta: dict) -> pd.DataFrame:
    """Words for the "closing the gap" table, one row per mission indicator."""
    rows = []
    for r in gap.to_dict("records"):
        m = meta[r["indicator"]]
        rows.append(
            {
                "indicator": r["indicator"],
                "Indicator": r["label"],
                "Baseline": r["base_period_label"],
                "Gap then": gap_words(r["base_shortfall"], r["base_in_top"], m, True),
                "Latest": r["now_period_label"],
                "Gap now": gap_words(r["now_shortfall"], r["now_in_top"], m, True),
                "Verdict": gap_direction_words(r["change"], r["now_shortfall"], m, True),
                "Top tenth then": _plain(r["base_top_mean"], m),
                "Top tenth now": _plain(r["now_top_mean"], m),
            }
        )
    return pd.DataFrame(rows)


def _plain(value, meta: dict) -> str:
    return "" if is_missing(value) else format_value(value, meta, with_subtext=False)
