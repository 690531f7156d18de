"""The area profile at a glance (#8.8) and the neutral-wording switch (#8.7), on the real store."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from lumap.analysis import areaglance as glance
from lumap.data.store import Store
from lumap.queries import profiles

from .apptest_tools import shown

BLACKPOOL = "E06000009"
PAY = "gross-median-weekly-pay"
HLE = "healthy-life-expectancy-female"


@pytest.fixture(scope="module")
def store(real_store_dir):
    return Store(real_store_dir)


@pytest.fixture(scope="module")
def rows(store):
    indexes: dict = {}

    def level_index(level):
        if level not in indexes:
            indexes[level] = profiles.level_index(store, level)
        return indexes[level]

    ctx = profiles.area_context(store, BLACKPOOL, "global", level_index)
    profile, _ = profiles.area_profile(store, ctx)
    return profile, profiles.glance(store, ctx, profile), profiles.glance(store, ctx, profile, neutral=True)


def test_one_row_per_mission_indicator_positioned_by_its_rank(store, rows):
    profile, g, _ = rows
    missions = profile[profile["mission"].notna() & profile["level"].notna()]
    assert list(g["indicator"]) == list(missions["indicator"])
    pay = g.set_index("indicator").loc[PAY]
    r = profile.set_index("indicator").loc[PAY]
    # pay: higher is better; rank 1 = highest = position 100
    assert pay["pos"] == pytest.approx(glance.rank_position(r["rank"], r["n"]))
    assert pay["band"] == glance.band(pay["pos"], True) and pay["directed"]
    assert 0 <= pay["uk_pos"] <= 100 and pay["uk_pos"] > pay["pos"]  # Blackpool's pay is below the UK's


def test_sparklines_are_the_real_points_and_absent_for_one_period(store, rows):
    _, g, _ = rows
    pay = g.set_index("indicator").loc[PAY]
    series = store.series(PAY, [BLACKPOOL])
    assert [v for _, v, _ in pay["points"]] == list(series["value"])
    single = [s for s in g["indicator"] if len(store.periods(s)) == 1]
    assert single and all(g.set_index("indicator").loc[s, "points"] == [] for s in single)
    assert all(g.set_index("indicator").loc[s, "heading"] == "one period" for s in single)


def test_neutral_wording_positions_by_value_with_no_better_or_worse(rows):
    _, g, neutral = rows
    assert (neutral["band"] == glance.NEUTRAL).all()
    assert not neutral["heading"].isin(["improving", "worsening"]).any()
    assert g["heading"].isin(["improving", "worsening"]).any()


def open_page(page: str, **params) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_area_page_opens_with_the_glance(app_env):
    at = open_page("pages/area.py", area=BLACKPOOL)
    assert any(shown(s.value) == "Blackpool at a glance" for s in at.subheader)
    assert any("mission indicators" in shown(m.value) for m in at.markdown)


def test_the_neutral_switch_changes_the_words_and_stays_in_the_url(app_env):
    params = {"indicator": HLE, "year": "2022", "level": "ltla", "areas": BLACKPOOL}
    at = open_page("pages/compare.py", **params)
    said = " ".join(shown(m.value) for m in at.markdown)
    assert "significantly worse" in said
    at = open_page("pages/compare.py", **params, neutral="1")
    assert at.toggle(key="neutral").value is True
    said = " ".join(shown(m.value) for m in at.markdown)
    assert "significantly lower" in said and "significantly worse" not in said
    assert at.query_params["neutral"] in ("1", ["1"])
    # the switch, flipped on a page, goes into the link
    at = open_page("pages/compare.py", **params)
    at.toggle(key="neutral").set_value(True).run()
    assert at.query_params["neutral"] in ("1", ["1"])
