"""Build the store from a source: read → validate → normalise → write → swap atomically.

Layout of the store (under the data dir, git-ignored; see :mod:`lumap.data.layout`)::

    indicators/<id>/obs/<dataset>.parquet   observations of one dataset
    indicators/<id>/meta/<dataset>.json     its indicator catalogue entries
    boundaries/<id>/<level>.geojson         simplified boundaries (all vintages)
    boundaries/<id>/areas/*.json            geography metadata, similar areas, clusters
    builds/<id>/build.json                  when, from where, what was rejected
    builds/<id>/slugs.json                  every indicator slug ever given out
    current -> builds/<id>                  swapped with one atomic rename

A build is written under ``builds/.tmp-<id>/`` (``indicators/``, ``boundaries/``, ``areas/``)
and published by :func:`lumap.data.layout.publish`; builds of one store run one at a time.

Every file is checked at this boundary for what the app relies on (see validate, metadata,
areafiles, topology); each failure is a :class:`~lumap.data.problems.Problem` naming the file
and the line or JSON path. A dataset that fails, or that vanished from the source, keeps its
previously built files; so do area files and boundaries. The build still writes every good
dataset and exits non-zero. The temporary build folder is removed on every way out.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lumap.data import layout, readers
from lumap.data import levels as lv
from lumap.data.areafiles import AREA_FILES, read_area_file
from lumap.data.bounded import Overrun, run_bounded
from lumap.data.catalogue import read_polarity
from lumap.data.jsonfile import load_json
from lumap.data.limits import BOUNDARY_MEMORY, BOUNDARY_SECONDS, MAX_BYTES
from lumap.data.metadata import parse_dataset_json, read_manifest, read_mission_catalogue
from lumap.data.periods import label_periods
from lumap.data.problems import WARNING, Problem, errors, warnings
from lumap.data.readers import read_observations
from lumap.data.slugs import SlugCollision, Slugs
from lumap.data.source import FileRefused, Source, SourceError, open_source, vintage_name
from lumap.data.topology import REQUIRED as REQUIRED_LAYERS
from lumap.data.topology import check_topology

MANIFEST = "meta/manifest_metadata.csv"
# previous boundaries are copied without their areas/ folder (published beside them, see layout)
_AREAS = shutil.ignore_patterns("areas")


@dataclass
class Report:
    source: str
    datasets_ok: list[str] = field(default_factory=list)
    datasets_kept: list[str] = field(default_factory=list)  # failed or vanished, previous version kept
    datasets_failed: list[str] = field(default_factory=list)  # failed, nothing to keep
    no_data: list[str] = field(default_factory=list)  # folder without observations (tolerated)
    dropped: list[str] = field(default_factory=list)  # left out on request (--drop)
    problems: list[Problem] = field(default_factory=list)  # errors: the build exits non-zero
    warnings: list[Problem] = field(default_factory=list)  # reported; the data is used
    indicators: int = 0
    rows: int = 0
    seconds: float = 0.0
    boundaries: dict = field(default_factory=dict)
    postcodes: dict = field(default_factory=dict)  # the postcode lookup, when there is one

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, problems: list[Problem]) -> None:
        self.problems += errors(problems)
        self.warnings += warnings(problems)


@dataclass
class _Context:
    """What every dataset of one build shares."""

    source: Source
    tmp: Path
    previous: Path | None
    manifest: dict
    manifest_ok: bool
    mission_map: dict
    slugs: Slugs
    previous_meta: dict[tuple[str, str], dict]
    report: Report
    polarity: dict = field(default_factory=read_polarity)  # lumap/catalogue/polarity.csv


def _progress(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def build(
    source_spec: str | None = None,
    data_dir: Path | None = None,
    progress: Callable[[str], None] = _progress,
    drop: tuple[str, ...] | list[str] = (),
    postcodes: str | Path | None = None,
) -> Report:
    """Build the whole store. Never raises for bad files: they end up in the report.

    ``drop`` names datasets to leave out on purpose (a dataset that merely vanished from the
    source keeps its previous version and is reported). ``postcodes`` is an ONS postcode
    directory (NSPL or ONSPD: CSV, zip or folder) for the map's postcode search; without it
    a ``postcodes/`` folder of a local source is used, else the previous build's lookup.
    """
    from lumap import config

    t0 = time.perf_counter()
    data_dir = Path(data_dir or config.data_dir())
    source = open_source(source_spec)
    report = Report(source=source.name)
    progress(f"Building the lumap store in {data_dir} from {source.name}")

    builds = data_dir / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    with layout.build_lock(data_dir), _terminate_cleanly():
        for stale in builds.glob(".tmp-*"):  # left by a build that was killed
            shutil.rmtree(stale, ignore_errors=True)
        build_id = dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
        tmp = builds / f".tmp-{build_id}"
        previous = (data_dir / "current").resolve() if (data_dir / "current").exists() else None
        try:
            _build_into(source, tmp, previous, report, progress, set(drop), postcodes)
            _write_summary(tmp, report)
            _precompute(data_dir, tmp, report, progress)
            report.seconds = round(time.perf_counter() - t0, 2)
            _write_summary(tmp, report)
            final = layout.publish(data_dir, tmp, build_id)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        _prune(data_dir, keep={final.id, previous.name if previous else ""})
    progress(
        f"Done in {report.seconds:.1f} s: {len(report.datasets_ok)} datasets, "
        f"{report.indicators} indicators, "
        f"{report.rows:,} rows; {len(report.problems)} problem(s), {len(report.warnings)} warning(s)"
    )
    return report


def _precompute(data_dir: Path, tmp: Path, report: Report, progress) -> None:
    """The missions page's default views (:mod:`lumap.precomputed`), computed on the
    finished build before it is published, read the way the app reads it. A failure here
    costs speed, not data: the app then computes those views on demand."""
    from lumap import precomputed
    from lumap.data.store import Store

    found = Store(data_dir, tmp.name)
    try:
        precomputed.write(found, tmp / "indicators", progress)
    except Exception as exc:  # never lose a good build over a cache
        report.warnings.append(
            Problem(
                "indicators/views.pkl",
                None,
                f"the missions page's default views were not precomputed ({type(exc).__name__}: {exc}); "
                "the app computes them on demand",
                severity=WARNING,
            )
        )
    finally:
        found._lease.release()
        del found
        shutil.rmtree(data_dir / "leases" / tmp.name, ignore_errors=True)


@contextlib.contextmanager
def _terminate_cleanly() -> Iterator[None]:
    """SIGTERM (``kill``, a CI timeout) unwinds like Ctrl-C, so the temporary folder is removed."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    old = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


