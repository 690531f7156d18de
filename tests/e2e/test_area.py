"""The area profile in a real browser, offline: opened from a URL, charts drawn, the CSV
download equal to the store, type-ahead search and row selection."""

import io
import math

import pandas as pd

from lumap.analysis.format import format_value
from lumap.analysis.ranks import rank_of
from lumap.data.store import Store

from .conftest import no_exceptions, screenshot, select_grid_row, wait_for_app

AREA_URL = "/area?area=E06000009"


def _open(page, app_url, path):
    # With a pages/ folder beside app.py, Streamlit runs pages/*.py on their own (no app.py
    # frame: no navigation, no wide layout) until some session has run st.navigation
    # (PagesManager.uses_pages_directory). Open the root once, as the first visitor of a
    # fresh server would, so the deep link below is served the way every later visitor sees it.
    page.goto(app_url + "/")
    wait_for_app(page, timeout=90_000)
    page.goto(app_url + path)
    # a fresh server ranks every area of every level once: seconds on a quiet machine, minutes
    # beside other suites (the missions caches fill in the background meanwhile)
    wait_for_app(page, timeout=180_000)


def _same(a, b) -> bool:
    a, b = float(a), float(b)
    return (math.isnan(a) and math.isnan(b)) or a == b


def test_area_profile_offline_charts_and_csv(offline_page, app_url, real_store_dir):
    page = offline_page
    _open(page, app_url, AREA_URL)
    no_exceptions(page)
    assert page.get_by_role("heading", name="Blackpool", exact=True).count() == 1
    # the profile at a glance on top; one table per mission / topic below, on demand
    glance = page.get_by_test_id("stMain").get_by_test_id("stVegaLiteChart").first
    glance.locator("canvas, svg").first.wait_for()
    expanders = page.get_by_test_id("stExpander")
    for i in range(expanders.count()):
        expanders.nth(i).locator("summary").click()
    page.get_by_test_id("stDataFrame").nth(9).wait_for()  # grids mount just after the run ends
    assert page.get_by_test_id("stDataFrame").count() >= 10
    chart = page.get_by_test_id("stSidebar").get_by_test_id("stVegaLiteChart")
    chart.first.locator("canvas, svg").first.wait_for()
    assert chart.first.bounding_box()["height"] > 150
    assert page.get_by_text("significantly worse").count() >= 1

    # the CSV holds every indicator of the page, each number equal to the store's
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the whole profile").click()
    csv = pd.read_csv(io.BytesIO(open(info.value.path(), "rb").read()))
    store = Store(real_store_dir)
    assert len(csv) > 50 and set(csv["areacd"]) == {"E06000009"}
    for r in csv.itertuples(index=False):
        rows = store.series(r.indicator, ["E06000009"])
        own = rows[rows["period"] == r.period]
        assert len(own) == 1 and r.period == rows["period"].iloc[-1], r.indicator  # the latest period
        assert _same(r.value, own["value"].iloc[0]), (r.indicator, r.value)
        assert _same(r.lci_95, own["lci_95"].iloc[0]) and _same(r.uci_95, own["uci_95"].iloc[0])
        comps = store.period_rows(r.indicator, r.period).set_index("areacd")["value"]
        if isinstance(r.uk_code, str):
            assert _same(r.uk_value, comps["K02000001"]), r.indicator
        if isinstance(r.region_code, str):
            assert r.region_code == "E12000002" and _same(r.region_value, comps["E12000002"])
        if isinstance(r.level, str) and not pd.isna(r.rank):
            ranked = rank_of(store.values(r.indicator, r.period, r.level), "E06000009")
            assert (int(r.rank), int(r.n)) == (ranked.rank, ranked.n), r.indicator
    pay = csv.set_index("indicator").loc["gross-median-weekly-pay"]
    assert pay["rank"] > 300 and pay["n"] > 300 and pay["uk_vs"] == "significantly worse"

    page.get_by_test_id("stMain").evaluate("e => e.scrollTo(0, 0)")
    page.mouse.move(5, 5)
    page.set_viewport_size({"width": 1400, "height": 2400})
    page.wait_for_timeout(500)
    screenshot(page, "area-profile")
    page.set_viewport_size({"width": 1400, "height": 1000})
    no_exceptions(page)
    assert page.external == [], page.external


