"""The area profile page's parts: area finder, header and boundary changes, links to the
other pages, headline counts, the grouped indicator tables, the selected indicator in the
sidebar, "closing the gap", similar areas and the CSV download."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from lumap.analysis import areaglance, comparators
from lumap.analysis import profile as pf
from lumap.analysis import profiletext as pt
from lumap.analysis.comparators import DEFAULT_SIMILAR, SIMILAR_KINDS
from lumap.analysis.counts import count_note
from lumap.analysis.format import format_value, is_missing
from lumap.analysis.sentences import change_sentence
from lumap.analysis.significance import RULE_TEXT
from lumap.data import areas
from lumap.data import levels as lv
from lumap.data.store import Store
from lumap.escape import md
from lumap.ui import cache, chrome, deckui, downloads, pickers, state, wording
from lumap.ui.params import parse_area, parse_choice, parse_indicator, parse_year
from lumap.viz import profilechart
from lumap.viz.profilechart import total_height, trend_chart

AREA_PAGE = "pages/area.py"
CHART_HEIGHT = 170


# ---- finding an area ---------------------------------------------------------------------


def find_area(store: Store, notices: list[str], changed: bool) -> str | None:
    """The type-ahead area picker; the URL's ``area`` (a code or an exact name) wins."""
    cat = cache.area_catalogue(store.key)
    labels = dict(zip(cat["areacd"], cat["label"], strict=True))

    def parse(raw: str) -> str:
        code = str(raw).strip().upper()
        current = store.current_code(code)
        if current != code and current in labels:  # an earlier code of a re-coded place
            cont = store.continuations[code]
            notices.append(
                f"{code} is an earlier code of {store.area_name(current)} ({cont.words()}); "
                f"showing {store.area_name(current)} ({current}), with the figures published "
                "under both codes."
            )
            return current
        return parse_area(raw, cat)

    state.resolve(
        state.Param("area", parse, None),
        notices,
        changed,
        valid=lambda v: v is None or v in labels,
    )
    return st.selectbox(
        "Find an area",
        list(labels),
        key="area",
        index=None,
        format_func=labels.get,
        placeholder="Type a place name or code: Blackpool, Cumberland, North West, Wales …",
        help="Every local authority, county, combined authority, region and country with data, "
        "including codes no longer in use.",
    )


def intro() -> None:
    st.markdown(
        "Everything lumap knows about one place: every indicator with its latest value, rank, the UK, "
        "country and region for the same period, similar areas, change over time and whether the "
        "place is closing the gap to the best-performing areas. Choose an area above, or click one "
        "on the map."
    )


# ---- header --------------------------------------------------------------------------------


def header(store: Store, code: str) -> None:
    name = store.area_name(code)
    st.title(md(name))
    g = store.geo.get(code) or {}
    kind = areas.area_type(code)
    bits = [f"{kind[:1].upper()}{kind[1:]} · {code}"]
    region = comparators.region_of(code, store.geo)
    country = comparators.country_of(code, store.geo)
    for c in dict.fromkeys([region, country]):
        if c and c != code:
            bits.append(store.area_name(c))
    if g.get("start"):
        bits.append(f"code in use from {g['start']}")
    if g.get("end"):
        bits.append(f"code in use until {g['end']}")
    st.caption(" · ".join(md(b) for b in bits))


