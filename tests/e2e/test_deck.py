"""A deck in a real browser, offline: built by clicking "Add to deck" on three pages, its
link reopened in a fresh browser (another machine), stepped with the keyboard and the
on-screen buttons at 1920×1080 and 1280×720; one slide's own link on a phone."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .conftest import SCREENSHOTS, screenshot, wait_for_app

PAY = "gross-median-weekly-pay"
AREAS = "E06000009,E08000003,E09000033"


def add_to_deck(page, n: int) -> None:
    page.get_by_role("button", name="Add to deck").click()
    wait_for_app(page)
    expect(page.get_by_role("link", name=re.compile(rf"^Deck: {n} slides? →"))).to_be_visible()


def build_deck(page, app_url) -> str:
    """Three slides by clicking, moving between pages by the navigation (one session)."""
    page.goto(f"{app_url}/?indicator={PAY}&year=2024&level=ltla")
    wait_for_app(page)
    page.locator("iframe[title$='lumap_map']").wait_for()
    add_to_deck(page, 1)
    page.get_by_role("link", name="Compare").first.click()
    wait_for_app(page)
    page.get_by_test_id("stVegaLiteChart").first.wait_for()
    add_to_deck(page, 2)
    page.get_by_role("link", name="Trends").first.click()
    wait_for_app(page)
    page.get_by_test_id("stVegaLiteChart").first.wait_for()
    add_to_deck(page, 3)
    page.get_by_role("link", name=re.compile(r"^Deck: 3 slides")).click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Deck")).to_be_visible()
    # a title and a note, typed as a presenter would
    title = page.get_by_label("Title").first
    title.fill("Where pay is highest")
    title.press("Enter")
    wait_for_app(page)
    note = page.get_by_label("Note (one line, shown under the slide)").first
    note.fill("Darker blue: higher weekly pay")
    note.press("Enter")
    wait_for_app(page)
    expect(page).to_have_url(re.compile(r"/deck\?deck=1_3\."))
    return page.url.split("deck=", 1)[1]


def deck_frame(page):
    return page.frame_locator("iframe[title$='lumap_deck']")


def ready(page, k: int, timeout: int = 120_000) -> None:
    deck_frame(page).locator(f"body[data-ready='{k}']").wait_for(state="attached", timeout=timeout)


def slide_frame(page, k: int):
    return deck_frame(page).frame_locator(f"iframe[data-slide='{k}']")


def test_build_a_deck_reopen_it_elsewhere_and_step_with_the_keyboard(browser, app_url):
    blocked: list[str] = []

    def offline(context):
        context.route(
            lambda url: not url.startswith(app_url), lambda r: (blocked.append(r.request.url), r.abort())
        )

    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    offline(ctx)
    page = ctx.new_page()
    page.set_default_timeout(90_000)
    param = build_deck(page, app_url)
    # the offline deck: one file, drawn in a worker (a few seconds a slide; longer on a busy machine)
    with page.expect_download(timeout=400_000) as got:
        page.get_by_role("button", name="Download deck (HTML, works offline)").click()
    offline_file = SCREENSHOTS / "deck-offline.html"
    got.value.save_as(offline_file)
    ctx.close()

    # another machine: a fresh browser context with only the link
    room = browser.new_context(viewport={"width": 1920, "height": 1080})
    offline(room)
    page = room.new_page()
    page.set_default_timeout(90_000)
    page.goto(f"{app_url}/present?deck={param}")
    wait_for_app(page)
    ready(page, 1)
    deck_frame(page).locator("#count").filter(has_text="1 / 3").wait_for()
    first = slide_frame(page, 1)
    expect(first.locator(".lumap-slide-head h1")).to_have_text("Where pay is highest")
    expect(first.locator(".lumap-slide-foot .note")).to_have_text("Darker blue: higher weekly pay")
    first.frame_locator("iframe[title$='lumap_map']").locator(
        "body[data-rendered] path.leaflet-interactive"
    ).first.wait_for()
    # nothing of Streamlit's chrome, nothing to scroll
    assert page.get_by_test_id("stSidebar").is_hidden()
    assert page.evaluate("() => document.scrollingElement.scrollHeight <= window.innerHeight + 1")
    screenshot(page, "deck-1920-slide1")

    def step(key: str, k: int) -> None:
        page.keyboard.press(key)
        ready(page, k)
        expect(deck_frame(page).locator("#count")).to_have_text(f"{k} / 3")
        expect(page).to_have_url(re.compile(rf"[?&]slide={k}\b"))

    step("ArrowRight", 2)
    slide_frame(page, 2).get_by_test_id("stVegaLiteChart").first.locator("canvas, svg").first.wait_for()
    screenshot(page, "deck-1920-slide2")
    step("PageDown", 3)
    slide_frame(page, 3).get_by_test_id("stVegaLiteChart").first.locator("canvas, svg").first.wait_for()
    screenshot(page, "deck-1920-slide3")
    step("PageUp", 2)
    step(" ", 3)
    step("ArrowLeft", 2)
    deck_frame(page).get_by_role("button", name="Previous slide").click()
    ready(page, 1)
    deck_frame(page).get_by_role("button", name="Next slide").click()
    ready(page, 2)
    # a key pressed while the focus is inside a slide (a clicker's keys after a click on
    # the map) still steps the deck
    slide_frame(page, 2).locator(".lumap-slide-head h1").click()
    page.keyboard.press("ArrowRight")
    ready(page, 3)
    timings = deck_frame(page).locator("body").evaluate("() => window.lumapDeck.timings")
    moves = [t for t in timings if t["how"] != "start"]
    preloaded = [t for t in moves if t["preloaded"]]
    print("deck steps (ms to ready):", [round(t["readyMs"] or -1) for t in moves])
    assert preloaded, timings  # the next slide was loaded before it was asked for

    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{app_url}/present?deck={param}&slide=1")
    wait_for_app(page)
    ready(page, 1)
    slide_frame(page, 1).frame_locator("iframe[title$='lumap_map']").locator("body[data-rendered]").wait_for()
    assert page.evaluate("() => document.scrollingElement.scrollHeight <= window.innerHeight + 1")
    screenshot(page, "deck-1280-slide1")
    page.keyboard.press("End")
    ready(page, 3)
    screenshot(page, "deck-1280-slide3")
    room.close()
    assert blocked == [], blocked


def test_one_slides_link_on_a_phone(browser, app_url):
    from lumap import deck

    slide = deck.make_slide("map", f"indicator={PAY}&year=2024&level=ltla", "Pay, 2024", "Scan me")
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = ctx.new_page()
    page.set_default_timeout(90_000)
    page.goto(f"{app_url}/present?deck={deck.slide_link(slide)}")
    wait_for_app(page)
    expect(page.locator(".lumap-slide-head h1")).to_have_text("Pay, 2024")
    page.frame_locator("iframe[title$='lumap_map']").locator(
        "body[data-rendered] path.leaflet-interactive"
    ).first.wait_for()
    assert page.get_by_test_id("stSidebar").is_hidden()
    width = page.evaluate(
        "() => document.querySelector('iframe[title$=\"lumap_map\"]').getBoundingClientRect().width"
    )
    assert 300 <= width <= 390, width
    screenshot(page, "deck-phone-slide")
    ctx.close()


def test_the_offline_deck_opens_from_a_file_with_no_network(browser):
    """Reads the file the test above downloaded: every slide shows its map or chart."""
    path = SCREENSHOTS / "deck-offline.html"
    assert path.exists(), "run with the test above"
    ctx = browser.new_context(viewport={"width": 1920, "height": 1080})
    asked: list[str] = []
    ctx.route(
        lambda url: not url.startswith(("file:", "data:")), lambda r: (asked.append(r.request.url), r.abort())
    )
    page = ctx.new_page()
    page.goto(path.as_uri())
    assert page.locator("#deck").get_attribute("data-count") == "3"
    for k in (1, 2, 3):
        if k > 1:
            page.keyboard.press("ArrowRight" if k == 2 else "PageDown")
        page.locator(f"body[data-current='{k}']").wait_for(state="attached")
        pictures = page.locator(f"#slide-{k} img")
        assert pictures.count() >= 1, k
        for i in range(pictures.count()):
            assert pictures.nth(i).evaluate("e => e.complete && e.naturalWidth > 0"), (k, i)
        screenshot(page, f"deck-offline-slide{k}")
    expect(page.locator("#slide-1 h1").first).to_have_text("Where pay is highest")
    expect(page.locator("#slide-1")).to_contain_text("Darker blue: higher weekly pay")
    expect(page.locator("#slide-1")).to_contain_text("Open Government Licence")
    page.keyboard.press("ArrowLeft")
    page.locator("body[data-current='2']").wait_for(state="attached")
    ctx.close()
    assert asked == [], asked
