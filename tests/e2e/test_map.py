"""The map page in a real browser, offline."""

import re

from lumap.data.store import Store

from .conftest import no_exceptions, screenshot, wait_for_app

MAP_URL = "/?indicator=gross-median-weekly-pay&level=ltla"


def _map(page):
    return page.frame_locator('iframe[title="streamlit_folium.st_folium"]')


def area_point(page, code: str) -> tuple[float, float]:
    """Page coordinates of a point inside an area's polygon (from Leaflet itself)."""
    frame = page.frame(url=lambda u: "component" in u or "streamlit_folium" in u) or next(
        f for f in page.frames if f != page.main_frame
    )
    pt = frame.evaluate(
        """(code) => {
            let found = null;
            window.map.eachLayer(l => { if (l.feature && l.feature.properties.areacd === code) found = l; });
            const c = found.getBounds().getCenter();
            const p = window.map.latLngToContainerPoint(c);
            return [p.x, p.y];
        }""",
        code,
    )
    box = page.locator('iframe[title="streamlit_folium.st_folium"]').bounding_box()
    return box["x"] + pt[0], box["y"] + pt[1]


def test_map_draws_every_area_offline_and_a_click_selects_one(offline_page, app_url, real_store_dir):
    page = offline_page
    page.goto(app_url + MAP_URL)
    wait_for_app(page)
    polygons = _map(page).locator("path.leaflet-interactive")
    polygons.first.wait_for()
    store = Store(real_store_dir)
    latest = store.resolve_year("gross-median-weekly-pay", None)
    n_areas = len(store.values("gross-median-weekly-pay", latest, "ltla"))
    assert polygons.count() >= n_areas - 2, (polygons.count(), n_areas)  # one polygon per area drawn
    assert page.get_by_text("£", exact=False).first.is_visible()  # legend with units
    screenshot(page, "map-ltla")

    # a real mouse click on Powys; st_folium drops the first click after mount, so retry
    x, y = area_point(page, "W06000023")
    for _ in range(4):
        page.mouse.click(x, y)
        wait_for_app(page)
        if page.get_by_role("button", name="Clear selection").count():
            break
    assert page.get_by_role("button", name="Clear selection").count() == 1
    assert "area=W06000023" in page.url, page.url  # the URL names the area
    assert page.get_by_role("heading", name="Powys").count() == 1
    assert page.get_by_text(re.compile(r"highest of \d+ lower-tier areas")).count() >= 1
    screenshot(page, "map-area-selected")
    no_exceptions(page)
    assert page.external == [], page.external


def test_url_opens_exact_view_and_bad_values_fall_back(offline_page, app_url):
    page = offline_page
    page.goto(app_url + "/?indicator=healthy-life-expectancy-female&year=2015&level=utla&area=E06000009")
    wait_for_app(page)
    _map(page).locator("path.leaflet-interactive").first.wait_for()
    assert page.get_by_role("heading", name="Female healthy life expectancy").count() == 1
    assert page.get_by_text("FY").count() == 0
    assert page.get_by_role("heading", name="Blackpool").count() == 1
    assert "year=2015" in page.url and "level=utla" in page.url
    page.goto(app_url + "/?indicator=no-such-thing&year=abc&level=moon")
    wait_for_app(page)
    assert page.get_by_text("Unknown indicator").count() == 1
    no_exceptions(page)
    screenshot(page, "map-bad-url")
    assert page.external == []


def test_data_page_offline(offline_page, app_url):
    page = offline_page
    page.goto(app_url + "/data")
    wait_for_app(page)
    assert page.get_by_role("heading", name="About the data").count() == 1
    page.get_by_test_id("stDataFrame").first.wait_for()
    page.get_by_test_id("stDataFrame").first.locator("canvas").first.wait_for()
    screenshot(page, "data")
    no_exceptions(page)
    assert page.external == []


def test_presentation_mode(offline_page, app_url):
    page = offline_page
    page.set_viewport_size({"width": 1600, "height": 1000})
    page.goto(app_url + "/?indicator=gross-disposable-household-income-per-head&level=ltla&present=1")
    wait_for_app(page)
    _map(page).locator("path.leaflet-interactive").first.wait_for()
    assert page.get_by_test_id("stDataFrame").count() == 0
    no_exceptions(page)
    screenshot(page, "map-present")
    assert page.external == []
