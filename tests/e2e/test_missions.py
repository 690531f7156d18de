"""The missions page in a real browser, offline: summary table, charts, the change map."""

import io

import numpy as np
import pandas as pd

from lumap.analysis import changetable, gaps, verdicts
from lumap.data.store import Store

from .conftest import no_exceptions, screenshot, wait_for_app


def _tall(page, height: int = 3200) -> None:
    """Streamlit scrolls inside its own container, so a full-page screenshot is the viewport."""
    page.set_viewport_size({"width": 1400, "height": height})


def test_mission_7_draws_summary_and_charts_offline(offline_page, app_url, real_store_dir):
    page = offline_page
    _tall(page)
    page.goto(app_url + "/missions?mission=7")
    wait_for_app(page, timeout=90_000)
    store = Store(real_store_dir)
    slugs = [s for s, m in store.meta.items() if m.get("mission") == 7]
    multi = [s for s in slugs if len(store.periods(s)) > 1]

    table = page.locator("table.lu-summary")
    table.wait_for()
    assert table.locator("tbody tr").count() == len(slugs)
    assert table.get_by_text("Female healthy life expectancy").count() == 1
    assert page.get_by_role("heading", name="Mission 7: Health").count() == 1

    charts = page.get_by_test_id("stVegaLiteChart")
    charts.first.wait_for()
    assert charts.count() == 2 * len(multi)
    drawn = page.locator("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg")
    drawn.first.wait_for()
    assert drawn.count() >= 2 * len(multi)  # every chart actually rendered by Vega
    assert page.get_by_text("How the verdicts are decided").count() == 1

    # the summary CSV holds the store's numbers, unrounded, and the same verdicts
    with page.expect_download() as dl:
        page.get_by_role("button", name="Download summary (CSV)").click()
    got = pd.read_csv(dl.value.path()).set_index("indicator")
    slug = "healthy-life-expectancy-female"
    meta = store.indicator(slug)
    base_p = gaps.baseline_period(store.periods(slug), 2019)
    now_p = store.periods(slug)["period"].iloc[-1]
    # HLE is published for upper-tier areas only in England: the page shows it at utla
    base_f, now_f = store.values(slug, base_p, "utla"), store.values(slug, now_p, "utla")
    row = got.loc[slug]
    assert row["median_baseline"] == np.median(base_f["value"].dropna())
    assert row["median_latest"] == np.median(now_f["value"].dropna())
    gap = verdicts.gap_verdict(base_f, now_f, meta["polarity"], "top_rest_ratio", n_boot=1000, seed=0)
    assert row["gap_verdict"] == gap.verdict and row["gap_baseline"] == gap.base
    assert list(got.index) == sorted(slugs, key=lambda s: store.indicator(s)["label"])
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
