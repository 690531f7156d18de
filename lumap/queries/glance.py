"""The missions page at a glance: for each mission (or Local Outcomes Framework outcome), a
verdict in words and colour, and per indicator the spread of areas at the baseline and now,
why the gap moved, and the same gap verdict the indicator's own section shows.

One call computes a whole catalogue (≈45 gap verdicts on the real store); the UI caches it
once per build and view, shared by every session."""

from __future__ import annotations

import pandas as pd

from lumap.analysis import gaps, gaptext, glance, verdicts
from lumap.analysis.glance import IndicatorGlance, MissionGlance
from lumap.analysis.polarity import Polarity
from lumap.data import frameworks
from lumap.data.store import Store
from lumap.queries.missions import level_used

N_BOOT, SEED = 1000, 0  # the same simulation as the indicator sections (missionreport)
UNTESTED_SHORT = "Not tested: no confidence intervals are published, so the change cannot be told from noise."


def mission_indicators(store: Store, mission: int) -> list[str]:
    """Slugs of one mission (ordered by label); every mission-mapped slug for 0."""
    df = store.indicators()
    df = df[df["mission"].notna()]
    if mission:
        df = df[df["mission"] == mission]
    df = df.assign(_m=df["mission"]).sort_values(["_m", "label"], kind="stable")
    return list(df["indicator"])


#: The third catalogue: a session's own (uploaded) indicators, one group each (#11).
OWN = "own"
OWN_NAME = "Your data (this session only)"


def own_slugs(store: Store) -> list[str]:
    """The session's uploaded indicators, in the order uploaded (none for the shared store)."""
    return list(getattr(store, "own", None) or {})


def catalogues(store: Store) -> dict[str, str]:
    """The catalogues the missions page offers for ``store``: the missions and the LOF,
    and "your data" when the session's store holds uploaded indicators."""
    return {**frameworks.CATALOGUES, **({OWN: OWN_NAME} if own_slugs(store) else {})}


def own_groups(store: Store) -> tuple[frameworks.Group, ...]:
    """One group per uploaded indicator (numbered in upload order), its label marked
    "your data" as everywhere, its aim saying where it came from and that it stays here."""
    out = []
    for i, indicator in enumerate(own_slugs(store), 1):
        meta = store.meta[indicator]
        file = str(getattr(store.own[indicator], "file", "") or "your file")  # type: ignore[attr-defined]
        out.append(
            frameworks.Group(
                i,
                str(meta.get("label") or indicator),
                f"Your data, uploaded from {file}: in this browser session only, never written "
                "to the shared store or seen by anyone else.",
                (indicator,),
            )
        )
    return tuple(out)


def groups(store: Store, catalogue: str) -> tuple[frameworks.Group, ...]:
    """The missions (1-12), the LOF outcomes or the session's own indicators, with the
    store's indicators of each."""
    if catalogue == "lof":
        return frameworks.lof_groups()
    if catalogue == OWN:
        return own_groups(store)
    by_mission: dict[int, list[str]] = {}
    for indicator in mission_indicators(store, 0):
        by_mission.setdefault(int(store.meta[indicator]["mission"]), []).append(indicator)
    return frameworks.mission_groups(by_mission)


def _no_verdict(store: Store, indicator: str, level: str, why: str, periods: str = "") -> IndicatorGlance:
    meta = store.meta[indicator]
    return IndicatorGlance(
        indicator=indicator,
        label=str(meta.get("label") or indicator),
        level=level,
        polarity=int(Polarity.of(meta.get("polarity"))),
        verdict="no verdict",
        tested=False,
        periods=periods,
        gap_text="",
        why=why,
        kind="",
        overlap="",
        base=(),
        now=(),
        base_label="",
        now_label="",
        unit=str(meta.get("subtext") or meta.get("suffix") or ""),
    )


