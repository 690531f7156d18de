"""The offline deck: one self-contained HTML file of the deck's slides (no server, no
network: it opens from a USB stick), stepping with the same keys as /present.

Each slide is drawn by running its own page, in slide mode, headless (Streamlit's AppTest,
in a worker process: seconds of CPU each) and writing what it drew as static HTML:
headings, text, notes, legends and tables as HTML; each chart's Vega-Lite spec with its
data rendered to SVG by vl-convert; the map as an SVG of the same areas in the same
colours (:mod:`lumap.viz.staticmap`). So an offline slide shows what the live slide
shows, and follows every page's changes without code here. Widgets, buttons and links
to the app are left out. Pictures are ``<img>`` of data: URLs (an SVG in an ``img`` runs
no script and its ids cannot clash with another's).

Text reaches the file as the page wrote it: Markdown rendered by markdown-it with raw
HTML refused, except where the page itself passed HTML it had escaped (legends, the slide's
head and foot: ``allow_html``); table cells escaped by pandas.
"""

from __future__ import annotations

import base64
import html as _html
import json
import time
from pathlib import Path

from lumap import config, deck
from lumap.escape import html

APP = config.ROOT / "app.py"
CANVAS = (1280, 720)  # a slide's box in CSS pixels, scaled to the screen
FRONTEND = Path(__file__).parent / "deckfrontend"
TIME_LIMIT = 50  # seconds for one slide's page run (the worker's limit is 60)


# ---- one slide (runs in a worker) -------------------------------------------------------------


def run_slide(token: str, own: tuple = ()):
    """The slide of ``token`` and its page run headless in slide mode (an ``AppTest``);
    ``own``: the session's uploaded indicators (#11) the page is to see, as that session does."""
    from streamlit.testing.v1 import AppTest

    from lumap.ui import deckui

    slide = deck.decode_slide(token)
    at = AppTest.from_file(str(APP), default_timeout=TIME_LIMIT)
    at.switch_page(deckui.PAGE_FILES[slide.page])
    for k, v in {**slide.params(), deckui.TOKEN_PARAM: token}.items():
        at.query_params[k] = v
    if own:
        from lumap.ui import owndata

        at.session_state[owndata.HELD_KEY] = {o.indicator: o for o in own}
    at.run()
    return slide, at


def slide_html(token: str, key=None) -> str:
    """The slide of ``token`` as an HTML fragment: its page run headless in slide mode.
    ``key``: the session's uploaded indicators (a ``Spec``), for a slide of its own data."""
    slide, at = run_slide(token, tuple(getattr(key, "own", ()) or ()))
    if at.exception:
        return f"<p class='missing'>This slide could not be drawn: {html(at.exception[0].message)}</p>"
    main = at._tree.children.get(0)
    return _Writer(titled=bool(slide.title)).block(main, CANVAS[0] - 80)


class _Writer:
    """AppTest's element tree -> static HTML."""

    def __init__(self, titled: bool = False) -> None:
        from markdown_it import MarkdownIt

        self.titled = titled
        self.md_text = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
        self.md_html = MarkdownIt("commonmark", {"html": True, "linkify": False}).enable("table")

    def block(self, node, width: float) -> str:
        children = list(node.children.values())
        kind = getattr(node, "type", "")
        proto = getattr(node, "proto", None)
        if kind == "expandable" and not getattr(getattr(proto, "expandable", None), "expanded", True):
            return ""
        if str(getattr(proto, "id", "")).endswith("lumap-deck-hidden"):  # deckui.HIDDEN: never shown
            return ""
        columns = [c for c in children if getattr(c, "type", "") == "column"]
        horizontal = (
            kind == "flex_container" and getattr(proto.flex_container, "direction", 0) == 2
        )  # HORIZONTAL
        if columns or horizontal:
            weights = [float(getattr(c.proto, "weight", 0) or 1) if c in columns else 1.0 for c in children]
            total = sum(weights) or 1.0
            parts = [
                f"<div class='col' style='flex:{w:.3f} 1 0'>{self.node(c, width * w / total - 16)}</div>"
                for c, w in zip(children, weights, strict=True)
            ]
            return f"<div class='row'>{''.join(parts)}</div>"
        return "".join(self.node(c, width) for c in children)

    def node(self, node, width: float) -> str:
        if isinstance(getattr(node, "children", None), dict):
            return self.block(node, width)
        kind = getattr(node, "type", "")
        proto = getattr(node, "proto", None)
        try:
            if kind in ("title", "header", "subheader", "heading"):
                tag = proto.tag or "h2"
                if tag == "h1" and self.titled:  # a slide with its own title hides the page's
                    self.titled = False
                    return ""
                return f"<{tag}>{self.inline(proto.body)}</{tag}>"
            if kind in ("markdown", "caption", "divider"):
                return self.markdown(proto)
            if kind == "alert":
                return f"<div class='callout'>{self.md_text.render(proto.body)}</div>"
            if kind == "metric":
                return (
                    f"<div class='metric'><div class='label'>{self.inline(proto.label)}</div>"
                    f"<div class='value'>{self.inline(proto.body)}</div></div>"
                )
            if kind == "vega_lite_chart":
                return _img(chart_svg(proto, width), "chart")
            if kind in ("arrow_data_frame", "dataframe"):
                return table_html(frame_of(node))
            if kind == "component_instance" and proto.component_name.endswith("lumap_map"):
                return _img(map_svg(json.loads(proto.json_args), width), "map")
        except Exception as exc:  # noqa: BLE001 (one element that cannot be drawn is named, not fatal)
            return f"<p class='missing'>(not drawn offline: {html(type(exc).__name__)})</p>"
        return ""  # widgets, buttons, links into the app, styles

    def inline(self, text: str) -> str:
        return self.md_text.renderInline(str(text or ""))

    def markdown(self, proto) -> str:
        body = proto.body
        if proto.element_type == 5:  # DIVIDER
            return "<hr>"
        out = (self.md_html if proto.allow_html else self.md_text).render(body)
        return f"<div class='caption'>{out}</div>" if proto.element_type == 2 else out  # CAPTION


