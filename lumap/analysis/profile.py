"""One area's profile: every indicator with data for it, in one row each.

For each indicator the row holds the area's latest published period (or a chosen one),
its value and interval, its rank among areas of the same geography level, the UK, its
country, its region and the average of its similar areas for the same period (with the
significance verdict of :func:`lumap.analysis.significance.compare` against each), the
change since the previous period and since about five years earlier, a sparkline series
and a quotable sentence. Numbers are never rounded here.

Inputs are tidy frames (see :mod:`lumap.data.areas`); no Streamlit here.

Which level an area is ranked in: the first of its levels (lower tier before upper tier,
countries as countries) at which the indicator has rows for it, so a unitary authority is
ranked among lower-tier areas; except that indicators published for no district (upper-tier
only, such as healthy life expectancy) are ranked among upper-tier areas, counties included.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TypedDict, cast

import pandas as pd

from lumap.analysis import areagap, comparators, gaps
from lumap.analysis import change as chg
from lumap.analysis.counts import NOT_COMPARED, is_count
from lumap.analysis.format import is_missing
from lumap.analysis.polarity import Polarity
from lumap.analysis.ranks import Rank, ranks
from lumap.analysis.sentences import area_sentence
from lumap.analysis.significance import compare
from lumap.data import levels as lv
from lumap.data.lineage import SOURCE_CODE

COMPARATORS = ("uk", "country", "region", "similar")
BASELINE_YEAR = 2019


def _float(x) -> float:
    return math.nan if is_missing(x) else float(x)


# ---------------------------------------------------------------------------------------
# Ranks for a whole level at once
# ---------------------------------------------------------------------------------------


def rank_by_group(
    frame: pd.DataFrame, keys=("indicator", "period"), decimals: dict | None = None
) -> pd.DataFrame:
    """The frame plus ``rank``, ``n`` and ``tied`` within each group of ``keys``
    (:func:`lumap.analysis.ranks.ranks`, for many groups at once). ``decimals``: each
    indicator's published decimal places (values are ranked as published)."""
    out = frame.copy()
    places = out["indicator"].astype(str).map(decimals) if decimals else None
    out[["rank", "n", "tied"]] = ranks(out["value"], [out[k] for k in keys], decimals=places)
    return out


class LevelIndex:
    """One level's rows for every indicator and period, ranked, with O(1) lookups by
    (indicator, period) and by area. Built once and shared read-only."""

    def __init__(self, table: pd.DataFrame, level: str, decimals: dict | None = None):
        self.level = level
        self.table = rank_by_group(table, decimals=decimals).reset_index(drop=True)
        # only the columns per-area work needs: slicing it is cheap
        core = self.table[["indicator", "period", "areacd", "value", "lci_95", "uci_95", "rank", "n", "tied"]]
        self._core = core
        prefixes = core["areacd"].astype(str).str[:3]
        self._prefixes = {
            str(k): set(v) for k, v in prefixes.groupby(core["indicator"].astype(str), sort=False)
        }
        groups = self.table.groupby(["indicator", "period"], observed=True, sort=False).indices
        self._by_key = {(str(a), str(b)): idx for (a, b), idx in groups.items()}
        self._by_area = {
            str(k): idx for k, idx in self.table.groupby("areacd", observed=True, sort=False).indices.items()
        }

    def slice(self, indicator: str, period: str) -> pd.DataFrame:
        """Every area's row for one indicator and period: areacd, value, CI, rank, n, tied."""
        idx = self._by_key.get((str(indicator), str(period)))
        return self._core.iloc[idx] if idx is not None else self._core.iloc[0:0]

    def has_prefix(self, indicator: str, prefix: str) -> bool:
        """Whether any area of this level with a code starting ``prefix`` has rows."""
        return prefix in self._prefixes.get(str(indicator), ())

    def area(self, code: str) -> pd.DataFrame:
        """One area's rows for every indicator and period."""
        idx = self._by_area.get(str(code))
        return self._core.iloc[idx] if idx is not None else self._core.iloc[0:0]


def rank_levels(code: str) -> list[str]:
    """The levels an area is ranked in, in order of preference (countries as countries)."""
    levels = lv.levels_of(code)
    if str(code)[:3] in lv.COUNTRY_PREFIXES and "ctry" in levels:
        levels = ["ctry"] + [lvl for lvl in levels if lvl != "ctry"]
    return levels


# ---------------------------------------------------------------------------------------
# The profile
# ---------------------------------------------------------------------------------------


