"""Your data (#11) in a real browser, offline: upload a CSV with hostile text, read the
validation report, see the map drawn, compare two areas and download the CSV, every number
equal to the uploaded file; nothing from the file runs as code."""

from __future__ import annotations

import io

import pandas as pd

from lumap.data import upload
from lumap.data.gazetteer import Gazetteer
from lumap.data.overlay import Overlay
from lumap.data.store import Store
from lumap.queries import maps

from .conftest import download, no_exceptions, screenshot, wait_for_app

MAP_IFRAME = 'iframe[title$="lumap_map"]'
XSS_NAME = '<img src=x onerror="window.__pwned=1">'
XSS_NAME2 = "<script>window.__pwned=2</script>"
LABEL = 'Survey <img src=x onerror="window.__pwned=3"> score'
FILE = (
    "areacd,areanm,period,value,lci_95,uci_95\n"
    "E06000001,,2023,61.2,58.1,64.3\n"
    "E06000001,,2024,63.0,60.2,65.8\n"
    "E06000002,,2024,59.4,56.5,62.3\n"
    ",Redcar and Cleveland,2023,60.1,59.0,61.0\n"
    f'E99999999,"{XSS_NAME.replace(chr(34), chr(34) * 2)}",2024,1,0,2\n'
    f",{XSS_NAME2},2024,5,,\n"
    "E06000004,,2024,abc,,\n"
)


def not_pwned(page) -> None:
    assert page.evaluate("() => window.__pwned === undefined")
    frame = page.locator(MAP_IFRAME)
    if frame.count():
        assert frame.element_handle().content_frame().evaluate("() => window.__pwned === undefined")
    assert page.locator("img[src='x']").count() == 0


def test_upload_report_map_compare_and_csv(offline_page, app_url, real_store_dir, tmp_path):
    page = offline_page
    page.on("dialog", lambda d: (_ for _ in ()).throw(AssertionError(f"a dialog opened: {d.message}")))
    path = tmp_path / "survey.csv"
    path.write_text(FILE, encoding="utf-8")
    page.goto(app_url + "/yourdata")
    wait_for_app(page)
    assert page.get_by_text("at most 10 MB and 50,000 rows").count() >= 1
    page.locator("input[type='file']").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").wait_for()
    wait_for_app(page)
    page.get_by_label("Name (label)").fill(LABEL)
    page.get_by_role("button", name="Check the file").click()
    wait_for_app(page)
    page.get_by_role("heading", name="Validation report").wait_for()
    metrics = page.get_by_test_id("stMetricValue").all_inner_texts()
    assert metrics[:3] == ["7", "4", "3"], metrics
    # every unmatched name listed, as text
    assert page.get_by_text(f"area name '{XSS_NAME2}' matches no area").count() >= 1
    assert page.get_by_text("Redcar and Cleveland").count() >= 1
    not_pwned(page)
    screenshot(page, "yourdata-report")

    page.get_by_role("button", name="Use these 4 rows").click()
    wait_for_app(page)
    marked = f"{LABEL} (your data)"
    page.get_by_role("heading", name=marked).wait_for()
    not_pwned(page)

    # the map, in the same session
    main = page.get_by_test_id("stMain")
    main.get_by_role("link", name="Map", exact=True).click()
    wait_for_app(page)
    page.get_by_role("heading", level=1, name=marked).wait_for()
    polygons = page.frame_locator(MAP_IFRAME).locator("path.leaflet-interactive")
    polygons.first.wait_for()
    store = Store(real_store_dir)
    data = FILE.encode()
    _, own = upload.check(
        data,
        "survey.csv",
        upload.preview(data, "survey.csv").guess,
        upload.Settings(LABEL),
        Gazetteer.of(store),
        "x",
    )
    ov = Overlay(store, [own])
    level = own.meta["levels"][0]
    period = own.meta["periods"][-1]["period"]
    drawn = maps.features_to_draw(ov, "x", period, level)["features"]
    assert polygons.count() == len(drawn), (polygons.count(), len(drawn))  # every area of the level
    with_data = maps.map_table(ov, "x", period, level)
    assert sorted(with_data["areacd"]) == ["E06000001", "E06000002"]
    tip = page.frame_locator(MAP_IFRAME).locator(".lumap-tip")
    assert tip.count() == 0 or "<img" not in tip.first.inner_html()
    not_pwned(page)
    screenshot(page, "yourdata-map")

    # compare: back to Your data, then its Compare link (the first areas of the file)
    page.get_by_role("link", name="Your data").first.click()
    wait_for_app(page)
    main.get_by_role("link", name="Compare areas", exact=True).click()
    wait_for_app(page)
    page.get_by_test_id("stVegaLiteChart").first.locator("canvas, svg").first.wait_for()
    assert page.get_by_text("your data").count() >= 1
    csv = pd.read_csv(io.BytesIO(download(page, "Download CSV")))
    got = {
        c: (v, lo, hi)
        for c, v, lo, hi in zip(csv["areacd"], csv["value"], csv["lci_95"], csv["uci_95"], strict=True)
    }
    assert got == {"E06000001": (63.0, 60.2, 65.8), "E06000002": (59.4, 56.5, 62.3)}, got
    assert "your data" in csv.to_csv().lower()
    not_pwned(page)
    no_exceptions(page)
    screenshot(page, "yourdata-compare")
    assert page.external == [], page.external
