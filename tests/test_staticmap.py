"""Static maps (PNG/SVG downloads and the offline deck): the same areas and colours as the
live map, with the title, period, legend with units, no-data key and attribution burned in."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import pytest

from lumap import exports, jobs
from lumap.data.store import Store
from lumap.escape import html
from lumap.viz import staticmap

PAY = "gross-median-weekly-pay"


@pytest.fixture(scope="module")
def store(real_store_dir):
    return Store(real_store_dir)


def texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]


def test_the_map_picture_carries_everything_a_reader_needs(store):
    period = store.resolve_year(PAY, 2024)
    pic = exports.map_picture(store, PAY, period, "ltla", "natural")
    svg = staticmap.svg(pic)
    words = "\n".join(texts(svg))
    assert "Gross median weekly pay, 2024" in words
    assert "Local authority districts (lower tier)" in words
    assert "No value for this area (suppressed or" in words  # the live legend's words (viz.legend)
    assert "Open Government Licence" in words and "Crown copyright" in words
    assert "Data: Office for National Statistics" in words
    assert re.search(r"£\d{3}(\.\d+)? – £\d{3}", words)  # class ranges in the indicator's units
    # one path per area the live map draws, each in the live map's colour
    from lumap.queries import maps
    from lumap.viz import choropleth

    collection = store.boundaries("ltla")
    drawn = maps.features_to_draw(store, PAY, period, "ltla")
    live = choropleth.map_layer(  # as the live map's layer (lumap.ui.cache.map_layer)
        drawn,
        choropleth.feature_index(collection),
        maps.map_table(store, PAY, period, "ltla"),
        store.indicator(PAY),
        "natural",
        "2024",
        missing=maps.map_missing(store, PAY, period, "ltla", drawn),
    ).layer
    fills = re.findall(r'<path d="[^"]+" fill="([^"]+)"/>', svg)
    assert len(fills) == len(live["ids"])
    assert fills == [live["palette"][f] for f in live["fill"]]


def test_png_is_a_1920_by_1080_picture(store):
    from PIL import Image

    period = store.resolve_year(PAY, 2024)
    png = jobs.map_image(store.key, PAY, period, "rgn", "quantiles", "png")
    img = Image.open(io.BytesIO(png))
    assert img.size == (1920, 1080)
    # not blank: many colours (the classes) besides white
    assert len(img.convert("RGB").getcolors(1 << 20)) > 20


def test_change_picture(store):
    p0, p1 = store.resolve_year(PAY, 2019), store.resolve_year(PAY, 2024)
    svg = jobs.change_image(store.key, PAY, p0, p1, "utla", "absolute", "svg").decode()
    words = "\n".join(texts(svg))
    assert "Change in gross median weekly pay, 2019 to 2024" in words
    assert "Purple = improved, orange = got worse" in words
    assert "No value in both periods" in words
    assert "Open Government Licence" in words


def test_text_from_data_is_text_in_the_svg():
    pic = staticmap.Picture(
        title="<script>alert(1)</script> & co",
        subtitle=("a </text><image href='x'/>",),
        legend_title="t",
        legend_note="",
        legend=(('#fff" onload="x', "<b>", "#666"),),
        source="s",
        features=(),
    )
    svg = staticmap.svg(pic)
    root = ET.fromstring(svg)  # well-formed
    assert not list(root.iter("{http://www.w3.org/2000/svg}image"))
    assert not list(root.iter("{http://www.w3.org/2000/svg}script"))
    assert html("<script>") in svg


FLOW = "motor-vehicle-flow"  # districts: counties' values stand in for 164, Northern Ireland not published


def _live_legend(at) -> tuple[list[str], list[tuple[str, str]]]:
    """The map page's legend as the reader sees it: its head lines, and (swatch, words) per row."""
    from html import unescape

    body = next(m.value for m in at.markdown if "line-height:1.5" in m.value and "<span style=" in m.value)
    head = body.split("<div><span", 1)[0]
    lines = [unescape(re.sub(r"<[^>]+>", "", x)).strip() for x in re.split(r"</b>|</div>", head)]
    rows = []
    for style, words in re.findall(r"<div><span style='([^']*)'></span>(.*?)</div>", body):
        hatch = re.search(r"repeating-linear-gradient\(45deg,(#[0-9a-fA-F]+)", style)
        fill = f"hatch:{hatch.group(1)}" if hatch else re.search(r"background:([^;]+);", style).group(1)
        rows.append((fill, unescape(re.sub(r"<[^>]+>", "", words))))
    return [x for x in lines if x], rows


@pytest.mark.parametrize("slug, level", [(FLOW, "ltla"), (PAY, "rgn")])
def test_the_picture_says_what_the_live_legend_says(app_env, store, slug, level):
    """One legend rule (lumap.viz.legend): the PNG/SVG's keys, words, swatches (hatched for
    a county's value) and head lines are the live map's, row for row."""
    from streamlit.testing.v1 import AppTest

    year = int(store.meta[slug]["periods"][-1]["period"][:4])  # the latest; the page's year
    period = store.resolve_year(slug, year)
    at = AppTest.from_file("../app.py", default_timeout=90)
    at.query_params.update({"indicator": slug, "level": level, "year": str(year)})
    at.switch_page("pages/map.py").run()
    assert not at.exception
    head, rows = _live_legend(at)
    pic = exports.map_picture(store, slug, period, level, "natural")
    assert [(colour, text) for colour, text, _ in pic.legend] == rows
    assert head == [x for x in (pic.legend_title, pic.legend_note, pic.direction) if x]
    svg = staticmap.svg(pic)
    if slug == FLOW:
        assert any(f.startswith("hatch:") for f, _ in rows)
        assert "Not published for Northern Ireland" in [t for _, t in rows]
        assert 'fill="url(#hatch-' in svg and "<pattern" in svg  # hatched areas and swatch
    ET.fromstring(svg)  # well-formed


def test_the_hexagon_view_is_drawn_as_hexagons(store):
    """The map page's hexagon view: the level's hexagon layout, one equal cell per area, in
    the same colours and with the same legend as the boundaries' picture."""
    period = store.resolve_year(PAY, 2024)
    plain = exports.map_picture(store, PAY, period, "ltla", "natural")
    hexes = exports.map_picture(store, PAY, period, "ltla", "natural", hexagons=True)
    assert hexes.legend == plain.legend and hexes.projection == "mercator"
    assert "hexagon map" in hexes.subtitle[0]
    shapes = [f for f in hexes.features if f["geometry"]]
    assert len(shapes) == len(plain.features)
    assert all(len(f["geometry"]["coordinates"][0]) == 7 for f in shapes)  # six corners, closed
    assert [f["properties"]["fill"] for f in hexes.features] == [
        f["properties"]["fill"] for f in plain.features
    ]
    svg = jobs.hex_map_image(store.key, PAY, period, "ltla", "natural", "svg").decode()
    assert len(re.findall(r"<path d=", svg)) == len(shapes)
