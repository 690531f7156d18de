"""The data build over the hand-made fixture source: quirks, rejection, atomic swap."""

import math
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from lumap.data.build import build
from lumap.data.store import Store, StoreMissing
from lumap.queries.export import export_csv

from .conftest import have_shared_data

QUIET = dict(progress=lambda m: None)


def test_every_dataset_folder_is_ingested_and_slugs_follow_the_manifest(fixture_store_dir):
    s = Store(fixture_store_dir)
    assert s.build_info["datasets"] == 3
    assert s.build_info["no_data"] == ["metaonly"]  # metadata-only folder tolerated
    assert set(s.meta) == {"weekly-pay", "wellbeing-satisfaction", "anxiety", "period-forms"}
    # manifest slug where a row matches; otherwise a slug made from the indicator name
    assert s.indicator("anxiety")["code"] == "Anxiety"


def test_metadata_kept(fixture_store_dir):
    s = Store(fixture_store_dir)
    pay = s.indicator("weekly-pay")
    assert (pay["prefix"], pay["decimals"], pay["label"]) == ("GBPSign", 0, "Weekly pay")
    assert pay["source_org"] == "Office for National Statistics|NISRA"
    assert pay["has_ci"] is True and pay["unit"] == "£"
    sat = s.indicator("wellbeing-satisfaction")  # multi-indicator JSON: shared + own block
    assert (sat["subtext"], sat["decimals"], sat["subtitle"]) == (
        "score out of 10",
        1,
        "Average life satisfaction",
    )
    assert sat["experimental"] is True


def test_period_labels_and_start_years(fixture_store_dir):
    s = Store(fixture_store_dir)
    p = s.periods("period-forms")
    assert list(p["label"]) == ["2019-21", "FY 2023-24", "AY 2023-24", "2024", "Mar 2025", "2025"]
    assert list(p["start_year"]) == [2019, 2023, 2023, 2024, 2025, 2025]
    # year=2023 -> the latest period starting in 2023
    assert s.resolve_year("period-forms", 2023) == "2023-09-01/P1Y"
    assert s.resolve_year("period-forms", None) == "2025-04-30"
    assert s.resolve_year("period-forms", 1990) is None


def test_values_one_per_area_old_code_dropped_when_successor_present(fixture_store_dir):
    s = Store(fixture_store_dir)
    v = s.values("weekly-pay", "2024-04-17", "ltla")
    codes = list(v["areacd"])
    assert "E07000026" not in codes and "E06000063" in codes  # Allerdale replaced by Cumberland
    assert codes.count("E06000001") == 1
    assert "na" not in codes and "K02000001" not in codes
    city = v[v["areacd"] == "E09000001"].iloc[0]
    assert math.isnan(city["value"]) and city["status"] == "c"
    # 2019 has only the old code: it stays
    assert "E07000026" in set(s.values("weekly-pay", "2019-04-10", "ltla")["areacd"])
    # duplicate rows under two geography labels -> one combined-authority row
    assert list(s.values("weekly-pay", "2024-04-17", "cauth")["areacd"]) == ["E47000001"]


def test_export_prints_exact_source_numbers(fixture_store_dir):
    s = Store(fixture_store_dir)
    text = export_csv(s, "weekly-pay", 2024, "ltla")
    lines = text.splitlines()
    assert lines[0].startswith("areacd,areanm,indicator,period,period_label,value,lci_95,uci_95")
    row = next(line for line in lines if line.startswith("S12000033"))
    assert ",37.487629999999996," in row
    hartlepool = next(line for line in lines if line.startswith("E06000001"))
    assert hartlepool.split(",")[5:8] == ["520.25", "500.0", "540.5"]


def test_bad_file_rejected_good_ones_written_previous_kept(copy_source, tmp_path):
    data = tmp_path / "store"
    assert build(str(copy_source), data, **QUIET).ok
    first = (data / "current").resolve()
    # break one dataset
    bad = copy_source / "indicators" / "pay" / "pay.csv"
    bad.write_bytes(bad.read_bytes().replace(b"520.25", b"five hundred"))
    report = build(str(copy_source), data, **QUIET)
    assert not report.ok
    assert report.datasets_kept == ["pay"]
    assert any(
        "pay.csv, line 6: observation 'five hundred' is not a number" in str(p) for p in report.problems
    )
    s = Store(data)
    assert (data / "current").resolve() != first
    assert (
        s.values("weekly-pay", "2024-04-17", "ltla").set_index("areacd").loc["E06000001", "value"] == 520.25
    )
    assert "wellbeing-satisfaction" in s.meta


def test_cli_exits_non_zero_and_names_file_and_line(copy_source, tmp_path):
    bad = copy_source / "indicators" / "wellbeing" / "wellbeing.csv"
    bad.write_text(bad.read_text().replace("2021-04-01/P1Y,Mean,3.1", "2021-Q2,Mean,3.1"))
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "lumap",
            "build",
            "--source",
            str(copy_source),
            "--data-dir",
            str(tmp_path / "d"),
        ],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 1
    assert "wellbeing.csv, line 3: period '2021-Q2'" in r.stderr
    assert "[" in r.stderr and "pay" in r.stderr  # progress lines


