"""Build the store from a source: read → validate → normalise → write → swap atomically.

Layout of the store (under the data dir, git-ignored; see :mod:`lumap.data.layout`)::

    indicators/<id>/obs/<dataset>.parquet   observations of one dataset
    indicators/<id>/meta/<dataset>.json     its indicator catalogue entries
    boundaries/<id>/<level>.geojson         simplified boundaries (all vintages)
    boundaries/<id>/areas/*.json            geography metadata, similar areas, clusters
    builds/<id>/build.json                  when, from where, what was rejected
    current -> builds/<id>                  swapped with one atomic rename

A build is written under ``builds/.tmp-<id>/`` (``indicators/``, ``boundaries/``, ``areas/``)
and published by :func:`lumap.data.layout.publish`; builds of one store run one at a time.

A dataset that fails validation keeps its previously built files; the build still
writes every good dataset and exits non-zero.
"""
from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lumap.data import layout
from lumap.data import levels as lv
from lumap.data.csvread import Problem, read_observations
from lumap.data.metadata import (
    parse_dataset_json, read_manifest, read_mission_catalogue, slugify,
)
from lumap.data.periods import label_periods
from lumap.data.source import Source, SourceError, open_source, vintage_name

AREA_FILES = {
    "boundaries/geo-metadata.json": "geo.json",
    "meta/areas-similar.json": "similar.json",
    "meta/areas-clusters.json": "clusters.json",
    "meta/clusters/cluster-descriptions.json": "cluster-descriptions.json",
    "boundaries/geo-latest-year.json": "latest-year.json",
}


