"""Sentences a journalist can quote, built from numbers already computed elsewhere.

Plain text: nothing is escaped here (callers escape for HTML), and a missing number
never appears as "nan" — the clause that needs it is left out instead.

Style choices:

- Possessive: names ending in "s" take only an apostrophe ("Wales'", "St Helens'");
  others take "'s" ("Blackpool's", "the UK's").
- "United Kingdom" reads "the UK"; English regions named after compass points take
  "the" ("the North West"); ONS inverted names are turned round ("Bristol, City of" →
  "City of Bristol").
- The indicator label is lower-cased inside the sentence, except words that are not
  plain capitalised words (all-caps or mixed case: "UK", "GCSEs", "4G") and proper nouns
  (England, English, Wales, ..., and "Year" as in "Year 6").
- Rank 1 is the highest value, and the sentence says so: "the highest of", "12th
  highest of", "the lowest of".
"""

from __future__ import annotations

import re

from lumap.analysis.counts import is_count, share, share_text
from lumap.analysis.format import format_difference, format_number, format_value, is_missing
from lumap.analysis.ranks import rank_phrase  # noqa: F401  (re-exported: the words of a rank in a sentence)
from lumap.analysis.significance import compare

KEEP_CASE = {
    "England",
    "English",
    "Wales",
    "Welsh",
    "Scotland",
    "Scottish",
    "Northern",
    "Ireland",
    "Irish",
    "Great",
    "Britain",
    "British",
    "London",
    "Year",
}
REGIONS_WITH_THE = {
    "North East",
    "North West",
    "East Midlands",
    "West Midlands",
    "East of England",
    "East",
    "South East",
    "South West",
}
_WORD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z'’]*")
_INVERTED = re.compile(r"^(.*), (City of|County of)$")


def label_in_sentence(label: str) -> str:
    """'Female healthy life expectancy' -> 'female healthy life expectancy';
    'GCSEs in English and Maths' -> 'GCSEs in English and maths'."""

    def fix(m: re.Match) -> str:
        word = m.group(0)
        if word in KEEP_CASE or len(word) == 1 or not (word[0].isupper() and word[1:] == word[1:].lower()):
            return word  # proper nouns, acronyms ("UK", "4G"), initials ("R&D")
        return word.lower()

    return _WORD.sub(fix, str(label))


def place_name(name: str) -> str:
    """A place name as it reads mid-sentence: 'the UK', 'the North West', 'City of Bristol'."""
    name = str(name).strip()
    if name in ("United Kingdom", "UK"):
        return "the UK"
    if name in REGIONS_WITH_THE:
        return "the " + name
    m = _INVERTED.match(name)
    if m:
        return f"{m.group(2)} {m.group(1)}"
    return name


def possessive(name: str) -> str:
    """'Blackpool' -> "Blackpool's"; 'Wales' -> "Wales'"."""
    return name + ("'" if name.endswith("s") else "'s")


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _reference(meta: dict, comparator_name, comparator_value) -> str:
    """ "the UK's 60.9 years" / "the average of 5 similar areas (60.9 years)": the comparator
    with its value and unit (a bare "England's 9.9" does not say 9.9 of what)."""
    cval = format_value(comparator_value, meta)
    cname = str(comparator_name)
    if cname.startswith("average"):
        return f"the {cname} ({cval})"
    return f"{possessive(place_name(cname))} {cval}"


def _share_clause(meta: dict, value, comparator_name, comparator_value) -> str:
    """A count against a total: '0.15% of the UK's 2,859,535 enterprises' ('' when the
    comparator is not a total the area is part of, e.g. an average of similar areas)."""
    if str(comparator_name).startswith("average"):
        return ""
    pct = share(value, comparator_value)
    if pct is None:
        return ""
    return f"{share_text(pct)} of {_reference(meta, comparator_name, comparator_value)}"


