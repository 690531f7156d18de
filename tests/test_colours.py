"""The map's colours stay apart for every common colour vision type (measured, not hoped)."""

import itertools

import pytest

from lumap.viz import colourvision as cv
from lumap.viz.classify import NO_DATA, NOT_PUBLISHED, PALETTE

#: ΔE2000 a map key must keep from the keys it could be confused with, for every vision type.
APART = 10.0


@pytest.mark.parametrize(
    "lab1,lab2,expected",
    [  # Sharma, Wu & Dalal (2005), test data pairs 1, 7, 17 and 25
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
        ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
        ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
        ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ],
)
def test_ciede2000_matches_the_published_test_data(lab1, lab2, expected):
    assert cv.delta_e2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)


def test_simulations_behave_like_dichromacy():
    # red and green, far apart for normal vision, collapse for protanopes and deuteranopes
    assert cv.distance("#d62728", "#2ca02c") > 50
    assert cv.distance("#d62728", "#2ca02c", "deuteranopia") < 25
    assert cv.distance("#d62728", "#2ca02c", "protanopia") < 25
    # blue and yellow-green stay apart for them, not for tritanopes as much
    assert cv.distance("#ffffff", "#ffffff", "tritanopia") == pytest.approx(0, abs=1e-6)


@pytest.mark.parametrize("vision", cv.VISIONS)
def test_not_published_and_the_palest_class_are_apart(vision):
    assert cv.distance(NOT_PUBLISHED, PALETTE[0], vision) >= APART


@pytest.mark.parametrize("colour", PALETTE)
def test_no_data_grey_is_apart_from_every_class_and_from_not_published(colour):
    d, vision = cv.worst_distance(NO_DATA, colour)
    assert d >= APART, (colour, vision, d)
    d, vision = cv.worst_distance(NO_DATA, NOT_PUBLISHED)
    assert d >= APART, (vision, d)


@pytest.mark.parametrize("i", range(len(PALETTE) - 1))
def test_neighbouring_classes_are_apart(i):
    d, vision = cv.worst_distance(PALETTE[i], PALETTE[i + 1])
    assert d >= APART, (PALETTE[i], PALETTE[i + 1], vision, d)


def test_every_key_is_apart_from_the_map_background():
    background = "#f2f4f7"  # lumap/ui/mapfrontend/lumapmap.css #map
    for a, b in itertools.product([NO_DATA, *PALETTE], [background]):
        assert cv.worst_distance(a, b)[0] >= APART, a
