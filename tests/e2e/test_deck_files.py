"""The deck as pictures in a real browser (#7): a two-slide deck built by clicking, drawn as a
PDF (a 1920×1080 page a slide) and as a zip of 1920×1080 PNGs, downloaded and read back."""

from __future__ import annotations

import io
import re
import struct
import zipfile

from playwright.sync_api import expect
from pypdf import PdfReader

from .conftest import SCREENSHOTS, no_exceptions, screenshot, wait_for_app

PAY = "gross-median-weekly-pay"


def add_to_deck(page, n: int) -> None:
    page.get_by_role("button", name="Add to deck").click()
    wait_for_app(page)
    expect(page.get_by_role("link", name=re.compile(rf"^Deck: {n} slides? →"))).to_be_visible()


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", png[16:24])


def make_and_download(page, what: str, count: str) -> bytes:
    """Press "Make slides as …", wait for the drawn file's button, download it."""
    page.get_by_role("button", name=f"Make slides as {what}").click()
    button = page.get_by_role("button", name=re.compile(rf"^Download slides as {re.escape(what)} · {count}"))
    button.wait_for(timeout=300_000)  # a few seconds a slide, in a worker; longer on a busy machine
    wait_for_app(page)
    with page.expect_download(timeout=60_000) as got:
        button.click()
    return open(got.value.path(), "rb").read()


def test_a_two_slide_deck_as_a_pdf_and_a_zip_of_pngs(offline_page, app_url):
    page = offline_page
    page.set_default_timeout(90_000)
    page.goto(f"{app_url}/?indicator={PAY}&year=2024&level=rgn")
    wait_for_app(page)
    page.locator("iframe[title$='lumap_map']").wait_for()
    add_to_deck(page, 1)
    page.get_by_role("link", name="Trends").first.click()
    wait_for_app(page)
    page.get_by_test_id("stVegaLiteChart").first.wait_for()
    add_to_deck(page, 2)
    page.get_by_role("link", name=re.compile(r"^Deck: 2 slides")).click()
    wait_for_app(page)
    note = page.get_by_label("Note (one line, shown under the slide)").first
    note.fill("Pay is highest in London and the South East")
    note.press("Enter")
    wait_for_app(page)
    expect(page.get_by_text("1920×1080").first).to_be_visible()

    pdf = make_and_download(page, "PDF", "2 pages")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2
    for p in reader.pages:
        assert (float(p.mediabox.width), float(p.mediabox.height)) == (1920, 1080)
    first = " ".join(reader.pages[0].extract_text().split())
    assert "Gross median weekly pay, 2024" in first  # the slide's title (the map's default)
    assert "Pay is highest in London and the South East" in first and "1 / 2" in first
    assert "Open Government Licence" in first and "Crown copyright" in first
    assert "2 / 2" in reader.pages[1].extract_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "deck-slides.pdf").write_bytes(pdf)

    data = make_and_download(page, "PNGs (ZIP)", "2 PNGs")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        assert len(names) == 2 and names[0].startswith("01-") and names[1].startswith("02-")
        for i, name in enumerate(names, start=1):
            png = z.read(name)
            assert png_size(png) == (1920, 1080)
            (SCREENSHOTS / f"deck-slide-{i}.png").write_bytes(png)  # looked at by a person
    no_exceptions(page)
    screenshot(page, "deck-slide-files")
    assert page.external == [], page.external


UPLOAD = (
    "areacd,areanm,period,value\n"
    "E06000001,,2024,63.0\n"
    "E06000002,,2024,59.4\n"
    "E06000003,,2024,61.7\n"
    "E06000004,,2024,58.2\n"
)


def test_an_uploaded_indicator_in_the_deck_presented_and_opened_elsewhere(browser, app_url, tmp_path):
    """#11 with #7: a map slide, then upload a small CSV and add its map to the deck; present
    it (the live slide, a frame and so a session of its own, says "your data" in its title
    and legend); the deck's link in a fresh browser context says that slide's data stayed
    with the session that uploaded it."""
    blocked: list[str] = []

    def offline(context):
        context.route(
            lambda url: not url.startswith(app_url), lambda r: (blocked.append(r.request.url), r.abort())
        )

    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    offline(ctx)
    page = ctx.new_page()
    page.set_default_timeout(90_000)
    path = tmp_path / "survey.csv"
    path.write_text(UPLOAD, encoding="utf-8")
    page.goto(f"{app_url}/?indicator={PAY}&year=2024&level=rgn")  # slide 1: an official map
    wait_for_app(page)
    page.locator("iframe[title$='lumap_map']").wait_for()
    add_to_deck(page, 1)
    page.get_by_role("link", name="Your data").first.click()  # the same session from here on
    wait_for_app(page)
    page.locator("input[type='file']").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").wait_for()
    wait_for_app(page)
    page.get_by_label("Name (label)").fill("Survey score")
    page.get_by_role("button", name="Check the file").click()
    wait_for_app(page)
    page.get_by_role("button", name="Use these 4 rows").click()
    wait_for_app(page)
    page.get_by_test_id("stMain").get_by_role("link", name="Map", exact=True).click()
    wait_for_app(page)
    page.get_by_role("heading", level=1, name="Survey score (your data)").wait_for()
    page.locator("iframe[title$='lumap_map']").wait_for()
    expect(page.get_by_text("This view shows data uploaded in this session").first).to_be_visible()
    add_to_deck(page, 2)
    page.get_by_role("link", name=re.compile(r"^Deck: 2 slides")).click()
    wait_for_app(page)
    expect(page.get_by_text("Uses data uploaded in this session").first).to_be_visible()
    param = page.url.split("deck=", 1)[1]

    page.get_by_role("link", name="Present", exact=True).click()
    wait_for_app(page)
    deck_frame = page.frame_locator("iframe[title$='lumap_deck']")
    deck_frame.locator("body[data-ready='1']").wait_for(state="attached", timeout=120_000)
    page.keyboard.press("ArrowRight")
    deck_frame.locator("body[data-ready='2']").wait_for(state="attached", timeout=120_000)
    slide = deck_frame.frame_locator("iframe[data-slide='2']")
    expect(slide.locator(".lumap-slide-head h1")).to_contain_text("Survey score (your data)")
    legend_title = slide.locator("b").filter(has_text="Survey score (your data)").first
    expect(legend_title).to_have_text("Survey score (your data)")  # the legend's title
    expect(legend_title).to_be_visible()
    slide.frame_locator("iframe[title$='lumap_map']").locator(
        "body[data-rendered] path.leaflet-interactive"
    ).first.wait_for()
    assert slide.get_by_text("uploaded in another browser session").count() == 0
    screenshot(page, "deck-upload-presented")
    ctx.close()

    # another machine: the deck's link alone, in a fresh context
    room = browser.new_context(viewport={"width": 1920, "height": 1080})
    offline(room)
    page = room.new_page()
    page.set_default_timeout(90_000)
    page.goto(f"{app_url}/present?deck={param}&slide=2")
    wait_for_app(page)
    note = page.frame_locator("iframe[title$='lumap_deck']").locator(".missing")
    expect(note).to_contain_text("showed data uploaded in another session")
    expect(note).to_contain_text("cannot reopen here")
    screenshot(page, "deck-upload-elsewhere")
    room.close()
    assert blocked == [], blocked
