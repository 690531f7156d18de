"""Which code changes keep the same place: the one rule behind continuous series.

GSS codes change for two very different reasons. Some changes re-code a place whose
boundary barely moved (Barnsley ``E08000016`` -> ``E08000038`` and Sheffield ``E08000019`` ->
``E08000039`` in 2025, the 2018-19 Scottish re-codes, the 2013 Hertfordshire and
Northumberland/Gateshead re-codes); others make a new area out of several old ones (the
2019-2023 reorganisations: Allerdale, Carlisle and Copeland -> Cumberland; Cumbria ->
Cumberland and Westmorland and Furness). A reader wants the first kind as *one* area with one
series, and the second kept apart, with a note.

**The rule** (:func:`continuations`). An old code continues as a new code when

1. the replacement is one-to-one: the old code has exactly one successor and the new code
   exactly one predecessor (over every level: a unitary authority made from a county *and*
   its districts has several, so Buckinghamshire, North Yorkshire and Somerset (E06) are new
   authorities even where their outline equals the old county's), and
2. the boundary is nearly the same: the area the two share is at least
   :data:`SAME_PLACE_SHARE` (95 %) of the old area *and* of the new one (the shares are
   measured at build time on the source boundaries, :func:`lumap.data.boundaries.successor_overlaps`).

   Where the source has no boundary for one of them (six codes replaced in 2012-2013 appear
   only in the data, with a note "replaced by E06000057 Northumberland"), condition 2 is
   read from the names instead: the note's one-to-one replacement keeps the name. Such a
   continuation is marked ``basis="name"``.

Why 95 %: on the ONS boundaries every re-code shares 100 % both ways (Dorset county -> Dorset
unitary, 98 % / 100 %, is excluded by condition 1), while in every merger or split the new
area's largest predecessor covers at most 71 % of it (Suffolk Coastal in East Suffolk) and
a county's largest successor at most 58 % of the county. A threshold anywhere in that gap
gives the same answer; 95 % leaves room for the small adjustments that re-codes usually
carry, and is far from the mergers. Area is a proxy for population: a boundary change of a
few per cent of area can move more people in a town, which is why the rule is so strict.

:func:`fold` applies the rule to a frame: rows published under an old code are shown under
the code that continues it (``areacd``), with the code the source used kept in
``source_areacd``. No Streamlit here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from lumap.data.vintages import OVERLAPS_FILE

SAME_PLACE_SHARE = 0.95
SOURCE_CODE = "source_areacd"  # the code a row was published under, where it was folded


@dataclass(frozen=True)
class Continuation:
    """``old`` is the same place as ``new`` under an earlier code."""

    old: str
    new: str
    old_share: float | None  # share of the old area inside the new one (None: no boundary)
    new_share: float | None  # share of the new area inside the old one
    basis: str  # "boundary" (measured shares) or "name" (one-to-one, same name, no boundary)

    def words(self) -> str:
        """'boundary unchanged' / 'boundary 97% the same' / 'same name; no old boundary published'."""
        if self.basis == "name":
            return "same name; the source publishes no boundary for the old code"
        low = min(self.old_share or 0.0, self.new_share or 0.0)
        if low >= 0.9995:
            return "boundary unchanged"
        return f"boundary {low:.0%} the same"


def published_as(name: str, source: str, cont: Continuation | None) -> str:
    """'Published under Sheffield's previous code E08000019 (boundary unchanged).'"""
    how = f" ({cont.words()})" if cont else ""
    return f"Published under {name}'s previous code {source}{how}."


def load_overlaps(folder: Path) -> dict[str, dict[str, list[float]]]:
    """``{old: {new: [share of old, share of new]}}`` as the build wrote it ({} when absent)."""
    p = Path(folder) / OVERLAPS_FILE
    return json.loads(p.read_text()) if p.exists() else {}