def _comparison_clause(meta: dict, value, lci, uci, comparator_name, comparator_value) -> str:
    """'9.1 years below the UK's 60.9 years — significantly lower'."""
    ref = _reference(meta, comparator_name, comparator_value)
    result = compare(value, lci, uci, comparator_value, meta.get("polarity"))
    diff = float(value) - float(comparator_value)
    if format_number(abs(diff), meta.get("decimals")) == format_number(0, meta.get("decimals")):
        clause = f"the same as {ref} to the published precision"
        if result["significant"]:
            clause += f", though {result['word']}"
        return clause
    where = "above" if diff > 0 else "below"
    return f"{format_difference(diff, meta)} {where} {ref} — {result['word']}"


def area_sentence(
    area_name,
    meta: dict,
    period_label=None,
    value=None,
    lci=None,
    uci=None,
    comparator_name=None,
    comparator_value=None,
    rank=None,
    n=None,
    level_short=None,
    tied=0,
) -> str:
    """One sentence on an area's value, its comparator and its rank, e.g.

    "Blackpool's female healthy life expectancy (2022-24) is 51.8 years, 9.1 years below
    the UK's 60.9 — significantly lower; 192nd highest of the 195 upper-tier areas with data."

    Any clause whose numbers are missing is left out. With a known polarity the
    comparison says "better"/"worse"; with none, "higher"/"lower". A count (``standardised``
    false, :mod:`lumap.analysis.counts`) is never compared: the sentence gives its share of
    the comparator's total instead ("4,395 enterprises, 0.15% of the UK's 2,859,535 enterprises").
    """
    area = place_name(area_name)
    label = label_in_sentence(meta.get("label") or "value")
    when = "" if is_missing(period_label) else f" ({period_label})"
    if is_missing(value):
        return _capitalise(f"{area} has no published figure for {label}{when}.")
    text = f"{possessive(area)} {label}{when} is {format_value(value, meta)}"
    if comparator_name and not is_missing(comparator_value):
        if is_count(meta):  # a total: its share of the comparator's, never a difference
            clause = _share_clause(meta, value, comparator_name, comparator_value)
        else:
            clause = _comparison_clause(meta, value, lci, uci, comparator_name, comparator_value)
        if clause:
            text += ", " + clause
    if not is_missing(rank) and not is_missing(n) and int(n) > 0:
        text += "; " + rank_phrase(rank, n, level_short, tied, format_value(value, meta))
    return _capitalise(text + ".")


def _in(label) -> str:
    """' in 2019', or '' when the label is missing."""
    if is_missing(label):
        return ""
    return f" in {label}"


def _signed(text: str, positive: bool) -> str:
    return ("+" if positive else "-") + text


def change_sentence(area_name, meta: dict, change: dict | None) -> str:
    """'Up from £512 in 2019 to £642 in 2025 (+£130, +25.4%).'

    The relative change is left out for indicators measured in % (the absolute change is
    already in percentage points, and two percentages side by side confuse) and when it
    is undefined (earlier value 0 or negative) or rounds to 0.0%.
    """
    if not change or is_missing(change.get("from_value")) or is_missing(change.get("to_value")):
        return f"There is no earlier figure to compare with for {place_name(area_name)}."
    a, b = float(change["from_value"]), float(change["to_value"])
    fa, fb = format_value(a, meta), format_value(b, meta)
    la, lb = _in(change.get("from_period_label")), _in(change.get("to_period_label"))
    diff = b - a
    if diff == 0 or fa == fb:  # equal as published: never "Down from 10.7% to 10.7%"
        both = f" in {change['from_period_label']} and {change['to_period_label']}" if la and lb else ""
        return f"Unchanged at {fb}{both}."
    if format_number(abs(diff), meta.get("decimals")) == format_number(0, meta.get("decimals")):
        return f"Little changed: {fa}{la} and {fb}{lb}."
    parts = [_signed(format_difference(diff, meta), diff > 0)]
    pct = change.get("percent")
    if (
        (meta.get("suffix") or "") != "%"
        and pct is not None
        and not is_missing(pct)
        and format_number(abs(pct), 1) != "0.0"
    ):
        parts.append(_signed(format_number(abs(pct), 1) + "%", pct > 0))
    word = "Up" if diff > 0 else "Down"
    return f"{word} from {fa}{la} to {fb}{lb} ({', '.join(parts)})."