def _build_into(
    source: Source,
    tmp: Path,
    previous: Path | None,
    report: Report,
    progress,
    drop: set[str],
    postcodes: str | Path | None = None,
) -> None:
    (tmp / "indicators" / "obs").mkdir(parents=True)
    (tmp / "indicators" / "meta").mkdir(parents=True)
    (tmp / "areas").mkdir(parents=True)

    manifest, manifest_problems = read_manifest(_read(source, MANIFEST, "manifest", report), MANIFEST)
    report.add(manifest_problems)
    _, mission_map = read_mission_catalogue()
    ctx = _Context(
        source,
        tmp,
        previous,
        manifest,
        not errors(manifest_problems),
        mission_map,
        Slugs.load(previous),
        _previous_catalogue(previous),
        report,
    )
    datasets = source.datasets()
    for i, dataset in enumerate(datasets, 1):
        if dataset in drop:
            report.dropped.append(dataset)
            progress(f"[{i}/{len(datasets)}] {dataset}: left out (--drop)")
            continue
        ok, message = _build_dataset(ctx, dataset)
        progress(f"[{i}/{len(datasets)}] {dataset}: {message}")
        if not ok:
            _keep_previous(dataset, previous, tmp, report)
    for dataset in sorted(_previous_datasets(previous) - set(datasets)):
        if dataset in drop:
            report.dropped.append(dataset)
            progress(f"{dataset}: gone from the source and left out (--drop)")
            continue
        report.problems.append(
            Problem(
                f"indicators/{dataset}",
                None,
                "is gone from the source, so the previous version is kept (to remove the dataset on purpose: "
                f"python -m lumap build --drop {dataset})",
            )
        )
        _keep_previous(dataset, previous, tmp, report)
        progress(f"{dataset}: gone from the source; previous version kept")

    latest_year = _copy_area_files(source, tmp / "areas", report, previous)
    _build_postcodes(source, tmp / "areas", previous, report, progress, postcodes)
    progress("Boundaries: checking and simplifying each level and vintage …")
    _build_boundaries(source, tmp / "boundaries", report, progress, previous, latest_year)
    ctx.slugs.save(tmp)


