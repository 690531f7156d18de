"""Finding places, honest grey and everyone's map (#12): in a real browser, offline."""

from __future__ import annotations

import pytest

from .axe import violations
from .conftest import SCREENSHOTS, no_exceptions, screenshot, wait_for_app
from .servers import streamlit_server
from .test_map import MAP_IFRAME, _frame, _map, area_point

HATCHED = "p => (p.getAttribute('fill') || '').startsWith('url(#lumap-hatch')"


def shot(page, name: str) -> None:
    """The viewport as a reader sees it (1400×900 or 390×844), beside the full page."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-viewport.png"), animations="disabled")
    screenshot(page, name)


def open_map(page, app_url, query: str, polygons: int = 1) -> None:
    page.goto(app_url + "/?" + query)
    wait_for_app(page)
    _map(page).locator("path.leaflet-interactive").nth(polygons - 1).wait_for()
    page.locator(MAP_IFRAME).scroll_into_view_if_needed()  # hovering needs the map on screen


def layer_js(code: str, expr: str) -> str:
    """A page function: ``expr`` of the Leaflet layer ``l`` that draws ``code``."""
    return (
        "() => { let l = null; map.eachLayer(x => { if (x.feature && x.feature.properties.areacd === "
        f"'{code}') l = x; }}); return {expr}; }}"
    )


def tooltip(page, code: str) -> str:
    x, y = area_point(page, code)
    page.mouse.move(x, y)
    tip = _map(page).locator(".lumap-tip").first
    tip.wait_for()
    return tip.inner_text()


def test_county_only_indicator_on_the_district_map(offline_page, app_url):
    """Healthy life expectancy is published for counties: their districts show the county's
    value hatched, say so, and one click shows the counties."""
    page = offline_page
    page.set_viewport_size({"width": 1400, "height": 900})
    open_map(page, app_url, "indicator=healthy-life-expectancy-female&level=ltla", 300)
    frame = _frame(page)
    hatched = frame.evaluate(
        f"() => [...document.querySelectorAll('path.leaflet-interactive')].filter({HATCHED}).length"
    )
    assert hatched >= 150, hatched
    tip = tooltip(page, "E07000110")  # Maidstone, a district of Kent
    assert tip.startswith("Maidstone\nKent (county): ") and "published for counties, not districts" in tip, (
        tip
    )
    assert "suppressed" not in tip
    assert page.get_by_text("Hatched: the county's value (not published for districts)").count() == 1
    page.locator(MAP_IFRAME).scroll_into_view_if_needed()
    shot(page, "map-county-only-on-districts")
    assert violations(page) == []
    page.get_by_role("button", name="Show counties and unitary authorities").click()
    wait_for_app(page)
    assert "level=utla" in page.url, page.url
    frame = _frame(page)
    frame.wait_for_function("() => document.querySelectorAll('path.leaflet-interactive').length < 250")
    assert (
        frame.evaluate(
            f"() => [...document.querySelectorAll('path.leaflet-interactive')].filter({HATCHED}).length"
        )
        == 0
    )
    assert page.get_by_text("Hatched: the county's value").count() == 0
    no_exceptions(page)
    assert page.external == []


def test_homicide_by_region_says_scotland_is_not_published(offline_page, app_url):
    page = offline_page
    page.set_viewport_size({"width": 1400, "height": 900})
    open_map(page, app_url, "indicator=homicide-offences&level=rgn", 11)
    fill = _frame(page).evaluate(layer_js("S92000003", "l.options.fillColor"))
    assert fill == "#ffffff", fill
    tip = tooltip(page, "S92000003")
    assert tip.startswith("Scotland\nNot published for Scotland"), tip
    assert "suppressed" not in tip
    assert page.get_by_text("Not published for Scotland", exact=True).count() == 1  # the legend key
    assert page.get_by_text("No value for this area").count() == 0  # no empty "suppressed" key
    assert page.get_by_text("(better)").count() == 1 and page.get_by_text("Lower is better").count() >= 1
    page.locator(MAP_IFRAME).scroll_into_view_if_needed()
    shot(page, "map-homicide-by-region")
    no_exceptions(page)
    assert page.external == []


def test_finding_an_area_by_keyboard_zooms_to_it_and_opens_its_panel(offline_page, app_url):
    page = offline_page
    page.set_viewport_size({"width": 1400, "height": 900})
    open_map(page, app_url, "indicator=gross-median-weekly-pay&level=ltla", 300)
    frame = _frame(page)
    zoom = frame.evaluate("() => map.getZoom()")
    # the areas are not tab stops: the map's iframe holds a handful (the map, zoom buttons, links)
    stops = frame.evaluate(
        "() => [...document.querySelectorAll('a[href], button, input, [tabindex]')]"
        ".filter(e => e.tabIndex >= 0 && !e.closest('[aria-hidden=true]')).length"
    )
    assert stops <= 6, stops
    assert "Find an area" in frame.evaluate("() => document.getElementById('map').getAttribute('aria-label')")
    box = page.get_by_role("combobox", name="Find an area")
    box.focus()
    page.keyboard.type("Liverpo")
    page.get_by_role("option", name="Liverpool (E08000012)").wait_for()
    page.keyboard.press("ArrowDown")  # from "Add: Liverpo" (typed text) to the area
    page.keyboard.press("Enter")
    wait_for_app(page)
    page.get_by_role("heading", name="Liverpool", exact=True).wait_for()
    assert "area=E08000012" in page.url, page.url
    frame = _frame(page)
    frame.wait_for_function("(z) => map.getZoom() > z", arg=zoom)
    inside = frame.evaluate(
        layer_js("E08000012", "map.getBounds().contains(l.getBounds().getCenter()) && l.options.weight > 2")
    )
    assert inside  # zoomed to it, outlined
    page.get_by_role("combobox", name="Find an area").scroll_into_view_if_needed()
    shot(page, "map-search-in-use")
    assert violations(page) == []
    no_exceptions(page)
    assert page.external == []


@pytest.fixture(scope="module")
def postcode_app(store_with_postcodes):
    """A server on a copy of the real store with a postcode lookup (tests/conftest.py)."""
    with streamlit_server(env={"LUMAP_DATA_DIR": str(store_with_postcodes)}, name="postcodes") as (url, _):
        yield url


def test_a_postcode_finds_its_area_offline(page, postcode_app):
    page.external = []
    page.context.route(
        lambda u: not u.startswith(postcode_app), lambda r: (page.external.append(r.request.url), r.abort())
    )
    page.set_viewport_size({"width": 1400, "height": 900})
    open_map(page, postcode_app, "indicator=gross-median-weekly-pay&level=ltla", 300)
    box = page.get_by_role("combobox", name="Find an area or postcode")
    box.focus()
    page.keyboard.type("sw1a 1aa")
    page.keyboard.press("Enter")
    wait_for_app(page)
    page.get_by_role("heading", name="Westminster", exact=True).wait_for()
    assert "area=E09000033" in page.url
    assert page.get_by_text("SW1A 1AA is in Westminster (E09000033).").count() == 1
    box.focus()
    page.keyboard.type("ZZ9 9ZZ")
    page.keyboard.press("Enter")
    wait_for_app(page)
    assert page.get_by_text("ZZ9 9ZZ is not in the postcode directory.").count() == 1
    no_exceptions(page)
    assert page.external == []


def test_hexagon_map_one_equal_hexagon_per_area(offline_page, app_url):
    page = offline_page
    page.set_viewport_size({"width": 1400, "height": 900})
    open_map(page, app_url, "indicator=gross-median-weekly-pay&level=ltla&view=hex", 300)
    frame = _frame(page)
    shape = frame.evaluate(
        """() => { const out = []; map.eachLayer(l => { if (l.feature && l.getLatLngs) {
                     const ring = l.getLatLngs()[0]; const b = l.getBounds();
                     const p = map.latLngToLayerPoint(b.getNorthEast());
                     const q = map.latLngToLayerPoint(b.getSouthWest());
                     out.push([ring.length, Math.round(p.x - q.x)]); } }); return out; }"""
    )
    assert len(shape) >= 355, len(shape)
    assert all(n == 6 for n, _ in shape)  # hexagons
    widths = sorted(w for _, w in shape)
    assert widths[-1] - widths[0] <= 2, widths[:3] + widths[-3:]  # equal on screen
    assert frame.evaluate(
        "() => document.querySelector('.leaflet-control-scale') === null"
    )  # no km on hexagons
    tip = tooltip(page, "E09000001")  # the City of London: a hexagon as large as Highland's
    assert tip.startswith("City of London"), tip
    page.locator(MAP_IFRAME).scroll_into_view_if_needed()
    shot(page, "map-hexagons")
    assert violations(page) == []
    page.get_by_text("Boundaries", exact=True).click()
    wait_for_app(page)
    frame = _frame(page)
    frame.wait_for_function("() => document.querySelector('.leaflet-control-scale') !== null")
    assert "view=hex" not in page.url
    no_exceptions(page)
    assert page.external == []


@pytest.fixture()
def phone(browser, app_url):
    """A 390×844 touch screen (a phone), offline."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    page = context.new_page()
    page.external = []
    context.route(
        lambda u: not u.startswith(app_url), lambda r: (page.external.append(r.request.url), r.abort())
    )
    page.set_default_timeout(60_000)  # as offline_page: a loaded machine
    yield page
    context.close()


