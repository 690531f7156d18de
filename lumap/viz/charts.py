"""Altair charts for the compare and trends pages, and their PNG export. No Streamlit here.

Numbers reach the charts unrounded; labels and tooltips show them rounded with the
indicator's own decimals (``format_value``). Vega-Lite tooltips are plain text, so data
values cannot inject markup there.
"""

from __future__ import annotations

import json

import altair as alt
import pandas as pd

from lumap.analysis.format import format_value, is_missing, unit_label
from lumap.analysis.ranks import rank_text
from lumap.viz.classify import DIVERGING, NO_DATA

AREA = "#2166ac"
COMPARATOR_COLOURS = {"uk": "#252525", "country": "#636363", "region": "#969696"}
KIND_LABELS = {"area": "Selected area", "uk": "UK", "country": "Country", "region": "Region"}
#: Colour-blind-safe qualitative colours for up to ten selected areas (Tableau 10).
LINE_COLOURS = [
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#17becf",
]
COMPARATOR_LINES = ["#000000", "#555555", "#888888", "#aaaaaa"]
CONTEXT = "#dcdcdc"
FONT = "sans-serif"


def _unit(meta: dict) -> str:
    return unit_label(meta)


def _ci_text(lo, hi, meta: dict) -> str:
    if is_missing(lo) or is_missing(hi):
        return "not published"
    return f"{format_value(lo, meta, False)} to {format_value(hi, meta, False)}"


