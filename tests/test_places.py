"""Finding a place: the finder's list, and a postcode's area at each level."""

from lumap.queries.places import area_at_level, area_options, match_text

GEO = {
    "E07000110": {"areanm": "Maidstone", "parents": ["E10000016", "E12000008", "E92000001", "K02000001"]},
    "E10000016": {"areanm": "Kent", "parents": ["E12000008", "E92000001"], "children": ["E07000110"]},
    "E08000003": {"areanm": "Manchester", "parents": ["E12000002", "E92000001"]},
    "E47000001": {"areanm": "Greater Manchester", "children": ["E08000003"]},
    "E08000038": {"areanm": "Barnsley", "parents": ["E12000003", "E92000001"]},
    "S12000036": {"areanm": "City of Edinburgh", "parents": ["S92000003"]},
}


def test_the_finder_lists_every_drawn_area_by_name_with_its_code():
    collection = {
        "features": [
            {"properties": {"areacd": "E08000003", "areanm": "Manchester"}},
            {"properties": {"areacd": "E06000009", "areanm": "Blackpool"}},
            {"properties": {"areacd": "E07000110", "areanm": "Maidstone"}},
        ]
    }
    assert area_options(collection) == {
        "E06000009": "Blackpool (E06000009)",
        "E07000110": "Maidstone (E07000110)",
        "E08000003": "Manchester (E08000003)",
    }


def test_a_postcodes_district_county_combined_authority_region_and_country():
    drawn_ltla = {"E07000110", "E08000003"}
    assert area_at_level("E07000110", "E10000016", "ltla", GEO, drawn_ltla, {}) == "E07000110"
    assert area_at_level("E07000110", "E10000016", "utla", GEO, {"E10000016"}, {}) == "E10000016"
    assert area_at_level("E08000003", None, "utla", GEO, {"E08000003"}, {}) == "E08000003"  # unitary
    assert area_at_level("E08000003", None, "cauth", GEO, {"E47000001"}, {}) == "E47000001"
    assert area_at_level("E07000110", None, "cauth", GEO, {"E47000001"}, {}) is None
    assert area_at_level("E07000110", None, "rgn", GEO, {"E12000008"}, {}) == "E12000008"
    assert area_at_level("S12000036", None, "rgn", GEO, {"S92000003"}, {}) == "S92000003"
    assert area_at_level("S12000036", None, "ctry", GEO, {"S92000003"}, {}) == "S92000003"


def test_an_older_directorys_replaced_code_finds_its_successor():
    succ = {"E08000016": ["E08000038"]}
    assert area_at_level("E08000016", None, "ltla", GEO, {"E08000038"}, succ) == "E08000038"
    assert area_at_level("E08000016", None, "ltla", GEO, {"E08000016"}, succ) == "E08000016"  # old map


def test_typed_text_finds_the_area_it_means():
    options = {
        "E06000009": "Blackpool (E06000009)",
        "E08000012": "Liverpool (E08000012)",
        "E07000110": "Maidstone (E07000110)",
        "E07000111": "Sevenoaks (E07000111)",
    }
    assert match_text("e08000012", options) == "E08000012"  # a code in any case
    assert match_text("liverpool", options) == "E08000012"  # a whole name
    assert match_text("Liverpo", options) == "E08000012"  # the start of a name
    assert match_text("stone", options) == "E07000110"  # the only name containing it
    assert match_text("oo", options) is None  # Blackpool, Liverpool, Sevenoaks: which?
    assert match_text("Zzz", options) is None and match_text("  ", options) is None
