"""AppTest: the map page says why areas are grey, finds places, and draws hexagons."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from lumap.analysis.format import format_value
from lumap.data.store import Store
from lumap.viz.classify import NOT_PUBLISHED
from lumap.viz.legend import HATCH

from .apptest_tools import map_areas, map_args, map_bytes, shown, type_into


def run(params: dict, data_dir=None, monkeypatch=None) -> AppTest:
    if data_dir is not None:
        monkeypatch.setenv("LUMAP_DATA_DIR", str(data_dir))
    at = AppTest.from_file("../app.py", default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception[0].value if at.exception else ""
    return at


def legend_text(at) -> str:
    return " ".join(shown(m.value) for m in at.markdown if "display:inline-block" in m.value)


def test_a_county_only_indicator_on_the_district_map(app_env):
    """Districts show their county's value, hatched and said so; one click shows counties."""
    slug = "healthy-life-expectancy-female"
    at = run({"indicator": slug, "level": "ltla"})
    store = Store(app_env)
    period = store.resolve_year(slug, None)
    meta = store.indicator(slug)
    kent = store.values(slug, period, "utla").set_index("areacd").loc["E10000016", "value"]
    areas = map_areas(at, store)
    assert areas["E07000110"]["fill"].startswith(HATCH)  # Maidstone, in Kent
    assert areas["E07000110"]["tip"].split("\n")[1] == f"Kent (county): {format_value(kent, meta)}"
    assert sum(a["fill"].startswith(HATCH) for a in areas.values()) == 164
    assert "suppressed" not in areas["E07000110"]["tip"]
    assert any("published for counties, not districts" in shown(i.value) for i in at.info)
    assert "Hatched: the county's value (not published for districts)" in legend_text(at)
    assert map_bytes(at) < 30_000
    at.button(key="show_counties").click().run()
    assert not at.exception
    assert at.radio(key="level").value == "utla"
    assert not any(a["fill"].startswith(HATCH) for a in map_areas(at, store).values())
    assert "Hatched" not in legend_text(at)


def test_a_district_without_its_own_value_can_be_selected(app_env):
    at = run({"indicator": "healthy-life-expectancy-female", "level": "ltla", "area": "E07000110"})
    assert not at.warning
    assert any(h.value == "#### Maidstone" for h in at.markdown)
    text = " ".join(shown(i.value) for i in at.info)
    assert "published for counties, not districts; Kent (county): " in text
    assert map_args(at)["summary"].startswith("Maidstone: no value of its own\nKent (county): ")


def test_homicide_by_region_marks_scotland_not_published_not_suppressed(app_env):
    at = run({"indicator": "homicide-offences", "level": "rgn"})
    areas = map_areas(at, Store(app_env))
    assert areas["S92000003"]["fill"] == NOT_PUBLISHED
    assert areas["S92000003"]["tip"].startswith("Scotland\nNot published for Scotland")
    legend = legend_text(at)
    assert "Not published for Scotland" in legend and "No value for this area" not in legend
    assert "(better)" in legend and "Lower is better" in legend  # which end is better, said
    assert any("Not published for Scotland" in shown(i.value) for i in at.info)


@pytest.mark.parametrize(
    "slug", ["healthy-life-expectancy-male", "motor-vehicle-flow", "persistent-absences-all-pupils"]
)
def test_the_issues_county_only_indicators_all_hatch_their_districts(app_env, slug):
    at = run({"indicator": slug, "level": "ltla"})
    areas = map_areas(at, Store(app_env))
    assert sum(a["fill"].startswith(HATCH) for a in areas.values()) >= 150
    assert at.button(key="show_counties")


def test_no_legend_class_is_empty_or_one_value_twice(app_env):
    """Every indicator and level, latest period, every scheme (the issue's "£594 – £594")."""
    from lumap.queries.maps import map_table
    from lumap.viz.classify import SCHEMES, classify
    from lumap.viz.legend import class_keys

    store = Store(app_env)
    for slug, meta in store.meta.items():
        for level in meta["levels"]:
            period = store.resolve_year(slug, None)
            values = map_table(store, slug, period, level)["value"].to_numpy(dtype=float)
            for scheme in SCHEMES:
                keys = class_keys(classify(values, scheme), values, meta)
                assert all(k.count for k in keys), (slug, level, scheme)
                for k in keys:
                    parts = k.label.split(" – ")
                    assert len(parts) == 1 or parts[0] != parts[1], (slug, level, scheme, k.label)
                labels = [k.label for k in keys]
                assert len(set(labels)) == len(labels), (slug, level, scheme, labels)


