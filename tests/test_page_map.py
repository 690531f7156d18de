"""AppTest: the map page and the data page, on the real store."""

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from lumap.analysis.format import format_value
from lumap.data.store import Store
from lumap.ui.chrome import source_label

from .apptest_tools import map_areas, map_args, map_bytes, shown


def run(params: dict, page: str | None = None) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def test_default_view_is_latest_period_ltla(app_env):
    at = run({})
    assert not at.exception
    assert at.title[0].value == "Gross median weekly pay"
    assert (
        at.query_params["indicator"] == ["gross-median-weekly-pay"]
        or at.query_params["indicator"] == "gross-median-weekly-pay"
    )
    assert at.radio(key="level").value == "ltla"
    store = Store(app_env)
    assert at.selectbox(key="year_period").value == store.resolve_year("gross-median-weekly-pay", None)


def test_url_opens_that_view_and_map_is_offline(app_env):
    at = run(
        {"indicator": "healthy-life-expectancy-female", "year": "2015", "level": "utla", "area": "E06000009"}
    )
    assert not at.exception and not at.warning
    assert at.selectbox(key="indicator").value == "healthy-life-expectancy-female"
    assert at.selectbox(key="year_period").value == "2015-01-01/P3Y"
    args = map_args(at)
    assert "http" not in json.dumps(args)  # geometry from the app's own static folder
    assert args["geometry"]["url"].startswith("../../app/static/geo/utla.")
    # the selected area's panel shows the store's value
    store = Store(app_env)
    v = (
        store.values("healthy-life-expectancy-female", "2015-01-01/P3Y", "utla")
        .set_index("areacd")
        .loc["E06000009"]
    )
    meta = store.indicator("healthy-life-expectancy-female")
    assert any(shown(m.value) == format_value(v["value"], meta, False) for m in at.metric)
    assert args["selected"] == "E06000009"
    assert map_bytes(at) < 40_000  # no geometry in the per-view payload


@pytest.mark.parametrize(
    "params,notice",
    [
        ({"indicator": "nope"}, "Unknown indicator"),
        ({"indicator": "gross-median-weekly-pay", "year": "abc"}, "is not a number"),
        ({"indicator": "gross-median-weekly-pay", "year": "1800"}, "out of range"),
        ({"indicator": "gross-median-weekly-pay", "year": "1990"}, "not available"),
        ({"indicator": "gross-median-weekly-pay", "level": "moon"}, "Unknown geography level"),
        ({"indicator": "homicide-offences", "level": "ltla"}, "not available"),
        ({"indicator": "gross-median-weekly-pay", "area": "<script>"}, "not available"),
    ],
)
def test_bad_url_values_give_a_notice_and_the_default(app_env, params, notice):
    at = run(params)
    assert not at.exception
    assert any(notice in shown(w.value) for w in at.warning), [w.value for w in at.warning]
    assert at.title  # the page still renders


def test_changing_controls_updates_the_url(app_env):
    at = run({"indicator": "gross-median-weekly-pay"})
    at.radio(key="level").set_value("utla").run()
    at.selectbox(key="indicator").set_value("claimant-count").run()
    assert not at.exception
    qp = {k: at.query_params[k] for k in at.query_params}
    flat = {k: (v[0] if isinstance(v, list) else v) for k, v in qp.items()}
    assert flat["indicator"] == "claimant-count" and flat["level"] == "utla"
    store = Store(app_env)
    assert int(flat["year"]) == store.periods("claimant-count")["start_year"].iloc[-1]


def test_mission_filter_limits_the_indicators(app_env):
    at = run({"mission": "7"})
    opts = at.selectbox(key="indicator").options
    assert opts and all(o.startswith("M7 ·") for o in opts)


def test_ranked_table_and_download_match_the_store(app_env):
    at = run({"indicator": "gross-median-weekly-pay", "year": "2025", "level": "ltla"})
    table = at.dataframe[0].value
    store = Store(app_env)
    vals = store.values("gross-median-weekly-pay", "2025-04-30", "ltla")
    assert len(table) == len(vals)
    top = vals.sort_values("value", ascending=False).iloc[0]
    assert table.iloc[0]["Code"] == top["areacd"] and table.iloc[0]["Rank"] == 1


def test_data_page_lists_coverage(app_env):
    at = run({}, page="pages/data.py")
    assert not at.exception
    assert at.title[0].value == "About the data"
    cov = at.dataframe[0].value
    store = Store(app_env)
    assert len(cov) == len(store.meta)
    assert "Open Government Licence" in " ".join(m.value for m in at.markdown)
    built = next(shown(c.value) for c in at.caption if shown(c.value).startswith("Build "))
    source = built.split(" from ", 1)[1].rsplit(" in ", 1)[0]
    assert source == source_label(store.build_info.get("source")) and "/" not in source  # a name, no path


def test_source_label_names_a_source_without_its_path():
    assert source_label("/srv/lumap/shared/data") == "a local copy of the source data (folder “data”)"
    assert source_label("https://example.org/els/v2") == "the web source at example.org"
    name = "ONS Explore Local Statistics (public GitHub repositories)"
    assert source_label(name) == name and source_label(None) == "an unknown source"