def _read(source: Source, path: str, kind: str, report: Report) -> bytes | None:
    """A file's bytes; a file that is there but unusable is a problem (and None)."""
    try:
        return source.read(path, max_bytes=MAX_BYTES[kind])
    except FileRefused as exc:
        report.problems.append(Problem(exc.path, None, exc.reason))
    return None


def _write_summary(tmp: Path, report: Report) -> None:
    summary = {
        "format": layout.STORE_FORMAT,
        "built": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "source": report.source,
        "seconds": report.seconds,
        "datasets": len(report.datasets_ok),
        "kept_previous": report.datasets_kept,
        "failed": report.datasets_failed,
        "no_data": report.no_data,
        "dropped": report.dropped,
        "indicators": report.indicators,
        "rows": report.rows,
        "problems": [str(p) for p in report.problems],
        "warnings": [str(p) for p in report.warnings],
        "boundaries": report.boundaries,
        "postcodes": report.postcodes,
    }
    (tmp / "build.json").write_text(json.dumps(summary, indent=1))


def _prune(data_dir: Path, keep: set[str]) -> None:
    """Delete old builds, except the ones kept and those a running server still reads."""
    layout.prune(data_dir, keep)


def _keep_previous(dataset: str, previous: Path | None, tmp: Path, report: Report) -> None:
    if previous is None:
        report.datasets_failed.append(dataset)
        return
    obs = previous / "indicators" / "obs" / f"{dataset}.parquet"
    meta = previous / "indicators" / "meta" / f"{dataset}.json"
    if obs.exists() and meta.exists():
        shutil.copy2(obs, tmp / "indicators" / "obs" / obs.name)
        shutil.copy2(meta, tmp / "indicators" / "meta" / meta.name)
        report.datasets_kept.append(dataset)
    else:
        report.datasets_failed.append(dataset)


def _previous_datasets(previous: Path | None) -> set[str]:
    if previous is None:
        return set()
    return {p.stem for p in (previous / "indicators" / "obs").glob("*.parquet")}


def _previous_catalogue(previous: Path | None) -> dict[tuple[str, str], dict]:
    """(dataset, indicator string) -> the previous build's catalogue record."""
    out: dict[tuple[str, str], dict] = {}
    if previous is None:
        return out
    for f in (previous / "indicators" / "meta").glob("*.json"):
        try:
            for rec in json.loads(f.read_text()):
                out[(rec["dataset"], rec["code"])] = rec
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return out


def _build_dataset(ctx: _Context, dataset: str) -> tuple[bool, str]:
    report, source = ctx.report, ctx.source
    problems: list[Problem] = []
    frames = []
    metas: dict[str, dict] = {}
    try:
        files = source.observation_files(dataset)
    except FileRefused as exc:
        files, problems = [], [Problem(exc.path, None, exc.reason)]
    for path in files:
        reader = readers.reader_for(path)
        try:
            data = source.read(path, max_bytes=reader.max_bytes if reader else None)
        except FileRefused as exc:
            problems.append(Problem(exc.path, None, exc.reason))
            continue
        except SourceError as exc:
            problems.append(Problem(path, None, str(exc)))
            continue
        if data is None:
            continue
        json_path = source.json_path_for(dataset, path)
        json_data = None
        if json_path:
            try:
                json_data = source.read(json_path, max_bytes=MAX_BYTES["metadata"])
            except FileRefused as exc:
                problems.append(Problem(exc.path, None, exc.reason))
        shared, blocks, json_problems = parse_dataset_json(json_data, json_path or "")
        problems += json_problems
        default_indicator = shared.get("label") or readers.stem(path)
        frame, file_problems = read_observations(data, path, default_indicator)
        problems += file_problems
        if frame is not None:
            frames.append(frame)
            for code in frame["indicator"].unique():
                metas[code] = {**shared, **blocks.get(code, {}), "file": path}
    if not errors(problems) and not frames:
        had = sorted({r.get("file") or "" for (d, _), r in ctx.previous_meta.items() if d == dataset})
        if had and (ctx.previous and (ctx.previous / "indicators" / "obs" / f"{dataset}.parquet").exists()):
            problems.append(
                Problem(
                    f"indicators/{dataset}",
                    None,
                    f"has no observation file any more (the previous build read {', '.join(had)}), so the "
                    "previous version is kept (to remove the dataset on purpose: python -m "
                    f"lumap build --drop {dataset})",
                )
            )
    report.add(problems)
    first_error = next(iter(errors(problems)), None)
    if first_error:
        return False, f"REJECTED ({len(errors(problems))} problem(s)): {first_error}"
    if not frames:
        report.no_data.append(dataset)
        return True, "no observation file (metadata only) — skipped"
    obs = pd.concat(frames, ignore_index=True)
    try:
        records, obs = _catalogue(ctx, dataset, obs, metas)
    except SlugCollision as exc:
        report.problems.append(Problem(files[0] if files else f"indicators/{dataset}", None, str(exc)))
        return False, f"REJECTED: {exc}"
    obs.to_parquet(ctx.tmp / "indicators" / "obs" / f"{dataset}.parquet", index=False)
    (ctx.tmp / "indicators" / "meta" / f"{dataset}.json").write_text(
        json.dumps(records, indent=1, default=str)
    )
    report.datasets_ok.append(dataset)
    report.indicators += len(records)
    report.rows += len(obs)
    return True, f"{len(obs):,} rows, {len(records)} indicator(s)" + (
        f", {len(warnings(problems))} warning(s)" if warnings(problems) else ""
    )


