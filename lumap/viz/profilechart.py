"""The area profile's small trend chart: the area against its comparators over time.
Altair only; no Streamlit here."""

from __future__ import annotations

import altair as alt
import pandas as pd

from lumap.escape import js_string

AREA_COLOUR = "#206095"  # ONS dark blue
COMPARATOR_COLOURS = ["#a8bd3a", "#871a5b", "#f66068", "#746cb1"]
FEW_PERIODS = 6
CODE_CHANGE_COLOUR = "#d95f02"


def trend_chart(
    frame: pd.DataFrame,
    area_name: str,
    highlight_label: str | None = None,
    height: int = 200,
    code_change: tuple[int, str] | None = None,
) -> alt.Chart:
    """Lines per ``series`` (the area first, then comparators) over ``start``, with the
    area's 95% interval as a band where published and a rule at ``highlight_label``.
    ``code_change``: (year, note) of a re-coded place (:mod:`lumap.data.lineage`), drawn as
    an orange rule with the note in its tooltip; each point's tooltip then says which code
    the source published it under (``source_areacd``).

    ``frame``: series, start, period_label, value, lci_95, uci_95, value_text (source_areacd)."""
    data = frame.dropna(subset=["value"]).copy()
    data["start"] = pd.to_datetime(data["start"])
    names = list(dict.fromkeys(data["series"]))
    if area_name in names:
        names = [area_name] + [n for n in names if n != area_name]
    colours = [AREA_COLOUR] + COMPARATOR_COLOURS[: max(len(names) - 1, 0)]
    colour = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(domain=names, range=colours[: len(names)]),
        legend=alt.Legend(orient="bottom", columns=1, labelLimit=220),
    )
    if data["start"].nunique() <= FEW_PERIODS:  # few periods: label each with its own name
        order = list(data.sort_values("start")["period_label"].drop_duplicates())
        x = alt.X("period_label:O", title=None, sort=order, axis=alt.Axis(labelAngle=0, labelOverlap=True))
    else:
        x = alt.X(
            "start:T",
            title=None,
            axis=alt.Axis(format="%Y", labelOverlap=True, tickCount={"interval": "year", "step": 1}),
        )
    y = alt.Y("value:Q", title=None, scale=alt.Scale(zero=False))
    tooltip = [
        alt.Tooltip("series:N", title="Area"),
        alt.Tooltip("period_label:N", title="Period"),
        alt.Tooltip("value_text:N", title="Value"),
    ]
    if code_change and "source_areacd" in data:
        tooltip.append(alt.Tooltip("source_areacd:N", title="Published as"))
    base = alt.Chart(data)
    lines = base.mark_line(point=alt.OverlayMarkDef(size=22)).encode(
        x=x,
        y=y,
        color=colour,
        tooltip=tooltip,
        # the name travels as a JSON string literal (Altair's own ``==`` writes a Python repr)
        strokeWidth=alt.condition(f"datum.series === {js_string(area_name)}", alt.value(3), alt.value(1.5)),
    )
    layers = []
    band = data[(data["series"] == area_name) & data["lci_95"].notna() & data["uci_95"].notna()]
    if len(band):
        layers.append(
            alt.Chart(band)
            .mark_area(opacity=0.18, color=AREA_COLOUR)
            .encode(x=x, y=alt.Y("lci_95:Q", title=None), y2="uci_95:Q")
        )
    layers.append(lines)
    hit = data[data["period_label"] == highlight_label].head(1)
    if highlight_label and len(hit):
        layers.append(
            alt.Chart(hit[["start", "period_label"]])
            .mark_rule(color="#707070", strokeDash=[4, 3])
            .encode(x=x)
        )
    if code_change and data["start"].nunique() > FEW_PERIODS:
        year, note = code_change
        mark = pd.DataFrame({"start": [pd.Timestamp(year=int(year), month=1, day=1)], "note": [note]})
        layers.append(
            alt.Chart(mark)
            .mark_rule(color=CODE_CHANGE_COLOUR, strokeWidth=2, strokeDash=[2, 2])
            .encode(x="start:T", tooltip=[alt.Tooltip("note:N", title="Code change")])
        )
    return alt.layer(*layers).properties(height=height)


def total_height(chart_height: int, n_series: int) -> int:
    """Pixels to give the chart in Streamlit (which counts the legend in the height)."""
    return chart_height + 40 + 24 * n_series


# ---- the profile at a glance -----------------------------------------------------------------

