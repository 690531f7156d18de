"""The missions page's parts: controls, the summary table, one section per mission and one
per indicator (verdicts, charts, the period table). The change view is in changeview.py."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from lumap.analysis import gaps, gaptext, glance
from lumap.analysis import missionreport as mr
from lumap.analysis.format import format_value
from lumap.analysis.verdicts import Verdict, rule_text
from lumap.data import frameworks
from lumap.data import levels as lv
from lumap.data.metadata import read_mission_catalogue
from lumap.data.store import Store
from lumap.escape import md
from lumap.queries import glance as qglance
from lumap.queries.missions import level_used
from lumap.ui import analystview, cache, chrome, deckui, downloads, pickers, state
from lumap.ui.params import parse_choice, parse_indicator, parse_int, parse_level, parse_year
from lumap.viz import glancehtml, summarytable

VIEWS = {"missions": "Mission gaps", "change": "Change since baseline"}
DEFAULT_MEASURE = gaps.DEFAULT_MEASURE
#: The gap measures the page explains, the default first (ratio and difference of one idea together).
EXPLAINED = (
    ("top_rest_gap", "best_worst_gap"),
    ("p90_p10_ratio", "p90_p10_diff"),
    ("top_rest_ratio", "top_rest_diff"),
    ("cv", "sd_log"),
)


@dataclass
class View:
    view: str
    mission: int  # 0 = all missions (or all outcomes)
    indicator: str | None  # None when the mission has no indicator (mission 12)
    level: str  # the level asked for; each indicator may fall back
    baseline: int
    measure: str
    catalogue: str = "missions"  # or "lof", the Local Outcomes Framework, or "own" (uploads)


#: What a catalogue calls one of its groups (cards, headers, the picker).
KINDS = {"missions": "Mission", "lof": "Outcome", qglance.OWN: "Your data"}


# ---------------------------------------------------------------------------------------------
# Catalogue helpers
# ---------------------------------------------------------------------------------------------


def missions() -> list[dict]:
    return read_mission_catalogue()[0]


def mission_title(m: dict) -> str:
    return f"Mission {m['mission']}: {m['short']}"


def mission_indicators(store: Store, mission: int, catalogue: str = "missions") -> list[str]:
    """Slugs of one mission or outcome (missions: ordered by label); all of them for 0."""
    if catalogue == "missions":
        return qglance.mission_indicators(store, mission)
    out: list[str] = []
    for g in qglance.groups(store, catalogue):
        if mission in (0, g.number):
            out += [x for x in g.indicators if store.has(x) and x not in out]
    return out


def group_name(catalogue: str, n, store: Store | None = None) -> str:
    if catalogue == "missions":
        return pickers.mission_name(n)
    if not n:
        return "All your indicators (your data)" if catalogue == qglance.OWN else "All outcomes"
    every = (
        qglance.own_groups(store)
        if catalogue == qglance.OWN and store is not None
        else frameworks.lof_groups()
    )
    g = next((g for g in every if g.number == n), None)
    return f"{n}. {g.short}" if g else str(n)


def group_numbers(store: Store, catalogue: str) -> list[int]:
    if catalogue == "missions":
        return [m["mission"] for m in missions()]
    return [g.number for g in qglance.groups(store, catalogue)]


# ---------------------------------------------------------------------------------------------
# Controls
# ---------------------------------------------------------------------------------------------


def controls(store: Store, notices: list[str], changed: bool) -> View:
    """Settle every value from the URL / session, then draw the sidebar widgets."""
    view = state.resolve(
        state.Param("view", parse_choice("view", VIEWS, "view", "the mission gaps"), "missions"),
        notices,
        changed,
    )
    offered = qglance.catalogues(store)
    catalogue = state.resolve(
        state.Param("catalogue", _parse_catalogue(offered), "missions"),
        notices,
        changed,
    )
    catalogue = st.radio(
        "Catalogue",
        list(offered),
        key="catalogue",
        format_func=offered.get,
        help="The 2022 Levelling Up missions, or the priority outcomes of MHCLG's Local Outcomes "
        "Framework (9 February 2026) that the store can measure"
        + (
            ", or the indicators you uploaded in this session (your data)." if qglance.OWN in offered else "."
        ),
    )
    view = st.radio("View", list(VIEWS), key="view", format_func=VIEWS.get)
    mission = _resolve_mission(store, notices, changed, catalogue)
    opts = [0] + group_numbers(store, catalogue)
    names = {
        n: group_name(catalogue, n, store) for n in opts
    }  # a widget's format_func must not hold the Store
    mission = st.selectbox(
        {"missions": "Mission", "lof": "Outcome"}.get(catalogue, "Your indicator"),
        opts,
        key="mission",
        format_func=lambda n: names.get(n, str(n)),
    )
    indicator = _resolve_indicator(store, mission, view, notices, changed, catalogue)
    level = state.resolve(state.Param("level", parse_level, lv.DEFAULT_LEVEL), notices, changed)
    level = st.radio(
        "Geography",
        lv.LEVEL_ORDER,
        key="level",
        format_func=lambda x: lv.LEVELS[x]["name"],
        help="Indicators without data at this level fall back to the nearest level that has it.",
    )
    state.resolve(
        state.Param("baseline", parse_year("baseline"), mr.BASELINES[0]),
        notices,
        changed,
        valid=lambda v: v in mr.BASELINES,
    )
    baseline = st.radio(
        "Baseline",
        list(mr.BASELINES),
        key="baseline",
        horizontal=True,
        format_func=lambda y: f"{y} (first period from {y})",
        help="2019: the White Paper's baseline. 2022: the year it was published.",
    )
    state.resolve(
        state.Param("measure", parse_choice("measure", gaps.MEASURES, "gap measure"), DEFAULT_MEASURE),
        notices,
        changed,
    )
    measure = st.selectbox(
        "Gap measure for verdicts and charts",
        list(gaps.MEASURES),
        key="measure",
        format_func=lambda k: gaps.MEASURES[k]["label"],
    )
    return View(view, mission, indicator, level, baseline, measure, catalogue)


def _parse_catalogue(offered: dict[str, str]):
    """``catalogue=``: one the page offers; "own" without uploads in this session says why."""
    plain = parse_choice("catalogue", offered, "catalogue")

    def parse(raw: str) -> str:
        if raw == qglance.OWN and raw not in offered:
            raise ValueError(
                "This link shows uploaded data (your data), and this browser session has none: "
                "uploaded data is never shared or kept, so it opens only in the session that "
                "uploaded it. Upload the file on the Your data page. Showing the missions instead."
            )
        return plain(raw)

    return parse


def _resolve_mission(store: Store, notices: list[str], changed: bool, catalogue: str = "missions") -> int:
    """A URL naming an indicator but no mission opens that indicator's mission."""
    raw_ind = st.query_params.get("indicator")
    if catalogue != "missions":
        numbers = set(group_numbers(store, catalogue))
        return state.resolve(
            state.Param("mission", parse_int("mission", 0, 99), 0),
            notices,
            changed,
            valid=lambda v: v == 0 or v in numbers,
        )
    if changed and raw_ind and not st.query_params.get("mission") and store.has(raw_ind):
        m = store.indicator(raw_ind).get("mission")
        st.session_state["mission"] = int(m) if m else 0
        return st.session_state["mission"]
    return state.resolve(
        state.Param("mission", parse_int("mission", 0, 12), 0),
        notices,
        changed,
        valid=lambda v: v in range(13),
    )


