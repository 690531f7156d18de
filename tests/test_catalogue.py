"""lumap/catalogue/polarity.csv: a direction and its source for every indicator (#8.5)."""

import csv

import pytest

from lumap.data.catalogue import POLARITY_FILE, read_polarity
from lumap.data.metadata import CATALOGUE_DIR
from lumap.data.store import Store

SOURCES = {"missions.csv", "ELS metadata", "White Paper", "lumap"}


def test_every_row_has_a_direction_a_source_and_a_reason():
    rows = list(csv.DictReader(open(POLARITY_FILE, encoding="utf-8")))
    assert len(rows) == len({(r["dataset"], r["indicator"]) for r in rows})  # no repeats
    for r in rows:
        assert r["polarity"] in ("higher", "lower", "neutral"), r
        assert r["source"] in SOURCES, r
        assert len(r["why"]) > 20, r


def test_it_agrees_with_the_mission_mapping():
    """missions.csv (a copy of ../shared/data/missions.csv) gives a direction for the mission
    indicators: the catalogue repeats it, so the two can never disagree silently."""
    pol = read_polarity()
    for r in csv.DictReader(open(CATALOGUE_DIR / "mission_indicators.csv", encoding="utf-8")):
        want = {"true": 1, "false": -1, "": 0}[r["higher_is_better"].strip().lower()]
        got = pol[(r["dataset"], r["indicator"])]
        assert got["polarity"] == want, r
        assert got["source"] == "missions.csv", r


@pytest.fixture(scope="module")
def store(real_store_dir):
    return Store(real_store_dir)


def test_every_indicator_of_the_real_store_is_reviewed(store):
    pol = read_polarity()
    for slug, m in store.meta.items():
        assert (m["dataset"], m["code"]) in pol, slug
        assert m["polarity"] in (-1, 0, 1) and m["polarity_source"] in SOURCES, slug


def test_the_issues_examples_have_their_obvious_direction(store):
    assert store.meta["greenhouse-gas-emissions"]["polarity"] == -1
    for n in ("one", "two", "three", "four", "five"):
        assert store.meta[f"business-survival-{n}-year"]["polarity"] == 1
    assert store.meta["business-deaths"]["polarity"] == -1
    assert store.meta["motor-vehicle-flow"]["polarity"] == 0  # missions.csv: no direction
    assert store.meta["business-deaths"]["polarity_source"] == "ELS metadata"


def test_an_indicator_outside_the_catalogue_has_no_direction(fixture_store_dir):
    """A new dataset appears with no code change, and lumap says higher/lower for it."""
    fixture = Store(fixture_store_dir)
    assert fixture.meta["weekly-pay"]["polarity"] is None
    assert fixture.meta["weekly-pay"]["polarity_source"] is None