BAND_COLOURS = {  # ColorBrewer PuOr ends (colour-blind safe), as the heat map: purple = better
    "best quarter": "#542788",
    "middle half": "#998ec3",
    "worst quarter": "#b35806",
    "neutral": "#737373",
}
#: The direction of travel: an arrow for the value's direction, coloured by better / worse.
HEADINGS = {
    "improving": ("improving", "#542788"),
    "worsening": ("worsening", "#b35806"),
    "up": ("up", "#737373"),
    "down": ("down", "#737373"),
    "no change": ("no change", "#737373"),
    "one period": ("one period only", "#b0b0b0"),
}
ROW = 17  # pixels per indicator
LABEL_WIDTH = 190
STRIP_WIDTH = 120
SPARK_WIDTH = 70
ARROW_WIDTH = 18
SPARK = "#206095"
CODE_CHANGE = "#d95f02"
EARLIER = " *"  # after a label: figures published under an earlier code of the same place


def glance_chart(rows: pd.DataFrame, change_year: int | None = None, columns: int = 2) -> alt.HConcatChart:
    """The profile at a glance (:func:`lumap.analysis.areaglance.glance_rows`): one block per
    mission, the blocks in ``columns`` columns of about equal length, so the whole fits one
    screen. Per indicator: its position among the areas of its level (the area's dot coloured
    by quarter, purple = best; the UK a black tick, the region a grey one), a sparkline of
    the area's own published points (broken where a period has no value; an orange tick at
    ``change_year`` on the rows whose figures include some published under an earlier code
    of the same place, their labels ending in " *"), and an arrow for the direction of
    travel (up/down, coloured purple when improving, orange when worsening). Values, ranks
    and periods are in the tooltips."""
    starts = [p[0] for pts in rows["points"] for p in pts]
    t_domain = [min(starts), max(starts)] if starts else ["2000-01-01", "2026-01-01"]
    groups = list(rows.groupby("group", sort=False))
    split = _balanced([len(g) for _, g in groups], columns)
    cols = []
    for members in split:
        blocks = [
            _glance_block(groups[i][1], groups[i][0], t_domain, change_year, first=j == 0)
            for j, i in enumerate(members)
        ]
        if blocks:
            cols.append(alt.vconcat(*blocks, spacing=2).resolve_scale(color="independent"))
    # The marks stay out of the accessibility tree (an empty layer, e.g. no UK tick, would be
    # an unlabelled "graphics-symbol"); the chart itself is described, and the tables below
    # give every value in text.
    return (
        alt.hconcat(*cols, spacing=24)
        .resolve_scale(color="independent")
        .properties(
            description="Where the area stands on each mission indicator among all areas of its "
            "level, and which way it is heading (every value is in the tables below)"
        )
        .configure_view(stroke=None)
        .configure_mark(aria=False)
    )


def _balanced(sizes: list[int], columns: int) -> list[list[int]]:
    """Consecutive groups split into ``columns`` runs of about equal total size."""
    total = sum(sizes) or 1
    out: list[list[int]] = [[] for _ in range(max(columns, 1))]
    done, col = 0, 0
    for i, n in enumerate(sizes):
        if col < len(out) - 1 and done >= total * (col + 1) / len(out) - n / 2 and out[col]:
            col += 1
        out[col].append(i)
        done += n
    return [c for c in out if c]


