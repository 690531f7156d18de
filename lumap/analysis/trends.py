"""Series over time for a trends chart: the chosen areas (one series per place across code
changes that keep the place), comparators, every other area as context, optionally indexed
to a base year.

A series frame is long: ``areacd, areanm, period, period_label, start, start_year,
value, lci_95, uci_95, status, notes, source_areacd`` (``Store.series``). Codes change: a
place may continue under a new code (Barnsley E08000016 -> E08000038), already folded into
one series by the store (:mod:`lumap.data.lineage`), with a marker where the code the source
used changes; or several old areas may merge into one (Allerdale, Carlisle, Copeland ->
Cumberland): a different place, drawn on its own, with a note.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd

from lumap.analysis.change import index_to_base
from lumap.analysis.comparators import country_of, region_of
from lumap.analysis.selection import descendants
from lumap.data import levels as lv
from lumap.data.lineage import SOURCE_CODE


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


def code_changes(series: pd.DataFrame, line: str, y: str, names: Callable[[str], str]) -> pd.DataFrame:
    """One marker where a place's series moves from one code to the next: the first value
    published under the new code, after values under an earlier code of the same place
    (``source_areacd``, :func:`lumap.data.lineage.fold`). Columns ``line, areacd, start, y,
    period_label, note``, e.g. "Code changed: Sheffield was published as E08000019 until
    2024, as E08000039 from 2025"."""
    cols = ["line", "areacd", "start", "y", "period_label", "note"]
    if series.empty or SOURCE_CODE not in series:
        return pd.DataFrame(columns=cols)
    s = series[pd.to_numeric(series[y], errors="coerce").notna()].sort_values("start", kind="stable")
    out = []
    prev = None
    for r in s.itertuples(index=False):
        source = getattr(r, SOURCE_CODE)
        if prev is not None and source != getattr(prev, SOURCE_CODE):
            out.append(
                {
                    "line": line,
                    "areacd": r.areacd,
                    "start": r.start,
                    "y": float(getattr(r, y)),
                    "period_label": r.period_label,
                    "note": (
                        f"Code changed: {names(r.areacd)} was published as {getattr(prev, SOURCE_CODE)} "
                        f"until {prev.period_label}, as {source} from {r.period_label} (the same place)"
                    ),
                }
            )
        prev = r
    return pd.DataFrame(out, columns=cols)


def trend_frames(
    level_series: pd.DataFrame,
    comparator_series: pd.DataFrame,
    selected: list[str],
    name_of: Callable[[str], str],
    y: str = "value",
) -> dict[str, pd.DataFrame]:
    """Everything a trends chart draws, as frames with a ``line`` (legend entry) column
    (and ``selected``, the chosen codes):

    - ``areas``: the selected areas' series (``segment`` = the code, ``line`` = the area's
      name). A re-coded place is already one series under its current code
      (:func:`lumap.data.lineage.fold`); areas made by a merger are *not* joined to the
      areas they replaced (a different place: :func:`lumap.analysis.selection.merger_notes`);
    - ``comparators``: ``comparator_series`` with ``line`` = its area name;
    - ``context``: every other area of the level (faint lines);
    - ``joins`` (none: kept for the chart's layers) / ``markers``: code changes within a
      series (:func:`code_changes`).

    ``y`` is the column plotted (``value`` or ``index``); rows without it are kept in
    ``areas`` (the table shows them) but charts skip them.
    """
    lines = display_names(selected, name_of)
    parts, markers = [], []
    for code in selected:
        part = level_series[level_series["areacd"] == code].assign(line=lines[code], segment=code)
        parts.append(part)
        markers.append(code_changes(part, lines[code], y, name_of))
    areas = (
        pd.concat(parts, ignore_index=True) if parts else level_series.iloc[0:0].assign(line="", segment="")
    )
    comps = comparator_series.assign(
        line=comparator_series["areanm"].astype(str) + " (comparator)", segment=comparator_series["areacd"]
    )
    context = level_series[~level_series["areacd"].isin(selected)]
    return {
        "selected": list(selected),
        "areas": areas.reset_index(drop=True),
        "comparators": comps.reset_index(drop=True),
        "context": context.reset_index(drop=True),
        "joins": pd.DataFrame(columns=["line", "edge", "start", "y"]),
        "markers": (
            pd.concat(markers, ignore_index=True)
            if markers
            else pd.DataFrame(columns=["line", "areacd", "start", "y", "period_label", "note"])
        ),
    }


def base_years(periods: pd.DataFrame) -> list[int]:
    """The start years an index can be based on, oldest first."""
    return sorted({int(y) for y in periods["start_year"]})
