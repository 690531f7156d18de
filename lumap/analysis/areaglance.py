"""The area profile at a glance (the missions page has its own: lumap.analysis.glance): for
each mission indicator, where the area stands among all areas of its level (the UK and its
region marked) and which way it is heading.

One row per indicator of :func:`lumap.analysis.profile.build_profile` that belongs to a
mission, in the profile's order. Numbers are the profile's own; positions are percentiles:

- ``pos``: the area's position among the areas of its level in the period shown, 0-100,
  from its rank: ``(n - rank) / (n - 1) × 100`` with rank 1 = the best area (polarity-aware;
  for an indicator with no better direction, a count, or neutral wording, rank 1 = the
  highest). Ranks are the one rule of :mod:`lumap.analysis.ranks` (values as published, ties
  share the best rank), so an area "joint highest" with 233 others is at 100, as its words say.
- ``uk_pos`` / ``region_pos``: where the UK's / the region's value would stand among the
  same areas, by the same scale (``(n - areas strictly better) / n × 100``).
- ``band``: "best quarter", "middle half", "worst quarter", or "neutral" (no direction).
- ``heading``: "improving" / "worsening" / "no change" (a direction) or "up" / "down" /
  "no change" (neutral), over about five years where the area has a figure that far back,
  else since the previous period; "one period" when there is only one. "No change" means
  the two values are equal as published.
- ``points``: the area's own published values, oldest first, as (period start, value,
  code published under) — the real points of a sparkline, gaps left out (never joined across
  a missing period). ``earlier_code``: a figure of the series was published under an earlier
  code of the same place (:mod:`lumap.data.lineage`).

No Streamlit here.
"""

from __future__ import annotations

import math

import pandas as pd

from lumap.analysis.counts import is_count
from lumap.analysis.format import format_value, is_missing
from lumap.analysis.polarity import Polarity
from lumap.analysis.ranks import published, rank_text, ranks
from lumap.data.lineage import SOURCE_CODE

BEST, MIDDLE, WORST, NEUTRAL = "best quarter", "middle half", "worst quarter", "neutral"


def band(pos: float | None, directed: bool) -> str:
    if not directed or pos is None or math.isnan(pos):
        return NEUTRAL
    if pos >= 75:
        return BEST
    if pos <= 25:
        return WORST
    return MIDDLE


def position_of(value, values: pd.Series, sign: int) -> float | None:
    """Where ``value`` would stand among ``values`` (0-100; 100 = best for ``sign`` +1 or
    -1, = highest for 0): ``(n - values strictly better) / n × 100``. None without a value."""
    if is_missing(value) or values.empty:
        return None
    v = float(value)
    better = float((values < v).sum()) if sign < 0 else float((values > v).sum())
    return (len(values) - better) / len(values) * 100


def rank_position(rank, n) -> float | None:
    """``(n - rank) / (n - 1) × 100``: 100 for rank 1, 0 for rank n (50 for a lone area)."""
    if is_missing(rank) or is_missing(n) or int(n) < 1:
        return None
    return 50.0 if int(n) == 1 else (int(n) - int(rank)) / (int(n) - 1) * 100


def _heading(row: dict, meta: dict, directed: bool) -> tuple[str, str, bool]:
    """(word, since, up): the direction of the latest change over ~5 years (else since the
    previous period); ``up``: the value rose."""
    for key in ("y5", "prev"):
        change, label = row.get(f"{key}_change"), row.get(f"{key}_period_label")
        if is_missing(change) or is_missing(label):
            continue
        before = format_value(row.get(f"{key}_value"), meta, False)
        now = format_value(row.get("value"), meta, False)
        if before == now:
            return "no change", str(label), False
        up = float(change or 0.0) > 0  # not missing: checked above
        if not directed:
            return ("up" if up else "down"), str(label), up
        better = up == (Polarity.of(meta.get("polarity")) > 0)
        return ("improving" if better else "worsening"), str(label), up
    return "one period", "", False


def glance_rows(profile: pd.DataFrame, ctx, meta: dict[str, dict]) -> pd.DataFrame:
    """The at-a-glance rows (module docstring) for the mission indicators of ``profile``.
    ``ctx`` is the profile's :class:`~lumap.analysis.profile.AreaContext`."""
    cols = [
        "group",
        "indicator",
        "label",
        "period_label",
        "value_text",
        "directed",
        "count",
        "pos",
        "uk_pos",
        "region_pos",
        "band",
        "heading",
        "up",
        "since",
        "rank_text",
        "points",
        "earlier_code",
    ]
    if profile.empty:
        return pd.DataFrame(columns=cols)
    out = []
    for r in profile.to_dict("records"):
        if is_missing(r.get("mission")) or not isinstance(r.get("level"), str):
            continue
        m = meta[r["indicator"]]
        count = is_count(m)
        sign = 0 if count else int(Polarity.of(m.get("polarity")))
        directed = sign != 0
        level = ctx.levels[r["level"]]
        area_rows = level.slice(r["indicator"], r["period"])
        decimals = m.get("decimals")
        values = published(area_rows["value"], decimals).dropna()
        pos = None
        if not is_missing(r["value"]) and len(values):
            own = ranks(area_rows["value"], descending=sign >= 0, decimals=decimals)
            hit = own[(area_rows["areacd"] == ctx.code).to_numpy()]
            if len(hit) and not is_missing(hit["rank"].iloc[0]):
                pos = rank_position(hit["rank"].iloc[0], hit["n"].iloc[0])
        comp_pos = {}
        for k in ("uk", "region"):
            v = r.get(f"{k}_value")
            comp_pos[k] = (
                None
                if is_missing(v) or count
                else position_of(float(published(pd.Series([v]), decimals).iloc[0]), values, sign)
            )
        word, since, up = _heading(r, m, directed)
        series = ctx.series(r["indicator"])
        values_ = pd.to_numeric(series["value"], errors="coerce")
        sources = series[SOURCE_CODE] if SOURCE_CODE in series else pd.Series([ctx.code] * len(series))
        points = [
            (str(s)[:10], None if math.isnan(v) else float(v), str(c))
            for s, v, c in zip(series["start"], values_.astype(float), sources, strict=True)
        ]
        n_values = sum(v is not None for _, v, _ in points)
        out.append(
            {
                "group": r["group"],
                "indicator": r["indicator"],
                "label": r["label"],
                "period_label": r["period_label"],
                "value_text": format_value(r["value"], m),
                "directed": directed,
                "count": count,
                "pos": pos,
                "uk_pos": comp_pos["uk"],
                "region_pos": comp_pos["region"],
                "band": band(pos, directed),
                "heading": word,
                "up": up,
                "since": since,
                "rank_text": rank_text(
                    r.get("rank"), r.get("n"), tied=r.get("tied") or 0, value_text=format_value(r["value"], m)
                ),
                "points": points if n_values > 1 else [],
                "earlier_code": any(c != ctx.code for _, v, c in points if v is not None),
            }
        )
    return pd.DataFrame(out, columns=cols)


def headline(rows: pd.DataFrame) -> dict[str, int]:
    """Counts for the glance's one-line summary: indicators in the best / worst quarter and
    improving / worsening."""
    return {
        "indicators": len(rows),
        BEST: int((rows["band"] == BEST).sum()) if len(rows) else 0,
        WORST: int((rows["band"] == WORST).sum()) if len(rows) else 0,
        "improving": int((rows["heading"] == "improving").sum()) if len(rows) else 0,
        "worsening": int((rows["heading"] == "worsening").sum()) if len(rows) else 0,
    }
