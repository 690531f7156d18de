"""URL parameter parsers (lumap.ui.params): values, and the notices a bad value gives."""

import pandas as pd
import pytest

from lumap.ui import params


def test_int_year_and_flag():
    assert params.parse_int("mission", 0, 12)("7") == 7
    with pytest.raises(ValueError, match=r"mission=seven is not a number"):
        params.parse_int("mission", 0, 12)("seven")
    with pytest.raises(ValueError, match=r"mission=99 is out of range"):
        params.parse_int("mission", 0, 12)("99")
    assert params.parse_year("base")("2019") == 2019
    with pytest.raises(ValueError, match=r"base=1066 is out of range"):
        params.parse_year("base")("1066")
    flag = params.parse_flag("ci")
    assert [flag(x) for x in ("1", " TRUE ", "yes", "on", "0", "false", "No", "off")] == [True] * 4 + [
        False
    ] * 4
    with pytest.raises(ValueError, match=r"ci=maybe should be 1 or 0"):
        flag("maybe")


def test_choice_names_what_or_the_parameter():
    level = params.parse_level
    assert level("utla") == "utla"
    with pytest.raises(ValueError, match=r"Unknown geography level “moon”; use one of ltla, utla"):
        level("moon")
    kind = params.parse_choice("kind", ["absolute", "percent"], "kind of change")
    with pytest.raises(ValueError, match=r"use absolute or percent\. Showing the default instead\."):
        kind("ratio")
    vs = params.parse_choice("vs", {"uk": "UK", "region": "Region"}, instead="the UK")
    assert vs("region") == "region"
    with pytest.raises(ValueError, match=r"^vs=mars is not one of uk, region; showing the UK instead\.$"):
        vs("mars")
    with pytest.raises(ValueError, match="x" * params.SHOWN + "”"):  # long values are cut
        level("x" * 200)


def test_choices_and_indicator_and_code():
    comp = params.parse_choices("comparator", ["uk", "country", "region", "similar"])
    assert comp("Region, uk,region") == ["region", "uk"] and comp("none") == []
    with pytest.raises(ValueError, match=r"Unknown comparator “mars”"):
        comp("uk,mars")
    ind = params.parse_indicator({"gross-median-weekly-pay": {}, "claimant-count": {}})
    assert ind("claimant-count") == "claimant-count"
    with pytest.raises(ValueError, match=r"Unknown indicator .*Did you mean “gross-median-weekly-pay”"):
        ind("gross-median-weekly-py")
    assert params.parse_code(" e06000009 ") == "E06000009"


def catalogue():
    return pd.DataFrame(
        {
            "areacd": ["E06000009", "E07000026", "E06000063", "E10000006"],
            "areanm": ["Blackpool", "Allerdale", "Cumberland", "Cumbria"],
        }
    )


def test_parse_area():
    cat = catalogue()
    assert params.parse_area("e06000009", cat) == "E06000009"
    assert params.parse_area(" blackpool ", cat) == "E06000009"
    with pytest.raises(ValueError, match="Did you mean Blackpool"):
        params.parse_area("Blackpol", cat)
    with pytest.raises(ValueError, match="No area"):
        params.parse_area("XYZ", cat)
