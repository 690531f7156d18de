"""The at-a-glance HTML: the strip chart's geometry on a hand-made indicator (worked by
hand in the comments), polarity alignment, the bar following the measure, and escaping."""

import re

from lumap.analysis.glance import IndicatorGlance, MissionGlance
from lumap.viz import glancehtml as gh


def line(polarity=1, versus="rest", label="Test <b>x</b>", values=tuple(float(v) for v in range(1, 11))):
    return IndicatorGlance(
        indicator="t",
        label=label,
        level="ltla",
        polarity=polarity,
        verdict="gap narrowing",
        tested=True,
        periods="2019 → 2024",
        gap_text="5.0 → 4.0 (−1.0)",
        why="",
        kind="levelling up",
        overlap="",
        base=values,
        now=values,
        base_label="2019",
        now_label="2024",
        unit="",
        versus=versus,
    )


def bars(svg: str) -> list[tuple[str, str]]:
    """(start x, end x) of each black gap bar."""
    return re.findall(r"<path d='M([\d.]+) [\d.]+H([\d.]+)M[^']*' stroke='#222'", svg)


def test_strip_bar_runs_from_the_rest_to_the_best_tenth():
    # width 300: the scale runs from x = 66 to x = 292 (226 px) over values 1..10 (span 9).
    # n = 10, so a tenth is 1 area: best = {10} at x = 292; the rest 1..9 average 5, at
    # 66 + (5 - 1)/9 × 226 = 166.44 → "166.4". Two rows (baseline and now), so two bars.
    svg = gh.strip_svg(line())
    assert bars(svg) == [("166.4", "292.0")] * 2
    # one path of ticks per colour and row: 8 middle, 1 worst, 1 best ticks per row
    for colour, n in ((gh.MIDDLE, 8), (gh.WORST, 1), (gh.BEST, 1)):
        paths = re.findall(rf"<path d='([^']*)' stroke='{colour}'", svg)
        assert [p.count("M") for p in paths] == [n, n], colour
    assert "better →" in svg and "← worse" in svg


def test_strip_is_polarity_aligned():
    # lower is better: values are drawn as −10..−1, so the best (1) is still at the right
    # (x = 292) and the rest (2..10, average 6, drawn −6) at 66 + 4/9 × 226 = 166.4 again
    assert bars(gh.strip_svg(line(polarity=-1))) == [("166.4", "292.0")] * 2
    # neutral indicators say higher/lower, not better/worse
    svg = gh.strip_svg(line(polarity=0))
    assert "higher →" in svg and "better" not in svg


def test_strip_bar_follows_the_best_vs_worst_measure():
    # the worst tenth is {1}, at x = 66
    assert bars(gh.strip_svg(line(versus="worst"))) == [("66.0", "292.0")] * 2
    assert "average of the worst 10%" in gh.key_html("Best 10% vs worst 10%", "worst")
    assert "average of the rest" in gh.key_html("Best 10% ahead of the rest")


def test_labels_are_escaped_and_empty_lines_draw_nothing():
    svg = gh.strip_svg(line())
    assert "<b>" not in svg and "Test &#60;b&#62;x" in svg
    assert gh.strip_svg(line(values=())) == ""


def test_cards_one_per_mission_with_tone_and_link():
    words = "The gap is narrowing on 1 of 1 indicator."
    m = MissionGlance(3, "Transport <i>", "aim", words, "good", {}, (line(),))
    html_ = gh.cards_html([m], "Mission", "?mission=")
    assert html_.count("data-testid='lu-card'") == 1
    assert "data-tone='good'" in html_ and "lu-card-good" in html_
    assert "href='&#63;mission&#61;3'" in html_  # escaped; the browser reads ?mission=3
    assert "<i>" not in html_ and "Transport &#60;i&#62;" in html_ and "Gap narrowing" in html_


def test_long_period_labels_fit_the_margin():
    assert gh._short("FY 2019-20 to 2021-22") == "FY19/20–21/22"
    assert gh._short("AY 2024-25") == "AY 2024-25"
    assert gh._short("January to December 2024") == "January to…"
