"""Which areas a comparison shows: codes from a URL or another page, checked against the
areas that have data, with code changes followed and every dropped code explained.

Codes change (2019–2023 reorganisations, Barnsley and Sheffield in 2025) and datasets do
not all follow at once, so a code with no data may still have data under the code that
replaced it, or under the code it replaced. ``successors`` maps old code -> new codes
(``Store.successors``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from lumap.data.levels import NATIONS

GSS = re.compile(r"^[EWSNK]\d{8}$")


def split_codes(raw) -> list[str]:
    """``'e06000009, E08000003,,E06000009'`` -> ``['E06000009', 'E08000003']``:
    upper-cased, stripped, empty parts and repeats dropped, order kept. A list is accepted too."""
    if raw is None:
        return []
    parts = raw if isinstance(raw, (list, tuple)) else str(raw).split(",")
    return list(dict.fromkeys(p.strip().upper() for p in map(str, parts) if p.strip()))


def predecessors(code: str, successors: dict[str, list[str]]) -> list[str]:
    """Every code that (directly or through a chain) was replaced by ``code``, nearest first."""
    back: dict[str, list[str]] = {}
    for old, news in successors.items():
        for new in news:
            back.setdefault(new, []).append(old)
    return descendants(code, back)


def descendants(code: str, successors: dict[str, list[str]]) -> list[str]:
    """Every code that (directly or through a chain) replaced ``code``, nearest first."""
    out: list[str] = []
    queue = list(successors.get(code, []))
    while queue:
        c = queue.pop(0)
        if c == code or c in out:
            continue
        out.append(c)
        queue.extend(successors.get(c, []))
    return out


def _plain(text: str, limit: int = 20) -> str:
    """A URL value safe to quote in a notice: letters and digits only (others become "?")."""
    return re.sub(r"[^A-Za-z0-9]", "?", str(text)[:limit])


def replaced_notes(
    codes: Iterable[str], successors: dict[str, list[str]], names: dict | Callable[[str], str] | None = None
) -> list[str]:
    """One sentence per old code among ``codes``, naming the codes that replaced it:
    "Barnsley (E08000016) is an old code, replaced by Barnsley (E08000038); the source
    still publishes figures under it here." """
    out = []
    for code in codes:
        new = successors.get(code) or []
        if new:
            out.append(
                f"{_label(names, code)} is an old code, replaced by "
                f"{' and '.join(_label(names, c) for c in new)}; the source still publishes "
                "figures under it here."
            )
    return out


def merger_notes(
    codes: Iterable[str],
    successors: dict[str, list[str]],
    continuations: dict,
    names: dict | Callable[[str], str] | None = None,
    have: Iterable[str] | None = None,
) -> list[str]:
    """One sentence per code among ``codes`` that replaced areas which are *not* the same
    place (a merger or a split: :mod:`lumap.data.lineage`): "Cumberland (E06000063) replaced
    Allerdale (E07000026) and Carlisle (E07000028): a different area, so their earlier figures
    are not joined to it; add them to see their own." ``have``: only predecessors with data
    here are named (all, when None)."""
    back: dict[str, list[str]] = {}
    for old, news in successors.items():
        for new in news:
            back.setdefault(new, []).append(old)
    shown = set(have) if have is not None else None
    out = []
    for code in codes:
        olds = [
            o for o in sorted(back.get(code, [])) if o not in continuations and (shown is None or o in shown)
        ]
        if olds:
            listed = [_label(names, o) for o in olds]
            who = listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]
            out.append(
                f"{_label(names, code)} replaced {who}: a different area, so their earlier figures "
                "are not joined to it; add them to see their own."
            )
    return out


def _name(names, code: str) -> str:
    if callable(names):
        return str(names(code))
    return str((names or {}).get(code, code))


def _label(names, code: str) -> str:
    name = _name(names, code)
    return f"{name} ({code})" if name != code else code


def resolve_areas(
    codes: Iterable[str],
    available: Iterable[str],
    successors: dict[str, list[str]],
    names: dict | Callable[[str], str] | None = None,
    limit: int = 10,
    what: str = "the areas with data",
    nations: Iterable[str] | None = None,
) -> tuple[list[str], list[str]]:
    """Keep the codes that are ``available``; returns ``(kept, notices)``.

    A code that is not available is, in this order: rejected if it is not a GSS code;
    swapped for the available codes that replaced it ("replaced by"); swapped for the
    available code it replaced (the data still uses the old code); explained as "not
    published for Wales" when its nation is not in ``nations``; otherwise dropped as not
    among ``what``. At most ``limit`` codes are kept (first ones win). Every change
    makes one notice; names and codes in notices are plain text (escape for HTML).
    """
    have = set(available)
    nations = set(nations) if nations is not None else None
    kept: list[str] = []
    notices: list[str] = []

    def keep(code: str) -> None:
        if code not in kept:
            kept.append(code)

    for code in split_codes(list(codes)):
        if code in have:
            keep(code)
            continue
        if not GSS.match(code):
            notices.append(f"“{_plain(code)}” is not an area code; left out.")
            continue
        new = [c for c in descendants(code, successors) if c in have]
        if new:
            for c in new:
                keep(c)
            notices.append(
                f"{_label(names, code)} was replaced by "
                f"{' and '.join(_label(names, c) for c in new)}; showing "
                f"{'them' if len(new) > 1 else 'it'} instead."
            )
            continue
        old = [c for c in predecessors(code, successors) if c in have]
        if len(old) == 1:
            keep(old[0])
            notices.append(
                f"{_label(names, code)} has no data under this code; the source "
                f"publishes it under its previous code {old[0]}, shown instead."
            )
            continue
        if nations is not None and code[:1] in NATIONS and code[:1] not in nations and code[:1] != "K":
            notices.append(
                f"{_label(names, code)}: this indicator is not published for {NATIONS[code[:1]]}; left out."
            )
            continue
        notices.append(f"{_label(names, code)} is not among {what}; left out.")
    if len(kept) > limit:
        notices.append(f"At most {limit} areas can be shown at once; showing the first {limit}.")
        kept = kept[:limit]
    return kept, notices
