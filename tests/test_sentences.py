"""Sentences, checked word for word against hand-formatted numbers."""

import pytest

from lumap.analysis.sentences import (
    area_sentence,
    change_sentence,
    label_in_sentence,
    place_name,
    possessive,
    rank_phrase,
)

NAN = float("nan")
HLE = {
    "label": "Female healthy life expectancy",
    "decimals": 1,
    "prefix": None,
    "suffix": None,
    "subtext": "years",
    "polarity": None,
}
PAY = {
    "label": "Gross median weekly pay",
    "decimals": 0,
    "prefix": "£",
    "suffix": None,
    "subtext": None,
    "polarity": 1,
}
RATE = {
    "label": "Employment rate (Great Britain)",
    "decimals": 1,
    "prefix": None,
    "suffix": "%",
    "subtext": None,
    "polarity": 1,
}


def test_brief_example_neutral():
    s = area_sentence(
        "Blackpool", HLE, "2022-24", 51.8, 49.9, 53.7, "United Kingdom", 60.9, 192, 195, "lower-tier areas"
    )
    # Hand: 51.8 - 60.9 = -9.1 -> "9.1 years below"; 60.9 outside [49.9, 53.7] -> significant.
    assert s == (
        "Blackpool's female healthy life expectancy (2022-24) is 51.8 years, "
        "9.1 years below the UK's 60.9 years — significantly lower; "
        "192nd highest of the 195 lower-tier areas with data."
    )


def test_polarity_says_worse():
    s = area_sentence(
        "Blackpool",
        dict(HLE, polarity=1),
        "2022-24",
        51.8,
        49.9,
        53.7,
        "United Kingdom",
        60.9,
        None,
        None,
        None,
    )
    assert s == (
        "Blackpool's female healthy life expectancy (2022-24) is 51.8 years, "
        "9.1 years below the UK's 60.9 years — significantly worse."
    )


def test_untested_money_and_possessive_s():
    s = area_sentence(
        "Wales", PAY, "2025", 642.4, NAN, NAN, "United Kingdom", 728.0, 1, 12, "regions and nations"
    )
    # Hand: 642.4 -> £642; 642.4 - 728 = -85.6 -> £86 below; no CI -> untested;
    # polarity +1 and lower -> worse.
    assert s == (
        "Wales' gross median weekly pay (2025) is £642, £86 below the UK's £728 "
        "— worse (untested: no confidence interval published); "
        "the highest of the 12 regions and nations with data."
    )


def test_percent_region_and_not_significant():
    s = area_sentence(
        "Bristol, City of", RATE, "2024", 76.25, 73.0, 79.5, "South West", 77.0, 12, 12, "areas"
    )
    # Hand: 76.25 -> 76.3% (half up); 76.25 - 77.0 = -0.75 -> 0.8 percentage points below;
    # 77.0 in [73.0, 79.5] -> not significantly different. Rank 12 of 12 -> the lowest.
    assert s == (
        "City of Bristol's employment rate (Great Britain) (2024) is 76.3%, "
        "0.8 percentage points below the South West's 77.0% — not significantly "
        "different; the lowest of the 12 areas with data."
    )


def test_similar_areas_average():
    s = area_sentence("Burnley", HLE, "2022-24", 55.0, 53.0, 57.0, "average of 4 similar areas", 53.0)
    # Hand: 55.0 - 53.0 = 2.0 above; 53.0 outside [53.0, 57.0]? No: 53.0 is the lower
    # limit, so included -> not significant.
    assert s == (
        "Burnley's female healthy life expectancy (2022-24) is 55.0 years, 2.0 years "
        "above the average of 4 similar areas (53.0 years) — not significantly different."
    )


def test_same_to_published_precision():
    s = area_sentence("Leeds", HLE, "2022-24", 60.94, NAN, NAN, "United Kingdom", 60.9)
    # Hand: 60.94 - 60.9 = 0.04 -> rounds to 0.0 -> "the same ... to the published precision".
    assert s == (
        "Leeds' female healthy life expectancy (2022-24) is 60.9 years, "
        "the same as the UK's 60.9 years to the published precision."
    )
    # A very narrow interval (60.92-60.96) excludes 60.9, so the tiny gap is significant.
    s = area_sentence("Leeds", HLE, "2022-24", 60.94, 60.92, 60.96, "United Kingdom", 60.9)
    assert s.endswith(
        "the same as the UK's 60.9 years to the published precision, though significantly higher."
    )