@dataclass
class Report:
    source: str
    datasets_ok: list[str] = field(default_factory=list)
    datasets_kept: list[str] = field(default_factory=list)  # failed, previous version kept
    datasets_failed: list[str] = field(default_factory=list)  # failed, nothing to keep
    no_data: list[str] = field(default_factory=list)  # folder without observations (tolerated)
    problems: list[str] = field(default_factory=list)
    indicators: int = 0
    rows: int = 0
    seconds: float = 0.0
    boundaries: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def _progress(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def build(source_spec: str | None = None, data_dir: Path | None = None, progress=_progress) -> Report:
    """Build the whole store. Never raises for bad files: they end up in the report."""
    from lumap import config

    data_dir = Path(data_dir or config.data_dir())
    with layout.build_lock(data_dir):
        return _build(source_spec, data_dir, progress)


def _build(source_spec: str | None, data_dir: Path, progress) -> Report:
    t0 = time.perf_counter()
    source = open_source(source_spec)
    report = Report(source=source.name)
    progress(f"Building the lumap store in {data_dir} from {source.name}")

    builds = data_dir / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    for stale in builds.glob(".tmp-*"):  # left by a build that was killed
        shutil.rmtree(stale, ignore_errors=True)
    build_id = dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
    tmp = builds / f".tmp-{build_id}"
    previous = (data_dir / "current").resolve() if (data_dir / "current").exists() else None

    (tmp / "indicators" / "obs").mkdir(parents=True)
    (tmp / "indicators" / "meta").mkdir(parents=True)
    (tmp / "areas").mkdir(parents=True)

    manifest = read_manifest(source.read("meta/manifest_metadata.csv"))
    _, mission_map = read_mission_catalogue()
    datasets = source.datasets()
    used_slugs: dict[str, tuple[str, str]] = {}
    for i, dataset in enumerate(datasets, 1):
        ok, message = _build_dataset(source, dataset, tmp, manifest, mission_map, used_slugs, report)
        progress(f"[{i}/{len(datasets)}] {dataset}: {message}")
        if not ok:
            _keep_previous(dataset, previous, tmp, report)

    progress("Boundaries: simplifying each level and vintage …")
    try:
        _build_boundaries(source, tmp / "boundaries", report, progress)
    except Exception as exc:  # a broken boundary file must not lose the indicators
        report.problems.append(f"boundaries: {exc}")
        if previous and (previous / "boundaries").is_dir():
            shutil.copytree(previous / "boundaries", tmp / "boundaries", dirs_exist_ok=True)
            progress("Boundaries failed; kept the previous ones")
    _copy_area_files(source, tmp / "areas", report, previous)

    report.seconds = round(time.perf_counter() - t0, 2)
    summary = {
        "built": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "source": source.name,
        "seconds": report.seconds,
        "datasets": len(report.datasets_ok),
        "kept_previous": report.datasets_kept,
        "failed": report.datasets_failed,
        "no_data": report.no_data,
        "indicators": report.indicators,
        "rows": report.rows,
        "problems": report.problems,
        "boundaries": report.boundaries,
    }
    (tmp / "build.json").write_text(json.dumps(summary, indent=1))
    final = layout.publish(data_dir, tmp, build_id)
    _prune(data_dir, keep={final.id, previous.name if previous else ""})
    progress(
        f"Done in {report.seconds:.1f} s: {len(report.datasets_ok)} datasets, {report.indicators} indicators, "
        f"{report.rows:,} rows; {len(report.problems)} problem(s)"
    )
    return report


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


def _build_dataset(source: Source, dataset: str, tmp: Path, manifest, mission_map, used_slugs, report) -> tuple[bool, str]:
    files = source.csv_files(dataset)
    frames, problems = [], []
    metas: dict[str, dict] = {}
    for path in files:
        try:
            data = source.read(path)
        except SourceError as exc:
            problems.append(Problem(path, None, str(exc)))
            continue
        if data is None:
            continue
        shared, blocks, json_problems = parse_dataset_json(source.json_for(dataset, path), f"{path[:-4]}.json")
        problems += [Problem(p.split(":")[0], None, p.split(":", 1)[1].strip()) for p in json_problems]
        default_indicator = shared.get("label") or path.rsplit("/", 1)[-1][:-4]
        frame, file_problems = read_observations(data, path, default_indicator)
        problems += file_problems
        if frame is not None:
            frames.append(frame)
            for code in frame["indicator"].unique():
                metas[code] = {**shared, **blocks.get(code, {}), "file": path}
    if problems:
        report.problems += [str(p) for p in problems]
        return False, f"REJECTED ({len(problems)} problem(s)): {problems[0]}"
    if not frames:
        report.no_data.append(dataset)
        return True, "no observation file (metadata only) — skipped"
    obs = pd.concat(frames, ignore_index=True)
    records, obs = _catalogue(dataset, obs, metas, manifest, mission_map, used_slugs)
    obs.to_parquet(tmp / "indicators" / "obs" / f"{dataset}.parquet", index=False)
    (tmp / "indicators" / "meta" / f"{dataset}.json").write_text(json.dumps(records, indent=1, default=str))
    report.datasets_ok.append(dataset)
    report.indicators += len(records)
    report.rows += len(obs)
    return True, f"{len(obs):,} rows, {len(records)} indicator(s)"


def _slug_for(dataset: str, code: str, manifest, used_slugs) -> str:
    slug = (manifest.get((dataset, code)) or {}).get("slug") or slugify(code)
    owner = used_slugs.get(slug)
    if owner and owner != (dataset, code):
        slug = f"{slug}-{slugify(dataset)}"
    used_slugs[slug] = (dataset, code)
    return slug


def _catalogue(dataset, obs, metas, manifest, mission_map, used_slugs):
    """Per-indicator catalogue entries, and the observations with slugs and period labels."""
    records = []
    parts = []
    for code, rows in obs.groupby("indicator", sort=True):
        slug = _slug_for(dataset, code, manifest, used_slugs)
        periods = label_periods(sorted(rows["period"].unique()))
        rows = rows.assign(
            indicator_code=code, indicator=slug, dataset=dataset,
            period_label=rows["period"].map(lambda p: periods[p].label),
            start=pd.to_datetime(rows["period"].map(lambda p: periods[p].start)),
            start_year=rows["period"].map(lambda p: periods[p].start_year).astype("int32"),
        )
        parts.append(rows)
        meta = metas.get(code, {})
        mission = mission_map.get((dataset, code))
        man = manifest.get((dataset, code), {})
        present = set(rows.loc[rows["value"].notna(), "areacd"])
        lvls = [lv_ for lv_ in lv.LEVEL_ORDER if any(lv.in_level(a, lv_) for a in present)]
        nations = sorted({a[0] for a in present if lv.in_level(a, "ltla") or lv.in_level(a, "utla")})
        ordered = sorted(periods.values(), key=lambda p: (p.start, p.months))
        records.append({
            "indicator": slug, "dataset": dataset, "code": code,
            "label": meta.get("label") or code,
            "subtitle": meta.get("subtitle"), "description": meta.get("description"),
            "caveats": meta.get("caveats"), "prefix": meta.get("prefix"),
            "suffix": meta.get("suffix"), "subtext": meta.get("subtext"),
            "decimals": meta.get("decimals") if meta.get("decimals") is not None else _guess_decimals(rows["value"]),
            "source_org": meta.get("source_org"), "source_url": meta.get("source_url"),
            "source_date": meta.get("source_date"),
            "experimental": bool(meta.get("experimental")), "standardised": meta.get("standardised"),
            "topic": man.get("topic") or "", "subtopic": man.get("subtopic") or "",
            "measure": _first(rows["measure"]), "unit": _first(rows["unit"]),
            "mission": mission["mission"] if mission else None,
            "polarity": mission["polarity"] if mission else None,
            "has_ci": bool(rows["lci_95"].notna().any()),
            "periods": [
                {"period": p.raw, "label": p.label, "start": p.start.isoformat(),
                 "start_year": p.start_year, "months": p.months} for p in ordered
            ],
            "levels": lvls, "nations": nations, "file": meta.get("file"),
            "rows": int(len(rows)), "suppressed": int(rows["value"].isna().sum()),
        })
    out = pd.concat(parts, ignore_index=True).sort_values(["indicator", "start", "areacd"], kind="stable")
    return records, out.reset_index(drop=True)


def _first(s: pd.Series) -> str:
    vals = [v for v in s.unique() if v]
    return vals[0] if vals else ""


def _guess_decimals(values: pd.Series) -> int:
    """Decimals when the metadata gives none: enough to show the source's precision, at most 2."""
    v = values.dropna()
    if v.empty or (v == v.round(0)).all():
        return 0
    return 1 if (v == v.round(1)).all() else 2


def _build_boundaries(source: Source, out: Path, report: Report, progress) -> None:
    from lumap.data.boundaries import build_boundaries

    files = {}
    for path in source.boundary_files():
        data = source.read(path)
        if data is not None:
            files[vintage_name(path)] = data
    if not files:
        raise SourceError("no boundaries/topo*.json in the source")
    latest = source.read("boundaries/geo-latest-year.json")
    if "current" in files:  # name the current file by the year it is valid for
        year = json.loads(latest.decode("utf-8-sig")) if latest else dt.date.today().year
        files = {f"current ({year})" if k == "current" else k: v for k, v in files.items()}
    report.boundaries = build_boundaries(files, out, progress=progress)


def _copy_area_files(source: Source, out: Path, report: Report, previous: Path | None) -> None:
    for src, name in AREA_FILES.items():
        try:
            data = source.read(src)
            if data is None:
                continue
            doc = json.loads(data.decode("utf-8-sig"))
        except (SourceError, ValueError) as exc:
            report.problems.append(f"{src}: {exc}")
            old = previous / "areas" / name if previous else None
            if old and old.exists():
                shutil.copy2(old, out / name)
            continue
        (out / name).write_text(json.dumps(doc, separators=(",", ":")))
