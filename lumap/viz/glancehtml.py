"""The missions at a glance as HTML: a grid of verdict cards (one per mission, readable on a
projector) and, per mission, a table with a strip chart of the gap itself for every
indicator: each area a tick at the baseline and now, the best tenth purple, the worst tenth
orange, better always to the right, and a bar from the average of the rest (or, for the
best-vs-worst measure, of the worst tenth) to the average of the best tenth (the gap shown).

Charts are small inline SVG (no JavaScript, nothing fetched: they draw offline and
instantly). Every value from data is escaped with :func:`lumap.escape.html`. Colours:
ColorBrewer PuOr, as in :mod:`lumap.viz.summarytable`. No Streamlit here.
"""

from __future__ import annotations

import re

import numpy as np

from lumap.analysis.gaps import n_top
from lumap.analysis.glance import TONES, IndicatorGlance, MissionGlance
from lumap.escape import html

BEST, WORST, MIDDLE, GAP = "#542788", "#b35806", "#b8b8b8", "#222"
#: headline word and icon per mission tone
HEADLINE = {
    "good": ("Gap narrowing", "✔"),
    "bad": ("Gap widening", "✖"),
    "mixed": ("Mixed", "±"),
    "flat": ("No clear change", "≈"),
    "untested": ("Not enough data to tell", "?"),
    "none": ("Not measured", "–"),
}
CHIP = {
    "gap narrowing": "✔",
    "gap widening": "✖",
    "no clear change": "≈",
    "no test possible": "?",
    "no verdict": "–",
}

STYLE = """
<style>
.lu-glance {display:grid;grid-template-columns:repeat(auto-fill,minmax(255px,1fr));gap:0.45rem;
  margin:0.2rem 0 0.6rem 0}
.lu-card {border:1px solid #ccc;border-left:7px solid #999;border-radius:0.4rem;padding:0.4rem 0.6rem;
  background:#fff;line-height:1.25;display:block}
a.lu-card, a.lu-card:visited, a.lu-card * {color:#222 !important;text-decoration:none !important}
a.lu-card .lu-head-good, a.lu-card .lu-head-bad {color:#fff !important}
a.lu-card:hover, a.lu-card:focus {box-shadow:0 0 0 2px #8073ac;outline:none}
.lu-card-good {border-left-color:#542788}.lu-card-bad {border-left-color:#b35806}
.lu-card-mixed {border-left-color:#8073ac}.lu-card-flat {border-left-color:#999}
.lu-card-untested,.lu-card-none {border-left-color:#ddd;border-left-style:dashed}
.lu-card-title {font-weight:700;font-size:1.0rem;margin-bottom:0.1rem}
.lu-card-text {font-size:0.86rem;color:#222;margin:0.12rem 0;line-height:1.2}
.lu-card-strip {font-size:0.76rem;color:#444;margin-top:0.1rem;line-height:1.15}
.lu-head {display:inline-block;padding:0.05rem 0.5rem;border-radius:0.8rem;font-weight:700;
  font-size:0.88rem;white-space:nowrap}
.lu-head-good,.lu-v-good {background:#542788;color:#fff}
.lu-head-bad,.lu-v-bad {background:#b35806;color:#fff}
.lu-head-mixed {background:#d8daeb;color:#222;border:1.5px solid #542788}
.lu-head-flat,.lu-v-flat {background:#e8e8e8;color:#222}
.lu-head-untested,.lu-v-untested {background:#fff;color:#333;border:1.5px dashed #888}
.lu-head-none,.lu-v-none {background:#fff;color:#666;border:1px solid #ccc;font-weight:400}
.lu-gtable {border-collapse:collapse;width:100%;font-size:0.95rem;line-height:1.3}
.lu-gtable th {text-align:left;font-size:0.85rem;border-bottom:2px solid #333;padding:0.3rem 0.45rem}
.lu-gtable td {border-bottom:1px solid #ddd;padding:0.35rem 0.45rem;vertical-align:top}
.lu-gtable .lu-small {display:block;font-size:0.8rem;color:#555}
.lu-gtable td.lu-strip {width:26%;min-width:220px}
.lu-gtable td.lu-why {width:34%}
.lu-gtable td:first-child {width:17%}
.lu-gtable .lu-num {white-space:nowrap;font-variant-numeric:tabular-nums}
@media (max-height: 820px) {.lu-card .lu-card-strip, .lu-card svg {display:none}}
.lu-key {font-size:0.82rem;color:#333;margin:0.1rem 0 0.4rem 0}
.lu-key b {display:inline-block;width:0.7rem;height:0.7rem;border-radius:50%;vertical-align:-0.05rem}
</style>
"""