def predecessors_map(successors: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """new code -> the codes it replaced."""
    back: dict[str, list[str]] = {}
    for old, news in successors.items():
        for new in news:
            if new != old:
                back.setdefault(new, []).append(old)
    return back


def continuations(
    successors: Mapping[str, Sequence[str]],
    overlaps: Mapping[str, Mapping[str, Sequence[float]]],
    name_of: Callable[[str], str],
) -> dict[str, Continuation]:
    """old code -> its :class:`Continuation`, for the code changes that keep the place (the
    rule in the module docstring)."""
    back = predecessors_map(successors)
    out: dict[str, Continuation] = {}
    for old, news in successors.items():
        news = [n for n in news if n != old]
        if len(news) != 1 or back.get(news[0]) != [old]:
            continue
        new = news[0]
        shares = (overlaps.get(old) or {}).get(new)
        if shares is not None:
            a, b = float(shares[0]), float(shares[1])
            if a >= SAME_PLACE_SHARE and b >= SAME_PLACE_SHARE:
                out[old] = Continuation(old, new, a, b, "boundary")
        elif old not in overlaps and _same_name(name_of(old), name_of(new)):
            out[old] = Continuation(old, new, None, None, "name")
    return out


def _same_name(a: str, b: str) -> bool:
    norm = [str(x).lower().replace("(met county)", "").strip() for x in (a, b)]
    return bool(norm[0]) and norm[0] == norm[1]


def current_code(code: str, conts: Mapping[str, Continuation]) -> str:
    """The latest code of the place ``code`` names (itself when it was not re-coded)."""
    seen = {code}
    while code in conts:
        code = conts[code].new
        if code in seen:  # a cycle in broken data: stop
            break
        seen.add(code)
    return code


def earlier_codes(code: str, conts: Mapping[str, Continuation]) -> list[str]:
    """The earlier codes of the same place, nearest first (not ``code`` itself)."""
    back = {c.new: c.old for c in conts.values()}
    out: list[str] = []
    while code in back and back[code] not in out:
        code = back[code]
        out.append(code)
    return out


def with_earlier(codes: Iterable[str], conts: Mapping[str, Continuation]) -> list[str]:
    """``codes`` plus the earlier codes of each, in order, no repeats."""
    out: list[str] = []
    for c in codes:
        for x in [c, *earlier_codes(c, conts)]:
            if x not in out:
                out.append(x)
    return out


def fold(
    frame: pd.DataFrame,
    conts: Mapping[str, Continuation],
    name_of: Callable[[str], str],
    by: Sequence[str] = ("period",),
) -> pd.DataFrame:
    """Show every row under the current code of its place.

    For each group of ``by`` (a period; or indicator and period) and each place, one row is
    kept: the one with a value, the current code's own row first, then the nearest earlier
    code's. Its ``areacd`` (and ``areanm``) become the current code's; ``source_areacd``
    says which code the source published it under. Rows of codes that were not re-coded
    are unchanged (``source_areacd`` = ``areacd``). The order of the rows is kept.
    """
    out = frame.copy()
    codes = out["areacd"].astype(str)
    out[SOURCE_CODE] = codes.to_numpy()
    if not conts or out.empty:
        return out
    unique = pd.unique(codes)
    current = {c: current_code(c, conts) for c in unique}
    moved = {c for c, cur in current.items() if cur != c}
    if not moved:
        return out
    places = {current[c] for c in moved}
    cur = codes.map(current)
    hit = cur.isin(places).to_numpy()
    part = out[hit].assign(
        _cur=cur[hit].to_numpy(),
        _has=pd.to_numeric(out.loc[hit, "value"], errors="coerce").notna().to_numpy(),
        _own=(codes[hit] == cur[hit]).to_numpy(),
        _near=[_distance(c, conts) for c in codes[hit]],
    )
    ordered = part.sort_values(["_has", "_own", "_near"], ascending=[False, False, True], kind="stable")
    kept = ordered[~ordered.duplicated([*by, "_cur"])]
    new_codes = kept["_cur"]
    kept = kept.drop(columns=["_cur", "_has", "_own", "_near"])
    if isinstance(kept["areacd"].dtype, pd.CategoricalDtype):
        kept["areacd"] = kept["areacd"].astype(str)
    kept["areacd"] = new_codes.to_numpy()
    if "areanm" in kept:
        if isinstance(kept["areanm"].dtype, pd.CategoricalDtype):
            kept["areanm"] = kept["areanm"].astype(str)
        kept["areanm"] = [str(name_of(c)) for c in new_codes]
    rest = out[~hit]
    for col in ("areacd", "areanm"):
        if col in rest and isinstance(rest[col].dtype, pd.CategoricalDtype):
            rest = rest.assign(**{col: rest[col].astype(str)})
    return pd.concat([rest, kept]).sort_index(kind="stable")


def _distance(code: str, conts: Mapping[str, Continuation]) -> int:
    """Code changes from ``code`` to its current code (0 for the current code)."""
    n, seen = 0, {code}
    while code in conts and conts[code].new not in seen:
        code = conts[code].new
        seen.add(code)
        n += 1
    return n
