"""A deck's slide as a picture: 1920×1080, for the PDF (one page a slide) and the zip of
PNGs (#7). No Streamlit here and no browser.

A slide is composed as one SVG: its title (and the view's own title and period under
it), the view — the map with its legend (:func:`lumap.viz.staticmap.map_block`, the same
block as "Download map"), or the page's charts (vl-convert's SVG of each, scaled to fit),
or a table, or the page's sentences —, the one-line note, the slide's number and the
source/attribution line. resvg (vl-convert's ``svg_to_png``) rasterises it; svg2pdf
(``svg_to_pdf``) writes the PDF page, text kept as text; pypdf joins the pages.
Rendering takes seconds of CPU: the app runs it in a worker (:mod:`lumap.ui.slideshots`).

Sizes are for a room: title 56 px, chart text at least as big as on the live slide
scaled to 1920 wide (≈ 24 px), table text 26 px, note 32 px; the source 19 px.
"""

from __future__ import annotations

import base64
import io
import re
import zipfile
from dataclasses import dataclass, field

from lumap.escape import html
from lumap.viz import staticmap

WIDTH, HEIGHT = staticmap.WIDTH, staticmap.HEIGHT
MARGIN = 60
TITLE_SIZE = 56
TABLE_SIZE = 26
MAX_TABLE_ROWS = 16
MAX_LINES = 9


@dataclass(frozen=True)
class Table:
    """A table as text: column names and rows (cells as shown), ``more`` rows left out."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    more: int = 0


@dataclass(frozen=True)
class Slide:
    """What one slide shows. The view is the first of ``picture`` (a map), ``charts``
    (SVG documents), ``table``; ``lines`` are the page's sentences, shown under the charts
    where there is room or as the view itself when there is nothing else."""

    title: str
    number: int
    count: int
    note: str = ""
    source: str = ""
    subtitle: str = ""
    picture: staticmap.Picture | None = None
    charts: tuple[str, ...] = ()
    table: Table | None = None
    lines: tuple[str, ...] = field(default_factory=tuple)


def _text(x, y, text, size, weight="normal", fill="#222", anchor="start", style="normal") -> str:
    return (
        f'<text x="{x:g}" y="{y:g}" font-size="{size:g}" font-weight="{weight}" fill="{fill}" '
        f'text-anchor="{anchor}" font-style="{style}">{html(text)}</text>'
    )


def _wrap(text: str, size: float, width: float) -> list[str]:
    """``text`` in lines that fit ``width`` pixels at ``size`` (sans-serif: ≈0.53 em a
    character on average; a little room is left for wide letters)."""
    import textwrap

    chars = max(8, int(width / (size * 0.55)))
    return textwrap.wrap(str(text or ""), chars) or [""]


_SIZE = re.compile(r'<svg[^>]*?\swidth="([\d.]+)(?:px)?"[^>]*?\sheight="([\d.]+)(?:px)?"', re.S)


def chart_size(svg: str) -> tuple[float, float]:
    """A chart SVG's own width and height (vl-convert writes both on the root)."""
    m = _SIZE.search(svg)
    return (float(m.group(1)), float(m.group(2))) if m else (800.0, 500.0)


def _image(svg: str, box: tuple[float, float, float, float], scale_max: float = 2.2) -> str:
    """``svg`` as an image fitted into ``box`` (kept in proportion, centred, scaled up at
    most ``scale_max`` times). An image, not inline: the charts' ids cannot clash."""
    x, y, w, h = box
    cw, ch = chart_size(svg)
    k = min(w / cw, h / ch, scale_max)
    iw, ih = cw * k, ch * k
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return (
        f'<image x="{x + (w - iw) / 2:.1f}" y="{y:.1f}" width="{iw:.1f}" height="{ih:.1f}" '
        f'preserveAspectRatio="xMidYMid meet" href="data:image/svg+xml;base64,{data}"/>'
    )


def _charts(charts: tuple[str, ...], box) -> tuple[list[str], float]:
    """The charts side by side (two or three), or one under another when they are wide;
    returns the elements and the height used."""
    x, y, w, h = box
    n = len(charts)
    gap = 40
    if n == 1:
        out = [_image(charts[0], box)]
        cw, ch = chart_size(charts[0])
        return out, min(h, ch * min(w / cw, h / ch, 2.2))
    each = (w - gap * (n - 1)) / n
    out, used = [], 0.0
    for i, c in enumerate(charts):
        cw, ch = chart_size(c)
        out.append(_image(c, (x + i * (each + gap), y, each, h)))
        used = max(used, min(h, ch * min(each / cw, h / ch, 2.2)))
    return out, used