def test_build_killed_half_way_leaves_previous_store(copy_source, tmp_path):
    data = tmp_path / "store"
    build(str(copy_source), data, **QUIET)
    before = (data / "current").resolve()
    # a slow source: the build is killed while reading
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    code = (
        "import time, lumap.data.csvread as c\n"
        "orig = c.read_observations\n"
        "def slow(*a, **k):\n    time.sleep(30)\n    return orig(*a, **k)\n"
        "import lumap.data.build as b\nb.read_observations = slow\n"
        f"b.build({str(copy_source)!r}, __import__('pathlib').Path({str(data)!r}),"
        " progress=lambda m: print(m, flush=True))\n"
    )
    p = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True)
    p.stdout.readline()  # "Building …" printed: the build has started
    p.send_signal(signal.SIGKILL)
    p.wait()
    assert (data / "current").resolve() == before
    s = Store(data)
    assert "weekly-pay" in s.meta
    # the next build cleans up the half-written folder and succeeds
    assert build(str(copy_source), data, **QUIET).ok
    assert not list((data / "builds").glob(".tmp-*"))


def test_missing_store_has_an_actionable_error(tmp_path):
    with pytest.raises(StoreMissing, match="python -m lumap build"):
        Store(tmp_path)


def test_source_that_is_not_a_source(tmp_path):
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "lumap",
            "build",
            "--source",
            str(tmp_path),
            "--data-dir",
            str(tmp_path / "d"),
        ],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 2 and "is not a data source" in r.stderr


@pytest.mark.skipif(not have_shared_data(), reason="../shared/data not present")
def test_real_build_counts(real_store_dir):
    s = Store(real_store_dir)
    info = s.build_info
    assert info["rows"] == 279_575 and info["problems"] == []
    assert len(s.meta) == 86
    pay = s.values("gross-median-weekly-pay", "2025-04-30", "ltla")
    assert pay.set_index("areacd").loc["E09000020", "value"] == 955.2
    # the boundary layers the map needs exist and are small
    assert len(s.boundaries("ltla")["features"]) >= 409


def test_empty_successor_row_does_not_hide_the_old_codes_value(copy_source, tmp_path):
    pay = copy_source / "indicators" / "pay" / "pay.csv"
    text = (
        pay.read_bytes()
        .decode("utf-8-sig")
        .replace(
            "E06000063,Cumberland,County or Unitary Authority,Weekly pay,2024-04-17,480,",
            "E06000063,Cumberland,County or Unitary Authority,Weekly pay,2024-04-17,,",
        )
    )
    pay.write_text(text)
    build(str(copy_source), tmp_path / "d", **QUIET)
    v = Store(tmp_path / "d").values("weekly-pay", "2024-04-17", "ltla").set_index("areacd")
    assert v.loc["E07000026", "value"] == 480  # Allerdale's published value is kept
    assert math.isnan(v.loc["E06000063", "value"])  # Cumberland shown as no data


def test_broken_metadata_json_is_reported_with_its_line(copy_source, tmp_path):
    meta = copy_source / "indicators" / "wellbeing" / "wellbeing.json"
    meta.write_text(meta.read_text().replace('"Anxiety": {', '"Anxiety": {{'))
    report = build(str(copy_source), tmp_path / "d", **QUIET)
    assert report.datasets_failed == ["wellbeing"]  # no previous build to keep
    problem = next(str(p) for p in report.problems if "wellbeing.json" in str(p))
    assert "line 7" in problem and "not valid JSON" in problem
    assert "weekly-pay" in Store(tmp_path / "d").meta  # the good datasets are written


@pytest.mark.skipif(not have_shared_data(), reason="../shared/data not present")
def test_every_stored_number_equals_the_source_csv(real_store_dir):
    """Read every source CSV independently (pandas, not lumap's reader) and check that each
    observation and interval is in the store unchanged."""
    import pandas as pd

    from lumap import config

    s = Store(real_store_dir)
    stored = s.obs.assign(
        areacd=s.obs["areacd"].astype(str),
        period=s.obs["period"].astype(str),
        code=s.obs["indicator_code"].astype(str),
        dataset=s.obs["dataset"].astype(str),
        areanm=s.obs["areanm"].astype(str),
    )
    checked = 0
    for csv in sorted((config.SHARED_SOURCE / "indicators").glob("*/*.csv")):
        raw = pd.read_csv(csv, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        raw.columns = [c.strip().lower() for c in raw.columns]
        raw = raw.loc[:, ~raw.columns.duplicated()]
        if "indicator" not in raw:
            continue  # the 4-column small-area file has no indicator column
        mine = stored[stored["dataset"] == csv.parent.name]
        # areanm in the key: three Scottish city regions share the code "na"
        merged = raw.merge(
            mine,
            left_on=["areacd", "areanm", "period", "indicator"],
            right_on=["areacd", "areanm", "period", "code"],
            how="left",
            suffixes=("_src", ""),
        )
        assert merged["value"].notna().sum() + (merged["observation"] == "").sum() >= len(raw), csv.name
        src = pd.to_numeric(merged["observation"], errors="coerce")
        assert ((src == merged["value"]) | (src.isna() & merged["value"].isna())).all(), csv.name
        for col in ("lci_95", "uci_95"):
            a = pd.to_numeric(merged[f"{col}_src"], errors="coerce")
            assert ((a == merged[col]) | (a.isna() & merged[col].isna())).all(), (csv.name, col)
        checked += len(raw)
    assert checked == 259_105  # every row of the 57 standard-schema files
