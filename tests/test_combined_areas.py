"""#12.5: the table has a value, the map must not say "no data". A combined reporting area
such as E67000001 "City of London, Hackney" (one figure, no boundary of its own) is drawn on
its members, marked as such; a re-coded place's figure published under its earlier code is
drawn on the current code's polygon (lumap.data.lineage)."""

from __future__ import annotations

import pandas as pd

from lumap.analysis.ranks import rank_table
from lumap.viz import choropleth as C
from lumap.viz.classify import NO_DATA

META = {"label": "Rate", "decimals": 1, "suffix": "%"}


def feature(code, name):
    return {"type": "Feature", "properties": {"areacd": code, "areanm": name}, "geometry": None}


COLLECTION = {
    "type": "FeatureCollection",
    "features": [
        feature("E09000001", "City of London"),
        feature("E09000012", "Hackney"),
        feature("E09000002", "Barking and Dagenham"),
        feature("E08000039", "Sheffield"),
    ],
}


def table():
    frame = pd.DataFrame(
        {
            "areacd": ["E67000001", "E09000002", "E08000039"],
            "areanm": ["City of London, Hackney", "Barking and Dagenham", "Sheffield"],
            "value": [60.0, 50.0, 40.0],
            "lci_95": float("nan"),
            "uci_95": float("nan"),
            "status": "",
            "notes": "",
            "source_areacd": ["E67000001", "E09000002", "E08000019"],
        }
    )
    return rank_table(frame)


def layer():
    index = C.feature_index(COLLECTION)
    classes = C.classify(table()["value"].to_numpy(dtype=float), "quantiles")
    return C.layer_features(COLLECTION, index, table(), META, classes, "2025", {"E"})


def test_the_combined_area_is_drawn_on_its_members_and_marked():
    out = layer()
    tips = C.layer_tips(out, COLLECTION)
    codes = C.layer_codes(out, COLLECTION)
    city, hackney = tips[codes.index("E09000001")], tips[codes.index("E09000012")]
    for tip in (city, hackney):
        lines = tip.splitlines()
        assert lines[0] == "City of London, Hackney" and lines[1] == "60.0%"
        assert "One figure for City of London and Hackney together (combined area E67000001)" in lines
        assert lines[2] == "1st highest of 3"  # ranked once, as one area
    fills = dict(zip(codes, (out["palette"][i] for i in out["fill"]), strict=True))
    assert fills["E09000001"] == fills["E09000012"] != NO_DATA


def test_a_members_own_value_wins():
    t = table()
    own = pd.DataFrame(
        [{**t.iloc[1].to_dict(), "areacd": "E09000001", "areanm": "City of London", "value": 70.0}]
    )
    rows = rank_table(pd.concat([t.drop(columns=["rank", "n", "tied"]), own], ignore_index=True))
    got = C.combined_areas(rows, COLLECTION)
    assert set(got) == {"E09000001", "E09000012"}  # offered; layer_features keeps the member's own
    index = C.feature_index(COLLECTION)
    out = C.layer_features(COLLECTION, index, rows, META, None, "2025", {"E"})
    tips = dict(zip(C.layer_codes(out, COLLECTION), C.layer_tips(out, COLLECTION), strict=True))
    assert tips["E09000001"].splitlines()[:2] == ["City of London", "70.0%"]
    assert tips["E09000012"].splitlines()[0] == "City of London, Hackney"


def test_a_value_under_an_earlier_code_is_drawn_on_the_current_polygon_and_says_so():
    out = layer()
    tips = dict(zip(C.layer_codes(out, COLLECTION), C.layer_tips(out, COLLECTION), strict=True))
    assert tips["E08000039"].splitlines()[:2] == ["Sheffield", "40.0%"]
    assert "Published under the earlier code E08000019 (same place)" in tips["E08000039"]


def test_a_combined_area_without_all_its_members_drawn_is_left_alone():
    t = table()
    t.loc[t["areacd"] == "E67000001", "areanm"] = "City of London, Nowhere"
    assert C.combined_areas(t, COLLECTION) == {}


def test_the_real_store_draws_city_of_london_and_hackney(real_store_dir):
    from lumap.data.store import Store
    from lumap.queries.maps import features_to_draw, map_table

    store = Store(real_store_dir)
    slug = "cardiovascular-mortality-persons-aged-under-75"
    period = store.periods(slug)["period"].iloc[-1]
    t = map_table(store, slug, period, "ltla")
    assert "E67000001" in set(t.loc[t["value"].notna(), "areacd"])
    collection = features_to_draw(store, slug, period, "ltla")
    got = C.combined_areas(t, collection)
    assert {"E09000001", "E09000012", "E06000052", "E06000053"} <= set(got)
    assert got["E09000012"].areacd == "E67000001" and got["E06000053"].areacd == "E67000002"


def test_the_members_of_a_combined_area_are_not_missing_and_the_legend_says_so(real_store_dir):
    """The members drawn with the combined figure are not counted as "no value" (map_missing),
    and the legend has one row per combined area, in its class's colour, saying so."""
    from lumap.analysis import missing as gaps
    from lumap.data.store import Store
    from lumap.queries.maps import features_to_draw, map_missing, map_table
    from lumap.viz import legend

    store = Store(real_store_dir)
    slug = "cardiovascular-mortality-persons-aged-under-75"
    period = store.periods(slug)["period"].iloc[-1]
    collection = features_to_draw(store, slug, period, "ltla")
    missing = map_missing(store, slug, period, "ltla", collection)
    for member in ("E09000001", "E09000012", "E06000052", "E06000053"):
        assert member not in missing
    t = map_table(store, slug, period, "ltla")
    classes = C.classify(t["value"].to_numpy(dtype=float), "natural")
    keys = legend.combined_keys(C.combined_areas(t, collection), classes)
    assert [k.count for k in keys] == [2, 2]
    assert all(k.fill == classes.colour(t.loc[t["areacd"] == k.label[-10:-1], "value"].iloc[0]) for k in keys)
    labels = [k.label for k in keys]
    assert "One figure for City of London and Hackney together (combined area E67000001)" in labels
    assert "One figure for Isles of Scilly and Cornwall together (combined area E67000002)" in labels
    assert sum(gaps.summary(missing).values()) == len(missing)
    # the compact (phone) legend keeps them out of the strip of classes
    compact = legend.component_legend("Rate", "", "", legend.class_keys(classes, t["value"], {}) + keys)
    assert 0 < len(compact["strip"]) <= len(classes.ranges())
    assert [label for _, label in compact["keys"]] == [k.label for k in keys]