SCROLLED = "window.scrollY + [...document.querySelectorAll('*')].reduce((s, e) => s + e.scrollTop, 0)"


#: Resolves when the scroll position has not changed for five animation frames in a row.
STILL = (
    "() => new Promise(done => { let last = null, same = 0; const tick = () => {"
    f" const now = {SCROLLED}; same = now === last ? same + 1 : 0; last = now;"
    " if (same >= 5) done(); else requestAnimationFrame(tick); }; tick(); })"
)


def scrolled(page) -> float:
    """How far the page is scrolled (Streamlit scrolls its own main container)."""
    return page.evaluate(f"() => {SCROLLED}")


def test_on_a_phone_legend_and_panel_in_sight_swipe_scrolls_tap_selects(phone, app_url):
    page = phone
    open_map(page, app_url, "indicator=gross-median-weekly-pay&level=ltla&area=E08000012", 300)
    iframe = page.locator(MAP_IFRAME)
    frame = _frame(page)
    _map(page).locator("#lumap-legend .lumap-strip").wait_for()
    frame.wait_for_function("() => window.innerHeight >= document.body.scrollHeight - 1")  # frame grown
    iframe.evaluate("e => e.scrollIntoView({block: 'center'})")  # where a reader scrolls to see the map
    box = iframe.bounding_box()
    # map, selected area and legend together fit on one screen, which is where they are
    assert box["height"] <= 844 - 60, box
    for sel in ("#map", "#lumap-summary", "#lumap-legend"):
        el = _map(page).locator(sel)
        assert el.is_visible(), sel
        inner = el.bounding_box()  # in the page's viewport
        assert inner["y"] >= 0 and inner["y"] + inner["height"] <= 844, (sel, inner)
    assert box["y"] >= 0 and box["y"] + box["height"] <= 844, box  # in sight
    assert "Liverpool: £" in _map(page).locator("#lumap-summary").inner_text()
    assert "(better)" in _map(page).locator("#lumap-legend").inner_text()
    shot(page, "map-phone")
    # a one-finger vertical swipe over the map scrolls the page, and leaves the map where it was
    centre = frame.evaluate("() => [map.getCenter().lat, map.getCenter().lng]")
    before = scrolled(page)
    cdp = page.context.new_cdp_session(page)
    x, y0 = box["x"] + box["width"] * 0.7, box["y"] + box["height"] * 0.6
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y0}]})
    for k in range(1, 11):
        cdp.send(
            "Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y0 - 25 * k}]}
        )
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_function(f"(b) => {SCROLLED} > b + 50", arg=before)
    assert frame.evaluate("() => [map.getCenter().lat, map.getCenter().lng]") == centre
    # a tap selects, once the swipe's scroll has come to rest (a fling may still be moving it)
    page.evaluate(STILL)
    px, py = area_point(page, "W06000023")  # Powys
    page.touchscreen.tap(px, py)
    page.get_by_role("heading", name="Powys", exact=True).wait_for()
    wait_for_app(page)
    assert "area=W06000023" in page.url, page.url
    assert violations(page) == []
    no_exceptions(page)
    assert page.external == []


