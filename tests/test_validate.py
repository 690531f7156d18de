"""Build-boundary validation, case by case: each hostile or careless input gives one clear
problem naming the file and the line or JSON path (or, for the two tolerated cases, a warning)."""

from __future__ import annotations

import json

import pytest

from lumap.data.areafiles import read_area_file
from lumap.data.jsonfile import load_json
from lumap.data.metadata import parse_dataset_json, read_manifest
from lumap.data.readers import read_observations
from lumap.data.topology import check_topology

HEADER = "areacd,areanm,geography,indicator,period,observation,measure,unit,lci_95,uci_95,status,notes\n"


def row(obs="1", lci="", uci="", code="E06000001", name="Hartlepool", period="2024-01-01/P1Y") -> str:
    return f"{code},{name},UA,Pay,{period},{obs},n,n,{lci},{uci},,\n"


CSV_REJECTED = [
    ("year 0", HEADER + row(period="0000-01-01"), "line 2: period '0000-01-01' starts in year 0"),
    ("bare year 0", HEADER + row(period="0000"), "line 2: period '0000' starts in year 0"),
    ("P999999M", HEADER + row(period="2020-01-01/P999999M"), "lasts 999,999 months"),
    (
        "fullwidth number",
        HEADER + row(obs="１２"),
        "line 2: observation '１２' uses digits that are not ASCII",
    ),
    ("fullwidth period", HEADER + row(period="２０２４-01-01/P1Y"), "it has non-ASCII digits"),
    ("huge value", HEADER + row(obs="1e154"), "observation '1e154' is implausibly large"),
    ("huge limit", HEADER + row(obs="1", lci="-1e300", uci="2"), "lci_95 '-1e300' is implausibly large"),
    ("infinity", HEADER + row(obs="inf"), "observation 'inf' is not a number"),
    ("NaN", HEADER + row(obs="NaN"), "observation 'NaN' is not a number"),
    ("lci > uci", HEADER + row(obs="5", lci="6", uci="4"), "lci_95 (6) is above uci_95 (4)"),
    ("one limit", HEADER + row(obs="5", lci="4"), "only one of lci_95 and uci_95 is given"),
    (
        "swapped",
        HEADER + row(code="Hartlepool", name="E06000001"),
        "areacd 'Hartlepool' and areanm 'E06000001' look swapped",
    ),
    (
        "swapped, spaces",
        HEADER + row(code="Kingston upon Hull", name="E06000010"),
        "(areacd and areanm look swapped)",
    ),
    (
        "all codes unknown",
        HEADER + row(code="XYZ1") + row(code="ABC2"),
        "none of the area codes is a GSS, ITL",
    ),
    ("NUL", HEADER + row(name="Hart\x00pool"), "line 2: contains a NUL byte"),
    (
        "control character",
        HEADER + row(name="Hart\x07pool"),
        "areanm 'Hart\\x07pool' contains a control character",
    ),
    ("bidi override", HEADER + row(name="Hart\u202epool"), "U+202E RIGHT-TO-LEFT OVERRIDE"),
    (
        "100,000-character code",
        HEADER + row(code="E" * 100_000),
        "100,000 characters long; area codes have at most 12",
    ),
    ("long name", HEADER + row(name="n" * 5000), "areanm 'nnn"),
    ("latin-1", (HEADER + row(name="Hartlepoöl")).encode("latin-1"), "line 2: is not UTF-8 text"),
    ("UTF-16", (HEADER + row()).encode("utf-16"), "is UTF-16 text; save it as UTF-8"),
    ("binary", b"\x89PNG\r\n\x1a\n\x00\x00", "contains a NUL byte"),
    ("header only", HEADER, "has a header but no data rows"),
    ("joined files", HEADER + row() + HEADER + row(), "line 3: repeats the header row"),
]


@pytest.mark.parametrize("name,data,expected", CSV_REJECTED, ids=[c[0] for c in CSV_REJECTED])
def test_csv_rejected_with_a_reason(name, data, expected):
    frame, problems = read_observations(data.encode() if isinstance(data, str) else data, "x.csv", "d")
    assert frame is None
    assert any(expected in str(p) for p in problems), [str(p) for p in problems]
    assert all(str(p).startswith("x.csv") for p in problems)


def test_duplicated_header_is_reported_once():
    data = (HEADER.replace("unit", "observation") + row() * 40).encode()
    frame, problems = read_observations(data, "x.csv", "d")
    assert frame is None and len(problems) == 1
    assert str(problems[0]) == (
        "x.csv, line 1: the header names column 'observation' twice (columns 6 and 8): keep one of them"
    )


