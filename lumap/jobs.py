"""The app's CPU-heavy questions, as jobs a worker process runs (``lumap.workers``). No
Streamlit here.

Each job takes the build's key (``Store.key``; not the Store: a worker opens the build
once and keeps it, with its lease, until a job names a newer build) and returns a small,
picklable result. A worker keeps recent results too, so a report
asked for by a second job (the charts of one indicator after its report) is not computed
again. Measured on the real store: one missions report 50–200 ms, every mission
indicator ≈7 s, the compare page's heat table ≈1 s per level.
"""

from __future__ import annotations

import functools
from collections import OrderedDict

from lumap.data.overlay import Overlay, Spec
from lumap.data.store import Store

#: The one build this worker has open (a job on another build replaces it).
_HELD: list[Store] = []


def _open(key: str) -> Store:
    if not _HELD or _HELD[0].key != key:
        _let_go()
        _HELD.append(Store.from_key(key))
    return _HELD[0]


def _let_go() -> None:
    """Close the open build: drop it and what was computed from it, and release its lease."""
    old = _HELD[:]
    _HELD.clear()
    _places.cache_clear()
    _shared_report.cache_clear()
    _OWN.clear()
    for found in old:
        found._lease.release()


def let_go_if_old() -> bool:
    """An idle worker's check: the build it holds is no longer the one ``current`` names
    (a new build was published), so it lets go of it at once rather than on its next job,
    and the next build can prune the old one. True when it let go."""
    from lumap.data import layout

    if not _HELD:
        return False
    held = _HELD[0]
    now = layout.current(held.data_dir)
    if now is not None and now.id == held.build.id:
        return False
    _let_go()
    return True


def store(key: str | Spec) -> Store:
    """The build named by ``key``, opened once per worker (the previous one let go); for a
    :class:`~lumap.data.overlay.Spec`, that build with the session's own indicators over it
    (they came with the job: a worker never looks them up)."""
    if isinstance(key, Spec):
        return key.open(store(key.base_key))
    found = _open(key)
    found.keep_alive()
    return found


#: Results of jobs on a session's own indicators, by the rows' digest: a few only, so a
#: worker never holds many sessions' uploads (the shared store's results use lru_cache).
_OWN: OrderedDict[tuple, object] = OrderedDict()
_OWN_ENTRIES = 16


def _own_cached(fn):
    @functools.wraps(fn)
    def call(key, *args):
        if not isinstance(key, Spec):
            return fn(key, *args)
        k = (fn.__name__, key.digest, *args)
        if k not in _OWN:
            _OWN[k] = fn(key, *args)
            while len(_OWN) > _OWN_ENTRIES:
                _OWN.popitem(last=False)
        _OWN.move_to_end(k)
        return _OWN[k]

    return call


def mission_report(key: str | Spec, indicator: str, level: str, baseline: int, measure: str):
    """One indicator's missions report at one level (``queries.missions.mission_report``)."""
    if isinstance(key, Spec):
        return _own_report(key, indicator, level, baseline, measure)
    return _shared_report(key, indicator, level, baseline, measure)


@functools.lru_cache(maxsize=1024)
def _shared_report(key: str, indicator: str, level: str, baseline: int, measure: str):
    from lumap.queries import missions

    return missions.mission_report(store(key), indicator, level, baseline, measure)


@_own_cached
def _own_report(key: Spec, indicator: str, level: str, baseline: int, measure: str):
    from lumap.queries import missions

    return missions.mission_report(store(key), indicator, level, baseline, measure)


def mission_reports(key: str | Spec, jobs: list[tuple[str, str, int, str]]) -> list[dict]:
    """Several reports in one job: (indicator, level, baseline, measure) each."""
    return [mission_report(key, *job) for job in jobs]


def mission_chart_specs(key: str | Spec, indicator: str, level: str, baseline: int, measure: str):
    """(gap, level) Vega-Lite specs of one indicator's report, or None for a single period.
    Altair's schema validation costs ≈40 ms per chart: built here, once."""
    from lumap.viz.gapcharts import chart_specs

    return chart_specs(store(key).meta[indicator], mission_report(key, indicator, level, baseline, measure))


