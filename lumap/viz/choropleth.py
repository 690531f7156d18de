"""Folium choropleth of one indicator, one period, one level. No Streamlit here.

Leaflet comes from the app's own static folder (see :mod:`lumap.ui.assets`), so the map
draws with no internet. Every value from data is HTML-escaped before it reaches the
tooltip, which Leaflet renders as HTML.
"""

from __future__ import annotations

import math

import folium
import pandas as pd

from lumap.analysis.comparison import status_reason
from lumap.analysis.format import format_value, is_missing
from lumap.analysis.ranks import rank_text
from lumap.escape import html, template_json
from lumap.viz.classify import NOT_PUBLISHED, Classes

LEAFLET_JS = "/app/static/leaflet/leaflet.js"
LEAFLET_CSS = "/app/static/leaflet/leaflet.css"
UK_CENTRE = (54.6, -3.2)
UK_BOUNDS = [[49.9, -8.2], [60.9, 1.8]]


def offline_leaflet() -> None:
    """Make every folium map load Leaflet (and nothing else) from our static folder.

    st_folium loads scripts one after another and stops at the first that fails: one CDN
    entry left here and an offline map stays blank."""
    folium.Map.default_js = [("leaflet", LEAFLET_JS)]
    folium.Map.default_css = [("leaflet_css", LEAFLET_CSS)]
    # GeoJson & co. add nothing of their own; the tooltip only needs Leaflet.
    # Compact JSON in folium's templates (Jinja's tojson, still HTML-safe): ≈12 % fewer bytes.
    env = folium.GeoJson._template.environment
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "separators": (",", ":")}
    # branca compiles each element's *rendered* script as a Jinja template again
    # (MacroElement.render wraps it in Element(text)), so a "{%" or "{{" in a name, a note or
    # a unit would be compiled, or run. Data reaches the script only through tojson: make
    # that JSON free of Jinja delimiters (the browser reads the same strings).
    env.policies["json.dumps_function"] = template_json


def base_map(basemap: bool = False, height_zoom: int = 5) -> folium.Map:
    """The map frame, built the same way every time so the iframe is never remounted."""
    offline_leaflet()
    m = folium.Map(
        location=UK_CENTRE,
        zoom_start=height_zoom,
        tiles=None,
        min_zoom=4,
        max_zoom=12,
        prefer_canvas=False,
        control_scale=True,
        zoom_control=True,
        zoom_snap=0.25,
    )
    m.fit_bounds(UK_BOUNDS)
    m.get_root().header.add_child(folium.Element(TOOLTIP_CSS))
    if basemap:
        folium.TileLayer(
            "OpenStreetMap",
            attr="© OpenStreetMap contributors",
            opacity=0.6,
        ).add_to(m)
    return m


def tooltip_text(
    name: str, value_text: str, period: str, rank: int | None, n: int, ci: str | None, status: str | None
) -> str:
    """Tooltip content: escaped plain-text lines (the tooltip CSS keeps the line breaks
    and bolds the first line), so no markup travels with every feature."""
    lines = [name, f"{value_text} ({period})"]
    if rank:
        lines.append(rank_text(rank, n))
    if ci:
        lines.append(f"95% CI {ci}")
    if status:
        lines.append(status)
    return "\n".join(html(x, markdown=False) for x in lines)


TOOLTIP_CSS = (
    "<style>.foliumtooltip{font-size:14px}.foliumtooltip td{white-space:pre}"
    ".foliumtooltip td::first-line{font-weight:600}</style>"
)


def layer_features(
    collection: dict,
    table: pd.DataFrame,
    meta: dict,
    classes: Classes | None,
    period_label: str,
    published_nations: set[str],
) -> tuple[dict, dict[str, str]]:
    """(GeoJSON with only the properties the browser needs — code and tooltip —, and the
    fill colour of each code, which folium turns into one compact style switch).

    ``table`` is the ranked map table (areacd, areanm, value, lci_95, uci_95, status, rank).
    Areas with no row are "no data" when their nation is published, else "not published".
    """
    from lumap.viz.classify import NO_DATA

    rows = {r.areacd: r for r in table.itertuples(index=False)}
    n = int(table["value"].notna().sum())
    features, fills = [], {}
    for f in collection["features"]:
        props = f["properties"]
        code = props["areacd"]
        r = rows.get(code)
        if r is not None and not _nan(r.value):
            fill = classes.colour(r.value) if classes else NO_DATA
            ci = None
            if not _nan(r.lci_95) and not _nan(r.uci_95):
                ci = f"{format_value(r.lci_95, meta, False)} to {format_value(r.uci_95, meta, False)}"
            tip = tooltip_text(
                r.areanm,
                format_value(r.value, meta),
                period_label,
                None if is_missing(r.rank) else int(r.rank),
                n,
                ci,
                None,
            )
        elif r is not None:
            fill = NO_DATA
            tip = tooltip_text(
                r.areanm or props.get("areanm", code),
                "no data",
                period_label,
                None,
                n,
                None,
                status_reason(r.status, getattr(r, "notes", "")),
            )
        else:
            published = code[:1] in published_nations
            fill = NO_DATA if published else NOT_PUBLISHED
            tip = tooltip_text(
                props.get("areanm", code),
                "no data" if published else "not published for this nation",
                period_label,
                None,
                n,
                None,
                None,
            )
        fills[code] = fill
        features.append(
            {"type": "Feature", "geometry": f["geometry"], "properties": {"areacd": code, "tip": tip}}
        )
    return {"type": "FeatureCollection", "features": features}, fills


def choropleth_layer(
    features: dict, fills: dict[str, str], selected: str | None = None
) -> folium.FeatureGroup:
    """The coloured areas as a feature group (what st_folium swaps without remounting)."""
    fg = folium.FeatureGroup(name="choropleth")

    def style(feature):
        code = feature["properties"]["areacd"]
        chosen = code == selected
        return {
            "fillColor": fills.get(code, "#bdbdbd"),
            "fillOpacity": 0.85,
            "color": "#000000" if chosen else "#4d4d4d",
            "weight": 2.5 if chosen else 0.4,
        }

    folium.GeoJson(
        features,
        name="areas",
        style_function=style,
        highlight_function=lambda f: {"weight": 2, "color": "#000000"},
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True),
        zoom_on_click=False,
    ).add_to(fg)
    return fg


def _nan(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or pd.isna(x)
