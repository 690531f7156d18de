"""Change over time on hand-made series."""

import datetime as dt
import math

import pandas as pd
import pytest

from lumap.analysis.change import change_over_years, change_since, index_to_base

NAN = float("nan")


def annual(values, first_year=2015, areacd="A"):
    years = range(first_year, first_year + len(values))
    return pd.DataFrame(
        {
            "areacd": areacd,
            "areanm": areacd,
            "period": [f"{y}-01-01" for y in years],
            "period_label": [str(y) for y in years],
            "start_year": list(years),
            "start": [dt.date(y, 1, 1) for y in years],
            "value": values,
        }
    )


def test_change_since_previous_period():
    s = annual([500.0, 512.0, 530.0, 642.0])  # 2015..2018
    c = change_since(s)
    # Hand: 2018 vs 2017: 642 - 530 = 112; 112 / 530 * 100 = 21.1320...
    assert c["from_period_label"] == "2017" and c["to_period_label"] == "2018"
    assert (c["from_value"], c["to_value"], c["change"]) == (530.0, 642.0, 112.0)
    assert c["percent"] == pytest.approx(21.132075, rel=1e-6)
    assert c["from_period"] == "2017-01-01"


def test_change_since_skips_missing_and_sorts():
    s = annual([500.0, 512.0, NAN, 642.0]).iloc[::-1]  # reversed order, 2017 suppressed
    c = change_since(s)
    # Hand: latest with a value 2018 (642); previous with a value 2016 (512): +130, +25.390625%.
    assert (c["from_period_label"], c["to_period_label"]) == ("2016", "2018")
    assert c["change"] == 130.0 and c["percent"] == pytest.approx(25.390625)
    c3 = change_since(s, periods_back=2)
    assert (c3["from_period_label"], c3["change"]) == ("2015", 142.0)
    assert change_since(s, periods_back=3) is None  # only 3 values
    assert change_since(annual([1.0])) is None


def test_percent_none_from_zero_or_negative():
    assert change_since(annual([0.0, 5.0]))["percent"] is None
    assert change_since(annual([-2.0, 3.0]))["percent"] is None
    assert change_since(annual([4.0, 3.0]))["percent"] == pytest.approx(-25.0)


def test_change_over_years_exact_and_gap():
    s = annual([10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0])  # 2015..2021
    c = change_over_years(s, years=5)
    # Hand: latest 2021 (16); target 2021-5 = 2016 (11): +5, +45.4545...%
    assert (c["from_period_label"], c["to_period_label"]) == ("2016", "2021")
    assert c["change"] == 5.0 and c["percent"] == pytest.approx(45.454545, rel=1e-6)
    # Gap: 2016 missing -> closest not after 2016 is 2015 (10): +6.
    s.loc[s["start_year"] == 2016, "value"] = NAN
    c = change_over_years(s, years=5)
    assert (c["from_period_label"], c["change"]) == ("2015", 6.0)
    # Too short: target 2014 is before the first period.
    assert change_over_years(s, years=7) is None


def test_change_over_years_multi_year_periods():
    # 3-year periods starting 2011, 2014, 2017, 2020 (labels 2011-13 ...).
    s = pd.DataFrame(
        {
            "period": ["2011-01-01/P3Y", "2014-01-01/P3Y", "2017-01-01/P3Y", "2020-01-01/P3Y"],
            "period_label": ["2011-13", "2014-16", "2017-19", "2020-22"],
            "start_year": [2011, 2014, 2017, 2020],
            "start": [dt.date(y, 1, 1) for y in (2011, 2014, 2017, 2020)],
            "value": [60.0, 61.0, 62.0, 60.5],
        }
    )
    c = change_over_years(s, years=5)
    # Hand: target 2020-5 = 2015; periods starting <= 2015: 2011, 2014 -> 2014 (61.0): -0.5.
    assert (c["from_period_label"], c["to_period_label"], c["change"]) == ("2014-16", "2020-22", -0.5)


def test_change_over_years_monthly_uses_dates():
    months = pd.date_range("2019-01-01", "2025-03-01", freq="MS")
    s = pd.DataFrame(
        {
            "period": [m.strftime("%Y-%m") for m in months],
            "period_label": [m.strftime("%b %Y") for m in months],
            "start_year": [m.year for m in months],
            "start": [m.date() for m in months],
            "value": [float(i) for i in range(len(months))],  # 0 for Jan 2019, +1 a month
        }
    )
    c = change_over_years(s, years=5)
    # Hand: latest Mar 2025 (value 74 = 6*12 + 2); target Mar 2020 (value 14 = 12 + 2): +60.
    assert (c["from_period_label"], c["to_period_label"]) == ("Mar 2020", "Mar 2025")
    assert c["change"] == 60.0


def test_index_to_base():
    f = pd.concat(
        [
            annual([50.0, 40.0, 60.0], 2018, "A"),  # base 2019 = 40
            annual([10.0, NAN, 12.0], 2018, "B"),  # base missing
            annual([1.0, 0.0, 2.0], 2018, "C"),  # base zero
        ],
        ignore_index=True,
    )
    out = index_to_base(f, 2019)
    a = out[out["areacd"] == "A"]["index"].tolist()
    # Hand: 50/40*100 = 125, 40/40*100 = 100, 60/40*100 = 150.
    assert a == pytest.approx([125.0, 100.0, 150.0])
    assert out[out["areacd"].isin(["B", "C"])]["index"].isna().all()
    assert "index" not in f.columns  # input untouched
    # A base year outside the series: all NaN.
    assert index_to_base(f, 2030)["index"].isna().all()
    assert not math.isnan(out["index"].iloc[0])
