"""The areas a store knows, for checking someone else's file: is a code one lumap can
draw, was it valid in the period it is given for, and which code does an area name mean.

Built from the store's geography metadata and its boundaries (every level, every vintage):
a code's first and last year come from whichever has them. Only codes of a charted level
(:data:`lumap.data.levels.LEVELS`) count: a ward or an ITL region cannot be mapped.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from lumap.data import levels as lv
from lumap.data.areas import AREA_TYPES

#: What other GSS prefixes are, for the message that says why lumap cannot use them.
OTHER_TYPES = {
    "E01": "an LSOA",
    "E02": "an MSOA",
    "E04": "a parish",
    "E05": "a ward",
    "E11": "a metropolitan county",
    "E13": "Inner or Outer London",
    "E14": "a parliamentary constituency",
    "E23": "a police force area",
    "E61": "the Greater London Authority",
    "K02": "the United Kingdom",
    "K03": "Great Britain",
    "K04": "England and Wales",
    "W05": "a Welsh ward",
    "W15": "a Welsh police force area",
    "S13": "a Scottish ward",
}
DRAWN = "local authorities, counties, combined authorities, regions and countries"


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    start: int | None  # first year the code is valid (None: always was)
    end: int | None  # last year (None: still valid)

    @property
    def levels(self) -> list[str]:
        return lv.levels_of(self.code)

    def valid_in(self, year: int) -> bool:
        return (self.start is None or self.start <= year) and (self.end is None or year <= self.end)

    def label(self) -> str:
        return f"{self.code} ({self.name})"


def name_key(name: str) -> str:
    """An area name as compared: accents, case, punctuation and "&" ignored, and ONS's
    ``"Bristol, City of"`` equal to ``"City of Bristol"``."""
    t = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().lower()
    t = re.sub(r"[^a-z0-9]+", " ", t.replace("&", " and ")).strip()
    if t.endswith(" city of"):
        t = "city of " + t[: -len(" city of")]
    return t


class Gazetteer:
    """Codes and names of a store's areas (see the module's docstring)."""

    def __init__(self, geo: dict, boundaries: dict[str, dict], successors: dict[str, list[str]]):
        found: dict[str, dict] = {}
        for level in lv.LEVEL_ORDER:
            for f in (boundaries.get(level) or {}).get("features", []):
                _merge(found, f.get("properties") or {})
        for code, g in geo.items():
            _merge(found, {**g, "areacd": code})
        self.places = {
            c: Place(c, str(p.get("areanm") or c), p.get("start"), p.get("end"))
            for c, p in found.items()
            if lv.levels_of(c)
        }
        self.successors = {k: list(v) for k, v in successors.items()}
        self.predecessors: dict[str, list[str]] = {}
        for old, new in self.successors.items():
            for code in new:
                self.predecessors.setdefault(code, []).append(old)
        self.by_name: dict[str, list[Place]] = {}
        for p in self.places.values():
            self.by_name.setdefault(name_key(p.name), []).append(p)

    @classmethod
    def of(cls, store) -> Gazetteer:
        levels = {lvl: store.boundaries(lv.LEVELS[lvl]["topo"]) for lvl in lv.LEVEL_ORDER}
        return cls(store.geo, levels, store.successors)

    def get(self, code: str) -> Place | None:
        return self.places.get(code)

    def name(self, code: str) -> str:
        p = self.places.get(code)
        return p.name if p else code

    def unknown(self, code: str) -> str:
        """Why a code is not one lumap can draw."""
        prefix = code[:3]
        if lv.levels_of(code):
            kind = AREA_TYPES.get(prefix, "area")
            return f"area code {code} is not a {kind} code lumap knows (it is in none of the boundary sets)"
        if prefix in OTHER_TYPES:
            return f"area code {code} is {OTHER_TYPES[prefix]}: lumap maps {DRAWN}"
        if re.fullmatch(r"TL[A-Z][0-9A-Z]{0,2}", code):
            return f"area code {code} is an ITL region: lumap maps {DRAWN}"
        return f"area code {code} is not a GSS code lumap knows (expected e.g. E06000001)"

    def out_of_date(self, code: str, year: int) -> str | None:
        """Why a code cannot stand for an area in ``year``: it was replaced before then
        (named with its successors). A code used before it began is accepted: back series
        on new boundaries are common."""
        p = self.places.get(code)
        if p is None or p.end is None or year <= p.end:
            return None
        new = [self.places[c] for c in self.successors.get(code, []) if c in self.places]
        if not new:
            return f"area code {p.label()} ended in {p.end}; {year} is after that"
        return (
            f"area code {p.label()} is from an older boundary set (it ended in {p.end}); from "
            f"{min(n.start or p.end + 1 for n in new)} it was replaced by "
            f"{_and(n.label() for n in new)}: give {year} under "
            f"{'that code' if len(new) == 1 else 'those codes'}"
        )

    def twin(self, code: str, year: int, present: set[str]) -> str | None:
        """Why a code must not be used beside a code it replaced, or that replaced it, in
        the same period (the same ground twice); None when it may. Of such a pair the code
        valid in ``year`` is kept (the newer one when both are)."""
        p = self.places.get(code)
        if p is None:
            return None
        for other_code in self.successors.get(code, []) + self.predecessors.get(code, []):
            other = self.places.get(other_code)
            if other is None or other_code not in present:
                continue
            newer = other_code in self.successors.get(code, [])
            keep_other = other.valid_in(year) and (not p.valid_in(year) or newer)
            if keep_other:
                relation = "its successor" if newer else "the code it replaced"
                return (
                    f"area code {p.label()} and {relation} {other.label()} both have a value for "
                    f"{year}: the same ground would count twice. The row for {other.code} is kept "
                    f"({other.code} is the code of {year}'s boundaries)"
                )
        return None

    def match(self, name: str, year: int | None, level: str | None = None) -> tuple[Place | None, str | None]:
        """(place, None) for a name that means one area of a charted level in ``year``, else
        (None, why: unmatched, with the closest names, or ambiguous, with the codes).
        ``level`` settles a name two levels share (the North East region and combined
        authority)."""
        key = name_key(name)
        found = self.by_name.get(key, [])
        if year is not None:
            found = [p for p in found if p.valid_in(year)] or found
        found = list({p.code: p for p in found}.values())
        if len(found) > 1 and level:
            at = [p for p in found if level in p.levels]
            found = at or found
        if len(found) == 1:
            return found[0], None
        if found:
            return None, (
                f"area name {name!r} is ambiguous: it could be {_or(p.label() for p in found)}; "
                "give the area code instead"
            )
        close = [k for k in self.by_name if key and f" {key} " in f" {k} "][:3]
        close = close or difflib.get_close_matches(key, list(self.by_name), n=3, cutoff=0.8)
        hint = ""
        if close:
            names = [self.by_name[c][0] for c in close]
            hint = f" Did you mean {_or(f'{p.name} ({p.code})' for p in names)}?"
        return None, f"area name {name!r} matches no area lumap knows; give the area code instead.{hint}"


def dominant_level(codes) -> str | None:
    """The level most of these codes belong to (a unitary authority counts as lower tier)."""
    counts = Counter(lv.levels_of(c)[0] for c in codes if lv.levels_of(c))
    return counts.most_common(1)[0][0] if counts else None


def _merge(found: dict[str, dict], props: dict) -> None:
    code = str(props.get("areacd") or "")
    if not code:
        return
    rec = found.setdefault(code, {})
    for k in ("areanm", "start", "end"):
        if rec.get(k) is None and props.get(k) is not None:
            rec[k] = props[k]


def _and(items) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _or(items) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]