@dataclass
class AreaContext:
    """What a profile needs about one area. ``rows`` = :func:`lumap.data.areas.area_rows`
    for the area, its UK/country/region comparators and its similar areas."""

    code: str
    name: str
    rows: pd.DataFrame
    levels: dict  # level -> LevelIndex
    geo: dict
    similar: list = field(default_factory=list)
    replaced: bool = False  # the code was replaced by newer ones (store.successors)

    def __post_init__(self):
        self.code = str(self.code)
        rows = self.rows.sort_values(["indicator", "start"], kind="stable").reset_index(drop=True)
        self.rows = rows
        self._by_period = {
            (str(a), str(b)): idx
            for (a, b), idx in rows.groupby(["indicator", "period"], sort=False).indices.items()
        }
        # (indicator, period, code) -> (value, lci, uci, name): comparator lookups without pandas
        values = [
            pd.to_numeric(rows[c], errors="coerce").astype(float).tolist()
            for c in ("value", "lci_95", "uci_95")
        ]
        self._cells = dict(
            zip(
                zip(rows["indicator"], rows["period"], rows["areacd"], strict=True),
                zip(*values, rows["areanm"], strict=True),
                strict=True,
            )
        )
        self._comparator_codes = [
            ("uk", lv.UK),
            ("country", comparators.country_of(self.code, self.geo)),
            ("region", comparators.region_of(self.code, self.geo)),
        ]
        own = rows[(rows["areacd"] == self.code).to_numpy()]
        self._series = {str(k): g for k, g in own.groupby("indicator", sort=False)}
        self.prefs = [lvl for lvl in rank_levels(self.code) if lvl in self.levels]
        own_ranks = {lvl: self.levels[lvl].area(self.code) for lvl in self.prefs}
        self.own_indicators = {lvl: set(f["indicator"].astype(str)) for lvl, f in own_ranks.items()}
        # level -> {(indicator, period): Rank}
        self._ranks = {
            lvl: {
                (str(i), str(p)): Rank(None if is_missing(r) else int(r), int(n), int(t), lvl)
                for i, p, r, n, t in zip(
                    f["indicator"], f["period"], f["rank"], f["n"], f["tied"], strict=True
                )
            }
            for lvl, f in own_ranks.items()
        }

    def indicators(self) -> list[str]:
        """Indicators with at least one row for the area."""
        return list(self._series)

    def series(self, indicator: str) -> pd.DataFrame:
        """The area's own rows for one indicator, oldest first."""
        s = self._series.get(str(indicator))
        return s if s is not None else self.rows.iloc[0:0]

    def period_rows(self, indicator: str, period: str) -> pd.DataFrame:
        """Rows of every code in ``rows`` (area, comparators, similar areas) for one period."""
        idx = self._by_period.get((str(indicator), str(period)))
        return self.rows.iloc[idx] if idx is not None else self.rows.iloc[0:0]

    def comparators(self, indicator: str, period: str) -> list[dict]:
        """Exactly :func:`lumap.analysis.comparators.comparator_values` for one indicator
        and period (same keys, order, skipping and similar-area mean), from dict lookups:
        the profile asks this for every indicator, and pandas per call is slow."""
        out: list[dict] = []
        used = {self.code}
        for key, code in self._comparator_codes:
            cell = self._cells.get((indicator, period, code)) if code else None
            if not code or code in used or cell is None or math.isnan(cell[0]):
                continue
            used.add(code)
            out.append(
                {
                    "key": key,
                    "code": code,
                    "name": self._name(cell, code),
                    "value": cell[0],
                    "lci_95": cell[1],
                    "uci_95": cell[2],
                    "n": None,
                }
            )
        codes = [c for c in dict.fromkeys(str(x) for x in self.similar) if c != self.code]
        have = [
            c for c in codes if (cell := self._cells.get((indicator, period, c))) and not math.isnan(cell[0])
        ]
        if have:
            n = len(have)
            mean = sum(self._cells[(indicator, period, c)][0] for c in have) / n
            out.append(
                {
                    "key": "similar",
                    "code": None,
                    "name": f"average of {n} similar area{'s' if n != 1 else ''}",
                    "value": mean,
                    "lci_95": math.nan,
                    "uci_95": math.nan,
                    "n": n,
                    "codes": have,
                }
            )
        return out

    def _name(self, cell, code: str) -> str:
        name = cell[3]
        if is_missing(name):
            return str((self.geo.get(code) or {}).get("areanm") or code)
        return str(name)

    def rank_level(self, indicator: str) -> str | None:
        """The first of the area's levels with rows for it; but an indicator published for
        no district (no E07 rows: upper-tier only, e.g. healthy life expectancy) is ranked
        among upper-tier areas, counties included, when the area is one."""
        have = [lvl for lvl in self.prefs if indicator in self.own_indicators[lvl]]
        if have[:1] == ["ltla"] and "utla" in have and not self.levels["ltla"].has_prefix(indicator, "E07"):
            return "utla"
        return have[0] if have else None

    def rank(self, indicator: str, period: str) -> Rank:
        """The area's :class:`Rank` at its :meth:`rank_level` (``level`` None when it has no
        level with rows; ``rank`` None without a value, ``n`` still counting the others)."""
        level = self.rank_level(indicator)
        if level is None:
            return Rank(None, 0)
        hit = self._ranks[level].get((str(indicator), str(period)))
        if hit is not None:
            return hit
        group = self.levels[level].slice(indicator, period)
        return Rank(None, int(group["value"].notna().sum()), 0, level)


