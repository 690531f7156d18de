"""Uploads (#11): the reader and validator on small hand-made files, against the fixture
store's areas (tests/fixtures/source: Allerdale E07000026 ended in 2022, replaced by
Cumberland E06000063)."""

from __future__ import annotations

import io
import math

import openpyxl
import pytest

from lumap.data import upload
from lumap.data.gazetteer import Gazetteer
from lumap.data.store import Store
from lumap.data.upload import Columns, Settings


@pytest.fixture(scope="module")
def places(fixture_store_dir) -> Gazetteer:
    return Gazetteer.of(Store(fixture_store_dir))


def check(places, data: bytes | str, name: str = "mine.csv", columns: Columns | None = None, **settings):
    if isinstance(data, str):
        data = data.encode("utf-8")
    cols = columns or upload.preview(data, name).guess
    s = Settings(**{"label": "Happiness", **settings})
    return upload.check(data, name, cols, s, places, "your-data-happiness")


def reasons(rep) -> dict[int, str]:
    return {r.line: r.reason for r in rep.rejected}


def test_guess_columns_from_common_headers():
    g = upload.guess_columns(["Area Code", "Local authority", "Year", "Rate", "Lower 95% CI", "Upper 95% CI"])
    assert g == Columns("Area Code", "Local authority", "Year", "Rate", "Lower 95% CI", "Upper 95% CI")
    g = upload.guess_columns(["areacd", "areanm", "period", "value", "lci_95", "uci_95"])
    assert g == Columns("areacd", "areanm", "period", "value", "lci_95", "uci_95")


def test_a_clean_file_becomes_an_indicator_marked_your_data(places):
    rep, own = check(
        places,
        "areacd,period,value,lci_95,uci_95\n"
        "E06000001,2023,61.2,58.1,64.3\n"
        "E06000002,2023,57.9,54.8,61.0\n"
        "E06000001,2024,63,60.2,65.8\n",
        unit="%",
        polarity=1,
    )
    assert rep.ok and rep.rows_read == 3 and rep.rows_used == 3 and not rep.rejected
    assert own is not None
    assert own.meta["label"] == "Happiness (your data)"
    assert own.meta["own"] is True and own.meta["polarity"] == 1 and own.meta["has_ci"]
    assert own.meta["suffix"] == "%"
    assert [p["label"] for p in own.meta["periods"]] == ["2023", "2024"]
    assert "utla" in own.meta["levels"]
    got = {(r.areacd, r.period): (r.value, r.lci_95, r.uci_95) for r in own.obs.itertuples()}
    assert got == {
        ("E06000001", "2023-01-01/P1Y"): (61.2, 58.1, 64.3),
        ("E06000002", "2023-01-01/P1Y"): (57.9, 54.8, 61.0),
        ("E06000001", "2024-01-01/P1Y"): (63.0, 60.2, 65.8),
    }


def test_every_rejection_reason_with_its_line(places):
    rep, own = check(
        places,
        "areacd,period,value,lci_95,uci_95\n"  # line 1
        "E06000001,2024,61.2,58.1,64.3\n"  # 2 kept
        "E99999999,2024,1,,\n"  # 3 unknown code
        "E07000026,2024,5,,\n"  # 4 old code, after it ended: its successor named
        "E06000002,2024,abc,,\n"  # 5 non-numeric
        "E06000010,2024,50,60,70\n"  # 6 CI not around the value
        "E06000001,2024,62,58,64\n"  # 7 duplicate area-period
        "E05000001,2024,5,,\n"  # 8 a ward
        "E09000001,2024,5,4,\n"  # 9 one limit only
        "E12000001,2024,5,7,3\n"  # 10 limits swapped
        "E06000002,2023-24,5,,\n",  # 11 ambiguous period form
    )
    assert rep.rows_read == 10 and rep.rows_used == 1
    why = reasons(rep)
    assert sorted(why) == [3, 4, 5, 6, 7, 8, 9, 10, 11]
    assert "E99999999 is not a GSS code lumap knows" in why[3]
    assert "E07000026 (Allerdale) is from an older boundary set" in why[4]
    assert "replaced by E06000063 (Cumberland)" in why[4]
    assert "value 'abc' is not a number" in why[5]
    assert "not around the value 50" in why[6]
    assert why[7].startswith("duplicate: line 2 already gives Hartlepool (E06000001)")
    assert "is a ward" in why[8]
    assert "lower" in why[9] and "upper" in why[9]
    assert "swapped" in why[10]
    assert "financial or an academic year" in why[11]
    assert own is not None and list(own.obs["areacd"]) == ["E06000001"]
    assert own.obs["value"].tolist() == [61.2]


def test_old_code_before_it_ended_is_accepted_and_twins_keep_that_years_code(places):
    rep, own = check(
        places,
        "areacd,period,value\n"
        "E07000026,2021,5\n"  # Allerdale in 2021: fine
        "E07000026,2023,6\n"  # Allerdale in 2023 beside Cumberland: the same ground twice
        "E06000063,2023,7\n",
    )
    why = reasons(rep)
    assert list(why) == [3]
    assert "ended in 2022" in why[3] or "its successor" in why[3]
    assert rep.rows_used == 2


