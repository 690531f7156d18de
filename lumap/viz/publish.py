"""Charts made ready to publish as they are: a title, the period, and the source and licence
burned into the chart itself (#8.11), so a PNG taken from lumap can be printed without
anything added around it.

Everything is in the Vega-Lite spec: the chart goes in a ``vconcat`` under a title whose
subtitle lines name the period (and what else the chart says it shows), with a footer of
text marks below: the data's producers, the OGL attribution the licence requires, and
lumap. Nothing is drawn onto pixels afterwards, so the words are tested on the spec. No
Streamlit here; the PNG itself is rendered by :mod:`lumap.ui.downloads` (off the script thread).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import altair as alt

from lumap import config
from lumap.data.metadata import source_links

WIDTH = 900  # pixels of the chart's plot (the PNG is rendered at twice this density)
FOOTER_CHARS = 150  # characters per footer line at 10 px
TOP_LEVEL = ("$schema", "config", "datasets", "autosize", "background", "padding", "usermeta", "params")


@dataclass(frozen=True)
class Credits:
    """What a published chart says about itself."""

    title: str
    period: str  # "2025 · Local authority districts (lower tier)", "2008 to 2025"
    producers: tuple[str, ...] = ()  # the data's producers (the dataset's sourceOrg)
    year: str | None = None  # the year of the Crown-copyright line (the build's year)

    def footer(self) -> list[str]:
        """The footer's lines: producers, the licence's attribution, lumap."""
        who = "; ".join(dict.fromkeys(p for p in self.producers if p))
        attribution = config.ATTRIBUTION.format(year=self.year or "2026")
        text = (f"Data: {who}. " if who else "") + attribution + " Chart: lumap."
        return textwrap.wrap(text, FOOTER_CHARS)


def credits_for(meta: dict | list[dict], title: str, period: str, year: str | None = None) -> Credits:
    """Credits for a chart of one indicator (``meta``) or of several (a list: the heat map)."""
    metas = meta if isinstance(meta, list) else [meta]
    producers = tuple(org for m in metas for org, _url in source_links(m))
    return Credits(title, period, producers, year)


def _spec(chart) -> dict:
    if isinstance(chart, dict):
        return dict(chart)
    with alt.data_transformers.disable_max_rows():  # context lines: thousands of points
        return chart.to_dict()


def publishable(chart, credits: Credits, width: int = WIDTH) -> dict:
    """The Vega-Lite spec of ``chart`` (an Altair chart or a spec dict) with ``credits``
    burned in: title, subtitle lines (the period first, then the chart's own subtitle), the
    chart at ``width`` pixels, the footer. White background, fixed size (no "container"
    widths: a PNG has no page to fit)."""
    spec = _spec(chart)
    top = {k: spec.pop(k) for k in TOP_LEVEL if k in spec}
    own = spec.pop("title", None)
    subtitle = [credits.period]
    if isinstance(own, dict):
        sub = own.get("subtitle")
        # the chart's own subtitle lines after the period, which they do not repeat
        for line in [sub] if isinstance(sub, str) else list(sub or []):
            line = str(line)
            if line.startswith(credits.period):
                line = line[len(credits.period) :].lstrip(" ·")
            if line:
                subtitle.append(line)
    _fix_width(spec, width)
    lines = credits.footer()
    footer = {
        "data": {"values": [{"line": text, "i": i} for i, text in enumerate(lines)]},
        "mark": {"type": "text", "align": "left", "baseline": "top", "fontSize": 10, "color": "#444444"},
        "encoding": {
            "text": {"field": "line", "type": "nominal"},
            "y": {"field": "i", "type": "ordinal", "axis": None},
            "x": {"value": 0},
        },
        "width": width,
        "height": 14 * len(lines),
        "view": {"stroke": None},  # plain text, no frame
    }
    config_ = dict(top.get("config") or {})
    config_.setdefault("font", "sans-serif")
    out = {
        "$schema": top.get("$schema", "https://vega.github.io/schema/vega-lite/v5.json"),
        "title": {
            "text": credits.title,
            "subtitle": [s for s in subtitle if s],
            "anchor": "start",
            "fontSize": 16,
            "subtitleFontSize": 12,
            "subtitleColor": "#333333",
        },
        "vconcat": [spec, footer],
        "spacing": 14,
        "background": "white",
        "padding": 16,
        "config": config_,
    }
    if "datasets" in top:
        out["datasets"] = top["datasets"]
    if "params" in top:
        out["params"] = top["params"]
    return out


def _fix_width(spec: dict, width: int) -> None:
    """A single view gets ``width``; a concat keeps its own widths (the glance, heat map)."""
    if any(k in spec for k in ("hconcat", "vconcat", "concat", "facet", "repeat")):
        return
    spec["width"] = width


def footer_lines(spec: dict) -> list[str]:
    """The footer's text in a published spec (for tests and checks)."""
    return [v["line"] for v in spec["vconcat"][-1]["data"]["values"]]


def chart_png(chart, credits: Credits, width: int = WIDTH) -> bytes:
    """``chart`` (an Altair chart or a spec dict) published (:func:`publishable`) as PNG.
    Seconds of CPU holding the interpreter lock: called in a worker process
    (:func:`lumap.ui.downloads.png_button`), never on a server thread."""
    from lumap.viz import charts

    return charts.spec_to_png(publishable(chart, credits, width))


def trend_png(credits: Credits, *args, **kwargs) -> bytes:
    """``charts.trend_chart(*args, **kwargs)`` published as PNG, its context lines drawn as
    one path (built in the worker too: thousands of points)."""
    from lumap.viz import charts

    return chart_png(charts.trend_chart(*args, **kwargs, static=True), credits)