class ProfileRow(TypedDict):
    """One indicator of an area profile (:func:`indicator_row`): a row of the profile frame and
    of its CSV. Numbers unrounded; NaN (numbers) or None (text) where there is none.
    ``<k>_*`` per comparator kind ``k`` in :data:`COMPARATORS` (uk, country, region, similar);
    ``prev_*`` / ``y5_*``: the change since the previous period / about five years earlier."""

    indicator: str
    label: str
    mission: int | None
    topic: str | None
    polarity: int | None
    areacd: str
    areanm: str
    period: str
    period_label: str
    start_year: int | None
    value: float
    lci_95: float
    uci_95: float
    status: str
    notes: str
    source_areacd: str  # the code the figure was published under (an earlier code of the place)
    level: str | None  # the geography level ranked in
    rank: int | None
    n: int
    tied: int
    rank_note: str  # "replaced": an old code whose successor is ranked instead
    uk_code: str | None
    uk_name: str | None
    uk_value: float
    uk_lci_95: float
    uk_uci_95: float
    uk_vs: str | None
    uk_judgement: str | None
    uk_significant: bool | None
    country_code: str | None
    country_name: str | None
    country_value: float
    country_lci_95: float
    country_uci_95: float
    country_vs: str | None
    country_judgement: str | None
    country_significant: bool | None
    region_code: str | None
    region_name: str | None
    region_value: float
    region_lci_95: float
    region_uci_95: float
    region_vs: str | None
    region_judgement: str | None
    region_significant: bool | None
    similar_code: str | None
    similar_name: str | None
    similar_value: float
    similar_lci_95: float
    similar_uci_95: float
    similar_vs: str | None
    similar_judgement: str | None
    similar_significant: bool | None
    similar_n: int
    prev_period: str | None
    prev_period_label: str | None
    prev_value: float
    prev_change: float
    prev_percent: float
    y5_period: str | None
    y5_period_label: str | None
    y5_value: float
    y5_change: float
    y5_percent: float
    spark: list[float | None]
    spark_periods: list[str]
    national: str | None  # the first comparator kind with a value
    sentence: str


