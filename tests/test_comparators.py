"""Geography lookups and comparator values on a tiny hand-made geo dict.

Geo: UK > England > North West (E12000002) > Lancashire (E10000017) > Burnley (E07000117);
Blackpool (E06000009) lists only its direct parent (the region), to check that parents are
walked transitively; Wales > Anglesey (W06000001); Glasgow (S12000049) is not in geo at all.
"""

import math

import pandas as pd
import pytest

from lumap.analysis.comparators import ancestors, comparator_values, country_of, region_of

GEO = {
    "K02000001": {
        "areanm": "United Kingdom",
        "level": ["ctry"],
        "parents": [],
        "children": ["E92000001", "W92000004"],
    },
    "E92000001": {
        "areanm": "England",
        "level": ["ctry"],
        "parents": ["K02000001"],
        "children": ["E12000002"],
    },
    "W92000004": {
        "areanm": "Wales",
        "level": ["ctry", "rgn"],
        "parents": ["K02000001"],
        "children": ["W06000001"],
    },
    "E12000002": {
        "areanm": "North West",
        "level": ["rgn"],
        "parents": ["E92000001"],
        "children": ["E10000017", "E06000009"],
    },
    "E10000017": {
        "areanm": "Lancashire",
        "level": ["utla"],
        "parents": ["E12000002"],
        "children": ["E07000117"],
    },
    "E07000117": {
        "areanm": "Burnley",
        "level": ["ltla"],
        "parents": ["E10000017", "E12000002", "E92000001", "K02000001"],
        "children": [],
    },
    "E06000009": {"areanm": "Blackpool", "level": ["ltla", "utla"], "parents": ["E12000002"], "children": []},
    "W06000001": {
        "areanm": "Isle of Anglesey",
        "level": ["ltla", "utla"],
        "parents": ["W92000004"],
        "children": [],
    },
}

NAN = float("nan")


def values():
    rows = [
        # areacd, areanm, value, lci, uci
        ("K02000001", "United Kingdom", 60.9, 60.7, 61.2),
        ("E92000001", "England", 61.3, 61.0, 61.6),
        ("W92000004", "Wales", 58.5, 57.6, 59.4),
        ("E12000002", "North West", 59.2, 58.4, 60.0),
        ("E10000017", "Lancashire", 59.0, 57.0, 61.0),
        ("E07000117", "Burnley", 52.0, 49.0, 55.0),
        ("E06000009", "Blackpool", 51.8, 49.9, 53.7),
        ("W06000001", "Isle of Anglesey", 62.0, 59.0, 65.0),
        ("E06000010", "Kingston upon Hull, City of", 54.0, 52.0, 56.0),
        ("E06000002", "Middlesbrough", NAN, NAN, NAN),
    ]
    return pd.DataFrame(rows, columns=["areacd", "areanm", "value", "lci_95", "uci_95"]).assign(status="")


def test_ancestors_walk_transitively():
    # Blackpool lists only E12000002; E12 -> E92 -> K02.
    assert ancestors("E06000009", GEO) == ["E12000002", "E92000001", "K02000001"]
    assert ancestors("S12000049", GEO) == []


def test_region_of():
    assert region_of("E07000117", GEO) == "E12000002"
    assert region_of("E06000009", GEO) == "E12000002"  # via transitive walk
    assert region_of("E12000002", GEO) == "E12000002"  # a region is its own region
    assert region_of("W06000001", GEO) == "W92000004"  # nation as region-equivalent
    assert region_of("S12000049", GEO) == "S92000003"  # not in geo: prefix fallback
    assert region_of("N09000001", GEO) == "N92000002"
    assert region_of("E92000001", GEO) is None
    assert region_of("K02000001", GEO) is None
    assert region_of("E06000099", GEO) is None  # English, unknown: no guess


def test_country_of():
    assert country_of("E06000009", GEO) == "E92000001"
    assert country_of("W06000001", GEO) == "W92000004"
    assert country_of("S12000049", GEO) == "S92000003"  # prefix fallback
    assert country_of("E92000001", GEO) == "E92000001"
    assert country_of("K02000001", GEO) is None


def test_comparator_values_for_english_area_with_similar():
    out = comparator_values(
        values(), "E06000009", GEO, ["E07000117", "E06000010", "E06000002", "E06000009", "E07000117"]
    )
    assert [c["key"] for c in out] == ["uk", "country", "region", "similar"]
    uk, country, region, similar = out
    assert uk == {
        "key": "uk",
        "code": "K02000001",
        "name": "United Kingdom",
        "value": 60.9,
        "lci_95": 60.7,
        "uci_95": 61.2,
        "n": None,
    }
    assert (country["code"], country["value"]) == ("E92000001", 61.3)
    assert (region["code"], region["name"], region["value"]) == ("E12000002", "North West", 59.2)
    # Similar: Burnley 52.0 and Hull 54.0 have values; Middlesbrough is missing; Blackpool
    # itself and the duplicate Burnley are dropped. Hand: (52.0 + 54.0) / 2 = 53.0, n = 2.
    assert similar["value"] == pytest.approx(53.0)
    assert similar["n"] == 2
    assert similar["name"] == "average of 2 similar areas"
    assert similar["codes"] == ["E07000117", "E06000010"]
    assert similar["code"] is None and math.isnan(similar["lci_95"])


def test_welsh_area_gets_wales_once():
    out = comparator_values(values(), "W06000001", GEO, [])
    # Country and region are both Wales: shown once, as "country".
    assert [(c["key"], c["code"]) for c in out] == [("uk", "K02000001"), ("country", "W92000004")]


def test_skips_self_and_missing_values():
    # The region itself: the region comparator would be itself -> skipped.
    assert [c["key"] for c in comparator_values(values(), "E12000002", GEO)] == ["uk", "country"]
    # The UK: nothing to compare with.
    assert comparator_values(values(), "K02000001", GEO) == []
    # No England row and a missing region value -> only the UK remains.
    v = values()
    v = v[v["areacd"] != "E92000001"]
    v.loc[v["areacd"] == "E12000002", "value"] = NAN
    assert [c["key"] for c in comparator_values(v, "E07000117", GEO)] == ["uk"]


def test_single_similar_area_name_and_none_with_values():
    out = comparator_values(values(), "E07000117", GEO, ["E06000010"])
    assert out[-1]["name"] == "average of 1 similar area" and out[-1]["value"] == 54.0
    out = comparator_values(values(), "E07000117", GEO, ["E06000002", "E99999999"])
    assert "similar" not in [c["key"] for c in out]


def test_name_falls_back_to_geo():
    v = values()
    v.loc[v["areacd"] == "E12000002", "areanm"] = None
    region = [c for c in comparator_values(v, "E07000117", GEO) if c["key"] == "region"][0]
    assert region["name"] == "North West"
