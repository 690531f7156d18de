"""A choropleth of the change in an indicator between two periods. No Streamlit here.

Colours come from :func:`lumap.viz.classify.diverging_classes` (centred on zero). When the
indicator's polarity is known the colour follows *improvement* (change × polarity: purple
= better, orange = worse); for neutral indicators it follows the raw change (purple =
increase). Tooltips are plain text, set in the page with ``textContent`` by the map component.
"""

from __future__ import annotations

import pandas as pd

from lumap.analysis.format import format_number, format_value, is_missing
from lumap.analysis.polarity import Polarity
from lumap.escape import html
from lumap.viz.choropleth import MapLayer, compact_layer, tooltip_common
from lumap.viz.classify import NO_DATA, NOT_PUBLISHED, Classes, diverging_classes


def colour_basis(polarity) -> str:
    """ "improvement" when polarity is +1/-1, else "change"."""
    return "improvement" if Polarity.of(polarity).directed else "change"


def format_change(value, kind: str, meta: dict) -> str:
    """Signed change: "+£23", "−1.2 pp", "+3.4%" (percent change)."""
    if is_missing(value):
        return "–"
    sign = "+" if value > 0 else "−" if value < 0 else ""
    if kind == "percent":
        return f"{sign}{format_number(abs(value), 1)}%"
    if (meta.get("suffix") or "") == "%":
        return f"{sign}{format_number(abs(value), meta.get('decimals'))} pp"
    return sign + format_value(abs(value), meta, with_subtext=False)


def _word(row, basis: str) -> str:
    v = row.improvement if basis == "improvement" else row.change
    if is_missing(v):
        return ""
    if basis == "improvement":
        return "improved" if v > 0 else "got worse" if v < 0 else "no change"
    return "increased" if v > 0 else "decreased" if v < 0 else "no change"


def tip_text(lines: list[str]) -> str:
    """Tooltip content as plain-text lines (the component's CSS keeps the line breaks and
    bolds the first line; the text is never parsed as HTML)."""
    return "\n".join(x for x in lines if x)


def change_layer(
    collection: dict,
    index: dict[tuple, int],
    table: pd.DataFrame,
    meta: dict,
    kind: str,
    labels: tuple[str, str],
) -> MapLayer:
    """The layer of a change map: ``table`` (:func:`lumap.analysis.changetable.change_table`)
    in diverging classes of improvement (or raw change for neutral indicators), joined to the
    boundaries to draw; ``labels`` are the two periods' labels."""
    basis = colour_basis(meta.get("polarity"))
    classes = diverging_classes(table[basis].to_numpy(dtype=float))
    published = set(meta.get("nations") or "EWSN")
    layer = change_features(collection, index, table, meta, classes, kind, labels, basis, published)
    return MapLayer(layer, classes, basis)


def change_features(
    collection: dict,
    index: dict[tuple, int],
    table: pd.DataFrame,
    meta: dict,
    classes: Classes | None,
    kind: str,
    labels: tuple[str, str],
    basis: str,
    published_nations: set[str],
) -> dict:
    """The change map's layer (:func:`lumap.viz.choropleth.compact_layer`).

    ``table`` is ``changetable.change_table`` output (areacd, areanm, value_a, value_b, change,
    improvement, rank). Areas missing from it are "no value in both periods" when their
    nation is published, else "not published".
    """
    rows = {r.areacd: r for r in table.itertuples(index=False)}
    n = int(table["change"].notna().sum())
    a, b = labels
    fills, tips = [], []
    for f in collection["features"]:
        props = f["properties"]
        code = props["areacd"]
        r = rows.get(code)
        name = r.areanm if r is not None else props.get("areanm", code)
        if r is not None and not is_missing(r.change):
            colour_value = r.improvement if basis == "improvement" else r.change
            fill = classes.colour(colour_value) if classes else NO_DATA
            rank = None if is_missing(r.rank) else int(r.rank)
            tip = tip_text(
                [
                    name,
                    f"{format_change(r.change, kind, meta)} ({_word(r, basis)})",
                    f"{a}: {format_value(r.value_a, meta)}",
                    f"{b}: {format_value(r.value_b, meta)}",
                    f"{_rank_text(rank, basis)} of {n}" if rank else "",
                ]
            )
        else:
            published = code[:1] in published_nations
            fill = NO_DATA if published else NOT_PUBLISHED
            why = (
                "no value in both periods (suppressed, missing, or the area's code changed)"
                if published
                else "not published for this nation"
            )
            tip = tip_text([name, why])
        fills.append(fill)
        tips.append(tip)
    return compact_layer(collection, index, fills, tips, tooltip_common(f"{a} to {b}"))


def _rank_text(rank: int, basis: str) -> str:
    from lumap.analysis.format import ordinal

    return f"{ordinal(rank)} most improved" if basis == "improvement" else f"{ordinal(rank)} largest increase"


def legend_html(
    classes: Classes | None, kind: str, meta: dict, basis: str, title: str, show_not_published: bool
) -> str:
    """Legend: one key per class (best at the top), plus no-data keys; escaped."""
    e = html
    rows = [_key(c, t, b) for c, t, b in legend_rows(classes, kind, meta, basis, show_not_published)]
    return (
        f"<div style='line-height:1.5;font-size:0.95em'><b>{e(title)}</b>"
        f"<div style='font-size:0.85em;color:#444'>{e(legend_note(basis))}</div>" + "".join(rows) + "</div>"
    )


def legend_note(basis: str) -> str:
    if basis == "improvement":
        return "Purple = improved, orange = got worse"
    return "Purple = increased, orange = decreased (no good direction set)"


def legend_rows(
    classes: Classes | None, kind: str, meta: dict, basis: str, show_not_published: bool
) -> list[tuple[str, str, str]]:
    """(colour, text, border) per key, best at the top, then the no-data keys."""
    rows = []
    if classes is not None:
        ranges = classes.ranges()
        for lo, hi, colour in reversed(ranges):
            if basis == "improvement":
                # classes are on improvement = change × polarity; show the change itself
                p = meta.get("polarity") or 1
                lo_c, hi_c = sorted((lo * p, hi * p))
            else:
                lo_c, hi_c = lo, hi
            rows.append(
                (colour, f"{format_change(lo_c, kind, meta)} to {format_change(hi_c, kind, meta)}", "#666")
            )
    rows.append((NO_DATA, "No value in both periods (often a boundary change)", "#666"))
    if show_not_published:
        rows.append((NOT_PUBLISHED, "Not published for this nation", "#888"))
    return rows


def _key(colour: str, text: str, border: str = "#666") -> str:
    return (
        f"<div><span style='display:inline-block;width:1.4em;height:0.95em;background:{colour};"
        f"border:1px solid {border};vertical-align:middle;margin-right:0.5em'></span>"
        f"{html(text)}</div>"
    )