def boundary_notice(store: Store, code: str, keep: dict) -> None:
    """Say when the area replaced, or was replaced by, other codes, with links to them."""
    ch = pf.boundary_changes(code, store.successors, store.geo)
    name = store.area_name(code)

    def named(codes):
        return ", ".join(f"{store.area_name(c)} ({c})" for c in codes)

    if ch["replaced_by"]:
        when = f" after {ch['end']}" if ch.get("end") else ""
        st.warning(
            md(
                f"{name} ({code}) was replaced by {named(ch['replaced_by'])}{when}. Figures "
                "here run only as long as the old code was published; newer figures are "
                "under the new code."
            ),
            icon=":material/swap_horiz:",
        )
        _area_links(store, ch["replaced_by"], keep, "Profile of ")
    earlier = store.earlier_codes(code)
    if earlier:
        conts = [store.continuations[c] for c in earlier]
        when = f" in {ch['start']}" if ch.get("start") else ""
        st.info(
            md(
                f"{name}'s code changed{when}: before {code} it was "
                + " and ".join(f"{c.old} ({c.words()})" for c in conts)
                + ". The same place, so its figures are one series here: those the source still "
                "publishes under the earlier code are included, marked * in the summary and “as "
                f"{conts[0].old}” in the tables."
            ),
            icon=":material/swap_horiz:",
        )
        ch = {**ch, "replaced": [c for c in ch["replaced"] if c not in earlier]}
    if ch["replaced"]:
        start = f" in {ch['start']}" if ch.get("start") else ""
        st.info(
            md(
                f"{name} ({code}) replaced {named(ch['replaced'])}{start}: a different area "
                "(their boundaries changed), so their earlier figures are not counted as its own "
                "and are published under those codes."
            ),
            icon=":material/swap_horiz:",
        )
        _area_links(store, ch["replaced"], keep, "Profile of ")


def _area_links(store: Store, codes: list[str], keep: dict, prefix: str = "", per_row: int = 4) -> None:
    codes = list(codes)
    for i in range(0, len(codes), per_row):
        cols = st.columns(per_row)
        for col, c in zip(cols, codes[i : i + per_row], strict=False):
            with col:
                st.page_link(
                    AREA_PAGE,
                    label=md(f"{prefix}{store.area_name(c)}"),
                    icon=":material/location_on:",
                    query_params={"area": c, **keep},
                )


# ---- links to the other pages ------------------------------------------------------------


def page_links(
    code: str, indicator: str | None, when: dict, profile: pd.DataFrame, similar: list[str], similar_kind: str
) -> None:
    """Map / Compare / Trends for this area, keeping the indicator and its period (``when``:
    :func:`lumap.ui.pickers.period_params`)."""
    common = {k: v for k, v in {"indicator": indicator, **when}.items() if v not in (None, "")}
    hit = profile.loc[profile["indicator"] == indicator, "level"] if indicator else pd.Series(dtype=object)
    level = (
        hit.iloc[0]
        if len(hit) and isinstance(hit.iloc[0], str)
        else next(iter(pf.rank_levels(code)), lv.DEFAULT_LEVEL)
    )
    c1, c2, c3 = st.columns(3)
    with c1:
        st.page_link(
            "pages/map.py",
            label="See it on the map",
            icon=":material/map:",
            query_params={**common, "level": level, "area": code},
        )
    with c2:
        others = [c for c in similar if c != code][:4]
        st.page_link(
            "pages/compare.py",
            label="Compare with similar areas" if others else "Compare",
            icon=":material/balance:",
            query_params={**common, "areas": ",".join([code] + others), "similar": similar_kind},
        )
    with c3:
        trend = {k: v for k, v in common.items() if k not in ("year", "period")}
        st.page_link(
            "pages/trends.py",
            label="Trends over time",
            icon=":material/show_chart:",
            query_params={**trend, "areas": code},
        )


# ---- headline counts -----------------------------------------------------------------------


def summary(profile: pd.DataFrame, name: str) -> None:
    counts = pt.summary_counts(profile)
    total = sum(counts.values())
    if not total:
        return
    st.markdown(
        f"**How {md(name)} compares with the UK** (or with its country where no UK figure "
        f"is published), across {total} indicators:"
    )
    shown = [
        ("Significantly better", counts["significantly better"], None),
        ("Significantly worse", counts["significantly worse"], None),
    ]
    if counts["significantly different"]:
        shown.append(
            (
                "Significantly different",
                counts["significantly different"],
                "On indicators where neither higher nor lower is better.",
            )
        )
    shown += [
        ("No significant difference", counts["not significantly different"], None),
        (
            "Untested",
            counts["untested"],
            "No confidence interval is published, so the difference is shown but not tested.",
        ),
    ]
    for col, (label, n, help_) in zip(st.columns(len(shown)), shown, strict=True):
        col.metric(label, n, help=help_)
    st.caption(md(RULE_TEXT))