def _resolve_indicator(
    store: Store, mission: int, view: str, notices: list[str], changed: bool, catalogue: str = "missions"
):
    opts = mission_indicators(store, mission, catalogue)
    if not opts and view == "change":
        opts = mission_indicators(store, 0, catalogue) or mission_indicators(store, 0)
    if not opts:
        return None
    raw = st.query_params.get("indicator") if changed else None
    value = state.resolve(state.Param("indicator", parse_indicator(store.meta), opts[0]), notices, changed)
    if value not in opts:
        if raw and store.has(raw):
            notices.append(
                f"“{store.indicator(raw)['label']}” is not one of "
                f"{group_name(catalogue, mission, store)}'s indicators; showing "
                f"“{store.indicator(opts[0])['label']}” instead."
            )
        value = opts[0]
        st.session_state["indicator"] = value
    return st.selectbox(
        "Indicator",
        opts,
        key="indicator",
        format_func=pickers.indicator_labels(store, opts).get,
        help="In the mission view this indicator's section opens first; the change view maps it.",
    )


# ---------------------------------------------------------------------------------------------
# Reports
# ---------------------------------------------------------------------------------------------


def fallback_note(wanted: str, used: str) -> str:
    return (
        f"Not published for {lv.LEVELS[wanted]['short']}"
        + (
            " (in England only for unitary, metropolitan and London authorities)"
            if wanted == "ltla" and used == "utla"
            else ""
        )
        + f": shown for {lv.LEVELS[used]['short']} instead."
    )


