"""The deck as pictures (#7): a PDF with one 1920×1080 page a slide, or a zip of 1920×1080
PNGs. No Streamlit import at module level: the worker runs these.

Each slide is drawn from its own page run headless in slide mode (as the offline deck,
:func:`lumap.ui.offline.run_slide`) and composed by :mod:`lumap.viz.slideimage`: the map
as the same picture as "Download map" (:mod:`lumap.exports`: its classes, colours,
legend, period), the page's charts as vl-convert SVG, its table, or its sentences. One
job per slide in a worker process (seconds of CPU each, never on the script thread);
the server only collects the pages and joins them (the PDF's join is a job too).

Limits: a deck holds up to :data:`lumap.deck.MAX_SLIDES` slides; one slide's job has the
worker's time limit (``LUMAP_WORKER_TIMEOUT``, 60 s) and a slide past it, or one that
fails, becomes a page that says so, so the file always has one page per slide. A slide
of data uploaded in the session (#11) is drawn from the session's rows, sent with the job.
"""

from __future__ import annotations

import html as _html
import re
from collections.abc import Callable
from dataclasses import dataclass

from lumap import config, deck
from lumap.viz import slideimage

FORMATS = {"pdf": "application/pdf", "zip": "application/zip"}
HIDDEN = "lumap-deck-hidden"  # deckui.HIDDEN (deckui imports streamlit; this module must not)


# ---- one slide (runs in a worker) -------------------------------------------------------------


def slide_file(token: str, number: int, count: int, fmt: str, key=None) -> bytes:
    """The slide of ``token`` as a PNG (``fmt`` "png") or a one-page PDF ("pdf"). ``key``:
    the session's own indicators (a :class:`~lumap.data.overlay.Spec`), if the slide has one."""
    return slideimage.render(compose(token, number, count, key), "pdf" if fmt == "pdf" else "png")


def problem_file(title: str, number: int, count: int, message: str, fmt: str) -> bytes:
    """A page for a slide that could not be drawn: its title and why."""
    s = slideimage.Slide(title, number, count, lines=(message,), source=_attribution(None, None))
    return slideimage.render(s, "pdf" if fmt == "pdf" else "png")


def compose(token: str, number: int, count: int, key=None) -> slideimage.Slide:
    """What the slide of ``token`` shows, gathered from its page run in slide mode."""
    from lumap import jobs
    from lumap.ui import cache, offline

    own = tuple(getattr(key, "own", ()) or ())
    slide, at = offline.run_slide(token, own)
    store = jobs.store(key) if key is not None else cache.store()
    params = slide.params()
    meta = store.meta.get(params.get("indicator", ""))
    found = _Found()
    if at.exception:
        found.lines.append(f"This slide could not be drawn: {at.exception[0].message}")
    else:
        found.walk(at._tree.children.get(0), offline.CANVAS[0] - 80)
    picture = None
    if found.map_args is not None:
        picture = _picture(store, slide, at.session_state, found.map_args)
    title = slide.title or found.title or deck.PAGES.get(slide.page, slide.page)
    subtitle = ""
    if picture is not None:  # the map's own title (indicator, period) unless the slide's says it
        head = "" if picture.title == title else picture.title
        subtitle = " · ".join(s for s in (head, *picture.subtitle[:1]) if s)
    elif meta:
        subtitle = str(meta.get("label") or "")
    return slideimage.Slide(
        title=title,
        number=number,
        count=count,
        note=slide.note,
        source=_attribution(store, meta),
        subtitle=subtitle if subtitle != title else "",
        picture=picture,
        charts=tuple(found.charts) if picture is None else (),
        table=found.table if picture is None and not found.charts else None,
        lines=tuple(found.lines),
    )


def _attribution(store, meta) -> str:
    from lumap import exports

    if store is not None and meta:
        return exports.attribution(store, meta)
    year = ((store.build_info.get("built") if store is not None else "") or "")[:4] or "2026"
    return config.ATTRIBUTION.format(year=year) + " Drawn by lumap."