def test_moving_between_pages_keeps_indicator_year_and_area(app_env):
    at = run(
        {"indicator": "healthy-life-expectancy-female", "year": "2015", "level": "utla", "area": "E06000009"}
    )
    at.switch_page("pages/compare.py").run()
    assert not at.exception
    assert at.selectbox(key="indicator").value == "healthy-life-expectancy-female"
    assert at.selectbox(key="year_period").value == "2015-01-01/P3Y"
    at.switch_page("pages/trends.py").run()
    assert not at.exception
    assert at.selectbox(key="indicator").value == "healthy-life-expectancy-female"
    at.switch_page("pages/map.py").run()
    assert not at.exception
    assert at.selectbox(key="year_period").value == "2015-01-01/P3Y"
    assert at.radio(key="level").value == "utla"


#: Indicators the default sweep draws (a fixed-seed sample; ``make sweep`` draws them all).
SWEEP_SAMPLE = 12


def test_every_indicator_and_level_renders_without_error(app_env):
    """Every indicator at every level through the page's own controls. By default a
    fixed-seed sample of indicators (each at all its levels, the first indicator always
    in); LUMAP_SWEEP=full (``make sweep``) draws every one (≈600 s on a busy machine)."""
    import os
    import random

    at = run({})
    store = Store(app_env)
    slugs = [slug for slug, meta in store.meta.items() if meta["levels"]]
    if os.environ.get("LUMAP_SWEEP") != "full":
        slugs = slugs[:1] + random.Random(9).sample(slugs[1:], min(SWEEP_SAMPLE, len(slugs) - 1))
    for slug in slugs:
        meta = store.meta[slug]
        at.selectbox(key="indicator").set_value(slug).run()
        assert not at.exception, (slug, at.exception[0].value)
        for level in meta["levels"][1:]:
            at.radio(key="level").set_value(level).run()
            assert not at.exception, (slug, level, at.exception[0].value)
        at.radio(key="level").set_value(meta["levels"][0]).run()


def test_presentation_mode_from_the_url(app_env):
    at = run({"indicator": "gross-median-weekly-pay", "present": "1"})
    assert not at.exception
    assert at.toggle(key="present").value is True
    assert len(at.dataframe) == 0  # the table is hidden
    assert map_args(at)["height"] == 860  # a bigger map
    at.toggle(key="present").set_value(False).run()
    assert len(at.dataframe) == 1
    bad = run({"present": "maybe"})
    assert any("should be 1 or 0" in shown(w.value) for w in bad.warning)


def test_map_sends_the_store_values_and_only_ids_of_the_published_geometry(app_env):
    """Every area's tooltip carries the store's value, its colour is its class, and the ids
    name the same features in the static TopoJSON the browser loads."""
    from lumap import config
    from lumap.data.boundaries import decode_topology
    from lumap.viz.classify import classify

    slug, level = "gross-median-weekly-pay", "ltla"
    at = run({"indicator": slug, "year": "2025", "level": level})
    assert not at.exception
    store = Store(app_env)
    period = store.resolve_year(slug, 2025)
    vals = store.values(slug, period, level).set_index("areacd")
    meta = store.indicator(slug)
    areas = map_areas(at, store)
    classes = classify(vals["value"].to_numpy(dtype=float), "natural")
    for code, row in vals.iterrows():
        assert code in areas, code
        if not pd.isna(row["value"]):
            assert format_value(row["value"], meta) in areas[code]["tip"], (code, areas[code]["tip"])
            assert areas[code]["fill"] == classes.colour(row["value"])
    args = map_args(at)
    published = config.STATIC_DIR / "geo" / args["geometry"]["url"].rsplit("/", 1)[1]
    topo = json.loads(published.read_text())
    decoded = decode_topology(topo, layers=(level,))[level]
    assert all(decoded[a["id"]][0]["areacd"] == code for code, a in areas.items())
    assert all(decoded[a["id"]][1] is not None for a in areas.values())
    ranked = vals.dropna(subset=["value"])
    top = ranked["value"].idxmax()
    assert areas[top]["tip"].split("\n")[:3] == [
        ranked.loc[top, "areanm"],
        format_value(ranked.loc[top, "value"], meta),
        f"1st highest of {len(ranked)}",
    ]
    assert areas[top]["tip"].endswith("\nPeriod: " + store.period_label(slug, period))


def test_change_of_year_changes_only_values_not_the_geometry_file(app_env):
    at = run({"indicator": "gross-median-weekly-pay", "year": "2025", "level": "ltla"})
    first = map_args(at)
    at.selectbox(key="year_period").set_value(at.selectbox(key="year_period").options[-2]).run()
    assert not at.exception
    second = map_args(at)
    assert second["geometry"] == first["geometry"] and second["tips"] != first["tips"]
    assert map_bytes(at) < 30_000


def test_a_combined_area_in_the_legend_and_a_members_panel(app_env):
    """#12.5: City of London and Hackney share one figure (E67000001): the legend says so, and
    the panel of a member shows the combined figure, not "no value"."""
    slug = "cardiovascular-mortality-persons-aged-under-75"
    at = run({"indicator": slug, "level": "ltla", "area": "E09000001"})
    assert not at.exception, [e.value for e in at.exception]
    import html

    legend_md = html.unescape(" ".join(m.value for m in at.markdown))
    assert "One figure for City of London and Hackney together (combined area E67000001)" in legend_md
    captions = " ".join(c.value for c in at.caption)
    assert "combined area E67000001" in captions
    store = Store(app_env)
    period = store.periods(slug)["period"].iloc[-1]
    value = store.values(slug, period, "ltla").set_index("areacd").loc["E67000001", "value"]
    from lumap.escape import md

    assert [m.value for m in at.metric] == [md(format_value(value, store.indicator(slug), False))]
    assert not any("No value" in i.value for i in at.info)
    assert "previous code" not in captions  # a combined area is not a re-code
