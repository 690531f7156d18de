"""The area profile's questions: one level ranked once, the rows one area's profile
reads, and the profile itself with its "closing the gap" table."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from lumap.analysis import comparators
from lumap.analysis.areaglance import glance_rows
from lumap.analysis.polarity import as_neutral
from lumap.analysis.profile import AreaContext, LevelIndex, build_profile, closing_gap, rank_levels
from lumap.data import levels as lv
from lumap.data.areas import area_rows, level_table
from lumap.data.metadata import read_mission_catalogue
from lumap.data.store import Store


def level_index(store: Store, level: str) -> LevelIndex:
    """Every indicator and period of one level, ranked once (≈1 s; share it)."""
    decimals = {indicator: m.get("decimals") for indicator, m in store.meta.items()}
    return LevelIndex(level_table(store, level), level, decimals)


def area_context(
    store: Store, code: str, similar_kind: str, level_index_of: Callable[[str], LevelIndex]
) -> AreaContext:
    """The rows one area profile reads: the area, its UK / country / region comparators and
    its similar areas of ``similar_kind``, with the ranked levels it is ranked in
    (``level_index_of(level)``, so the caller can share them)."""
    similar = list((store.similar.get(code) or {}).get(similar_kind) or [])
    codes = [
        code,
        lv.UK,
        comparators.country_of(code, store.geo),
        comparators.region_of(code, store.geo),
        *similar,
    ]
    return AreaContext(
        code,
        store.area_name(code),
        area_rows(store, codes),
        {lvl: level_index_of(lvl) for lvl in rank_levels(code)},
        store.geo,
        similar,
        replaced=bool(store.successors.get(code)),
    )


def area_profile(store: Store, ctx: AreaContext, neutral: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(profile, closing-the-gap table) for the area of ``ctx``; ``neutral``: worded with
    no better direction (:func:`lumap.analysis.polarity.as_neutral`; no closing-the-gap
    table then, since "the gap to the best" needs a better direction)."""
    names = {m["mission"]: m["short"] for m in read_mission_catalogue()[0]}
    meta = {s: as_neutral(m) for s, m in store.meta.items()} if neutral else store.meta
    profile = build_profile(ctx, meta, names)
    return profile, closing_gap(ctx, profile, meta)


def glance(store: Store, ctx: AreaContext, profile: pd.DataFrame, neutral: bool = False) -> pd.DataFrame:
    """The profile at a glance (:func:`lumap.analysis.areaglance.glance_rows`)."""
    meta = {s: as_neutral(m) for s, m in store.meta.items()} if neutral else store.meta
    return glance_rows(profile, ctx, meta)
