"""The choropleth of one indicator, one period, one level, as the data the map component
draws (:mod:`lumap.ui.mapwidget`). No Streamlit here, and no geometry: the browser has the
level's boundaries from a cached static file, so a view is only which features to draw, a
palette index and a tooltip per feature (≈10–25 KB for 361 areas instead of ≈260 KB).

Tooltips are plain text: the component puts them in the page with ``textContent``, so no
value from data is ever parsed as HTML (or reaches a template).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lumap.analysis.combined import combined_areas, combined_note
from lumap.analysis.comparison import status_reason
from lumap.analysis.format import format_value, is_missing
from lumap.analysis.ranks import rank_text
from lumap.viz.classify import NO_DATA, NOT_PUBLISHED, Classes, classify

UK_BOUNDS = [[49.9, -8.2], [60.9, 1.8]]
TIE_COUNT_MIN = 10  # a tooltip names how many areas share a rank from this many


def feature_key(props: dict) -> tuple:
    """What identifies a boundary feature across the server's and the browser's copies."""
    return (props["areacd"], props.get("start"), props.get("end"))


def feature_index(collection: dict) -> dict[tuple, int]:
    """{feature key: position in the level's files} (the TopoJSON geometry ``id``)."""
    return {feature_key(f["properties"]): i for i, f in enumerate(collection["features"])}


def tooltip_text(
    name: str,
    value_text: str,
    rank: int | None,
    n: int,
    ci: str | None,
    status: str | None,
    tied: int = 0,
) -> str:
    """One area's tooltip: plain-text lines (the component's CSS keeps the line breaks and
    bolds the first line; it sets the text with ``textContent``, never as HTML). What every
    area shares — the period — is :func:`tooltip_common`."""
    lines = [name, value_text]
    if rank:
        # the tie's size only where many share it ("joint highest of 361 (189 areas at 100.0%)"):
        # the value is the line above, and a few shared ranks would cost ~17 bytes an area
        lines.append(rank_text(rank, n, tied=tied, value_text=value_text if tied >= TIE_COUNT_MIN else None))
    if ci:
        lines.append(f"95% CI {ci}")
    if status:
        lines.append(status)
    return "\n".join(lines)


def tooltip_common(period: str) -> str:
    """The last tooltip line, the same for every area of a view."""
    return period


def compact_layer(
    collection: dict, index: dict[tuple, int], fills: list[str], tips: list[str], common: str
) -> dict:
    """The per-view data of a map, in the component's form: for each feature to draw its
    ``id`` in the level's files, its palette index and its tooltip lines after the name. The
    name is sent only where it is not the boundary file's own (``names``: {position: name});
    ``tip_common`` ends every tooltip. A tip the same as an earlier one is sent as that
    one's position (the districts of a county-only indicator share their county's lines).
    About 25 KB for 361 areas."""
    palette = list(dict.fromkeys(fills))
    slot = {colour: i for i, colour in enumerate(palette)}
    names: dict[str, str] = {}
    rest: list[str | int] = []
    first: dict[str, int] = {}
    for i, (f, tip) in enumerate(zip(collection["features"], tips, strict=True)):
        name, _, lines = tip.partition("\n")
        if name != f["properties"].get("areanm"):
            names[str(i)] = name
        if len(lines) > 8 and lines in first:
            rest.append(first[lines])
        else:
            first.setdefault(lines, i)
            rest.append(lines)
    return {
        "ids": [index[feature_key(f["properties"])] for f in collection["features"]],
        "palette": palette,
        "fill": [slot[c] for c in fills],
        "names": names,
        "tips": rest,
        "tip_common": common,
    }


def layer_codes(layer: dict, collection: dict) -> list[str]:
    """The area code of each entry of a layer, from the level's features (``collection``)."""
    return [collection["features"][i]["properties"]["areacd"] for i in layer["ids"]]


def layer_tips(layer: dict, collection: dict) -> list[str]:
    """The full tooltip text of each entry of a layer, as the browser shows it."""
    out = []
    for k, (i, tip) in enumerate(zip(layer["ids"], layer["tips"], strict=True)):
        if isinstance(tip, int):  # the same lines as an earlier entry
            tip = layer["tips"][tip]
        name = layer["names"].get(str(k), collection["features"][i]["properties"].get("areanm"))
        out.append("\n".join(x for x in (name, tip, layer["tip_common"]) if x))
    return out


@dataclass(frozen=True)
class MapLayer:
    """What one map view sends to the browser, shared read-only by every session: the map
    component's layer (:func:`compact_layer`), the classes of the legend, and what the
    colours show (``basis``: "value", or for a change map "change" or "improvement")."""

    layer: dict
    classes: Classes | None
    basis: str = "value"


def legend_unit(meta: dict) -> str:
    """What the legend's numbers are (the catalogue's subtext, else its suffix)."""
    return str(meta.get("subtext") or meta.get("suffix") or "")


def map_layer(
    collection: dict,
    index: dict[tuple, int],
    table: pd.DataFrame,
    meta: dict,
    scheme: str,
    period_label: str,
    missing: dict | None = None,
) -> MapLayer:
    """The layer of one map: ``table`` (the ranked map rows) classified with ``scheme`` and
    joined to the boundaries to draw. ``missing`` says why areas without a value have none
    (:mod:`lumap.analysis.missing`); without it, nations the indicator is not published for
    are "not published", not "no data"."""
    classes = classify(table["value"].to_numpy(dtype=float), scheme)
    published = set(meta.get("nations") or "EWSN")
    layer = layer_features(collection, index, table, meta, classes, period_label, published, missing=missing)
    return MapLayer(layer, classes)


def layer_features(
    collection: dict,
    index: dict[tuple, int],
    table: pd.DataFrame,
    meta: dict,
    classes: Classes | None,
    period_label: str,
    published_nations: set[str],
    missing: dict | None = None,
) -> dict:
    """The map's layer (see :func:`compact_layer`) for the features to draw.

    ``table`` is the ranked map table (areacd, areanm, value, lci_95, uci_95, status, rank).
    ``missing`` says why each area without a value has none (:mod:`lumap.analysis.missing`):
    an area whose county's value stands in is drawn in that value's colour, hatched. Without
    it, areas with no row are "no data" when their nation is published, else "not published".
    """
    rows = {r.areacd: r for r in table.itertuples(index=False)}
    n = int(table["value"].notna().sum())
    for member, r in combined_areas(table, collection).items():  # drawn on their members
        own = rows.get(member)
        if own is None or is_missing(own.value):
            rows[member] = r
    fills, tips = [], []
    for f in collection["features"]:
        props = f["properties"]
        code = props["areacd"]
        r = rows.get(code)
        why = (missing or {}).get(code)
        if r is not None and not is_missing(r.value):
            fill = classes.colour(r.value) if classes else NO_DATA
            ci = None
            if not is_missing(r.lci_95) and not is_missing(r.uci_95):
                ci = f"{format_value(r.lci_95, meta, False)} to {format_value(r.uci_95, meta, False)}"
            rank = None if is_missing(r.rank) else int(r.rank)
            tied = int(getattr(r, "tied", 0) or 0)
            note = _old_code(r) if r.areacd == code else combined_note(r.areacd, r.areanm)
            tip = tooltip_text(r.areanm, format_value(r.value, meta), rank, n, ci, note, tied)
        elif why is not None:
            name = r.areanm if r is not None else props.get("areanm", code)
            fill, tip = _missing_fill_and_tip(why, name, meta, classes)
        elif r is not None:
            fill = NO_DATA
            tip = tooltip_text(
                r.areanm or props.get("areanm", code),
                "no data",
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
                None,
                n,
                None,
                None,
            )
        fills.append(fill)
        tips.append(tip)
    return compact_layer(collection, index, fills, tips, tooltip_common(f"Period: {period_label}"))


def _missing_fill_and_tip(why, name: str, meta: dict, classes: Classes | None) -> tuple[str, str]:
    """Fill and tooltip of an area without a value, by the reason it has none."""
    from lumap.analysis import missing as m
    from lumap.viz.legend import HATCH

    if why.kind == m.ANCESTOR and why.via_value is not None:
        colour = classes.colour(why.via_value) if classes else NO_DATA
        lines = [name, f"{why.via_name} (county): {format_value(why.via_value, meta)}", why.reason]
        return HATCH + colour, "\n".join(lines)
    if why.kind == m.NATION:
        return NOT_PUBLISHED, "\n".join([name, why.reason[:1].upper() + why.reason[1:]])
    if why.kind == m.SUPPRESSED:
        return NO_DATA, "\n".join([name, "No value: suppressed or unavailable for this area", why.reason])
    return NO_DATA, "\n".join([name, f"No value: {why.reason}"])


def _old_code(row) -> str | None:
    """The tooltip's note for a value published under an earlier code of the same place
    (drawn on the current code's boundary, :mod:`lumap.data.lineage`)."""
    source = getattr(row, "source_areacd", None)
    if is_missing(source) or source == row.areacd:
        return None
    return f"Published under the earlier code {source} (same place)"