def indicator_glance(
    store: Store, indicator: str, wanted: str, baseline: int, measure: str
) -> IndicatorGlance:
    """One indicator's line: the gap verdict since the baseline on ``measure`` (the same
    call, inputs and seed as :func:`lumap.analysis.missionreport.indicator_report`), the
    best tenth and the rest (or the worst tenth, for ``best_worst_gap``) then and now."""
    level = level_used(store, indicator, wanted)
    if level is None:
        return _no_verdict(store, indicator, wanted, "No data at any geography level.")
    meta = store.meta[indicator]
    polarity = meta.get("polarity")
    series = gaps.usable(store.series(indicator, level=level))
    periods = (
        series[["period", "start_year", "period_label", "start"]]
        .drop_duplicates("period")
        .sort_values(["start", "period"], kind="stable")
    )
    if len(periods) < 2:
        only = periods["period_label"].iloc[0] if len(periods) else ""
        return _no_verdict(
            store, indicator, level, "Only one period is published: no trend to judge.", str(only)
        )
    base_p = gaps.baseline_period(periods, baseline)
    latest_p = periods["period"].iloc[-1]
    labels = dict(zip(periods["period"], periods["period_label"].astype(str), strict=True))
    if base_p is None or base_p == latest_p:
        return _no_verdict(
            store, indicator, level, f"No period after the {baseline} baseline yet.", labels[latest_p]
        )
    base_f = series[series["period"] == base_p]
    now_f = series[series["period"] == latest_p]
    v = verdicts.gap_verdict(base_f, now_f, polarity, measure=measure, n_boot=N_BOOT, seed=SEED)
    mv = _movement(base_f["value"], now_f["value"], polarity, meta, measure)
    why = mv.sentence if mv else ""
    if why and v.verdict == "no clear change":
        why = "Within the noise of the estimates: " + why[0].lower() + why[1:]
    if not v.tested and v.reason:
        reason = UNTESTED_SHORT if v.reason == gaptext.NO_INTERVALS else v.reason
        why = (why + " " if why else "") + reason
    return IndicatorGlance(
        indicator=indicator,
        label=str(meta.get("label") or indicator),
        level=level,
        polarity=int(Polarity.of(polarity)),
        verdict=v.verdict,
        tested=v.tested,
        periods=f"{labels[base_p]} → {labels[latest_p]}",
        gap_text=mv.gap_text if mv else "",
        why=why,
        kind=mv.kind if mv else "",
        overlap=glance.overlap_note(str(base_p), str(latest_p), labels[base_p], labels[latest_p]),
        base=tuple(float(x) for x in base_f["value"]),
        now=tuple(float(x) for x in now_f["value"]),
        base_label=labels[base_p],
        now_label=labels[latest_p],
        unit=str(meta.get("subtext") or meta.get("suffix") or ""),
        versus="worst" if measure == "best_worst_gap" else "rest",
    )


def _movement(base: pd.Series, now: pd.Series, polarity, meta: dict, measure: str):
    if measure == "best_worst_gap":
        b, n = gaps.best_worst_gap(base, polarity), gaps.best_worst_gap(now, polarity)
        return glance.movement(
            b["best_mean"],
            n["best_mean"],
            b["worst_mean"],
            n["worst_mean"],
            polarity,
            meta,
            rest="the worst 10%",
        )
    b, n = gaps.top_tenth_gap(base, polarity), gaps.top_tenth_gap(now, polarity)
    return glance.movement(b["top_mean"], n["top_mean"], b["rest_mean"], n["rest_mean"], polarity, meta)


def catalogue_glance(
    store: Store, catalogue: str, level: str, baseline: int, measure: str = gaps.DEFAULT_MEASURE
) -> tuple[MissionGlance, ...]:
    """Every mission (or outcome) with a verdict sentence and its indicators' lines.
    Mission 12 (no local statistic) is left out of the missions catalogue's glance."""
    out = []
    for g in groups(store, catalogue):
        if catalogue == "missions" and not g.indicators and g.number == 12:
            continue
        lines = tuple(
            indicator_glance(store, indicator, level, baseline, measure)
            for indicator in g.indicators
            if store.has(indicator)
        )
        counts = glance.count_verdicts([x.verdict for x in lines], [x.kind for x in lines])
        sentence, tone = glance.mission_sentence(counts)
        if not g.indicators:
            sentence = "Not measured: " + (g.note or "no indicator in the store measures it.")
        out.append(MissionGlance(g.number, g.short, g.aim, sentence, tone, counts, lines))
    return tuple(out)