def mission_heat_table(key: str, level: str):
    """Percentile ranks of every area of the level on every mission indicator (latest period)."""
    from lumap.queries import compare

    return compare.mission_heat_table(store(key), level)


def level_table(key: str | Spec, level: str):
    """One level's rows for every indicator and period (``areas.level_table``, ≈1.5–2 s);
    for a Spec, its own indicators only (the shared table holds the official ones)."""
    from lumap.data.areas import level_table as build

    found = store(key)
    return build(found.only_own() if isinstance(found, Overlay) else found, level)


# ---- a session's upload ----------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _places(key: str):
    from lumap.data.gazetteer import Gazetteer

    return Gazetteer.of(store(key))


def upload_preview(data: bytes, name: str):
    """The columns and first rows of an uploaded file (:func:`lumap.data.upload.preview`)."""
    from lumap.data import upload

    return upload.preview(data, name)


def upload_check(key: str, data: bytes, name: str, columns, settings, indicator: str):
    """(report, indicator or None) for an upload, checked against the build's areas."""
    from lumap.data import upload

    return upload.check(data, name, columns, settings, _places(key), indicator)


@functools.lru_cache(maxsize=32)
def catalogue_glance(key: str, catalogue: str, level: str, baseline: int, measure: str):
    """The missions page at a glance: every mission's (or outcome's) verdict and its
    indicators' lines (one gap verdict each; ≈45 of them, 1-2 s)."""
    from lumap.queries import glance

    return glance.catalogue_glance(store(key), catalogue, level, baseline, measure)


@_own_cached
def own_glance(key: Spec, level: str, baseline: int, measure: str):
    """The missions page at a glance for a session's own indicators (one group each), on
    the overlay the job brought: kept by the rows' digest, never in the shared lru."""
    from lumap.queries import glance

    return glance.catalogue_glance(store(key), glance.OWN, level, baseline, measure)


@functools.lru_cache(maxsize=10)
def neighbours(key: str, level: str) -> dict:
    """Which areas of a level touch (queen contiguity; ≈0.3-0.9 s per level)."""
    from lumap.queries import analysts

    return analysts.neighbours(store(key), level)


def analyst_report(key: str | Spec, indicator: str, level: str, baseline: int):
    """Convergence, Theil split, mobility and pockets of one indicator. The pysal imports
    (esda, libpysal, inequality: seconds) happen here, in the worker, never in the server."""
    if isinstance(key, Spec):
        return _own_analyst_report(key, indicator, level, baseline)
    return _shared_analyst_report(key, indicator, level, baseline)


def _analyst_report(key: str | Spec, indicator: str, level: str, baseline: int):
    from lumap.queries import analysts
    from lumap.queries.missions import level_used

    base = key.base_key if isinstance(key, Spec) else key  # contiguity is the build's
    used = level_used(store(key), indicator, level)
    return analysts.analyst_report(
        store(key), indicator, level, baseline, neighbours(base, used) if used else {}
    )


_shared_analyst_report = functools.lru_cache(maxsize=256)(_analyst_report)
_own_analyst_report = _own_cached(_analyst_report)


def map_image(key: str, indicator: str, period: str, level: str, scheme: str, fmt: str = "png") -> bytes:
    """The map page's view as a PNG (1920×1080) or SVG, legend and attribution burned in."""
    from lumap import exports
    from lumap.viz import staticmap

    return staticmap.render(exports.map_picture(store(key), indicator, period, level, scheme), fmt)


def hex_map_image(key: str, indicator: str, period: str, level: str, scheme: str, fmt: str = "png") -> bytes:
    """The map page's hexagon view as a PNG (1920×1080) or SVG (:func:`map_image` otherwise)."""
    from lumap import exports
    from lumap.viz import staticmap

    picture = exports.map_picture(store(key), indicator, period, level, scheme, hexagons=True)
    return staticmap.render(picture, fmt)


def change_image(
    key: str, indicator: str, period_from: str, period_to: str, level: str, kind: str, fmt: str = "png"
) -> bytes:
    """The change map (missions page) as a PNG (1920×1080) or SVG."""
    from lumap import exports
    from lumap.viz import staticmap

    picture = exports.change_picture(store(key), indicator, period_from, period_to, level, kind)
    return staticmap.render(picture, fmt)
