"""Read-only queries over the built store. No Streamlit here: usable from tests and notebooks.

All values come back unrounded, exactly as the source published them.
"""

from __future__ import annotations

import json
import re
import weakref
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from lumap.data import layout, lineage
from lumap.data import levels as lv

_REPLACED_BY = re.compile(r"\b([EWSNK]\d{8})\b")


class StoreMissing(Exception):
    """No store has been built in the data dir yet."""


CATEGORICAL = [
    "indicator",
    "dataset",
    "areacd",
    "areanm",
    "geography",
    "period",
    "period_label",
    "status",
    "notes",
    "indicator_code",
    "measure",
    "unit",
]


#: One area's value for one period, as every query returns it (``values`` has these; ``series``
#: and ``_level_frame`` add the period columns).
VALUE_COLUMNS = ["areacd", "areanm", "value", "lci_95", "uci_95", "status", "notes"]
SERIES_COLUMNS = [*VALUE_COLUMNS, "period", "period_label", "start_year", "start"]
SERIES_TEXT = ["areacd", "areanm", "status", "notes", "period", "period_label"]


def missing(data_dir: Path) -> StoreMissing:
    return StoreMissing(f"No lumap store in {data_dir}. Build it with: python -m lumap build")


class Store:
    """One build of the store, read once; the build's files stay on disk while this object
    lives (it holds a lease on them, see :mod:`lumap.data.layout`)."""

    def __init__(self, data_dir: Path, build_id: str | None = None):
        self.data_dir = Path(data_dir)
        self.build, self._lease = _lease_build(self.data_dir, build_id)
        weakref.finalize(self, self._lease.release)
        self.root = self.build.folder
        self.meta: dict[str, dict] = {}
        for f in sorted((self.build.indicators / "meta").glob("*.json")):
            for rec in json.loads(f.read_text()):
                self.meta[rec["indicator"]] = rec
        frames = [pd.read_parquet(f) for f in sorted((self.build.indicators / "obs").glob("*.parquet"))]
        obs = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=CATEGORICAL)
        for c in CATEGORICAL:
            if c in obs:
                obs[c] = obs[c].astype("category")
        self.obs = obs
        # row positions per indicator, so one query touches only its own rows
        self._rows = {k: np.asarray(v) for k, v in obs.groupby("indicator", observed=True).indices.items()}
        self._boundaries: dict[str, dict] = {}

    @classmethod
    def from_key(cls, key: str) -> Store:
        """The build named by :attr:`key`."""
        build = layout.Build.from_key(key)
        return cls(build.data_dir, build.id)

    @property
    def build_id(self) -> str:
        return self.build.id

    @property
    def key(self) -> str:
        """Names this build of this store: what every cache of its results is keyed by."""
        return self.build.key

    def keep_alive(self) -> None:
        """Refresh the lease on the build's files (cheap; call on each use)."""
        self._lease.keep_alive()

    # ---- build information -------------------------------------------------------------
    @cached_property
    def build_info(self) -> dict:
        p = self.build.report
        return json.loads(p.read_text()) if p.exists() else {}

    def _area_file(self, name: str, default):
        p = self.build.areas / name
        return json.loads(p.read_text()) if p.exists() else default

    @cached_property
    def geo(self) -> dict:
        """ONS geo metadata: areacd -> {areanm, level, parents, children}."""
        return self._area_file("geo.json", {})

    @cached_property
    def similar(self) -> dict:
        return self._area_file("similar.json", {})

    @cached_property
    def clusters(self) -> dict:
        return self._area_file("clusters.json", {})

    @cached_property
    def cluster_descriptions(self):
        return self._area_file("cluster-descriptions.json", {})

    @cached_property
    def successors(self) -> dict[str, list[str]]:
        """old code -> codes that replaced it: from boundary overlaps where the source has a
        boundary for the old code, else from the data's own notes ("Obsolete code since 2023
        (replaced by E06000063 Cumberland)"). The boundaries win where both exist: some
        notes name too many successors (a Perth and Kinross row names North Lanarkshire)."""
        p = self.build.boundaries / "successors.json"
        succ = json.loads(p.read_text()) if p.exists() else {}
        with_boundary = set(succ)
        pairs = self.obs[["areacd", "notes"]].drop_duplicates()
        for code, note in zip(pairs["areacd"].astype(str), pairs["notes"].astype(str), strict=True):
            if "replaced by" in note and code not in with_boundary:
                for new in _REPLACED_BY.findall(note.split("replaced by", 1)[1]):
                    if new != code and new not in succ.setdefault(code, []):
                        succ[code].append(new)
        return succ

    @cached_property
    def continuations(self) -> dict[str, lineage.Continuation]:
        """old code -> its continuation under a new code, for the code changes that keep
        the place (:mod:`lumap.data.lineage`: one-to-one, boundary ≥ 95 % the same)."""
        overlaps = lineage.load_overlaps(self.build.boundaries)
        return lineage.continuations(self.successors, overlaps, self.area_name)

    def current_code(self, code: str) -> str:
        """The code a place is shown under: its latest code when it was re-coded."""
        return lineage.current_code(str(code), self.continuations)

    def earlier_codes(self, code: str) -> list[str]:
        """Earlier codes of the same place (nearest first)."""
        return lineage.earlier_codes(str(code), self.continuations)

    def published_as(self, code: str, source: str) -> str:
        """The words for a figure of ``code`` published under its earlier code ``source``."""
        return lineage.published_as(self.area_name(code), source, self.continuations.get(source))

    def _fold(self, frame: pd.DataFrame, by=("period",)) -> pd.DataFrame:
        return lineage.fold(frame, self.continuations, self.area_name, by)

    @cached_property
    def latest_year(self) -> int:
        return int(self._area_file("latest-year.json", 2025))

    # ---- catalogue --------------------------------------------------------------------
    def indicators(self) -> pd.DataFrame:
        """One row per indicator: slug, label, dataset, mission, polarity, levels …"""
        return self._indicator_table.copy()

    @cached_property
    def _indicator_table(self) -> pd.DataFrame:
        cols = [
            "indicator",
            "label",
            "dataset",
            "code",
            "mission",
            "polarity",
            "topic",
            "subtopic",
            "levels",
            "has_ci",
            "nations",
        ]
        df = pd.DataFrame([{c: m.get(c) for c in cols} for m in self.meta.values()], columns=cols)
        df["n_periods"] = [len(m["periods"]) for m in self.meta.values()]
        return df.sort_values(["label"]).reset_index(drop=True)

    def indicator(self, indicator: str) -> dict:
        return self.meta[indicator]

    def has(self, indicator: str) -> bool:
        return indicator in self.meta

    def periods(self, indicator: str) -> pd.DataFrame:
        """The indicator's periods, oldest first: period, label, start, start_year, months."""
        p = pd.DataFrame(self.meta[indicator]["periods"])
        p["start"] = pd.to_datetime(p["start"])
        return p

    def resolve_year(self, indicator: str, year: int | None) -> str | None:
        """The period starting in ``year`` (the latest if several); None if there is none.
        ``year=None`` -> the latest period."""
        p = self.periods(indicator)
        if year is None:
            return p["period"].iloc[-1]
        hit = p[p["start_year"] == int(year)]
        return hit["period"].iloc[-1] if len(hit) else None

    def find_period(self, indicator: str, text: str) -> str | None:
        """The period a link names: the ISO period itself ("2025-10-01/P1M"), its short form
        ("2025-10", see :meth:`period_key`), a start date or month it begins on ("2025-04"
        finds 2025-04-30), its label ("Oct 2025", "FY 2023-24", any case), or a year (the
        latest period starting in it). None when nothing matches."""
        raw = str(text).strip()
        periods = self.meta[indicator]["periods"]
        for p in periods:
            if raw == p["period"] or raw == self.period_key(indicator, p["period"], short=False):
                return p["period"]
        low = raw.lower()
        for p in reversed(periods):
            if low == str(p["label"]).lower():
                return p["period"]
        if len(raw) >= 7 and raw[:4].isdigit():
            starts = [p for p in periods if str(p["start"])[: len(raw)] == raw]
            if starts:
                return starts[-1]["period"]
        if raw.isdigit() and len(raw) == 4:
            return self.resolve_year(indicator, int(raw))
        return None

    def period_key(self, indicator: str, period: str, short: bool = True) -> str | None:
        """How a link names a period: None when the year alone names it (``year=2019``, the
        short form: the latest period starting in that year), else the ISO period, monthly
        ones as "2025-10" (``short=False``: always the key, never None)."""
        info = next((p for p in self.meta[indicator]["periods"] if p["period"] == period), None)
        if info is None:
            return None if short else str(period)
        if short and self.resolve_year(indicator, int(info["start_year"])) == period:
            return None
        if info.get("months") == 1 and str(period).endswith("/P1M"):
            return str(info["start"])[:7]
        return str(period)

    def period_label(self, indicator: str, period: str) -> str:
        for p in self.meta[indicator]["periods"]:
            if p["period"] == period:
                return p["label"]
        return str(period)

    def levels(self, indicator: str) -> list[str]:
        return list(self.meta[indicator]["levels"])

    # ---- observations -----------------------------------------------------------------
    def rows(self, indicator: str) -> pd.DataFrame:
        idx = self._rows.get(indicator)
        if idx is None:
            return self.obs.iloc[0:0]
        return self.obs.iloc[idx]

    def values(self, indicator: str, period: str, level: str) -> pd.DataFrame:
        """One value per area of ``level`` for one period (codes of one vintage, see
        :meth:`dedupe`; a re-coded place under its current code, see :mod:`lumap.data.lineage`).
        Columns: areacd, areanm, value, lci_95, uci_95, status, notes, source_areacd (the code
        the source published the row under)."""
        rows = self.rows(indicator)
        rows = rows[(rows["period"] == period).to_numpy()]
        return self._level_frame(rows, level)

    def _level_frame(self, rows: pd.DataFrame, level: str, folded: bool = True) -> pd.DataFrame:
        codes = rows["areacd"].astype(str)
        prefixes = lv.LEVELS[level]["prefixes"]
        rows = rows[codes.str[:3].isin(prefixes).to_numpy()]
        out = rows[SERIES_COLUMNS].copy()
        for c in SERIES_TEXT:
            out[c] = out[c].astype(str)
        out = out.drop_duplicates(subset=["areacd", "period"], keep="first")
        out = self.dedupe(out)
        return (self._fold(out) if folded else out).reset_index(drop=True)

    def dedupe(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Keep one code of each obsolete/successor pair per period: an old code is dropped
        when a code that replaced it has a value for the same period."""
        succ = self.successors
        if not succ or frame.empty:
            return frame
        drop = []
        for period, group in frame.groupby("period", sort=False):
            # only a successor with a value replaces an old code: an empty row under the
            # new code must not hide a published value under the old one
            present = set(group.loc[group["value"].notna(), "areacd"])
            for code in present & succ.keys():
                if _replaced(code, present, succ):
                    drop.append((period, code))
        if not drop:
            return frame
        key = pd.MultiIndex.from_frame(frame[["period", "areacd"]])
        return frame[~key.isin(drop)]

    def series(
        self, indicator: str, areas: list[str] | None = None, level: str | None = None, folded: bool = True
    ) -> pd.DataFrame:
        """All periods for some areas (or every area of ``level``), oldest first. A re-coded
        place is one series under its current code, the rows of its earlier codes included
        (``source_areacd`` names the code each row was published under). ``folded=False``
        (with ``level``): the rows under the codes the source used, for a caller that folds
        many indicators at once (:func:`lumap.data.areas.level_table`)."""
        rows = self.rows(indicator)
        if areas is not None:
            wanted = lineage.with_earlier([str(a) for a in areas], self.continuations)
            rows = rows[rows["areacd"].astype(str).isin(wanted).to_numpy()]
        if level is not None:
            frame = self._level_frame(rows, level, folded)
            return frame.sort_values(["start", "areacd"]).reset_index(drop=True)
        out = rows[SERIES_COLUMNS].copy()
        for c in SERIES_TEXT:
            out[c] = out[c].astype(str)
        out = out.drop_duplicates(subset=["areacd", "period"], keep="first")
        if areas is not None:
            out = self._fold(out)
        return out.sort_values(["start", "areacd"]).reset_index(drop=True)

    def area_obs(self, codes: list[str]) -> pd.DataFrame:
        """Every stored row of these codes, all indicators and periods (an overlay of a
        session's own indicators adds theirs: :mod:`lumap.data.overlay`)."""
        return self.obs[self.obs["areacd"].isin(codes).to_numpy()]

    def period_rows(self, indicator: str, period: str) -> pd.DataFrame:
        """Every area (any level, comparators included) for one period, one row per code."""
        rows = self.rows(indicator)
        rows = rows[(rows["period"] == period).to_numpy()]
        cols = VALUE_COLUMNS
        out = rows[cols].copy()
        for c in ["areacd", "areanm", "status", "notes"]:
            out[c] = out[c].astype(str)
        return out.drop_duplicates(subset=["areacd"], keep="first").reset_index(drop=True)

    # ---- areas --------------------------------------------------------------------------
    @cached_property
    def area_names(self) -> dict[str, str]:
        """areacd -> name: geo metadata first, then the names used in the data."""
        names: dict[str, str] = {}
        pairs = self.obs[["areacd", "areanm"]].drop_duplicates("areacd", keep="last")
        names.update(zip(pairs["areacd"].astype(str), pairs["areanm"].astype(str), strict=True))
        for code, g in self.geo.items():
            if g.get("areanm"):
                names[code] = g["areanm"]
        return names

    def area_name(self, code: str) -> str:
        return self.area_names.get(code, code)

    # ---- boundaries ---------------------------------------------------------------------
    def boundaries(self, level: str) -> dict:
        """The level's GeoJSON FeatureCollection (all vintages), loaded once, read-only."""
        if level not in self._boundaries:
            p = self.build.boundaries / f"{level}.geojson"
            self._boundaries[level] = (
                json.loads(p.read_text()) if p.exists() else {"type": "FeatureCollection", "features": []}
            )
        return self._boundaries[level]


def _lease_build(data_dir: Path, build_id: str | None) -> tuple[layout.Build, layout.Lease]:
    """The build to read (``build_id``, else the current one), with a lease taken *before*
    any file is read; re-checked after, in case a prune removed it in between."""
    for _ in range(5):
        build = layout.Build(data_dir, build_id) if build_id else layout.current(data_dir)
        if build is None:
            raise missing(data_dir)
        if build.published() and build.outdated():
            raise StoreMissing(
                f"The lumap store in {data_dir} was built by an older version of lumap (format "
                f"{build.format}; this version reads format {layout.STORE_FORMAT}). Rebuild it with: "
                f"python -m lumap build --data-dir {data_dir}"
            )
        lease = layout.Lease(build)
        if build.published():
            return build, lease
        lease.release()
        if build_id:
            raise StoreMissing(f"Build {build_id} of the store in {data_dir} no longer exists.")
    raise missing(data_dir)


def _replaced(code: str, present: set[str], succ: dict[str, list[str]], depth: int = 0) -> bool:
    """True when a (transitive) successor of ``code`` is among ``present``."""
    if depth > 5:
        return False
    for s in succ.get(code, []):
        if s in present or _replaced(s, present, succ, depth + 1):
            return True
    return False