def test_type_ahead_finds_an_area_and_row_click_selects_an_indicator(offline_page, app_url):
    page = offline_page
    _open(page, app_url, AREA_URL)
    # type-ahead over every area: a new code (Cumberland) replacing old ones
    box = page.get_by_test_id("stSelectbox").filter(has_text="Find an area")
    box.click()
    page.keyboard.type("Cumberl")
    page.get_by_role("option", name="Cumberland (unitary authority").first.click()
    wait_for_app(page)
    assert "area=E06000063" in page.url, page.url
    assert page.get_by_role("heading", name="Cumberland", exact=True).count() == 1
    assert page.get_by_text("replaced Allerdale (E07000026)").count() == 1

    # select another row of the first table (the first is already selected): the sidebar
    # and the URL switch to that indicator
    assert "indicator=children-in-relative-poverty-after-housing" in page.url, page.url
    page.get_by_test_id("stExpander").first.locator("summary").click()  # the first mission's table
    grid = page.get_by_test_id("stDataFrame").first
    grid.wait_for()
    select_grid_row(page, grid, "Children in relative poverty before housing costs")
    wait_for_app(page)
    assert "indicator=children-in-relative-poverty-before-housing" in page.url, page.url
    sidebar = page.get_by_test_id("stSidebar")
    assert sidebar.get_by_text("Children in relative poverty before housing costs").count() >= 1

    # the similar-area links lead to that area's profile, keeping the indicator
    page.get_by_test_id("stPageLink").last.click()
    wait_for_app(page)
    assert "area=" in page.url and "area=E06000063" not in page.url
    assert "indicator=children-in-relative-poverty-before-housing" in page.url, page.url
    page.get_by_test_id("stMain").evaluate("e => e.scrollTo(0, 0)")
    screenshot(page, "area-profile-after-navigation")
    no_exceptions(page)
    assert page.external == [], page.external


def test_a_recoded_area_has_one_continuous_series(offline_page, app_url, real_store_dir):
    """Sheffield was re-coded in 2025 (E08000019 -> E08000039, the same boundary); the source
    still publishes its pay under the old code (#8.4): the old code's link opens Sheffield,
    with every pay figure in one series and the code change marked."""
    page = offline_page
    pay = "gross-median-weekly-pay"
    _open(page, app_url, f"/area?area=E08000019&indicator={pay}")
    no_exceptions(page)
    assert "area=E08000039" in page.url, page.url
    assert page.get_by_role("heading", name="Sheffield", exact=True).count() == 1
    assert page.get_by_text("E08000019 is an earlier code of Sheffield").count() >= 1
    assert page.get_by_text("Sheffield's code changed").count() == 1
    store = Store(real_store_dir)
    series = store.series(pay, ["E08000039"])
    raw = store.obs[(store.obs["indicator"] == pay) & store.obs["areacd"].isin(["E08000019", "E08000039"])]
    assert len(series) == raw["period"].nunique() >= 15  # every period, under either code, once
    latest = series.iloc[-1]
    sidebar = page.get_by_test_id("stSidebar")
    shown = format_value(latest["value"], store.indicator(pay))
    assert sidebar.get_by_text(f"is {shown}", exact=False).count() >= 1
    assert sidebar.get_by_text("Published under Sheffield's previous code E08000019").count() == 1
    # the sidebar's chart: one line of the area through every period, the code change a rule
    chart = sidebar.get_by_test_id("stVegaLiteChart").first
    chart.locator("canvas, svg").first.wait_for()
    assert chart.bounding_box()["height"] > 150
    # the table row of pay says which code the figure was published under
    page.get_by_test_id("stExpander").first.locator("summary").click()
    grid = page.get_by_test_id("stDataFrame").first
    grid.wait_for()
    # the grid draws on a canvas: its accessible table is in the page but never "visible"
    row = grid.locator("tr[aria-rowindex]").filter(has_text="as E08000019").first
    row.wait_for(state="attached", timeout=30_000)
    page.get_by_test_id("stMain").evaluate("e => e.scrollTo(0, 0)")
    page.mouse.move(5, 5)
    screenshot(page, "area-profile-recoded-sheffield")
    no_exceptions(page)
    assert page.external == [], page.external
