"""Your data on the missions page (#11 + #13) in a real browser, offline: upload a small CSV
on the Your data page, follow its link to the missions page (the same session: a typed URL
would be a new session, without the upload) and see its gap verdict there, marked "your
data", equal to a direct computation."""

from __future__ import annotations

from lumap.analysis import gaps
from lumap.data import upload
from lumap.data.gazetteer import Gazetteer
from lumap.data.overlay import Overlay
from lumap.data.store import Store
from lumap.queries import glance as qglance

from .conftest import no_exceptions, screenshot, wait_for_app

LABEL = "Gap score"


def gap_file(store: Store) -> str:
    """20 lower-tier areas, 2019 and 2024, with intervals: the top areas' lead shrinks."""
    codes = sorted(
        c
        for c in set(store.series("gross-median-weekly-pay", level="ltla")["areacd"].astype(str))
        if c.startswith("E0")
    )
    rows = ["areacd,period,value,lci_95,uci_95"]
    for i, code in enumerate(codes[:20]):
        for year, value in ((2019, 40 + 3 * i), (2024, 55 + 1.2 * i)):
            rows.append(f"{code},{year},{value:.1f},{value - 1:.1f},{value + 1:.1f}")
    return "\n".join(rows) + "\n"


def test_an_uploaded_indicator_gets_its_verdict_on_the_missions_page(
    offline_page, app_url, real_store_dir, tmp_path
):
    page = offline_page
    store = Store(real_store_dir)
    text = gap_file(store)
    path = tmp_path / "gaps.csv"
    path.write_text(text, encoding="utf-8")

    page.goto(app_url + "/yourdata")
    wait_for_app(page)
    page.locator("input[type='file']").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").wait_for()
    wait_for_app(page)
    page.get_by_label("Name (label)").fill(LABEL)
    page.get_by_role("button", name="Check the file").click()
    wait_for_app(page)
    page.get_by_role("button", name="Use these 40 rows").click()
    wait_for_app(page)
    marked = f"{LABEL} (your data)"
    page.get_by_role("heading", name=marked).wait_for()

    page.get_by_test_id("stMain").get_by_role("link", name="Gap verdict on the missions page").click()
    wait_for_app(page)
    page.get_by_role("heading", level=1, name="Your data: is the gap between places closing?").wait_for()
    card = page.get_by_test_id("lu-card")
    assert card.count() == 1
    assert f"Your data 1: {marked}" in card.inner_text()

    data = text.encode()
    _, own = upload.check(
        data,
        "gaps.csv",
        upload.preview(data, "gaps.csv").guess,
        upload.Settings(LABEL),
        Gazetteer.of(store),
        "x",
    )
    direct = qglance.catalogue_glance(Overlay(store, [own]), "own", "ltla", 2019, gaps.DEFAULT_MEASURE)[0]
    assert direct.tone and direct.indicators[0].verdict == "gap narrowing"
    assert card.get_attribute("data-tone") == direct.tone
    assert "narrow" in card.inner_text().lower()
    # its section, open (the link names the upload), with the verdict and its sentence
    expander = page.get_by_test_id("stExpander").filter(has_text=f"{marked} · gap: narrowing")
    expander.first.wait_for()
    assert page.get_by_text("Gap between areas").count() >= 1
    no_exceptions(page)
    screenshot(page, "yourdata-missions")
    assert page.external == [], page.external
