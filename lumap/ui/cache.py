"""Every Streamlit cache in one place. Big read-only things are cache_resource (shared by
all sessions, never copied); small derived frames are cache_data.

Every cache is keyed by the build it was computed from (``Store.key``), and the first rerun
that finds ``current`` pointing at a new build clears them all: a page reads one build
from top to bottom, the next rerun reads the new one, and the old Store is released (with
its lease on the old files, so the next build can prune them).

A session's own indicators (uploads) never enter these caches: every function below that
takes an indicator answers for an uploaded one from the session (``owndata.memo``),
computed on the session's overlay under a key no other session has (see
:mod:`lumap.ui.owndata`); worker jobs get the uploaded rows with the job."""

from __future__ import annotations

import functools
import threading
import weakref

import streamlit as st

from lumap import config, precomputed
from lumap.data import layout
from lumap.data.store import Store, missing
from lumap.ui import owndata

#: Stores some run still holds, by key: a rerun that began on the previous build finishes on
#: it without reloading it, and it is released as soon as that run lets go.
_LIVE: weakref.WeakValueDictionary[str, Store] = weakref.WeakValueDictionary()
_SERVED: dict[str, str] = {}  # data dir -> key of the build the caches hold
_LOCK = threading.Lock()


@st.cache_resource(show_spinner="Loading the data store …", max_entries=1)
def _open(key: str) -> Store:
    return Store.from_key(key)


def _store(key: str) -> Store:
    if owndata.OWN_KEY in key:
        return owndata.resolve(key)
    with _LOCK:
        found = _LIVE.get(key)
    if found is None:
        with _LOCK:
            old = _SERVED.get(str(layout.Build.from_key(key).data_dir), key) != key
        # A run (or the warm-up thread) that began on the previous build and finishes after
        # the caches moved on opens that build for itself, outside the shared cache: in it,
        # the old build would push out the new one and be held, with its lease, until the
        # next rebuild (seen in CI: the server still holding the build before last).
        found = Store.from_key(key) if old else _open(key)
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
    return owndata.overlay(found)


# ---- a session's own indicators -------------------------------------------------------------


def _base(key: str) -> str:
    return key.split(owndata.OWN_KEY, 1)[0]


def job_key(found: Store):
    """What to hand a worker job about this page's store: its build's key, or for a
    session's overlay the key with the uploaded rows (a worker never looks them up)."""
    from lumap.data.overlay import Overlay

    return found.spec if isinstance(found, Overlay) else found.key


def _job(key: str):
    """What a worker job is given: the build's key, or for a session's overlay the build's
    key with the uploaded rows (``Overlay.spec``)."""
    return owndata.resolve(key).spec if owndata.OWN_KEY in key else key


def _own_run(compute, kind: str, copy_result: bool, digest, key: str, *args):
    found = owndata.current()
    assert found is not None
    memo_key = (compute.__name__, _base(key), digest, *args)
    return owndata.memo(memo_key, lambda: compute(owndata.own_key(found), *args), copy_result)


def _per_view(copy_result: bool = True):
    """For a cache whose arguments start (key, indicator): a session's own indicator is
    computed on its overlay and kept in the session; every other call goes to the shared
    cache, with the build's key."""

    def wrap(shared):
        compute = shared.__wrapped__

        @functools.wraps(compute)
        def call(key: str, indicator: str, *args):
            found = owndata.current()
            if found is None or not found.owns(indicator):
                return shared(_base(key), indicator, *args)
            digest = found.own[indicator].digest
            return _own_run(compute, "view", copy_result, digest, key, indicator, *args)

        call.clear = shared.clear  # type: ignore[attr-defined]
        return call

    return wrap


def _per_store(copy_result: bool = True):
    """For a cache over every indicator (an area's profile): the session's overlay when it
    has own indicators, else the shared cache."""

    def wrap(shared):
        compute = shared.__wrapped__

        @functools.wraps(compute)
        def call(key: str, *args):
            found = owndata.current()
            if found is None:
                return shared(_base(key), *args)
            return _own_run(compute, "store", copy_result, owndata.digest(found), key, *args)

        call.clear = shared.clear  # type: ignore[attr-defined]
        return call

    return wrap


def _official(shared):
    """A cache that reads the build only (boundaries, mission indicators): always shared."""

    @functools.wraps(shared.__wrapped__)
    def call(key: str, *args):
        return shared(_base(key), *args)

    call.clear = shared.clear  # type: ignore[attr-defined]
    return call


def store_for(key: str) -> Store:
    """The store of a build by its key, for a widget callback (which must not rerun the page
    the way :func:`store` may): the build the page was drawn from."""
    return _store(key)


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


@_per_view(copy_result=False)
@st.cache_resource(show_spinner=False, max_entries=64)
def map_features(key: str, indicator: str, period: str, level: str) -> dict:
    """Boundaries to draw for one map (shared, read-only; keyed by the view)."""
    from lumap.queries.maps import features_to_draw

    return features_to_draw(_store(key), indicator, period, level)