def _sized(chart, width: int | None):
    """Fit the width (to the page, or to ``width``); keep the height for the plot itself.
    Streamlit's default ("fit" both ways) squeezes titles, axes and legends into the height."""
    chart = chart.properties(autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
    return chart.properties(width=width) if width else chart


# ---- compare: bar chart --------------------------------------------------------------------


def bar_chart(
    rows: pd.DataFrame,
    meta: dict,
    title: str,
    subtitle: str = "",
    similar: pd.DataFrame | None = None,
    width: int | None = None,
    comparators: pd.DataFrame | None = None,
) -> alt.LayerChart:
    """Horizontal bars, highest value on top, 95% CI whiskers where published.

    ``rows``: name, code, value, lci_95, uci_95, kind ("area"/"uk"/"country"/"region"),
    reason (why a value is missing). Areas without a value get a text label in place of a
    bar. ``similar``: name (the area), value, n: the average of each area's similar areas,
    drawn as an orange tick on that area's row. ``comparators``
    (:func:`lumap.analysis.comparison.comparator_marks`): each area's UK / country / region
    value as a tick on the area's own row (black, dark and light grey), so ten areas are ten
    bars; the UK's ticks line up into one line.
    """
    df = rows.copy()
    marks = comparators if comparators is not None and len(comparators) else None
    df["value_text"] = [format_value(v, meta) for v in df["value"]]
    df["ci_text"] = [_ci_text(lo, hi, meta) for lo, hi in zip(df["lci_95"], df["uci_95"], strict=True)]
    df["kind_label"] = df["kind"].map(KIND_LABELS)
    if "reason" not in df:
        df["reason"] = ""
    df["_sort"] = pd.to_numeric(df["value"], errors="coerce")
    # value labels sit right of the bar, its whisker and its similar-areas tick, and right
    # of zero for negative values
    tick = (
        dict(zip(similar["name"], similar["value"], strict=True))
        if similar is not None and len(similar)
        else {}
    )
    df["label_x"] = [
        max(v, 0.0, *(x for x in (u, tick.get(nm)) if x is not None and pd.notna(x))) if pd.notna(v) else 0.0
        for v, u, nm in zip(
            df["_sort"], pd.to_numeric(df["uci_95"], errors="coerce"), df["name"], strict=True
        )
    ]
    order = list(df.sort_values("_sort", ascending=False, na_position="last")["name"])
    kinds = [k for k in KIND_LABELS if k in set(df["kind"])]
    colour = alt.Color(
        "kind_label:N",
        title=None,
        scale=alt.Scale(
            domain=[KIND_LABELS[k] for k in kinds],
            range=[AREA if k == "area" else COMPARATOR_COLOURS[k] for k in kinds],
        ),
        legend=alt.Legend(orient="bottom"),
    )
    y = alt.Y("name:N", sort=order, title=None, axis=alt.Axis(labelLimit=260))
    tooltip = [
        alt.Tooltip("name:N", title="Area"),
        alt.Tooltip("code:N", title="Code"),
        alt.Tooltip("value_text:N", title="Value"),
        alt.Tooltip("ci_text:N", title="95% CI"),
        alt.Tooltip("kind_label:N", title="Shown as"),
    ]
    base = alt.Chart(df)
    has_value = alt.datum.value != None  # noqa: E711 (Vega expression)
    extra = pd.to_numeric(marks["value"], errors="coerce") if marks is not None else pd.Series(dtype=float)
    lows = pd.concat([df["_sort"], pd.to_numeric(df["lci_95"], errors="coerce"), extra, pd.Series([0.0])])
    highs = pd.concat([df["label_x"], extra, pd.Series([0.0])])
    span = (highs.max() - lows.min()) or 1.0
    # room on the right for the value labels (Vega-Lite does not measure text)
    domain = [float(lows.min()), float(highs.max() + 0.16 * span)]
    bars = (
        base.transform_filter(has_value)
        .mark_bar(height={"band": 0.7})
        .encode(
            y=y,
            x=alt.X(
                "value:Q",
                title=_unit(meta) or None,
                scale=alt.Scale(domain=domain, nice=False),
                axis=alt.Axis(labelFlush=True, labelOverlap=True),
            ),
            color=colour,
            tooltip=tooltip,
        )
    )
    if marks is not None:
        # comparator ticks sit beside the bars' ends: the values go inside the bars (white),
        # outside only for negative values
        inside = base.transform_filter(has_value & (alt.datum.value > 0))
        outside = base.transform_filter(has_value & (alt.datum.value <= 0))
        labels = alt.layer(
            inside.mark_text(align="right", dx=-6, fontSize=11, color="#ffffff", fontWeight="bold").encode(
                y=y, x=alt.X("value:Q"), text="value_text:N"
            ),
            outside.mark_text(align="left", dx=6, fontSize=11).encode(
                y=y, x=alt.X("label_x:Q"), text="value_text:N"
            ),
        )
    else:
        labels = (
            base.transform_filter(has_value)
            .mark_text(align="left", dx=6, fontSize=11)
            .encode(y=y, x=alt.X("label_x:Q"), text="value_text:N")
        )
    layers = [bars]
    ci = df[df["lci_95"].notna() & df["uci_95"].notna()]
    if len(ci):
        layers.append(
            alt.Chart(ci)
            .mark_rule(color="#000000", strokeWidth=1.5)
            .encode(y=y, x="lci_95:Q", x2="uci_95:Q", tooltip=tooltip)
        )
        layers.append(
            alt.Chart(ci).mark_tick(color="#000000", thickness=1.5, size=10).encode(y=y, x="lci_95:Q")
        )
        layers.append(
            alt.Chart(ci).mark_tick(color="#000000", thickness=1.5, size=10).encode(y=y, x="uci_95:Q")
        )
    layers.append(labels)
    missing = df[df["_sort"].isna()]
    if len(missing):
        missing = missing.assign(x0=0.0, note=["no value: " + r for r in missing["reason"]])
        layers.append(
            alt.Chart(missing)
            .mark_text(align="left", dx=4, fontStyle="italic", color="#555")
            .encode(y=y, x=alt.X("x0:Q"), text="note:N", tooltip=tooltip)
        )
    if marks is not None:
        m = marks.assign(
            value_text=[format_value(v, meta) for v in marks["value"]],
            kind_label=marks["kind"].map(KIND_LABELS),
        )
        present = [KIND_LABELS[k] for k in ("uk", "country", "region") if k in set(m["kind"])]
        layers.append(
            alt.Chart(m)
            .mark_tick(thickness=3, size=26, opacity=1)
            .encode(
                y=y,
                x="value:Q",
                color=alt.Color(
                    "kind_label:N",
                    title="Comparators",
                    scale=alt.Scale(
                        domain=present,
                        range=[
                            COMPARATOR_COLOURS[k]
                            for k in ("uk", "country", "region")
                            if KIND_LABELS[k] in present
                        ],
                    ),
                    legend=alt.Legend(orient="bottom"),
                ),
                tooltip=[
                    alt.Tooltip("name:N", title="Area"),
                    alt.Tooltip("comparator:N", title="Comparator"),
                    alt.Tooltip("value_text:N", title="Value"),
                ],
            )
        )
    if similar is not None and len(similar):
        sim = similar.assign(
            value_text=[format_value(v, meta) for v in similar["value"]],
            what=[f"Average of its {int(n)} similar areas" for n in similar["n"]],
        )
        layers.append(
            alt.Chart(sim)
            .mark_tick(color="#d95f02", thickness=3, size=22)
            .encode(
                y=y,
                x="value:Q",
                tooltip=[
                    alt.Tooltip("name:N", title="Area"),
                    alt.Tooltip("what:N", title="Marker"),
                    alt.Tooltip("value_text:N", title="Value"),
                ],
            )
        )
    n = len(df)
    layered = alt.layer(*layers)
    if marks is not None:
        layered = layered.resolve_scale(color="independent")
    chart = layered.properties(
        height=max(120, 30 * n),
        title=alt.TitleParams(title, subtitle=subtitle or alt.Undefined, anchor="start"),
    )
    return _sized(chart, width)


# ---- compare: heat map ---------------------------------------------------------------------


def heatmap_chart(
    cells: pd.DataFrame, area_order: list[str], meta_for, title: str, width: int | None = None
) -> alt.LayerChart:
    """Indicators (rows) × areas (columns), coloured by percentile rank.

    ``cells``: heatmap.for_areas output plus ``area`` (display name). ``meta_for(indicator)``
    gives an indicator's metadata (units, decimals). Directional indicators: purple =
    better, orange = worse (100 = best area of the level). Neutral indicators: greys,
    100 = highest, and their row label ends in "(neutral)". No value: grey; not
    published for the area's nation: white.
    """
    df = cells.copy()
    df["row"] = [
        f"M{int(m)} · {lab}" + (" (neutral)" if neu else "") if pd.notna(m) else lab
        for m, lab, neu in zip(df["mission"], df["label"], df["neutral"], strict=True)
    ]
    df["value_text"] = [
        format_value(v, meta_for(s)) for v, s in zip(df["value"], df["indicator"], strict=True)
    ]
    df["rank_text"] = [
        rank_text(r, n, tied=t, value_text=vt) or "–"
        for r, n, t, vt in zip(df["rank"], df["n"], df["tied"], df["value_text"], strict=True)
    ]
    df["pct_text"] = [("–" if is_missing(p) else f"{p:.0f}") for p in df["percentile"]]
    df["state"] = [
        "value" if pd.notna(v) else ("no value" if pub else "not published")
        for v, pub in zip(df["value"], df["published"], strict=True)
    ]
    df["reason"] = [
        _reason(s, n)
        if st == "no value"
        else ("not published for this area's nation" if st == "not published" else "")
        for s, n, st in zip(df["status"], df["notes"], df["state"], strict=True)
    ]
    rows = list(dict.fromkeys(df["row"]))
    x = alt.X(
        "area:N",
        sort=area_order,
        title=None,
        axis=alt.Axis(orient="top", labelAngle=-40, labelLimit=170, labelOverlap=False),
    )
    y = alt.Y("row:N", sort=rows, title=None, axis=alt.Axis(labelLimit=340))
    tooltip = [
        alt.Tooltip("area:N", title="Area"),
        alt.Tooltip("label:N", title="Indicator"),
        alt.Tooltip("value_text:N", title="Value"),
        alt.Tooltip("period_label:N", title="Period"),
        alt.Tooltip("rank_text:N", title="Rank"),
        alt.Tooltip("pct_text:N", title="Percentile"),
        alt.Tooltip("reason:N", title="Note"),
    ]
    base = alt.Chart(df).encode(x=x, y=y, tooltip=tooltip)
    directional = (
        base.transform_filter(
            (alt.datum.state == "value") & (alt.datum.neutral == False)  # noqa: E712
        )
        .mark_rect(stroke="#ffffff", strokeWidth=1)
        .encode(
            color=alt.Color(
                "percentile:Q",
                title="Percentile (100 = best)",
                scale=alt.Scale(domain=[0, 50, 100], range=[DIVERGING[0], DIVERGING[3], DIVERGING[-1]]),
                legend=alt.Legend(orient="bottom", gradientLength=180, titleLimit=320),
            )
        )
    )
    neutral = (
        base.transform_filter(
            (alt.datum.state == "value") & (alt.datum.neutral == True)  # noqa: E712
        )
        .mark_rect(stroke="#ffffff", strokeWidth=1)
        .encode(
            color=alt.Color(
                "percentile:Q",
                title="Neutral: percentile (100 = highest)",
                scale=alt.Scale(domain=[0, 100], range=["#f0f0f0", "#525252"]),
                legend=alt.Legend(orient="bottom", gradientLength=140, titleLimit=320),
            )
        )
    )
    blank = (
        base.transform_filter(alt.datum.state != "value")
        .mark_rect(strokeWidth=1)
        .encode(
            color=alt.Color(
                "state:N",
                title=None,
                scale=alt.Scale(domain=["no value", "not published"], range=[NO_DATA, "#ffffff"]),
                legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=200),
            ),
            stroke=alt.value("#dddddd"),
        )
    )
    text = base.mark_text(fontSize=10).encode(
        text="pct_text:N",
        color=alt.condition(
            "datum.percentile > 80 || datum.percentile < 12", alt.value("#ffffff"), alt.value("#222222")
        ),
    )
    chart = (
        alt.layer(directional, neutral, blank, text)
        .resolve_scale(color="independent")
        .properties(
            height=max(160, 20 * len(rows)),
            title=alt.TitleParams(
                title,
                subtitle="Percentile rank among all areas of the level, in each "
                "indicator's latest period. 100 = best, 0 = worst; neutral indicators: 100 = highest.",
                anchor="start",
            ),
        )
    )
    return _sized(chart, width)


