"""A map as a picture (PNG or SVG) with everything a reader needs burned in: the title, the
period and geography, a legend with units, the "no data" key and the attribution. No
Streamlit here and no browser: an SVG written here (boundaries projected to the British
National Grid by pyproj), rasterised to PNG by resvg (vl-convert's ``svg_to_png``, the
renderer of the charts' PNGs). Measured: a Vega-Lite geoshape chart of the 361 local
authorities took 30 s (SVG) and 70 s (PNG) in vl-convert on this machine; this takes well
under a second for the SVG.

The picture is drawn from the same layer the live map draws (:class:`~lumap.viz.choropleth.
MapLayer`: which features, which colour each) so the two cannot disagree. Rendering takes
seconds of CPU that hold the interpreter lock: the app asks a worker process for it
(``lumap.jobs.map_image``), never its own script thread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lumap.escape import html

WIDTH = 1920  # pixels of the PNG at scale 1: a 16:9 slide
HEIGHT = 1080
MAP_SIZE = (900, 900)  # the map's own box (the rest is title, legend and source)
FONT_STACK = "sans-serif"  # what resvg (vl-convert) resolves from the machine's fonts, as the charts do


@dataclass(frozen=True)
class Picture:
    """What a static map shows. ``legend``: (colour, text, border) per key, top to bottom."""

    title: str
    subtitle: tuple[str, ...]
    legend_title: str
    legend_note: str
    legend: tuple[tuple[str, str, str], ...]
    source: str
    features: tuple[dict, ...]  # GeoJSON features with properties.fill
    direction: str = ""  # which colour means what (viz.legend.direction_text), under the note
    projection: str = "bng"  # "mercator" for a hexagon map (regular cells, as the live map draws them)


def layer_features(collection: dict, layer: dict) -> tuple[dict, ...]:
    """The features a map component's ``layer`` draws (its ``ids`` into the level's
    ``collection``, a ``fill`` index into its ``palette`` each), coloured as the live map."""
    palette = layer["palette"]
    out = []
    for i, f in zip(layer["ids"], layer["fill"], strict=True):
        feat = collection["features"][i]
        out.append({"type": "Feature", "geometry": feat["geometry"], "properties": {"fill": palette[f]}})
    return tuple(out)


def shapes_svg(collection: dict, layer: dict, size: tuple[float, float]) -> str:
    """Only the map (no title or legend: the page around it has them), ``size`` pixels."""
    w, h = size
    body = _paths(layer_features(collection, layer), (4, 4, w - 8, h - 8))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w:g}" height="{h:g}" viewBox="0 0 {w:g} {h:g}">'
        f'<rect width="{w:g}" height="{h:g}" fill="#f3f4f8"/>'
        '<g stroke="#6e6e6e" stroke-width="0.5" stroke-linejoin="round">' + "".join(body) + "</g></svg>"
    )


def layer_picture(
    collection: dict,
    layer: dict,
    title: str,
    subtitle: tuple[str, ...],
    legend_title: str,
    legend_note: str,
    legend: list[tuple[str, str, str]],
    source: str,
    direction: str = "",
    projection: str = "bng",
) -> Picture:
    """A picture of ``layer`` (see :func:`layer_features`) with its texts."""
    features = layer_features(collection, layer)
    return Picture(
        title,
        tuple(subtitle),
        legend_title,
        legend_note,
        tuple(legend),
        source,
        features,
        direction,
        projection,
    )


_BNG = None


def _project():
    """lon/lat -> British National Grid metres (EPSG:27700): the projection UK maps use."""
    global _BNG
    if _BNG is None:
        from pyproj import Transformer

        _BNG = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    return _BNG


def _rings(geometry: dict | None):
    if not geometry:  # an area without a shape in this layout (a hexagon map's other vintage)
        return
    kind, coords = geometry.get("type"), geometry.get("coordinates") or []
    if kind == "Polygon":
        yield from coords
    elif kind == "MultiPolygon":
        for poly in coords:
            yield from poly


def _mercator(lon, lat):
    """lon/lat -> Web Mercator (what the live map draws; a hexagon map's cells are regular there)."""
    import numpy as np

    r = 6378137.0  # metres, as the grid's: the fit below expects metres
    return np.radians(lon) * r, np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)) * r


def _paths(features, box: tuple[float, float, float, float], projection: str = "bng") -> list[str]:
    """One SVG path per feature, projected (``projection`` "bng": the British National Grid;
    "mercator") and fitted into ``box`` (x, y, width, height)."""
    import numpy as np

    t = _project() if projection == "bng" else None
    projected = []
    for f in features:
        rings = []
        for ring in _rings(f["geometry"]):
            a = np.asarray(ring, dtype=float)
            if a.ndim != 2 or len(a) < 3:
                continue
            x, y = t.transform(a[:, 0], a[:, 1]) if t is not None else _mercator(a[:, 0], a[:, 1])
            rings.append(np.column_stack([x, y]))
        projected.append((f["properties"]["fill"], rings))
    every = [r for _, rings in projected for r in rings]
    if not every:
        return []
    allpts = np.vstack(every)
    (x0, y0), (x1, y1) = allpts.min(axis=0), allpts.max(axis=0)
    bx, by, bw, bh = box
    k = min(bw / max(x1 - x0, 1), bh / max(y1 - y0, 1))
    ox = bx + (bw - (x1 - x0) * k) / 2
    oy = by + (bh - (y1 - y0) * k) / 2
    out = []
    for fill, rings in projected:
        parts = []
        for r in rings:
            px = np.round(ox + (r[:, 0] - x0) * k, 1)
            py = np.round(oy + (y1 - r[:, 1]) * k, 1)
            pts = " ".join(f"{a:g} {b:g}" for a, b in zip(px, py, strict=True))
            parts.append(f"M{pts}Z")
        if parts:
            out.append(f'<path d="{"".join(parts)}" fill="{_fill(fill)}"/>')
    return out