def test_names_matched_to_codes_and_every_unmatched_name_listed(places):
    rep, own = check(
        places,
        "areanm,period,value\n"
        "Hartlepool,2024,1\n"
        "Kingston upon Hull City of,2024,2\n"  # punctuation ignored
        "city of london,2024,3\n"  # case ignored
        "Middlesbrogh,2024,4\n"  # a typo: the closest name suggested
        "Nowhere,2024,5\n"
        "Nowhere,2023,6\n",
    )
    assert {m.name: m.code for m in rep.matched} == {
        "Hartlepool": "E06000001",
        "Kingston upon Hull City of": "E06000010",
        "city of london": "E09000001",
    }
    unmatched = {name: (rows, why) for name, rows, why in rep.unmatched}
    assert set(unmatched) == {"Middlesbrogh", "Nowhere"}
    assert unmatched["Nowhere"][0] == 2
    assert "Did you mean Middlesbrough (E06000002)?" in unmatched["Middlesbrogh"][1]
    assert sorted(reasons(rep)) == [5, 6, 7]
    assert rep.rows_used == 3 and own is not None
    assert sorted(own.obs["areacd"]) == ["E06000001", "E06000010", "E09000001"]
    assert set(own.obs["areanm"]) == {"Hartlepool", "Kingston upon Hull, City of", "City of London"}


def test_an_ambiguous_name_lists_its_codes():
    geo = {
        "E12000001": {"areanm": "North East"},
        "E47000010": {"areanm": "North East"},
        "E06000001": {"areanm": "Hartlepool"},
    }
    g = Gazetteer(geo, {}, {})
    place, why = g.match("North East", 2024)
    assert place is None and "ambiguous" in why and "E12000001" in why and "E47000010" in why
    place, why = g.match("North East", 2024, level="rgn")
    assert place is not None and place.code == "E12000001"


@pytest.mark.parametrize(
    "written, stored",
    [
        ("2024", "2024-01-01/P1Y"),
        ("2024.0", "2024-01-01/P1Y"),
        ("FY 2023-24", "2023-04-01/P1Y"),
        ("AY 2023/24", "2023-09-01/P1Y"),
        ("Mar 2025", "2025-03-01/P1M"),
        ("2023-04-01/P1Y", "2023-04-01/P1Y"),
    ],
)
def test_period_forms(places, written, stored):
    rep, own = check(places, f"areacd,period,value\nE06000001,{written},1\n")
    assert rep.ok, rep.rejected
    assert list(own.obs["period"]) == [stored]


def test_thousands_separators_and_empty_values(places):
    rep, own = check(places, 'areacd,period,value\nE06000001,2024,"12,345"\nE06000002,2024,\n')
    assert rep.rows_used == 2
    vals = dict(zip(own.obs["areacd"], own.obs["value"], strict=True))
    assert vals["E06000001"] == 12345 and math.isnan(vals["E06000002"])
    assert any("no value" in n for n in rep.notes)


def test_nan_inf_and_huge_numbers_are_rejected_rows(places):
    rep, own = check(
        places,
        "areacd,period,value\n"
        "E06000001,2024,1e400\n"
        "E06000002,2024,nan\n"
        "E06000010,2024,inf\n"
        "E09000001,2024,-Infinity\n"
        "E12000001,2024,1e300\n",
    )
    assert own is None and not rep.ok and rep.rows_read == 5
    why = reasons(rep)
    assert sorted(why) == [2, 3, 4, 5, 6]
    assert "implausibly large" in why[2] and "implausibly large" in why[6]
    assert all("not a number" in why[i] for i in (3, 4, 5))


def test_settings_are_checked(places):
    rep, own = check(places, "areacd,period,value\nE06000001,2024,1\n", label="  ")
    assert own is None and any("label" in e for e in rep.errors)
    rep, own = check(
        places,
        "areacd,period,value,lo\nE06000001,2024,1,0\n",
        columns=Columns("areacd", "", "period", "value", "lo", ""),
    )
    assert own is None and any("both the lower and the upper" in e for e in rep.errors)
    rep, own = check(places, "a,b,c\nE06000001,2024,1\n", columns=Columns(value="c", period="b"))
    assert own is None and any("area code column" in e for e in rep.errors)


# ---- hostile files ------------------------------------------------------------------------------

HEADER = b"areacd,period,value\n"


