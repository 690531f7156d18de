"""Formatting numbers for people: values with units, differences, ordinals.

Values are rounded only here, for display, with the indicator's published number of
decimal places; the store always keeps the source's exact number.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

PREFIXES = {"GBPSign": "£", "GBP": "£", "£": "£", "USDSign": "$", "EURSign": "€"}


def is_missing(value) -> bool:
    """The one test for "no value": None, NaN (float or numpy), pandas NA and NaT, and a
    blank string (an empty status or label). Anything else, 0 included, is a value.

    The store keeps missing text as "" and missing numbers as NaN; frames merged with
    ``how="left"`` add NaN (or NA) to text columns too. It never holds the string "nan".
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (float, np.floating)):
        return bool(np.isnan(value))
    return False


def round_half_up(value: float, decimals: int) -> Decimal:
    """Round like a person (2.5 -> 3), not like IEEE banker's rounding.

    Goes through ``repr`` so that a float such as 0.15 (stored as 0.1499999…) rounds
    the way its source text reads.
    """
    q = Decimal(1).scaleb(-decimals) if decimals > 0 else Decimal(1)
    return Decimal(repr(float(value))).quantize(q, rounding=ROUND_HALF_UP)


def format_number(value, decimals: int | None = 1, thousands: bool = True) -> str:
    """``1234.567`` -> ``"1,234.6"``; missing -> ``"–"``."""
    if is_missing(value):
        return "–"
    decimals = 1 if decimals is None else int(decimals)
    d = round_half_up(value, decimals)
    if d == 0:
        d = abs(d)  # no "-0.0"
    return f"{d:,.{decimals}f}" if thousands else f"{d:.{decimals}f}"


_MILLIONS = re.compile(r"^in\s*(?P<cur>[£$€])?\s*millions?(?:\s*,\s*(?P<rest>.+))?$", re.IGNORECASE)
_NUMBER_OF = re.compile(r"^(?:the\s+)?number of\s+(?P<what>.+)$", re.IGNORECASE)
#: Published unit words that do not read as a unit after a number, and what lumap says.
UNIT_WORDS = {
    "affordability ratio": "times earnings",  # median house price / median annual earnings
    "score out of 10": "out of 10",
    "annual average daily flow": "vehicles a day per mile of road (annual average)",
}
#: Unit words a *difference* takes instead ("0.2 points below the UK's 7.4 out of 10").
DIFFERENCE_WORDS = {"out of 10": "points", "times earnings": ""}


def unit_parts(meta: dict) -> tuple[str, str, str]:
    """(prefix, suffix, trailing words) from indicator metadata, so that a value reads as
    a person would write it: the source's "in £ millions" becomes "£738 million" (the
    magnitude is part of the suffix, shown even in a table cell; "2024 prices" trails in
    brackets), "number of enterprises" becomes "4,395 enterprises", and the few unit
    phrases of :data:`UNIT_WORDS` their plain words."""
    prefix = PREFIXES.get(meta.get("prefix") or "", meta.get("prefix") or "")
    suffix = meta.get("suffix") or ""
    subtext = (meta.get("subtext") or "").strip()
    m = _MILLIONS.match(subtext)
    if m:
        prefix = prefix or PREFIXES.get(m.group("cur") or "", "")
        suffix = " million" + suffix
        subtext = f"({m.group('rest').strip()})" if m.group("rest") else ""
        return prefix, suffix, subtext
    m = _NUMBER_OF.match(subtext)
    if m:
        return prefix, suffix, m.group("what").strip()
    return prefix, suffix, UNIT_WORDS.get(subtext.lower(), subtext)


def unit_label(meta: dict) -> str:
    """The unit on its own, for an axis or a legend: "£ million (2024 prices)", "%",
    "enterprises", "years" ("" when there is none)."""
    prefix, suffix, subtext = unit_parts(meta)
    if suffix.strip() == "million":
        return " ".join(x for x in (f"{prefix} million".strip(), subtext) if x)
    if subtext:
        return subtext
    return suffix.strip() or prefix


def format_value(value, meta: dict, with_subtext: bool = True) -> str:
    """A value as the indicator publishes it: ``£642``, ``74.2%``, ``51.8 years``."""
    if is_missing(value):
        return "no data"
    prefix, suffix, subtext = unit_parts(meta)
    text = format_number(value, meta.get("decimals"))
    if text.startswith("-") and prefix:
        text = "-" + prefix + text[1:]
    else:
        text = prefix + text
    text += suffix
    if with_subtext and subtext:
        text += " " + subtext
    return text


def format_difference(diff, meta: dict) -> str:
    """Absolute size of a difference with the indicator's unit (sign left to the words)."""
    if is_missing(diff):
        return "–"
    prefix, suffix, subtext = unit_parts(meta)
    text = prefix + format_number(abs(diff), meta.get("decimals")) + suffix
    subtext = DIFFERENCE_WORDS.get(subtext, subtext)
    if suffix == "%":
        text = format_number(abs(diff), meta.get("decimals")) + " percentage points"
    elif subtext:
        text += " " + subtext
    return text


def ordinal(n: int) -> str:
    """1 -> '1st', 12 -> '12th', 22 -> '22nd'."""
    n = int(n)
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"
