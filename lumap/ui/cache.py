"""Every Streamlit cache in one place. Big read-only things are cache_resource (shared by
all sessions, never copied); small derived frames are cache_data.

Every cache is keyed by the build it was computed from (``Store.key``), and the first rerun
that finds ``current`` pointing at a new build clears them all: a page reads one build
from top to bottom, the next rerun reads the new one, and the old Store is released (with
its lease on the old files, so the next build can prune them)."""

from __future__ import annotations

import threading
import weakref

import streamlit as st

from lumap import config
from lumap.data import layout
from lumap.data.store import Store, missing

#: Stores some run still holds, by key: a rerun that began on the previous build finishes on
#: it without reloading it, and it is released as soon as that run lets go.
_LIVE: weakref.WeakValueDictionary[str, Store] = weakref.WeakValueDictionary()
_SERVED: dict[str, str] = {}  # data dir -> key of the build the caches hold
_LOCK = threading.Lock()


@st.cache_resource(show_spinner="Loading the data store …", max_entries=1)
def _open(key: str) -> Store:
    return Store.from_key(key)


def _store(key: str) -> Store:
    with _LOCK:
        found = _LIVE.get(key)
    if found is None:
        found = _open(key)
        with _LOCK:
            _LIVE[key] = found
    return found


def store() -> Store:
    """The shared, read-only store of the current build. Every page calls this first."""
    _leave_legacy_pages_mode()
    data_dir = config.data_dir()
    build = layout.current(data_dir)
    if build is None:
        raise missing(data_dir)
    _follow(build)
    found = _store(build.key)
    found.keep_alive()
    return found


def _follow(build: layout.Build) -> None:
    """On the first rerun after a new build is published, drop every cache of the old one."""
    with _LOCK:
        last = _SERVED.get(str(build.data_dir))
        if last == build.key:
            return
        _SERVED[str(build.data_dir)] = build.key
    if last is not None:
        st.cache_data.clear()
        st.cache_resource.clear()


