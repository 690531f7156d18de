"""The missions at a glance: a verdict per mission in words, why a gap moved, and numbers
that add up as shown (hand-worked values in the comments)."""

from lumap.analysis import glance as g

PCT = {"suffix": "%", "decimals": 1}
PAY = {"prefix": "GBPSign", "decimals": 0}


def counts(**kw):
    words = (
        ["gap narrowing"] * kw.get("nar", 0)
        + ["gap widening"] * kw.get("wid", 0)
        + ["no clear change"] * kw.get("flat", 0)
        + ["no test possible"] * kw.get("untested", 0)
        + ["no verdict"] * kw.get("none", 0)
    )
    kinds = ["levelling down"] * kw.get("down", 0) + [""] * (len(words) - kw.get("down", 0))
    return g.count_verdicts(words, kinds)


def test_mission_sentence_counts_every_indicator():
    text, tone = g.mission_sentence(counts(nar=2, wid=1, flat=2))
    assert text == "The gap is narrowing on 2 of 5 indicators, widening on 1, no clear change on 2."
    assert tone == "mixed"
    text, tone = g.mission_sentence(counts(wid=1, flat=1, untested=2))
    assert (
        text == "The gap is widening on 1 of 4 indicators, no clear change on 1. 2 more cannot be judged yet."
    )
    assert tone == "bad"
    assert g.mission_sentence(counts(nar=1))[1] == "good"
    assert g.mission_sentence(counts(flat=3)) == ("No clear change in the gap on 3 of 3 indicators.", "flat")


def test_untested_directions_are_counted():
    c = g.count_verdicts(
        ["no test possible", "no test possible", "no clear change"], ["levelling up", "pulling ahead", "same"]
    )
    text, _ = g.mission_sentence(c)
    assert text == (
        "No clear change in the gap on 1 of 3 indicators. 2 more cannot be judged yet "
        "(untested, 1 narrowed and 1 widened)."
    )


def test_mission_sentence_says_levelling_down():
    text, _ = g.mission_sentence(counts(nar=2, flat=1, down=1))
    assert text.startswith("The gap is narrowing on 2 of 3 indicators (1 of them because the best got worse)")


def test_not_enough_data_to_tell():
    text, tone = g.mission_sentence(counts(untested=2, none=1))
    assert text == (
        "Not enough data to tell: 2 indicators moved, untested (no intervals); "
        "1 indicator without two periods to compare."
    )
    assert tone == "untested"
    assert g.mission_sentence(counts())[1] == "none"


def test_levelling_down_is_named():
    # claimant count, lower is better: best tenth 1.0% -> 1.5% (worse by 0.5),
    # the rest 3.0% -> 3.2% (worse by 0.2); gap (3.0 - 1.0) = 2.0 -> (3.2 - 1.5) = 1.7, -0.3
    m = g.movement(1.0, 1.5, 3.0, 3.2, -1, PCT)
    assert m.kind == "levelling down"
    assert (m.gap_base, m.gap_now, m.gap_change) == (2.0, 1.7, -0.3)
    assert m.gap_text == "2.0 pp → 1.7 pp (−0.3 pp)"
    assert "levelling down, not levelling up" in m.sentence
    assert "got worse by 0.5 pp (from 1.0% to 1.5%)" in m.sentence


def test_levelling_up_and_widening_stories():
    # higher is better: best 80 -> 81 (+1), rest 60 -> 65 (+5): gap 20 -> 16, the rest caught up
    assert g.movement(80, 81, 60, 65, 1, PCT).kind == "levelling up"
    # best 80 -> 85, rest 60 -> 61: gap 20 -> 24, pulling ahead
    assert g.movement(80, 85, 60, 61, 1, PCT).kind == "pulling ahead"
    # best 80 -> 80, rest 60 -> 58: the rest fell behind
    assert g.movement(80, 80, 60, 58, 1, PCT).kind == "falling behind"
    # best worse, rest better: both
    assert g.movement(80, 79, 60, 62, 1, PCT).kind == "both"


def test_arithmetic_adds_up_as_shown():
    # the "3.0 → 3.3 (+0.2)": unrounded 3.04 -> 3.26 is +0.22, shown as 3.0 -> 3.3;
    # here the change is worked from the shown numbers, so it reads +0.3
    m = g.movement(10.04, 10.26, 7.0, 7.0, 1, PCT)
    assert m.gap_text == "3.0 pp → 3.3 pp (+0.3 pp)"
    # values whose change would vanish at the published decimals get more of them:
    # 0.481 -> 0.489 at 1 decimal would read 0.5 -> 0.5; two more decimals show 0.48 -> 0.49
    m = g.movement(0.481, 0.489, 0.1, 0.1, 1, {"decimals": 1})
    assert m.decimals == 2 and m.gap_text == "0.38 → 0.39 (+0.01)"


def test_money_units():
    m = g.movement(900, 950, 600, 610, 1, PAY)
    assert m.gap_text == "£300 → £340 (+£40)"


def test_overlapping_periods_are_said():
    note = g.overlap_note("2019-01-01/P5Y", "2020-01-01/P5Y", "2019-23", "2020-24")
    assert "share 4 of their 5 years" in note
    assert g.overlap_note("2019-01-01/P1Y", "2020-01-01/P1Y", "2019", "2020") == ""
    # three-year windows 2011-13 and 2020-22 do not overlap
    assert g.overlap_note("2011-01-01/P3Y", "2020-01-01/P3Y", "2011-13", "2020-22") == ""


def test_change_text_adds_up_as_shown():
    # median pay 641.6 -> 667.4 shows as £642 -> £667; the change shown is 667 - 642 = +£25,
    # not the unrounded +£25.8 rounded to +£26
    assert g.change_text(641.6, 667.4, PAY) == "£642 → £667 (+£25)"


def test_interval_text_never_shows_a_nonzero_end_as_zero():
    # the "+0.0 pp to +2.2 pp" beside "widening": 0.04 needs two decimals
    assert g.interval_text(0.04, 2.2, PCT) == "+0.04 pp to +2.20 pp"
    # "−0.2 to −0.2": ends that differ get the decimals that show it
    assert g.interval_text(-0.24, -0.16, {"decimals": 1}) == "−0.24 to −0.16"
    assert g.interval_text(-1.0, 2.0, PCT) == "−1.0 pp to +2.0 pp"