# ---- the grouped tables --------------------------------------------------------------------


def _select_row(key: str, slugs: list[str]) -> None:
    """A row clicked in a table becomes the sidebar's indicator (runs before the rerun); the
    card then shows that row's period (:func:`pick_period`)."""
    rows = st.session_state[key].selection.rows
    if rows:
        st.session_state["indicator"] = slugs[rows[0]]


def at_a_glance(store: Store, code: str, kind: str, neutral: bool) -> None:
    """The one-screen summary: per mission, where the area stands and which way it heads."""
    rows = cache.area_glance(store.key, code, kind, neutral)
    if rows.empty:
        return
    counts = areaglance.headline(rows)
    name = store.area_name(code)
    st.subheader(f"{md(name)} at a glance")
    directed = (
        ""
        if neutral
        else (
            f" {counts[areaglance.BEST]} in the best quarter of areas, "
            f"{counts[areaglance.WORST]} in the worst;"
            f" {counts['improving']} improving, {counts['worsening']} worsening."
        )
    )
    st.markdown(f"**{counts['indicators']} mission indicators** with figures for {md(name)}.{directed}")
    change = (store.geo.get(code) or {}).get("start") if store.earlier_codes(code) else None
    st.altair_chart(profilechart.glance_chart(rows, change), width="content")
    where = "position by value: 100 = the highest" if neutral else "100 = the best area, 0 = the worst"
    st.caption(
        f"Each dot: {md(name)}'s position among all areas of the same level in the indicator's latest "
        f"period ({where}; purple: best quarter, orange: worst quarter, grey: no better direction or "
        "a count). Black tick: the UK; grey tick: the region. The line: every published figure, oldest "
        "first, broken where one is missing. Arrow: the change over about five years (or since the "
        "previous period): purple improving, orange worsening, grey no direction. "
        + (
            f"* includes figures published under {name}'s earlier code (the orange tick marks the change). "
            if change
            else ""
        )
        + "Hover for values and ranks; the tables below have every number."
    )


def profile_tables(store: Store, profile: pd.DataFrame, meta: dict) -> None:
    table = pt.display_table(profile, meta)
    if table.empty:
        st.info("No indicator has data for this area.")
        return
    st.subheader("Every indicator")
    st.caption(
        "One table per mission, for the area's latest period. Ranks count from the highest value "
        "among areas of the same level; ties are joint. Changes: pts = percentage points; "
        "better/worse gives the direction only, untested. Click a row to see it, with every "
        "comparator, in the sidebar."
    )
    config = {
        "Indicator": st.column_config.TextColumn(width=230, pinned=True),
        "Period": st.column_config.TextColumn(width=100),
        "Value": st.column_config.TextColumn(width=130),
        "Rank": st.column_config.TextColumn(width=150),
        "vs UK": st.column_config.TextColumn(
            width=150,
            help="Against the UK (or the country where no UK figure is published), by the rule above",
        ),
        "UK": st.column_config.TextColumn(width=80),
        "Change": st.column_config.TextColumn(
            width=230, help="Since the previous period; and over about five years"
        ),
    }
    shown = [c for c in table.columns if c not in ("indicator", "group")]
    code = profile["areacd"].iloc[0]
    for i, (group, part) in enumerate(table.groupby("group", sort=False)):
        with st.expander(f"{md(group)} ({len(part)})", expanded=False):
            key = f"profile-table-{code}-{i}"  # per area: no row stays ticked after a change of area
            slugs = list(part["indicator"])
            st.dataframe(
                part[shown],
                hide_index=True,
                width="stretch",
                column_config=config,
                height=35 * len(part) + 38,
                key=key,
                on_select=partial(_select_row, key, slugs),
                selection_mode="single-row",
            )


# ---- the selected indicator (sidebar) ------------------------------------------------------