def indicator_row(
    ctx: AreaContext, indicator: str, meta: dict, period: str | None = None
) -> ProfileRow | None:
    """Every number the profile shows for one indicator (``period`` None = the area's latest).

    None when the area has no row at all for the indicator."""
    series = ctx.series(indicator)
    if series.empty:
        return None
    if period is None:
        row = series.iloc[-1]
        period = str(row["period"])
    else:
        hit = series[series["period"] == period]
        row = hit.iloc[-1] if len(hit) else None
    info: dict = next((p for p in meta.get("periods", []) if p["period"] == period), {})
    value = _float(row["value"]) if row is not None else math.nan
    lci = _float(row["lci_95"]) if row is not None else math.nan
    uci = _float(row["uci_95"]) if row is not None else math.nan
    r = ctx.rank(indicator, period)
    level, rank, n = r.level, r.rank, r.n
    out: dict = {
        "indicator": indicator,
        "label": meta.get("label", indicator),
        "mission": meta.get("mission"),
        "topic": meta.get("topic"),
        "polarity": meta.get("polarity"),
        "areacd": ctx.code,
        "areanm": ctx.name,
        "period": period,
        "period_label": info.get("label") or (row["period_label"] if row is not None else period),
        "start_year": info.get("start_year"),
        "value": value,
        "lci_95": lci,
        "uci_95": uci,
        "status": "" if row is None else _text(row["status"]),
        "notes": "" if row is None else _text(row["notes"]),
        # the code the source published this figure under (an earlier code of the same
        # place, :mod:`lumap.data.lineage`, or the area's own)
        "source_areacd": ctx.code if row is None else _text(row.get(SOURCE_CODE)) or ctx.code,
        "level": level,
        "rank": rank,
        "n": n,
        "tied": r.tied,
        # a replaced code with a value but no rank: its successor is ranked for this period
        "rank_note": "replaced" if rank is None and not math.isnan(value) and ctx.replaced else "",
    }
    comps = ctx.comparators(indicator, period)
    got = {c["key"]: c for c in comps}
    count = is_count(meta)  # a total: shown beside the comparators' totals, never compared
    for key in COMPARATORS:
        c = got.get(key)
        res = compare(value, lci, uci, c["value"], meta.get("polarity")) if c and not count else {}
        if c and count:
            res = {"word": NOT_COMPARED}
        out.update(
            {
                f"{key}_code": c.get("code") if c else None,
                f"{key}_name": c["name"] if c else None,
                f"{key}_value": c["value"] if c else math.nan,
                f"{key}_lci_95": c["lci_95"] if c else math.nan,
                f"{key}_uci_95": c["uci_95"] if c else math.nan,
                f"{key}_vs": res.get("word"),
                f"{key}_judgement": res.get("judgement"),
                f"{key}_significant": res.get("significant"),
            }
        )
    out["similar_n"] = got["similar"]["n"] if "similar" in got else 0
    upto = series  # the series up to the period shown, for the changes
    if info.get("start") and period != str(series["period"].iloc[-1]):
        upto = series[(pd.to_datetime(series["start"]) <= pd.Timestamp(info["start"])).to_numpy()]
    for key, ch in (
        ("prev", chg.change_since(upto, 1) if row is not None else None),
        ("y5", chg.change_over_years(upto, 5) if row is not None else None),
    ):
        if ch is None or ch["to_period"] != period:
            ch = {"from_period": None, "from_period_label": None, "from_value": math.nan, "change": math.nan}
        out.update(
            {
                f"{key}_period": ch["from_period"],
                f"{key}_period_label": ch["from_period_label"],
                f"{key}_value": ch["from_value"],
                f"{key}_change": ch["change"],
                f"{key}_percent": _float(ch.get("percent")),
            }
        )
    values = pd.to_numeric(series["value"], errors="coerce").astype(float)
    out["spark"] = [None if math.isnan(v) else float(v) for v in values]
    out["spark_periods"] = list(series["period_label"].astype(str))
    national = next((got[k] for k in ("uk", "country", "region", "similar") if k in got), None)
    out["national"] = next((k for k in ("uk", "country", "region", "similar") if k in got), None)
    out["sentence"] = area_sentence(
        ctx.name,
        meta,
        out["period_label"],
        value,
        lci,
        uci,
        national["name"] if national else None,
        national["value"] if national else None,
        rank,
        n if rank is not None else None,
        lv.LEVELS[level]["short"] if level else None,
        r.tied,
    )
    return cast(ProfileRow, out)


def row_change(row: dict, key: str) -> dict | None:
    """A profile row's change since the previous period (``key="prev"``) or about five years
    (``"y5"``) in the shape of :mod:`lumap.analysis.change` (for ``change_sentence``)."""
    if is_missing(row.get(f"{key}_change")):
        return None
    return {
        "from_period": row[f"{key}_period"],
        "to_period": row["period"],
        "from_period_label": row[f"{key}_period_label"],
        "to_period_label": row["period_label"],
        "from_value": row[f"{key}_value"],
        "to_value": row["value"],
        "change": row[f"{key}_change"],
        "percent": None if is_missing(row[f"{key}_percent"]) else row[f"{key}_percent"],
    }


def _text(x) -> str:
    return "" if is_missing(x) else str(x)


def build_profile(ctx: AreaContext, meta: dict, mission_names: dict | None = None) -> pd.DataFrame:
    """One row per indicator with data for the area (its latest period), grouped by
    mission then topic: ``group`` names the section and ``order`` sorts them."""
    rows = []
    for indicator in ctx.indicators():
        if indicator not in meta:
            continue
        r = indicator_row(ctx, indicator, meta[indicator])
        if r is not None:
            rows.append(r)
    df = pd.DataFrame(rows)
    if df.empty:
        return df
    names = mission_names or {}
    df["group"] = [group_name(m, t, names) for m, t in zip(df["mission"], df["topic"], strict=True)]
    df["order"] = [int(m) if not is_missing(m) else 100 for m in df["mission"]]
    df = df.sort_values(["order", "group", "label"], kind="stable").reset_index(drop=True)
    return df