def _picture(store, slide: deck.Slide, session, args: dict):
    """The map the slide's page drew, as the "Download map" picture of the same view."""
    from lumap import exports

    def get(name, default=None):
        try:
            return session[name]
        except KeyError:
            return default

    indicator = get("indicator")
    if not indicator or indicator not in store.meta:
        return None
    if slide.page == "map":
        period = store.resolve_year(indicator, int(get("year")))
        level, scheme = get("level"), get("classes") or "natural"
        return exports.map_picture(store, indicator, period, level, scheme, hexagons=get("view") == "hex")
    if slide.page == "missions" and get("from") is not None and get("to") is not None:
        level = str(args.get("fit") or args["geometry"]["object"]).removesuffix("-hex")
        p_from, p_to = (
            store.resolve_year(indicator, int(get("from"))),
            store.resolve_year(indicator, int(get("to"))),
        )
        return exports.change_picture(store, indicator, p_from, p_to, level, get("kind") or "absolute")
    return None


_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</(p|li|h[1-6]|blockquote)>")


def plain(markdown_text: str) -> str:
    """Markdown (as the pages write it: escapes, bold, lists) as plain text, one line."""
    return " ".join(plain_lines(markdown_text))


def plain_lines(markdown_text: str) -> list[str]:
    """Markdown as plain text, a line per paragraph or list item."""
    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark", {"html": False}).render(str(markdown_text or ""))
    parts = _BLOCK_END.split(rendered)[::2]
    lines = [" ".join(_html.unescape(_TAG.sub(" ", part)).split()) for part in parts]
    return [line for line in lines if line]


class _Found:
    """What a page drew, in order: its title, charts, the map's arguments, a table, sentences."""

    def __init__(self) -> None:
        self.title = ""
        self.charts: list[str] = []
        self.map_args: dict | None = None
        self.table: slideimage.Table | None = None
        self.lines: list[str] = []

    def walk(self, node, width: float) -> None:
        if node is None:
            return
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            kind = getattr(node, "type", "")
            proto = getattr(node, "proto", None)
            if kind == "expandable" and not getattr(getattr(proto, "expandable", None), "expanded", True):
                return
            if str(getattr(proto, "id", "")).endswith(HIDDEN):  # drawn, never shown (deckui.HIDDEN)
                return
            kids = list(children.values())
            columns = [c for c in kids if getattr(c, "type", "") == "column"]
            horizontal = kind == "flex_container" and getattr(proto.flex_container, "direction", 0) == 2
            share = width / max(1, len(kids)) if (columns or horizontal) else width
            for c in kids:
                self.walk(c, share)
            return
        self.element(node, width)

    def element(self, node, width: float) -> None:
        import json

        from lumap.ui import offline

        kind = getattr(node, "type", "")
        proto = getattr(node, "proto", None)
        try:
            if kind == "title" and not self.title:
                self.title = plain(proto.body)
            elif kind == "vega_lite_chart":
                self.charts.append(offline.chart_svg(proto, width))
            elif kind == "component_instance" and proto.component_name.endswith("lumap_map"):
                if self.map_args is None:
                    self.map_args = json.loads(proto.json_args)
            elif kind in ("arrow_data_frame", "dataframe") and self.table is None:
                self.table = frame_table(offline.frame_of(node))
            elif kind == "markdown" and proto.element_type not in (2, 5):  # not captions or dividers
                if proto.allow_html:
                    if "<table" in proto.body and self.table is None:
                        self.table = html_table(proto.body)
                else:
                    self.lines.extend(plain_lines(proto.body))
            elif kind == "alert" and (text := plain(proto.body)):
                self.lines.append(text)
            elif kind == "metric":
                self.lines.append(f"{plain(proto.label)}: {plain(proto.body)}")
        except Exception as exc:  # noqa: BLE001 (one element that cannot be drawn is named, not fatal)
            self.lines.append(f"(a {kind.replace('_', ' ')} could not be drawn: {type(exc).__name__})")


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        if v != v:  # NaN
            return ""
        return f"{v:,.1f}" if abs(v) < 1e6 else f"{v:,.0f}"
    return str(v)


