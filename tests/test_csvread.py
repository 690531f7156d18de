import math
from pathlib import Path

from lumap.data.csvread import read_observations

SRC = Path(__file__).parent / "fixtures" / "source" / "indicators"


def read(name):
    p = SRC / name / f"{name}.csv"
    return read_observations(p.read_bytes(), str(p), "default")


def test_bom_crlf_quoted_commas_and_scientific_notation():
    frame, problems = read("pay")
    assert problems == []
    assert list(frame.columns[:3]) == ["areacd", "areanm", "geography"]
    assert frame.loc[0, "areacd"] == "K02000001"  # BOM stripped from the first header
    hull = frame[frame["areacd"] == "E06000010"].iloc[0]
    assert hull["areanm"] == "Kingston upon Hull, City of"
    assert hull["value"] == 360.0  # 3.60E+02
    aberdeen = frame[frame["areacd"] == "S12000033"].iloc[0]
    assert aberdeen["value"] == 37.487629999999996  # unrounded float kept exactly


def test_empty_observation_keeps_status():
    frame, _ = read("pay")
    city = frame[frame["areacd"] == "E09000001"].iloc[0]
    assert math.isnan(city["value"]) and city["status"] == "c"


def test_columns_by_name_and_duplicate_notes():
    frame, problems = read("wellbeing")
    assert problems == []
    anx = frame[frame["indicator"] == "Anxiety"].iloc[0]
    assert anx["value"] == 3.1 and anx["measure"] == "Mean"
    assert anx["notes"] == "second notes column"  # first notes empty -> second one used
    mid = frame[frame["areacd"] == "E06000002"].iloc[0]
    assert mid["status"] == "x" and mid["notes"] == "Data not available"


def test_duplicate_rows_under_two_geography_labels_are_both_kept_for_the_store():
    frame, _ = read("pay")
    gm = frame[frame["areacd"] == "E47000001"]
    assert sorted(gm["geography"]) == ["Combined Authority or City Region", "ITL Level 2"]


def test_small_area_file_with_four_columns():
    data = b"AREANM,AREACD,Period,Observation\nBelfast 1,95AA01,1998,12.5\nBelfast 2,95AA02,1999,\n"
    frame, problems = read_observations(data, "soa.csv", "Small area GVA")
    assert problems == []
    assert list(frame["indicator"]) == ["Small area GVA"] * 2
    assert frame.loc[0, "value"] == 12.5 and math.isnan(frame.loc[1, "value"])


def test_bad_number_reported_with_file_and_line():
    data = b"areacd,period,observation\nE06000001,2024-01-01/P1Y,12\nE06000002,2024-01-01/P1Y,twelve\n"
    frame, problems = read_observations(data, "bad.csv", "x")
    assert frame is None
    assert (
        str(problems[0]) == "bad.csv, line 3: observation 'twelve' is not a number "
        "(expected e.g. 12, -3.5 or 3.60E-05, or an empty cell)"
    )


def test_bad_period_missing_column_and_ragged_row():
    _, p1 = read_observations(b"areacd,period,observation\nE06000001,2024-Q1,1\n", "a.csv", "x")
    assert p1[0].line == 2 and "2024-Q1" in p1[0].reason
    _, p2 = read_observations(b"areacd,observation\nE06000001,1\n", "b.csv", "x")
    assert p2[0].line == 1 and "missing column(s) period" in p2[0].reason
    _, p3 = read_observations(b"areacd,period,observation\nE06000001,2024,1,9\n", "c.csv", "x")
    assert "4 fields where the header has 3" in p3[0].reason


def test_not_utf8_and_empty_file():
    _, p1 = read_observations(b"areacd,period,observation\n\xff\xfe,2024,1\n", "d.csv", "x")
    assert "not UTF-8" in p1[0].reason
    _, p2 = read_observations(b"", "e.csv", "x")
    assert "empty" in p2[0].reason
