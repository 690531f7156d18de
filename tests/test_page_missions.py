"""AppTest: the missions page (mission gaps and the change-since-baseline view), real store."""

from __future__ import annotations

import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from lumap.analysis import changetable, gaps, verdicts
from lumap.analysis import missionreport as mr
from lumap.analysis.format import format_value
from lumap.data.store import Store
from lumap.viz import changemap

from .apptest_tools import elements, map_args, shown


def run(params: dict) -> AppTest:
    """Open the app, go to the missions page, then load ``params`` as a pasted URL would."""
    at = AppTest.from_file("../app.py", default_timeout=120)
    at.run()
    at.switch_page("pages/missions.py")
    at.query_params.clear()
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def summary_html(at: AppTest) -> str:
    tables = [m.value for m in at.markdown if "lu-summary" in m.value]
    assert tables, "no summary table"
    return shown(tables[0])


def texts(at: AppTest) -> str:
    return "\n".join(
        [shown(m.value) for m in at.markdown]
        + [shown(c.value) for c in at.caption]
        + [shown(i.value) for i in at.info]
        + [shown(w.value) for w in at.warning]
    )


@pytest.fixture(scope="module")
def store(real_store_dir):
    return Store(real_store_dir)


def test_mission_7_summary_verdicts_and_rule(app_env, store):
    at = run({"mission": "7"})
    assert not at.exception and not at.warning
    assert at.header[0].value == "Mission 7: Health"
    html_ = summary_html(at)
    slugs = [s for s, m in store.meta.items() if m.get("mission") == 7]
    for slug in slugs:
        assert store.indicator(slug)["label"] in html_
    # HLE (female): numbers and both verdicts equal a direct computation on the store
    slug = "healthy-life-expectancy-female"
    meta = store.indicator(slug)
    periods = store.periods(slug)
    base_p = gaps.baseline_period(periods, 2019)
    now_p = periods["period"].iloc[-1]
    # HLE is published for upper-tier areas only in England: the page shows it at utla
    base_f, now_f = store.values(slug, base_p, "utla"), store.values(slug, now_p, "utla")
    base_med = np.median(base_f["value"].dropna())
    now_med = np.median(now_f["value"].dropna())
    assert (
        f"{format_value(base_med, meta, False)}</span> → <span class='lu-num'>"
        f"{format_value(now_med, meta, False)}"
    ) in html_
    gap = verdicts.gap_verdict(base_f, now_f, meta["polarity"], "top_rest_ratio", n_boot=1000, seed=0)
    level = verdicts.median_verdict(base_f, now_f, meta["polarity"], n_boot=1000, seed=0)
    label = next(e.label for e in at.expander if meta["label"] in e.label)
    assert f"level: {level.verdict}" in label and gap.verdict.replace("gap ", "") in label
    assert gap.verdict in html_ and level.verdict in html_
    assert "Shown for upper-tier areas (none for lower-tier areas)" in html_
    assert any("only for unitary, metropolitan and London authorities" in shown(i.value) for i in at.info)
    # the rules are stated on the page, and every gap measure is explained
    captions = [shown(c.value) for c in at.caption]
    assert "Gap: " + verdicts.rule_text("top_rest_ratio") in captions
    assert "Level: " + mr.LEVEL_RULE in captions
    body = texts(at)
    for key in gaps.MEASURES:
        assert gaps.MEASURES[key]["explain"] in body
    # one gap chart and one level chart per indicator with more than one period
    charts = elements(at, "vega_lite_chart")
    multi = [s for s in slugs if len(store.periods(s)) > 1]
    assert len(charts) == 2 * len(multi)
    spec = json.dumps(json.loads(charts[0].proto.spec))
    assert '"rule"' in spec and '"area"' in spec  # the baseline rule and the uncertainty band
    assert at.query_params["mission"] in (["7"], "7")