def _slugs_for(ctx: _Context, dataset: str, codes: list[str]) -> dict[str, str]:
    """Every indicator of the dataset gets its slug, or none does (see :mod:`lumap.data.slugs`)."""
    chosen: dict[str, str] = {}
    for code in codes:
        slug = ctx.slugs.propose(dataset, code, (ctx.manifest.get((dataset, code)) or {}).get("slug"))
        twin = next((c for c, s in chosen.items() if s == slug), None)
        if twin is not None:
            raise SlugCollision(
                f"indicators {twin!r} and {code!r} would both get the slug {slug!r}: give them "
                "their own slugs "
                "in meta/manifest_metadata.csv"
            )
        chosen[code] = slug
    for code, slug in chosen.items():
        ctx.slugs.claim(dataset, code, slug)
    return chosen


def _catalogue(ctx: _Context, dataset: str, obs: pd.DataFrame, metas: dict):
    """Per-indicator catalogue entries, and the observations with slugs and period labels."""
    records = []
    parts = []
    slugs = _slugs_for(ctx, dataset, sorted(obs["indicator"].unique()))
    for code, rows in obs.groupby("indicator", sort=True):
        slug = slugs[str(code)]
        periods = label_periods(sorted(rows["period"].unique()))
        rows = rows.assign(
            indicator_code=code,
            indicator=slug,
            dataset=dataset,
            period_label=rows["period"].map(lambda p, periods=periods: periods[p].label),
            start=pd.to_datetime(rows["period"].map(lambda p, periods=periods: periods[p].start)),
            start_year=rows["period"].map(lambda p, periods=periods: periods[p].start_year).astype("int32"),
        )
        parts.append(rows)
        meta = metas.get(code, {})
        mission = ctx.mission_map.get((dataset, code))
        man = ctx.manifest.get((dataset, code)) or (
            {} if ctx.manifest_ok else ctx.previous_meta.get((dataset, code), {})
        )
        present = set(rows.loc[rows["value"].notna(), "areacd"])
        lvls = [lv_ for lv_ in lv.LEVEL_ORDER if any(lv.in_level(a, lv_) for a in present)]
        nations = sorted({a[0] for a in present if lv.in_level(a, "ltla") or lv.in_level(a, "utla")})
        ordered = sorted(periods.values(), key=lambda p: (p.start, p.months))
        records.append(
            {
                "indicator": slug,
                "dataset": dataset,
                "code": code,
                "label": meta.get("label") or code,
                "subtitle": meta.get("subtitle"),
                "description": meta.get("description"),
                "caveats": meta.get("caveats"),
                "prefix": meta.get("prefix"),
                "suffix": meta.get("suffix"),
                "subtext": meta.get("subtext"),
                "decimals": meta.get("decimals")
                if meta.get("decimals") is not None
                else _guess_decimals(rows["value"]),
                "source_org": meta.get("source_org"),
                "source_url": meta.get("source_url"),
                "source_date": meta.get("source_date"),
                "experimental": bool(meta.get("experimental")),
                "standardised": meta.get("standardised"),
                "topic": man.get("topic") or "",
                "subtopic": man.get("subtopic") or "",
                "measure": _first(rows["measure"]),
                "unit": _first(rows["unit"]),
                "mission": mission["mission"] if mission else None,
                **_polarity_of(ctx, dataset, code, mission),
                "has_ci": bool(rows["lci_95"].notna().any()),
                "periods": [
                    {
                        "period": p.raw,
                        "label": p.label,
                        "start": p.start.isoformat(),
                        "start_year": p.start_year,
                        "months": p.months,
                    }
                    for p in ordered
                ],
                "levels": lvls,
                "nations": nations,
                "file": meta.get("file"),
                "rows": int(len(rows)),
                "suppressed": int(rows["value"].isna().sum()),
            }
        )
    out = pd.concat(parts, ignore_index=True).sort_values(["indicator", "start", "areacd"], kind="stable")
    return records, out.reset_index(drop=True)