def _img(svg: str, cls: str) -> str:
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f"<img class='{cls}' alt='' src='data:image/svg+xml;base64,{data}'>"


def _records(arrow_bytes: bytes) -> list[dict]:
    import pyarrow as pa

    frame = pa.ipc.open_stream(arrow_bytes).read_all().to_pandas()
    return json.loads(frame.to_json(orient="records", date_format="iso"))


def chart_svg(proto, width: float) -> str:
    """A chart element's Vega-Lite spec with its data put back, as SVG."""
    import vl_convert

    spec = json.loads(proto.spec)
    datasets = {d.name: _records(d.data.data) for d in proto.datasets if d.data.data}
    if datasets:
        spec["datasets"] = {**spec.get("datasets", {}), **datasets}
    if proto.data.data:
        spec["data"] = {"values": _records(proto.data.data)}
    if not any(k in spec for k in ("hconcat", "vconcat", "concat", "facet", "repeat")):
        if spec.get("width") in (None, "container"):
            spec["width"] = int(max(200, width - 60))
    spec.setdefault("background", "white")
    spec["config"] = {"font": "sans-serif", **(spec.get("config") or {})}
    return vl_convert.vegalite_to_svg(json.dumps(spec))


def map_svg(args: dict, width: float) -> str:
    """The map component's view (the level's areas, a palette index each) as an SVG."""
    from lumap.data import levels as lv
    from lumap.ui import cache
    from lumap.viz import staticmap

    store = cache.store()
    level = str(args["geometry"]["object"])
    collection = store.boundaries(lv.LEVELS.get(level, {}).get("topo", level))
    height = float(args.get("height") or 430)
    return staticmap.shapes_svg(collection, args, (max(300.0, width), height))


def frame_of(node):
    """A table element's rows as a DataFrame (AppTest's ``value``: it reads the element's
    Arrow data, whichever proto field this Streamlit keeps it in)."""
    return node.value


def table_html(frame) -> str:
    return frame.head(60).to_html(index=False, escape=True, border=0, classes="table", na_rep="")


# ---- the file (the server's part: cheap) -------------------------------------------------------


def deck_file(slides, key=None) -> bytes:
    """The offline deck of ``slides`` (each drawn in a worker, one job per slide); ``key``:
    the session's uploaded indicators (``cache.job_key`` of its overlay), or None."""
    from lumap import workers

    parts = []
    for s in slides:
        try:
            body = workers.run(slide_html, deck.encode_slide(s), key, remember=True)
        except workers.JobError as exc:
            body = f"<p class='missing'>This slide could not be drawn offline ({html(str(exc))}).</p>"
        parts.append(body)
    return assemble(slides, parts).encode("utf-8")


def assemble(slides, bodies: list[str]) -> str:
    """The whole file: the slides' HTML, the styles and the stepping script inlined."""
    css = (FRONTEND / "offline.css").read_text(encoding="utf-8")
    js = (FRONTEND / "offline.js").read_text(encoding="utf-8")
    sections = []
    for i, (s, body) in enumerate(zip(slides, bodies, strict=True), start=1):
        label = html(s.title or deck.PAGES.get(s.page, s.page))
        sections.append(
            f"<section class='slide' id='slide-{i}' data-slide='{i}' aria-label='Slide {i}: {label}'>"
            f"<div class='canvas'>{body}</div></section>"
        )
    made = time.strftime("%d %B %Y")
    title = html(slides[0].title if slides and slides[0].title else "lumap deck")
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; img-src data:; "
        f"style-src 'unsafe-inline'; script-src 'unsafe-inline'\">"
        f"<title>{title}</title><style>{css}</style></head><body>"
        f"<main id='deck' data-count='{len(slides)}'>{''.join(sections)}</main>"
        "<nav id='bar' aria-label='Slides'><button id='prev' type='button'>‹ Previous</button>"
        "<span id='count' aria-live='polite'></span><button id='next' type='button'>Next ›</button>"
        f"<span class='made'>lumap deck, saved {_html.escape(made)} · ← → space PgUp PgDn</span></nav>"
        f"<script>{js}</script></body></html>"
    )