def _reason(status, notes) -> str:
    from lumap.analysis.comparison import status_reason

    return status_reason(status, notes)


# ---- trends: lines -------------------------------------------------------------------------


def period_axis(periods: pd.DataFrame, angle: int = 0) -> alt.Axis:
    """A time axis whose ticks sit at each period's start and read as its label
    ("2019-21", "FY 2023-24"), not as dates."""
    starts = pd.to_datetime(periods["start"])
    keys = [d.strftime("%Y-%m-%d") for d in starts]
    lookup = (
        "{"
        + ",".join(
            f"{json.dumps(k)}:{json.dumps(str(v))}" for k, v in zip(keys, periods["label"], strict=True)
        )
        + "}"
    )
    # DateTime objects, not epoch numbers: Streamlit's Vega ignores numeric tick values
    values = [alt.DateTime(year=d.year, month=d.month, date=d.day, utc=True) for d in starts]
    return alt.Axis(
        values=values,
        labelExpr=f"{lookup}[utcFormat(datum.value, '%Y-%m-%d')]",
        labelOverlap="greedy",
        labelAngle=angle,
        title=None,
        grid=False,
    )


def _dates(frame: pd.DataFrame, col: str = "start") -> pd.DataFrame:
    """``x`` as an ISO date string (read as UTC by the period axis) in place of ``start``."""
    return frame.assign(x=pd.to_datetime(frame[col]).dt.strftime("%Y-%m-%d")).drop(columns=[col])