def catalogue_entry(dataset: str, slug: str, obs: pd.DataFrame, meta: dict) -> tuple[dict, pd.DataFrame]:
    """One indicator's catalogue record and typed rows (slug, period labels, start dates),
    made by the build's own code outside a build: an upload shown in one session
    (:mod:`lumap.data.upload`) gets exactly what building it from a source folder would give."""
    code = str(obs["indicator"].iloc[0])
    ctx = _Context(  # no source: it is not read, the rows are given
        source=None,  # type: ignore[arg-type]
        tmp=Path(),
        previous=None,
        manifest={(dataset, code): {"slug": slug}},
        manifest_ok=True,
        mission_map={},
        slugs=Slugs(),
        previous_meta={},
        report=Report(source="upload"),
    )
    records, rows = _catalogue(ctx, dataset, obs, {code: meta})
    return records[0], rows


def _polarity_of(ctx: _Context, dataset: str, code: str, mission: dict | None) -> dict:
    """The catalogue's direction for an indicator (lumap/catalogue/polarity.csv), with where
    it comes from; the mission mapping's when the catalogue has no row; None when neither has."""
    entry = ctx.polarity.get((dataset, code))
    if entry:
        return {
            "polarity": entry["polarity"],
            "polarity_source": entry["source"],
            "polarity_why": entry["why"],
        }
    if mission:
        return {"polarity": mission["polarity"], "polarity_source": "missions.csv", "polarity_why": ""}
    return {"polarity": None, "polarity_source": None, "polarity_why": None}


def _first(s: pd.Series) -> str:
    vals = [v for v in s.unique() if v]
    return vals[0] if vals else ""


def _guess_decimals(values: pd.Series) -> int:
    """Decimals when the metadata gives none: enough to show the source's precision, at most 2."""
    v = values.dropna()
    if v.empty or (v == v.round(0)).all():
        return 0
    return 1 if (v == v.round(1)).all() else 2


def _build_boundaries(
    source: Source, out: Path, report: Report, progress, previous: Path | None, latest_year: int | None
) -> None:
    """Check every TopoJSON vintage, then simplify them in a worker held to a time and memory
    limit. Any problem keeps the previous boundaries whole: a broken or vanished vintage is
    never silently replaced by the others."""
    problems: list[Problem] = []
    files: dict[str, bytes] = {}
    names: list[str] = []
    for path in source.boundary_files():
        data = _read(source, path, "boundaries", report)
        if data is None:
            continue
        doc, found = load_json(data, path, MAX_BYTES["boundaries"])
        required = REQUIRED_LAYERS if vintage_name(path) == "current" else ()
        problems += found or check_topology(doc, path, required=required)
        files[vintage_name(path)] = data
        names.append(path)
    before = (_previous_summary(previous).get("boundaries") or {}).get("files") or []
    for path in before:
        if path not in names:
            problems.append(
                Problem(
                    path,
                    None,
                    "is gone from the source (the previous build used it), so the previous "
                    "boundaries are kept",
                )
            )
    if not files and not problems:
        problems.append(Problem("boundaries/topo.json", None, "the source has no boundaries/topo*.json file"))
    report.add(problems)
    if not errors(problems) and not any(p.file in names for p in report.problems):
        if "current" in files:  # name the current file by the year it is valid for
            year = latest_year or dt.date.today().year
            files = {f"current ({year})" if k == "current" else k: v for k, v in files.items()}
        key = _boundary_key(files)
        before_summary = _previous_summary(previous).get("boundaries") or {}
        if previous and before_summary.get("key") == key and (previous / "boundaries").is_dir():
            shutil.copytree(previous / "boundaries", out, ignore=_AREAS)
            report.boundaries = before_summary
            progress("Boundaries: unchanged since the previous build; reused")
            return
        try:
            summary = run_bounded(
                "lumap.data.boundaries:build_boundaries",
                (files, out),
                seconds=BOUNDARY_SECONDS,
                memory=BOUNDARY_MEMORY,
                on_message=progress,
            )
            report.boundaries = {**summary, "files": names, "key": key}
            _build_hexagons(out, latest_year, report, progress)
            return
        except Overrun as exc:
            report.problems.append(Problem(", ".join(names), None, f"simplifying the boundaries {exc}"))
    shutil.rmtree(out, ignore_errors=True)
    if previous and (previous / "boundaries").is_dir():
        shutil.copytree(previous / "boundaries", out, ignore=_AREAS)
        report.boundaries = _previous_summary(previous).get("boundaries") or {}
        progress("Boundaries failed; kept the previous ones")