def pick_indicator(store: Store, profile: pd.DataFrame, notices: list[str], changed: bool) -> str | None:
    options = list(profile["indicator"]) if not profile.empty else []
    if not options:
        return None
    shared = state.shared("indicator")
    default = shared if shared in options else options[0]
    raw = st.query_params.get("indicator") if changed else None
    wanted = raw or shared
    use_url = changed
    if store.has(str(wanted)) and wanted not in options:
        # a known indicator this area has no figures for: say so (not "bad link")
        notices.append(
            f"{store.indicator(wanted)['label']} has no figures for this area (where "
            "codes changed, look under the new or old code); showing another indicator."
        )
        use_url = False
    state.resolve(
        state.Param("indicator", parse_indicator(store.meta), default),
        notices,
        use_url,
        valid=lambda v: v in options,
    )
    return st.selectbox(
        "Indicator",
        options,
        key="indicator",
        format_func=pickers.indicator_labels(store, options).get,
        help="Type to search. Or click a row of the tables.",
    )


def selected_indicator(
    store: Store,
    code: str,
    indicator: str,
    similar_kind: str,
    notices: list[str],
    changed: bool,
    gap: pd.DataFrame,
) -> str | None:
    """The sidebar card for one indicator: period, quotable sentence, change, chart,
    comparators, closing the gap. Returns the period shown."""
    meta = wording.meta(store, indicator)
    ctx = cache.area_context(store.key, code, similar_kind)
    series = ctx.series(indicator)
    if series.empty:
        st.info("No figures for this area.")
        return None
    period = pick_period(store, code, indicator, series, notices, changed)
    row = pf.indicator_row(ctx, indicator, meta, period)
    st.markdown(f"**{md(meta['label'])}**  \n{md(meta.get('subtitle') or '')}")
    st.markdown(f"> {md(row['sentence'])}")
    if row["source_areacd"] != code:
        st.caption(md(store.published_as(code, row["source_areacd"])))
    if is_missing(row["value"]):
        reason = pt.value_text(row["value"], row["status"], row["notes"], meta)
        st.caption(
            md(
                f"{row['period_label']}: {reason}. Latest period for this area: "
                f"{series['period_label'].iloc[-1]}."
            )
        )
    elif not is_missing(row["lci_95"]) and not is_missing(row["uci_95"]):
        st.caption(
            md(
                f"95% confidence interval {format_value(row['lci_95'], meta, False)} to "
                f"{format_value(row['uci_95'], meta, False)}."
            )
        )
    note = count_note(store.meta, indicator)
    if note:
        st.caption(md(note))
    for label, key in (("Since the previous period", "prev"), ("Over about five years", "y5")):
        ch = pf.row_change(row, key)
        if ch:
            st.markdown(f"*{label}:* {md(change_sentence(row['areanm'], meta, ch))}")
    chart, n_series = _chart(store, ctx, indicator, row)
    if chart is not None:
        st.altair_chart(deckui.legible(chart), width="stretch", height=total_height(CHART_HEIGHT, n_series))
    lines = [
        f"- {md(row[f'{k}_name'])}: **{md(format_value(row[f'{k}_value'], meta))}** — "
        f"{md(pt.vs_text(row[f'{k}_vs']))}"
        for k in pf.COMPARATORS
        if row.get(f"{k}_name") and not is_missing(row[f"{k}_value"])
    ]
    if lines:
        st.markdown("\n".join(lines))
    _gap_line(gap, indicator, meta)
    st.caption(f"*{chrome.polarity_text(meta)}.*")
    return period


def _gap_line(gap: pd.DataFrame, indicator: str, meta: dict) -> None:
    hit = gap[gap["indicator"] == indicator] if not gap.empty else gap
    if hit.empty:
        return
    g = hit.iloc[0]
    then = pt.gap_words(g["base_shortfall"], g["base_in_top"], meta)
    now = pt.gap_words(g["now_shortfall"], g["now_in_top"], meta)
    verdict = pt.gap_direction_words(g["change"], g["now_shortfall"], meta)
    st.markdown(
        f"*Closing the gap to the top tenth?* {md(g['base_period_label'])}: {md(then)}; "
        f"{md(g['now_period_label'])}: {md(now)} — {md(verdict)}."
    )


