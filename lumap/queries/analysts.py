"""The analysts' measures for one indicator at one level, baseline against latest period:
sigma-convergence with its interval, beta-convergence, the Theil split between and within
regions, rank mobility with Kendall's tau, and the pockets of poor outcomes found by local
Moran's I. One frozen :class:`AnalystReport` per (indicator, level, baseline), computed
once per build and shared (the UI caches it). No Streamlit here."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from lumap.analysis import convergence as cv
from lumap.analysis import gaps, verdicts
from lumap.analysis.convergence import Beta, Mobility
from lumap.analysis.missionreport import DECOMPOSABLE, with_regions
from lumap.analysis.verdicts import Verdict
from lumap.data.store import Store
from lumap.queries.missions import level_used

POPULATION_NOTE = (
    "Population-weighted versions are not shown: the store has no population estimates "
    "(the source's population datasets are published without their CSVs), so every "
    "measure here counts each area once, whatever its size."
)


@dataclass(frozen=True)
class AnalystReport:
    level: str
    base_label: str
    now_label: str
    sigma: tuple[Verdict, ...]  # the CV and the SD of logs, baseline against now
    beta: Beta
    scatter: pd.DataFrame  # areacd, areanm, base, change (for the beta chart)
    theil_base: dict
    theil_now: dict
    mobility: Mobility
    pockets: pd.DataFrame  # areacd, areanm, region, value: low-low clusters at p < 0.05
    n_tested: int  # areas in the local Moran's I test
    note: str  # why something is missing ("" if nothing)


def neighbours(store: Store, level: str) -> dict[str, list[str]]:
    """Areas that share a boundary point (queen contiguity, ``libpysal``), with each island
    (Isle of Wight, Anglesey, Orkney, …) joined to its nearest area by centroid."""
    import geopandas as gpd

    with cv.numba_hidden():
        from libpysal.weights import KNN, Queen, attach_islands

    feats = store.boundaries(level)["features"]
    if not feats:
        return {}
    gdf = gpd.GeoDataFrame.from_features(feats).drop_duplicates("areacd", keep="last").reset_index(drop=True)
    ids = gdf["areacd"].astype(str).tolist()
    w = Queen.from_dataframe(gdf, ids=ids, silence_warnings=True)
    if w.islands:
        cent = gpd.GeoDataFrame(geometry=gdf.representative_point(), crs=gdf.crs)
        knn = KNN.from_dataframe(cent, k=1, ids=ids, silence_warnings=True)
        w = attach_islands(w, knn)
    return {str(k): [str(x) for x in v] for k, v in w.neighbors.items()}


def analyst_report(
    store: Store, indicator: str, wanted: str, baseline: int, nbrs: dict[str, list[str]] | None = None
) -> AnalystReport | None:
    """None when the indicator has no two periods to compare at any level."""
    level = level_used(store, indicator, wanted)
    if level is None:
        return None
    meta = store.meta[indicator]
    pol = meta.get("polarity")
    series = gaps.usable(store.series(indicator, level=level))
    periods = series[["period", "start_year", "period_label", "start"]].drop_duplicates("period")
    periods = periods.sort_values(["start", "period"], kind="stable")
    if len(periods) < 2:
        return None
    base_p = gaps.baseline_period(periods, baseline)
    latest_p = periods["period"].iloc[-1]
    if base_p is None or base_p == latest_p:
        return None
    labels = dict(zip(periods["period"], periods["period_label"].astype(str), strict=True))
    base_f, now_f = series[series["period"] == base_p], series[series["period"] == latest_p]
    sigma = tuple(
        verdicts.gap_verdict(base_f, now_f, pol, measure=m, n_boot=1000, seed=0) for m in ("cv", "sd_log")
    )
    b = base_f.set_index(base_f["areacd"].astype(str))["value"]
    n = now_f.set_index(now_f["areacd"].astype(str))["value"]
    beta = cv.beta_convergence(b, n)
    pair = cv.paired(b, n)
    names = store.area_names
    scatter = pd.DataFrame(
        {
            "areacd": pair.index,
            "areanm": [names.get(c, c) for c in pair.index],
            "base": pair["base"].to_numpy(),
            "change": (pair["now"] - pair["base"]).to_numpy(),
        }
    )
    notes = []
    if level in DECOMPOSABLE:
        rb, rn = with_regions(base_f, store.geo), with_regions(now_f, store.geo)
        theil_b, theil_n = cv.theil_split(rb["value"], rb["group"]), cv.theil_split(rn["value"], rn["group"])
    else:
        theil_b = theil_n = {
            "total": math.nan,
            "between": math.nan,
            "within": math.nan,
            "share_between": math.nan,
        }
        notes.append("No between/within-region split at this level: each area is (or spans) a region.")
    mobility = cv.rank_mobility(b, n, pol)
    spots = cv.cold_spots(n, nbrs if nbrs is not None else neighbours(store, level), pol)
    pockets = spots[spots["pocket"]] if len(spots) else spots
    regions = with_regions(pd.DataFrame({"areacd": pockets["areacd"]}), store.geo) if len(pockets) else None
    pockets = pd.DataFrame(
        {
            "areacd": pockets["areacd"].to_numpy() if len(pockets) else [],
            "areanm": [names.get(c, c) for c in pockets["areacd"]] if len(pockets) else [],
            "region": [names.get(g, g or "") for g in regions["group"]] if regions is not None else [],
            "value": pockets["value"].to_numpy() if len(pockets) else [],
        }
    )
    return AnalystReport(
        level=level,
        base_label=labels[base_p],
        now_label=labels[latest_p],
        sigma=sigma,
        beta=beta,
        scatter=scatter,
        theil_base=theil_b,
        theil_now=theil_n,
        mobility=mobility,
        pockets=pockets,
        n_tested=len(spots),
        note=" ".join(notes),
    )