def trend_chart(
    frames: dict[str, pd.DataFrame],
    meta: dict,
    periods: pd.DataFrame,
    title: str,
    y: str = "value",
    ci: bool = False,
    indexed_base: str | None = None,
    width: int | None = None,
    static: bool = False,
) -> alt.LayerChart:
    """Lines over time: selected areas in colour (with their old codes, joined, and a
    diamond where the code changed), comparators in black/greys dashed, every other area
    of the level as faint grey context. ``y``: "value" or "index" (then a rule at 100).
    ``static``: for an image, the context lines drawn as one path (see ``_context_layer``)."""
    lo, hi = ("lci_95", "uci_95") if y == "value" else ("lci_index", "uci_index")
    areas = _dates(frames["areas"])
    comps = _dates(frames["comparators"])
    area_lines = list(dict.fromkeys(areas["line"]))
    comp_lines = list(dict.fromkeys(comps["line"]))
    domain = area_lines + comp_lines
    palette = (LINE_COLOURS * 2)[: len(area_lines)] + (COMPARATOR_LINES * 3)[: len(comp_lines)]
    # one legend (colour and band fill share it): solid stroke symbols, whatever the marks' opacity
    legend = alt.Legend(
        orient="bottom", columns=4, labelLimit=260, symbolType="stroke", symbolStrokeWidth=3, symbolOpacity=1
    )
    colour = alt.Color(
        "line:N", title=None, sort=domain, scale=alt.Scale(domain=domain, range=palette), legend=legend
    )
    x = alt.X("x:T", axis=period_axis(periods, -40 if len(periods) > 12 else 0), scale=alt.Scale(type="utc"))
    unit = _unit(meta)
    ytitle = f"Index ({indexed_base} = 100)" if y == "index" else (unit or None)
    yenc = alt.Y(
        f"{y}:Q",
        title=ytitle,
        scale=alt.Scale(
            zero=False,
            domain=_y_domain([areas, comps], [y] + ([lo, hi] if ci else []), 100.0 if y == "index" else None),
        ),
    )
    d = meta.get("decimals")
    fmt = f",.{int(d) if d is not None else 1}f"
    layers = []
    ctx = frames["context"]
    if len(ctx):
        layers.append(_context_layer(ctx, x, yenc, y, fmt, static))
    shown = pd.concat([areas, comps], ignore_index=True)
    shown = shown.assign(
        value_text=[format_value(v, meta) for v in shown["value"]],
        ci_text=[_ci_text(a, b, meta) for a, b in zip(shown["lci_95"], shown["uci_95"], strict=True)],
        index_text=[("–" if is_missing(v) else f"{v:.1f}") for v in shown[y]] if y == "index" else "",
    )
    tips = [
        alt.Tooltip("line:N", title="Line"),
        alt.Tooltip("areanm:N", title="Area"),
        alt.Tooltip("areacd:N", title="Code"),
        alt.Tooltip("period_label:N", title="Period"),
        alt.Tooltip("value_text:N", title="Value"),
        alt.Tooltip("ci_text:N", title="95% CI"),
    ]
    if y == "index":
        tips.append(alt.Tooltip("index_text:N", title="Index"))
    keep = [
        "line",
        "areanm",
        "areacd",
        "segment",
        "period_label",
        "x",
        y,
        lo,
        hi,
        "value_text",
        "ci_text",
        "index_text",
    ]
    shown = shown[list(dict.fromkeys(keep))]
    # an area's other codes (before or after a code change): same colour, thinner
    main = set(frames.get("selected") or areas["areacd"])
    shown = shown.assign(main=shown["areacd"].isin(main | set(comps["areacd"])))
    # rows without a value stay in, so a line breaks at a suppressed period instead of
    # silently joining its neighbours
    plotted = shown
    if ci:
        band = plotted[plotted[lo].notna() & plotted[hi].notna()]
        if len(band):
            fill = alt.Fill(
                "line:N",
                title=None,
                sort=domain,
                scale=alt.Scale(domain=domain, range=palette),
                legend=legend,
            )
            layers.append(
                alt.Chart(band)
                .mark_area(opacity=0.16)
                .encode(x=x, y=alt.Y(f"{lo}:Q"), y2=f"{hi}:Q", fill=fill, detail="segment:N")
            )
    if y == "index":
        layers.append(
            alt.Chart(pd.DataFrame({"y": [100]})).mark_rule(color="#777", strokeDash=[2, 2]).encode(y="y:Q")
        )
    is_comp = plotted["areacd"].isin(set(comps["areacd"])) & plotted["line"].isin(comp_lines)
    gaps = "break-paths-show-domains"
    layers.append(
        alt.Chart(plotted[is_comp])
        .mark_line(strokeDash=[6, 3], strokeWidth=1.6, invalid=gaps)
        .encode(x=x, y=yenc, color=colour, detail="segment:N", tooltip=tips)
    )
    layers.append(
        alt.Chart(plotted[~is_comp])
        .mark_line(invalid=gaps, point=alt.OverlayMarkDef(size=28))
        .encode(
            x=x,
            y=yenc,
            color=colour,
            detail="segment:N",
            tooltip=tips,
            strokeWidth=alt.condition(alt.datum.main, alt.value(2.6), alt.value(1.2)),
        )
    )
    joins = frames["joins"]
    if len(joins):
        layers.append(
            alt.Chart(_dates(joins))
            .mark_line(strokeDash=[3, 3], strokeWidth=1.6)
            .encode(x=x, y=alt.Y("y:Q"), color=colour, detail="edge:N")
        )
    markers = frames["markers"]
    if len(markers):
        layers.append(
            alt.Chart(_dates(markers))
            .mark_point(shape="diamond", size=160, filled=True, stroke="#000000", strokeWidth=1, opacity=1)
            .encode(
                x=x,
                y=alt.Y("y:Q"),
                color=colour,
                tooltip=[alt.Tooltip("line:N", title="Area"), alt.Tooltip("note:N", title="Code changed")],
            )
        )
    chart = alt.layer(*layers).properties(height=440, title=alt.TitleParams(title, anchor="start"))
    return _sized(chart, width)


