"""compare(): the area's 95% CI against the comparator's point value."""

from lumap.analysis.polarity import Polarity
from lumap.analysis.significance import RULE_TEXT, compare

NAN = float("nan")


def test_significantly_lower_neutral():
    # Blackpool-like: 51.8 (CI 49.9–53.7) vs UK 60.9. 60.9 > 53.7 -> CI excludes it.
    r = compare(51.8, 49.9, 53.7, 60.9, None)
    assert r == {
        "direction": "lower",
        "judgement": "lower",
        "significant": True,
        "word": "significantly lower",
    }


def test_polarity_turns_lower_into_worse_or_better():
    assert compare(51.8, 49.9, 53.7, 60.9, 1)["word"] == "significantly worse"
    assert compare(51.8, 49.9, 53.7, 60.9, -1)["word"] == "significantly better"
    assert compare(70, 68, 72, 60, 1)["judgement"] == "better"  # higher, higher is better
    assert compare(70, 68, 72, 60, "-1")["judgement"] == "worse"  # string polarity accepted
    assert compare(70, 68, 72, 60, 0)["judgement"] == "higher"


def test_not_significant_when_ci_includes_comparator():
    # 58.0 (CI 55.0–61.0) vs 60.9: 55.0 <= 60.9 <= 61.0 -> includes -> not significant.
    r = compare(58.0, 55.0, 61.0, 60.9, 1)
    assert r == {
        "direction": "lower",
        "judgement": "similar",
        "significant": False,
        "word": "not significantly different",
    }


def test_ci_boundary_counts_as_included():
    # Comparator exactly at the upper limit: the interval includes it -> not significant.
    assert compare(58.0, 55.0, 60.9, 60.9, None)["significant"] is False
    # Just beyond: excluded.
    assert compare(58.0, 55.0, 60.8, 60.9, None)["significant"] is True


def test_untested_when_no_interval():
    r = compare(70.0, NAN, NAN, 60.0, None)
    assert r["significant"] is None
    assert r["direction"] == "higher" and r["judgement"] == "higher"
    assert r["word"] == "higher (untested: no confidence interval published)"
    assert (
        compare(50.0, 45.0, None, 60.0, -1)["word"] == "better (untested: no confidence interval published)"
    )  # half an interval = none


def test_equal_values():
    assert compare(60.0, 58.0, 62.0, 60.0, 1) == {
        "direction": "same",
        "judgement": "similar",
        "significant": False,
        "word": "not significantly different",
    }
    r = compare(60.0, NAN, NAN, 60.0, 1)
    assert r["direction"] == "same" and r["significant"] is None and r["word"] == "the same"


def test_missing_value_or_comparator():
    for r in (compare(NAN, 1, 2, 3, 1), compare(1.0, 0, 2, None, 1)):
        assert r["direction"] is None and r["significant"] is None
        assert r["word"] == "no data to compare"


def test_reversed_limits_still_work():
    # Some sources swap limits; 60.9 is still outside [49.9, 53.7].
    assert compare(51.8, 53.7, 49.9, 60.9, None)["significant"] is True


def test_polarity_and_rule_text():
    assert [Polarity.of(p) for p in (1, -1, 0, None, NAN, "1", "-1", 2.0, "x")] == [
        1,
        -1,
        0,
        0,
        0,
        1,
        -1,
        1,
        0,
    ]
    assert "95% confidence interval" in RULE_TEXT and "untested" in RULE_TEXT