def group_name(mission, topic, mission_names: dict) -> str:
    if not is_missing(mission):
        m = int(mission)
        short = mission_names.get(m)
        return f"Mission {m} · {short}" if short else f"Mission {m}"
    topic = str(topic or "").strip()
    return f"Other indicators · {topic[:1].upper() + topic[1:]}" if topic else "Other indicators"


# ---------------------------------------------------------------------------------------
# Is the area closing the gap to the top tenth?
# ---------------------------------------------------------------------------------------


def closing_gap(
    ctx: AreaContext, profile: pd.DataFrame, meta: dict, baseline_year: int = BASELINE_YEAR
) -> pd.DataFrame:
    """For each mission indicator with a direction (polarity ±1): the area's distance from
    the mean of the top tenth of areas of its level at the baseline (``baseline_year`` or
    the first period after) and in its latest period with a value. ``change`` < 0 means
    catching up. Indicators whose baseline is not before the latest period are left out."""
    out = []
    if profile.empty:
        return pd.DataFrame()
    for r in profile.itertuples(index=False):
        m = meta[r.indicator]
        sign = Polarity.of(m.get("polarity"))
        if is_missing(r.mission) or sign == 0 or not isinstance(r.level, str) or len(m["periods"]) < 2:
            continue
        series = ctx.series(r.indicator)
        have = series["period"][pd.to_numeric(series["value"], errors="coerce").notna().to_numpy()]
        if have.empty:
            continue
        periods = pd.DataFrame(m["periods"], columns=["period", "start_year", "start"])
        base = gaps.baseline_period(periods, baseline_year)
        now = str(have.iloc[-1])
        start = dict(
            zip(periods["period"], periods["start"].astype(str), strict=True)
        )  # ISO dates sort as text
        if base is None or start[base][:10] >= start[now][:10]:
            continue
        li = ctx.levels[r.level]
        res = areagap.area_gap_change(li.slice(r.indicator, base), li.slice(r.indicator, now), ctx.code, sign)
        b, n = res["base"], res["now"]
        out.append(
            {
                "indicator": r.indicator,
                "label": r.label,
                "mission": r.mission,
                "level": r.level,
                "polarity": int(sign),
                "base_period": base,
                "base_period_label": _label(m, base),
                "now_period": now,
                "now_period_label": _label(m, now),
                "base_value": b["value"],
                "base_top_mean": b["top_mean"],
                "base_shortfall": b["shortfall"],
                "base_in_top": b["in_top_tenth"],
                "base_n": b["n"],
                "base_n_top": b["n_top"],
                "now_value": n["value"],
                "now_top_mean": n["top_mean"],
                "now_shortfall": n["shortfall"],
                "now_in_top": n["in_top_tenth"],
                "now_n": n["n"],
                "now_n_top": n["n_top"],
                "change": res["change"],
                "direction": res["direction"],
            }
        )
    return pd.DataFrame(out)


def _label(meta: dict, period: str) -> str:
    return next((p["label"] for p in meta["periods"] if p["period"] == period), str(period))


# ---------------------------------------------------------------------------------------
# Finding areas, and boundary changes
# ---------------------------------------------------------------------------------------


def boundary_changes(code: str, successors: dict, geo: dict) -> dict:
    """``replaced_by``: codes that replaced this one; ``replaced``: codes this one replaced;
    ``start``/``end``: the years the code was in use (None when open)."""
    code = str(code)
    g = geo.get(code) or {}
    return {
        "replaced_by": [c for c in successors.get(code, []) if c != code],
        "replaced": sorted(old for old, new in successors.items() if code in new and old != code),
        "start": g.get("start"),
        "end": g.get("end"),
    }


EXPORT_COLUMNS = [
    "areacd",
    "areanm",
    "indicator",
    "label",
    "mission",
    "period",
    "period_label",
    "value",
    "lci_95",
    "uci_95",
    "status",
    "notes",
    "source_areacd",
    "level",
    "rank",
    "n",
    "tied",
    "rank_note",
    *[f"{k}_{c}" for k in COMPARATORS for c in ("code", "name", "value", "lci_95", "uci_95", "vs")],
    "similar_n",
    "prev_period_label",
    "prev_value",
    "prev_change",
    "prev_percent",
    "y5_period_label",
    "y5_value",
    "y5_change",
    "y5_percent",
    "sentence",
]


def export_frame(profile: pd.DataFrame) -> pd.DataFrame:
    """The whole profile for a CSV: unrounded numbers, periods, comparators, rank and n."""
    out = profile.reindex(columns=EXPORT_COLUMNS)
    out["rank"] = out["rank"].astype("Int64")
    return out