def frame_table(frame, limit: int = 40) -> slideimage.Table:
    """A DataFrame's rows as text (the first ``limit``)."""
    rows = tuple(tuple(_cell(v) for v in row) for row in frame.head(limit).itertuples(index=False))
    return slideimage.Table(tuple(str(c) for c in frame.columns), rows, max(0, len(frame) - limit))


def html_table(fragment: str, limit: int = 40) -> slideimage.Table | None:
    """The first ``<table>`` of an HTML fragment the page wrote (the missions summary) as text."""
    from html.parser import HTMLParser

    class _Cells(HTMLParser):
        """Cells as text, without their small print (``<small>``, class ``lu-small``) or
        pictures (class ``lu-strip``: the glance's tick strip)."""

        def __init__(self) -> None:
            super().__init__()
            self.rows: list[list[str]] = []
            self.cell: list[str] | None = None
            self.skipping: list[str] = []  # open tags whose text is left out

        def handle_starttag(self, tag, attrs):
            classes = dict(attrs).get("class") or ""
            if (
                self.skipping
                or tag in ("style", "script", "small")
                or {"lu-small", "lu-strip"} & set(classes.split())
            ):
                if tag not in ("br", "img"):
                    self.skipping.append(tag)
            elif tag == "tr":
                self.rows.append([])
            elif tag in ("td", "th") and self.rows:
                self.cell = []
            elif tag in ("br", "div", "p") and self.cell:
                self.cell.append(" ")

        def handle_endtag(self, tag):
            if self.skipping:
                if tag == self.skipping[-1]:
                    self.skipping.pop()
                    if not self.skipping and tag in ("td", "th") and self.rows:
                        self.rows[-1].append("")  # a skipped cell keeps its column
            elif tag in ("td", "th") and self.cell is not None and self.rows:
                self.rows[-1].append(" ".join("".join(self.cell).split()))
                self.cell = None

        def handle_data(self, data):
            if self.cell is not None and not self.skipping:
                self.cell.append(data)

    parser = _Cells()
    parser.feed(fragment)
    rows = [r for r in parser.rows if r]
    if not rows:
        return None
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    keep = [c for c in range(width) if any(r[c] for r in rows[1:])]  # columns with something in them
    rows = [[r[c] for c in keep] for r in rows]
    body = rows[1:]
    return slideimage.Table(tuple(rows[0]), tuple(tuple(r) for r in body[:limit]), max(0, len(body) - limit))


# ---- the file (the server's part: it waits on the workers) --------------------------------------


@dataclass(frozen=True)
class Made:
    """A drawn deck file: its bytes, how many pages/pictures, the slides that failed."""

    data: bytes
    fmt: str
    pages: int
    failed: tuple[str, ...]


def deck_file(slides, fmt: str, key=None, progress: Callable[[int, int], None] | None = None) -> Made:
    """All ``slides`` drawn in workers, one job each, as a PDF (``fmt`` "pdf") or a zip of
    PNGs ("zip"). ``key``: the session's uploaded indicators (``cache.job_key`` of an
    overlay), so their slides are drawn as the session sees them; None for the build alone.
    ``progress(done, total)`` is called after each slide."""
    from lumap import workers

    n = len(slides)
    each = "pdf" if fmt == "pdf" else "png"
    files, failed = [], []
    for i, s in enumerate(slides, start=1):
        title = s.title or deck.PAGES.get(s.page, s.page)
        try:
            files.append(workers.run(slide_file, deck.encode_slide(s), i, n, each, key, remember=True))
        except workers.JobError as exc:
            failed.append(f"slide {i} ({title}): {exc}")
            message = f"This slide could not be drawn into the file ({exc}). Present it live from the deck."
            files.append(workers.run(problem_file, title, i, n, message, each))
        if progress:
            progress(i, n)
    if fmt == "pdf":
        data = workers.run(slideimage.join_pdf, files)
    else:
        data = slideimage.zip_pngs(files, [s.title or deck.PAGES.get(s.page, s.page) for s in slides])
    return Made(data, fmt, n, tuple(failed))
