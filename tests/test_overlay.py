"""A session's own indicator over the shared store (#11): every query answers for it, the
shared store is not touched, and its source folder builds with the real build."""

from __future__ import annotations

import hashlib
import io
import shutil
import zipfile
from pathlib import Path

import pytest

from lumap.data import upload
from lumap.data.areas import area_rows
from lumap.data.build import build
from lumap.data.gazetteer import Gazetteer
from lumap.data.overlay import Overlay
from lumap.data.sourcefolder import folder_slug, source_folder
from lumap.data.store import Store
from lumap.data.upload import Settings
from lumap.queries import maps

from .conftest import FIXTURE_SOURCE

FILE = (
    "areacd,areanm,period,value,lci_95,uci_95\n"
    "E06000001,,2023,61.25,58.1,64.3\n"
    "E06000002,,2023,57.9,54.8,61.0\n"
    "E06000010,,2023,55.5,,\n"
    "E06000001,,2024,63,60.2,65.8\n"
    "E06000002,,2024,59.4,56.5,62.3\n"
    "E06000010,,2024,,,\n"
    ",City of London,2024,70.125,,\n"
)


def tree_digest(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file() and "leases" not in p.parts:
            h.update(str(p.relative_to(root)).encode() + p.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def base(fixture_store_dir) -> Store:
    return Store(fixture_store_dir)


@pytest.fixture(scope="module")
def own(base):
    data = FILE.encode()
    rep, own = upload.check(
        data,
        "wellbeing survey.csv",
        upload.preview(data, "x.csv").guess,
        Settings("Survey score", "points", 1),
        Gazetteer.of(base),
        "your-data-survey-score",
    )
    assert rep.ok and rep.rows_used == 7, rep
    return own


def test_overlay_answers_for_the_upload_and_the_official_indicators(base, own):
    ov = Overlay(base, [own])
    assert ov.key == base.key  # shared caches keyed by the build never see the upload
    assert own.indicator in ov.meta and own.indicator not in base.meta
    assert set(base.meta) < set(ov.meta)
    vals = ov.values(own.indicator, "2024-01-01/P1Y", "utla").set_index("areacd")["value"]
    assert vals["E06000001"] == 63.0 and vals["E06000002"] == 59.4
    table = maps.map_table(ov, own.indicator, "2024-01-01/P1Y", "ltla")
    assert dict(zip(table["areacd"], table["value"], strict=True))["E09000001"] == 70.125
    official = next(s for s in base.meta if base.meta[s].get("levels"))
    assert ov.rows(official).equals(base.rows(official))
    rows = area_rows(ov, ["E06000001"])
    assert own.indicator in set(rows["indicator"]) and official in set(rows["indicator"])
    # the Store's geography is the base's own object, not a copy
    assert ov.geo is base.geo and ov.successors is base.successors


def test_nothing_is_written_to_the_store(fixture_store_dir, base, own):
    before = tree_digest(fixture_store_dir)
    ov = Overlay(base, [own])
    for level in own.meta["levels"]:
        for p in own.meta["periods"]:
            maps.map_table(ov, own.indicator, p["period"], level)
    area_rows(ov, ["E06000001", "E09000001"])
    source_folder(own)
    assert tree_digest(fixture_store_dir) == before
    assert own.indicator not in Store(fixture_store_dir).meta


def test_source_folder_round_trip_through_the_real_build(tmp_path, base, own):
    z = zipfile.ZipFile(io.BytesIO(source_folder(own)))
    slug = folder_slug(own)
    assert sorted(z.namelist()) == [
        "README.txt",
        f"indicators/{slug}/{slug}.csv",
        f"indicators/{slug}/{slug}.json",
    ]
    source = tmp_path / "source"
    shutil.copytree(FIXTURE_SOURCE, source)
    z.extractall(source)
    out = tmp_path / "data"
    build(str(source), out, progress=lambda m: None)
    built = Store(out)
    found = [s for s, m in built.meta.items() if m.get("dataset") == slug]
    assert len(found) == 1, sorted(built.meta)
    meta = built.indicator(found[0])
    assert meta["label"] == "Survey score"  # for good: no "your data" mark
    assert [p["period"] for p in meta["periods"]] == [p["period"] for p in own.meta["periods"]]
    for p in meta["periods"]:
        for level in ("ltla", "utla"):
            a = built.values(found[0], p["period"], level).set_index("areacd")
            b = Overlay(base, [own]).values(own.indicator, p["period"], level).set_index("areacd")
            assert list(a.index) == list(b.index)
            for col in ("value", "lci_95", "uci_95"):
                assert a[col].equals(b[col]), (p, level, col)


def test_worker_jobs_answer_for_an_upload_given_with_the_job(base, own):
    """A worker gets the rows with the job (a Spec), never a key to look them up by; the
    missions report and the analysts' measures run on the overlay."""
    from lumap import jobs
    from lumap.data.overlay import Spec

    spec = Spec(base.key, (own,))
    rep = jobs.mission_report(spec, own.indicator, "utla", 2019, "top_rest_gap")
    assert rep is not None
    jobs.analyst_report(spec, own.indicator, "utla", 2019)  # runs without looking the slug up in the build
    assert own.indicator not in jobs.store(base.key).meta


def test_a_deck_slide_of_an_upload_is_session_only(base, own):
    """The deck (#7) says a slide of an uploaded indicator cannot reopen elsewhere: the
    overlay holds the slug, so "not in the store" alone would miss it."""
    from lumap.ui.deckui import session_only

    ov = Overlay(base, [own])
    official = next(iter(base.meta))
    assert session_only(ov, {"indicator": own.indicator})
    assert not session_only(ov, {"indicator": official})
    assert session_only(base, {"indicator": own.indicator})
