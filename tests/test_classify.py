import math

import pytest

from lumap.viz.classify import NO_DATA, PALETTE, classify, diverging_classes


def test_natural_breaks_find_the_obvious_groups():
    # three tight groups: 1-3, 10-12, 20-22 -> breaks at the top of each group
    c = classify([1, 2, 3, 10, 11, 12, 20, 21, 22], "natural", k=3)
    assert c.bins == (3.0, 12.0, 22.0) and c.lower == 1.0
    assert c.colour(2) == c.colours[0] and c.colour(11) == c.colours[1] and c.colour(22) == c.colours[2]
    assert c.colour(math.nan) == NO_DATA


def test_quantiles_and_equal_intervals():
    values = [0, 1, 2, 3, 4, 5, 6, 7, 8, 100]
    q = classify(values, "quantiles", k=2)  # median of 0..8,100 = 4.5
    assert q.bins == (4.5, 100.0)
    e = classify(values, "equal", k=4)  # width 25
    assert e.bins == (25.0, 50.0, 75.0, 100.0)


def test_few_distinct_values_and_empty():
    assert classify([5, 5, 5], "natural").bins == (5.0,)
    assert classify([math.nan], "natural") is None
    two = classify([1, 1, 2], "natural", k=5)
    assert two.bins == (1.0, 2.0) and two.colours == (PALETTE[0], PALETTE[-1])


def test_legend_ranges_are_contiguous():
    c = classify([1, 2, 3, 10, 11, 12, 20, 21, 22], "natural", k=3)
    assert [(lo, hi) for lo, hi, _ in c.ranges()] == [(1.0, 3.0), (3.0, 12.0), (12.0, 22.0)]


def test_diverging_is_symmetric_around_zero_and_robust_to_an_outlier():
    d = diverging_classes([-7, 0, 3.5], k=7)
    # |x| sorted 0, 3.5, 7; 95th percentile at position 1.9 -> 3.5 + 0.9 * 3.5 = 6.65
    # step = 6.65 / 3.5 = 1.9 -> inner edges -4.75, -2.85, -0.95, 0.95, 2.85, 4.75; outer to 7
    assert d.bins == pytest.approx((-4.75, -2.85, -0.95, 0.95, 2.85, 4.75, 7.0))
    assert d.lower == -7.0
    assert d.colour(0) == d.colours[3] and d.colour(-7) == d.colours[0] and d.colour(7) == d.colours[-1]
    # one huge outlier no longer flattens everything else into the middle class
    spread = diverging_classes(list(range(-20, 21)) + [1000], k=7)
    assert spread.colour(15) != spread.colour(0)


def test_huge_values_cannot_crash_the_process():
    """jenkspy alone returns garbage, raises or segfaults from about 1e154 on; classify scales
    such values first. Run in a child process, so a regression fails the test instead of
    killing the test run."""
    import subprocess
    import sys

    code = (
        "from lumap.viz.classify import classify, diverging_classes\n"
        "for big in (1e15, 1e154, 1e155, 1e300, 1.7e308):\n"
        "    for vals in ([1, 2, 3, big, 5, 6, 7, 8], [-big, big, 0, 1, 2],\n"
        "                 [big] * 3 + [1], [big, big / 2, -big]):\n"
        "        for scheme in ('natural', 'quantiles', 'equal'):\n"
        "            c = classify(vals, scheme)\n"
        "            assert c.bins[-1] == max(vals) and c.lower == min(vals), (vals, scheme, c)\n"
        "            assert all(c.colour(v) in c.colours for v in vals)\n"
        "        diverging_classes(vals)\n"
        "print('ok')\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout.strip() == "ok", r.stderr[-2000:]


def test_huge_values_keep_their_natural_groups():
    c = classify([1, 2, 3, 1e200, 1.1e200, 1.2e200], "natural", k=2)
    assert c.bins == (3.0, 1.2e200)
    assert c.colour(2) != c.colour(1.1e200)


def test_non_finite_and_non_numbers_are_no_data():
    c = classify([1, 2, math.inf, -math.inf, None, "x", 3], "natural", k=3)
    assert c.lower == 1.0 and c.bins[-1] == 3.0
    assert c.colour(math.inf) == NO_DATA
    assert classify([math.inf, None]) is None


def test_any_finite_values_classify_without_error():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    finite = st.floats(allow_nan=False, allow_infinity=False)

    @settings(max_examples=300, deadline=None, derandomize=True)
    @given(st.lists(finite, min_size=1, max_size=40), st.sampled_from(["natural", "quantiles", "equal"]))
    def check(values, scheme):
        c = classify(values, scheme)
        assert c.lower == min(values) and c.bins[-1] == max(values)
        assert list(c.bins) == sorted(c.bins)
        assert all(c.colour(v) in c.colours for v in values)

    check()