def test_mission_12_has_no_metric(app_env):
    at = run({"mission": "12"})
    assert not at.exception
    assert at.header[0].value == "Mission 12: Local leadership"
    assert any("No indicator in lumap's data measures this mission" in shown(i.value) for i in at.info)
    assert any("does not invent a metric" in shown(i.value) for i in at.info)
    assert not elements(at, "vega_lite_chart")


def test_missions_without_local_data_fall_back_to_regions(app_env):
    at = run({"mission": "11"})
    assert not at.exception
    body = texts(at)
    assert "None of this mission's indicators is published for lower-tier areas" in body
    assert "shown for regions and nations instead" in body
    assert "Homicide" in summary_html(at)
    assert len(elements(at, "vega_lite_chart")) == 2


@pytest.mark.parametrize(
    "params,notice",
    [
        ({"mission": "99"}, "mission=99 is out of range"),
        ({"mission": "seven"}, "is not a number"),
        ({"indicator": "no-such-thing"}, "Unknown indicator"),
        ({"mission": "7", "indicator": "gross-median-weekly-pay"}, "is not one of 7. Health's indicators"),
        ({"level": "moon"}, "Unknown geography level"),
        ({"baseline": "2015"}, "baseline=2015 is not available here"),
        ({"measure": "gini"}, "Unknown gap measure"),
        ({"view": "bogus"}, "Unknown view"),
        ({"view": "change", "indicator": "claimant-count", "kind": "ratio"}, "Unknown kind of change"),
        (
            {"view": "change", "indicator": "claimant-count", "from": "1990"},
            "from=1990 is not available here",
        ),
    ],
)
def test_bad_params_give_a_notice_not_a_traceback(app_env, params, notice):
    at = run(params)
    assert not at.exception
    assert any(notice in shown(w.value) for w in at.warning), [w.value for w in at.warning]


def test_indicator_alone_opens_its_mission(app_env):
    at = run({"indicator": "wellbeing-anxiety"})
    assert not at.exception and not at.warning
    assert at.selectbox(key="mission").value == 8
    assert at.header[0].value == "Mission 8: Well-being"


def test_change_view_map_and_lists_equal_the_store(app_env, store):
    slug = "gross-median-weekly-pay"
    at = run({"view": "change", "indicator": slug, "from": "2019", "to": "2025", "kind": "absolute"})
    assert not at.exception and not at.warning
    assert any(shown(h.value) == "Change since baseline: Gross median weekly pay" for h in at.header)
    args = map_args(at)
    assert args["geometry"]["url"].startswith("../../app/static/geo/ltla.") and "http" not in json.dumps(args)
    assert {shown(s.value) for s in at.subheader} >= {"Most improved", "Most declined"}
    meta = store.indicator(slug)
    a = store.values(slug, store.resolve_year(slug, 2019), "ltla")
    b = store.values(slug, store.resolve_year(slug, 2025), "ltla")
    expected = changetable.most_improved(changetable.change_table(a, b, meta["polarity"]), 10)
    table = at.dataframe[0].value
    assert list(table["Area"]) == list(expected["areanm"])
    assert list(table["Change"]) == [changemap.format_change(x, "absolute", meta) for x in expected["change"]]
    assert "Colours show improvement" in texts(at)
    assert at.query_params["view"] in (["change"], "change")
    assert at.query_params["from"] in (["2019"], "2019") and at.query_params["to"] in (["2025"], "2025")


def test_change_view_neutral_indicator_says_colour_is_raw_change(app_env):
    at = run({"view": "change", "indicator": "motor-vehicle-flow", "kind": "percent"})
    assert not at.exception
    body = texts(at)
    assert "Colours show the raw change" in body
    assert {shown(s.value) for s in at.subheader} >= {"Largest increases", "Largest decreases"}


def test_change_view_single_period_says_so(app_env):
    at = run({"view": "change", "indicator": "museums"})
    assert not at.exception
    assert any("Only one period is published" in shown(i.value) for i in at.info)