def report(store: Store, indicator: str, v: View) -> tuple[str | None, mr.MissionReport | None]:
    """(level used, cached report) for one indicator; (None, None) if it has no level."""
    level = level_used(store, indicator, v.level)
    if level is None:
        return None, None
    return level, cache.mission_report(store.key, indicator, level, v.baseline, v.measure)


def default_view() -> View:
    return View("missions", 0, None, lv.DEFAULT_LEVEL, 2019, DEFAULT_MEASURE)


def warm_reports(store: Store) -> None:
    """Compute both catalogues' at-a-glance verdicts for the page's default view, so the
    missions page opens at once for its first visitor too."""
    v = default_view()
    for catalogue in frameworks.CATALOGUES:
        cache.catalogue_glance(store.key, catalogue, v.level, v.baseline, v.measure)


def summary(store: Store, slugs: list[str], v: View, grouped: bool) -> pd.DataFrame:
    """Draw the summary table; return its numbers unrounded (for the CSV)."""
    rows, records = [], []
    for indicator in slugs:
        level, rep = report(store, indicator, v)
        if rep is None:
            continue
        rows.append(mr.summary_row(store.indicator(indicator), rep, level, v.level))
        records.append(mr.summary_record(indicator, store.indicator(indicator), rep, level))
    if not rows:
        st.markdown(summarytable.empty_html("No indicator to summarise."), unsafe_allow_html=True)
        return pd.DataFrame()
    titles = {m["mission"]: mission_title(m) for m in missions()} if grouped else None
    st.markdown(summarytable.summary_html(rows, titles), unsafe_allow_html=True)
    return pd.DataFrame(records)


def rules(measure: str) -> None:
    """The verdict rules and the three gap measures, stated on the page."""
    st.markdown("**How the verdicts are decided**")
    st.caption("Gap: " + rule_text(measure))
    st.caption("Level: " + mr.LEVEL_RULE)
    lines = []
    for group in EXPLAINED:
        for key in group:
            spec = gaps.MEASURES[key]
            lines.append(f"- **{spec['label']}** — {spec['explain']} Narrowing: it {spec['narrowing']}.")
    lines.append(
        f"- **{gaptext.DECOMPOSITION_LABELS['share_between']['label']}** — "
        f"{gaptext.DECOMPOSITION_LABELS['share_between']['explain']}"
    )
    st.markdown("**The gap, measured three ways**\n\n" + "\n".join(lines))


# ---------------------------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------------------------


def missions_view(store: Store, v: View) -> None:
    """At a glance (a verdict card per mission, and for the chosen mission the gap of every
    indicator drawn), the method behind an expander, then a section per mission with one
    expander per indicator; closed ones run nothing until opened."""
    glances = at_a_glance(store, v) if deckui.show("glance", "At a glance (a card per mission)") else None
    if not deckui.on():
        with st.expander("How the verdicts are decided", expanded=False):
            rules(v.measure)
            if v.catalogue == "lof":
                lof_notes(store)
            if v.catalogue == qglance.OWN:
                st.caption(OWN_NOTE)
    slugs = mission_indicators(store, v.mission, v.catalogue)
    if slugs and deckui.show("summary", "Summary table"):
        summary_section(store, slugs, v)
    if v.indicator and deckui.show("section", f"The section of {store.indicator(v.indicator)['label']}"):
        if deckui.on():  # a slide of one indicator's section: that section alone
            indicator_section(store, v.indicator, v, expanded=True, lazy_key="mx-slide")
            return
    elif deckui.on():
        return
    del glances  # the sections below take their labels from the same cached glance
    every = qglance.groups(store, v.catalogue)
    for group in [g for g in every if g.number == v.mission] or list(every):
        own = mission_indicators(store, group.number, v.catalogue)
        mission_header(group, own, store, v)
        for indicator in own:
            indicator_section(
                store,
                indicator,
                v,
                expanded=indicator == v.indicator and bool(v.mission),
                lazy_key=f"mx-{v.catalogue}-{'one' if v.mission else 'all'}-{indicator}",
            )


