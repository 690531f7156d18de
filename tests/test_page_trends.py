"""The trends page under AppTest, on the real store."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from lumap.analysis.format import format_value
from lumap.data import levels as lv
from lumap.data.store import Store

from .apptest_tools import shown

PAY = "gross-median-weekly-pay"


@pytest.fixture(scope="module")
def store(real_store_dir):
    return Store(real_store_dir)


def run(params: dict) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.switch_page("pages/trends.py")
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def warnings(at) -> list[str]:
    return [shown(w.value) for w in at.warning]


def spec(at) -> dict:
    charts = at.get("vega_lite_chart")
    assert len(charts) == 1
    return json.loads(charts[0].proto.spec)


def areas_in_table(at) -> list[str]:
    """The table's rows for the chosen areas (comparators left out)."""
    return [a for a in at.dataframe[0].value["Area"] if not str(a).endswith("(comparator)")]


def chart_data(at) -> pd.DataFrame:
    import pyarrow as pa

    e = at.get("vega_lite_chart")[0]
    return pd.concat(
        [pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in e.proto.datasets], ignore_index=True
    )


def test_table_and_lines_equal_the_store(app_env, store):
    areas = ["E06000009", "E08000003", "W06000015"]
    at = run({"indicator": PAY, "areas": ",".join(areas)})
    assert not at.exception
    assert at.title[0].value == "Trends"
    meta = store.indicator(PAY)
    table = at.dataframe[0].value.set_index("Area")
    series = store.series(PAY, areas=areas + [lv.UK])
    for code, row_name in [
        ("E06000009", "Blackpool"),
        ("E08000003", "Manchester"),
        ("W06000015", "Cardiff"),
        (lv.UK, "United Kingdom (comparator)"),
    ]:
        s = series[series["areacd"] == code]
        for label, value in zip(s["period_label"], s["value"], strict=True):
            assert table.at[row_name, label] == format_value(value, meta, False), (code, label)
    # every period is a column, in time order
    assert list(table.columns) == list(store.periods(PAY)["label"])
    # the drawn values are the store's, unrounded
    drawn = chart_data(at)
    blackpool = drawn[(drawn["areacd"] == "E06000009") & drawn["value"].notna()]
    s = series[series["areacd"] == "E06000009"].set_index("period_label")
    assert len(blackpool) == len(s)
    for label, value in zip(blackpool["period_label"], blackpool["value"], strict=True):
        assert value == s.at[label, "value"]
    # context lines: every other lower-tier area is drawn
    assert drawn["areacd"].nunique() > 300


def test_index_to_a_base_year(app_env, store):
    at = run({"indicator": PAY, "areas": "E06000009", "scale": "index", "base": "2015"})
    assert not at.exception
    table = at.dataframe[0].value.set_index("Area")
    assert table.at["Blackpool", "2015"] == "100.0"
    s = store.series(PAY, areas=["E06000009"]).set_index("start_year")["value"]
    assert table.at["Blackpool", "2025"] == f"{s[2025] / s[2015] * 100:.1f}"
    assert "Index (2015 = 100)" in json.dumps(spec(at))


def test_a_recoded_place_is_one_series_with_the_code_change_marked(app_env, store):
    # Sheffield: the same boundary under E08000019 until 2014-15 and E08000039 since (#8.4)
    slug = "domestic-electricity-consumption"
    at = run({"indicator": slug, "areas": "E08000039"})
    assert not at.exception
    assert '"diamond"' in json.dumps(spec(at))
    notes = chart_data(at)["note"].dropna()
    assert any(
        "Sheffield was published as E08000019 until 2014-15, as E08000039 from 2015-16 (the same place)" in n
        for n in notes
    ), list(notes)
    series = store.series(slug, ["E08000039"])
    assert set(series["source_areacd"]) == {"E08000019", "E08000039"} and series["period"].is_unique
    assert areas_in_table(at) == ["Sheffield"]


def test_a_merger_is_not_joined_and_says_so(app_env):
    at = run({"indicator": "apprenticeship-starts", "areas": "E06000066"})
    assert not at.exception
    assert '"diamond"' not in json.dumps(spec(at))
    captions = " ".join(shown(c.value) for c in at.caption)
    assert "Somerset (E06000066) replaced" in captions and "a different area" in captions
    assert "Somerset West and Taunton (E07000246)" in captions
    assert areas_in_table(at) == ["Somerset"]


def test_single_period_indicator_says_so_and_shows_values(app_env, store):
    at = run({"indicator": "4g-coverage", "areas": "E06000009,W06000015"})
    assert not at.exception
    assert any("published for one period only" in shown(i.value) for i in at.info)
    drawn = chart_data(at)
    period = store.periods("4g-coverage")["period"].iloc[0]
    pr = store.period_rows("4g-coverage", period).set_index("areacd")
    bars = drawn[drawn["code"].notna()].drop_duplicates("code").set_index("code")
    for code in ("E06000009", "W06000015"):
        assert bars.at[code, "value"] == pr.at[code, "value"]
    uk = drawn[drawn["kind"] == "uk"]  # the UK: a tick on each area's bar
    assert len(uk) and (uk["value"] == pr.at[lv.UK, "value"]).all()


def test_bad_params_give_notices(app_env):
    at = run(
        {
            "indicator": PAY,
            "areas": "nope,E99999999,E06000009",
            "scale": "log",
            "base": "1066",
            "ci": "maybe",
            "level": "moon",
        }
    )
    assert not at.exception
    w = " ".join(warnings(at))
    assert "is not an area code" in w and "E99999999" in w
    assert "scale=log" in w and "base=1066 is out of range" in w and "ci=maybe" in w
    assert "Unknown geography level" in w
    assert at.multiselect(key="trends_areas").value == ["E06000009"]


def test_no_ci_toggle_for_indicators_without_intervals_and_nation_limited(app_env):
    at = run({"indicator": "apprenticeship-starts", "areas": "W06000015,E06000009", "ci": "1"})
    assert not at.exception
    assert at.toggle(key="ci").value is False and at.toggle(key="ci").disabled
    assert any("not published for Wales" in w for w in warnings(at))
    assert "ci=" not in "&".join(f"{k}={v}" for k, v in at.query_params.items())


def test_ci_bands_on_request(app_env):
    at = run({"indicator": PAY, "areas": "E06000009", "ci": "1"})
    assert not at.exception
    assert '"area"' in json.dumps(spec(at))  # a band layer (mark: area)
    at = run({"indicator": PAY, "areas": "E06000009"})
    assert '"area"' not in json.dumps(spec(at))


def test_an_old_code_is_drawn_on_its_own_with_a_note(app_env):
    at = run({"indicator": "apprenticeship-starts", "areas": "E07000246"})
    assert not at.exception
    assert at.multiselect(key="trends_areas").value == ["E07000246"]  # old codes can be chosen
    captions = " ".join(shown(c.value) for c in at.caption)
    assert (
        "Somerset West and Taunton (E07000246) is an old code, replaced by Somerset (E06000066)" in captions
    )
    # a merger: Somerset's own series is not joined to it (a different area)
    assert '"diamond"' not in json.dumps(spec(at))
    assert areas_in_table(at) == ["Somerset West and Taunton"]