def test_unbalanced_quote_is_reported_where_it_starts():
    data = (HEADER + row() + row(name='"Hartlepool') + row() * 300).encode()
    frame, problems = read_observations(data, "x.csv", "d")
    assert frame is None and len(problems) == 1
    assert problems[0].line == 3 and "runs over 301 lines, to line 303" in problems[0].reason


def test_problems_are_capped_with_a_count():
    data = (HEADER + row(obs="x") * 500).encode()
    _, problems = read_observations(data, "x.csv", "d")
    assert len(problems) == 21 and "480 more" in str(problems[-1])


def test_value_outside_its_interval_is_a_warning_and_kept():
    """Published limits are rounded on their own (ONS: 89 with limits 88 to 88): the row is data."""
    frame, problems = read_observations((HEADER + row(obs="89", lci="88", uci="88")).encode(), "x.csv", "d")
    assert frame is not None and frame["value"].tolist() == [89.0]
    assert [p.severity for p in problems] == ["warning"]
    assert "1 row(s) have an observation outside their own 95% interval (first at line 2: 89" in str(
        problems[0]
    )


def test_a_few_unknown_codes_are_a_warning():
    frame, problems = read_observations((HEADER + row() + row(code="ABC2")).encode(), "x.csv", "d")
    assert frame is not None and len(frame) == 2
    assert [p.severity for p in problems] == ["warning"] and "'ABC2'" in str(problems[0])


# ---- dataset metadata JSON ------------------------------------------------------------------------


def meta(**fields) -> bytes:
    block = {"label": "Pay", "subtitle": "Weekly pay", "decimalPlaces": 1, **fields}
    return json.dumps({"ess-beta-metadata": block}).encode()


JSON_REJECTED = [
    (
        "numeric label",
        meta(label=5),
        '"ess-beta-metadata" → "label": should be text or null, found a number (5)',
    ),
    ("object subtitle", meta(subtitle={"a": 1}), '"subtitle": should be text or null, found an object'),
    ("list prefix", meta(prefix=["£"]), '"prefix": should be text or null, found a list of 1 item(s)'),
    (
        "decimals -1",
        meta(decimalPlaces=-1),
        '"decimalPlaces": should be a whole number of decimal places from 0 to 6',
    ),
    ("decimals 30", meta(decimalPlaces=30), "found 30"),
    ("decimals 1.5", meta(decimalPlaces=1.5), "found a number (1.5)"),
    (
        "decimals Infinity",
        b'{"ess-beta-metadata": {"label": "x", "decimalPlaces": Infinity}}',
        "Infinity is not allowed",
    ),
    ("decimals NaN", b'{"ess-beta-metadata": {"label": "x", "decimalPlaces": NaN}}', "NaN is not allowed"),
    (
        "decimals 1e400",
        b'{"ess-beta-metadata": {"label": "x", "decimalPlaces": 1e400}}',
        "'1e400' is too large",
    ),
    ("flag object", meta(standardised={"T": 1}), '"standardised": should be "T" or "F"'),
    ("control in label", meta(label="Pay\x1b[31m"), "contains a control character (U+001B"),
    ("empty label", meta(label="  "), '"label": is empty'),
    (
        "shared as text",
        json.dumps({"ess-beta-metadata": {"shared": "x", "A": {}}}).encode(),
        '"shared": should be an object',
    ),
    (
        "block as list",
        json.dumps({"ess-beta-metadata": {"shared": {}, "A": [1]}}).encode(),
        '"A": should be an object',
    ),
    ("top level list", b"[1, 2]", "should be an object"),
    ("deep nesting", b"[" * 200_000 + b"]" * 200_000, "nested too deeply"),
    ("nesting 40", b'{"a":' * 40 + b"1" + b"}" * 40, "nested more than 32 levels deep"),
    ("broken", b'{"ess-beta-metadata": {"label": "x",,}}', "line 1: is not valid JSON"),
    ("UTF-16", meta().decode().encode("utf-16"), "is UTF-16 text"),
    (
        "huge integer",
        b'{"ess-beta-metadata": {"label": "x", "decimalPlaces": ' + b"9" * 5000 + b"}}",
        "not valid JSON",
    ),
]