PERIOD_OWNER = "_area_period_of"  # (area, indicator) the card's period belongs to


def pick_period(
    store: Store, code: str, indicator: str, series: pd.DataFrame, notices: list[str], changed: bool
) -> str:
    """A period among those the area has rows for. A link may name it (``period=`` exactly,
    or ``year=``: the latest period starting that year). Otherwise the card shows the
    period it showed for this area and indicator; a newly chosen indicator (a row clicked in
    a table, or the sidebar's picker) opens on the area's latest period, the one its table
    row shows: a period chosen for the previous indicator never carries over."""
    periods = list(series["period"])
    labels = dict(zip(series["period"], series["period_label"], strict=True))
    years = {p: int(y) for p, y in zip(series["period"], series["start_year"], strict=True)}
    owner = (code, indicator)
    period = None
    if changed:
        raw_period, raw_year = st.query_params.get("period"), st.query_params.get("year")
        if raw_period:
            found = store.find_period(indicator, raw_period)
            if found in periods:
                period = found
            else:
                shown = raw_period.strip()[:30]
                st.caption(md(f"No figure for period {shown} here; showing the latest period."))
        elif raw_year:
            try:
                wanted = parse_year("year")(raw_year)
            except ValueError as exc:
                notices.append(str(exc))
                wanted = None
            hits = [p for p in periods if years[p] == wanted]
            if hits:
                period = hits[-1]
            elif wanted is not None:
                # a year carried from another page or area that this area has no figure for
                st.caption(md(f"No figure for {wanted} here; showing the latest period."))
    if period is None:
        kept = st.session_state.get("area_period")
        same = st.session_state.get(PERIOD_OWNER) == owner
        period = kept if same and kept in periods else periods[-1]
    st.session_state[PERIOD_OWNER] = owner
    st.session_state["area_period"] = period
    chosen = st.selectbox(
        "Period",
        periods,
        key="area_period",
        format_func=lambda p: labels.get(p, p),
        disabled=len(periods) == 1,
        help="Periods with a figure for this area. The tables always show the latest.",
    )
    st.session_state["year"] = years[chosen]
    return chosen


def code_change(store: Store, code: str) -> tuple[int, str] | None:
    """(year, words) of a re-coded place's code change, for the trend chart's marker."""
    earlier = store.earlier_codes(code)
    year = (store.geo.get(code) or {}).get("start")
    if not earlier or not year:
        return None
    cont = store.continuations[earlier[0]]
    return int(year), f"{earlier[0]} became {code} in {year} ({cont.words()}): one series"


def _chart(store: Store, ctx, indicator: str, row: dict):
    meta = store.indicator(indicator)
    codes = [ctx.code] + [row.get(f"{k}_code") for k in ("uk", "country", "region")]
    codes = [c for c in dict.fromkeys(codes) if c]
    rows = ctx.rows[(ctx.rows["indicator"] == indicator) & ctx.rows["areacd"].isin(codes)]
    rows = rows[rows["value"].notna()]
    if rows["period"].nunique() < 2:
        return None, 0
    frame = rows.assign(
        series=rows["areacd"].map(store.area_name), value_text=[format_value(v, meta) for v in rows["value"]]
    )
    chart = trend_chart(
        frame, store.area_name(ctx.code), row["period_label"], CHART_HEIGHT, code_change(store, ctx.code)
    )
    return chart, frame["series"].nunique()


# ---- closing the gap -----------------------------------------------------------------------