def _table(t: Table, box) -> list[str]:
    """The table as text in columns sized by their longest cell; numbers right-aligned."""
    x, y, w, h = box
    rows = t.rows[: max(1, int((h - 60) // (TABLE_SIZE * 1.6)) - 1)]
    more = t.more + len(t.rows) - len(rows)
    cells = [tuple(t.columns)] + [tuple(r) for r in rows]
    ncol = max(len(r) for r in cells)
    cells = [tuple(r) + ("",) * (ncol - len(r)) for r in cells]
    longest = [max(min(len(str(r[c])), 44) for r in cells) + 2 for c in range(ncol)]
    size = TABLE_SIZE
    if sum(longest) * size * 0.55 > w:
        size = max(18, w / (sum(longest) * 0.55))
    scale = w / max(sum(longest) * size * 0.55, 1)
    widths = [n * size * 0.55 * min(scale, 1.6) for n in longest]
    line = size * 1.6
    out = []
    cy = y + size
    for r, row in enumerate(cells):
        if r % 2 == 1:
            out.append(
                f'<rect x="{x:g}" y="{cy - size * 1.15:.1f}" width="{sum(widths):.1f}" '
                f'height="{line:.1f}" fill="#f1f3f7"/>'
            )
        cx = x
        for c, cell in enumerate(row):
            text = str(cell)
            chars = int(widths[c] / (size * 0.55)) - 1
            if len(text) > chars:
                text = text[: max(1, chars - 1)] + "…"
            out.append(_text(cx, cy, text, size, "bold" if r == 0 else "normal"))
            cx += widths[c]
        if r == 0:
            out.append(
                f'<line x1="{x:g}" x2="{x + sum(widths):.1f}" y1="{cy + size * 0.4:.1f}" '
                f'y2="{cy + size * 0.4:.1f}" stroke="#444" stroke-width="1.5"/>'
            )
        cy += line
    if more:
        out.append(
            _text(
                x,
                cy + 4,
                f"… and {more:,} more rows (the live slide and its CSV have them all)",
                22,
                fill="#555",
            )
        )
    return out


def _lines(lines: tuple[str, ...], box, size: float = 32) -> list[str]:
    x, y, w, h = box
    out, cy = [], y + size
    for sentence in lines[:MAX_LINES]:
        for part in _wrap(sentence, size, w):
            if cy > y + h:
                return out
            out.append(_text(x, cy, part, size, fill="#222"))
            cy += size * 1.3
        cy += size * 0.5
    return out


def svg(s: Slide) -> str:
    """The slide as a self-contained 1920×1080 SVG (no fonts or images fetched)."""
    W, H, M = WIDTH, HEIGHT, MARGIN
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" '
        f'font-family="{staticmap.FONT_STACK}">',
        f'<rect width="{W}" height="{H}" fill="#ffffff"/>',
    ]
    y = 40.0
    for line in _wrap(s.title, TITLE_SIZE, W - 2 * M - 200)[:2]:
        y += TITLE_SIZE * 1.1
        out.append(_text(M, y, line, TITLE_SIZE, "bold", "#111"))
    if s.subtitle:
        y += 42
        out.append(_text(M, y, _wrap(s.subtitle, 28, W - 2 * M)[0], 28, fill="#333"))
    top = y + 30
    # the foot, bottom up: source lines, then the note above them
    source = _wrap(s.source, 19, W - 2 * M - 160)[:3]
    foot = H - 28 - 25 * (len(source) - 1)
    note = _wrap(s.note, 32, W - 2 * M)[:2] if s.note else []
    note_top = foot - 40 - 42 * len(note)
    bottom = note_top - 16
    box = (M, top, W - 2 * M, bottom - top)
    if s.picture is not None:
        out += staticmap.map_block(s.picture, box)
    elif s.charts:
        drawn, used = _charts(s.charts, box)
        out += drawn
        rest = box[3] - used - 30
        if s.lines and rest > 90:
            out += _lines(s.lines, (M, top + used + 20, W - 2 * M, rest), 28)
    elif s.table is not None:
        out += _table(s.table, box)
    elif s.lines:
        out += _lines(s.lines, box)
    ny = note_top + 36
    for line in note:
        out.append(_text(M, ny, line, 32, "normal", "#111", style="italic"))
        ny += 42
    out.append(
        f'<line x1="{M}" x2="{W - M}" y1="{foot - 34}" y2="{foot - 34}" stroke="#cccccc" stroke-width="1.5"/>'
    )
    sy = foot
    for line in source:
        out.append(_text(M, sy, line, 19, "normal", "#444"))
        sy += 25
    out.append(_text(W - M, foot, f"{s.number} / {s.count}", 26, "bold", "#333", anchor="end"))
    out.append("</svg>")
    return "\n".join(out)


def render(s: Slide, fmt: str = "png") -> bytes:
    """The slide as PNG (exactly 1920×1080) or as a one-page PDF (1920×1080 pt, text as text)."""
    import vl_convert

    text = svg(s)
    if fmt == "pdf":
        return vl_convert.svg_to_pdf(text)
    return vl_convert.svg_to_png(text, scale=1)


def join_pdf(pages: list[bytes]) -> bytes:
    """One PDF of the one-page PDFs, in order (pypdf)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in pages:
        writer.append(PdfReader(io.BytesIO(page)))
    writer.add_metadata({"/Title": "lumap deck", "/Creator": "lumap"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zip_pngs(pngs: list[bytes], titles: list[str]) -> bytes:
    """A zip of the PNGs, named ``01-<title>.png`` … in slide order (stored: PNG is compressed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        for i, (png, title) in enumerate(zip(pngs, titles, strict=True), start=1):
            z.writestr(f"{i:02d}-{file_stem(title)}.png", png)
    return out.getvalue()


def file_stem(title: str) -> str:
    """A file-name part from a title: letters, digits and dashes only, at most 50."""
    stem = re.sub(r"[^A-Za-z0-9]+", "-", str(title or "")).strip("-").lower()
    return stem[:50].rstrip("-") or "slide"
