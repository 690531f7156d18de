import datetime as dt

import pytest

from lumap.data.periods import PeriodError, label_periods, parse_period


@pytest.mark.parametrize(
    "raw,label,start,months",
    [
        ("2024-01-01/P1Y", "2024", dt.date(2024, 1, 1), 12),
        ("2023-04-01/P1Y", "FY 2023-24", dt.date(2023, 4, 1), 12),
        ("2023-08-01/P1Y", "AY 2023-24", dt.date(2023, 8, 1), 12),
        ("2023-09-01/P1Y", "AY 2023-24", dt.date(2023, 9, 1), 12),
        ("2012-02-01/P1Y", "2012-13", dt.date(2012, 2, 1), 12),
        ("2015-11-16/P1Y", "2015-16", dt.date(2015, 11, 16), 12),
        ("2019-01-01/P3Y", "2019-21", dt.date(2019, 1, 1), 36),
        ("2020-01-01/P5Y", "2020-24", dt.date(2020, 1, 1), 60),
        ("2014-04-01/P3Y", "FY 2014-15 to 2016-17", dt.date(2014, 4, 1), 36),
        ("2025-03-01/P1M", "Mar 2025", dt.date(2025, 3, 1), 1),
        ("2025-04-30", "2025", dt.date(2025, 4, 30), 0),
        ("1998", "1998", dt.date(1998, 1, 1), 12),
        ("1999-12-01/P1Y", "1999-00", dt.date(1999, 12, 1), 12),
    ],
)
def test_period_forms(raw, label, start, months):
    p = parse_period(raw)
    assert (p.label, p.start, p.months, p.start_year) == (label, start, months, start.year)


@pytest.mark.parametrize("raw", ["2024-13-01/P1Y", "2024/P1Y", "Q1 2024", "2023-24", "", "2024-01-01/P0Y"])
def test_bad_periods_raise_with_expected_forms(raw):
    with pytest.raises(PeriodError):
        parse_period(raw)


def test_labels_made_unique_within_an_indicator():
    # two instants in one year would both read "2024"
    labels = {k: v.label for k, v in label_periods(["2024-04-01", "2024-10-01", "2023-04-01"]).items()}
    assert labels == {"2024-04-01": "1 Apr 2024", "2024-10-01": "1 Oct 2024", "2023-04-01": "2023"}