def at_a_glance(store: Store, v: View):
    """The cards, then (for one chosen mission) its table of gaps. Returns the glances."""
    glances = cache.catalogue_glance(store.key, v.catalogue, v.level, v.baseline, v.measure)
    kind = KINDS[v.catalogue]
    spec = gaps.MEASURES[v.measure]
    link = f"?catalogue={v.catalogue}&level={v.level}&baseline={v.baseline}&measure={v.measure}&mission="
    # a card's link opens a new page load, i.e. a new session: uploads would be gone
    link_ = None if v.catalogue == qglance.OWN else link
    st.markdown(glancehtml.cards_html(list(glances), kind, link_), unsafe_allow_html=True)
    st.caption(
        f"Gap: {md(spec['label'].lower())}, at the {v.baseline} baseline (or the first period "
        f"after it) and in the latest period; each card draws one indicator's areas. "
        "Purple: narrowing; orange: widening; grey: no clear change; dashed: not enough data. "
        + (
            "Pick a card for every indicator of that "
            + ("mission." if v.catalogue == "missions" else "outcome.")
            if v.catalogue != qglance.OWN
            else "Pick one of your indicators in the sidebar for its section. Your data: "
            "computed for this session only."
        )
    )
    chosen = next((g for g in glances if g.number == v.mission), None)
    if chosen is not None and chosen.indicators:
        st.subheader(f"{kind} {chosen.number}: {md(chosen.short)} — the gap, indicator by indicator")
        versus = "worst" if v.measure == "best_worst_gap" else "rest"
        st.markdown(glancehtml.key_html(spec["label"], versus), unsafe_allow_html=True)
        st.markdown(
            glancehtml.mission_table_html(chosen, spec.get("short", spec["label"])),
            unsafe_allow_html=True,
        )
    return glances


OWN_NOTE = (
    "Your data: the gaps and verdicts of the indicators you uploaded, computed from your file "
    "with the same rules and simulations as the official indicators, in this browser session "
    "only: never written to the shared store and never seen by anyone else."
)


def lof_notes(store: Store) -> None:
    """The Local Outcomes Framework's source and date, and what the store cannot measure."""
    src = frameworks.lof_source()
    st.markdown(
        f"**{md(src['title'])}**, {md(src['publisher'])}, published {md(src['published'])} "
        f"({md(src['applies_to'])}; {md(src['licence'])}): " + md_link_text(src["url"])
    )
    st.caption(md(src["note"]))
    unmeasured = [g for g in frameworks.lof_groups() if not [s for s in g.indicators if store.has(s)]]
    related = [g for g in frameworks.lof_groups() if g.match == "related"]
    lines = [f"- **{md(g.short)}** — {md(g.note)}" for g in unmeasured]
    st.markdown("**Outcomes the store cannot yet measure**\n\n" + ("\n".join(lines) or "None."))
    if related:
        st.markdown(
            "**Shown with the nearest measures the store has (not the framework's own metrics)**\n\n"
            + "\n".join(f"- **{md(g.short)}** — {md(g.note)}" for g in related)
        )


def md_link_text(url: str) -> str:
    from lumap.escape import md_link

    return md_link(url, url)


def summary_section(store: Store, slugs: list[str], v: View) -> None:
    """The older summary (typical area and gap per indicator), computed only when opened:
    it needs every indicator's full report."""
    label = "Summary table: the typical area and the gap, every indicator"
    if deckui.on():  # a slide of the summary: open, with its heading
        st.subheader(label)
        box = st.container()
    else:
        box = st.expander(
            label, expanded=False, key=f"mx-summary-{v.catalogue}-{v.mission}", on_change="rerun"
        )
    if getattr(box, "open", True) is False:
        return
    with box:
        rows = summary(store, slugs, v, grouped=not v.mission and v.catalogue == "missions")
        downloads.csv_button(
            "Download summary (CSV)",
            rows,
            ("lumap-your-data-gaps" if v.catalogue == qglance.OWN else "lumap-missions")
            + f"-{v.mission or 'all'}-{v.level}-{v.baseline}.csv",
            help="The verdicts with unrounded numbers and their 95% intervals.",
        )


