"""Area queries over a store built from the hand-made fixture source (tests/fixtures/source)."""

import pandas as pd
import pytest

from lumap.analysis import comparators
from lumap.analysis import profile as pf
from lumap.data import areas
from lumap.data import levels as lv
from lumap.data.store import Store


@pytest.fixture(scope="module")
def store(fixture_store_dir):
    return Store(fixture_store_dir)


def test_area_label_and_type():
    assert areas.area_label("Blackpool", "E06000009") == "Blackpool (unitary authority / E06000009)"
    assert areas.area_label("Allerdale", "E07000026", end=2022) == "Allerdale (district, to 2022 / E07000026)"
    assert (
        areas.area_label("Cumberland", "E06000063", start=2023)
        == "Cumberland (unitary authority, from 2023 / E06000063)"
    )
    assert areas.area_type("E47000001") == "combined authority" and areas.area_type("ZZ") == "area"


def test_catalogue_lists_areas_with_data_at_charted_levels(store):
    cat = areas.catalogue(store)
    codes = list(cat["areacd"])
    # K02 (UK) and "na" are at no charted level; E09000001 has only a suppressed value;
    # E06000002 only a missing one.
    assert "K02000001" not in codes and "na" not in codes
    assert "E09000001" not in codes and "E06000002" not in codes
    assert {"E06000001", "E07000026", "E06000063", "E47000001", "E12000001", "E92000001"} <= set(codes)
    assert list(cat["areanm"].str.lower()) == sorted(cat["areanm"].str.lower())
    row = cat.set_index("areacd").loc["E06000001"]
    assert row["label"] == "Hartlepool (unitary authority / E06000001)" and row["levels"] == ["ltla", "utla"]


def test_area_rows_all_indicators_one_row_per_period(store):
    rows = areas.area_rows(store, ["E06000001", "E47000001", "E47000001"])
    hart = rows[rows["areacd"] == "E06000001"]
    assert set(hart["indicator"]) == {"weekly-pay", "period-forms", "anxiety", "wellbeing-satisfaction"}
    pay = hart[hart["indicator"] == "weekly-pay"]
    assert list(pay["period"]) == ["2019-04-10", "2024-04-17"] and list(pay["value"]) == [450.0, 520.25]
    # Greater Manchester is in the CSV twice (two geography labels): kept once
    assert len(rows[rows["areacd"] == "E47000001"]) == 1


def test_level_table_keeps_one_code_of_a_replaced_pair(store):
    t = areas.level_table(store, "ltla")
    pay24 = t[(t["indicator"] == "weekly-pay") & (t["period"] == "2024-04-17")]
    # Allerdale (E07000026) is dropped in 2024 because Cumberland (E06000063) has a row too
    assert "E07000026" not in set(pay24["areacd"]) and "E06000063" in set(pay24["areacd"])
    pay19 = t[(t["indicator"] == "weekly-pay") & (t["period"] == "2019-04-10")]
    assert set(pay19["areacd"]) == {"E06000001", "E07000026"}


def test_profile_from_the_fixture_store_by_hand(store):
    code = "E06000001"
    similar = store.similar[code]["global"]  # E06000002 (no pay), E06000010 (360)
    codes = [
        code,
        lv.UK,
        comparators.country_of(code, store.geo),
        comparators.region_of(code, store.geo),
        *similar,
    ]
    levels = {lvl: pf.LevelIndex(areas.level_table(store, lvl), lvl) for lvl in pf.rank_levels(code)}
    ctx = pf.AreaContext(
        code, store.area_name(code), areas.area_rows(store, codes), levels, store.geo, similar
    )
    p = pf.build_profile(ctx, store.meta).set_index("indicator")
    pay = p.loc["weekly-pay"]
    # 2024 lower tier: Hartlepool 520.25, Cumberland 480, Hull 360, Aberdeen 37.49 (City of London
    # suppressed, Allerdale replaced) -> 1st of 4
    assert (pay["value"], pay["rank"], pay["n"], pay["level"]) == (520.25, 1, 4, "ltla")
    assert (pay["uk_value"], pay["country_value"], pay["region_value"]) == (600.5, 610.0, 550.0)
    assert pay["uk_vs"] == "significantly lower"  # no polarity: higher/lower; 600.5 > 540.5
    assert pay["similar_value"] == 360.0 and pay["similar_n"] == 1
    assert pay["prev_change"] == pytest.approx(70.25) and pay["y5_change"] == pytest.approx(70.25)
    forms = p.loc["period-forms"]
    # latest 2025-04-30 (6); previous Mar 2025 (5); five years: latest period starting on or
    # before 2020-04-30 is 2019-21 (4)
    assert forms["value"] == 6 and forms["prev_value"] == 5 and forms["prev_change"] == 1
    assert forms["y5_period_label"] == "2019-21" and forms["y5_change"] == 2
    assert p.loc["anxiety", "spark"] == [3.1] and pd.isna(p.loc["anxiety", "prev_change"])


def test_context_comparators_equal_comparator_values_on_the_store(store):
    from lumap.analysis.comparators import comparator_values

    for code in ["E06000001", "E07000026", "E12000001", "E47000001"]:
        similar = (store.similar.get(code) or {}).get("global") or []
        codes = [
            code,
            lv.UK,
            comparators.country_of(code, store.geo),
            comparators.region_of(code, store.geo),
            *similar,
        ]
        ctx = pf.AreaContext(
            code, store.area_name(code), areas.area_rows(store, codes), {}, store.geo, similar
        )
        for slug in store.meta:
            for p in store.meta[slug]["periods"]:
                slow = comparator_values(store.period_rows(slug, p["period"]), code, store.geo, similar)
                assert nan_free(ctx.comparators(slug, p["period"])) == nan_free(slow), (
                    code,
                    slug,
                    p["period"],
                )


def nan_free(comps):
    """NaN never equals NaN: compare with None in its place."""
    return [{k: (None if isinstance(v, float) and v != v else v) for k, v in c.items()} for c in comps]
