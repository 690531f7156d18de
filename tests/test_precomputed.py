"""The missions page's default views computed by `lumap build` (lumap.precomputed, #13):
equal to the on-demand computation, used by the page without a worker, never stale."""

from __future__ import annotations

import dataclasses
import pickle
import shutil

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from lumap import jobs, precomputed
from lumap.data import metadata
from lumap.data.build import build
from lumap.data.store import Store

from .conftest import FIXTURE_SOURCE

#: The fixture's weekly pay as a Mission 1 indicator, its wellbeing as Mission 8's, and a
#: hand-made "gap score" of 14 unitary authorities with intervals (enough areas for a
#: bootstrap verdict) as Mission 2's: the hand-made store then has mission indicators with
#: tested verdicts, reports and charts to precompute.
FIXTURE_MISSIONS = {
    ("pay", "Weekly pay"): {"mission": 1, "polarity": 1},
    ("wellbeing", "Life satisfaction"): {"mission": 8, "polarity": 1},
    ("wellbeing", "Anxiety"): {"mission": 8, "polarity": -1},
    ("gapscore", "Gap score"): {"mission": 2, "polarity": 1},
}
GAP_JSON = """{"ess-beta-metadata": {"label": "Gap score", "prefix": null, "suffix": null,
 "subText": "points", "decimalPlaces": 1, "subtitle": "A hand-made score (points)",
 "sourceOrg": "lumap tests", "longDescription": "Hand-made.", "standardised": "T"}}"""


def gap_csv() -> str:
    """14 areas, 2019 and 2024: the best areas fall back towards the rest (a narrowing gap)."""
    head = "areacd,areanm,geography,indicator,period,observation,measure,unit,lci_95,uci_95,status,notes"
    rows = [head]
    for i in range(1, 15):
        code = f"E060000{i:02d}"
        for period, value in (("2019-04-10", 40 + 3 * i), ("2024-04-17", 50 + 1.5 * i)):
            rows.append(
                f"{code},Area {i},County or Unitary Authority,Gap score,{period},{value},Score,points,"
                f"{value - 1.5},{value + 1.5},,"
            )
    return "\n".join(rows) + "\n"


@pytest.fixture(scope="module")
def mission_store_dir(tmp_path_factory) -> str:
    real = metadata._mission_catalogue()
    root = tmp_path_factory.mktemp("mission-fixture")
    source = root / "source"
    shutil.copytree(FIXTURE_SOURCE, source)
    (source / "indicators" / "gapscore").mkdir()
    (source / "indicators" / "gapscore" / "gapscore.csv").write_text(gap_csv())
    (source / "indicators" / "gapscore" / "gapscore.json").write_text(GAP_JSON)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(metadata, "_mission_catalogue", lambda: (real[0], FIXTURE_MISSIONS))
        d = root / "data"
        report = build(str(source), d, progress=lambda m: None)
    assert report.ok and not [w for w in report.warnings if "views" in str(w)]
    return str(d)


@pytest.fixture(scope="module")
def store(mission_store_dir) -> Store:
    return Store(mission_store_dir)


def same(a, b) -> None:
    """Equal to the last digit: dataclasses field by field, frames cell by cell."""
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, check_exact=True)
    elif dataclasses.is_dataclass(a):
        assert type(a) is type(b)
        for f in dataclasses.fields(a):
            same(getattr(a, f.name), getattr(b, f.name))
    elif isinstance(a, list | tuple):
        assert type(a) is type(b) and len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            same(x, y)
    elif isinstance(a, dict):
        assert a.keys() == b.keys()
        for k in a:
            same(a[k], b[k])
    elif isinstance(a, float) and a != a:
        assert b != b
    else:
        assert a == b


def test_every_default_view_is_precomputed(store):
    keys = list(precomputed.default_keys(store))
    kinds = {k[0] for k in keys}
    assert kinds == {"catalogue_glance", "mission_report", "mission_chart_specs"}
    assert {k[1] for k in keys if k[0] == "mission_report"} == {
        "weekly-pay",
        "wellbeing-satisfaction",
        "anxiety",
        "gap-score",
    }
    assert {(k[1], k[2]) for k in keys if k[0] == "catalogue_glance"} == {
        (c, lvl) for c in ("missions", "lof") for lvl in ("ltla", "utla", "rgn", "cauth", "ctry")
    }
    for key in keys:
        assert precomputed.lookup(store, *key) is not precomputed.MISSING, key


