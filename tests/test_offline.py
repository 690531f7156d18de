"""The offline deck (lumap.ui.offline): one self-contained file, each slide drawn from its
own page run headless in slide mode; nothing in it fetches anything."""

from __future__ import annotations

import base64
import re
from html import unescape

import pytest

from lumap import deck
from lumap.ui import offline

PAY = "gross-median-weekly-pay"


@pytest.fixture(autouse=True)
def _store(app_env):
    return app_env


def _pictures(fragment: str) -> list[str]:
    return [
        base64.b64decode(m).decode()
        for m in re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", fragment)
    ]


def test_a_map_slide_is_its_page_with_the_map_as_a_picture():
    s = deck.make_slide("map", f"indicator={PAY}&year=2024&level=rgn", "Pay <b>by</b> region", "Note & more")
    body = offline.slide_html(deck.encode_slide(s))
    assert "<b>by" not in body and "Pay <b>by</b> region" in unescape(body)  # the title is text
    assert "Note & more" in unescape(body)
    assert re.search(r"£\d+ – £\d+", unescape(body))  # the page's legend, in the indicator's units
    assert "£" in body and "Open Government Licence" in body
    (svg,) = _pictures(body)
    assert svg.count("<path") >= 12  # the regions and nations
    assert "<button" not in body and "<input" not in body  # widgets are left out


def test_a_chart_slide_carries_its_chart_with_data():
    s = deck.make_slide("trends", f"indicator={PAY}&level=rgn&areas=E12000002", "Pay over time")
    body = offline.slide_html(deck.encode_slide(s))
    pictures = _pictures(body)
    assert len(pictures) == 1
    assert "North West" in pictures[0]  # the legend, drawn from the chart's own data


def test_the_file_is_self_contained_and_escapes_titles():
    slides = [deck.make_slide("map", "", "<script>alert(1)</script>"), deck.make_slide("trends", "", "Two")]
    page = offline.assemble(slides, ["<p>one</p>", "<p>two</p>"])
    assert "<script>alert(1)" not in page
    assert page.count("<section class='slide'") == 2
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    # nothing is loaded from anywhere: no src/href to a server, no stylesheet links, no imports
    assert not re.search(r"""(src|href)\s*=\s*['"]?(https?:)?//""", page)
    assert "<link" not in page and "@import" not in page
    assert "ArrowRight" in page  # the stepping script is inlined
