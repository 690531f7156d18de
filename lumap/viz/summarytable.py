"""The mission summary as one HTML table a presenter can put on a screen: big type, one row
per indicator, verdicts as coloured chips that always carry their words.

Input rows come from :func:`lumap.analysis.missionreport.summary_row`. Every value is
escaped here with :func:`lumap.escape.html` (the table goes through Streamlit's Markdown).
Colours are ColorBrewer PuOr (colour-blind safe), as on the change map: purple = better /
narrowing, orange = worse / widening. No Streamlit here.
"""

from __future__ import annotations

from lumap.escape import html

STYLE = """
<style>
.lu-summary {border-collapse:collapse;width:100%;font-size:1.08rem;line-height:1.35}
.lu-summary th {text-align:left;font-size:0.9rem;color:#333;border-bottom:2px solid #333;
  padding:0.45rem 0.6rem;vertical-align:bottom}
.lu-summary td {border-bottom:1px solid #ddd;padding:0.5rem 0.6rem;vertical-align:top}
.lu-summary tr.lu-mission td {background:#f3f1f7;font-weight:700;font-size:1.0rem;
  border-bottom:1px solid #bbb;padding-top:0.7rem}
.lu-summary .lu-ind {font-weight:600}
.lu-summary td:first-child {width:34%}
.lu-summary .lu-small {display:block;font-size:0.82rem !important;color:#555;font-weight:400;
  margin-top:0.15rem;margin-left:0 !important}
.lu-summary .lu-num {white-space:nowrap;font-variant-numeric:tabular-nums}
.lu-chip {display:inline-block;padding:0.12rem 0.55rem;border-radius:0.9rem;font-weight:700;
  white-space:nowrap;font-size:1.0rem}
.lu-good {background:#542788;color:#fff}
.lu-bad {background:#b35806;color:#fff}
.lu-moved {background:#d8daeb;color:#222}
.lu-flat {background:#e8e8e8;color:#222}
.lu-untested {background:#fff;color:#333;border:1.5px dashed #888}
.lu-none {background:#fff;color:#666;border:1px solid #ccc;font-weight:400}
</style>
"""

ICON = {"good": "✔", "bad": "✖", "moved": "•", "flat": "≈", "untested": "?", "none": "–"}


def chip(word: str, tone: str, detail: str = "") -> str:
    """A verdict chip plus its small print, escaped."""
    e = html
    icon = ICON.get(tone, "")
    if word in ("higher", "lower"):
        icon = "↑" if word == "higher" else "↓"
    out = f"<span class='lu-chip lu-{e(tone)}'>{e(icon)} {e(word)}</span>"
    if detail:
        out += (
            f"<span class='lu-small' style='margin-left:0.45em;color:#555;font-size:0.9em'>{e(detail)}</span>"
        )
    return out


def _numbers(base: str, now: str, unit: str = "") -> str:
    e = html
    small = f"<span class='lu-small'>{e(unit)}</span>" if unit else ""
    if base and now:
        return f"<span class='lu-num'>{e(base)}</span> → <span class='lu-num'>{e(now)}</span>{small}"
    if now:
        return (
            f"<span class='lu-num'>{e(now)}</span>"
            f"<span class='lu-small'>{e(unit + ', ' if unit else '')}latest only</span>"
        )
    return "–"


def summary_html(rows: list[dict], mission_titles: dict[int, str] | None = None) -> str:
    """The table. With ``mission_titles`` ({mission number: title}) rows are grouped under
    a heading row per mission, in the order given."""
    e = html
    head = (
        "<tr><th>Indicator</th><th>Typical area (median)</th><th>Level since baseline</th>"
        "<th>Gap between areas</th><th>Gap since baseline</th></tr>"
    )
    body = []
    current = object()
    for r in rows:
        if mission_titles is not None and r.get("mission") != current:
            current = r.get("mission")
            title = mission_titles.get(current, f"Mission {current}")
            body.append(f"<tr class='lu-mission'><td colspan='5'>{e(title)}</td></tr>")
        small = " · ".join([r["periods"], *(r.get("notes") or [])])
        ind = f"<span class='lu-ind'>{e(r['label'])}</span><span class='lu-small'>{e(small)}</span>"
        gap_cell = _numbers(r["gap_base"], r["gap_now"], r["gap_measure"])
        median_detail = r["median_detail"] or (r["no_verdict"] if r["median_word"] == "no verdict" else "")
        body.append(
            "<tr>"
            f"<td>{ind}</td>"
            f"<td>{_numbers(r['median_base'], r['median_now'], r.get('unit', ''))}</td>"
            f"<td>{chip(r['median_word'], r['median_tone'], median_detail)}</td>"
            f"<td>{gap_cell}</td>"
            f"<td>{chip(r['gap_word'], r['gap_tone'], r['gap_detail'])}</td>"
            "</tr>"
        )
    return (
        STYLE
        + "<table class='lu-summary' data-testid='lu-summary'><thead>"
        + head
        + "</thead><tbody>"
        + "".join(body)
        + "</tbody></table>"
    )


def empty_html(message: str) -> str:
    return f"<p style='font-size:1.05rem'>{html(message)}</p>"
