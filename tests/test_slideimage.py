"""A deck's slides as pictures (#7): each slide exactly 1920×1080, a PDF page per slide with
its title, note, number and attribution as text, a zip of PNGs in slide order."""

from __future__ import annotations

import io
import struct
import xml.etree.ElementTree as ET
import zipfile

import pytest
from pypdf import PdfReader

from lumap.viz import slideimage, staticmap

SOURCE = "Source: Office for National Statistics licensed under the Open Government Licence v.3.0."
CHART = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200" viewBox="0 0 400 200">'
    '<rect width="400" height="200" fill="#36c"/><text x="10" y="100" font-size="20">inside</text></svg>'
)


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", png[16:24])


def texts(svg: str) -> list[str]:
    return [t.text or "" for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]


def picture() -> staticmap.Picture:
    square = {"type": "Polygon", "coordinates": [[[-2, 53], [-1, 53], [-1, 54], [-2, 54], [-2, 53]]]}
    feature = {"type": "Feature", "geometry": square, "properties": {"fill": "#440154"}}
    return staticmap.Picture(
        "Pay, 2024",
        ("Regions",),
        "Gross median weekly pay",
        "",
        (("#440154", "£700 – £800", "#6e6e6e"), ("#bdbdbd", "No data", "#6e6e6e")),
        SOURCE,
        (feature,),
    )


SLIDES = [
    slideimage.Slide("Where pay is highest", 1, 3, note="Look at London", source=SOURCE, picture=picture()),
    slideimage.Slide(
        "A chart & <b>its</b> words", 2, 3, source=SOURCE, charts=(CHART, CHART), lines=("One line.",)
    ),
    slideimage.Slide(
        "A table",
        3,
        3,
        source=SOURCE,
        table=slideimage.Table(("Area", "Value"), tuple((f"Area {i}", f"£{i}") for i in range(30)), 5),
    ),
]


@pytest.mark.parametrize("s", SLIDES, ids=["map", "charts", "table"])
def test_every_slide_is_exactly_1920_by_1080_with_its_words(s):
    svg = slideimage.svg(s)
    words = "\n".join(texts(svg))
    assert s.title in words  # escaped in the SVG, read back as the text it was
    assert f"{s.number} / {s.count}" in words
    assert "Open Government Licence" in words
    if s.note:
        assert s.note in words
    assert png_size(slideimage.render(s, "png")) == (1920, 1080)


def test_the_map_slide_carries_the_legend_and_the_chart_slide_its_charts():
    words = texts(slideimage.svg(SLIDES[0]))
    assert "£700 – £800" in words and "No data" in words and "Gross median weekly pay" in words
    charts = slideimage.svg(SLIDES[1])
    assert charts.count("data:image/svg+xml;base64,") == 2  # both charts, as images (no id clashes)
    assert "One line." in texts(charts)


def test_a_long_table_says_how_many_rows_are_left_out():
    words = "\n".join(texts(slideimage.svg(SLIDES[2])))
    assert "Area 0" in words and "Area 29" not in words
    assert "more rows" in words


def test_the_pdf_has_a_1920_by_1080_page_per_slide_with_its_text():
    pdf = slideimage.join_pdf([slideimage.render(s, "pdf") for s in SLIDES])
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == len(SLIDES)
    for page, s in zip(reader.pages, SLIDES, strict=True):
        assert (float(page.mediabox.width), float(page.mediabox.height)) == (1920, 1080)
        text = " ".join(page.extract_text().split())
        assert f"{s.number} / {s.count}" in text
        assert "Open Government Licence" in text
    first = " ".join(reader.pages[0].extract_text().split())
    assert "Where pay is highest" in first and "Look at London" in first and "£700 – £800" in first


def test_the_zip_holds_one_png_a_slide_in_order():
    pngs = [slideimage.render(s, "png") for s in SLIDES]
    data = slideimage.zip_pngs(pngs, [s.title for s in SLIDES])
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        assert names == ["01-where-pay-is-highest.png", "02-a-chart-b-its-b-words.png", "03-a-table.png"]
        assert all(png_size(z.read(n)) == (1920, 1080) for n in names)


def test_file_names_from_titles_are_safe():
    assert slideimage.file_stem("../../etc/passwd") == "etc-passwd"
    assert slideimage.file_stem("") == "slide"
    assert len(slideimage.file_stem("x" * 200)) == 50
