"""Postcode lookup: built from an NSPL-layout file (a hand-made fixture), read offline."""

import zipfile
from pathlib import Path

import pytest

from lumap.data import postcodes as pcs

FIXTURE = Path(__file__).parent / "fixtures" / "postcodes" / "NSPL_SMALL_UK.csv"


@pytest.fixture(scope="module")
def lookup(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pc")
    info = pcs.build_lookup(FIXTURE, out)
    assert info["postcodes"] == 10 and info["live"] == 9 and info["source"] == FIXTURE.name
    return out / pcs.FILE


@pytest.mark.parametrize(
    "text,key",
    [("sw1a 1aa", "SW1A1AA"), (" M1 1AE ", "M11AE"), ("EH11YZ", "EH11YZ"), ("GIR 0AA", "GIR0AA")],
)
def test_postcodes_are_normalised(text, key):
    assert pcs.normalise(text) == key
    assert pcs.written(key).replace(" ", "") == key


@pytest.mark.parametrize("text", ["", "hello", "SW1A", "12345", "SW1A 1AAA", "<script>"])
def test_what_is_not_a_postcode_is_refused(text):
    assert pcs.normalise(text) is None


def test_lookup_finds_the_local_authority_and_county(lookup):
    assert pcs.find(lookup, "SW1A1AA") == pcs.Postcode("SW1A 1AA", "E09000033", None, False)
    assert pcs.find(lookup, "ME141XX") == pcs.Postcode("ME14 1XX", "E07000110", "E10000016", False)
    assert pcs.find(lookup, "ME141ZZ").terminated
    assert pcs.find(lookup, "ZZ11ZZ") is None


def test_onspd_names_in_upper_case_and_a_zip_as_ons_publishes_it(tmp_path):
    rows = "PCDS,OSLAUA,OSCTY,DOTERM\nFY1 1AD,E06000009,E99999999,\nfy1 1ad,E06000009,E99999999,201001\n"
    z = tmp_path / "ONSPD_TEST.zip"
    with zipfile.ZipFile(z, "w") as f:
        f.writestr("Data/ONSPD_TEST_UK.csv", rows)
        f.writestr("Data/multi_csv/ONSPD_TEST_FY.csv", rows)  # the same rows again, per area
        f.writestr("Documents/LA_UA names.csv", "LAD,NAME\nE06000009,Blackpool\n")
    info = pcs.build_lookup(z, tmp_path)
    assert info["postcodes"] == 1  # one row per postcode, the live one
    assert pcs.find(tmp_path / pcs.FILE, "FY11AD") == pcs.Postcode("FY1 1AD", "E06000009", None, False)


def test_a_file_without_the_columns_says_what_it_expected(tmp_path):
    bad = tmp_path / "x.csv"
    bad.write_text("name,code\nBlackpool,E06000009\n")
    with pytest.raises(pcs.PostcodeSourceError, match="expected a postcode column"):
        pcs.build_lookup(bad, tmp_path)
    with pytest.raises(pcs.PostcodeSourceError, match="no such file"):
        pcs.build_lookup(tmp_path / "missing.csv", tmp_path)


def test_a_lookup_reads_one_row_group_not_the_whole_file(tmp_path):
    import pyarrow.parquet as pq

    lines = ["pcds,laua"] + [
        f"AB{i // 900 + 1} {i % 10}{chr(65 + i % 26)}{chr(65 + (i // 26) % 26)},S12000033"
        for i in range(80_000)
    ]
    src = tmp_path / "big.csv"
    src.write_text("\n".join(lines) + "\n")
    pcs.build_lookup(src, tmp_path)
    meta = pq.ParquetFile(tmp_path / pcs.FILE).metadata
    assert meta.num_row_groups >= 2
    key = pcs.normalise(lines[40_000].split(",")[0])
    assert pcs.find(tmp_path / pcs.FILE, key).la == "S12000033"


def test_the_build_takes_a_postcode_input_keeps_it_and_refuses_a_bad_one(tmp_path):
    from lumap.data import layout
    from lumap.data.build import build

    from .conftest import FIXTURE_SOURCE

    data = tmp_path / "data"
    report = build(str(FIXTURE_SOURCE), data, progress=lambda m: None, postcodes=FIXTURE)
    assert report.ok and report.postcodes["postcodes"] == 10
    areas = layout.current(data).areas
    assert pcs.find(areas / pcs.FILE, "M11AE").la == "E08000003"
    # a later build without the input keeps the lookup (offline once built)
    report = build(str(FIXTURE_SOURCE), data, progress=lambda m: None)
    assert report.ok and report.postcodes["postcodes"] == 10
    assert pcs.find(layout.current(data).areas / pcs.FILE, "M11AE") is not None
    # a bad input is a problem naming the file; the previous lookup stays
    bad = tmp_path / "nspl.csv"
    bad.write_text("postcode\nM1 1AE\n")
    report = build(str(FIXTURE_SOURCE), data, progress=lambda m: None, postcodes=bad)
    assert not report.ok and any(
        "nspl.csv" in str(p) and "local authority" in str(p) for p in report.problems
    )
    assert pcs.find(layout.current(data).areas / pcs.FILE, "M11AE") is not None


def test_a_store_without_a_lookup_says_so(fixture_store_dir):
    from lumap.data.store import Store
    from lumap.queries.places import find_postcode, has_postcodes

    store = Store(fixture_store_dir)
    assert not has_postcodes(store)
    answer = find_postcode(store, "SW1A 1AA", "ltla", {})
    assert answer.area is None and answer.message.startswith("Postcode search is not available")
