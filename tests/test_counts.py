"""Counts and totals (standardised: F) are never compared; units read naturally."""

import pandas as pd

from lumap.analysis import counts
from lumap.analysis.comparison import compare_table, sentence
from lumap.analysis.format import format_difference, format_value, unit_label
from lumap.analysis.sentences import area_sentence

BUSINESSES = {
    "label": "Active businesses",
    "subtext": "number of enterprises",
    "decimals": 0,
    "standardised": False,
}
RD = {
    "label": "Business expenditure on R&D",
    "prefix": "GBPSign",
    "subtext": "in £ millions",
    "decimals": 0,
    "standardised": False,
}
NATURE = {
    "label": "Air pollution regulating",
    "subtext": "in £ millions, 2024 prices",
    "decimals": 1,
    "standardised": False,
}


def test_units_read_naturally():
    assert format_value(4395, BUSINESSES) == "4,395 enterprises"
    assert format_value(738, RD) == "£738 million"
    assert format_value(738, RD, with_subtext=False) == "£738 million"  # the magnitude stays
    assert format_value(12.34, NATURE) == "£12.3 million (2024 prices)"
    assert format_difference(-12, RD) == "£12 million"
    assert unit_label(NATURE) == "£ million (2024 prices)" and unit_label(BUSINESSES) == "enterprises"
    assert format_value(7.56, {"subtext": "affordability ratio", "decimals": 2}) == "7.56 times earnings"
    assert format_value(7.4, {"subtext": "score out of 10", "decimals": 1}) == "7.4 out of 10"
    assert format_difference(0.2, {"subtext": "score out of 10", "decimals": 1}) == "0.2 points"


def test_a_count_gets_no_uk_difference_only_its_share():
    s = area_sentence(
        "Blackpool",
        BUSINESSES,
        "2024",
        4395,
        None,
        None,
        "United Kingdom",
        2859535,
        200,
        361,
        "lower-tier areas",
    )
    assert s == (
        "Blackpool's active businesses (2024) is 4,395 enterprises, 0.15% of the UK's 2,859,535 enterprises; "
        "200th highest of the 361 lower-tier areas with data."
    )
    assert "below" not in s and "worse" not in s and "number of" not in s
    rd = area_sentence("North East", {**RD, "polarity": 1}, "2024", 738, None, None, "United Kingdom", 54877)
    assert rd == (
        "The North East's business expenditure on R&D (2024) is £738 million, "
        "1.3% of the UK's £54,877 million."
    )


def test_a_rate_is_still_compared():
    rate = {**BUSINESSES, "standardised": True, "polarity": 1, "subtext": "", "suffix": "%", "decimals": 1}
    s = area_sentence("Blackpool", rate, "2024", 10.5, None, None, "United Kingdom", 12.0)
    assert "1.5 percentage points below the UK's 12.0% — worse" in s


def test_compare_table_of_a_count_has_no_difference_and_says_so():
    level = pd.DataFrame(
        {
            "areacd": ["E06000009", "E06000008"],
            "areanm": ["Blackpool", "Blackburn"],
            "value": [4395.0, 5000.0],
            "lci_95": [None, None],
            "uci_95": [None, None],
            "status": ["", ""],
            "notes": ["", ""],
        }
    )
    every = pd.concat(
        [
            level,
            pd.DataFrame(
                {
                    "areacd": ["K02000001"],
                    "areanm": ["United Kingdom"],
                    "value": [2859535.0],
                    "lci_95": [None],
                    "uci_95": [None],
                    "status": [""],
                    "notes": [""],
                }
            ),
        ]
    )
    t = compare_table(level, every, ["E06000009"], {}, {}, polarity=1, count=True)
    row = t.iloc[0]
    assert pd.isna(row["uk_difference"]) and row["uk_word"] == counts.NOT_COMPARED
    assert round(row["uk_share"], 3) == 0.154
    words = sentence(row, BUSINESSES, "uk", "2024", "lower-tier areas")
    assert "0.15% of the UK's" in words and "below" not in words


def test_rate_siblings_and_note():
    cat = {
        "active-businesses": {**BUSINESSES, "dataset": "business-demography", "levels": ["ltla"]},
        "business-births": {
            "label": "Business births",
            "dataset": "business-demography",
            "standardised": True,
            "levels": ["ltla"],
        },
        "gva": {"label": "GVA", "dataset": "gross-value-added", "standardised": True, "levels": ["ltla"]},
    }
    assert counts.rate_siblings(cat, "active-businesses") == ["business-births"]
    assert counts.rate_siblings(cat, "business-births") == []
    note = counts.count_note(cat, "active-businesses")
    assert "is a count" in note and "not compared" in note and "Business births" in note
    assert counts.count_note(cat, "gva") is None
    assert (
        counts.share_text(0.1537) == "0.15%"
        and counts.share_text(4.21) == "4.2%"
        and counts.share_text(31.4) == "31%"
    )