def _glance_block(part: pd.DataFrame, group: str, t_domain, change_year, first: bool) -> alt.HConcatChart:
    df = part.reset_index(drop=True).copy()
    df["name"] = [
        f"{lab}{EARLIER}" if early else lab
        for lab, early in zip(df["label"], df["earlier_code"], strict=True)
    ]
    df["heading_text"] = [
        HEADINGS.get(h, (h, ""))[0] + (f" since {s}" if s else "")
        for h, s in zip(df["heading"], df["since"], strict=True)
    ]
    df["right"] = [f"{v} ({p})" for v, p in zip(df["value_text"], df["period_label"], strict=True)]
    order = list(df["name"])
    height = ROW * len(df)
    spark = _sparks(df, order, height, t_domain, change_year, first)
    df = df.drop(columns=["points"])  # lists: not chart data (Streamlit sends charts' data as Arrow)
    axis_y = alt.Axis(
        labelLimit=LABEL_WIDTH, minExtent=LABEL_WIDTH, labelFontSize=11, ticks=False, domain=False
    )
    y = alt.Y("name:N", sort=order, title=None, axis=axis_y, scale=alt.Scale(domain=order))
    scale = alt.Scale(domain=[0, 100])
    grid = {"values": [0, 25, 50, 75, 100], "grid": True, "gridColor": "#e3e3e3", "domain": False}
    x_axis = (
        alt.Axis(orient="top", title="worse ← position → better", labelFontSize=10, **grid)
        if first
        else alt.Axis(labels=False, ticks=False, title=None, **grid)
    )
    base = alt.Chart(df)
    tips = [
        alt.Tooltip("label:N", title="Indicator"),
        alt.Tooltip("right:N", title="Value"),
        alt.Tooltip("rank_text:N", title="Rank"),
        alt.Tooltip("band:N", title="Position"),
        alt.Tooltip("heading_text:N", title="Heading"),
    ]
    track = (
        base.transform_calculate(lo="0", hi="100")
        .mark_rule(color="#dcdcdc", strokeWidth=5)
        .encode(y=y, x=alt.X("lo:Q", scale=scale, axis=x_axis), x2="hi:Q", tooltip=tips)
    )
    uk = (
        base.transform_filter("isValid(datum.uk_pos)")
        .mark_tick(color="#000000", thickness=2, size=13)
        .encode(
            y=y,
            x=alt.X("uk_pos:Q", scale=scale),
            tooltip=[alt.Tooltip("uk_pos:Q", title="UK position", format=".0f")],
        )
    )
    region = (
        base.transform_filter("isValid(datum.region_pos)")
        .mark_tick(color="#8c8c8c", thickness=2, size=9)
        .encode(
            y=y,
            x=alt.X("region_pos:Q", scale=scale),
            tooltip=[alt.Tooltip("region_pos:Q", title="Region position", format=".0f")],
        )
    )
    dot = (
        base.transform_filter("isValid(datum.pos)")
        .mark_circle(size=70, opacity=1, stroke="#ffffff", strokeWidth=1)
        .encode(
            y=y,
            x=alt.X("pos:Q", scale=scale),
            color=alt.Color(
                "band:N",
                scale=alt.Scale(domain=list(BAND_COLOURS), range=list(BAND_COLOURS.values())),
                legend=None,
            ),
            tooltip=tips,
        )
    )
    strip = alt.layer(track, region, uk, dot).properties(
        width=STRIP_WIDTH,
        height=height,
        title=alt.TitleParams(group, anchor="start", fontSize=12, dx=-LABEL_WIDTH, offset=2),
    )
    hidden = alt.Y("name:N", sort=order, title=None, axis=None, scale=alt.Scale(domain=order))
    arrows = (
        base.transform_calculate(
            arrow="datum.heading == 'improving' || datum.heading == 'worsening' ? "
            "(datum.up ? '▲' : '▼') : datum.heading == 'up' ? '▲' : datum.heading == 'down' ? '▼' : "
            "datum.heading == 'no change' ? '►' : '·'"
        )
        .mark_text(fontSize=11)
        .encode(
            y=hidden,
            text="arrow:N",
            color=alt.Color(
                "heading:N",
                scale=alt.Scale(domain=list(HEADINGS), range=[c for _, c in HEADINGS.values()]),
                legend=None,
            ),
            tooltip=[alt.Tooltip("heading_text:N", title="Heading"), alt.Tooltip("right:N", title="Now")],
        )
        .properties(width=ARROW_WIDTH, height=height)
    )
    return alt.hconcat(strip, spark, arrows, spacing=4).resolve_scale(color="independent")


def _sparks(df: pd.DataFrame, order: list[str], height: int, t_domain, change_year, first: bool):
    """Each row's own points, scaled to the row (high = up), broken where a value is missing."""
    pts = [
        {"name": n, "t": t, "v": v}
        for n, points in zip(df["name"], df["points"], strict=True)
        for (t, v, _c) in points
    ]
    spark = pd.DataFrame(pts, columns=["name", "t", "v"])
    if len(spark):
        have = spark["v"].notna()
        lo = spark["v"].where(have).groupby(spark["name"]).transform("min")
        hi = spark["v"].where(have).groupby(spark["name"]).transform("max")
        norm = ((spark["v"] - lo) / (hi - lo)).where(hi > lo, 0.5)
        spark["yn"] = (0.85 - 0.7 * norm).where(have)
    y = alt.Y("name:N", sort=order, title=None, axis=None, scale=alt.Scale(domain=order))
    x = alt.X(
        "t:T",
        scale=alt.Scale(domain=t_domain),
        title=None,
        axis=alt.Axis(format="%Y", orient="top", labelFontSize=9, tickCount=3, grid=False) if first else None,
    )
    yo = alt.YOffset("yn:Q", scale=alt.Scale(domain=[0, 1], range=[0, ROW]))
    sb = alt.Chart(spark)
    layers = [
        sb.mark_line(color=SPARK, strokeWidth=1.2, invalid="break-paths-show-domains").encode(
            x=x, y=y, yOffset=yo, detail="name:N"
        ),
        sb.transform_filter("isValid(datum.yn)")
        .mark_circle(size=9, color=SPARK, opacity=1)
        .encode(x=x, y=y, yOffset=yo),
    ]
    marked = df[df["earlier_code"] & (df["points"].map(len) > 0)]
    if change_year and len(marked):
        ticks = pd.DataFrame({"name": marked["name"], "t": f"{int(change_year)}-01-01"})
        layers.append(
            alt.Chart(ticks)
            .mark_tick(color=CODE_CHANGE, thickness=2, size=ROW - 3)
            .encode(x=x, y=y, tooltip=[alt.Tooltip("t:T", title="Code changed", format="%Y")])
        )
    return alt.layer(*layers).properties(width=SPARK_WIDTH, height=height)
