"""In a real browser: text from the URL and from data is shown as text. No link, image,
maths, colour, icon or markup that the payload asked for is rendered, the reader sees the
payload's exact characters, and no request leaves the machine."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from lumap.escape import JOINER
from tests import payloads as p

from .conftest import no_exceptions, screenshot, wait_for_app
from .servers import block_outside, streamlit_server

#: What a payload may ask Streamlit to draw; none of it may appear inside a probe container.
FORBIDDEN = (
    "a[href]:not([href^='#']), img, .katex, .stMarkdownColoredText, .stMarkdownColoredBackground,"
    " span[role='img'], streamlit-help-icon, strong, em, del, code, pre, h1, h2, h4, h5, h6, li, blockquote,"
    " table, hr, script, [style*='font-size']"
)
FINDINGS_JS = """(selector) => {
  const out = {};
  for (const box of document.querySelectorAll('[class*="st-key-probe-"]')) {
    const key = [...box.classList].find(c => c.startsWith('st-key-probe-')).slice(13);
    const bad = [...box.querySelectorAll(selector)]
      .filter(e => !e.closest('[data-testid="stExpanderToggleIcon"], [data-testid="stTooltipIcon"]'))
      .map(e => e.outerHTML.slice(0, 120));
    const first = box.querySelector('[data-testid="stMarkdownContainer"]');
    out[key] = {bad, text: first ? first.innerText : null,
                block: (box.querySelector('.probe-block') || {}).textContent,
                inline: (box.querySelector('.probe-inline') || {}).textContent};
  }
  return out;
}"""


@pytest.fixture(scope="module")
def probe_url():
    with streamlit_server("tests/e2e/escape_probe.py", name="escape-probe") as (url, _):
        yield url


def test_every_payload_renders_as_its_own_text_in_every_markdown_place(page, probe_url):
    outside = block_outside(page, probe_url)
    page.set_viewport_size({"width": 1200, "height": 1000})
    page.goto(probe_url)
    wait_for_app(page)
    page.locator(".st-key-probe-template [data-testid='stTabs']").wait_for()
    # HTML in Markdown waits for Streamlit's lazily loaded rehype-raw plugin (a skeleton till then)
    page.wait_for_function(
        "(n) => document.querySelectorAll('.probe-inline').length === n", arg=len(p.PROBE_PAYLOADS)
    )
    found = page.evaluate(FINDINGS_JS, FORBIDDEN)
    assert set(found) == set(p.PROBE_PAYLOADS)
    for key, payload in p.PROBE_PAYLOADS.items():
        got = found[key]
        assert not got["bad"], (key, got["bad"])
        # the same characters (white space aside: Markdown folds indentation and line breaks)
        flat = " ".join(payload.split())
        for where in ("text", "block", "inline"):
            assert " ".join(got[where].replace(JOINER, "").split()) == flat, (key, where, got[where])
    assert outside == []
    no_exceptions(page)
    screenshot(page, "escape-probe")


@pytest.mark.parametrize("payload", [p.LINK, p.IMAGE], ids=["link", "image"])
def test_url_payload_in_a_notice_is_text_and_fetches_nothing(offline_page, app_url, payload):
    page = offline_page
    page.goto(f"{app_url}/?indicator={quote(payload)}")
    wait_for_app(page)
    notice = page.get_by_test_id("stAlertContentWarning").first
    notice.wait_for()
    assert payload in notice.inner_text().replace(JOINER, "")
    assert page.locator("a[href*='example.invalid'], img[src*='example.invalid']").count() == 0
    assert notice.locator("a, img").count() == 0
    assert page.external == []
    no_exceptions(page)
    screenshot(page, f"notice-{'image' if payload.startswith('!') else 'link'}")


PAYLOAD_VIEWS = [
    "/?indicator=weekly-pay&level=ltla&area=E06000001",
    "/area?area=E06000001&indicator=weekly-pay",
    "/compare?indicator=weekly-pay&areas=E06000001,E06000063,E06000010,S12000033",
    "/trends?indicator=weekly-pay&areas=E06000001,E06000063,E06000010",
]


def test_hostile_names_labels_and_notes_render_as_text(page, payload_store_dir):
    env = {"LUMAP_DATA_DIR": str(payload_store_dir)}
    with streamlit_server(env=env, name="payload-store") as (url, _):
        outside = block_outside(page, url)
        page.set_viewport_size({"width": 1400, "height": 1000})
        page.set_default_timeout(30_000)
        page.goto(url + "/")
        wait_for_app(page)
        for path in PAYLOAD_VIEWS:
            page.goto(url + path)
            wait_for_app(page)
            no_exceptions(page)
            main = page.get_by_test_id("stMain")
            assert main.locator("a[href*='example.invalid'], a[href^='javascript']").count() == 0, path
            assert page.locator("img[src*='example.invalid'], .katex, .stMarkdownColoredText").count() == 0
            assert "official data" in main.inner_text() or "Cumberland ![x]" in main.inner_text(), path
            if "level=ltla" in path:
                frame = page.frame_locator('iframe[title$="lumap_map"]')
                frame.locator("path.leaflet-interactive").first.wait_for()
                screenshot(page, "payload-map")
        assert outside == []