@_per_view()
@st.cache_data(show_spinner=False, max_entries=256)
def map_table(key: str, indicator: str, period: str, level: str):
    """The ranked rows of one map (what the table, tooltip and CSV all show)."""
    from lumap.queries import maps

    return maps.map_table(_store(key), indicator, period, level)


@_official
@st.cache_resource(show_spinner=False, max_entries=16)
def feature_index(key: str, level: str) -> dict:
    """{feature key: id in the level's files} (shared, read-only)."""
    from lumap.data import levels as lv
    from lumap.viz.choropleth import feature_index as build

    return build(_store(key).boundaries(lv.LEVELS[level]["topo"]))


@_per_view(copy_result=False)
@st.cache_resource(show_spinner=False, max_entries=64)
def map_layer(key: str, indicator: str, period: str, level: str, scheme: str):
    """The :class:`~lumap.viz.choropleth.MapLayer` of a map view (the map component's ids,
    palette, fills and tooltips, and the legend's classes), shared read-only by every session."""
    from lumap.viz import choropleth

    return choropleth.map_layer(
        map_features(key, indicator, period, level),
        feature_index(key, level),
        map_table(key, indicator, period, level),
        _store(key).indicator(indicator),
        scheme,
        _store(key).period_label(indicator, period),
        missing=map_missing(key, indicator, period, level),
    )


@_per_view(copy_result=False)
@st.cache_resource(show_spinner=False, max_entries=64)
def map_missing(key: str, indicator: str, period: str, level: str) -> dict:
    """{areacd: Missing} for the drawn areas of a map view that have no value (shared,
    read-only): why each has none (:mod:`lumap.analysis.missing`)."""
    from lumap.queries import maps

    drawn = map_features(key, indicator, period, level)
    return maps.map_missing(_store(key), indicator, period, level, drawn)


# ---- missions page ---------------------------------------------------------------------------


def _precomputed(key: str, name: str, *args):
    """A view ``lumap build`` computed for this build (the default ones), or MISSING: only
    ever for the build's own indicators (a session's upload never reaches the shared caches)."""
    if owndata.OWN_KEY in key:
        return precomputed.MISSING
    return precomputed.lookup(_store(key), name, *args)


@_per_view()
@st.cache_data(show_spinner=False, max_entries=1024)
def mission_report(key: str, indicator: str, level: str, baseline: int, measure: str):
    """One indicator's missions report at one level: gap series, verdicts since the baseline
    and the bootstrap band (≈50–200 ms of CPU: computed in a worker process; small, so
    cache_data)."""
    from lumap import jobs, workers

    found = _precomputed(key, "mission_report", indicator, level, baseline, measure)
    if found is not precomputed.MISSING:
        return found
    return workers.run(jobs.mission_report, _job(key), indicator, level, baseline, measure)


def catalogue_glance(key: str, catalogue: str, level: str, baseline: int, measure: str):
    """A catalogue at a glance: the missions' and the LOF's shared by every session (the
    default views precomputed by the build); "your data" (the session's uploads) computed
    in a worker on the session's overlay and kept in the session only."""
    from lumap.queries.glance import OWN

    if catalogue != OWN:
        return _catalogue_glance(key, catalogue, level, baseline, measure)
    found = owndata.current()
    if found is None:
        return ()
    from lumap import jobs, workers

    def compute():
        with st.spinner("Judging the gaps of your data …"):
            return workers.run(jobs.own_glance, found.spec, level, baseline, measure)

    return owndata.memo(
        ("own_glance", _base(key), owndata.digest(found), level, baseline, measure),
        compute,
        copy_result=False,
    )


@_official
@st.cache_resource(show_spinner="Judging every gap …", max_entries=16)
def _catalogue_glance(key: str, catalogue: str, level: str, baseline: int, measure: str):
    """Every mission's (or outcome's) verdict and its indicators' lines (frozen dataclasses,
    shared read-only by every session), computed in a worker process (≈1-2 s of CPU)."""
    from lumap import jobs, workers

    found = _precomputed(key, "catalogue_glance", catalogue, level, baseline, measure)
    if found is not precomputed.MISSING:
        return found
    return workers.run(jobs.catalogue_glance, key, catalogue, level, baseline, measure)


@_per_view(copy_result=False)
@st.cache_resource(show_spinner="Computing the analysts' measures …", max_entries=256)
def analyst_report(key: str, indicator: str, level: str, baseline: int):
    """Convergence, Theil split, mobility and pockets for one indicator, computed in a
    worker (the pysal packages are imported there only), shared read-only."""
    from lumap import jobs, workers

    return workers.run(jobs.analyst_report, _job(key), indicator, level, baseline)


@_per_view()
@st.cache_data(show_spinner=False, max_entries=128)
def change_table(key: str, indicator: str, period_from: str, period_to: str, level: str, kind: str):
    """Per-area change between two periods (attrs survive pickling)."""
    from lumap.queries import missions

    return missions.change_table(_store(key), indicator, period_from, period_to, level, kind)