def test_missing_parts_never_nan():
    s = area_sentence("Isles of Scilly", HLE, "2022-24", NAN, NAN, NAN, "United Kingdom", 60.9, None, 195)
    assert s == "Isles of Scilly has no published figure for female healthy life expectancy (2022-24)."
    s = area_sentence("York", HLE, None, 62.0, None, None, "United Kingdom", NAN, None, 195)
    assert s == "York's female healthy life expectancy is 62.0 years."
    assert "nan" not in s.lower()
    s = area_sentence("United Kingdom", HLE, "2022-24", 60.9)
    assert s == "The UK's female healthy life expectancy (2022-24) is 60.9 years."


def test_label_case():
    assert label_in_sentence("GCSEs in English and Maths") == "GCSEs in English and maths"
    assert label_in_sentence("Claimant Count") == "claimant count"
    assert label_in_sentence("Value of UK exports") == "value of UK exports"
    assert label_in_sentence("Premises below 30Mbps") == "premises below 30Mbps"
    assert label_in_sentence("4G coverage") == "4G coverage"
    assert (
        label_in_sentence("Obesity prevalence in children at Year 6 age")
        == "obesity prevalence in children at Year 6 age"
    )
    assert (
        label_in_sentence("Apprenticeship starts (Northern Ireland)")
        == "apprenticeship starts (Northern Ireland)"
    )


def test_names_and_ranks():
    assert place_name("United Kingdom") == "the UK"
    assert place_name("North West") == "the North West"
    assert place_name("London") == "London"
    assert place_name("Herefordshire, County of") == "County of Herefordshire"
    assert possessive("St Helens") == "St Helens'" and possessive("the UK") == "the UK's"
    assert rank_phrase(1, 1, "areas") == "the only one with data"
    assert rank_phrase(2, 361, "lower-tier areas") == "2nd highest of the 361 lower-tier areas with data"
    assert rank_phrase(13, 20) == "13th highest of the 20 areas with data"


@pytest.mark.parametrize(
    "change, meta, expected",
    [
        # Hand: 642 - 512 = 130; 130 / 512 = 25.390625% -> +25.4%.
        (
            {
                "from_period_label": "2019",
                "to_period_label": "2025",
                "from_value": 512.0,
                "to_value": 642.0,
                "change": 130.0,
                "percent": 25.390625,
            },
            PAY,
            "Up from £512 in 2019 to £642 in 2025 (+£130, +25.4%).",
        ),
        # Hand: 51.8 - 54.2 = -2.4 years; -2.4 / 54.2 = -4.428% -> -4.4%.
        (
            {
                "from_period_label": "2011-13",
                "to_period_label": "2022-24",
                "from_value": 54.2,
                "to_value": 51.8,
                "change": -2.4,
                "percent": -4.428044,
            },
            HLE,
            "Down from 54.2 years in 2011-13 to 51.8 years in 2022-24 (-2.4 years, -4.4%).",
        ),
        # Percent indicators: only percentage points (74.1 - 72.0 = 2.1).
        (
            {
                "from_period_label": "2019",
                "to_period_label": "2024",
                "from_value": 72.0,
                "to_value": 74.1,
                "change": 2.1,
                "percent": 2.9166,
            },
            RATE,
            "Up from 72.0% in 2019 to 74.1% in 2024 (+2.1 percentage points).",
        ),
        # Undefined percent (from 0) is left out.
        (
            {
                "from_period_label": "2019",
                "to_period_label": "2024",
                "from_value": 0.0,
                "to_value": 3.0,
                "change": 3.0,
                "percent": None,
            },
            PAY,
            "Up from £0 in 2019 to £3 in 2024 (+£3).",
        ),
        (
            {
                "from_period_label": "2019",
                "to_period_label": "2024",
                "from_value": 60.0,
                "to_value": 60.0,
                "change": 0.0,
                "percent": 0.0,
            },
            HLE,
            "Unchanged at 60.0 years in 2019 and 2024.",
        ),
        # Hand: 60.04 - 60.0 = 0.04 -> both read 60.0 at 1 dp -> "unchanged" (#8.10: never
        # "down from 10.7% to 10.7%" nor "little changed" between two equal printed values).
        (
            {
                "from_period_label": "2019",
                "to_period_label": "2024",
                "from_value": 60.0,
                "to_value": 60.04,
                "change": 0.04,
                "percent": 0.0667,
            },
            HLE,
            "Unchanged at 60.0 years in 2019 and 2024.",
        ),
    ],
)
def test_change_sentence(change, meta, expected):
    assert change_sentence("Blackpool", meta, change) == expected


def test_change_sentence_without_data():
    assert (
        change_sentence("Bristol, City of", PAY, None)
        == "There is no earlier figure to compare with for City of Bristol."
    )
    assert "nan" not in change_sentence("X", PAY, {"from_value": NAN, "to_value": 1.0}).lower()