def _leave_legacy_pages_mode() -> None:
    """Until app.py has run ``st.navigation`` once in a server's life, Streamlit treats a
    ``pages/`` folder as a legacy multipage app: a deep link such as ``/data`` as the first
    request runs pages/data.py on its own, without app.py's frame and navigation. Leave
    that mode and rerun, so app.py routes the same URL."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


@st.cache_resource(show_spinner=False, max_entries=64)
def map_features(key: str, slug: str, period: str, level: str) -> dict:
    """Boundaries to draw for one map (shared, read-only; keyed by the view)."""
    from lumap.queries.maps import features_to_draw

    return features_to_draw(_store(key), slug, period, level)


@st.cache_data(show_spinner=False, max_entries=256)
def map_table(key: str, slug: str, period: str, level: str):
    """The ranked rows of one map (what the table, tooltip and CSV all show)."""
    from lumap.queries.maps import map_table as build_table

    return build_table(_store(key), slug, period, level)


@st.cache_resource(show_spinner=False, max_entries=16)
def feature_index(key: str, level: str) -> dict:
    """{feature key: id in the level's files} (shared, read-only)."""
    from lumap.data import levels as lv
    from lumap.viz.choropleth import feature_index as build

    return build(_store(key).boundaries(lv.LEVELS[level]["topo"]))


@st.cache_resource(show_spinner=False, max_entries=64)
def map_layer(key: str, slug: str, period: str, level: str, scheme: str):
    """(the map component's layer: ids, palette, fills, tooltips; classes) for a map view,
    shared read-only by every session."""
    from lumap.viz import choropleth
    from lumap.viz.classify import classify

    store_ = _store(key)
    tbl = map_table(key, slug, period, level)
    meta = store_.indicator(slug)
    classes = classify(tbl["value"].to_numpy(dtype=float), scheme)
    published = set(meta.get("nations") or "EWSN")
    layer = choropleth.layer_features(
        map_features(key, slug, period, level),
        feature_index(key, level),
        tbl,
        meta,
        classes,
        store_.period_label(slug, period),
        published,
    )
    return layer, classes


# ---- missions page ---------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=1024)
def mission_report(key: str, slug: str, level: str, baseline: int, measure: str) -> dict:
    """One indicator's missions report at one level: gap series, verdicts since the baseline
    and the bootstrap band (≈50–200 ms uncached; small, so cache_data)."""
    from lumap.analysis.missionreport import COMPARATOR_CODES, indicator_report

    s, meta = _store(key), _store(key).meta[slug]
    return indicator_report(
        s.series(slug, level=level),
        s.series(slug, list(COMPARATOR_CODES)),
        meta.get("polarity"),
        baseline,
        measure,
        level,
        s.geo,
        standardised=meta.get("standardised") is not False,
    )


@st.cache_data(show_spinner=False, max_entries=128)
def change_table(key: str, slug: str, period_from: str, period_to: str, level: str, kind: str):
    """Per-area change between two periods (``gaps.change_table``; attrs survive pickling)."""
    from lumap.analysis.gaps import change_table as build

    s = _store(key)
    return build(
        s.values(slug, period_from, level),
        s.values(slug, period_to, level),
        s.meta[slug].get("polarity"),
        kind,
    )


@st.cache_resource(show_spinner=False, max_entries=16)
def change_layer(key: str, slug: str, period_from: str, period_to: str, level: str, kind: str):
    """(the map component's layer, diverging classes, colour basis) for a change map, shared
    read-only."""
    from lumap.viz import changemap
    from lumap.viz.classify import diverging_classes

    s = _store(key)
    meta = s.indicator(slug)
    tbl = change_table(key, slug, period_from, period_to, level, kind)
    basis = changemap.colour_basis(meta.get("polarity"))
    classes = diverging_classes(tbl[basis].to_numpy(dtype=float))
    labels = (s.period_label(slug, period_from), s.period_label(slug, period_to))
    features = changemap.change_features(
        map_features(key, slug, period_to, level),
        feature_index(key, level),
        tbl,
        meta,
        classes,
        kind,
        labels,
        basis,
        set(meta.get("nations") or "EWSN"),
    )
    return features, classes, basis


# ---- area profile (pages/area.py) ------------------------------------------------------
@st.cache_resource(show_spinner="Ranking every area …", max_entries=10)  # 5 levels, 2 builds
def level_index(key: str, level: str):
    """One level's rows for every indicator and period, ranked once (shared, read-only)."""
    from lumap.analysis.profile import LevelIndex
    from lumap.data.areas import level_table

    return LevelIndex(level_table(_store(key), level), level)


@st.cache_resource(show_spinner=False, max_entries=2)
def area_catalogue(key: str):
    """Every area with data at a charted level, with its finder label (shared, read-only)."""
    from lumap.data.areas import catalogue

    return catalogue(_store(key))


@st.cache_resource(show_spinner=False, max_entries=64)
def area_context(key: str, code: str, similar_kind: str):
    """The rows one area profile reads: the area, its comparators, its similar areas
    (shared, read-only)."""
    from lumap.analysis import comparators
    from lumap.analysis.profile import AreaContext, rank_levels
    from lumap.data import levels as lv
    from lumap.data.areas import area_rows

    s = _store(key)
    similar = list((s.similar.get(code) or {}).get(similar_kind) or [])
    codes = [code, lv.UK, comparators.country_of(code, s.geo), comparators.region_of(code, s.geo), *similar]
    levels = {lvl: level_index(key, lvl) for lvl in rank_levels(code)}
    return AreaContext(
        code,
        s.area_name(code),
        area_rows(s, codes),
        levels,
        s.geo,
        similar,
        replaced=bool(s.successors.get(code)),
    )


@st.cache_data(show_spinner=False, max_entries=64)
def area_profile(key: str, code: str, similar_kind: str):
    """(profile, closing-the-gap table) for one area: small frames, copied per session."""
    from lumap.analysis.profile import build_profile, closing_gap
    from lumap.data.metadata import read_mission_catalogue

    ctx = area_context(key, code, similar_kind)
    meta = _store(key).meta
    names = {m["mission"]: m["short"] for m in read_mission_catalogue()[0]}
    profile = build_profile(ctx, meta, names)
    return profile, closing_gap(ctx, profile, meta)


# ---- compare and trends pages ---------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=128)
def level_values(key: str, slug: str, period: str, level: str):
    """store.values(): one period, one level (small; copied per hit)."""
    return _store(key).values(slug, period, level)


@st.cache_data(show_spinner="Ranking every mission indicator …", max_entries=8)
def mission_heat_table(key: str, level: str):
    """Percentile ranks of every area of the level on every mission indicator (latest period)."""
    from lumap.data.comparedata import mission_heat_table as build

    return build(_store(key), level)


@st.cache_data(show_spinner=False, max_entries=64)
def level_series(key: str, slug: str, level: str):
    """Every period of every area of a level, for trend lines."""
    from lumap.data.comparedata import level_series as build

    return build(_store(key), slug, level)


@st.cache_data(show_spinner=False, max_entries=512)
def mission_chart_specs(key: str, slug: str, level: str, baseline: int, measure: str):
    """(gap, level) Vega-Lite specs for one indicator, or None for a single period. Built with
    Altair once: its schema validation costs ≈40 ms per chart on every run otherwise."""
    from lumap.viz.gapcharts import indicator_charts

    gap, lev = indicator_charts(_store(key).meta[slug], mission_report(key, slug, level, baseline, measure))
    return None if gap is None else (gap.to_dict(), lev.to_dict())


@st.cache_resource(show_spinner=False)
def warm_up(name: str, _job):
    """Run ``_job`` once per server process in a background thread (e.g. after the first
    page is drawn, fill the caches of a slow page so its first visitor does not wait).
    Skipped under pytest's in-process AppTest, where it would only compete for the CPU."""
    import os
    import threading

    from streamlit.runtime.scriptrunner import add_script_run_ctx

    if os.environ.get("PYTEST_CURRENT_TEST"):
        return None
    thread = threading.Thread(target=_job, daemon=True, name=f"lumap-warm-{name}")
    add_script_run_ctx(thread)
    thread.start()
    return thread