def mission_header(g: frameworks.Group, slugs: list[str], store: Store, v: View) -> None:
    level = v.level
    kind = KINDS[v.catalogue]
    st.header(f"{kind} {g.number}: {md(g.short)}", anchor=f"mission-{g.number}")
    st.markdown(f"*{md(g.aim)}*")
    if g.note:
        st.caption(md(g.note))
    if not slugs and v.catalogue != "missions":
        st.info("The store has no indicator for this outcome yet.", icon=":material/info:")
        return
    if not slugs:
        st.info(
            "No indicator in lumap's data measures this mission: devolution deals and local "
            "powers are not published as local statistics here, so there is nothing to chart "
            "and lumap does not invent a metric for it.",
            icon=":material/info:",
        )
        return
    used = {s: level_used(store, s, level) for s in slugs}
    if level not in used.values():
        alt_levels = sorted(set(used.values()) - {None}, key=lv.LEVEL_ORDER.index)
        st.info(
            f"None of this mission's indicators is published for "
            f"{lv.LEVELS[level]['short']}: shown for "
            f"{', '.join(lv.LEVELS[x]['short'] for x in alt_levels)} instead.",
            icon=":material/info:",
        )


def _glance_line(store: Store, indicator: str, v: View):
    for g in cache.catalogue_glance(store.key, v.catalogue, v.level, v.baseline, v.measure):
        for line in g.indicators:
            if line.indicator == indicator:
                return line
    return None


def indicator_section(store: Store, indicator: str, v: View, expanded: bool, lazy_key: str) -> None:
    """One indicator, labelled with its at-a-glance verdict; the full report (bootstrap
    bands, charts) is computed only when the section is open."""
    meta = store.indicator(indicator)
    label = _glance_label(meta, _glance_line(store, indicator, v))
    if deckui.on():  # a slide of this section: open, its label as its heading
        st.markdown(label)
        box = st.container()
    else:
        box = st.expander(label, expanded=expanded, key=lazy_key, on_change="rerun")
    if getattr(box, "open", True) is False:
        return
    level, rep = report(store, indicator, v)
    with box:
        if rep is None:
            st.info("No data at any geography level for this indicator.")
            return
        if level != v.level:
            st.info(fallback_note(v.level, level), icon=":material/info:")
        st.caption(
            f"{md(meta.get('subtitle') or '')} — {chrome.polarity_text(meta)}. {lv.LEVELS[level]['name']}."
        )
        verdicts(meta, rep, _glance_line(store, indicator, v))
        charts(store, meta, rep, indicator, level, v)
        spread_sentence(rep, level)
        if deckui.on():
            return
        period_table(meta, rep, indicator, level)
        analystview.section(store, meta, level, v.baseline, f"{lazy_key}-analysts")
        chrome.metadata_panel(meta)
        links(store, indicator, level, v, rep)


def _glance_label(meta: dict, line) -> str:
    """ "**Label** · gap: narrowing (levelling down)" (an expander label is Markdown)."""
    label = f"**{md(meta['label'])}**"
    if line is None or line.verdict == "no verdict":
        return label + (" · one period only" if line is not None and not line.base else "")
    word = line.verdict.replace("gap ", "")
    if line.verdict == "no test possible" and line.kind:
        word = "not testable"
    extra = " (levelling down)" if line.kind == "levelling down" and "narrow" in line.verdict else ""
    return f"{label} · gap: {md(word)}{extra}"


def _section_label(meta: dict, rep: mr.MissionReport | None) -> str:
    """ "**Label** · level: worse · gap: widening" (an expander label is Markdown)."""
    label = f"**{md(meta['label'])}**"
    if rep is None or rep.gap_verdict is None:
        return label + (" · one period only" if rep and rep.n_periods == 1 else "")
    lw, _, _ = mr.verdict_words(rep.median_verdict, "median")
    gw, _, _ = mr.verdict_words(rep.gap_verdict, "gap")
    return f"{label} · level: {lw} · gap: {gw.replace('gap ', '')}"


def _coverage_line(meta: dict, rep: mr.MissionReport) -> str:
    notes = mr.coverage_notes(meta, rep.n_periods)
    return ("Coverage: " + " · ".join(notes)) if notes else "Coverage: all four UK nations"