def test_finder_selects_by_list_by_typed_name_and_zooms_once(app_env):
    at = run({"indicator": "gross-median-weekly-pay", "level": "ltla"})
    finder = at.selectbox(key="find_area")
    assert len(finder.options) >= 355 and "Liverpool (E08000012)" in finder.options
    finder.set_value("E08000012").run()
    assert not at.exception
    assert at.query_params["area"] in (["E08000012"], "E08000012")
    first = map_args(at)["focus"]
    assert first["area"] == "E08000012" and map_args(at)["selected"] == "E08000012"
    at.run()  # a rerun does not zoom again: same focus number
    assert map_args(at)["focus"] == first
    type_into(at.selectbox(key="find_area"), "Manch").run()  # Enter on typed text
    assert map_args(at)["selected"] == "E08000003"
    assert map_args(at)["focus"]["seq"] == first["seq"] + 1
    assert at.selectbox(key="find_area").value == "E08000003"


def test_without_a_lookup_the_finder_says_postcodes_are_not_available(store_without_postcodes, monkeypatch):
    at = run({"indicator": "gross-median-weekly-pay"}, store_without_postcodes, monkeypatch)
    assert at.selectbox(key="find_area").label == "Find an area"
    assert any("no postcode lookup is loaded" in shown(c.value) for c in at.caption)
    type_into(at.selectbox(key="find_area"), "SW1A 1AA").run()
    assert any(shown(c.value).startswith("Postcode search is not available") for c in at.caption)
    assert map_args(at)["selected"] is None


def test_a_postcode_selects_its_area_at_each_level(store_with_postcodes, monkeypatch):
    at = run({"indicator": "gross-median-weekly-pay", "level": "ltla"}, store_with_postcodes, monkeypatch)
    assert at.selectbox(key="find_area").label == "Find an area or postcode"
    type_into(at.selectbox(key="find_area"), "me14 1xx").run()
    assert map_args(at)["selected"] == "E07000110"
    assert any(shown(c.value) == "ME14 1XX is in Maidstone (E07000110)." for c in at.caption)
    at.radio(key="level").set_value("utla").run()
    type_into(at.selectbox(key="find_area"), "ME14 1XX").run()
    assert map_args(at)["selected"] == "E10000016"  # Kent
    type_into(at.selectbox(key="find_area"), "ZZ9 9ZZ").run()
    assert any(shown(c.value) == "ZZ9 9ZZ is not in the postcode directory." for c in at.caption)
    type_into(at.selectbox(key="find_area"), "not a place").run()
    assert any("No area on this map matches" in shown(c.value) for c in at.caption)


def test_hexagon_view_swaps_only_the_geometry(app_env):
    at = run({"indicator": "gross-median-weekly-pay", "level": "ltla"})
    boundaries = map_args(at)
    at.radio(key="view").set_value("hex").run()
    assert not at.exception
    hexes = map_args(at)
    assert hexes["geometry"]["url"].endswith(".hex.topo.json") and hexes["geometry"]["object"].startswith(
        "ltla-"
    )
    assert hexes["ids"] == boundaries["ids"] and hexes["tips"] == boundaries["tips"]
    assert hexes["tiles"] is None and hexes["backdrop"] is None and hexes["fit"] == "ltla-hex"
    assert at.query_params["view"] in (["hex"], "hex")
    at.radio(key="level").set_value("rgn").run()  # no hexagons for 12 regions: boundaries
    assert not map_args(at)["geometry"]["url"].endswith(".hex.topo.json")
    assert not any(r.key == "view" for r in at.radio)


def test_a_bad_view_in_the_url_falls_back(app_env):
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.query_params["view"] = "3d"
    at.run()
    assert not at.exception
    assert any("view=3d" in shown(w.value) for w in at.warning)
    assert not map_args(at)["geometry"]["url"].endswith(".hex.topo.json")
