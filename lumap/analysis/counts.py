"""Counts and totals: indicators that are not comparable across areas of different size.

The ELS metadata marks such indicators ``standardised: F`` (active businesses, business
R&D spending in £ millions, the value of natural capital, exports, guest nights): the
figure is a total for the area, so a large area has more of it whatever its performance.
For them lumap shows no difference from the UK, country or region, no better/worse and no
significance test; it says plainly that the figure is a count, gives the area's share of
the comparator's total where that means something, and points to a standardised indicator
of the same dataset (a rate) where there is one. The one test is :func:`is_count`.
"""

from __future__ import annotations

from lumap.analysis.format import format_number, is_missing

#: What a page says about a count, after its name.
COUNT_WORDS = "a count (a total for the area), not a rate"
#: The comparison cell of a count in a table.
NOT_COMPARED = "not compared: a count"


def is_count(meta: dict) -> bool:
    """True for an indicator the source marks as not standardised (a count or total)."""
    return meta.get("standardised") is False


def share(value, total) -> float | None:
    """The area's share of a comparator's total, in per cent; None when it is not a part of
    it (a missing or non-positive number, or larger than the total)."""
    if is_missing(value) or is_missing(total):
        return None
    v, t = float(value), float(total)
    if v < 0 or t <= 0 or v > t:
        return None
    return v / t * 100


def share_text(pct: float) -> str:
    """'0.15%' / '4.2%' / '31%': two significant figures, at least one whole number."""
    if pct >= 10:
        return f"{format_number(pct, 0)}%"
    if pct >= 1:
        return f"{format_number(pct, 1)}%"
    return f"{float(f'{pct:.2g}'):g}%"


def rate_siblings(catalogue: dict[str, dict], indicator: str) -> list[str]:
    """Standardised indicators of the same dataset (rates beside a count), by label; [] for
    an indicator that is not a count or has none."""
    meta = catalogue.get(indicator) or {}
    if not is_count(meta):
        return []
    out = [
        s
        for s, m in catalogue.items()
        if s != indicator
        and m.get("dataset") == meta.get("dataset")
        and m.get("standardised") is True
        and m.get("levels")
    ]
    return sorted(out, key=lambda s: str(catalogue[s].get("label", s)))


def count_note(catalogue: dict[str, dict], indicator: str) -> str | None:
    """The sentence a page shows beside a count (plain text), or None for a rate."""
    meta = catalogue.get(indicator) or {}
    if not is_count(meta):
        return None
    text = (
        f"{meta.get('label', indicator)} is {COUNT_WORDS}: it grows with the size of the area, so it is "
        "not compared with the UK, country or region, nor called better or worse."
    )
    rates = rate_siblings(catalogue, indicator)
    if rates:
        names = [str(catalogue[s].get("label", s)) for s in rates]
        text += " Rates from the same source: " + ", ".join(names) + "."
    return text
