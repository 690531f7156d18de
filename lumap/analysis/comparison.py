"""Several areas side by side for one indicator and period: the compare table, the rows
of its bar chart, and a quotable sentence per area.

Every number is the store's own (unrounded); ranks are among every area of the chosen
geography level with a value in that period, rank 1 = highest value.
"""

from __future__ import annotations

import pandas as pd

from lumap.analysis.comparators import DEFAULT_SIMILAR, comparator_values
from lumap.analysis.counts import NOT_COMPARED, share
from lumap.analysis.format import is_missing
from lumap.analysis.ranks import rank_table
from lumap.analysis.sentences import area_sentence
from lumap.analysis.significance import compare

COMPARATORS = ("uk", "country", "region", "similar")
COMPARATOR_NAMES = {
    "uk": "UK",
    "country": "Country",
    "region": "Region",
    "similar": "Similar areas (average)",
}
#: When an area has no comparator of the asked kind, the one used instead. A Welsh,
#: Scottish or NI area's region is its nation; an England-only indicator has no UK value.
#: Similar areas have no stand-in in the table (the column stays empty) ...
FALLBACK = {
    "uk": ("uk", "country"),
    "country": ("country", "uk"),
    "region": ("region", "country"),
    "similar": ("similar",),
}
#: ... but a sentence always compares with something: the first of these with a value.
SENTENCE_FALLBACK = {
    "uk": ("uk", "country"),
    "country": ("country", "uk"),
    "region": ("region", "country", "uk"),
    "similar": ("similar", "uk", "country"),
}
STATUS_WORDS = {"x": "unavailable", "c": "confidential", "u": "low reliability", "z": "not applicable"}


def status_reason(status, notes=None) -> str:
    """'u' -> 'low reliability'; with the source's note when it adds something;
    "not published" when the source gives no reason."""
    s = "" if is_missing(status) else str(status).strip()
    words = STATUS_WORDS.get(s.lower(), s)
    note = "" if is_missing(notes) else str(notes).strip()
    if "replaced by" in note or "aggregated" in note:
        note = ""  # about the code or the method, not about why the value is missing
    if words and note and note != s:
        return f"{words}: {note}"
    return words or note or "not published"


def pick_comparator(comps: list[dict], key: str) -> dict | None:
    """The comparator of kind ``key``, or the first fallback that exists (see FALLBACK)."""
    by_key = {c["key"]: c for c in comps}
    for k in FALLBACK.get(key, (key,)):
        if k in by_key:
            return by_key[k]
    return None


def compare_table(
    level_frame: pd.DataFrame,
    all_codes_frame: pd.DataFrame,
    selected: list[str],
    geo: dict,
    similar: dict,
    polarity=None,
    similar_kind: str = DEFAULT_SIMILAR,
    decimals=None,
    count: bool = False,
) -> pd.DataFrame:
    """One row per selected area (in the order given; codes absent from ``level_frame``
    are skipped) with value, CI, status, rank, n and tied among the level (ranked as
    published with ``decimals``), and for each comparator kind in COMPARATORS (after
    FALLBACK): ``<k>_code``, ``<k>_name``, ``<k>_value``, ``<k>_difference`` (area −
    comparator), ``<k>_word`` (significance.compare's words) and ``<k>_share`` (the area's
    per cent of the comparator's total, for a count). ``similar_n`` counts the similar
    areas averaged. ``count``: a count or total (:mod:`lumap.analysis.counts`): no
    difference and no test, the word says it is not compared.

    ``level_frame``: store.values(...) for the level; ``all_codes_frame``:
    store.period_rows(...) (comparators live at other levels).
    """
    ranked = rank_table(level_frame, decimals=decimals).set_index("areacd")
    rows = []
    for code in selected:
        if code not in ranked.index:
            continue
        r = ranked.loc[code]
        sim = (similar.get(code) or {}).get(similar_kind) or []
        comps = comparator_values(all_codes_frame, code, geo, sim)
        rec = {
            "areacd": code,
            "areanm": r["areanm"],
            "value": _num(r["value"]),
            "lci_95": _num(r["lci_95"]),
            "uci_95": _num(r["uci_95"]),
            "status": r["status"],
            "notes": r["notes"],
            "rank": None if is_missing(r["rank"]) else int(r["rank"]),
            "n": int(r["n"]),
            "tied": int(r["tied"]),
            # the code the source published the row under (an earlier code of the same place)
            "source_areacd": str(r.get("source_areacd") or code),
        }
        for k in COMPARATORS:
            c = pick_comparator(comps, k)
            value = c["value"] if c else float("nan")
            result = compare(rec["value"], rec["lci_95"], rec["uci_95"], value, polarity)
            part = share(rec["value"], value) if count and k != "similar" else None
            rec.update(
                {
                    f"{k}_code": c["code"] if c else None,
                    f"{k}_name": c["name"] if c else None,
                    f"{k}_value": value,
                    f"{k}_lci_95": c["lci_95"] if c else float("nan"),
                    f"{k}_uci_95": c["uci_95"] if c else float("nan"),
                    f"{k}_difference": float("nan") if count else rec["value"] - value,
                    f"{k}_word": (NOT_COMPARED if count else result["word"]) if c else None,
                    f"{k}_share": float("nan") if part is None else part,
                }
            )
        rec["similar_n"] = next((c["n"] for c in comps if c["key"] == "similar"), None)
        rows.append(rec)
    return pd.DataFrame(rows)


