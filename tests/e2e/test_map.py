"""The map page in a real browser, offline."""

import re
import subprocess
import sys

import pytest

from lumap.data.store import Store

from .conftest import no_exceptions, screenshot, wait_for_app

MAP_URL = "/?indicator=gross-median-weekly-pay&level=ltla"
MAP_IFRAME = 'iframe[title$="lumap_map"]'


def _map(page):
    return page.frame_locator(MAP_IFRAME)


def _frame(page):
    return page.locator(MAP_IFRAME).element_handle().content_frame()


def area_point(page, code: str) -> tuple[float, float]:
    """Page coordinates of a point inside an area's polygon (from Leaflet itself)."""
    pt = _frame(page).evaluate(
        """(code) => {
            let found = null;
            window.map.eachLayer(l => { if (l.feature && l.feature.properties.areacd === code) found = l; });
            const c = found.getBounds().getCenter();
            const p = window.map.latLngToContainerPoint(c);
            return [p.x, p.y];
        }""",
        code,
    )
    box = page.locator(MAP_IFRAME).bounding_box()
    return box["x"] + pt[0], box["y"] + pt[1]


@pytest.fixture()
def cpu_burners():
    """Two processes spinning a core each while the test runs: the app under load."""
    procs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
    yield procs
    for p in procs:
        p.kill()
        p.wait()


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
    # the frame said "ready" from its head, before Leaflet loaded, and lumapmap.js took over:
    # the boundaries were fetched once, by whichever of the two got the arguments first
    fetched = _frame(page).evaluate(
        "() => [!!window.lumapEarly, performance.getEntriesByType('resource')"
        ".filter(e => e.name.includes('/app/static/geo/')).length]"
    )
    assert fetched == [True, 1], fetched
    screenshot(page, "map-ltla")

    # hover shows the tooltip: name, value, rank and the period
    x, y = area_point(page, "W06000023")
    page.mouse.move(x, y)
    tip = _map(page).locator(".lumap-tip").first
    tip.wait_for()
    assert tip.inner_text().startswith("Powys\n£"), tip.inner_text()
    assert "highest of" in tip.inner_text() and tip.inner_text().endswith("Period: 2025")
    page.mouse.click(x, y)
    page.get_by_role("button", name="Clear selection").wait_for()
    wait_for_app(page)
    assert "area=W06000023" in page.url, page.url  # the URL names the area
    assert page.get_by_role("heading", name="Powys").count() == 1
    assert page.get_by_text(re.compile(r"highest of \d+ lower-tier areas")).count() >= 1
    screenshot(page, "map-area-selected")
    no_exceptions(page)
    assert page.external == [], page.external


def test_first_click_on_a_fresh_page_under_load_opens_that_area(offline_page, app_url, cpu_burners):
    """One click, as soon as the polygons show, on a new page while two processes load the
    CPU: it must open the area clicked (st_folium used to lose it, or open the previous one)."""
    page = offline_page
    page.goto(app_url + MAP_URL)
    _map(page).locator("path.leaflet-interactive").nth(300).wait_for(timeout=90_000)
    x, y = area_point(page, "E08000012")  # Liverpool
    page.mouse.click(x, y)
    page.get_by_role("button", name="Clear selection").wait_for(timeout=90_000)
    wait_for_app(page, timeout=90_000)
    assert "area=E08000012" in page.url, page.url
    assert page.get_by_role("heading", name="Liverpool", exact=True).count() == 1
    screenshot(page, "map-first-click-under-load")
    no_exceptions(page)
    assert page.external == [], page.external


def test_switching_year_keeps_pan_and_zoom_and_restyles_in_place(offline_page, app_url, real_store_dir):
    page = offline_page
    page.goto(app_url + MAP_URL)
    wait_for_app(page)
    _map(page).locator("path.leaflet-interactive").nth(300).wait_for()
    frame = _frame(page)
    frame.evaluate("() => window.map.setView([51.505, -0.09], 12, {animate: false})")
    view = frame.evaluate("() => [map.getCenter().lat, map.getCenter().lng, map.getZoom()]")
    frame.evaluate(
        "() => { window.__paths = new Set(document.querySelectorAll('path.leaflet-interactive')); }"
    )
    rendered = frame.evaluate("() => document.body.dataset.rendered")
    box = page.get_by_test_id("stSelectbox").filter(has_text="Year").first
    box.click()
    page.get_by_role("option", name="2019").click()
    wait_for_app(page)
    frame.wait_for_function("(before) => document.body.dataset.rendered !== before", arg=rendered)
    assert frame.evaluate("() => [map.getCenter().lat, map.getCenter().lng, map.getZoom()]") == view
    # the same SVG paths, restyled, not rebuilt
    assert frame.evaluate(
        "() => [...document.querySelectorAll('path.leaflet-interactive')].every(p => window.__paths.has(p))"
    )
    screenshot(page, "map-london-zoom12-2019")
    # 2009 is not published for Northern Ireland: a note appears above the map, which stays
    rendered = frame.evaluate("() => document.body.dataset.rendered")
    box.click()
    page.get_by_role("option", name="2009").click()
    wait_for_app(page)
    frame.wait_for_function("(before) => document.body.dataset.rendered !== before", arg=rendered)
    assert page.get_by_text("Not published for Northern Ireland", exact=False).count() >= 1
    assert frame.evaluate("() => [map.getCenter().lat, map.getCenter().lng, map.getZoom()]") == view
    no_exceptions(page)
    assert page.external == [], page.external


def test_combined_authorities_sit_on_the_uk_outline_and_fill_the_map(offline_page, app_url):
    page = offline_page
    page.goto(app_url + "/?indicator=gross-disposable-household-income-per-head&level=cauth")
    wait_for_app(page)
    _map(page).locator("path.leaflet-interactive").nth(9).wait_for()
    frame = _frame(page)
    frame.wait_for_function("() => document.querySelectorAll('path:not(.leaflet-interactive)').length > 0")
    assert frame.evaluate("() => map.getZoom()") > 6  # fitted to England's authorities, not the UK
    screenshot(page, "map-cauth")
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