def closing_gap(store: Store, gap: pd.DataFrame, name: str) -> None:
    st.subheader(f"Is {md(name)} closing the gap?")
    st.markdown(
        "Each Levelling Up mission asks for the gap between the top-performing and other areas to "
        "close. For each mission indicator with a better direction: how far the area was from the "
        "average of the best-performing tenth of areas at its level at the baseline (2019, or the "
        "first period after) and in its latest period."
    )
    if wording.neutral():
        st.info(
            "Neutral wording is on: the gap to the best-performing areas needs a better direction, "
            "so it is not shown. Switch neutral wording off to see it.",
            icon=":material/info:",
        )
        return
    if gap.empty:
        st.info("No mission indicator has a figure for this area both at the baseline and later.")
        return
    table = pt.gap_table(gap, store.meta)
    st.dataframe(
        table.drop(columns="indicator"),
        hide_index=True,
        width="stretch",
        height=35 * len(table) + 38,
        column_config={
            "Indicator": st.column_config.TextColumn(width="medium", pinned=True),
            "Verdict": st.column_config.TextColumn(width="medium"),
        },
    )
    st.caption(
        "Gap: how far the area is behind (or ahead of) the average of the top tenth of areas "
        "at its level, in the indicator's own units (pts = percentage points); the top tenth is "
        "recomputed each period among the areas with data. Point estimates only: the change is "
        "not tested against sampling noise."
    )


# ---- similar areas -------------------------------------------------------------------------


def similar_kind(notices: list[str], changed: bool) -> str:
    """Settle the kind of similar areas before the tables use it (the radio is drawn later)."""

    return state.resolve(
        state.Param(
            "similar", parse_choice("similar", SIMILAR_KINDS, instead="overall similarity"), DEFAULT_SIMILAR
        ),
        notices,
        changed,
        valid=lambda v: v in SIMILAR_KINDS,
    )


def similar_areas(store: Store, code: str, kind: str, keep: dict) -> list[str]:
    st.subheader("Similar areas")
    st.radio(
        "Similar by",
        list(SIMILAR_KINDS),
        key="similar",
        format_func=SIMILAR_KINDS.get,
        horizontal=True,
        help="ONS statistical nearest neighbours, on all measures or on economic or demographic ones only.",
    )
    similar = list((store.similar.get(code) or {}).get(kind) or [])
    if not similar:
        st.info(
            "ONS publishes no similar-area list for this area: nearest neighbours cover current "
            "local authorities, counties and combined authorities only."
        )
        return []
    clusters = store.clusters or {}
    letter = ((clusters.get("lookup") or {}).get(code) or {}).get(kind)
    if letter:
        members = ((clusters.get("clusters") or {}).get(kind) or {}).get(letter) or []
        desc = ((store.cluster_descriptions or {}).get(kind) or {}).get(letter, "")
        st.markdown(
            f"**Cluster {md(letter.upper())}** ({SIMILAR_KINDS[kind]} measures, "
            f"{len(members)} areas). {md(desc)}"
        )
    st.markdown(
        f"The {len(similar)} areas most similar to {md(store.area_name(code))}, most similar "
        "first. Their plain average is the “Similar areas” comparator in the tables."
    )
    _area_links(store, similar, keep, per_row=4)
    st.caption(
        "Source: ONS, Clustering similar local authorities and statistical nearest neighbours in the UK."
    )
    return similar


# ---- download ------------------------------------------------------------------------------


def download(profile: pd.DataFrame, code: str, name: str) -> None:
    downloads.csv_button(
        f"Download the whole profile (CSV, {len(profile)} indicators)",
        pf.export_frame(profile),
        f"lumap-area-{code}.csv",
        help="Every number unrounded, as published, with its period, the comparators' values, "
        "the verdicts, the rank and the number of areas ranked.",
    )


# ---- the URL -------------------------------------------------------------------------------


def write_url(params: dict, changed: bool) -> None:
    """``state.write_url``, but after a link to this same page (a similar area, a successor)
    push the address even when the session's parameters already match: Streamlit's
    page_link to the current page reruns with the new parameters without updating the
    browser's address bar."""
    if changed:
        st.query_params.from_dict({k: str(v) for k, v in params.items() if v not in (None, "")})
    state.write_url(params)
