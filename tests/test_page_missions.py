"""AppTest: the missions page (mission gaps and the change-since-baseline view), real store."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from lumap.analysis import changetable, gaps, glance, verdicts
from lumap.analysis import missionreport as mr
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
    tables = [m.value for m in at.markdown if "<table class='lu-summary'" in m.value]
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


def glance_html(at: AppTest) -> str:
    cards = [m.value for m in at.markdown if "data-testid='lu-glance'" in m.value]
    assert cards, "no at-a-glance cards"
    return cards[0]


def test_at_a_glance_a_verdict_per_mission(app_env, store):
    """Every mission 1-11 gets a card with a verdict in words and colour; each card's
    sentence counts its indicators' gap verdicts, which equal a direct computation."""
    at = run({})
    assert not at.exception and not at.warning
    html_ = glance_html(at)
    for n in range(1, 12):
        assert f"data-mission='{n}'" in html_
    assert "data-mission='12'" not in html_  # no local statistic: said in its section instead
    assert html_.count("data-testid='lu-card'") == 11
    assert "method" not in html_.lower()  # the method is behind an expander, not on the cards
    assert any(e.label == "How the verdicts are decided" for e in at.expander)
    # Mission 8: four wellbeing indicators, each verdict computed here independently
    slugs = [s for s, m in store.meta.items() if m.get("mission") == 8]
    words = []
    for slug in slugs:
        periods = store.periods(slug)
        base_p, now_p = gaps.baseline_period(periods, 2019), periods["period"].iloc[-1]
        base_f, now_f = store.values(slug, base_p, "ltla"), store.values(slug, now_p, "ltla")
        words.append(
            verdicts.gap_verdict(base_f, now_f, store.meta[slug]["polarity"], "top_rest_gap").verdict
        )
    counts = {w: words.count(w) for w in set(words)}
    expected = glance.mission_sentence(glance.count_verdicts(words, [""] * len(words)))[0]
    assert shown(html_).count(expected.split(" (")[0].rstrip(".")) == 1, (expected, counts)


def test_mission_7_glance_table_sections_and_rule(app_env, store):
    slug = "healthy-life-expectancy-female"
    at = run({"mission": "7", "indicator": slug})
    assert not at.exception and not at.warning
    assert shown(at.header[0].value) == "Mission 7: Health"
    slugs = [s for s, m in store.meta.items() if m.get("mission") == 7]
    table = shown(next(m.value for m in at.markdown if "<table class='lu-gtable'" in m.value))
    assert table.count("data-testid='lu-gap-row'") == len(slugs)
    for s_ in slugs:
        assert store.indicator(s_)["label"] in table
    # HLE (female): the verdict and the shown arithmetic equal a direct computation
    meta = store.indicator(slug)
    periods = store.periods(slug)
    base_p, now_p = gaps.baseline_period(periods, 2019), periods["period"].iloc[-1]
    # HLE is published for upper-tier areas only in England: the page shows it at utla
    base_f, now_f = store.values(slug, base_p, "utla"), store.values(slug, now_p, "utla")
    gap = verdicts.gap_verdict(base_f, now_f, meta["polarity"], "top_rest_gap", n_boot=1000, seed=0)
    b, n = gaps.top_tenth_gap(base_f["value"], 1), gaps.top_tenth_gap(now_f["value"], 1)
    mv = glance.movement(b["top_mean"], n["top_mean"], b["rest_mean"], n["rest_mean"], 1, meta)
    assert mv.gap_base + mv.gap_change == pytest.approx(mv.gap_now)
    assert mv.gap_text in table and gap.verdict in table
    label = next(e.label for e in at.expander if meta["label"] in e.label)
    assert gap.verdict.replace("gap ", "") in label
    body = texts(at)
    assert mv.gap_text in body  # the open section shows the same shown arithmetic
    med = verdicts.median_verdict(base_f, now_f, meta["polarity"], n_boot=1000, seed=0)
    assert glance.change_text(med.base, med.now, meta) in body
    assert any("only for unitary, metropolitan and London authorities" in shown(i.value) for i in at.info)
    # the rules are stated (behind the expander), and every gap measure is explained
    captions = [shown(c.value) for c in at.caption]
    assert "Gap: " + verdicts.rule_text("top_rest_gap") in captions
    assert "Level: " + mr.LEVEL_RULE in captions
    for key in gaps.MEASURES:
        assert gaps.MEASURES[key]["explain"] in body
    # the open indicator draws its gap and level charts, the gap chart with a "no gap" line
    charts = elements(at, "vega_lite_chart")
    assert len(charts) == 2
    spec = json.dumps(json.loads(charts[0].proto.spec))
    assert '"rule"' in spec, "baseline rule"
    assert '"area"' in spec, "uncertainty band"
    assert "[2, 3]" in spec, "the dashed no-gap line"
    assert at.query_params["mission"] in (["7"], "7")


