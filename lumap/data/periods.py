"""ISO 8601 periods of the ELS data, parsed once, labelled the way people read them.

Forms seen: ``2024-01-01/P1Y`` (calendar year), ``2023-04-01/P1Y`` (financial year),
``2023-08-01/P1Y`` and ``2023-09-01/P1Y`` (academic years), ``2019-01-01/P3Y`` (rolling
3 years), ``2025-03-01/P1M`` (month), ``2025-04-30`` (an instant) and ``2020`` (a bare year).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from lumap.data.limits import FIRST_YEAR, LAST_YEAR, MAX_PERIOD_MONTHS

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()

# ASCII digits only: ``\d`` would also take fullwidth and other scripts' digits.
_INTERVAL = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})/P([0-9]{1,7})([YM])$")
_INSTANT = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:T[0-9:.]{1,20}Z?)?$")
_YEAR = re.compile(r"^([0-9]{4})$")


class PeriodError(ValueError):
    """A period string in none of the supported forms."""


@dataclass(frozen=True)
class Period:
    raw: str
    start: dt.date
    months: int  # length in months; 0 for an instant
    label: str

    @property
    def start_year(self) -> int:
        return self.start.year

    @property
    def kind(self) -> str:
        if self.months == 0:
            return "instant"
        if self.months == 1:
            return "month"
        return f"{self.months // 12}-year" if self.months % 12 == 0 else f"{self.months}-month"


def _yy(year: int) -> str:
    return f"{year % 100:02d}"


def _span_label(start: dt.date, years: int) -> str:
    """Label of a period of whole years starting on ``start``."""
    y, m = start.year, start.month
    if years == 1:
        if m == 1 and start.day == 1:
            return str(y)
        if m == 4 and start.day == 1:
            return f"FY {y}-{_yy(y + 1)}"
        if m in (8, 9) and start.day == 1:
            return f"AY {y}-{_yy(y + 1)}"
        return f"{y}-{_yy(y + 1)}"
    if m == 1 and start.day == 1:
        return f"{y}-{_yy(y + years - 1)}"
    if m == 4 and start.day == 1:
        return f"FY {y}-{_yy(y + 1)} to {y + years - 1}-{_yy(y + years)}"
    return f"{y}-{_yy(y + years)}"


def parse_period(raw: str) -> Period:
    """Parse one period string; raises :class:`PeriodError` with the expected forms."""
    text = str(raw).strip()
    if m := _INTERVAL.match(text):
        start = _date(m.group(1), m.group(2), m.group(3), text)
        n, unit = int(m.group(4)), m.group(5)
        if n < 1:
            raise PeriodError(f"period {text!r} has a zero length")
        months = n if unit == "M" else 12 * n
        if months > MAX_PERIOD_MONTHS:
            raise PeriodError(
                f"period {text!r} lasts {_duration(months)}; lumap accepts periods of up to "
                f"{MAX_PERIOD_MONTHS // 12} years"
            )
        if unit == "M":
            if n == 1:
                label = f"{MONTHS[start.month - 1]} {start.year}"
            else:
                end = _add_months(start, n - 1)
                label = f"{MONTHS[start.month - 1]} {start.year} – {MONTHS[end.month - 1]} {end.year}"
            return Period(text, start, n, label)
        return Period(text, start, 12 * n, _span_label(start, n))
    if m := _INSTANT.match(text):
        start = _date(m.group(1), m.group(2), m.group(3), text)
        return Period(text, start, 0, str(start.year))
    if m := _YEAR.match(text):
        return Period(text, _date(m.group(1), "01", "01", text), 12, m.group(1))
    shown = text if len(text) <= 40 else text[:37] + "…"
    hint = " (it has non-ASCII digits)" if any(c.isdigit() and not c.isascii() for c in text) else ""
    raise PeriodError(f"period {shown!r} is not one of YYYY, YYYY-MM-DD or YYYY-MM-DD/PnY|PnM{hint}")


def _duration(months: int) -> str:
    return f"{months:,} months" if months % 12 else f"{months // 12:,} years"


def _date(y: str, m: str, d: str, text: str) -> dt.date:
    if not FIRST_YEAR <= int(y) <= LAST_YEAR:
        raise PeriodError(
            f"period {text!r} starts in year {int(y)}; lumap accepts {FIRST_YEAR} to {LAST_YEAR}"
        )
    try:
        return dt.date(int(y), int(m), int(d))
    except ValueError as exc:
        raise PeriodError(f"period {text!r} has an impossible date ({exc})") from None


def _add_months(d: dt.date, n: int) -> dt.date:
    month = d.month - 1 + n
    return dt.date(d.year + month // 12, month % 12 + 1, 1)


def instant_label(start: dt.date) -> str:
    """Full label for an instant, used when two instants fall in the same year."""
    return f"{start.day} {MONTHS[start.month - 1]} {start.year}"


def label_periods(raws: list[str]) -> dict[str, Period]:
    """Parse the periods of one indicator; labels are made unique within it."""
    parsed = {raw: parse_period(raw) for raw in raws}
    seen: dict[str, list[str]] = {}
    for raw, p in parsed.items():
        seen.setdefault(p.label, []).append(raw)
    for group in seen.values():
        if len(group) > 1:
            for raw in group:
                p = parsed[raw]
                new = instant_label(p.start) if p.months == 0 else f"{p.label} ({p.raw})"
                parsed[raw] = Period(p.raw, p.start, p.months, new)
    return parsed
