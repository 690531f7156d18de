"""Checks of what the app relies on, the same for every source format.

A reader (:mod:`lumap.data.readers`) turns a file into a table of text cells with the line
each row came from; :func:`observations` checks every cell and returns the typed frame the
store keeps, or problems naming the line and the reason. The text and code rules are shared
with the JSON checks (:mod:`lumap.data.jsonfile`).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

from lumap.data.limits import MAX_MAGNITUDE, MAX_NUMBER_TEXT, MAX_PROBLEMS, MAX_TEXT
from lumap.data.periods import PeriodError, parse_period
from lumap.data.problems import Collector, Problem

#: Columns of the tidy observation table, in the order the store keeps them.
COLUMNS = (
    "areacd",
    "areanm",
    "geography",
    "indicator",
    "period",
    "observation",
    "measure",
    "unit",
    "lci_95",
    "uci_95",
    "status",
    "notes",
)
TEXT_COLUMNS = ("areanm", "geography", "indicator", "measure", "unit", "status", "notes")

# Characters that must not reach a page: C0/C1 controls (NUL, escape, line breaks in a one-line
# field), the Unicode line separators and the bidirectional overrides that reorder text.
_BIDI = "\u200e\u200f\u202a-\u202e\u2066-\u2069"
_CONTROL_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{_BIDI}]")
_CONTROL_PARAGRAPH = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029{_BIDI}]")

#: Any area code: letters and digits only (GSS ``E06000001``, ITL ``TLC31``, NI ``95AA01S1``, ``na``).
CODE_SHAPE = re.compile(r"[A-Za-z0-9]{1,12}")
#: Codes lumap knows the meaning of: GSS (9 characters), ITL, NI small areas, the ``na`` placeholder.
KNOWN_CODE = re.compile(r"[EWSNKLM][0-9]{8}|TL[A-Z][0-9A-Z]{0,2}|95[A-Z0-9]{4,8}|na")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?")


def show(value: object, limit: int = 40) -> str:
    """A value quoted for a message, cut short (a 100,000-character code is not repeated)."""
    text = str(value)
    if len(text) > limit:
        return repr(text[: limit - 1] + "…") + f" ({len(text):,} characters)"
    return repr(text)


def char_name(c: str) -> str:
    name = unicodedata.name(c, "") or {
        "\x00": "NUL",
        "\t": "TAB",
        "\n": "LINE FEED",
        "\r": "CARRIAGE RETURN",
    }.get(c, "control character")
    return f"U+{ord(c):04X} {name}"


def text_problem(value: str, max_len: int, multiline: bool = False) -> str | None:
    """Why ``value`` cannot be shown as text, or None."""
    if len(value) > max_len:
        return f"is {len(value):,} characters long; at most {max_len:,} are allowed"
    bad = (_CONTROL_PARAGRAPH if multiline else _CONTROL_LINE).search(value)
    if bad:
        return f"contains a control character ({char_name(bad.group())}) at position {bad.start() + 1}"
    return None


def code_problem(code: str) -> str | None:
    """Why ``code`` is not an area code, or None."""
    if not code:
        return "is empty: every row needs an area code"
    if len(code) > MAX_TEXT["areacd"]:
        return f"is {len(code):,} characters long; area codes have at most {MAX_TEXT['areacd']}"
    if not CODE_SHAPE.fullmatch(code):
        bad = next((c for c in code if not (c.isascii() and c.isalnum())), "")
        what = char_name(bad) if bad and (not bad.isprintable() or bad.isspace()) else repr(bad)
        return (
            f"is not an area code: it contains {what}; codes are letters A-Z and digits 0-9 (e.g. E06000001)"
        )
    return None


def number(text: str) -> tuple[float | None, str | None]:
    """(value, None) or (None, why it is not a usable number)."""
    if len(text) > MAX_NUMBER_TEXT or not _NUMBER.fullmatch(text):
        if any(c.isdigit() and not c.isascii() for c in text):
            return None, "uses digits that are not ASCII 0-9 (fullwidth or another script's digits)"
        return None, "is not a number (expected e.g. 12, -3.5 or 3.60E-05, or an empty cell)"
    x = float(text)
    if not math.isfinite(x) or abs(x) > MAX_MAGNITUDE:
        return (
            None,
            f"is implausibly large (lumap accepts up to ±{MAX_MAGNITUDE:.0e}): check the units "
            "or the exponent",
        )
    return x, None


@dataclass
class Cells:
    """A reader's table after the cell rules: the text and numbers per column, and every
    row a rule rejects (``rejected``: (row position, reason), up to ``limit`` per rule)."""

    text: dict[str, pd.Series]
    numbers: dict[str, pd.Series]  # observation, lci_95, uci_95 as floats (NaN when empty or bad)
    known: set[str]  # codes lumap knows the meaning of
    rejected: list[tuple[int, str]]
    count: int  # every (row, rule) that failed, listed or not


def check_cells(raw: pd.DataFrame, default_indicator: str, limit: int | None = MAX_PROBLEMS) -> Cells:
    """The cell rules of every format (text, codes, periods, numbers, intervals) over a
    reader's text table (``COLUMNS`` as text plus ``line``). The build rejects a file with
    any failing row (:func:`observations`); an upload drops the failing rows and lists
    them all (``limit=None``)."""
    rejected: list[tuple[int, str]] = []
    counted = [0]

    def flag(mask, reason_of) -> None:
        """Record the first rows where ``mask`` holds; ``reason_of(i)`` words the problem."""
        rows = mask.to_numpy().nonzero()[0]
        counted[0] += len(rows)
        for i in rows if limit is None else rows[:limit]:
            rejected.append((int(i), reason_of(int(i))))

    text = {c: raw[c].fillna("").astype(str) for c in COLUMNS}
    if default_indicator:
        text["indicator"] = text["indicator"].mask(text["indicator"] == "", default_indicator)
    for col in TEXT_COLUMNS:
        reasons = _by_value(text[col], lambda v, col=col: text_problem(v, MAX_TEXT[col]))
        if reasons:
            flag(
                text[col].isin(reasons),
                lambda i, col=col, why=reasons: f"{col} {show(text[col].iat[i])} {why[text[col].iat[i]]}",
            )
    if (text["indicator"] == "").any():
        flag(text["indicator"] == "", lambda i: "indicator is empty")

    codes, names = text["areacd"], text["areanm"]
    code_reasons = _by_value(codes, code_problem)
    if code_reasons:
        flag(
            codes.isin(code_reasons),
            lambda i: _code_reason(codes.iat[i], names.iat[i], code_reasons[codes.iat[i]]),
        )
    known = {c for c in codes.unique() if KNOWN_CODE.fullmatch(c)}
    code_like_names = {n for n in names.unique() if KNOWN_CODE.fullmatch(n)}
    swapped = ~codes.isin(known) & ~codes.isin(code_reasons) & names.isin(code_like_names)
    if swapped.any():
        flag(swapped, lambda i: f"areacd {show(codes.iat[i])} and areanm {show(names.iat[i])} look swapped")

    periods: dict[str, object] = {}
    for p in text["period"].unique():
        try:
            periods[p] = parse_period(p)
        except PeriodError as exc:
            periods[p] = str(exc)
    bad_periods = {p: r for p, r in periods.items() if isinstance(r, str)}
    if bad_periods:
        flag(text["period"].isin(bad_periods), lambda i: bad_periods[text["period"].iat[i]])

    values = {}
    for col in ("observation", "lci_95", "uci_95"):
        parsed = {}
        reasons = {}
        for v in text[col].unique():
            if v == "":
                parsed[v] = math.nan
                continue
            x, why = number(v)
            parsed[v] = math.nan if x is None else x
            if why:
                reasons[v] = why
        if reasons:
            flag(
                text[col].isin(reasons),
                lambda i, col=col, why=reasons: f"{col} {show(text[col].iat[i])} {why[text[col].iat[i]]}",
            )
        values[col] = text[col].map(parsed).astype("float64")

    lci, uci = values["lci_95"], values["uci_95"]
    one_sided = lci.isna() != uci.isna()
    if one_sided.any():
        flag(
            one_sided,
            lambda i: "only one of lci_95 and uci_95 is given: give both limits of the interval, or neither",
        )
    reversed_ = lci > uci
    if reversed_.any():
        flag(
            reversed_,
            lambda i: f"lci_95 ({lci.iat[i]:g}) is above uci_95 ({uci.iat[i]:g}): the limits look swapped",
        )
    return Cells(text, values, known, rejected, counted[0])


def observations(
    raw: pd.DataFrame, file: str, default_indicator: str
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Check a reader's text table (``COLUMNS`` as text plus ``line``) and type it.

    Returns (frame, problems): the frame is None when any problem is an error. Warnings
    (an observation outside its own interval, codes lumap cannot place) keep the frame.
    """
    found = Collector(file, MAX_PROBLEMS)
    lines = raw["line"].to_numpy()
    cells = check_cells(raw, default_indicator)
    shown = sorted((int(lines[i]), reason) for i, reason in cells.rejected)[:MAX_PROBLEMS]
    for line, reason in shown:
        found.error(reason, line)
    found.dropped += cells.count - len(shown)
    found.dropped_errors += cells.count - len(shown)

    text, codes = cells.text, cells.text["areacd"]
    obs, lci, uci = (cells.numbers[c] for c in ("observation", "lci_95", "uci_95"))
    if not found.has_errors and len(codes):
        _code_coverage(codes, cells.known, found)
        outside = (obs < lci) | (obs > uci)
        if outside.any():
            i = int(outside.to_numpy().nonzero()[0][0])
            found.warn(
                f"{int(outside.sum())} row(s) have an observation outside their own 95% interval "
                f"(first at line {int(lines[i])}: {obs.iat[i]:g} with limits {lci.iat[i]:g} to "
                f"{uci.iat[i]:g}); kept as published",
            )
    problems = found.done()
    if found.has_errors:
        return None, problems
    frame = pd.DataFrame({c: text[c] for c in COLUMNS if c not in cells.numbers})
    frame = frame.assign(observation=obs, lci_95=lci, uci_95=uci)[list(COLUMNS)]
    frame = frame.rename(columns={"observation": "value"}).drop_duplicates()
    return frame.reset_index(drop=True), problems


def _by_value(col: pd.Series, check) -> dict[str, str]:
    """{value: reason} for the distinct values that fail ``check`` (checked once each)."""
    out = {}
    for v in col.unique():
        reason = check(v)
        if reason:
            out[v] = reason
    return out


def _code_reason(code: str, name: str, reason: str) -> str:
    hint = " (areacd and areanm look swapped)" if KNOWN_CODE.fullmatch(name) else ""
    return f"areacd {show(code)} {reason}{hint}"


def _code_coverage(codes: pd.Series, known: set[str], found: Collector) -> None:
    """No known code at all is an error (a wrong column, or made-up codes); a few unknown ones
    are a warning (they are kept, but no map or comparator can place them)."""
    unknown = sorted(set(codes.unique()) - known)
    if not known:
        found.error(
            "none of the area codes is a GSS, ITL or NI small-area code (e.g. "
            f"{show(unknown[0])}; expected codes "
            "like E06000001 or TLC31): is the areacd column right?"
        )
    elif unknown:
        listed = ", ".join(show(c) for c in unknown[:5]) + (" …" if len(unknown) > 5 else "")
        found.warn(
            f"{len(unknown)} area code(s) are not GSS, ITL or NI small-area codes and cannot be "
            f"mapped: {listed}"
        )