@pytest.mark.parametrize(
    "name, data, expected",
    [
        ("a.csv", "areacd,areanm,period,value\nE06000001,Caf\xe9,2024,1\n".encode("cp1252"), "not UTF-8"),
        ("a.csv", "areacd,period,value\nE06000001,2024,1\n".encode("utf-16"), "UTF-16"),
        ("a.csv", bytes(range(256)) * 40, "binary"),
        ("a.csv", b"", "empty"),
        ("a.csv", b" \n\n", "empty"),
        ("a.csv", b"PK\x03\x04rest", "zip archive"),
        ("a.txt", HEADER, "not a .csv or .xlsx"),
        ("a.xlsx", HEADER + b"E06000001,2024,1\n", "was a CSV renamed"),
        ("a.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "Excel 97-2003"),
        ("a.xlsx", b"PK\x03\x04 not really a zip", "damaged"),
        ("a.csv", HEADER + b'E06000001,2024,"1\nE06000002,2024,2\n', "double quote"),
        ("a.csv", HEADER + b"E06000001,2024," + b"9" * (9 * 1024 * 1024) + b"\n", "line 2"),
        ("a.csv", b"x" * (upload.MAX_BYTES + 1), "over the limit of 10 MB"),
    ],
    ids=[
        "cp1252",
        "utf16",
        "binary",
        "empty",
        "blank",
        "zip-as-csv",
        "txt",
        "csv-as-xlsx",
        "xls",
        "bad-zip",
        "runaway-quote",
        "9MB-line",
        "too-big",
    ],
)
def test_hostile_files_give_one_clear_error(places, name, data, expected):
    p = upload.preview(data, name)
    assert p.errors and expected in " ".join(p.errors), p.errors
    rep, own = upload.check(data, name, Columns("areacd", "", "period", "value"), Settings("X"), places, "x")
    assert own is None and not rep.ok and rep.errors


def test_header_only_says_so(places):
    rep, own = check(places, HEADER)
    assert own is None and any("no data rows" in e for e in rep.errors)


def test_the_row_limit_is_stated_and_enforced(places, monkeypatch):
    monkeypatch.setattr(upload, "ROW_LIMIT", 100)
    data = HEADER + b"E06000001,2024,1\n" * 101
    p = upload.preview(data, "a.csv")
    assert any("more than 100 data rows" in e for e in p.errors)
    rep, own = check(places, HEADER + b"E06000001,2024,1\n" * 100)
    assert rep.rows_read == 100 and own is not None  # at the limit: read (99 duplicates)


# ---- Excel ----------------------------------------------------------------------------------------


def workbook(rows) -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def test_xlsx_values_dates_and_never_formulas(places):
    import datetime as dt

    data = workbook(
        [
            ["areacd", "period", "value", "note"],
            ["E06000001", 2024, 3.5, '=HYPERLINK("http://x")'],  # a formula in an unused column: fine
            ["E06000002", 2024, "=1+1", None],  # a formula value: never calculated
            ["E06000010", dt.datetime(2024, 3, 31), 7, None],
            ["E09000001", 2024, "#DIV/0!", None],
        ]
    )
    rep, own = check(places, data, name="book.xlsx")
    why = reasons(rep)
    assert sorted(why) == [3, 5]
    assert "formula (=1+1)" in why[3] and "Paste Special" in why[3]
    assert "not a number" not in why[3]  # said once, the better way
    assert "#DIV/0!" in why[5]
    got = dict(zip(own.obs["areacd"], own.obs["period"], strict=True))
    assert got == {"E06000001": "2024-01-01/P1Y", "E06000010": "2024-03-31"}
    assert own.obs.set_index("areacd").loc["E06000001", "value"] == 3.5


def test_xlsx_template_and_csv_template_check_clean(places):
    for name, data in (("t.csv", upload.template_csv()), ("t.xlsx", upload.template_xlsx())):
        rep, own = check(places, data, name=name)
        # the fixture store has no Redcar and Cleveland: its name is listed, the rest is used
        assert rep.rows_used == 4, (name, rep)
        assert [n for n, _, _ in rep.unmatched] == ["Redcar and Cleveland"]


def test_the_build_reads_an_xlsx_source_file_like_its_csv(tmp_path, fixture_store_dir):
    """The Excel reader slots in beside CSV: the same rows as a workbook build the same store."""
    import csv
    import shutil

    from lumap.data.build import build

    from .conftest import FIXTURE_SOURCE

    source = tmp_path / "source"
    shutil.copytree(FIXTURE_SOURCE, source)
    pay = source / "indicators" / "pay" / "pay.csv"
    with pay.open(newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    (source / "indicators" / "pay" / "pay.xlsx").write_bytes(workbook(rows))
    pay.unlink()
    build(str(source), tmp_path / "data", progress=lambda m: None)
    a, b = Store(fixture_store_dir), Store(tmp_path / "data")
    slugs = [s for s, m in a.meta.items() if m["dataset"] == "pay"]
    assert slugs and slugs == [s for s, m in b.meta.items() if m["dataset"] == "pay"]
    for s in slugs:
        cols = ["areacd", "period", "value", "lci_95", "uci_95"]
        left = a.rows(s)[cols].astype(str).reset_index(drop=True)
        right = b.rows(s)[cols].astype(str).reset_index(drop=True)
        assert left.equals(right), s
