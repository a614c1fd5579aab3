"""Budgets spread over the year: the budget of any run of months of a budget line.

Method
------
A line's annual budget is spread over the twelve months by its profile: the weights of
``budget_profiles.csv`` (January-December, any non-negative numbers, not all zero), each month's
share being its weight over the year's sum. A line without a profile is spread in twelfths. The
budget of the months *a*-*b* (a half-year, or the year to date through a month end) is the
budget through *b* minus the budget through *a - 1*, where the budget through month *m* is
``annual x (weights of months 1..m) / (sum of weights)``, computed as an exact fraction and
converted to Decimal once. Through December it is the annual amount itself, so the two
half-years (and any split of the year) add up to the annual budget exactly.

Known limits: one profile per line for every area and year (a line whose timing differs between
areas needs its own line); a profile weights amounts, it cannot move a budget between years.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

import pandas as pd

from foui_analysis.schemas.inputs import MONTHS

TWELFTHS: tuple[Fraction, ...] = (Fraction(1),) * 12
"""The default profile: every month the same."""


def line_profiles(profiles: pd.DataFrame | None) -> dict[str, tuple[Fraction, ...]]:
    """Monthly weights per line from ``budget_profiles`` (exact fractions)."""
    if profiles is None or profiles.empty:
        return {}
    return {
        row["line"]: tuple(Fraction(str(row[month] or 0)) for month in MONTHS)
        for row in profiles.to_dict("records")
    }


def budget_through(annual: Decimal | int, weights: Sequence[Fraction], month: int) -> Decimal:
    """The budget of January through ``month`` (0-12); through 12 it is ``annual`` exactly."""
    annual = Decimal(annual)
    if month <= 0:
        return Decimal(0)
    if month >= 12:
        return annual
    total = sum(weights, Fraction(0))
    share = sum(weights[:month], Fraction(0)) / total
    exact = Fraction(annual) * share
    return Decimal(exact.numerator) / Decimal(exact.denominator)


def budget_for_months(
    annual: Decimal | int, weights: Sequence[Fraction], first: int, last: int
) -> Decimal:
    """The budget of the months ``first``-``last`` (1-12, inclusive)."""
    return budget_through(annual, weights, last) - budget_through(annual, weights, first - 1)


def weights_for(profiles: Mapping[str, tuple[Fraction, ...]], line: str) -> tuple[Fraction, ...]:
    """A line's profile, or twelfths."""
    return profiles.get(line, TWELFTHS)