def _num(x) -> float:
    return float("nan") if is_missing(x) else float(x)


def sentence(row: pd.Series | dict, meta: dict, comparator: str, period_label: str, level_short: str) -> str:
    """The quotable sentence for one compare-table row against one comparator kind (or
    the first stand-in with a value, SENTENCE_FALLBACK; the sentence names it), e.g.
    "Blackpool's female healthy life expectancy (2022-24) is 51.8 years, 9.1 years below
    the UK's 60.9 — significantly worse; 192nd highest of the 195 lower-tier areas with data."
    A suppressed value says so, with the reason."""
    get = row.get
    kind = next(
        (k for k in SENTENCE_FALLBACK.get(comparator, (comparator,)) if not is_missing(get(f"{k}_value"))),
        comparator,
    )
    text = area_sentence(
        get("areanm"),
        meta,
        period_label,
        get("value"),
        get("lci_95"),
        get("uci_95"),
        comparator_name=get(f"{kind}_name"),
        comparator_value=get(f"{kind}_value"),
        rank=get("rank"),
        n=get("n"),
        level_short=level_short,
        tied=get("tied") or 0,
    )
    if is_missing(get("value")):
        text = text[:-1] + f"; the source marks it “{status_reason(get('status'), get('notes'))}”."
    return text


def comparator_marks(table: pd.DataFrame, kinds: list[str], names: dict | None = None) -> pd.DataFrame:
    """Each area's comparators of ``kinds`` (uk, country, region) as marks on the area's own
    row of a bar chart: ``name`` (the area's name in the chart, from ``names``), ``kind``,
    ``comparator`` (its name), ``value``, ``lci_95``, ``uci_95``. Ten areas and their regions
    then make ten bars, not nineteen."""
    cols = ["name", "kind", "comparator", "value", "lci_95", "uci_95"]
    out = []
    for r in table.to_dict("records"):
        for k in ("uk", "country", "region"):
            if k not in kinds or is_missing(r.get(f"{k}_value")):
                continue
            out.append(
                {
                    "name": (names or {}).get(r["areacd"], r["areanm"]),
                    "kind": k,
                    "comparator": r.get(f"{k}_name"),
                    "value": r[f"{k}_value"],
                    "lci_95": _num(r.get(f"{k}_lci_95")),
                    "uci_95": _num(r.get(f"{k}_uci_95")),
                }
            )
    return pd.DataFrame(out, columns=cols)


def chart_rows(table: pd.DataFrame, kinds: list[str]) -> pd.DataFrame:
    """Rows for the bar chart: the areas, then each distinct UK / country / region
    comparator asked for in ``kinds`` (once, even if several areas share it).
    Columns: name, code, value, lci_95, uci_95, kind ("area" or the comparator kind),
    status, notes. Similar-area averages are per area, so they stay in ``table``."""
    out = [
        {
            "name": r.areanm,
            "code": r.areacd,
            "value": r.value,
            "lci_95": r.lci_95,
            "uci_95": r.uci_95,
            "kind": "area",
            "status": r.status,
            "notes": r.notes,
        }
        for r in table.itertuples(index=False)
    ]
    seen = set(table["areacd"]) if len(table) else set()
    for k in ("uk", "country", "region"):
        if k not in kinds or table.empty:
            continue
        cols = [f"{k}_{c}" for c in ("code", "name", "value", "lci_95", "uci_95")]
        for code, name, value, lci, uci in zip(*(table[c] for c in cols), strict=True):
            if is_missing(code) or code in seen or is_missing(value):
                continue
            seen.add(code)
            out.append(
                {
                    "name": name,
                    "code": code,
                    "value": value,
                    "lci_95": _num(lci),
                    "uci_95": _num(uci),
                    "kind": k,
                    "status": "",
                    "notes": "",
                }
            )
    return pd.DataFrame(out, columns=["name", "code", "value", "lci_95", "uci_95", "kind", "status", "notes"])
