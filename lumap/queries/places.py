"""Finding a place on a map: every area of the level by name or code, and a postcode's
area at the level shown (from the build's postcode lookup, :mod:`lumap.data.postcodes`)."""

from __future__ import annotations

from dataclasses import dataclass

from lumap.data import levels as lv
from lumap.data import postcodes
from lumap.data.store import Store


def area_options(collection: dict) -> dict[str, str]:
    """{code: "Name (CODE)"} of the areas a map draws, by name: what the finder lists."""
    pairs = {f["properties"]["areacd"]: f["properties"].get("areanm") or "" for f in collection["features"]}
    ordered = sorted(pairs.items(), key=lambda kv: (kv[1].lower(), kv[0]))
    return {code: f"{name} ({code})" if name else code for code, name in ordered}


def match_text(text: str, options: dict[str, str]) -> str | None:
    """The area a typed text means (the finder's free text, e.g. Enter on "Liverpo"): a
    code or a name in full (any case), else the first name that starts with it, else the
    only name that contains it; None when none or several do."""
    low = text.strip().lower()
    if not low:
        return None
    names = {code: label.rsplit(" (", 1)[0].lower() for code, label in options.items()}
    for code, name in names.items():
        if low in (code.lower(), name):
            return code
    starts = [code for code, name in names.items() if name.startswith(low)]
    if starts:
        return starts[0]
    contains = [code for code, name in names.items() if low in name]
    return contains[0] if len(contains) == 1 else None


@dataclass(frozen=True)
class PostcodeAnswer:
    """What a postcode search found: the area to select (or None) and a sentence to show."""

    area: str | None
    message: str


def has_postcodes(store: Store) -> bool:
    return postcodes.lookup_file(store.build.areas) is not None


def area_at_level(
    la: str, county: str | None, level: str, geo: dict, drawn: set[str], successors: dict
) -> str | None:
    """The area of ``level`` a local authority district lies in, among the ``drawn`` codes."""
    # an older directory may name a district by a code since replaced (Barnsley E08000016)
    candidates = [la, *(successors.get(la) or [])]
    la = next((c for c in candidates if c in drawn), next((c for c in candidates if c in geo), la))
    if level == "ltla":
        return la if la in drawn else None
    parents = list((geo.get(la) or {}).get("parents") or [])
    if county:
        parents.insert(0, county)
    if level == "utla":
        for code in [*parents, la]:
            if lv.in_level(code, "utla") and code in drawn:
                return code
        return None
    if level == "cauth":
        return next((c for c, g in geo.items() if c in drawn and la in (g.get("children") or [])), None)
    for code in [*parents, lv.country_of(la) or ""]:
        if lv.in_level(code, level) and code in drawn:
            return code
    return None


def find_postcode(store: Store, text: str, level: str, drawn: dict[str, str]) -> PostcodeAnswer:
    """The area of ``level`` (one of ``drawn``: {code: label}) that a postcode is in."""
    path = postcodes.lookup_file(store.build.areas)
    if path is None:
        return PostcodeAnswer(
            None,
            "Postcode search is not available: this build has no postcode lookup "
            "(build the store with --postcodes and the ONS postcode directory).",
        )
    key = postcodes.normalise(text)
    if key is None:
        shown = str(text).strip()[:20]
        return PostcodeAnswer(None, f"“{shown}” is not a UK postcode (for example SW1A 1AA).")
    found = postcodes.find(path, key)
    if found is None:
        return PostcodeAnswer(None, f"{postcodes.written(key)} is not in the postcode directory.")
    area = area_at_level(found.la, found.county, level, store.geo, set(drawn), store.successors)
    la_name = store.area_name(found.la)
    old = " (a terminated postcode)" if found.terminated else ""
    if area is None:
        what = lv.LEVELS[level]["short"]
        return PostcodeAnswer(
            None, f"{found.postcode}{old} is in {la_name}, not in one of the {what} on this map."
        )
    return PostcodeAnswer(area, f"{found.postcode}{old} is in {drawn[area]}.")