@pytest.mark.parametrize("name,data,expected", JSON_REJECTED, ids=[c[0] for c in JSON_REJECTED])
def test_metadata_rejected_with_its_json_path(name, data, expected):
    shared, blocks, problems = parse_dataset_json(data, "pay.json")
    assert problems and all(p.is_error and p.file == "pay.json" for p in problems)
    assert any(expected in str(p) for p in problems), [str(p) for p in problems]
    assert shared == {} and blocks == {}


def test_a_source_url_that_is_not_a_web_address_is_a_warning():
    shared, _, problems = parse_dataset_json(meta(sourceURL="https://a.org|javascript:alert(1)"), "pay.json")
    assert shared["source_url"] == "https://a.org|javascript:alert(1)"  # the page links only the first
    assert [p.severity for p in problems] == ["warning"]
    assert "'javascript:alert(1)' is not a web address (expected https://…): shown as text" in str(
        problems[0]
    )


def test_good_metadata_is_typed():
    shared, _, problems = parse_dataset_json(meta(standardised="T", decimalPlaces=2), "pay.json")
    assert problems == [] and shared["decimals"] == 2 and shared["standardised"] is True


# ---- manifest ---------------------------------------------------------------------------------------

MANIFEST = "slug,topic,subTopic,dataset,code,include\nweekly-pay,economy,pay,pay,Weekly pay,true\n"


@pytest.mark.parametrize(
    "data,expected",
    [
        (MANIFEST.replace("Weekly pay", "Weekly päy").encode("latin-1"), "line 2: is not UTF-8 text"),
        (MANIFEST.encode("utf-16"), "is UTF-16 text"),
        (b"\x00\x01\x02binary", "contains a NUL byte"),
        (
            (MANIFEST + "x" * 140_000 + ",a,b,c,d,e\n").encode(),
            "line 3: cannot be read as CSV (a field is longer",
        ),
        (MANIFEST.replace("weekly-pay", "Weekly Pay!").encode(), "slug 'Weekly Pay!' is not a URL slug"),
        ((MANIFEST + "weekly-pay,x,y,other,Other,true\n").encode(), "slug 'weekly-pay' is given to 'Other'"),
        (b"slug,topic\nx,y\n", "missing column(s) dataset, code"),
    ],
)
def test_manifest_problems(data, expected):
    _, problems = read_manifest(data, "manifest.csv")
    assert any(expected in str(p) for p in problems), [str(p) for p in problems]


def test_manifest_keeps_its_good_rows():
    data = (MANIFEST + "Bad Slug,x,y,other,Other,true\n").encode()
    rows, problems = read_manifest(data, "manifest.csv")
    assert rows[("pay", "Weekly pay")]["slug"] == "weekly-pay" and len(problems) == 1


# ---- area files -----------------------------------------------------------------------------------

GEO = {
    "E06000001": {
        "areacd": "E06000001",
        "areanm": "Hartlepool",
        "level": ["ltla"],
        "parents": [],
        "children": [],
    }
}


@pytest.mark.parametrize(
    "path,doc,expected",
    [
        ("boundaries/geo-latest-year.json", "2025", "should be a year from 1800 to 2200, found text"),
        ("boundaries/geo-latest-year.json", 1e9, "found 1e+09"),
        ("boundaries/geo-latest-year.json", [2025], "found a list"),
        ("boundaries/geo-latest-year.json", True, "found true/false"),
        ("boundaries/geo-metadata.json", [1], "should be an object of areas keyed by area code"),
        ("boundaries/geo-metadata.json", {"E06000001": "Hartlepool"}, '"E06000001": should be an object'),
        (
            "boundaries/geo-metadata.json",
            {"E06000001": {**GEO["E06000001"], "areanm": 7}},
            '"areanm": should be text',
        ),
        (
            "boundaries/geo-metadata.json",
            {"E06000001": {**GEO["E06000001"], "parents": "E12000001"}},
            "a list of area codes",
        ),
        (
            "boundaries/geo-metadata.json",
            {"E06000001": {**GEO["E06000001"], "end": "2020"}},
            '"end": should be a year',
        ),
        ("boundaries/geo-metadata.json", {"bad code!": GEO["E06000001"]}, "is not an area code"),
        ("meta/areas-similar.json", {"E06000001": ["E06000002"]}, "should be an object of lists"),
        (
            "meta/areas-similar.json",
            {"E06000001": {"global": "E06000002"}},
            '"global": should be a list of area codes',
        ),
        ("meta/areas-similar.json", {"E06000001": {"global": [1, 2]}}, "item 1: should be an area code"),
        ("meta/areas-clusters.json", {"lookup": {"E06000001": {"global": 3}}}, '"global": should be text'),
        ("meta/clusters/cluster-descriptions.json", {"global": {"a": ["x"]}}, '"a": should be text'),
    ],
)
def test_area_files_of_the_wrong_shape(path, doc, expected):
    found, problems = read_area_file(path, json.dumps(doc).encode())
    assert found is None
    assert any(expected in str(p) and str(p).startswith(path) for p in problems), [str(p) for p in problems]


