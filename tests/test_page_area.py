"""AppTest of the area profile page (pages/area.py) against the real store."""

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from lumap.analysis.format import format_value, ordinal
from lumap.analysis.ranks import rank_of
from lumap.data.store import Store

from .apptest_tools import shown

BLACKPOOL = "E06000009"
PAY = "gross-median-weekly-pay"


@pytest.fixture(scope="module")
def store(real_store_dir):
    return Store(real_store_dir)


def open_area(app_env, **params) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page("pages/area.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def table_rows(at) -> pd.DataFrame:
    """Every row of the grouped profile tables, one frame."""
    return pd.concat([d.value for d in at.dataframe if "Rank" in d.value.columns], ignore_index=True)


def texts(elements) -> str:
    return "\n".join(shown(e.value) for e in elements)


def test_blackpool_values_equal_the_store(app_env, store):
    at = open_area(app_env, area=BLACKPOOL, indicator=PAY)
    assert shown(at.title[0].value) == "Blackpool"
    rows = table_rows(at).set_index("Indicator")
    meta = store.indicator(PAY)
    period = store.periods(PAY)["period"].iloc[-1]
    level = store.values(PAY, period, "ltla")
    value = float(level.loc[level["areacd"] == BLACKPOOL, "value"].iloc[0])
    r = rank_of(level, BLACKPOOL)
    rank, n = r.rank, r.n
    pay = rows.loc[meta["label"]]
    assert pay["Value"] == format_value(value, meta)
    assert pay["Period"] == store.period_label(PAY, period)
    assert (
        pay["Rank"] == f"{ordinal(rank)} highest of {n}" if r.tied <= 1 else pay["Rank"].startswith("joint")
    )
    uk = store.period_rows(PAY, period).set_index("areacd").at["K02000001", "value"]
    assert pay["UK"] == format_value(uk, meta, False)
    assert pay["vs UK"] == "significantly worse"  # CI published; £540 vs the UK's £643
    # no sparkline column in the tables (the glance draws the real points), no wide columns
    assert "Trend" not in rows.columns and "Over 5 years" not in rows.columns
    # the sidebar sentence quotes the same numbers, with the period and the level
    sidebar = texts(at.sidebar.markdown)
    assert f"is {format_value(value, meta)}" in sidebar and f"of the {n} lower-tier areas" in sidebar
    # every indicator with data for Blackpool is listed, grouped by mission first
    have = {s for s in store.meta if store.series(s, [BLACKPOOL])["period"].size}
    labels = {store.indicator(s)["label"] for s in have if store.levels(s)}
    assert labels <= set(rows.index)
    headings = [e.label for e in at.expander]
    assert headings[0].startswith("Mission 1 · Living standards")
    # the rule and the closing-the-gap table are on the page
    assert "95% confidence interval" in texts(at.caption)
    assert any("Is Blackpool closing the gap?" in shown(s.value) for s in at.subheader)
    assert at.query_params["area"] == [BLACKPOOL] or at.query_params["area"] == BLACKPOOL


def test_links_keep_indicator_and_year(app_env):
    at = open_area(app_env, area=BLACKPOOL, indicator=PAY, year="2019")
    links = {link.proto.label: link.proto.query_string for link in at.get("page_link")}
    assert "area=E06000009" in links["See it on the map"] and "year=2019" in links["See it on the map"]
    assert f"indicator={PAY}" in links["Trends over time"] and "areas=E06000009" in links["Trends over time"]
    assert "areas=E06000009%2C" in links["Compare with similar areas"]
    assert at.sidebar.selectbox(key="area_period").value == store_period(app_env, 2019)


def test_links_carry_the_exact_period_where_the_year_is_not_enough(app_env):
    guests = "number-of-guest-nights-at-a-short-term-let"
    at = open_area(app_env, area=BLACKPOOL, indicator=guests, period="2025-10")
    assert at.sidebar.selectbox(key="area_period").value == "2025-10-01/P1M"
    assert at.query_params["period"] in ("2025-10", ["2025-10"])
    links = {link.proto.label: link.proto.query_string for link in at.get("page_link")}
    assert "period=2025-10" in links["See it on the map"]


def store_period(app_env, year):
    return Store(app_env).resolve_year(PAY, year)


def test_bad_area_shows_a_notice_and_no_exception(app_env):
    at = open_area(app_env, area="XYZ")
    assert any("XYZ" in shown(w.value) for w in at.warning)
    assert at.title[0].value == "Area profile"


def test_area_by_name_and_bad_similar(app_env):
    at = open_area(app_env, area="blackpool", similar="nonsense")
    assert shown(at.title[0].value) == "Blackpool"
    assert any("similar=nonsense" in shown(w.value) for w in at.warning)


def test_old_code_mentions_its_replacement(app_env):
    at = open_area(app_env, area="E07000026")
    assert at.title[0].value == "Allerdale"
    notice = texts(at.warning)
    assert "replaced by Cumberland (E06000063)" in notice
    links = [link.proto for link in at.get("page_link")]
    assert any(p.label == "Profile of Cumberland" and "area=E06000063" in p.query_string for p in links)
    # where Cumberland is published for the same period, Allerdale's value is shown, not ranked
    assert (table_rows(at)["Rank"] == "not ranked (code replaced)").any()


def test_new_code_mentions_what_it_replaced(app_env):
    at = open_area(app_env, area="E06000063")
    assert "replaced Allerdale (E07000026)" in texts(at.info)


def test_indicator_without_data_for_the_area_is_a_notice(app_env):
    at = open_area(app_env, area="E07000026", indicator=PAY)  # pay is published under Cumberland
    assert any("Gross median weekly pay has no figures for this area" in shown(w.value) for w in at.warning)
    assert at.sidebar.selectbox(key="indicator").value != PAY


def test_levels_without_rank_and_suppressed_values(app_env, store):
    # a country: ranked among countries; no region column
    at = open_area(app_env, area="W92000004")
    assert at.title[0].value == "Wales"
    rows = table_rows(at)
    assert rows["Rank"].str.contains(" of 4").any()
    # an area whose latest value is suppressed shows it as suppressed, with the reason
    obs = store.obs[store.obs["areacd"].astype(str).str.startswith("E06")]
    latest = obs.sort_values("start").groupby(["indicator", "areacd"], observed=True).tail(1)
    sup = latest[latest["status"].astype(str).isin(["c", "x", "u"])].iloc[0]
    at = open_area(app_env, area=str(sup["areacd"]))
    rows = table_rows(at).set_index("Indicator")
    assert rows.loc[store.indicator(str(sup["indicator"]))["label"], "Value"].startswith("suppressed: ")


def test_year_carried_over_selects_the_period_or_falls_back_quietly(app_env):
    cycling = "average-travel-time-cycling"
    at = open_area(app_env, area="E07000026", indicator=cycling, year="2017")
    assert at.sidebar.selectbox(key="area_period").value.startswith("2017")
    assert "(2017)" in texts(at.sidebar.markdown)  # the sentence is about 2017
    at = open_area(app_env, area="E07000026", indicator=cycling, year="2025")
    assert "No figure for 2025 here" in texts(at.sidebar.caption)
    assert not any("year" in shown(w.value) for w in at.warning)
    assert at.sidebar.selectbox(key="area_period").value.startswith("2019")  # Allerdale's latest


def test_the_side_panel_shows_the_period_of_the_row_clicked(app_env, store):
    # #8.3: Wokingham, motor vehicle flow: a period picked for one indicator never carries over
    wokingham, flow = "E06000041", "motor-vehicle-flow"
    at = open_area(app_env, area=wokingham, indicator=PAY)
    pay_periods = at.sidebar.selectbox(key="area_period").options
    at.sidebar.selectbox(key="area_period").select_index(0).run()  # an early pay period
    assert at.sidebar.selectbox(key="area_period").value == store.series(PAY, [wokingham])["period"].iloc[0]
    assert len(pay_periods) > 1
    # a row clicked in a table becomes the sidebar's indicator (as the selection callback does)
    at.session_state["indicator"] = flow
    at.run()
    assert not at.exception
    latest = store.series(flow, [wokingham])["period"].iloc[-1]
    assert at.sidebar.selectbox(key="area_period").value == latest
    row = table_rows(at).set_index("Indicator").loc[store.indicator(flow)["label"]]
    assert row["Period"] == store.period_label(flow, latest)
    value = store.series(flow, [wokingham])["value"].iloc[-1]
    assert format_value(value, store.indicator(flow)) in texts(at.sidebar.markdown)


def test_sheffield_is_one_place_with_its_pay_series_and_the_code_change_marked(app_env, store):
    # #8.4: pay is published only under Sheffield's previous code E08000019
    sheffield = "E08000039"
    at = open_area(app_env, area=sheffield, indicator=PAY)
    assert shown(at.title[0].value) == "Sheffield"
    rows = table_rows(at).set_index("Indicator")
    pay = rows.loc[store.indicator(PAY)["label"]]
    old = store.series(PAY, ["E08000019"])
    latest = (
        old[old["areacd"] == sheffield]["period"].iloc[-1] if (old["areacd"] == sheffield).any() else None
    )
    assert latest is not None  # the old code's rows are folded under the current code
    assert pay["Period"] == f"{store.period_label(PAY, latest)} · as E08000019"  # the code change marked
    assert pay["Value"] == format_value(old["value"].iloc[-1], store.indicator(PAY))
    # the whole series, every period the source has under either code
    series = store.series(PAY, [sheffield])
    raw = store.obs[(store.obs["indicator"] == PAY) & store.obs["areacd"].isin(["E08000019", sheffield])]
    assert len(series) == raw["period"].nunique() and set(series["source_areacd"]) == {"E08000019"}
    # the notice says the code changed and that it is the same place
    notice = texts(at.info)
    assert "code changed" in notice and "E08000019" in notice and "same place" in notice
    assert "Published under Sheffield's previous code E08000019" in texts(at.sidebar.caption)
    # more indicators than under the new code alone (21 in the issue)
    own = store.obs[(store.obs["areacd"] == sheffield) & store.obs["value"].notna()]["indicator"].nunique()
    assert len(rows) > own + 20
    # the old code opens the same place, with a notice
    at = open_area(app_env, area="E08000019")
    assert shown(at.title[0].value) == "Sheffield" and at.query_params["area"] in (sheffield, [sheffield])
