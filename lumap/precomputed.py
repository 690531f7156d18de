"""The missions page's default views, computed once per build of the store (#13). No
Streamlit here.

A cold missions page used to compute its whole catalogue at a glance (≈45 bootstrap gap
verdicts) in a freshly started worker: seconds on a quiet machine, tens of seconds under
load. ``lumap build`` now runs, on the finished build and before it is published, the very
functions the worker jobs run (:mod:`lumap.jobs`) for the views a visitor opens first:

- each catalogue's at a glance (missions, Local Outcomes Framework) at every geography
  level, for the default baseline and gap measure;
- every catalogue indicator's missions report and its two charts at the default level (or
  the level it falls back to), default baseline and measure.

They are written to ``views.pkl`` beside the build's catalogue, and the UI's caches
(:mod:`lumap.ui.cache`) read a view from there before asking a worker. Any other choice
(another baseline or measure) is computed on demand as before. A view is used only when
the code that computes it is the code that would compute it now: the file carries a
fingerprint of lumap's non-UI source, its catalogues and the numeric packages' versions,
and a mismatch (code changed since the build) counts as "not precomputed", never as a
stale answer.

The file is a pickled ``{"fingerprint": str, "views": {key: pickled result}}``: loading it
reads bytes only; each view is unpickled when first asked for.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path

FILE = "views.pkl"
#: What :func:`lookup` answers for a view the build did not compute.
MISSING = object()

_ROOT = Path(__file__).resolve().parent
#: The packages whose results the views hold (read by version, never imported here).
PACKAGES = ("numpy", "pandas", "scipy", "altair")


@functools.lru_cache(maxsize=1)
def fingerprint() -> str:
    """Digest of the code and project data the views are computed from (every module of
    lumap but the Streamlit layer, the catalogues) and of the numeric packages' versions."""
    from importlib.metadata import version

    h = hashlib.sha256()
    for package in PACKAGES:
        h.update(f"{package}=={version(package)}".encode() + b"\0")
    files = sorted(p for p in _ROOT.rglob("*") if p.is_file() and p.suffix in (".py", ".csv", ".json"))
    for p in files:
        rel = p.relative_to(_ROOT).as_posix()
        if rel.startswith("ui/") or "__pycache__" in rel:
            continue
        h.update(rel.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


# ---- what is precomputed ---------------------------------------------------------------


def default_keys(store) -> Iterator[tuple]:
    """The keys of the views a build computes, in the order they are computed: each is
    ``(job name, *the arguments after the build's key)`` as the UI's caches ask for them."""
    from lumap.analysis import gaps
    from lumap.analysis.missionreport import BASELINES
    from lumap.data import frameworks
    from lumap.data import levels as lv
    from lumap.queries import glance
    from lumap.queries.missions import level_used

    baseline, measure = BASELINES[0], gaps.DEFAULT_MEASURE
    indicators: list[str] = []
    for catalogue in frameworks.CATALOGUES:
        for level in lv.LEVEL_ORDER:
            yield ("catalogue_glance", catalogue, level, baseline, measure)
        for g in glance.groups(store, catalogue):
            indicators += [s for s in g.indicators if store.has(s) and s not in indicators]
    for indicator in indicators:
        used = level_used(store, indicator, lv.DEFAULT_LEVEL)
        if used is None:
            continue
        yield ("mission_report", indicator, used, baseline, measure)
        yield ("mission_chart_specs", indicator, used, baseline, measure)


def compute(store, key: tuple, reports: dict | None = None):
    """One view, by the same function the worker job of that name runs (``reports``: the
    missions reports made so far, so a report is charted without being made twice)."""
    from lumap.queries import glance, missions
    from lumap.viz.gapcharts import chart_specs

    name, *args = key
    reports = {} if reports is None else reports
    if name == "catalogue_glance":
        return glance.catalogue_glance(store, *args)
    if name in ("mission_report", "mission_chart_specs"):
        k = tuple(args)
        if k not in reports:
            reports[k] = missions.mission_report(store, *args)
        return reports[k] if name == "mission_report" else chart_specs(store.meta[args[0]], reports[k])
    raise ValueError(f"not a precomputed view: {name}")


def write(store, folder: Path, progress: Callable[[str], None] = lambda m: None) -> dict:
    """Compute the default views of ``store`` and write them to ``folder/views.pkl``
    (atomically). Returns {"views": n, "bytes": size, "seconds": s}."""
    t0 = time.perf_counter()
    views: dict[tuple, bytes] = {}
    reports: dict = {}
    for key in default_keys(store):
        views[key] = pickle.dumps(compute(store, key, reports), protocol=pickle.HIGHEST_PROTOCOL)
    data = pickle.dumps({"fingerprint": fingerprint(), "views": views}, protocol=pickle.HIGHEST_PROTOCOL)
    tmp = folder / f".{FILE}.{os.getpid()}"
    tmp.write_bytes(data)
    os.replace(tmp, folder / FILE)
    seconds = time.perf_counter() - t0
    progress(f"Missions views: {len(views)} precomputed in {seconds:.1f} s ({len(data) / 1e6:.1f} MB)")
    return {"views": len(views), "bytes": len(data), "seconds": round(seconds, 2)}


# ---- reading them ----------------------------------------------------------------------

_LOADED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def _views(store) -> dict:
    with _LOCK:
        found = _LOADED.get(store)
        if found is None:
            found = _load(Path(store.build.indicators) / FILE)
            _LOADED[store] = found
    return found


def _load(path: Path) -> dict:
    try:
        data = pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("fingerprint") != fingerprint():
        return {}  # computed by other code: never a stale answer
    return data.get("views") or {}


def lookup(store, name: str, *args):
    """The view the build computed for ``(name, *args)``, or :data:`MISSING`."""
    blob = _views(store).get((name, *args))
    return MISSING if blob is None else pickle.loads(blob)