# ---------------------------------------------------------------------------------------------
# The strip chart
# ---------------------------------------------------------------------------------------------


def strip_svg(line: IndicatorGlance, width: int = 300, compact: bool = False) -> str:
    """Two rows of ticks (baseline, now) on one scale, better to the right; "" without data."""
    rows = [(line.base_label, np.asarray(line.base, float)), (line.now_label, np.asarray(line.now, float))]
    rows = [(lab, v[np.isfinite(v)]) for lab, v in rows if len(v)]
    if not rows:
        return ""
    sign = -1.0 if line.polarity == -1 else 1.0
    allv = np.concatenate([v for _, v in rows]) * sign
    lo, hi = float(allv.min()), float(allv.max())
    span = hi - lo or 1.0
    left, right = 66, width - 8
    row_h = 15 if compact else 18
    top = 4
    height = top + row_h * len(rows) + (0 if compact else 11)

    def x(v: float) -> float:
        return left + (v * sign - lo) / span * (right - left)

    parts = [
        f"<svg viewBox='0 0 {width} {height}' width='100%' height='{height}' role='img' "
        f"aria-label='{html(_aria(line))}' preserveAspectRatio='xMinYMin meet'>"
    ]
    for i, (label, v) in enumerate(rows):
        y = top + row_h * i + row_h / 2
        parts.append(
            f"<text x='0' y='{y + 3.5:.1f}' font-size='{10 if len(_short(label)) <= 11 else 8.5}' "
            f"fill='#333'>{html(_short(label))}</text>"
            f"<line x1='{left}' x2='{right}' y1='{y:.1f}' y2='{y:.1f}' stroke='#eee'/>"
        )
        order = np.sort(v * sign)  # aligned, ascending: worst first
        k = n_top(len(order))
        groups = ((MIDDLE, order[k : len(order) - k]), (WORST, order[:k]), (BEST, order[len(order) - k :]))
        y1, y2 = y - row_h / 2 + 4, y + row_h / 2 - 2
        for colour, vals in groups:  # one path of ticks per colour: small, and dense spots darken
            if len(vals):
                d = "".join(f"M{left + (a - lo) / span * (right - left):.1f} {y1:.0f}V{y2:.0f}" for a in vals)
                parts.append(f"<path d='{d}' stroke='{colour}' stroke-opacity='0.55' stroke-width='1.6'/>")
        if len(order) >= 2:
            best = order[len(order) - k :].mean()
            rest = order[:k].mean() if line.versus == "worst" else order[: len(order) - k].mean()
            xa, xb = (left + (val - lo) / span * (right - left) for val in (rest, best))
            yb = y - row_h / 2 + 2
            parts.append(
                f"<path d='M{xa:.1f} {yb:.1f}H{xb:.1f}M{xa:.1f} {yb - 2:.1f}V{yb + 3:.1f}"
                f"M{xb:.1f} {yb - 2:.1f}V{yb + 3:.1f}' stroke='{GAP}' stroke-width='1.8'/>"
            )
    if not compact:
        word = "higher" if line.polarity == 0 else "better"
        parts.append(
            f"<text x='{right}' y='{height - 1}' font-size='9.5' fill='#555' "
            f"text-anchor='end'>{word} →</text>"
            f"<text x='{left}' y='{height - 1}' font-size='9.5' fill='#555'>← "
            f"{'lower' if line.polarity == 0 else 'worse'}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


_FY_SPAN = re.compile(r"^FY (\d{2})(\d{2})-(\d{2}) to (\d{2})(\d{2})-(\d{2})$")


def _short(label: str) -> str:
    """A period label that fits the strip's margin: "FY 2019-20 to 2021-22" as
    "FY19/20–21/22"; any other label over 11 characters cut with "…"."""
    m = _FY_SPAN.match(label)
    if m:
        return f"FY{m[2]}/{m[3]}–{m[5]}/{m[6]}"
    return label if len(label) <= 11 else label[:10] + "…"


def _aria(line: IndicatorGlance) -> str:
    return (
        f"{line.label}: each area's value in {line.base_label} and {line.now_label}, "
        f"{'higher' if line.polarity == 0 else 'better'} to the right; best tenth purple, worst "
        f"tenth orange, the bar spans the average of "
        f"{'the worst tenth' if line.versus == 'worst' else 'the rest'} to the average of the best "
        f"tenth. {line.gap_text}"
    )


# ---------------------------------------------------------------------------------------------
# Cards and tables
# ---------------------------------------------------------------------------------------------


def headline(m: MissionGlance) -> IndicatorGlance | None:
    """The indicator drawn on a mission's card: the first with a tested verdict, else the
    first with two periods, else None."""
    lines = [x for x in m.indicators if x.base]
    tested = [x for x in lines if x.tested]
    return (tested or lines or [None])[0]


def cards_html(missions: list[MissionGlance], kind: str = "Mission", link: str | None = None) -> str:
    """The grid of verdict cards. ``link``: a URL prefix (e.g. "?catalogue=missions&mission=")
    to which each card's number is appended, or None for no links."""
    out = [STYLE, "<div class='lu-glance' data-testid='lu-glance'>"]
    for m in missions:
        word, icon = HEADLINE.get(m.tone, HEADLINE["none"])
        strip = ""
        h = headline(m)
        if h is not None:
            strip = f"<div class='lu-card-strip'>{html(h.label)}: {html(h.gap_text)}</div>" + strip_svg(
                h, width=320, compact=True
            )
        tag = "a" if link is not None else "div"
        href = f" href='{html(link + str(m.number))}' target='_self'" if link is not None else ""
        out.append(
            f"<{tag} class='lu-card lu-card-{html(m.tone)}'{href} data-testid='lu-card' "
            f"data-mission='{m.number}' data-tone='{html(m.tone)}'>"
            f"<div class='lu-card-title'>{html(kind)} {m.number}: {html(m.short)}</div>"
            f"<span class='lu-head lu-head-{html(m.tone)}'>{html(icon)} {html(word)}</span>"
            f"<div class='lu-card-text'>{html(card_text(m.sentence))}</div>{strip}</{tag}>"
        )
    out.append("</div>")
    return "".join(out)


def card_text(sentence: str) -> str:
    """The sentence without the words the card's chip already says."""
    for lead in ("Not enough data to tell: ",):
        if sentence.startswith(lead):
            rest = sentence[len(lead) :]
            return rest[0].upper() + rest[1:]
    return sentence


PAGE_STYLE = """
<style>
[data-testid="stMainBlockContainer"] {padding-top:2.4rem;padding-left:2.2rem;padding-right:2.2rem}
[data-testid="stMainBlockContainer"] h1 {font-size:2.15rem;padding-top:0.2rem}
</style>
"""


def key_html(measure_label: str, versus: str = "rest") -> str:
    """The strip charts' key; ``versus``: what the bar starts from ("rest" or "worst")."""
    start = "worst 10%" if versus == "worst" else "rest"
    return (
        "<div class='lu-key'>Each tick is an area, better to the right: "
        f"<b style='background:{BEST}'></b> best 10% · <b style='background:{MIDDLE}'></b> middle · "
        f"<b style='background:{WORST}'></b> worst 10%. The black bar runs from the average of the "
        f"{start} to the average of the best 10%: its length is the gap "
        f"({html(measure_label.lower())}).</div>"
    )


def verdict_chip(word: str) -> str:
    tone = TONES.get(word, "none")
    return f"<span class='lu-head lu-v-{html(tone)}'>{html(CHIP.get(word, ''))} {html(word)}</span>"


def mission_table_html(m: MissionGlance, measure_short: str) -> str:
    """One row per indicator: name and periods, verdict, the strip, the gap, and why."""
    rows = []
    for x in m.indicators:
        small = " · ".join(p for p in (x.periods, x.overlap) if p)
        gap = f"<span class='lu-num'>{html(x.gap_text)}</span>" if x.gap_text else "–"
        rows.append(
            "<tr data-testid='lu-gap-row'>"
            f"<td><b>{html(x.label)}</b><span class='lu-small'>{html(small)}</span></td>"
            f"<td>{verdict_chip(x.verdict)}</td>"
            f"<td class='lu-strip'>{strip_svg(x)}</td>"
            f"<td>{gap}</td>"
            f"<td class='lu-why'><span class='lu-small' style='color:#222;font-size:0.86rem'>"
            f"{html(x.why)}</span></td>"
            "</tr>"
        )
    head = (
        "<tr><th>Indicator</th><th>Gap since the baseline</th><th>Areas then and now</th>"
        f"<th>{html(measure_short[0].upper() + measure_short[1:])}</th><th>Why it moved</th></tr>"
    )
    return (
        STYLE
        + "<table class='lu-gtable'><thead>"
        + head
        + "</thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )
