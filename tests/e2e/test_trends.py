"""The trends page in a real browser, offline."""

import io

import pandas as pd

from lumap.data.store import Store

from .conftest import download, no_exceptions, open_page, screenshot, wait_for_app

PAY = "gross-median-weekly-pay"
TEN = [
    "E06000009",
    "E08000003",
    "W06000015",
    "S12000036",
    "E09000033",
    "N09000003",
    "E06000063",
    "E07000117",
    "E08000025",
    "S12000049",
]


def test_trends_ten_areas_from_a_url_offline(offline_page, app_url, real_store_dir):
    page = offline_page
    seconds = open_page(page, app_url, f"/trends?indicator={PAY}&level=ltla&areas={','.join(TEN)}&ci=1")
    assert page.get_by_test_id("stVegaLiteChart").count() == 1
    store = Store(real_store_dir)
    csv = pd.read_csv(io.BytesIO(download(page, "Download CSV")))
    assert set(csv.loc[csv["role"] == "area", "areacd"]) >= set(TEN)
    assert "K02000001" in set(csv.loc[csv["role"] == "comparator", "areacd"])
    series = store.series(PAY).set_index(["areacd", "period"])
    for code, period, value in zip(csv["areacd"], csv["period"], csv["value"], strict=True):
        stored = series.at[(code, period), "value"]
        assert (pd.isna(value) and pd.isna(stored)) or value == stored, (code, period)
    png = download(page, "Download chart (PNG)", timeout=120_000)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    no_exceptions(page)
    page.set_viewport_size({"width": 1400, "height": 1800})
    wait_for_app(page)
    page.get_by_role("heading", level=1).first.scroll_into_view_if_needed()
    screenshot(page, "trends")
    assert page.external == [], page.external
    print(f"trends, 10 areas: {seconds:.2f} s from URL to chart drawn")


def test_code_change_is_marked(offline_page, app_url):
    page = offline_page
    # Sheffield re-coded (the same place: one series, the change marked); Somerset a merger
    # (a different area: not joined to the districts it replaced, and the page says so)
    open_page(page, app_url, "/trends?indicator=domestic-electricity-consumption&areas=E08000039,E06000066")
    assert page.get_by_text("marks where an area's figures move to its new code").count() == 1
    assert page.get_by_text("a different area, so their earlier figures are not joined").count() == 1
    no_exceptions(page)
    page.set_viewport_size({"width": 1400, "height": 1600})
    wait_for_app(page)
    page.get_by_role("heading", level=1).first.scroll_into_view_if_needed()
    screenshot(page, "trends-code-change")
    assert page.external == [], page.external


def test_index_view(offline_page, app_url):
    page = offline_page
    open_page(page, app_url, f"/trends?indicator={PAY}&areas=E06000009,E09000001&scale=index&base=2015")
    assert page.get_by_text("No value in the base year (2015), so not indexed: City of London").count() == 1
    assert page.get_by_role("radio", name="Index (base year = 100)").is_checked()
    no_exceptions(page)
    assert page.external == [], page.external


def test_single_period_indicator(offline_page, app_url):
    page = offline_page
    open_page(page, app_url, "/trends?indicator=4g-coverage&areas=E06000009,W06000015")
    assert page.get_by_text("published for one period only").count() == 1
    no_exceptions(page)
    assert page.external == [], page.external
