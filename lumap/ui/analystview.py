"""The missions page's "for analysts" panel of one indicator: sigma- and beta-convergence,
the Theil split between and within regions, rank mobility and Kendall's tau, and local
Moran's I pockets of poor outcomes, each explained in one sentence. Computed only when the
panel is opened, once per build (cache.analyst_report), shared by every session."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lumap.analysis.format import format_number
from lumap.analysis.gaptext import MEASURE_WORDS
from lumap.data import levels as lv
from lumap.data.store import Store
from lumap.escape import md
from lumap.queries.analysts import POPULATION_NOTE
from lumap.ui import cache
from lumap.viz import gapcharts

EXPLAIN = {
    "sigma": "Sigma-convergence: is the spread of areas (the coefficient of variation, and the "
    "standard deviation of logs) smaller now than at the baseline? The interval comes from "
    "1,000 simulations of every area's value within its published confidence interval.",
    "beta": "Beta-convergence: did the areas that started behind improve faster? Each area's "
    "change is plotted against where it started; a downward slope (below 0) means they did. "
    "Random noise in the estimates pulls the slope down a little (regression to the mean).",
    "theil": "The Theil index measures inequality between areas (0 = all equal) and splits "
    "exactly into a part between regions (how far regions' averages differ) and a part "
    "within them.",
    "mobility": "Rank mobility: how many areas moved to a different tenth between the two dates, "
    "and Kendall's tau, the agreement of the two rankings (1 = the same order, 0 = unrelated).",
    "pockets": "Pockets: areas with a poor value whose neighbours also have poor values, more "
    "than chance would give (local Moran's I, 999 random reshuffles, p < 0.05) — the clusters "
    "of low outcomes within regions that the levelling-up debate is about.",
}


def _n(x, d: int = 3) -> str:
    return format_number(x, d)


def section(store: Store, meta: dict, level: str, baseline: int, key: str) -> None:
    box = st.expander(
        "For analysts: convergence, Theil split, rank mobility, pockets", key=key, on_change="rerun"
    )
    if box.open is False:
        return
    rep = cache.analyst_report(store.key, meta["indicator"], level, baseline)
    with box:
        if rep is None:
            st.caption("Two periods since the baseline are needed for these measures.")
            return
        st.caption(
            f"{md(rep.base_label)} → {md(rep.now_label)}, {lv.LEVELS[rep.level]['name']}. {POPULATION_NOTE}"
        )
        sigma(rep)
        beta(rep, meta)
        theil(rep)
        mobility(rep)
        pockets(rep, meta)
        if rep.note:
            st.caption(md(rep.note))


def sigma(rep) -> None:
    lines = []
    for v in rep.sigma:
        label = MEASURE_WORDS[v.measure]["label"]
        if v.tested:
            ci = f" (95% interval of the change {_n(v.ci_low)} to {_n(v.ci_high)}): {v.verdict}"
        else:
            ci = f": {v.verdict}" + (f" — {md(v.reason)}" if v.reason else "")
        lines.append(f"- **{label}**: {_n(v.base)} → {_n(v.now)}, change {_n(v.change)}{ci}")
    st.markdown(f"**Sigma-convergence.** {md(EXPLAIN['sigma'])}\n\n" + "\n".join(lines))


def beta(rep, meta: dict) -> None:
    b = rep.beta
    st.markdown(f"**Beta-convergence.** {md(EXPLAIN['beta'])}")
    if b.verdict == "too few areas":
        st.caption("Too few areas with both values.")
        return
    st.markdown(
        md(
            f"Slope {_n(b.slope)} (95% interval {_n(b.ci_low)} to {_n(b.ci_high)}, {b.n} areas, "
            f"R² {_n(b.r2, 2)}): {b.verdict}."
        )
    )
    st.vega_lite_chart(
        gapcharts.beta_chart(rep.scatter, b, meta, rep.base_label, rep.now_label), width="stretch"
    )


def theil(rep) -> None:
    st.markdown(f"**Theil index, between and within regions.** {md(EXPLAIN['theil'])}")
    rows = []
    for label, t in ((rep.base_label, rep.theil_base), (rep.now_label, rep.theil_now)):
        rows.append(
            {
                "Period": label,
                "Theil T": _n(t.get("total"), 4),
                "Between regions": _n(t.get("between"), 4),
                "Within regions": _n(t.get("within"), 4),
                "Share between": "–"
                if pd.isna(t.get("share_between"))
                else f"{_n(100 * t['share_between'], 0)}%",
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def mobility(rep) -> None:
    m = rep.mobility
    st.markdown(f"**Rank mobility.** {md(EXPLAIN['mobility'])}")
    if m.n < 3:
        st.caption("Too few areas with both values.")
        return
    st.markdown(
        md(
            f"Of {m.n} areas, {m.changed} moved to a different tenth ({m.up} to a better one, "
            f"{m.down} to a worse one). Of the {m.worst_then} in the worst tenth at the baseline, "
            f"{m.stayed_worst} are still there. Kendall's tau {_n(m.tau)}."
        )
    )


def pockets(rep, meta: dict) -> None:
    st.markdown(f"**Pockets of poor outcomes.** {md(EXPLAIN['pockets'])}")
    p = rep.pockets
    if rep.n_tested == 0:
        st.caption("No neighbour information for these areas.")
        return
    if p.empty:
        st.caption(f"No pocket in {md(rep.now_label)} among {rep.n_tested} areas.")
        return
    by_region = p.groupby("region").size().sort_values(ascending=False)
    st.markdown(
        md(
            f"{len(p)} of {rep.n_tested} areas in {rep.now_label}; by region: "
            + ", ".join(f"{r} {n}" for r, n in by_region.items())
            + "."
        )
    )
    from lumap.analysis.format import format_value

    shown = pd.DataFrame(
        {
            "Area": p["areanm"],
            "Region": p["region"],
            "Value": [format_value(x, meta, False) for x in p["value"]],
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch", height=min(35 * (len(shown) + 1) + 3, 250))