def _context_layer(ctx: pd.DataFrame, x, yenc, y: str, fmt: str, static: bool) -> alt.Chart:
    """Every other area as a faint grey line. Solid light grey, no opacity (hundreds of
    translucent lines take seconds to rasterise); rows without a value break the line
    rather than bridge the gap; clipped to the chosen areas' y range.

    Interactive: one line per area, each with its tooltip (the browser draws them on a
    canvas in milliseconds). ``static``: one path for all areas, the areas one after
    another with a break between them. An image renderer clips each line separately
    (15 s of rasterising for 350 lines); one path is clipped once (under 1 s)."""
    ctx = _dates(ctx[["areacd", "areanm", "start", "period_label", y]])
    mark = {"color": CONTEXT, "strokeWidth": 0.7, "clip": True, "invalid": "break-paths-show-domains"}
    if not static:
        return (
            alt.Chart(ctx)
            .mark_line(**mark)
            .encode(
                x=x,
                y=yenc,
                detail="areacd:N",
                tooltip=[
                    alt.Tooltip("areanm:N", title="Area"),
                    alt.Tooltip("period_label:N", title="Period"),
                    alt.Tooltip(f"{y}:Q", title="Index" if y == "index" else "Value", format=fmt),
                ],
            )
        )
    ctx = ctx[["areacd", "x", y]].sort_values(["areacd", "x"], kind="stable")
    last = ctx.drop_duplicates("areacd", keep="last").assign(**{y: float("nan")})
    path = pd.concat([ctx, last], ignore_index=True).sort_values(["areacd"], kind="stable")
    path = path.assign(seq=range(len(path)))[["x", y, "seq"]]
    return alt.Chart(path).mark_line(**mark).encode(x=x, y=yenc, order="seq:Q")


