"""Why an area has no value on a map: told apart, never all called "suppressed"."""

import pandas as pd

from lumap.analysis import missing as m

GEO = {
    "E07000110": {"areanm": "Maidstone", "parents": ["E10000016", "E12000008", "E92000001"], "children": []},
    "E07000105": {"areanm": "Ashford", "parents": ["E10000016", "E12000008", "E92000001"], "children": []},
    "E10000016": {"areanm": "Kent", "parents": ["E12000008"], "children": ["E07000105", "E07000110"]},
    "E06000009": {"areanm": "Blackpool", "parents": ["E12000002"], "children": []},
    "S12000036": {"areanm": "City of Edinburgh", "parents": ["S92000003"], "children": []},
    "W06000015": {"areanm": "Cardiff", "parents": ["W92000004"], "children": []},
}


def frame(rows):
    return pd.DataFrame(rows, columns=["areacd", "areanm", "value", "status", "notes"])


def test_a_suppressed_row_keeps_the_sources_reason():
    table = frame([["E06000009", "Blackpool", None, "c", ""], ["W06000015", "Cardiff", 1.0, "", ""]])
    out = m.missing_areas(["E06000009", "W06000015"], table, table, "ltla", GEO)
    assert out == {"E06000009": m.Missing(m.SUPPRESSED, "confidential")}


def test_a_status_without_reason_says_so_instead_of_not_published():
    table = frame([["E06000009", "Blackpool", None, "", ""], ["W06000015", "Cardiff", 1.0, "", ""]])
    out = m.missing_areas(["E06000009"], table, table, "ltla", GEO)
    assert out["E06000009"].reason == "the source gives no reason"


def test_districts_of_a_county_only_indicator_take_their_countys_value():
    table = frame([["E06000009", "Blackpool", 60.0, "", ""]])
    period = pd.concat([table, frame([["E10000016", "Kent", 63.1, "", ""]])])
    out = m.missing_areas(["E06000009", "E07000110", "E07000105"], table, period, "ltla", GEO)
    assert out["E07000110"] == m.Missing(
        m.ANCESTOR, "published for counties, not districts", "E10000016", "Kent", 63.1, "utla"
    )
    assert m.summary(out) == {m.ANCESTOR: 2}


def test_a_district_missing_beside_published_siblings_is_not_a_county_only_case():
    """(an old code with data under another code: the district level is published)"""
    table = frame([["E07000105", "Ashford", 5.0, "", ""]])
    period = pd.concat([table, frame([["E10000016", "Kent", 63.1, "", ""]])])
    out = m.missing_areas(["E07000110", "E07000105"], table, period, "ltla", GEO)
    assert out["E07000110"].kind == m.ABSENT


def test_a_county_published_only_for_its_districts():
    table = frame([["E06000009", "Blackpool", 1.0, "", ""]])
    period = pd.concat([table, frame([["E07000110", "Maidstone", 2.0, "", ""]])])
    out = m.missing_areas(["E10000016"], table, period, "utla", GEO)
    assert out["E10000016"].kind == m.CHILDREN and out["E10000016"].via_level == "ltla"
    assert "1 districts" in out["E10000016"].reason


def test_a_nation_with_no_row_at_this_level_is_not_published_not_suppressed():
    """Homicide by region has no Scottish row at all."""
    table = pd.DataFrame(
        [["E12000001", "North East", 10.9, "", ""], ["W92000004", "Wales", 7.3, "", ""]],
        columns=["areacd", "areanm", "value", "status", "notes"],
    )
    out = m.missing_areas(["E12000001", "W92000004", "S92000003"], table, table, "rgn", {})
    assert out == {"S92000003": m.Missing(m.NATION, "not published for Scotland")}
    assert m.unpublished_nations(out) == ["Scotland"]


def test_a_row_with_a_status_counts_as_published_for_its_nation():
    table = frame([["S12000036", "City of Edinburgh", None, "x", ""], ["W06000015", "Cardiff", 1.0, "", ""]])
    out = m.missing_areas(["S12000036", "S12000033"], table, table, "ltla", GEO)
    assert out["S12000036"].kind == m.SUPPRESSED and out["S12000033"].kind == m.ABSENT