def test_summary_table_opens_on_demand(app_env, store):
    at = run({"mission": "7"})
    assert not any("lu-summary" in m.value for m in at.markdown)  # closed: not computed
    at.session_state["mx-summary-missions-7"] = True
    at.run()
    assert not at.exception
    html_ = summary_html(at)
    assert "Shown for upper-tier areas (none for lower-tier areas)" in html_


def test_local_outcomes_framework_catalogue(app_env, store):
    at = run({"catalogue": "lof"})
    assert not at.exception and not at.warning
    assert at.title[0].value.startswith("Local Outcomes Framework")
    html_ = glance_html(at)
    from lumap.data import frameworks

    groups = frameworks.lof_groups()
    assert html_.count("data-testid='lu-card'") == len(groups)
    body = texts(at)
    src = frameworks.lof_source()
    assert "9 February 2026" in body or src["published"] in body
    assert "Outcomes the store cannot yet measure" in body
    for g in groups:
        if not any(store.has(x) for x in g.indicators):
            assert g.short in body
    assert at.query_params["catalogue"] in (["lof"], "lof")
    at = run({"catalogue": "lof", "mission": "5"})
    assert not at.exception
    assert shown(at.header[0].value) == "Outcome 5: Best start in life"


def test_mission_12_has_no_metric(app_env):
    at = run({"mission": "12"})
    assert not at.exception
    assert shown(at.header[0].value) == "Mission 12: Local leadership"
    assert any("No indicator in lumap's data measures this mission" in shown(i.value) for i in at.info)
    assert any("does not invent a metric" in shown(i.value) for i in at.info)
    assert not elements(at, "vega_lite_chart")


def test_missions_without_local_data_fall_back_to_regions(app_env):
    at = run({"mission": "11"})
    assert not at.exception
    body = texts(at)
    assert "None of this mission's indicators is published for lower-tier areas" in body
    assert "shown for regions and nations instead" in body
    assert "Homicide" in next(m.value for m in at.markdown if "<table class='lu-gtable'" in m.value)
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
        ({"catalogue": "nope"}, "Unknown catalogue"),
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
    assert shown(at.header[0].value) == "Mission 8: Well-being"


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


def test_analysts_panel_opens_on_demand_and_equals_the_store(app_env, store):
    """The "for analysts" panel runs nothing until opened; opened, each measure is explained
    and its numbers equal a direct computation (Kendall's tau against scipy's tau-b)."""
    from scipy.stats import kendalltau

    from lumap.analysis import convergence as cv
    from lumap.analysis.format import format_number

    slug = "healthy-life-expectancy-female"
    at = run({"mission": "7", "indicator": slug})
    key = f"mx-missions-one-{slug}-analysts"
    assert not any("Kendall's tau" in shown(m.value) for m in at.markdown)  # closed: not computed
    at.session_state[key] = True
    at.run()
    assert not at.exception
    body = texts(at)
    for word in ("Sigma-convergence.", "Beta-convergence.", "Theil index", "Rank mobility.", "Pockets"):
        assert word in body, word
    assert "Population-weighted versions are not shown" in body
    # HLE (female) at upper-tier level, 2019-21 baseline against the latest period
    periods = store.periods(slug)
    base_p, now_p = gaps.baseline_period(periods, 2019), periods["period"].iloc[-1]
    b = store.values(slug, base_p, "utla").set_index("areacd")["value"]
    n = store.values(slug, now_p, "utla").set_index("areacd")["value"]
    pair = cv.paired(b, n)
    tau = kendalltau(pair["base"], pair["now"]).statistic
    assert f"Kendall's tau {format_number(tau, 3)}" in body
    beta = cv.beta_convergence(b, n)
    assert f"Slope {format_number(beta.slope, 3)}" in body
    assert len(elements(at, "vega_lite_chart")) == 3  # the gap, the level and the beta scatter
