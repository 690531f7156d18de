"""The build keeps what is good: vanished datasets and files, stable slugs, bounded boundary
work, temporary files cleaned on every way out, and a second source format without build.py."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from lumap.data import build as build_module
from lumap.data import readers
from lumap.data.build import build
from lumap.data.store import Store

QUIET = dict(progress=lambda m: None)


@pytest.fixture()
def built(copy_source, tmp_path):
    data = tmp_path / "store"
    assert build(str(copy_source), data, **QUIET).ok
    return copy_source, data


def pay_value(data: Path) -> float:
    v = Store(data).values("weekly-pay", "2024-04-17", "ltla").set_index("areacd")
    return float(v.loc["E06000001", "value"])


def problems(report) -> str:
    return "\n".join(str(p) for p in report.problems)


@pytest.mark.parametrize(
    "how",
    ["deleted", "symlink", "dangling symlink", "folder"],
)
def test_a_vanished_csv_keeps_the_previous_version(built, how):
    source, data = built
    csv = source / "indicators" / "pay" / "pay.csv"
    csv.unlink()
    if how == "symlink":
        csv.symlink_to("/etc/passwd")
    elif how == "dangling symlink":
        csv.symlink_to("/nonexistent")
    elif how == "folder":
        csv.mkdir()
    report = build(str(source), data, **QUIET)
    assert report.datasets_kept == ["pay"] and "pay" not in report.no_data
    text = problems(report)
    expected = {
        "deleted": "indicators/pay: has no observation file any more (the previous build read "
        "indicators/pay/pay.csv)",
        "symlink": "indicators/pay/pay.csv: is a symbolic link",
        "dangling symlink": "indicators/pay/pay.csv: is a symbolic link",
        "folder": "indicators/pay/pay.csv: is a folder, not a file",
    }[how]
    assert expected in text
    assert pay_value(data) == 520.25


def test_a_vanished_dataset_folder_is_kept_until_dropped_on_purpose(built):
    source, data = built
    shutil.rmtree(source / "indicators" / "pay")
    report = build(str(source), data, **QUIET)
    assert "indicators/pay: is gone from the source" in problems(report) and "--drop pay" in problems(report)
    assert pay_value(data) == 520.25
    report = build(str(source), data, drop=["pay"], **QUIET)
    assert report.ok and report.dropped == ["pay"]
    assert "weekly-pay" not in Store(data).meta


def test_cli_drop(built):
    source, data = built
    shutil.rmtree(source / "indicators" / "pay")
    cmd = [sys.executable, "-m", "lumap", "build", "--source", str(source), "--data-dir", str(data)]
    r = subprocess.run(cmd, capture_output=True, text=True)
    assert r.returncode == 1 and "is gone from the source" in r.stderr
    r = subprocess.run([*cmd, "--drop", "pay"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_a_vanished_area_file_keeps_its_previous_version(built):
    source, data = built
    (source / "meta" / "areas-similar.json").unlink()
    report = build(str(source), data, **QUIET)
    assert "meta/areas-similar.json: is gone from the source" in problems(report)
    assert Store(data).similar["E06000001"]["global"] == ["E06000002", "E06000010"]


def test_wrong_area_file_keeps_its_previous_version(built):
    source, data = built
    (source / "boundaries" / "geo-latest-year.json").write_text('"twenty"')
    report = build(str(source), data, **QUIET)
    assert "geo-latest-year.json, at the document" not in problems(report)
    assert (
        "boundaries/geo-latest-year.json: should be a year from 1800 to 2200, found text ('twenty')"
        in problems(report)
    )
    assert Store(data).latest_year == 2025


def _two_vintages(source: Path) -> None:
    topo = source / "boundaries" / "topo.json"
    shutil.copy(topo, source / "boundaries" / "topo-2024-07-01.json")


def test_topology_with_no_objects_is_an_error_not_replaced_by_the_other_vintage(copy_source, tmp_path):
    _two_vintages(copy_source)
    data = tmp_path / "store"
    assert build(str(copy_source), data, **QUIET).ok
    before = (data / "current" / "boundaries" / "ltla.geojson").read_bytes()
    topo = copy_source / "boundaries" / "topo.json"
    doc = json.loads(topo.read_text())
    doc["objects"] = {}
    topo.write_text(json.dumps(doc))
    report = build(str(copy_source), data, **QUIET)
    assert 'boundaries/topo.json, at "objects": is empty: the file has no boundaries' in problems(report)
    assert (data / "current" / "boundaries" / "ltla.geojson").read_bytes() == before
    assert report.boundaries.get("files") == ["boundaries/topo.json", "boundaries/topo-2024-07-01.json"]


def test_a_vanished_vintage_keeps_the_previous_boundaries(copy_source, tmp_path):
    _two_vintages(copy_source)
    data = tmp_path / "store"
    assert build(str(copy_source), data, **QUIET).ok
    (copy_source / "boundaries" / "topo.json").unlink()
    report = build(str(copy_source), data, **QUIET)
    assert "boundaries/topo.json: is gone from the source" in problems(report)
    assert len(Store(data).boundaries("ltla")["features"]) == 7


def test_topology_without_transform_fails_fast(built):
    """It ran for 15 minutes and took 23 GB before the coordinate check."""
    source, data = built
    topo = source / "boundaries" / "topo.json"
    doc = json.loads(topo.read_text())
    del doc["transform"]
    topo.write_text(json.dumps(doc))
    started = time.perf_counter()
    report = build(str(source), data, **QUIET)
    assert time.perf_counter() - started < 30
    assert "there is no transform" in problems(report) or "without its transform" in problems(report)
    assert len(Store(data).boundaries("ltla")["features"]) == 7


def test_boundary_work_is_held_to_a_time_and_memory_limit(built, monkeypatch):
    source, data = built
    topo = source / "boundaries" / "topo.json"
    topo.write_text(topo.read_text().replace("Hartlepool", "Hartlepool (changed)", 1))  # not reusable
    monkeypatch.setattr(build_module, "BOUNDARY_SECONDS", 0.05)
    report = build(str(source), data, **QUIET)
    assert "simplifying the boundaries took longer than 0 s and was stopped" in problems(report)
    monkeypatch.setattr(build_module, "BOUNDARY_SECONDS", 120)
    monkeypatch.setattr(build_module, "BOUNDARY_MEMORY", 64 * 2**20)
    report = build(str(source), data, **QUIET)
    assert "simplifying the boundaries" in problems(report)
    assert "memory" in problems(report) or "stopped unexpectedly" in problems(report)
    assert len(Store(data).boundaries("ltla")["features"]) == 7  # the previous ones


def test_unchanged_boundaries_are_reused(built):
    source, data = built
    first = json.loads((data / "current" / "build.json").read_text())["boundaries"]
    messages: list[str] = []
    build(str(source), data, progress=messages.append)
    assert "Boundaries: unchanged since the previous build; reused" in messages
    assert json.loads((data / "current" / "build.json").read_text())["boundaries"]["key"] == first["key"]


# ---- slugs ------------------------------------------------------------------------------------------


def _new_dataset(source: Path, name: str, indicator: str, value: str = "1") -> None:
    folder = source / "indicators" / name
    folder.mkdir()
    (folder / f"{name}.csv").write_text(
        "areacd,areanm,geography,indicator,period,observation\n"
        f"E06000001,Hartlepool,UA,{indicator},2024-01-01/P1Y,{value}\n"
    )


def test_a_new_dataset_cannot_take_an_existing_slug(built):
    source, data = built
    _new_dataset(source, "a-newcomer", "Weekly pay", "999")  # slugify -> weekly-pay, pay's slug
    report = build(str(source), data, **QUIET)
    assert (
        "would get the slug 'weekly-pay', which already belongs to 'Weekly pay' of dataset 'pay'"
        in problems(report)
    )
    assert report.datasets_failed == ["a-newcomer"]
    assert pay_value(data) == 520.25  # the old link still shows pay


def test_collision_between_two_new_datasets_in_a_first_build(copy_source, tmp_path):
    _new_dataset(copy_source, "zz-one", "Same thing")
    _new_dataset(copy_source, "zz-two", "Same thing")
    report = build(str(copy_source), tmp_path / "d", **QUIET)
    assert "zz-two" in report.datasets_failed and "zz-one" in report.datasets_ok
    assert "already belongs to 'Same thing' of dataset 'zz-one'" in problems(report)


def test_slugs_are_stable_when_the_manifest_loses_a_row(built):
    source, data = built
    (source / "indicators" / "periods" / "periods.csv").write_text(
        (source / "indicators" / "periods" / "periods.csv").read_text()
    )
    manifest = source / "meta" / "manifest_metadata.csv"
    lines = manifest.read_text(encoding="utf-8-sig").splitlines()
    manifest.write_text("\n".join(line for line in lines if not line.startswith("weekly-pay")) + "\n")
    assert build(str(source), data, **QUIET).ok
    assert "weekly-pay" in Store(data).meta  # not re-made from the name ("weekly-pay" anyway) nor lost
    # a manifest that cannot be read at all: slugs and topics come from the previous build
    manifest.write_bytes("slug,topic\n".encode("utf-16"))
    report = build(str(source), data, **QUIET)
    assert "manifest_metadata.csv: is UTF-16 text" in problems(report)
    meta = Store(data).meta
    assert set(meta) == {"weekly-pay", "wellbeing-satisfaction", "anxiety", "period-forms"}
    assert meta["wellbeing-satisfaction"]["topic"] == "wellbeing"


def test_registry_is_carried_forward(built):
    source, data = built
    registry = json.loads((data / "current" / "slugs.json").read_text())
    assert registry["weekly-pay"] == ["pay", "Weekly pay"]


# ---- temporary files ----------------------------------------------------------------------------------


def test_temporary_folder_removed_when_the_build_raises(built, monkeypatch):
    source, data = built

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(build_module, "_copy_area_files", boom)
    with pytest.raises(RuntimeError):
        build(str(source), data, **QUIET)
    assert not list((data / "builds").glob(".tmp-*"))
    assert pay_value(data) == 520.25


def test_temporary_folder_removed_on_sigterm(built):
    source, data = built
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    code = (
        "import time, lumap.data.build as b\n"
        "orig = b._copy_area_files\n"
        "def slow(*a, **k):\n    print('slow', flush=True)\n    time.sleep(60)\n"
        "b._copy_area_files = slow\n"
        f"b.build({str(source)!r}, __import__('pathlib').Path({str(data)!r}), progress=lambda m: None)\n"
    )
    p = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "slow"  # inside the build, its temporary folder written
    assert list((data / "builds").glob(".tmp-*"))
    p.send_signal(signal.SIGTERM)
    assert p.wait(30) == 128 + signal.SIGTERM
    assert not list((data / "builds").glob(".tmp-*"))
    assert pay_value(data) == 520.25


# ---- a second source format --------------------------------------------------------------------------


class TsvReader:
    """A tab-separated reader, as a stand-in for Excel: same table of text cells."""

    suffixes = (".tsv",)
    max_bytes = 2**20

    def read(self, data: bytes, file: str):
        from lumap.data.csvread import read_table
        from lumap.data.encoding import decode_text

        text, problems = decode_text(data, file)
        if text is None:
            return None, problems
        return read_table(text.replace("\t", ","), file)


def test_a_second_format_slots_in_without_touching_the_build(copy_source, tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "_READERS", dict(readers._READERS))
    readers.register(TsvReader())
    folder = copy_source / "indicators" / "tabbed"
    folder.mkdir()
    (folder / "tabbed.tsv").write_text(
        "areacd\tareanm\tindicator\tperiod\tobservation\nE06000001\tHartlepool\tTabbed\t2024\t12.5\n"
        "E06000002\tMiddlesbrough\tTabbed\t2024\tx\n"
    )
    report = build(str(copy_source), tmp_path / "d", **QUIET)
    assert "indicators/tabbed/tabbed.tsv, line 3: observation 'x' is not a number" in problems(report)
    (folder / "tabbed.tsv").write_text(
        "areacd\tareanm\tindicator\tperiod\tobservation\nE06000001\tHartlepool\tTabbed\t2024\t12.5\n"
    )
    assert build(str(copy_source), tmp_path / "d", **QUIET).ok
    s = Store(tmp_path / "d")
    assert s.values("tabbed", "2024", "utla").set_index("areacd").loc["E06000001", "value"] == 12.5
    assert isinstance(s.obs, pd.DataFrame)
