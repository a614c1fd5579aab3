"""Half-years: one parser for the runner, the analyses and the formats."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from foui_analysis.periods import Period, PeriodError, half_years, parse_period

years = st.integers(min_value=1000, max_value=9999)
halves = st.sampled_from([1, 2])


@given(years, halves, st.sampled_from(["H", "h"]), st.sampled_from(["", " "]))
def test_parse_round_trips_the_label(year, half, h, space):
    period = parse_period(f"{space}{year}{space}{h}{space}{half}{space}")
    assert period == Period(year, half)
    assert parse_period(period.label) == period and period.label == f"{year}H{half}"


@given(years, halves)
def test_half_years_tile_the_year(year, half):
    period = Period(year, half)
    assert period.start <= period.end
    assert period.previous().end + dt.timedelta(days=1) == period.start
    assert period.months_to_date == 6 * half


@pytest.mark.parametrize("text", ["2015H3", "2015", "15H1", "2015-H1", "H1 2015", "", None])
def test_other_forms_are_refused_with_how_to_write_it(text):
    with pytest.raises(PeriodError, match="skriv ÅÅÅÅH1 .*, ÅÅÅÅH2 .* eller ÅÅÅÅ-MM"):
        parse_period(text)


def test_half_years_in_order():
    assert [p.label for p in half_years(2014, 2015)] == ["2014H1", "2014H2", "2015H1", "2015H2"]
    assert half_years(2014, 2018) == sorted(half_years(2014, 2018))
