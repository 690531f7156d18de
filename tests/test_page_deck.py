"""The deck and present pages, and every page as a slide, under AppTest on the real store."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from lumap import deck
from lumap.ui import deckui

from .apptest_tools import as_a_server_does, elements, shown

PAY = "gross-median-weekly-pay"
HLE = "healthy-life-expectancy-female"

SLIDES = [
    deck.make_slide("map", f"indicator={PAY}&year=2024&level=ltla", "Pay, 2024", "Where pay is highest"),
    deck.make_slide("compare", f"indicator={HLE}&level=utla&areas=E06000001,E06000002", "HLE", "", "bars"),
    deck.make_slide("trends", f"indicator={PAY}&level=ltla&areas=E06000009", "Pay over time"),
]


def run(page: str, params: dict, session: dict | None = None) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=90)
    at.switch_page(page)
    for k, v in params.items():
        at.query_params[k] = v
    for k, v in (session or {}).items():
        at.session_state[k] = v
    return at.run()


def shell_args(at) -> dict:
    found = [e for e in elements(at, "component_instance") if e.proto.component_name.endswith("lumap_deck")]
    assert found, "no deck component"
    return json.loads(found[0].proto.json_args)


def texts(at) -> str:
    return "\n".join([shown(m.value) for m in at.markdown] + [shown(c.value) for c in at.caption])


def test_present_lays_out_every_slide_in_order():
    at = run("pages/present.py", {"deck": deck.encode(SLIDES)})
    assert not at.exception
    args = shell_args(at)
    assert args["role"] == "deck" and args["start"] == 1
    assert [s["title"] for s in args["slides"]] == ["Pay, 2024", "HLE", "Pay over time"]
    assert args["notices"] == []
    first = args["slides"][0]["src"]
    assert first.startswith("../../?") and f"indicator={PAY}" in first and "deckslide=" in first
    assert args["slides"][1]["src"].startswith("../../compare?")
    # the deck is kept for the session ("Edit deck", the other pages)
    assert at.session_state[deckui.DECK_KEY] == tuple(SLIDES)


def test_present_starts_at_the_slide_in_the_url():
    at = run("pages/present.py", {"deck": deck.encode(SLIDES), "slide": "3"})
    assert shell_args(at)["start"] == 3


def test_a_slide_number_out_of_range_is_a_notice():
    at = run("pages/present.py", {"deck": deck.encode(SLIDES), "slide": "9"})
    assert not at.exception
    assert shell_args(at)["start"] == 1


def test_a_truncated_deck_presents_what_parsed_with_a_notice():
    text = deck.encode(SLIDES)
    at = run("pages/present.py", {"deck": text[: text.rindex(".") + 5]})
    assert not at.exception
    args = shell_args(at)
    assert [s["title"] for s in args["slides"]] == ["Pay, 2024", "HLE"]
    assert any("Slide 3" in n for n in args["notices"])


@pytest.mark.parametrize("bad", ["garbage", "1_2.%%%", "9_1.AAAA", "1_1." + "A" * 300])
def test_a_bad_deck_says_so_and_never_raises(bad):
    at = run("pages/present.py", {"deck": bad})
    assert not at.exception
    assert at.info  # "This deck has no slides" with the way to build one
    assert at.warning  # the notice


def test_the_titles_reach_the_shell_as_data_only():
    evil = deck.make_slide("map", f"indicator={PAY}", "<img src=x onerror=alert(1)>")
    args = shell_args(run("pages/present.py", {"deck": deck.encode([evil, SLIDES[0]])}))
    # the component sets it with textContent (deck.js); the address is built, not copied
    assert args["slides"][0]["title"] == "<img src=x onerror=alert(1)>"
    assert "<" not in args["slides"][0]["src"]


def test_the_deck_page_lists_the_slides_with_their_editors():
    at = run("pages/deck.py", {"deck": deck.encode(SLIDES)})
    assert not at.exception
    titles = [t.value for t in at.text_input if t.label == "Title"]
    assert titles == ["Pay, 2024", "HLE", "Pay over time"]
    assert any(deck.encode(SLIDES) in c.value for c in at.code)


def test_the_deck_page_reorders_retitles_and_removes():
    at = run("pages/deck.py", {"deck": deck.encode(SLIDES)})
    at.button(key=next(b.key for b in at.button if b.key.startswith("deck_down_0-"))).click().run()
    assert [s.title for s in at.session_state[deckui.DECK_KEY]] == ["HLE", "Pay, 2024", "Pay over time"]
    first = next(t for t in at.text_input if t.label == "Title")
    first.set_value("Healthy life expectancy").run()
    assert at.session_state[deckui.DECK_KEY][0].title == "Healthy life expectancy"
    at.button(key=next(b.key for b in at.button if b.key.startswith("deck_remove_2-"))).click().run()
    assert [s.title for s in at.session_state[deckui.DECK_KEY]] == ["Healthy life expectancy", "Pay, 2024"]
    assert at.query_params["deck"] == deck.encode(at.session_state[deckui.DECK_KEY])


def test_the_empty_deck_page_says_how_to_add():
    at = run("pages/deck.py", {})
    assert not at.exception
    assert "Add to deck" in at.info[0].value


def test_add_to_deck_takes_the_view_exactly_as_its_url():
    at = run("pages/map.py", {"indicator": PAY, "year": "2023", "level": "utla"})
    assert not at.exception
    at.button(key="deck_add").click().run()
    (slide,) = at.session_state[deckui.DECK_KEY]
    assert slide.page == "map"
    assert slide.params()["indicator"] == PAY and slide.params()["level"] == "utla"
    assert slide.params()["year"] == "2023"
    assert slide.title.startswith("Gross median weekly pay")


def test_add_to_deck_on_the_compare_page_offers_its_parts():
    at = run("pages/compare.py", {"indicator": HLE, "level": "utla", "areas": "E06000001,E06000002"})
    part = at.selectbox(key="deck_part_compare")
    assert part.options == ["Bar chart and sentences", "Heat map of every mission indicator"]
    part.set_value("heat").run()
    at.button(key="deck_add").click().run()
    (slide,) = at.session_state[deckui.DECK_KEY]
    assert slide.page == "compare" and slide.part == "heat"


def _slide_run(slide: deck.Slide) -> AppTest:
    params = slide.params()
    params[deckui.TOKEN_PARAM] = deck.encode_slide(slide)
    return run(deckui.PAGE_FILES[slide.page], params)


@pytest.mark.parametrize(
    "slide",
    [
        SLIDES[0],
        SLIDES[1],
        SLIDES[2],
        deck.make_slide("compare", f"indicator={HLE}&level=utla&areas=E06000001", "Heat", "", "heat"),
        deck.make_slide("missions", "mission=1&level=ltla", "Mission 1", "", "summary"),
        deck.make_slide("missions", "mission=1&level=ltla", "At a glance", "", "glance"),
        deck.make_slide("missions", f"mission=1&indicator={PAY}&level=ltla", "Pay section", "", "section"),
        deck.make_slide(
            "missions", f"view=change&indicator={PAY}&level=ltla&from=2019&to=2024", "Change", "note"
        ),
        deck.make_slide("area", f"area=E06000009&indicator={PAY}", "Blackpool", "", "profile"),
        deck.make_slide("area", "area=E06000009", "Blackpool gap", "", "gap"),
    ],
    ids=lambda s: f"{s.page}-{s.part or 'view'}",
)
def test_every_page_shows_itself_as_a_slide(slide):
    at = _slide_run(slide)
    assert not at.exception, at.exception
    # the slide's title, note and source; no "Add to deck", no tables for a desk
    body = texts(at)
    assert slide.title in body
    if slide.note:
        assert slide.note in body
    assert "Open Government Licence" in body
    assert not [b for b in at.button if b.key == "deck_add"]
    if slide.page in ("map", "trends", "compare"):  # their tables are for a desk
        assert not at.dataframe


def _downloads(at) -> list[str]:
    return [e.proto.label for e in elements(at, "download_button")]


def test_the_map_and_change_map_offer_their_picture():
    at = run("pages/map.py", {"indicator": PAY, "year": "2024", "level": "ltla"})
    assert {"Download map (PNG)", "Download map (SVG)"} <= set(_downloads(at))
    at = run(
        "pages/missions.py",
        {"view": "change", "indicator": PAY, "level": "ltla", "from": "2019", "to": "2024"},
    )
    assert {"Download map (PNG)", "Download map (SVG)"} <= set(_downloads(at))
    # not on a slide (nothing to click there)
    slide = deck.make_slide("map", f"indicator={PAY}&year=2024&level=ltla", "Pay")
    assert "Download map (PNG)" not in _downloads(_slide_run(slide))


def test_the_deck_page_offers_the_offline_deck():
    at = run("pages/deck.py", {"deck": deck.encode(SLIDES)})
    assert "Download deck (HTML, works offline)" in _downloads(at)


def test_the_deck_page_draws_the_slides_as_a_pdf_and_a_zip(monkeypatch):
    as_a_server_does(monkeypatch)  # clicks land
    two = [SLIDES[0], SLIDES[2]]
    at = run("pages/deck.py", {"deck": deck.encode(two)})
    buttons = {b.key: b for b in at.button}
    assert {"deck_make_pdf", "deck_make_zip"} <= set(buttons)
    assert "1920×1080" in texts(at)  # the size is said before a click
    buttons["deck_make_pdf"].click()
    at.run()
    assert not at.exception
    assert "Download slides as PDF · 2 pages" in " ".join(_downloads(at))
    next(b for b in at.button if b.key == "deck_make_zip").click()
    at.run()
    labels = " ".join(_downloads(at))
    assert "Download slides as PDF · 2 pages" in labels  # the PDF drawn before is still offered
    assert "Download slides as PNGs (ZIP) · 2 PNGs" in labels
    assert not at.warning