HATCH = "hatch:"  # viz.legend.HATCH: the colour with white diagonal stripes (a county's value)


def _fill(value: str) -> str:
    """A fill attribute: a colour, or for ``hatch:<colour>`` the pattern of that colour
    (defined by :func:`_hatches`)."""
    value = str(value)
    if value.startswith(HATCH):
        colour = _attr(value[len(HATCH) :])
        return f"url(#hatch-{colour[1:]})"
    return _attr(value)


def _hatches(fills) -> str:
    """``<defs>`` with one stripe pattern per hatched colour among ``fills`` ("" if none),
    as the live map draws them (white diagonal stripes over the colour)."""
    colours = sorted({_attr(str(f)[len(HATCH) :]) for f in fills if str(f).startswith(HATCH)})
    if not colours:
        return ""
    patterns = "".join(
        f'<pattern id="hatch-{c[1:]}" patternUnits="userSpaceOnUse" width="7" height="7" '
        f'patternTransform="rotate(45)"><rect width="7" height="7" fill="{c}"/>'
        f'<rect width="2.5" height="7" fill="#ffffff"/></pattern>'
        for c in colours
    )
    return f"<defs>{patterns}</defs>"


def _attr(value: str) -> str:
    """A colour for an attribute: ``#rgb``/``#rrggbb`` only (the palettes'), else grey."""
    return value if _COLOUR.fullmatch(str(value)) else "#bdbdbd"


_COLOUR = re.compile(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?")


def _wrap(text: str, width: int) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width) or [""]


def _text(x: float, y: float, text: str, size: float, weight: str = "normal", fill: str = "#222") -> str:
    return (
        f'<text x="{x:g}" y="{y:g}" font-size="{size:g}" font-weight="{weight}" fill="{fill}">'
        f"{html(text)}</text>"
    )


def svg(p: Picture) -> str:
    """The picture as a self-contained SVG (no fonts or images fetched)."""
    W, H = WIDTH, HEIGHT
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" '
        f'font-family="{FONT_STACK}">',
        f'<rect width="{W}" height="{H}" fill="#ffffff"/>',
    ]
    y = 78
    for line in _wrap(p.title, 70)[:2]:
        out.append(_text(60, y, line, 46, "bold", "#111"))
        y += 54
    for line in [s for s in p.subtitle if s][:2]:
        out.append(_text(60, y, line[:130], 24, "normal", "#333"))
        y += 32
    top = y + 10
    source_lines = _wrap(p.source, 190)[:3]
    bottom = H - 28 - 24 * len(source_lines)
    out += map_block(p, (60, top, W - 120, bottom - top - 10))
    sy = H - 24 - 24 * (len(source_lines) - 1)
    for line in source_lines:
        out.append(_text(60, sy, line, 18, "normal", "#444"))
        sy += 24
    out.append("</svg>")
    return "\n".join(out)


LEGEND_WIDTH = 840  # the legend column beside the map, at 1920 wide


def map_block(p: Picture, box: tuple[float, float, float, float]) -> list[str]:
    """SVG elements of the map and its legend (title, note, keys) side by side in ``box``
    (x, y, width, height): the map on the left, as tall as the box; the legend in the rest.
    A slide (:mod:`lumap.viz.slideimage`) draws the same block under its own title."""
    x, y, w, h = box
    legend_w = min(LEGEND_WIDTH, w * 0.45)
    map_w = min(w - legend_w - 60, max(h, MAP_SIZE[0]))
    defs = _hatches([f["properties"]["fill"] for f in p.features] + [c for c, _, _ in p.legend])
    out = [defs] if defs else []
    out.append('<g stroke="#6e6e6e" stroke-width="0.5" stroke-linejoin="round">')
    out += _paths(p.features, (x, y, map_w, h), p.projection)
    out.append("</g>")
    lx, ly = x + map_w + 60, y + 30
    chars = max(20, int(legend_w / 15))
    for line in _wrap(p.legend_title, int(chars * 0.85))[:3]:
        out.append(_text(lx, ly, line, 32, "bold", "#111"))
        ly += 40
    for line in _wrap(p.legend_note, int(chars * 1.1))[:3] if p.legend_note else []:
        out.append(_text(lx, ly, line, 24, "normal", "#444"))
        ly += 32
    for line in _wrap(p.direction, int(chars * 1.1))[:3] if p.direction else []:
        out.append(_text(lx, ly, line, 24, "normal", "#444"))
        ly += 32
    ly += 14
    for colour, text, border in p.legend:
        out.append(
            f'<rect x="{lx:g}" y="{ly:g}" width="54" height="34" fill="{_fill(colour)}" '
            f'stroke="{_attr(border)}" stroke-width="1.5"/>'
        )
        lines = _wrap(text, int(chars * 0.9))[:2]
        for j, line in enumerate(lines):
            out.append(_text(lx + 72, ly + 26 + 34 * j, line, 27))
        ly += 34 * len(lines) + 20
    return out


def render(p: Picture, fmt: str = "png", scale: float = 1) -> bytes:
    """PNG (1920×1080 at ``scale`` 1, rasterised by resvg through vl-convert) or SVG bytes."""
    text = svg(p)
    if fmt == "svg":
        return text.encode("utf-8")
    import vl_convert

    return vl_convert.svg_to_png(text, scale=scale)
