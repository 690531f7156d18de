"""Shared controls: mission, indicator (grouped by mission, searchable), year, level, area.

Each picker resolves its value from the URL / session first (see :mod:`lumap.ui.state`),
validates it against what the store has, then draws the widget.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from lumap.data import levels as lv
from lumap.data.metadata import read_mission_catalogue
from lumap.data.store import Store
from lumap.ui import state
from lumap.ui.params import parse_indicator, parse_int, parse_level, parse_year

DEFAULT_INDICATOR = "gross-median-weekly-pay"


def missions() -> list[dict]:
    return read_mission_catalogue()[0]


def mission_name(n) -> str:
    if n is None or n == 0:
        return "All missions"
    m = next((m for m in missions() if m["mission"] == n), None)
    return f"{n}. {m['short']}" if m else str(n)


def indicator_options(store: Store, mission: int | None, mapped_only: bool = True) -> list[str]:
    """Slugs ordered by mission then label; indicators outside the catalogue last."""
    df = store.indicators()
    df = df[df["levels"].map(len) > 0] if mapped_only else df
    if mission:
        df = df[df["mission"] == mission]
    df = df.assign(_m=df["mission"].fillna(99)).sort_values(["_m", "label"])
    return list(df["indicator"])


def indicator_label(store: Store, indicator: str) -> str:
    m = store.indicator(indicator)
    group = "Your data" if m.get("own") else f"M{int(m['mission'])}" if m.get("mission") else "Other"
    return f"{group} · {m['label']}"


def indicator_labels(store: Store, slugs) -> dict[str, str]:
    """{indicator: label} for a widget's ``format_func=labels.get``. A widget keeps its
    format_func in the session's state: a lambda over the Store would keep the whole Store
    (and its build's files, see lumap.data.layout) alive after a new build."""
    return {s: indicator_label(store, s) for s in slugs}


def indicator_controls(
    store: Store, notices: list[str], changed: bool, container=st, default: str = DEFAULT_INDICATOR
) -> tuple[int, str]:
    """Mission filter + indicator picker. Both values are settled before either widget
    is drawn: an indicator named in the URL wins over a mission filter that excludes it."""
    mission_opts = [0] + [m["mission"] for m in missions()]
    all_opts = indicator_options(store, None)
    default = default if default in all_opts else all_opts[0]
    mission = state.resolve(
        state.Param("mission", parse_int("mission", 0, 12), 0),
        notices,
        changed,
        valid=lambda v: v in mission_opts,
    )
    explicit = changed and bool(st.query_params.get("indicator"))
    value = state.resolve(
        state.Param("indicator", parse_indicator(store.meta), default),
        notices,
        changed,
        valid=lambda v: v in all_opts,
    )
    opts = indicator_options(store, mission) if mission else all_opts
    if value not in opts:
        if explicit or not opts:
            mission, opts = 0, all_opts
            st.session_state["mission"] = 0
        else:
            st.session_state["indicator"] = opts[0]
    mission = container.selectbox("Mission", mission_opts, key="mission", format_func=mission_name)
    indicator = container.selectbox(
        "Indicator",
        opts,
        key="indicator",
        format_func=indicator_labels(store, opts).get,
        help="Type to search. M1–M11: the Levelling Up mission the indicator measures.",
    )
    return mission, indicator


def url_period(
    store: Store, indicator: str, notices: list[str], changed: bool, key: str = "period"
) -> str | None:
    """The exact period a pasted link names (``period=2025-10``, the ISO period, a label),
    when the URL changed from outside; None when it names none (a bad one becomes a notice)."""
    raw = st.query_params.get(key) if changed else None
    if not raw:
        return None
    found = store.find_period(indicator, raw)
    if found is None:
        labels = store.periods(indicator)["label"]
        notices.append(
            f"{key}={raw[:30]} is not a period of {store.indicator(indicator)['label']} "
            f"({labels.iloc[0]} to {labels.iloc[-1]}); showing the default instead."
        )
    return found


def period_params(store: Store, indicator: str | None, period: str | None, key: str = "year") -> dict:
    """The URL's words for a period: ``{"year": 2019}`` when the year names it (the short
    form), else ``{"period": "2025-10"}`` (the exact period; a year alone would reopen as the
    latest period of that year)."""
    if not indicator or not period or not store.has(indicator):
        return {}
    exact = store.period_key(indicator, period)
    if exact is not None:
        return {"period": exact}
    year = next((p["start_year"] for p in store.meta[indicator]["periods"] if p["period"] == period), None)
    return {key: year}


def period_picker(
    store: Store,
    indicator: str,
    notices: list[str],
    changed: bool,
    container=st,
    key: str = "year",
    label: str = "Year",
    default_latest: bool = True,
) -> str:
    """Pick a period. The URL holds its start year (``year=``, the latest period starting
    that year) or, when the year is not enough, the exact period (``period=``, see
    :func:`period_params`)."""
    periods = store.periods(indicator)
    years = list(dict.fromkeys(periods["start_year"]))
    default = int(periods["start_year"].iloc[-1 if default_latest else 0])
    exact = url_period(store, indicator, notices, changed) if key == "year" else None
    start_year = dict(zip(periods["period"], periods["start_year"].astype(int), strict=True))
    if exact is not None:
        st.session_state[key] = year = start_year[exact]
    else:
        year = state.resolve(
            state.Param(key, parse_year(key), default), notices, changed, valid=lambda v: v in years
        )
    period = exact or store.resolve_year(indicator, year)
    shared = state.shared("period")
    if exact is None and shared in start_year and start_year[shared] == year:
        period = shared  # the exact period chosen on another page (same year)
    options = list(periods["period"])
    labels = dict(zip(periods["period"], periods["label"], strict=True))
    widget_key = f"{key}_period"
    # The widget's own value is trusted only when it was drawn by this page for this
    # indicator in the previous run (a value left by another page's widget is stale:
    # Streamlit would silently reset it to the first option).
    live = st.session_state.get(f"_{widget_key}_live") == (state.current_page(), indicator)
    if (
        exact is not None
        or not live
        or st.session_state.get(widget_key) not in options
        or st.session_state.get(f"{key}_synced") != year
    ):
        st.session_state[widget_key] = period
    st.session_state[f"_{widget_key}_live"] = (state.current_page(), indicator)
    chosen = container.selectbox(
        label, options, key=widget_key, format_func=lambda p: labels.get(p, p), disabled=len(options) == 1
    )
    chosen_year = int(periods.loc[periods["period"] == chosen, "start_year"].iloc[0])
    st.session_state[key] = chosen_year
    st.session_state[f"{key}_synced"] = chosen_year
    if key == "year":
        state.remember(period=chosen)
    return chosen


def level_picker(store: Store, indicator: str, notices: list[str], changed: bool, container=st) -> str:
    available = store.levels(indicator)
    default = (
        lv.DEFAULT_LEVEL
        if lv.DEFAULT_LEVEL in available
        else (available[0] if available else lv.DEFAULT_LEVEL)
    )
    state.resolve(
        state.Param("level", parse_level, default), notices, changed, valid=lambda v: v in available
    )
    return container.radio(
        "Geography",
        available,
        key="level",
        format_func=lambda lvl: lv.LEVELS[lvl]["name"],
    )


def today_year() -> int:
    return dt.date.today().year
