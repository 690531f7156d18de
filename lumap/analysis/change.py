"""Change over time for an area's series, and series indexed to a base period.

A series frame has ``period, period_label, start_year, start, value`` (plus the usual
``areacd, areanm, lci_95, uci_95, status``), one row per period.

Periods whose value is missing (suppressed, not published) are skipped: "change since
the previous period" then compares with the latest earlier period that has a value, and
the returned labels say which periods were compared.
"""

from __future__ import annotations

import pandas as pd


def _valid(series: pd.DataFrame) -> pd.DataFrame:
    s = series
    if "start" in s.columns:
        s = s.sort_values("start", kind="stable")
    values = pd.to_numeric(s["value"], errors="coerce")
    return s.assign(value=values.astype(float))[values.notna()]


def _change(frm: pd.Series, to: pd.Series) -> dict:
    """Change from one row to another. ``percent`` is relative to the earlier value and
    None when that value is 0 or negative (a relative change is meaningless there)."""
    a, b = float(frm["value"]), float(to["value"])
    return {
        "from_period": frm.get("period"),
        "to_period": to.get("period"),
        "from_period_label": frm.get("period_label"),
        "to_period_label": to.get("period_label"),
        "from_value": a,
        "to_value": b,
        "change": b - a,
        "percent": (b - a) / a * 100 if a > 0 else None,
    }


def change_since(series: pd.DataFrame, periods_back: int = 1) -> dict | None:
    """Latest value vs the value ``periods_back`` published periods earlier.

    Returns ``{from_period_label, to_period_label, from_value, to_value, change, percent}``
    (plus ``from_period``/``to_period``), or None when there are too few values.
    """
    if periods_back < 1:
        raise ValueError("periods_back must be at least 1")
    s = _valid(series)
    if len(s) <= periods_back:
        return None
    return _change(s.iloc[-1 - periods_back], s.iloc[-1])


def change_over_years(series: pd.DataFrame, years: int = 5) -> dict | None:
    """Latest value vs the period closest to ``years`` before it, but not after that.

    For annual (or longer) periods "closest" is by ``start_year``: the latest period whose
    start_year ≤ latest start_year − years. For sub-annual series (several periods in one
    start_year, e.g. monthly) it is by date: the latest period starting on or before the
    latest start minus ``years`` years, so Mar 2025 is compared with Mar 2020, not Dec 2020.
    Returns None when no period is old enough.
    """
    s = _valid(series)
    if s.empty:
        return None
    latest = s.iloc[-1]
    sub_annual = "start" in s.columns and s["start_year"].duplicated().any()
    if sub_annual:
        starts = pd.to_datetime(s["start"])
        target = pd.Timestamp(latest["start"]) - pd.DateOffset(years=years)
        earlier = s[(starts <= target).to_numpy()]
    else:
        earlier = s[s["start_year"] <= int(latest["start_year"]) - years]
    if earlier.empty:
        return None
    return _change(earlier.iloc[-1], latest)


def index_to_base(frame: pd.DataFrame, base_start_year: int) -> pd.DataFrame:
    """Add ``index`` = value / value in the base period × 100, per area.

    The base is each area's first period (by ``start``) whose start_year is
    ``base_start_year``. ``index`` is NaN when the base value is missing or 0.
    """
    out = frame.copy()
    values = pd.to_numeric(out["value"], errors="coerce").astype(float)
    base_rows = out[out["start_year"] == base_start_year]
    if "start" in base_rows.columns:
        base_rows = base_rows.sort_values("start", kind="stable")
    base_rows = base_rows.drop_duplicates("areacd")
    base = pd.to_numeric(base_rows.set_index("areacd")["value"], errors="coerce").astype(float)
    b = out["areacd"].map(base).astype(float)
    b = b.where(b != 0)
    out["index"] = values / b * 100
    return out
