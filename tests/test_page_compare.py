"""The compare page under AppTest, on the real store: numbers equal the store, bad URL
values give notices, nothing raises."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from lumap.analysis.format import format_value, ordinal
from lumap.data import levels as lv
from lumap.data.store import Store

from .apptest_tools import shown

HLE = "healthy-life-expectancy-female"
PAY = "gross-median-weekly-pay"


@pytest.fixture(scope="module")
def store(real_store_dir):
    return Store(real_store_dir)


def run(params: dict, page: str = "pages/compare.py") -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.switch_page(page)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def texts(at) -> str:
    return "\n".join(shown(m.value) for m in at.markdown) + "\n".join(shown(c.value) for c in at.caption)


def warnings(at) -> list[str]:
    return [shown(w.value) for w in at.warning]


def charts(at) -> list[dict]:
    return [json.loads(e.proto.spec) for e in at.get("vega_lite_chart")]


def chart_data(at, i: int) -> pd.DataFrame:
    """Every row Streamlit sent to chart ``i`` (its datasets travel as Arrow)."""
    import pyarrow as pa

    e = at.get("vega_lite_chart")[i]
    frames = [pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in e.proto.datasets]
    return pd.concat(frames, ignore_index=True)


def expected(store, slug, period, level, code):
    """Value, rank and n computed here from the store, independently of the page's code:
    ranked on the values as published (rounded half up to the published decimals, #8.2)."""
    from decimal import ROUND_HALF_UP, Decimal

    frame = store.values(slug, period, level)
    places = Decimal(1).scaleb(-int(store.indicator(slug)["decimals"]))
    shown = frame["value"].map(
        lambda v: v if pd.isna(v) else float(Decimal(repr(float(v))).quantize(places, ROUND_HALF_UP))
    )
    ranks = shown.rank(ascending=False, method="min")
    row = frame[frame["areacd"] == code].iloc[0]
    return row, int(ranks[frame["areacd"] == code].iloc[0]), int(frame["value"].notna().sum())


def rank_words(store, slug, period, level, code, meta) -> str:
    """'102nd highest of 195', or 'joint 102nd highest of 195 (3 areas at 59.5 years)'."""
    row, rank, n = expected(store, slug, period, level, code)
    frame = store.values(slug, period, level)
    same = int(
        (frame["value"].map(lambda v: format_value(v, meta)) == format_value(row["value"], meta)).sum()
    )
    if same > 1:
        return f"joint {ordinal(rank)} highest of {n} ({same} areas at {format_value(row['value'], meta)})"
    return f"{ordinal(rank)} highest of {n}"


def test_issue_example_sentence_and_table_equal_the_store(app_env, store):
    at = run(
        {
            "indicator": HLE,
            "year": "2022",
            "level": "ltla",
            "areas": "E06000009,E08000003,W06000015,S12000036,N09000003",
        }
    )
    assert not at.exception
    assert at.title[0].value == "Compare areas"
    meta = store.indicator(HLE)
    period = store.resolve_year(HLE, 2022)
    row, rank, n = expected(store, HLE, period, "ltla", "E06000009")
    uk = store.period_rows(HLE, period).set_index("areacd").at[lv.UK, "value"]
    body = texts(at)
    sentence = (
        f"Blackpool's female healthy life expectancy (2022-24) is {format_value(row['value'], meta)}, "
        f"{format_value(abs(row['value'] - uk), meta)} below the UK's {format_value(uk, meta)} "
        f"— significantly worse; {ordinal(rank)} highest of the {n} lower-tier areas with data."
    )
    assert sentence in body
    # the issue's example, from the real data (this page says "worse": the polarity is known)
    assert (
        "Blackpool's female healthy life expectancy (2022-24) is 51.8 years, 9.1 years below the "
        "UK's 60.9 years — significantly worse; 192nd highest of the 195 lower-tier areas with data."
    ) in body
    assert "95% confidence interval" in body  # the rule is on the page

    table = at.dataframe[0].value
    assert list(table["Code"]) == ["E06000009", "E08000003", "W06000015", "S12000036", "N09000003"]
    for code in table["Code"]:
        r, rk, nn = expected(store, HLE, period, "ltla", code)
        shown = table[table["Code"] == code].iloc[0]
        assert shown["Value"] == format_value(r["value"], meta)
        assert shown["Rank"] == rank_words(store, HLE, period, "ltla", code, meta)
        assert (
            shown["95% CI"]
            == f"{format_value(r['lci_95'], meta, False)} – {format_value(r['uci_95'], meta, False)}"
        )
    assert table.set_index("Code").at["W06000015", "vs Region"].startswith("Wales: ")

    specs = charts(at)
    assert len(specs) == 2  # bar chart + heat map
    assert at.query_params["areas"] == "E06000009,E08000003,W06000015,S12000036,N09000003"


def test_bar_chart_and_heat_map_numbers_are_the_stores(app_env, store):
    at = run({"indicator": HLE, "year": "2022", "areas": "E06000009,E09000033", "comp": "uk"})
    drawn = chart_data(at, 0)
    period = store.resolve_year(HLE, 2022)
    pr = store.period_rows(HLE, period).set_index("areacd")
    # one bar per area (#8.9: ten areas make ten bars) ...
    bars = drawn[drawn["code"].notna()].drop_duplicates("code").set_index("code")
    assert set(bars.index) == {"E06000009", "E09000033"}
    for code in ("E06000009", "E09000033"):
        assert bars.at[code, "value"] == pr.at[code, "value"]
    # ... and the UK a tick on each area's row
    ticks = drawn[drawn["kind"] == "uk"]
    assert len(ticks) == 2 and (ticks["value"] == pr.at[lv.UK, "value"]).all()
    heat = chart_data(at, 1)
    cells = heat[heat["indicator"] == HLE]
    assert set(cells["areacd"]) == {"E06000009", "E09000033"}
    for code, value, label in zip(cells["areacd"], cells["value"], cells["period_label"], strict=True):
        assert value == pr.at[code, "value"] and label == "2022-24"


def test_csv_export_holds_the_unrounded_store_values(app_env, store):
    from lumap.ui import compareview

    period = store.resolve_year(PAY, None)
    areas = ["E06000009", "E09000001", "W06000015"]
    table = compareview.compare_table(store, PAY, period, "ltla", areas, "global")
    csv = compareview.export_table(store, PAY, period, "ltla", table, ["uk", "region", "similar"], ["s"] * 3)
    back = pd.read_csv(io.StringIO(csv.to_csv(index=False)))
    frame = store.values(PAY, period, "ltla").set_index("areacd")
    for code, value, lci in zip(back["areacd"], back["value"], back["lci_95"], strict=True):
        assert (pd.isna(value) and pd.isna(frame.at[code, "value"])) or value == frame.at[code, "value"]
        assert (pd.isna(lci) and pd.isna(frame.at[code, "lci_95"])) or lci == frame.at[code, "lci_95"]
    assert back.set_index("areacd").at["E09000001", "status"] == "u"
    assert (back["uk_value"] == store.period_rows(PAY, period).set_index("areacd").at[lv.UK, "value"]).all()


def test_bad_params_give_notices_and_fall_back(app_env):
    at = run(
        {
            "indicator": "no-such-thing",
            "year": "abc",
            "level": "moon",
            "areas": "XX<b>1,E07000026,E06000009",
            "comp": "uk,bogus",
            "vs": "mars",
        }
    )
    assert not at.exception
    w = " ".join(warnings(at))
    assert "Unknown indicator" in w and "not a number" in w and "Unknown geography level" in w
    assert "is not an area code" in w
    assert "Allerdale (E07000026) was replaced by Cumberland (E06000063)" in w
    assert "Unknown comparator" in w and "vs=mars" in w
    assert at.multiselect(key="compare_areas").value == ["E06000063", "E06000009"]


def test_suppressed_value_is_shown_as_suppressed_with_its_reason(app_env):
    at = run({"indicator": PAY, "year": "2025", "areas": "E09000001,E06000009"})
    assert not at.exception
    table = at.dataframe[0].value.set_index("Code")
    assert table.at["E09000001", "Value"] == "suppressed [u]: low reliability"
    assert table.at["E09000001", "Rank"] == "–"
    assert (
        "City of London has no published figure for gross median weekly pay (2025); "
        "the source marks it “low reliability”." in texts(at)
    )


def test_nation_limited_indicator_and_single_area(app_env):
    at = run({"indicator": "adult-obesity-prevalence", "areas": "W06000015,E06000009"})
    assert not at.exception
    assert any("not published for Wales" in w for w in warnings(at))
    assert at.multiselect(key="compare_areas").value == ["E06000009"]
    assert any("Add at least one more area" in shown(i.value) for i in at.info)
    assert any("Not published for" in shown(i.value) for i in at.info)


def test_level_without_data_falls_back_to_one_with_data(app_env):
    at = run({"indicator": "expenditure-research-and-development-business", "level": "ltla"})
    assert not at.exception
    assert any("level=ltla is not available here" in w for w in warnings(at))
    assert at.radio(key="level").value == "rgn"
    assert len(at.multiselect(key="compare_areas").value) >= 2


def test_areas_indicator_and_year_carry_over_to_trends_and_back(app_env, store):
    at = run({"indicator": HLE, "year": "2019", "areas": "E06000009,E08000003"})
    at.query_params.clear()
    at.switch_page("pages/trends.py").run()
    assert not at.exception
    assert at.selectbox(key="indicator").value == HLE
    assert at.multiselect(key="trends_areas").value == ["E06000009", "E08000003"]
    at.multiselect(key="trends_areas").set_value(["E06000009", "E08000003", "E09000033"]).run()
    at.query_params.clear()
    at.switch_page("pages/compare.py").run()
    assert not at.exception
    assert at.multiselect(key="compare_areas").value == ["E06000009", "E08000003", "E09000033"]
    assert at.selectbox(key="year_period").value == store.resolve_year(HLE, 2019)


def test_area_clicked_on_the_map_seeds_the_comparison(app_env):
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.query_params["indicator"] = HLE
    at.query_params["area"] = "E06000009"
    at.run()  # the map page remembers the area
    assert not at.exception
    at.query_params.clear()
    at.switch_page("pages/compare.py").run()
    assert not at.exception
    chosen = at.multiselect(key="compare_areas").value
    assert chosen[0] == "E06000009" and 2 <= len(chosen) <= 5  # the area and its most similar areas


def test_old_code_still_used_by_the_source_is_explained(app_env):
    # Barnsley was re-coded with the same boundary (#8.4): one area, its figure the one the
    # source still publishes under the previous code, and the page says so
    at = run({"indicator": "claimant-count", "areas": "E08000038,E06000009"})
    assert not at.exception
    assert list(at.dataframe[0].value["Code"]) == ["E08000038", "E06000009"]
    captions = " ".join(shown(c.value) for c in at.caption)
    assert "Published under Barnsley's previous code E08000016 (boundary unchanged)" in captions.replace(
        "Barnsley: published", "Published"
    )
    # the old code in a link opens the same place
    at = run({"indicator": "claimant-count", "areas": "E08000016"})
    assert list(at.dataframe[0].value["Code"]) == ["E08000038"]
    assert "was replaced by Barnsley (E08000038)" in " ".join(warnings(at))
