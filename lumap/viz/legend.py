"""What a choropleth's legend says, worked out once for every place that draws it (the
legend beside the map, the compact one inside it on a phone, the change map).

Rules the reader can rely on:
- a class is labelled by the values of the areas in it (lowest to highest, at the
  indicator's published precision), and a class with one value shows that value once:
  never "£594 – £594"; a class no area falls in is not listed;
- a key for a missing value appears only when some area on the map has that reason, and
  says which reason it is (suppressed for the area, published only for counties, not
  published for a nation);
- which end is better is written at that end, so a lower-is-better map never leaves
  "dark = good" to be guessed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lumap.analysis.format import format_value
from lumap.analysis.polarity import Polarity
from lumap.viz.classify import NO_DATA, NOT_PUBLISHED, Classes

HATCH = "hatch:"  # a fill that starts with this is drawn hatched in that colour


@dataclass(frozen=True)
class Key:
    """One legend row: a swatch (a colour, or ``hatch:<colour>``) and its words."""

    fill: str
    label: str
    count: int | None = None  # areas in the class
    end: str | None = None  # "better" / "worse" / "highest" / "lowest" at the two ends
    note: bool = False  # not a class of values though it has a class colour (a combined area)


def class_keys(classes: Classes | None, values, meta: dict) -> list[Key]:
    """One key per class that has areas, labelled by its members' range, lowest first; the
    first and last say which end is better (or highest/lowest without a direction)."""
    if classes is None:
        return []
    v = np.asarray([x for x in values if x is not None and np.isfinite(x)], dtype=float)
    colours = np.asarray([classes.colour(x) for x in v]) if v.size else np.asarray([])
    spans = []
    for _lo, _hi, colour in classes.ranges():
        members = v[colours == colour] if v.size else v
        if members.size:
            spans.append((colour, float(members.min()), float(members.max()), int(members.size)))
    keys = [Key(colour, _span(lo, hi, _precise(meta, spans)), n) for colour, lo, hi, n in spans]
    if keys:
        low, high = _end_words(meta)
        keys[0] = Key(keys[0].fill, keys[0].label, keys[0].count, low)
        if len(keys) > 1:
            keys[-1] = Key(keys[-1].fill, keys[-1].label, keys[-1].count, high)
    return keys


def _span(lo: float, hi: float, meta: dict) -> str:
    a, b = format_value(lo, meta, False), format_value(hi, meta, False)
    return a if a == b else f"{a} – {b}"


def _precise(meta: dict, spans: list[tuple]) -> dict:
    """``meta`` with as many more decimals (up to two) as it takes for neighbouring classes
    not to print the same number (one ending "£591", the next starting "£591")."""
    base = int(meta.get("decimals") or 0)
    for extra in range(3):
        m = {**meta, "decimals": base + extra}
        edges = [
            (format_value(a[2], m, False), format_value(b[1], m, False))
            for a, b in zip(spans, spans[1:], strict=False)
        ]
        if all(x != y for x, y in edges):
            return m
    return {**meta, "decimals": base + 2}


def _end_words(meta: dict) -> tuple[str, str]:
    """(what the lowest class is, what the highest is)."""
    p = Polarity.of(meta.get("polarity"))
    if p is Polarity.LOWER_IS_BETTER:
        return "better", "worse"
    if p is Polarity.HIGHER_IS_BETTER:
        return "worse", "better"
    return "lowest", "highest"


def direction_text(meta: dict) -> str:
    """One line above the classes: which colour means what."""
    p = Polarity.of(meta.get("polarity"))
    if p is Polarity.LOWER_IS_BETTER:
        return "Darker = higher. Lower is better: the lightest areas do best."
    if p is Polarity.HIGHER_IS_BETTER:
        return "Darker = higher. Higher is better: the darkest areas do best."
    return "Darker = higher (neither end is better)."


def combined_keys(members: dict, classes: Classes | None) -> list[Key]:
    """A row per combined reporting area drawn on its members (``members``: {member code: the
    combined area's row}, :func:`lumap.analysis.combined.combined_areas`): its class colour,
    that the figure is one for the members together, and how many areas show it."""
    from lumap.analysis.combined import combined_note

    by_area: dict[str, tuple[object, int]] = {}
    for row in members.values():
        first, n = by_area.get(row.areacd, (row, 0))
        by_area[row.areacd] = (first, n + 1)
    return [
        Key(classes.colour(r.value) if classes else NO_DATA, combined_note(r.areacd, r.areanm), n, note=True)
        for r, n in by_area.values()
    ]


def missing_keys(kinds: dict[str, int], not_published: list[str], level_words: str) -> list[Key]:
    """Keys for the reasons some areas have no value, only those on this map.

    ``kinds`` counts areas per :mod:`lumap.queries.missing` kind; ``not_published`` names
    the nations not published; ``level_words`` the level's areas ("districts")."""
    from lumap.analysis import missing as m

    keys = []
    if kinds.get(m.ANCESTOR):
        words = f"Hatched: the county's value (not published for {level_words})"
        keys.append(Key(f"{HATCH}{NO_DATA}", words, kinds[m.ANCESTOR]))
    gaps = kinds.get(m.SUPPRESSED, 0) + kinds.get(m.ABSENT, 0) + kinds.get(m.CHILDREN, 0)
    if gaps:
        keys.append(Key(NO_DATA, "No value for this area (suppressed or unavailable)", gaps))
    if kinds.get(m.NATION):
        names = " or ".join(not_published) if not_published else "this nation"
        keys.append(Key(NOT_PUBLISHED, f"Not published for {names}", kinds[m.NATION]))
    return keys


def map_keys(
    classes: Classes | None, values, meta: dict, missing: dict, level: str, members: dict | None = None
) -> list[Key]:
    """The map's legend rows, for every place that draws it (the legend beside the live
    map, the picture of "Download map" and of a slide): the classes that have areas, the
    combined reporting areas drawn on their members (``members``, see :func:`combined_keys`),
    then the reasons for missing values that occur on this map (``missing``: {areacd:
    Missing} of :mod:`lumap.analysis.missing`)."""
    from lumap.analysis import missing as m

    words = m.AREA_WORDS.get(level, ("area", "areas"))[1]
    return (
        class_keys(classes, values, meta)
        + combined_keys(members or {}, classes)
        + missing_keys(m.summary(missing), m.unpublished_nations(missing), words)
    )


def key_text(key: Key) -> str:
    """A key's words as one line, with which end it is ("£700 – £843 (better)")."""
    return f"{key.label} ({key.end})" if key.end else key.label


def component_legend(title: str, unit: str, direction: str, keys: list[Key]) -> dict:
    """The compact legend drawn inside the map on a narrow screen: the classes as one strip
    of swatches with the lowest and highest values (and which is better) at its ends, then
    the keys for missing values. Plain text (the component sets it with ``textContent``)."""
    classes = _class_run(keys)
    others = keys[len(classes) :]
    low = high = ""
    if classes:
        low = classes[0].label.split(" – ")[0] + (f" ({classes[0].end})" if classes[0].end else "")
        high = classes[-1].label.split(" – ")[-1] + (f" ({classes[-1].end})" if classes[-1].end else "")
    return {
        "title": title + (f" ({unit})" if unit else ""),
        "direction": direction,
        "strip": [k.fill for k in classes],
        "low": low,
        "high": high,
        "keys": [[k.fill, k.label] for k in others],
    }


def _class_run(keys: list[Key]) -> list[Key]:
    """The leading keys that are classes (a colour of the palette, with a count)."""
    out = []
    for k in keys:
        if k.count is None or k.note or k.fill.startswith(HATCH) or k.fill in (NO_DATA, NOT_PUBLISHED):
            break
        out.append(k)
    return out
