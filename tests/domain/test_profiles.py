"""Budgets spread over the months: any split of the year adds up to the annual budget exactly."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_budget import examples

from foui_analysis.domain.profiles import (
    TWELFTHS,
    budget_for_months,
    budget_through,
    line_profiles,
    weights_for,
)

QUARTERLY = tuple(Fraction(w) for w in (1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0))


def test_quarterly_rent_is_half_in_each_half_year_and_nothing_in_february():
    assert budget_for_months(120000, QUARTERLY, 1, 6) == Decimal(60000)
    assert budget_for_months(120000, QUARTERLY, 7, 12) == Decimal(60000)
    assert budget_for_months(120000, QUARTERLY, 2, 3) == 0
    assert budget_through(120000, QUARTERLY, 8) == Decimal(90000)


def test_little_travel_in_july():
    weights = tuple(Fraction(3 if m == 7 else 11, 10) for m in range(1, 13))
    july = budget_for_months(124000, weights, 7, 7)
    june = budget_for_months(124000, weights, 6, 6)
    assert june == Decimal(11000) and july == Decimal(3000)


def test_a_line_without_profile_is_in_twelfths():
    assert weights_for({}, "resor") == TWELFTHS
    assert budget_for_months(120000, TWELFTHS, 1, 6) == Decimal(60000)
    assert budget_for_months(120000, TWELFTHS, 1, 1) == Decimal(10000)


def test_profiles_are_read_from_the_table():
    import pandas as pd

    months = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    frame = pd.DataFrame([{"line": "lokaler", **dict(zip(months, (3, 0, 0) * 4, strict=True))}])
    assert line_profiles(frame)["lokaler"] == tuple(Fraction(w) for w in (3, 0, 0) * 4)
    assert line_profiles(None) == {}


weights = st.lists(st.integers(0, 1000), min_size=12, max_size=12).filter(lambda w: sum(w) > 0)


@settings(deadline=None, max_examples=examples(100))
@given(annual=st.integers(min_value=0, max_value=10**9), weights=weights, cut=st.integers(0, 12))
def test_any_split_of_the_year_adds_up_to_the_annual_budget(annual, weights, cut):
    weights = tuple(Fraction(w, 10) for w in weights)
    first = budget_for_months(annual, weights, 1, cut) if cut else Decimal(0)
    rest = budget_for_months(annual, weights, cut + 1, 12) if cut < 12 else Decimal(0)
    assert first + rest == Decimal(annual)
    assert budget_through(annual, weights, 12) == Decimal(annual)
    assert Decimal(0) <= budget_through(annual, weights, cut) <= Decimal(annual)