PAGES = [
    "/?indicator=gross-median-weekly-pay&level=ltla&area=E08000012",
    "/?indicator=healthy-life-expectancy-female&level=ltla",
    "/?indicator=gross-median-weekly-pay&level=utla&view=hex",
    "/missions",
    "/missions?mission=1&view=change",
    "/area?area=E08000012",
    "/compare",
    "/trends",
    "/data",
]


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_or_critical_accessibility_violations(offline_page, app_url, path):
    """axe-core on the page and inside every iframe (the map is one)."""
    page = offline_page
    page.goto(app_url + path)
    wait_for_app(page, timeout=90_000)
    if path.startswith("/?") or "view=change" in path:
        _map(page).locator("path.leaflet-interactive").first.wait_for(timeout=60_000)
    charts = page.get_by_test_id("stVegaLiteChart")
    if charts.count():
        charts.first.locator("canvas, svg").first.wait_for(timeout=60_000)
    wait_for_app(page)
    found = violations(page)
    assert found == [], "\n".join(found)
    no_exceptions(page)


PHONE_VIEWS = {
    "county-only-on-districts": (
        "indicator=healthy-life-expectancy-female&level=ltla",
        300,
        "county's value",
    ),
    "homicide-by-region": ("indicator=homicide-offences&level=rgn", 11, "Not published for Scotland"),
    "hexagons": ("indicator=gross-median-weekly-pay&level=ltla&view=hex", 300, "(better)"),
}