def test_precomputed_views_equal_the_worker_jobs(store):
    """Each stored view equals what the worker job of that name computes on demand."""
    n_tested = 0
    for name, *args in precomputed.default_keys(store):
        stored = precomputed.lookup(store, name, *args)
        computed = getattr(jobs, name)(store.key, *args)
        same(stored, computed)
        if name == "mission_report" and computed.gap_verdict is not None and computed.gap_verdict.tested:
            n_tested += 1
            assert stored.gap_verdict.ci_low == computed.gap_verdict.ci_low
            assert stored.table["low"].notna().any()  # the bootstrap band, compared above
    assert n_tested >= 1  # at least one bootstrap verdict compared, not only untested ones
    glance = precomputed.lookup(store, "catalogue_glance", "missions", "ltla", 2019, "top_rest_gap")
    line = next(line for g in glance if g.number == 2 for line in g.indicators)
    assert line.indicator == "gap-score" and line.tested and line.verdict == "gap narrowing"
    assert len(line.base) == len(line.now) == 14


def test_other_choices_are_not_precomputed(store):
    assert precomputed.lookup(store, "catalogue_glance", "missions", "ltla", 2022, "top_rest_gap") is (
        precomputed.MISSING
    )
    assert (
        precomputed.lookup(store, "mission_report", "weekly-pay", "ltla", 2019, "cv") is precomputed.MISSING
    )


def test_views_of_other_code_are_never_used(mission_store_dir, monkeypatch):
    """A build made by other code (its fingerprint differs) counts as not precomputed."""
    monkeypatch.setattr(precomputed, "fingerprint", lambda: "another version of lumap")
    fresh = Store(mission_store_dir)
    assert precomputed.lookup(fresh, "catalogue_glance", "missions", "ltla", 2019, "top_rest_gap") is (
        precomputed.MISSING
    )


def test_a_damaged_file_counts_as_missing(mission_store_dir, tmp_path):
    path = tmp_path / precomputed.FILE
    path.write_bytes(b"not a pickle")
    assert precomputed._load(path) == {}
    path.write_bytes(pickle.dumps(["wrong", "shape"]))
    assert precomputed._load(path) == {}
    assert precomputed._load(tmp_path / "absent.pkl") == {}


def test_a_failing_precompute_keeps_the_build(tmp_path, monkeypatch):
    def broken(*a, **k):
        raise RuntimeError("boom")

    monkeypatch.setattr(precomputed, "write", broken)
    report = build(str(FIXTURE_SOURCE), tmp_path / "d", progress=lambda m: None)
    assert report.ok
    assert any("not precomputed" in str(w) and "boom" in str(w) for w in report.warnings)
    assert Store(tmp_path / "d").has("weekly-pay")


def test_fingerprint_covers_the_code_not_the_ui():
    names = {p.relative_to(precomputed._ROOT).as_posix() for p in precomputed._ROOT.rglob("*.py")}
    assert "queries/glance.py" in names and "ui/cache.py" in names
    assert len(precomputed.fingerprint()) == 64


def test_missions_page_reads_them_without_a_worker(mission_store_dir, monkeypatch):
    """The default views open with no worker job at all; another baseline asks one."""
    from lumap import workers

    asked: list[str] = []

    def run(fn, *args, **kwargs):
        asked.append(fn.__name__)
        return fn(*args, **kwargs)  # in place: the test's own process

    monkeypatch.setenv("LUMAP_DATA_DIR", mission_store_dir)
    monkeypatch.setattr(workers, "run", run)
    at = AppTest.from_file("../app.py", default_timeout=120)
    at.run()
    at.switch_page("pages/missions.py")
    at.query_params["mission"] = "1"
    at.run()
    assert not at.exception
    assert asked == []
    assert any("Weekly pay" in e.label for e in at.expander)
    at.query_params["baseline"] = "2022"
    at.query_params["mission"] = "1"
    at.run()
    assert not at.exception
    assert "catalogue_glance" in asked