def verdicts(meta: dict, rep: mr.MissionReport, line=None) -> None:
    """Both verdicts of the indicator's section; ``line`` (its at-a-glance line, the same
    gap verdict) gives the gap's shown arithmetic and why it moved."""
    cov = _coverage_line(meta, rep)
    if rep.gap_verdict is None:
        st.markdown(summarytable.chip("no verdict", "none"), unsafe_allow_html=True)
        st.markdown(f"{md(rep.no_verdict)} *{md(cov)}.*")
        return
    base, latest = rep.baseline, rep.latest
    first = "" if base.start_year == rep.baseline_year else f" (the first period from {rep.baseline_year})"
    st.markdown(f"**Since the baseline: {md(base.label)}{first} → {md(latest.label)}.** *{md(cov)}.*")
    c1, c2 = st.columns(2)
    with c1:
        med = rep.median_verdict
        word, tone, detail = mr.verdict_words(med, "median")
        st.markdown("Typical area (median): " + summarytable.chip(word, tone, detail), unsafe_allow_html=True)
        text = f"The median area: {glance.change_text(med.base, med.now, meta)}."
        st.markdown(md(text) + _interval(med, meta, None))
        if med.reason:
            st.caption(md(med.reason))
    with c2:
        gap = rep.gap_verdict
        word, tone, detail = mr.verdict_words(gap, "gap")
        st.markdown("Gap between areas: " + summarytable.chip(word, tone, detail), unsafe_allow_html=True)
        if line is not None and line.gap_text and gaps.MEASURES[gap.measure]["oriented"]:
            label = gaps.MEASURES[gap.measure]["label"]
            text = f"{label}: {line.gap_text}. {line.why}"
        else:
            text = mr.gap_sentence(gap, meta)
        st.markdown(md(text) + _interval(gap, meta, gap.measure))
        if line is not None and line.overlap:
            st.caption(md(line.overlap))
        if gap.note:
            st.caption(md(gap.note))
        if gap.reason:
            st.caption(md(gap.reason))


def _interval(verdict: Verdict, meta: dict, measure: str | None) -> str:
    if not verdict.tested:
        return ""
    if measure and gaps.MEASURES[measure]["kind"] in ("ratio", "spread"):
        what, text = (
            "the gap (distance from no gap)",
            glance.interval_text(verdict.ci_low, verdict.ci_high, decimals=3),
        )
    elif measure:
        what, text = "the gap", glance.interval_text(verdict.ci_low, verdict.ci_high, meta)
    else:
        what, text = "the median", glance.interval_text(verdict.ci_low, verdict.ci_high, meta)
    return f" 95% interval of the change in {what}: {md(text)} ({verdict.n_boot:,} simulations)."


def charts(store: Store, meta: dict, rep: mr.MissionReport, indicator: str, level: str, v: View) -> None:
    m = rep.measure
    spec = gaps.MEASURES[m]
    specs = cache.mission_chart_specs(store.key, indicator, level, v.baseline, v.measure)
    if specs is None:
        st.caption("One period only: no chart over time.")
        return
    gap_spec, level_spec = specs
    c1, c2 = st.columns(2)
    with c1:
        st.markdown(f"**The gap over time:** {spec['label'].lower()}")
        st.vega_lite_chart(deckui.legible(gap_spec), width="stretch")
        st.caption(_band_caption(rep) + f" Narrowing: the measure {spec['narrowing']}.")
        span = " to ".join(dict.fromkeys(p.label for p in (rep.baseline, rep.latest) if p is not None))
        downloads.png_button(
            "Chart as PNG",
            gap_spec,
            f"lumap-gap-{indicator}-{level}.png",
            f"png-gap-{indicator}",
            downloads.credits(
                store,
                meta,
                f"{meta['label']}: {spec['label'].lower()}",
                " · ".join(x for x in (span, lv.LEVELS[level]["name"]) if x),
            ),
        )
    with c2:
        who = None if rep.totals else rep.comparator_name
        st.markdown("**The level over time:** median area" + (f" and {md(who)}" if who else ""))
        st.vega_lite_chart(deckui.legible(level_spec), width="stretch")
        if rep.totals:
            st.caption(
                "The median is the middle area at this level. These are totals, not rates, "
                "so the national total is not shown: it is not comparable with one area's."
            )
        else:
            st.caption(
                "The median is the middle area at this level (unweighted); "
                + (
                    f"{md(who)} is the published figure for the whole nation."
                    if who
                    else "no national figure is published."
                )
            )


def _band_caption(rep: mr.MissionReport) -> str:
    t = rep.table
    if rep.bands_note and not t["band"].fillna(False).astype(bool).any():
        return rep.bands_note
    text = (
        "Shaded: the middle 95% of 1,000 values of the measure simulated from the published "
        "confidence intervals, centred on the published value."
    )
    return text + (" " + rep.bands_note if rep.bands_note else "")