def test_deep_area_file_is_a_problem_not_a_recursion_error():
    for path in ("boundaries/geo-metadata.json", "meta/areas-similar.json"):
        found, problems = read_area_file(path, b'{"a":' * 200_000 + b"1" + b"}" * 200_000)
        assert found is None and "nested too deeply" in str(problems[0])


# ---- TopoJSON -----------------------------------------------------------------------------------------


def topo(**over) -> dict:
    doc = {
        "type": "Topology",
        "transform": {"scale": [0.001, 0.001], "translate": [-3.0, 54.0]},
        "arcs": [[[0, 0], [1000, 0], [0, 1000], [-1000, 0], [0, -1000]]],
        "objects": {
            "ltla": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0]], "properties": {"areacd": "E06000001", "areanm": "A"}}
                ],
            }
        },
    }
    doc.update(over)
    return doc


def geometry(**over) -> dict:
    g = {"type": "Polygon", "arcs": [[0]], "properties": {"areacd": "E06000001", "areanm": "A"}, **over}
    return topo(objects={"ltla": {"type": "GeometryCollection", "geometries": [g]}})


@pytest.mark.parametrize(
    "doc,expected",
    [
        (
            {k: v for k, v in topo().items() if k != "transform"},
            "are not longitude/latitude (x from -1000 to 1000",
        ),
        (topo(transform={"scale": [0, 1], "translate": [0, 0]}), "should be two non-zero numbers"),
        (topo(transform={"scale": ["a", 1], "translate": [0, 0]}), '"scale": should be two non-zero numbers'),
        (
            topo(transform={"scale": [1, 1], "translate": [0, 0]}),
            "decode to coordinates that are not longitude",
        ),
        (topo(objects={}), '"objects": is empty: the file has no boundaries'),
        (topo(objects={"counties": {}}), "has none of the layers lumap draws"),
        (topo(objects=None), '"objects": should be an object of layers'),
        (topo(arcs="x"), '"arcs": should be a list of arcs'),
        (topo(arcs=[[[0, 0]]]), "at least two [x, y] number positions"),
        (topo(arcs=[[[0, 0], ["a", 1]]]), "at least two [x, y] number positions"),
        (topo(arcs=[[[0, 0], [0.5, 1]]]), "has fractional positions"),
        (topo(arcs=[[[0, 0], [1, 2, 3], [1]]]), "at least two [x, y] number positions"),
        (geometry(arcs=[[5]]), "arc index 5 does not exist (the file has 1 arcs)"),
        (geometry(arcs=[[-3]]), "arc index -3 does not exist"),
        (geometry(arcs=[0]), "arcs should be a list of rings"),
        (geometry(arcs=[["0"]]), "arc indexes should be whole numbers"),
        (geometry(type="Point"), 'should be "Polygon" or "MultiPolygon", found text'),
        (
            geometry(properties={"areanm": "A"}),
            '"areacd": should be an area code (text such as E06000001), found null',
        ),
        (geometry(properties={"areacd": 6000001}), "found a number"),
        (geometry(properties={"areacd": "E06000001", "start": "2020"}), '"start": should be a year'),
        (
            geometry(properties={"areacd": "E06000001", "start": 2021, "end": 2020}),
            "starts in 2021, after it ends",
        ),
        ([], "should be a TopoJSON object"),
    ],
)
def test_topology_problems(doc, expected):
    problems = check_topology(doc, "boundaries/topo.json")
    assert any(expected in str(p) for p in problems), [str(p) for p in problems]
    assert all(str(p).startswith("boundaries/topo.json") for p in problems)


def test_good_topology_has_no_problems():
    assert check_topology(topo(), "t.json") == []


def test_json_loader_refuses_what_python_accepts():
    for text, expected in [
        (b"NaN", "NaN is not allowed"),
        (b"[1e999]", "too large"),
        (b'{"a": -Infinity}', "Infinity"),
    ]:
        doc, problems = load_json(text, "f.json", 1000)
        assert doc is None and expected in str(problems[0])
    doc, problems = load_json(b"x" * 2000, "f.json", 1000)
    assert doc is None and "the limit for this file is 1000 bytes" in str(problems[0])
