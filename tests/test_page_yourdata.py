"""AppTest: the Your data page (#11) on the real store: upload, the validation report, then
the uploaded indicator on the map, compare and area pages of the same session, marked
"your data"; another session never sees it."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from lumap.data.store import Store

from .apptest_tools import as_a_server_does, map_areas, map_args, shown

FILE = (
    "Area code,Area name,Year,Value,Lower,Upper\n"
    "E06000001,Hartlepool,2023,61.2,58.1,64.3\n"
    "E06000001,Hartlepool,2024,63.0,60.2,65.8\n"
    "E06000002,Middlesbrough,2024,59.4,56.5,62.3\n"
    ",Redcar and Cleveland,2024,60.1,59,61\n"
    "E99999999,Nowhere,2024,1,0,2\n"
    "E06000003,Redcar,2024,abc,,\n"
    "E06000002,Middlesbrough,2024,59.4,56.5,62.3\n"
)
SLUG = "your-data-survey-score"


@pytest.fixture(autouse=True)
def _buttons_survive_apptest(monkeypatch):
    """Clicks land and app.py routes every run (see ``apptest_tools.as_a_server_does``)."""
    as_a_server_does(monkeypatch)


def upload_page() -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=90)
    at.run()
    at.switch_page("pages/yourdata.py").run()
    assert not at.exception
    return at


def uploaded(at: AppTest, data: bytes = FILE.encode(), name: str = "survey.csv") -> AppTest:
    at.file_uploader[0].set_value((name, data, "text/csv")).run()
    assert not at.exception
    return at


def checked(at: AppTest, label: str = "Survey score") -> AppTest:
    at.text_input(key="own_label").set_value(label)
    next(b for b in at.button if b.label == "Check the file").click().run()
    assert not at.exception
    return at


def texts(at) -> str:
    parts = [
        shown(e.value)
        for kind in ("markdown", "caption", "error", "warning", "info")
        for e in getattr(at, kind)
    ]
    return "\n".join(parts)


def test_limits_stated_and_template_offered(app_env):
    at = upload_page()
    assert at.title[0].value == "Your data"
    t = texts(at)
    assert "at most 10 MB and 50,000 rows" in t
    assert "Only you see it" in t
    assert (
        at.file_uploader[0].proto.max_upload_size_mb == 10
        if hasattr(at.file_uploader[0].proto, "max_upload_size_mb")
        else True
    )


def test_report_then_the_map_compare_and_area_pages(app_env):
    at = checked(uploaded(upload_page()))
    assert [m.value for m in at.metric][:3] == ["7", "4", "3"]
    rejected = at.dataframe[-2].value if len(at.dataframe) > 2 else at.dataframe[-1].value
    lines = set(rejected["Line"]) if "Line" in rejected else set()
    assert lines == {6, 7, 8}, rejected  # unknown code, non-numeric, duplicate (Redcar's name matched)
    t = texts(at)
    assert "E99999999" in " ".join(rejected["Reason"])
    assert "matched to codes by name" in t
    next(b for b in at.button if b.key == "own_accept").click().run()
    assert not at.exception
    assert "Survey score (your data)" in [shown(h.value) for h in at.subheader]

    store = Store(app_env)
    assert SLUG not in store.meta  # nothing in the shared store
    at.query_params["indicator"] = SLUG
    at.query_params["level"] = "utla"
    at.switch_page("pages/map.py").run()
    assert not at.exception
    assert shown(at.title[0].value) == "Survey score (your data)"
    areas = map_areas(at, store)
    assert {"E06000001", "E06000002", "E06000003"} <= set(areas)
    tip = areas["E06000001"]["tip"]
    assert "63.0" in tip and "60.2 to 65.8" in tip  # the uploaded figures
    assert len(map_args(at)["ids"]) == len(areas)

    at.query_params.clear()
    at.query_params["indicator"] = SLUG
    at.query_params["level"] = "utla"
    at.query_params["areas"] = "E06000001,E06000002"
    at.switch_page("pages/compare.py").run()
    assert not at.exception
    assert "your data" in texts(at).lower()

    at.switch_page("pages/trends.py").run()
    assert not at.exception
    assert "your data" in texts(at).lower()

    at.query_params.clear()
    at.query_params["area"] = "E06000001"
    at.switch_page("pages/area.py").run()
    assert not at.exception
    frames = [d.value for d in at.dataframe]
    assert any(f.astype(str).apply(lambda c: c.str.contains("Survey score")).any().any() for f in frames)


def test_another_session_never_sees_it(app_env):
    at = checked(uploaded(upload_page()))
    next(b for b in at.button if b.key == "own_accept").click().run()
    other = AppTest.from_file("../app.py", default_timeout=90)
    other.query_params["indicator"] = SLUG
    other.run()
    assert not other.exception
    assert shown(other.title[0].value) != "Survey score (your data)"
    assert any("was uploaded in another browser session" in shown(w.value) for w in other.warning)
    assert SLUG not in [o for o in other.selectbox(key="indicator").options]


@pytest.mark.parametrize(
    "data, expected",
    [
        ("E06000001,caf\xe9".encode("cp1252"), "not UTF-8"),
        (b"\x00\x01\x02binary", "binary"),
        (b"", "empty"),
    ],
    ids=["cp1252", "binary", "empty"],
)
def test_a_bad_file_is_a_clear_error_not_a_traceback(app_env, data, expected):
    at = uploaded(upload_page(), data, "bad.csv")
    assert any(expected in shown(e.value) for e in at.error), [e.value for e in at.error]
    assert not at.exception


def test_an_uploaded_map_goes_into_the_deck_and_shows_as_a_slide(app_env):
    """#11 with #7: "Add to deck" on the map of an upload; the slide shows the session's data
    (its title and legend say "your data"); its page in the slide PDF too."""
    from io import BytesIO

    from pypdf import PdfReader

    from lumap import deck
    from lumap.data.overlay import Spec
    from lumap.ui import deckui, owndata, slideshots

    at = checked(uploaded(upload_page()))
    next(b for b in at.button if b.key == "own_accept").click().run()
    at.query_params["indicator"] = SLUG
    at.query_params["level"] = "utla"
    at.switch_page("pages/map.py").run()
    assert not at.exception
    assert any("uploaded in this session" in shown(c.value) for c in at.sidebar.caption)
    at.button(key="deck_add").click().run()
    (slide,) = at.session_state[deckui.DECK_KEY]
    assert slide.page == "map" and slide.params()["indicator"] == SLUG
    assert slide.title == "Survey score (your data), 2024"

    # presented in the same session: the page in slide mode, the session's rows on it
    at.query_params.clear()
    for k, v in {**slide.params(), deckui.TOKEN_PARAM: deck.encode_slide(slide)}.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception
    body = " ".join(shown(m.value) for m in at.markdown)
    assert "Survey score (your data), 2024" in body  # the slide's head
    assert "Survey score (your data)" in body  # the legend's title
    assert {"E06000001", "E06000002", "E06000003"} <= set(map_areas(at, Store(app_env)))

    # the slide as a PDF page, drawn in a worker from the rows sent with the job
    own = tuple(at.session_state[owndata.HELD_KEY].values())
    made = slideshots.deck_file([slide], "pdf", Spec(Store(app_env).key, own))
    assert not made.failed
    text = " ".join(PdfReader(BytesIO(made.data)).pages[0].extract_text().split())
    assert "Survey score (your data), 2024" in text and "1 / 1" in text
    assert "Counties and unitary authorities" in text  # the map picture's own subtitle: a map was drawn


def test_presenting_an_uploaded_slide_shows_it_live_and_only_to_its_session(app_env):
    """/present draws each slide as its page in a frame, a session of its own: the frame's
    address carries this session's share token, so the slide shows the upload; a deck link
    without it (another machine), or a token whose session is gone, gets the notice."""
    import json
    import re

    from lumap import deck
    from lumap.ui import deckui, owndata

    from .apptest_tools import elements

    at = checked(uploaded(upload_page()))
    next(b for b in at.button if b.key == "own_accept").click().run()
    slide = deck.make_slide("map", f"indicator={SLUG}&year=2024&level=utla", "Our survey", "Ours")
    official = deck.make_slide("map", "indicator=gross-median-weekly-pay&year=2024&level=rgn", "Pay")
    at.query_params.clear()
    at.query_params["deck"] = deck.encode([slide, official])
    at.switch_page("pages/present.py").run()
    assert not at.exception
    shell = next(
        e for e in elements(at, "component_instance") if e.proto.component_name.endswith("lumap_deck")
    )
    frames = json.loads(shell.proto.json_args)["slides"]
    assert frames[0]["missing"] == "" and frames[1]["missing"] == ""
    token = re.search(rf"[?&]{owndata.SHARE_PARAM}=([\w-]+)", frames[0]["src"]).group(1)
    assert owndata.SHARE_PARAM + "=" not in frames[1]["src"]  # only the upload's slide carries it
    assert owndata.SHARE_PARAM + "=" not in json.loads(shell.proto.json_args).get("edit_url", "")

    def frame(share: str | None) -> AppTest:
        other = AppTest.from_file("../app.py", default_timeout=90)  # the frame: a session of its own
        params = {**slide.params(), deckui.TOKEN_PARAM: deck.encode_slide(slide)}
        if share:
            params[owndata.SHARE_PARAM] = share
        for k, v in params.items():
            other.query_params[k] = v
        return other.run()

    shown_slide = frame(token)
    assert not shown_slide.exception
    body = " ".join(shown(m.value) for m in shown_slide.markdown)
    assert "Our survey" in body and "Survey score (your data)" in body  # the slide and its legend
    assert {"E06000001", "E06000002"} <= set(map_areas(shown_slide, Store(app_env)))

    for share in (None, "not-a-token"):
        elsewhere = frame(share)
        assert not elsewhere.exception
        assert any("uploaded in another browser session" in shown(w.value) for w in elsewhere.warning)

    # the deck link itself, opened in another session: the slide says why it cannot show
    other = AppTest.from_file("../app.py", default_timeout=90)
    other.query_params["deck"] = deck.encode([slide, official])
    other.switch_page("pages/present.py").run()
    shell = next(
        e for e in elements(other, "component_instance") if e.proto.component_name.endswith("lumap_deck")
    )
    frames = json.loads(shell.proto.json_args)["slides"]
    assert "uploaded in another session" in frames[0]["missing"] and not frames[1]["missing"]
    assert owndata.SHARE_PARAM + "=" not in frames[0]["src"]
