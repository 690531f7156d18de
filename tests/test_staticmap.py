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
    assert "No data (suppressed or not" in words
    assert "Open Government Licence" in words and "Crown copyright" in words
    assert "Data: Office for National Statistics" in words
    assert re.search(r"£\d{3} – £\d{3}", words)  # class ranges in the indicator's units
    # one path per area the live map draws, each in the live map's colour
    from lumap.queries import maps
    from lumap.viz import choropleth

    collection = store.boundaries("ltla")
    live = choropleth.map_layer(
        maps.features_to_draw(store, PAY, period, "ltla"),
        choropleth.feature_index(collection),
        maps.map_table(store, PAY, period, "ltla"),
        store.indicator(PAY),
        "natural",
        "2024",
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
