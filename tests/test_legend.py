"""Legend rows: labelled by their areas, never "£594 – £594", better end named."""

from lumap.analysis import missing as m
from lumap.viz import legend
from lumap.viz.classify import NO_DATA, NOT_PUBLISHED, PALETTE, Classes, classify

PAY = {"prefix": "GBPSign", "decimals": 0, "polarity": 1}
RATE = {"suffix": "%", "decimals": 1, "polarity": -1}


def test_a_class_of_one_value_shows_it_once():
    values = [20.6, 24.0, 25.0, 27.0, 29.0, 30.0, 32.0, 33.0]
    classes = classify(values, "natural")
    keys = legend.class_keys(classes, values, RATE)
    assert all(" – " not in k.label or k.label.split(" – ")[0] != k.label.split(" – ")[1] for k in keys)
    assert keys[0].label == "20.6%"


def test_classes_are_labelled_by_their_members_and_empty_ones_are_left_out():
    classes = Classes((10.0, 20.0, 30.0), 0.0, tuple(PALETTE[:3]), "equal")
    keys = legend.class_keys(classes, [1.0, 2.0, 25.0, 29.0], PAY)
    assert [(k.fill, k.label, k.count) for k in keys] == [
        (PALETTE[0], "£1 – £2", 2),
        (PALETTE[2], "£25 – £29", 2),
    ]


def test_neighbouring_labels_never_print_the_same_number():
    classes = Classes((590.7, 700.0), 515.0, tuple(PALETTE[:2]), "natural")
    keys = legend.class_keys(classes, [515.0, 590.7, 591.3, 700.0], PAY)
    assert [k.label for k in keys] == ["£515.0 – £590.7", "£591.3 – £700.0"]


def test_the_better_end_is_named_for_each_polarity():
    values = [1.0, 2.0, 3.0, 4.0, 5.0]
    classes = classify(values, "quantiles")
    low = legend.class_keys(classes, values, RATE)
    assert (low[0].end, low[-1].end) == ("better", "worse")
    high = legend.class_keys(classes, values, PAY)
    assert (high[0].end, high[-1].end) == ("worse", "better")
    neutral = legend.class_keys(classes, values, {"decimals": 0})
    assert (neutral[0].end, neutral[-1].end) == ("lowest", "highest")
    assert "Lower is better" in legend.direction_text(RATE)
    assert "Higher is better" in legend.direction_text(PAY)
    assert "neither" in legend.direction_text({})


def test_missing_keys_only_for_reasons_on_the_map():
    assert legend.missing_keys({}, [], "districts") == []
    keys = legend.missing_keys({m.ANCESTOR: 164, m.SUPPRESSED: 2, m.NATION: 11}, ["Scotland"], "districts")
    assert [k.fill for k in keys] == [legend.HATCH + NO_DATA, NO_DATA, NOT_PUBLISHED]
    assert keys[0].label == "Hatched: the county's value (not published for districts)"
    assert keys[2].label == "Not published for Scotland"


def test_component_legend_is_a_strip_with_named_ends_then_plain_text_keys():
    """The compact legend inside the map on a phone (plain text: set with textContent)."""
    classes = Classes((10.0, 20.0, 30.0), 0.0, tuple(PALETTE[:3]), "equal")
    keys = legend.class_keys(classes, [1.0, 2.0, 15.0, 25.0, 29.0], RATE)
    keys += legend.missing_keys({m.NATION: 1}, ["Scotland"], "regions")
    out = legend.component_legend("Homicide", "per million", "Lower is better.", keys)
    assert out == {
        "title": "Homicide (per million)",
        "direction": "Lower is better.",
        "strip": list(PALETTE[:3]),
        "low": "1.0% (better)",
        "high": "29.0% (worse)",
        "keys": [[NOT_PUBLISHED, "Not published for Scotland"]],
    }
    only_missing = legend.component_legend("Homicide", "", "", keys[3:])
    assert (only_missing["title"], only_missing["strip"], only_missing["low"]) == ("Homicide", [], "")
