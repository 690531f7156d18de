"""The missions page in a real browser, offline: summary table, charts, the change map."""

import io

import pandas as pd

from lumap.analysis import changetable, gaps, verdicts
from lumap.data.store import Store

from .conftest import SCREENSHOTS, no_exceptions, screenshot, wait_for_app


def screenshot_path(name: str):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"


def _tall(page, height: int = 3200) -> None:
    """Streamlit scrolls inside its own container, so a full-page screenshot is the viewport."""
    page.set_viewport_size({"width": 1400, "height": height})


def test_a_verdict_per_mission_without_scrolling_at_1920(offline_page, app_url):
    """/missions at 1920×1080: a verdict card for each mission 1-11, every one wholly inside
    the first screen (no scrolling), each with its words and its colour."""
    page = offline_page
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(app_url + "/missions")
    wait_for_app(page, timeout=90_000)
    cards = page.get_by_test_id("lu-card")
    cards.first.wait_for()
    assert cards.count() == 11
    for n in range(1, 12):
        card = page.locator(f"[data-testid='lu-card'][data-mission='{n}']")
        box = card.bounding_box()
        assert box is not None, n
        assert box["y"] >= 0 and box["y"] + box["height"] <= 1080, (n, box)  # no scrolling needed
        assert card.locator(".lu-head").inner_text().strip(), n  # a verdict in words
        tone = card.get_attribute("data-tone")
        assert tone in {"good", "bad", "mixed", "flat", "untested", "none"}
        colour = card.evaluate("e => getComputedStyle(e).borderLeftColor")
        assert colour and colour != "rgba(0, 0, 0, 0)", (n, colour)
    assert page.get_by_test_id("stExpander").filter(has_text="How the verdicts are decided").count() == 1
    page.screenshot(path=str(screenshot_path("missions-glance-1920")))
    no_exceptions(page)
    for w, h in ((1400, 900), (1280, 720)):  # a laptop, and a projector
        page.set_viewport_size({"width": w, "height": h})
        last = page.locator("[data-testid='lu-card'][data-mission='11']").bounding_box()
        page.screenshot(path=str(screenshot_path(f"missions-glance-{w}")))
        assert last["y"] + last["height"] <= h, (w, h, last)
    # a phone: one card per row, nothing wider than the screen (the page scrolls down only)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(app_url + "/missions")  # opened on a phone: the sidebar starts collapsed
    wait_for_app(page, timeout=90_000)
    cards.first.wait_for()
    first = page.locator("[data-testid='lu-card'][data-mission='1']").bounding_box()
    second = page.locator("[data-testid='lu-card'][data-mission='2']").bounding_box()
    assert first["x"] >= 0 and first["x"] + first["width"] <= 390, first
    assert second["y"] >= first["y"] + first["height"], (first, second)  # stacked, not side by side
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(screenshot_path("missions-glance-390")))
    assert page.external == [], page.external


def test_mission_7_table_section_and_charts_offline(offline_page, app_url, real_store_dir):
    page = offline_page
    _tall(page)
    slug = "healthy-life-expectancy-female"
    page.goto(app_url + f"/missions?mission=7&indicator={slug}")
    wait_for_app(page, timeout=90_000)
    store = Store(real_store_dir)
    slugs = [s for s, m in store.meta.items() if m.get("mission") == 7]

    table = page.locator("table.lu-gtable")
    table.wait_for()
    assert table.locator("tbody tr").count() == len(slugs)
    assert table.locator("svg").count() == sum(1 for s in slugs if len(store.periods(s)) > 1)
    assert table.get_by_text("Female healthy life expectancy").count() == 1
    assert page.get_by_role("heading", name="Mission 7: Health", exact=True).count() == 1

    charts = page.get_by_test_id("stVegaLiteChart")
    charts.first.wait_for()
    assert charts.count() == 2  # the open indicator's gap and level charts
    drawn = page.locator("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg")
    drawn.first.wait_for()
    assert drawn.count() >= 2
    meta = store.indicator(slug)
    base_p = gaps.baseline_period(store.periods(slug), 2019)
    now_p = store.periods(slug)["period"].iloc[-1]
    # HLE is published for upper-tier areas only in England: the page shows it at utla
    base_f, now_f = store.values(slug, base_p, "utla"), store.values(slug, now_p, "utla")
    gap = verdicts.gap_verdict(base_f, now_f, meta["polarity"], "top_rest_gap", n_boot=1000, seed=0)
    row = table.locator("tr", has_text="Female healthy life expectancy")
    assert gap.verdict in row.inner_text()
    no_exceptions(page)
    screenshot(page, "missions-7")
    assert page.external == [], page.external


def test_change_view_draws_the_map_and_lists_offline(offline_page, app_url, real_store_dir):
    page = offline_page
    _tall(page, 1600)
    slug = "gross-median-weekly-pay"
    page.goto(app_url + f"/missions?view=change&indicator={slug}&from=2019&to=2025&kind=absolute")
    wait_for_app(page, timeout=90_000)
    store = Store(real_store_dir)
    a = store.values(slug, store.resolve_year(slug, 2019), "ltla")
    b = store.values(slug, store.resolve_year(slug, 2025), "ltla")
    expected = changetable.change_table(a, b, store.indicator(slug)["polarity"])

    polygons = page.frame_locator('iframe[title$="lumap_map"]').locator("path.leaflet-interactive")
    polygons.first.wait_for(state="attached", timeout=60_000)
    assert polygons.count() >= len(expected) - 2
    assert page.get_by_role("heading", name="Most improved").count() == 1
    assert page.get_by_text("Purple = improved, orange = got worse").count() == 1

    with page.expect_download() as dl:
        page.get_by_role("button", name="Download the change table (CSV)").click()
    got = pd.read_csv(io.BytesIO(open(dl.value.path(), "rb").read()))
    assert list(got["areacd"]) == list(expected["areacd"])
    pd.testing.assert_series_equal(
        got["change"], expected["change"], check_exact=True, check_names=False
    )  # unrounded, as the store has it
    no_exceptions(page)
    screenshot(page, "missions-change")
    assert page.external == [], page.external