def _y_domain(frames: list[pd.DataFrame], cols: list[str], include: float | None = None):
    """The y range of the chosen areas and comparators (5% padding), so one extreme
    context area cannot flatten every line; context lines outside it are clipped."""
    vals = pd.concat(
        [pd.to_numeric(f[c], errors="coerce") for f in frames for c in cols if c in f], ignore_index=True
    ).dropna()
    if include is not None:
        vals = pd.concat([vals, pd.Series([include])], ignore_index=True)
    if vals.empty:
        return alt.Undefined
    lo, hi = float(vals.min()), float(vals.max())
    pad = (hi - lo) * 0.05 or abs(hi) * 0.05 or 1.0
    return [lo - pad, hi + pad]


def single_values_chart(
    rows: pd.DataFrame,
    meta: dict,
    title: str,
    subtitle: str = "",
    width: int | None = None,
    comparators: pd.DataFrame | None = None,
) -> alt.LayerChart:
    """For an indicator with one period: the values as bars (the compare bar chart)."""
    return bar_chart(rows, meta, title, subtitle, width=width, comparators=comparators)


# ---- export --------------------------------------------------------------------------------


def to_png(chart: alt.TopLevelMixin, width: int = 900, scale: float = 2) -> bytes:
    """The chart as PNG, rendered offline by vl-convert (bundled Vega; no browser, no network).
    Seconds of CPU holding the interpreter lock: the app calls it in a worker process
    (``lumap.viz.render``), never on a server thread."""
    with alt.data_transformers.disable_max_rows():  # context lines: thousands of points
        spec = chart.properties(width=width).to_dict()
    return spec_to_png(spec, scale)


def spec_to_png(spec: dict, scale: float = 2) -> bytes:
    """A Vega-Lite spec (dict) as PNG, on a white background in the charts' font."""
    import vl_convert

    spec = {**spec, "background": spec.get("background", "white")}
    spec["config"] = {"font": FONT, **(spec.get("config") or {})}
    return vl_convert.vegalite_to_png(json.dumps(spec), scale=scale)


def trend_png(*args, **kwargs) -> bytes:
    """``trend_chart(*args, **kwargs)`` as PNG, its context lines drawn as one path."""
    return to_png(trend_chart(*args, **kwargs, static=True))
