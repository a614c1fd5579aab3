"""The rule sentences say what the agreement says: rate schedules and the population basis."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from foui_analysis.presentation import rules

NBSP = "\u00a0"


def _with_schedule(agreement):
    components = tuple(
        replace(c, rate_schedule={2017: Decimal("4.50")}) if c.id == "skola" else c
        for c in agreement.components
    )
    return replace(agreement, components=components)


def test_the_rate_of_a_year_follows_the_schedule(agreement):
    scheduled = _with_schedule(agreement)
    assert rules.rate_text(scheduled, "skola", 2016) == "4 kr per invånare"
    assert rules.rate_text(scheduled, "skola", 2018) == "4,50 kr per invånare"
    assert rules.rate_text(scheduled, "skola") == "4 kr per invånare, från 2017 4,50 kr"
    assert rules.rate_text(agreement, "skola") == "4 kr per invånare"


def test_the_population_basis_names_the_lag_the_fixed_year_and_the_series_date(agreement):
    assert rules.population_basis(agreement) == (
        "Varje kommuns invånare den 31 december två år före avgiftsåret, gånger avgiften per "
        "invånare."
    )
    fixed = replace(agreement, basis_fixed_year=2012, basis_reference_date=(11, 1))
    assert "den 1 november 2012 för varje avgiftsår" in rules.population_basis(fixed)
    assert "den 31 december året före" in rules.population_basis(replace(agreement, lag_years=1))