def _build_hexagons(out: Path, latest_year: int | None, report: Report, progress) -> None:
    """The hexagon map of each level that has one (:mod:`lumap.data.hexmap`); without it the
    map offers boundaries only, so a failure is a warning."""
    from lumap.data import hexmap
    from lumap.data.boundaries import _write_json

    try:
        report.boundaries["hexagons"] = hexmap.write_hex_maps(
            out, latest_year or dt.date.today().year, _write_json
        )
        progress("Boundaries: hexagon maps laid out")
    except Exception as exc:  # any failure only costs the hexagon view
        report.warnings.append(Problem("boundaries", None, f"no hexagon map: {exc}", severity="warning"))


def _build_postcodes(
    source: Source, out: Path, previous: Path | None, report: Report, progress, given: str | Path | None
) -> None:
    """The postcode lookup (:mod:`lumap.data.postcodes`) from ``given``, else from the
    source's ``postcodes/`` folder, else the previous build's. A bad input is a problem
    that names the file; the previous lookup is then kept."""
    from lumap.data import postcodes as pcs

    path = Path(given) if given else None
    root = getattr(source, "root", None)
    if path is None and root is not None and (Path(root) / "postcodes").is_dir():
        path = Path(root) / "postcodes"
    old = previous / "areas" if previous else None
    if path is not None:
        try:
            report.postcodes = pcs.build_lookup(path, out)
            progress(f"Postcodes: {report.postcodes['postcodes']:,} from {path.name}")
            return
        except (pcs.PostcodeSourceError, OSError, ValueError) as exc:
            report.problems.append(Problem(str(path), None, f"postcode lookup: {exc}"))
    if old is not None and pcs.lookup_file(old):
        for name in (pcs.FILE, pcs.INFO):
            if (old / name).exists():
                shutil.copy2(old / name, out / name)
        report.postcodes = pcs.info(out) or {}
        progress("Postcodes: the previous build's lookup kept")


def _boundary_key(files: dict[str, bytes]) -> str:
    """Fingerprint of what the boundary output depends on: the TopoJSON files and their
    vintage names, the code of lumap.data and the geometry library. Equal keys -> the previous
    output is reused instead of simplified again (about 5 s for the ONS files)."""
    import shapely

    h = hashlib.sha256()
    for name, data in files.items():
        h.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    for module in sorted(Path(__file__).parent.glob("*.py")):
        h.update(module.name.encode() + hashlib.sha256(module.read_bytes()).digest())
    h.update(f"shapely {shapely.__version__} geos {shapely.geos_version_string}".encode())
    return h.hexdigest()


def _previous_summary(previous: Path | None) -> dict:
    try:
        return json.loads((previous / "build.json").read_text()) if previous else {}
    except (OSError, ValueError):
        return {}


def _copy_area_files(source: Source, out: Path, report: Report, previous: Path | None) -> int | None:
    """Check and write each geography file; a bad or vanished one keeps its previous version.
    Returns the year the current boundaries are valid for, when known."""
    latest: int | None = None
    for src, (name, _) in AREA_FILES.items():
        old = previous / "areas" / name if previous else None
        data = _read(source, src, "areas", report)
        doc, problems = (None, []) if data is None else read_area_file(src, data)
        if (
            data is None
            and old is not None
            and old.exists()
            and not any(p.file == src for p in report.problems)
        ):
            problems = [
                Problem(
                    src,
                    None,
                    "is gone from the source (the previous build had it), so its previous version is kept",
                )
            ]
        report.add(problems)
        if doc is None:
            if old is not None and old.exists():
                shutil.copy2(old, out / name)
                if name == "latest-year.json":
                    latest = json.loads(old.read_text())
            continue
        (out / name).write_text(json.dumps(doc, separators=(",", ":")))
        if name == "latest-year.json":
            latest = int(doc)
    return latest