@pytest.mark.parametrize("name", sorted(PHONE_VIEWS))
def test_on_a_phone_the_map_and_its_legend_say_what_grey_means(phone, app_url, name):
    """The 390×844 views of #12's screenshots: the compact legend under the map names the
    better end and what hatching or white means, all on one screen with the map."""
    page = phone
    query, polygons, key = PHONE_VIEWS[name]
    open_map(page, app_url, query, polygons)
    iframe = page.locator(MAP_IFRAME)
    frame = _frame(page)
    legend = _map(page).locator("#lumap-legend")
    legend.locator(".lumap-strip").wait_for()
    frame.wait_for_function("() => window.innerHeight >= document.body.scrollHeight - 1")
    iframe.evaluate("e => e.scrollIntoView({block: 'center'})")
    assert key in legend.inner_text(), legend.inner_text()
    for sel in ("#map", "#lumap-legend"):
        inner = _map(page).locator(sel).bounding_box()
        assert inner["y"] >= 0 and inner["y"] + inner["height"] <= 844, (sel, inner)
    shot(page, f"map-phone-{name}")
    no_exceptions(page)
    assert page.external == []


def test_on_a_phone_the_finder_lists_matches_in_sight(phone, app_url):
    page = phone
    open_map(page, app_url, "indicator=gross-median-weekly-pay&level=ltla", 300)
    box = page.get_by_role("combobox", name="Find an area")
    box.scroll_into_view_if_needed()
    box.tap()
    page.keyboard.type("Liverpo")
    option = page.get_by_role("option", name="Liverpool (E08000012)")
    option.wait_for()
    where = option.bounding_box()
    assert where["y"] >= 0 and where["y"] + where["height"] <= 844, where
    shot(page, "map-phone-search-in-use")
    option.tap()
    wait_for_app(page)
    page.get_by_role("heading", name="Liverpool", exact=True).wait_for()
    assert "area=E08000012" in page.url, page.url
    no_exceptions(page)
    assert page.external == []
