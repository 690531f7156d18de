"""The deck as a PDF or a zip of PNGs (#7) on the real store: each slide drawn from its own
page run in slide mode, in a worker; one 1920×1080 page or picture per slide."""

from __future__ import annotations

import io
import zipfile

import pytest
from pypdf import PdfReader

from lumap import deck
from lumap.data.store import Store
from lumap.ui import slideshots

from .test_slideimage import png_size

PAY = "gross-median-weekly-pay"
MAP = deck.make_slide("map", f"indicator={PAY}&year=2024&level=rgn", "Pay by region", "Where pay is highest")
TRENDS = deck.make_slide("trends", f"indicator={PAY}&level=ltla&areas=E06000009", "Pay over time")


@pytest.fixture(autouse=True)
def _store(app_env):
    return app_env


def test_a_map_slide_is_the_map_picture_of_the_same_view(real_store_dir):
    from lumap import exports

    got = slideshots.compose(deck.encode_slide(MAP), 1, 2)
    store = Store(real_store_dir)
    same = exports.map_picture(store, PAY, store.resolve_year(PAY, 2024), "rgn", "natural")
    assert got.picture == same  # classes, colours, legend and areas of "Download map"
    assert got.title == "Pay by region" and got.note == "Where pay is highest"
    assert "Gross median weekly pay, 2024" in got.subtitle
    assert "Open Government Licence" in got.source and "Data: Office for National Statistics" in got.source


def test_a_chart_slide_carries_the_pages_chart():
    got = slideshots.compose(deck.encode_slide(TRENDS), 2, 2)
    assert got.picture is None and len(got.charts) == 1
    assert "Blackpool" in got.charts[0]  # the chart's legend, drawn from its own data


def test_the_missions_summary_is_a_readable_table():
    s = deck.make_slide("missions", "mission=1&level=ltla", "Mission 1", "", "summary")
    got = slideshots.compose(deck.encode_slide(s), 1, 1)
    assert got.table is not None
    assert got.table.columns[0] == "Indicator"
    assert "Gross median weekly pay" in [r[0] for r in got.table.rows]
    assert all("<" not in c for r in got.table.rows for c in r)


def test_a_hidden_part_is_left_out_and_a_dataframe_becomes_the_table():
    s = deck.make_slide("area", "area=E06000009", "Blackpool gap", "", "gap")
    got = slideshots.compose(deck.encode_slide(s), 1, 1)
    assert not got.charts  # the indicator card is drawn hidden on this slide
    assert got.table is not None and "Verdict" in got.table.columns


def test_html_tables_lose_small_print_and_pictures_keep_columns():
    t = slideshots.html_table(
        "<style>td{}</style><table><tr><th>A</th><th>Strip</th><th>B</th></tr>"
        "<tr><td><b>x</b><span class='lu-small'>fine print</span></td><td class='lu-strip'><svg></svg></td>"
        "<td>1 → 2</td></tr></table>"
    )
    assert t.columns == ("A", "B") and t.rows == (("x", "1 → 2"),)


def test_markdown_becomes_plain_lines():
    assert slideshots.plain_lines("**Pay** \\(£\\)\n\n- one\n- two") == ["Pay (£)", "one", "two"]


def test_the_deck_as_a_pdf_has_a_page_per_slide_and_as_a_zip_a_png_per_slide(real_store_dir):
    key = Store(real_store_dir).key
    seen = []
    made = slideshots.deck_file([MAP, TRENDS], "pdf", key, lambda done, total: seen.append((done, total)))
    assert seen == [(1, 2), (2, 2)] and not made.failed
    reader = PdfReader(io.BytesIO(made.data))
    assert made.pages == len(reader.pages) == 2
    assert all((float(p.mediabox.width), float(p.mediabox.height)) == (1920, 1080) for p in reader.pages)
    first = " ".join(reader.pages[0].extract_text().split())
    assert "Pay by region" in first and "Where pay is highest" in first and "1 / 2" in first
    assert "Open Government Licence" in first
    assert "Pay over time" in reader.pages[1].extract_text()

    made = slideshots.deck_file([MAP, TRENDS], "zip", key)
    with zipfile.ZipFile(io.BytesIO(made.data)) as z:
        assert z.namelist() == ["01-pay-by-region.png", "02-pay-over-time.png"]
        assert all(png_size(z.read(n)) == (1920, 1080) for n in z.namelist())


def test_a_slide_that_fails_is_a_page_that_says_so(monkeypatch, real_store_dir):
    from lumap import workers

    real = workers.run

    def failing(fn, *args, **kwargs):
        if fn is slideshots.slide_file and args[1] == 2:
            raise workers.JobTimeout("the job took longer than 60 s and was stopped")
        return real(fn, *args, **kwargs)

    monkeypatch.setattr(workers, "run", failing)
    made = slideshots.deck_file([MAP, TRENDS], "pdf", Store(real_store_dir).key)
    reader = PdfReader(io.BytesIO(made.data))
    assert len(reader.pages) == 2  # always one page a slide
    assert made.failed == ("slide 2 (Pay over time): the job took longer than 60 s and was stopped",)
    assert "could not be drawn" in reader.pages[1].extract_text()
