"""AppTest: a session's uploaded indicators on the missions page (#11's "missions-style gap
measures and verdict"): a "Your data" catalogue beside the missions and the LOF, marked
"your data" in every title and download, equal to a direct computation, and never seen by
another session or written to the shared store."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from lumap.analysis import gaps
from lumap.data.overlay import Overlay
from lumap.data.store import Store
from lumap.queries import glance as qglance

from .apptest_tools import shown

SLUG = "your-data-gap-score"


@pytest.fixture(autouse=True)
def _buttons_survive_apptest(monkeypatch):
    """As in test_page_yourdata: AppTest reruns _leave_legacy_pages_mode every run, which
    would lose a button's click."""
    from lumap.ui import cache

    monkeypatch.setattr(cache, "_leave_legacy_pages_mode", lambda: None)


def gap_file(store: Store) -> bytes:
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
    return ("\n".join(rows) + "\n").encode()


def upload(at: AppTest, data: bytes) -> AppTest:
    at.switch_page("pages/yourdata.py").run()
    at.file_uploader[0].set_value(("gaps.csv", data, "text/csv")).run()
    at.text_input(key="own_label").set_value("Gap score")
    next(b for b in at.button if b.label == "Check the file").click().run()
    next(b for b in at.button if b.key == "own_accept").click().run()
    assert not at.exception
    return at


def texts(at) -> str:
    return "\n".join(
        shown(e.value) for kind in ("markdown", "caption", "info", "warning") for e in getattr(at, kind)
    )


@pytest.fixture()
def store(app_env) -> Store:
    return Store(app_env)


def test_your_data_catalogue_on_the_missions_page(app_env, store, monkeypatch):
    import streamlit

    names: list[str] = []
    real = streamlit.download_button

    def download_button(*args, **kwargs):
        names.append(str(kwargs.get("file_name", args[2] if len(args) > 2 else "")))
        return real(*args, **kwargs)

    monkeypatch.setattr(streamlit, "download_button", download_button)
    at = AppTest.from_file("../app.py", default_timeout=120)
    at.run()
    upload(at, gap_file(store))
    links = [p for p in at.get("page_link") if "missions page" in str(p.proto.label)]
    assert links, "no link from Your data to its gap verdict on the missions page"

    at.query_params.clear()
    at.query_params["catalogue"] = "own"
    at.switch_page("pages/missions.py").run()
    assert not at.exception and not at.warning
    assert shown(at.title[0].value) == "Your data: is the gap between places closing?"
    assert at.radio(key="catalogue").options[-1] == "Your data (this session only)"
    assert at.radio(key="catalogue").value == "own"
    cards = [m.value for m in at.markdown if "data-testid='lu-glance'" in m.value]
    assert cards and cards[0].count("data-testid='lu-card'") == 1
    assert "Your data 1: Gap score (your data)" in shown(cards[0])
    assert "href=" not in cards[0]  # a card link would open a new session, without the upload

    own = at.session_state["_own_indicators"][SLUG]
    direct = qglance.catalogue_glance(Overlay(store, [own]), "own", "ltla", 2019, gaps.DEFAULT_MEASURE)
    line = direct[0].indicators[0]
    assert line.tested and line.verdict == "gap narrowing"
    assert direct[0].sentence in shown(cards[0])
    assert "this session only" in texts(at)

    # the section of the chosen upload, with its verdict, downloads marked
    at.query_params["mission"] = "1"
    at.query_params["indicator"] = SLUG
    names.clear()
    at.run()
    assert not at.exception
    labels = [shown(e.label) for e in at.expander]
    assert any(x.replace("**", "").startswith("Gap score (your data) · gap: narrowing") for x in labels), (
        labels
    )
    assert "Your data 1: Gap score (your data)" in [shown(h.value) for h in at.header]
    assert names and all("your-data" in n for n in names), names
    assert "Gap between areas" in texts(at)

    # nothing of it in the shared store or the shared glance
    assert SLUG not in Store(app_env).meta
    for g in qglance.catalogue_glance(store, "missions", "ltla", 2019, gaps.DEFAULT_MEASURE):
        assert SLUG not in [x.indicator for x in g.indicators]


def test_another_session_gets_a_notice_not_the_upload(app_env):
    at = AppTest.from_file("../app.py", default_timeout=120)
    at.query_params["catalogue"] = "own"
    at.query_params["indicator"] = SLUG
    at.run()
    at.switch_page("pages/missions.py")
    at.query_params["catalogue"] = "own"
    at.run()
    assert not at.exception
    assert "this browser session has none" in texts(at)
    assert at.radio(key="catalogue").value == "missions"
    assert len(at.radio(key="catalogue").options) == 2