def spread_sentence(rep: mr.MissionReport, level: str) -> None:
    t = rep.table
    if not rep.decomposed:
        st.caption(
            f"Between- and within-region shares are not shown for "
            f"{lv.LEVELS[level]['short']}: each area is (or spans) a region or nation."
        )
        return
    shares = t.dropna(subset=["share_between"])
    if shares.empty:
        return
    last = shares.iloc[-1]
    if last["n_groups"] < 2:
        st.caption("All these areas are in one region or nation, so there is no between-region split.")
        return
    text = (
        f"In {last['period_label']}, {mr.share_text(last['share_between'])} of the variation between "
        f"{lv.LEVELS[level]['short']} lay between regions and nations, "
        f"{mr.share_text(1 - last['share_between'])} within them"
    )
    base = rep.baseline
    if base and base.period != last["period"]:
        b = shares[shares["period"] == base.period]
        if len(b):
            text += f" ({base.label}: {mr.share_text(b['share_between'].iloc[0])} between)"
    st.markdown(md(text) + ". *Wales, Scotland and Northern Ireland each count as one region.*")


def period_table(meta: dict, rep: mr.MissionReport, indicator: str, level: str) -> None:
    t = rep.table
    who = rep.comparator_name
    fm = mr.format_measure
    shown = pd.DataFrame(
        {
            "Period": t["period_label"],
            "Areas": t["n"].astype("Int64"),
            "Median": [format_value(x, meta, False) for x in t["median"]],
            **({who: [format_value(x, meta, False) for x in t["comparator"]]} if who else {}),
            "P90/P10": [fm(x, "p90_p10_ratio", meta) for x in t["p90_p10_ratio"]],
            "P90−P10": [fm(x, "p90_p10_diff", meta) for x in t["p90_p10_diff"]],
            "Top 10% / rest": [fm(x, "top_rest_ratio", meta) for x in t["top_rest_ratio"]],
            "Top 10% − rest": [fm(x, "top_rest_diff", meta) for x in t["top_rest_diff"]],
            "CV": [fm(x, "cv", meta) for x in t["cv"]],
            "Between regions": [mr.share_text(x) for x in t["share_between"]],
        }
    )
    help_ = {
        k: gaps.MEASURES[m]["explain"]
        for k, m in (
            ("P90/P10", "p90_p10_ratio"),
            ("P90−P10", "p90_p10_diff"),
            ("Top 10% / rest", "top_rest_ratio"),
            ("Top 10% − rest", "top_rest_diff"),
            ("CV", "cv"),
        )
    }
    help_["Between regions"] = gaptext.DECOMPOSITION_LABELS["share_between"]["explain"]
    help_["Median"] = "The middle area's value at this level."
    with st.expander("Every period, every measure", expanded=False):
        st.dataframe(
            shown.iloc[::-1],
            hide_index=True,
            width="stretch",
            column_config={k: st.column_config.TextColumn(k, help=h) for k, h in help_.items()},
        )
        cols = [
            "period",
            "period_label",
            "n",
            "median",
            "comparator",
            "p90",
            "p10",
            "p90_p10_ratio",
            "p90_p10_diff",
            "top_mean",
            "rest_mean",
            "n_top",
            "top_rest_ratio",
            "top_rest_diff",
            "cv",
            "var_between",
            "var_within",
            "share_between",
            "observed",
            "low",
            "high",
        ]
        out = t[[c for c in cols if c in t.columns]].rename(
            columns={"observed": f"band_measure_{rep.measure}"}
        )
        downloads.csv_button(
            "Download CSV",
            out,
            f"lumap-gaps-{indicator}-{level}.csv",
            f"csv-{indicator}",
            help="The unrounded statistics behind this section.",
        )


def links(store: Store, indicator: str, level: str, v: View, rep: mr.MissionReport) -> None:
    base, latest = rep.baseline, rep.latest
    params = {"view": "change", "indicator": indicator, "level": level, "mission": v.mission or None}
    if base and latest and base.period != latest.period:
        params.update({"from": base.start_year, "to": latest.start_year})
    c1, c2 = st.columns(2)
    if rep.n_periods > 1:
        c1.page_link(
            "pages/missions.py",
            label="Map the change since the baseline →",
            query_params={k: str(x) for k, x in params.items() if x is not None},
        )
    c2.page_link(
        "pages/map.py", label="Open on the map →", query_params={"indicator": indicator, "level": level}
    )
