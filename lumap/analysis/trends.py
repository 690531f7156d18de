"""Series over time for a trends chart: the chosen areas (joined across code changes),
comparators, every other area as context, optionally indexed to a base year.

A series frame is long: ``areacd, areanm, period, period_label, start, start_year,
value, lci_95, uci_95, status, notes`` (``Store.series``). Codes change: an area's
series may continue under a new code (Barnsley E08000016 -> E08000038) or several old
areas may merge into one (Allerdale, Carlisle, Copeland -> Cumberland). The old codes'
series are drawn with the area they became, joined to it, with a marker saying so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd

from lumap.analysis.change import index_to_base
from lumap.analysis.comparators import country_of, region_of
from lumap.analysis.selection import descendants, predecessors
from lumap.data import levels as lv


def keep_one_code(frame: pd.DataFrame, successors: dict[str, list[str]]) -> pd.DataFrame:
    """Per period, drop an old code's row when a code that replaced it (directly or
    through a chain) has a *value* in that period.

    Unlike dropping the old code whenever its successor has a row, an empty row under the
    new code (published for years before the code existed) does not hide the old code's
    real value.
    """
    if frame.empty or not successors:
        return frame
    valued = frame[pd.to_numeric(frame["value"], errors="coerce").notna()]
    have = valued.groupby("period", observed=True)["areacd"].agg(set).to_dict()
    drop = [
        i
        for i, period, code in zip(frame.index, frame["period"], frame["areacd"], strict=True)
        if code in successors and any(c in have.get(period, ()) for c in descendants(code, successors))
    ]
    return frame.drop(index=drop)


def display_names(codes: Iterable[str], name_of: Callable[[str], str]) -> dict[str, str]:
    """code -> name, with the code added where two codes share a name
    (old and new Barnsley), so every line has its own legend entry."""
    codes = list(dict.fromkeys(codes))
    names = {c: str(name_of(c)) for c in codes}
    counts = pd.Series(list(names.values())).value_counts()
    return {c: (f"{n} ({c})" if counts[n] > 1 else n) for c, n in names.items()}


def _nearest_in(code: str, successors: dict[str, list[str]], inside: set[str]) -> list[str]:
    """The first codes in ``inside`` reached from ``code`` going forward through code changes."""
    out: list[str] = []
    seen = {code}
    queue = list(successors.get(code, []))
    while queue:
        c = queue.pop(0)
        if c in seen:
            continue
        seen.add(c)
        if c in inside:
            out.append(c)
        else:
            queue.extend(successors.get(c, []))
    return out


def lineage(
    code: str, successors: dict[str, list[str]], have: set[str]
) -> tuple[list[str], list[tuple[str, str]]]:
    """The codes that make up one area's history (``code`` first, then the old codes it
    replaced and the codes that replaced it, those with data only) and the code changes
    between them as ``(old, new)`` pairs, skipping codes with no data in between."""
    codes = [code] + [
        c for c in predecessors(code, successors) + descendants(code, successors) if c in have and c != code
    ]
    inside = set(codes)
    edges = [(old, new) for old in codes for new in _nearest_in(old, successors, inside)]
    return codes, edges


def comparator_codes(
    selected: Iterable[str], geo: dict, with_data: set[str], exclude: Iterable[str] = ()
) -> list[str]:
    """The UK and each selected area's region, in that order, those with data only and
    not already shown; each area's country too when the UK has no data (England-only
    indicators)."""
    exclude = set(exclude)
    out: list[str] = []

    def add(code):
        if code and code in with_data and code not in exclude and code not in out:
            out.append(code)

    add(lv.UK)
    for code in selected:
        if lv.UK not in with_data:
            add(country_of(code, geo))
        add(region_of(code, geo))
    return out


def indexed(frame: pd.DataFrame, base_start_year: int) -> pd.DataFrame:
    """``change.index_to_base`` plus the 95% limits on the same scale
    (``lci_index``, ``uci_index``: limit / base value × 100)."""
    out = index_to_base(frame, base_start_year)
    factor = out["index"] / pd.to_numeric(out["value"], errors="coerce").astype(float)
    for lim in ("lci_95", "uci_95"):
        out[lim.replace("_95", "_index")] = pd.to_numeric(out[lim], errors="coerce").astype(float) * factor
    return out


def change_links(
    series: pd.DataFrame, edges: list[tuple[str, str]], line: str, y: str, names: Callable[[str], str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """For each code change ``(old, new)``: a two-point join from the old code's last value
    to the new code's first value on or after it; and one marker per new code at that
    first value (several old codes merging into one share it).

    Returns ``(joins, markers)``. ``joins``: ``line, edge, start, y`` (two rows per change);
    ``markers``: ``line, areacd, start, y, period_label, note`` with a note such as
    "Code changed: Allerdale (E07000026) and Carlisle (E07000028) were replaced by
    Cumberland (E06000063); shown under the new code from 2023".
    Changes where either side has no value on ``y`` are skipped.
    """
    s = series[pd.to_numeric(series[y], errors="coerce").notna()].sort_values("start", kind="stable")
    joins: list[dict] = []
    firsts: dict[str, pd.Series] = {}
    olds: dict[str, list[str]] = {}
    for old, new in edges:
        a = s[s["areacd"] == old]
        if a.empty:
            continue
        last = a.iloc[-1]
        b = s[(s["areacd"] == new) & (s["start"] >= last["start"])]
        if b.empty:
            continue
        first = b.iloc[0]
        edge = f"{old}>{new}"
        joins += [
            {"line": line, "edge": edge, "start": last["start"], "y": float(last[y])},
            {"line": line, "edge": edge, "start": first["start"], "y": float(first[y])},
        ]
        if new not in firsts or first["start"] < firsts[new]["start"]:
            firsts[new] = first
        olds.setdefault(new, []).append(old)
    markers = []
    for new, first in firsts.items():
        gone = [f"{names(o)} ({o})" for o in olds[new]]
        who = gone[0] if len(gone) == 1 else ", ".join(gone[:-1]) + " and " + gone[-1]
        verb = "was" if len(gone) == 1 else "were"
        markers.append(
            {
                "line": line,
                "areacd": new,
                "start": first["start"],
                "y": float(first[y]),
                "period_label": first["period_label"],
                "note": (
                    f"Code changed: {who} {verb} replaced by {names(new)} ({new}); "
                    f"shown under the new code from {first['period_label']}"
                ),
            }
        )
    return (
        pd.DataFrame(joins, columns=["line", "edge", "start", "y"]),
        pd.DataFrame(markers, columns=["line", "areacd", "start", "y", "period_label", "note"]),
    )


def trend_frames(
    level_series: pd.DataFrame,
    comparator_series: pd.DataFrame,
    selected: list[str],
    successors: dict[str, list[str]],
    name_of: Callable[[str], str],
    y: str = "value",
) -> dict[str, pd.DataFrame]:
    """Everything a trends chart draws, as frames with a ``line`` (legend entry) column
    (and ``selected``, the chosen codes):

    - ``areas``: the selected areas' series, each with its old/new codes (``segment`` =
      the code, ``line`` = the selected area's name);
    - ``comparators``: ``comparator_series`` with ``line`` = its area name;
    - ``context``: every other area of the level (faint lines);
    - ``joins`` / ``markers``: code changes (see :func:`change_links`).

    ``y`` is the column plotted (``value`` or ``index``); rows without it are kept in
    ``areas`` (the table shows them) but charts skip them.
    """
    have = set(level_series.loc[pd.to_numeric(level_series["value"], errors="coerce").notna(), "areacd"])
    lines = display_names(selected, name_of)
    parts, joins, markers, used = [], [], [], set(selected)
    for code in selected:
        codes, edges = lineage(code, successors, have | {code})
        codes = [c for c in codes if c == code or c not in selected]
        used.update(codes)
        part = level_series[level_series["areacd"].isin(codes)].assign(
            line=lines[code], segment=lambda d: d["areacd"]
        )
        parts.append(part)
        j, m = change_links(
            part, [e for e in edges if e[0] in codes and e[1] in codes], lines[code], y, name_of
        )
        joins.append(j)
        markers.append(m)
    areas = (
        pd.concat(parts, ignore_index=True) if parts else level_series.iloc[0:0].assign(line="", segment="")
    )
    comps = comparator_series.assign(
        line=comparator_series["areanm"].astype(str) + " (comparator)", segment=comparator_series["areacd"]
    )
    context = level_series[~level_series["areacd"].isin(used)]
    return {
        "selected": list(selected),
        "areas": areas.reset_index(drop=True),
        "comparators": comps.reset_index(drop=True),
        "context": context.reset_index(drop=True),
        "joins": pd.concat(joins, ignore_index=True)
        if joins
        else pd.DataFrame(columns=["line", "edge", "start", "y"]),
        "markers": (
            pd.concat(markers, ignore_index=True)
            if markers
            else pd.DataFrame(columns=["line", "areacd", "start", "y", "period_label", "note"])
        ),
    }


def base_years(periods: pd.DataFrame) -> list[int]:
    """The start years an index can be based on, oldest first."""
    return sorted({int(y) for y in periods["start_year"]})