@_per_view(copy_result=False)
@st.cache_resource(show_spinner=False, max_entries=16)
def change_layer(key: str, indicator: str, period_from: str, period_to: str, level: str, kind: str):
    """The :class:`~lumap.viz.choropleth.MapLayer` of a change map, shared read-only."""
    from lumap.viz import changemap

    s = _store(key)
    return changemap.change_layer(
        map_features(key, indicator, period_to, level),
        feature_index(key, level),
        change_table(key, indicator, period_from, period_to, level, kind),
        s.indicator(indicator),
        kind,
        (s.period_label(indicator, period_from), s.period_label(indicator, period_to)),
    )


# ---- area profile (pages/area.py) ------------------------------------------------------
def level_index(key: str, level: str):
    """One level's rows for every indicator and period, ranked once: the shared index, and
    for a session's overlay that index joined with one of the session's own indicators."""
    if owndata.OWN_KEY not in key:
        return _level_index(key, level)
    from lumap import jobs, workers
    from lumap.analysis.profile import LevelIndex
    from lumap.queries.owndata import JoinedIndex

    found = owndata.resolve(key)
    return owndata.memo(
        ("level_index", _base(key), owndata.digest(found), level),
        lambda: JoinedIndex(
            _level_index(_base(key), level),
            LevelIndex(workers.run(jobs.level_table, found.spec, level), level),
            found.own,
        ),
        copy_result=False,
    )


@st.cache_resource(show_spinner="Ranking every area …", max_entries=10)  # 5 levels, 2 builds
def _level_index(key: str, level: str):
    """One level's rows for every indicator and period, ranked once (shared, read-only)."""
    from lumap import jobs, workers
    from lumap.analysis.profile import LevelIndex

    # the table (≈2 s of CPU) in a worker; the index over it (≈0.4 s) here
    return LevelIndex(workers.run(jobs.level_table, key, level), level)


@_official
@st.cache_resource(show_spinner=False, max_entries=2)
def area_catalogue(key: str):
    """Every area with data at a charted level, with its finder label (shared, read-only)."""
    from lumap.data.areas import catalogue

    return catalogue(_store(key))


@_per_store(copy_result=False)
@st.cache_resource(show_spinner=False, max_entries=64)
def area_context(key: str, code: str, similar_kind: str):
    """The rows one area profile reads (shared, read-only)."""
    from lumap.queries import profiles

    return profiles.area_context(_store(key), code, similar_kind, lambda lvl: level_index(key, lvl))


@_per_store()
@st.cache_data(show_spinner=False, max_entries=64)
def area_profile(key: str, code: str, similar_kind: str, neutral: bool = False):
    """(profile, closing-the-gap table) for one area: small frames, copied per session."""
    from lumap.queries import profiles

    return profiles.area_profile(_store(key), area_context(key, code, similar_kind), neutral)


@_per_store()
@st.cache_data(show_spinner=False, max_entries=64)
def area_glance(key: str, code: str, similar_kind: str, neutral: bool = False):
    """The profile at a glance: one row per mission indicator (small; copied per session)."""
    from lumap.queries import profiles

    ctx = area_context(key, code, similar_kind)
    profile, _ = area_profile(key, code, similar_kind, neutral)
    return profiles.glance(_store(key), ctx, profile, neutral)


# ---- compare and trends pages ---------------------------------------------------------------


@_per_view()
@st.cache_data(show_spinner=False, max_entries=128)
def level_values(key: str, indicator: str, period: str, level: str):
    """store.values(): one period, one level (small; copied per hit)."""
    return _store(key).values(indicator, period, level)


@_official
@st.cache_data(show_spinner="Ranking every mission indicator …", max_entries=8)
def mission_heat_table(key: str, level: str):
    """Percentile ranks of every area of the level on every mission indicator (latest
    period; ≈1 s of CPU: computed in a worker process)."""
    from lumap import jobs, workers

    return workers.run(jobs.mission_heat_table, key, level)


@_per_view()
@st.cache_data(show_spinner=False, max_entries=64)
def level_series(key: str, indicator: str, level: str):
    """Every period of every area of a level, for trend lines."""
    from lumap.queries import compare

    return compare.level_series(_store(key), indicator, level)


@_per_view()
@st.cache_data(show_spinner=False, max_entries=512)
def mission_chart_specs(key: str, indicator: str, level: str, baseline: int, measure: str):
    """(gap, level) Vega-Lite specs for one indicator, or None for a single period. Built with
    Altair once, in a worker: its schema validation costs ≈40 ms per chart."""
    from lumap import jobs, workers

    found = _precomputed(key, "mission_chart_specs", indicator, level, baseline, measure)
    if found is not precomputed.MISSING:
        return found
    return workers.run(jobs.mission_chart_specs, _job(key), indicator, level, baseline, measure)


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
