"""The compare page in a real browser, offline: opened from a URL, charts drawn,
downloads equal to the store."""

import io

import pandas as pd

from lumap.data.store import Store

from .conftest import SCREENSHOTS, download, no_exceptions, open_page, screenshot, wait_for_app

HLE = "healthy-life-expectancy-female"
TEN = [
    "E06000009",
    "E08000003",
    "W06000015",
    "S12000036",
    "E09000033",
    "N09000003",
    "E06000063",
    "E06000010",
    "E08000025",
    "S12000049",
]
URL = f"/compare?indicator={HLE}&year=2022&level=ltla&areas={','.join(TEN)}&comp=uk,region,similar"


def test_compare_ten_areas_from_a_url_offline(offline_page, app_url, real_store_dir):
    page = offline_page
    seconds = open_page(page, app_url, URL)
    charts = page.get_by_test_id("stVegaLiteChart")
    charts.nth(1).locator("canvas, svg").first.wait_for()  # the heat map comes second
    assert charts.count() == 2  # bar chart and heat map
    for i in range(2):
        assert charts.nth(i).locator("canvas, svg").count() >= 1
    assert page.get_by_text("192nd highest of the 195 lower-tier areas with data").count() == 1
    assert page.get_by_text("Blackpool's female healthy life expectancy (2022-24) is 51.8 years").count() == 1

    store = Store(real_store_dir)
    period = store.resolve_year(HLE, 2022)
    frame = store.values(HLE, period, "ltla").set_index("areacd")
    csv = pd.read_csv(io.BytesIO(download(page, "Download CSV")))
    assert list(csv["areacd"]) == TEN
    for code, value, lci, uci in zip(csv["areacd"], csv["value"], csv["lci_95"], csv["uci_95"], strict=True):
        assert (value, lci, uci) == tuple(frame.loc[code, ["value", "lci_95", "uci_95"]])
    uk = store.period_rows(HLE, period).set_index("areacd").at["K02000001", "value"]
    assert (csv["uk_value"] == uk).all()
    assert csv.loc[0, "sentence"].startswith(
        "Blackpool's female healthy life expectancy (2022-24) is 51.8 years"
    )

    heat = pd.read_csv(io.BytesIO(download(page, "Download heat map CSV")))
    row = heat[(heat["indicator"] == HLE) & (heat["areacd"] == "E06000009")].iloc[0]
    assert row["value"] == frame.at["E06000009", "value"] and row["period_label"] == "2022-24"

    png = download(page, "Download chart (PNG)", timeout=120_000)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "compare-download.png").write_bytes(png)  # title, period, attribution burned in

    no_exceptions(page)
    page.set_viewport_size({"width": 1400, "height": 3400})
    wait_for_app(page)
    page.get_by_role("heading", level=1).first.scroll_into_view_if_needed()
    screenshot(page, "compare")
    assert page.external == [], page.external
    print(f"compare, 10 areas: {seconds:.2f} s from URL to charts drawn")


def test_bad_url_gives_notices_not_a_traceback(offline_page, app_url):
    page = offline_page
    page.goto(app_url + "/")
    wait_for_app(page)
    page.goto(app_url + "/compare?indicator=nope&areas=E07000026,<b>x</b>&year=abc")
    wait_for_app(page)
    assert page.get_by_text("Unknown indicator").count() == 1
    assert page.get_by_text("was replaced by Cumberland (E06000063)").count() == 1
    assert page.get_by_text("is not an area code").count() == 1
    assert page.locator("b:text('x')").count() == 0  # the URL's markup is not rendered
    no_exceptions(page)
    assert page.external == [], page.external
