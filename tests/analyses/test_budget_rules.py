"""Budgets a board adopted, spread by month; deviations that matter, over and under apart."""

from __future__ import annotations

from decimal import Decimal

import pytest

from foui_analysis.analyses.followup import (
    Period,
    budget_status,
    budget_vs_outcome,
    decided_budget,
    forecast,
    key_figures,
)

ADOPTED = (
    "year,area,line,kind,amount_sek,decision\n"
    "2015,skola,resor,kostnad,60000,Styrelsen 2014-11-20 § 40\n"
    "2015,skola,lokaler,kostnad,120000,Styrelsen 2014-11-20 § 40\n"
    "2015,skola,skola,intakt,1000000,Styrelsen 2014-11-20 § 40\n"
)
PROFILES = (
    "line;jan;feb;mar;apr;may;jun;jul;aug;sep;oct;nov;dec\n"
    "lokaler;1;0;0;1;0;0;1;0;0;1;0;0\n"
    "resor;1,1;1,1;1,1;1,1;1,1;1,1;0,3;1,1;1,1;1,1;1,1;0,3\n"
)


TINY_LEDGER = (
    "date;area;line;kind;amount_sek;text\n"
    "2015-01-25;skola;resor;kostnad;10 000,00;Resa\n"
    "2015-05-25;skola;resor;kostnad;30 000,50;Resa\n"
    "2015-08-25;skola;resor;kostnad;5 000,00;Resa\n"
    "2015-03-25;skola;skola;intakt;498 872,00;Avgift\n"
)


@pytest.fixture(scope="module")
def adopted(basis_with, tmp_path_factory):
    """The tiny data with an adopted budget and monthly profiles, loaded once for the module's
    tests, which only read it (analyses hand out copies of what they compute)."""
    files = {"budget.csv": ADOPTED, "budget_profiles.csv": PROFILES}
    return basis_with(tmp_path_factory.mktemp("adopted"), files)


def _line(frame, scope, area, line):
    rows = frame[(frame["scope"] == scope) & (frame["area"] == area) & (frame["line"] == line)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_an_adopted_year_has_exactly_its_rows_and_names_its_decision(adopted, tiny):
    plan = decided_budget(adopted)
    year = plan[plan["year"] == 2015]
    assert sorted(year["line"]) == ["lokaler", "resor", "skola"]
    assert budget_status(adopted, 2015) == {
        "adopted": True,
        "word": "budget",
        "decisions": ["Styrelsen 2014-11-20 § 40"],
    }
    # a year without rows is the agreement's calculation, and is called so
    assert budget_status(adopted, 2014)["word"] == "kalkyl enligt avtalet"
    assert not plan[plan["year"] == 2014].empty
    assert budget_status(tiny, 2015)["adopted"] is False


def test_the_key_figures_call_a_calculation_a_calculation(adopted, tiny):
    adopted_labels = set(key_figures(adopted, Period(2015, 1))["label"])
    calculated_labels = set(key_figures(tiny, Period(2015, 1))["label"])
    assert "Kostnader, budget hittills i år" in adopted_labels
    assert "Kostnader, kalkyl enligt avtalet hittills i år" in calculated_labels
    assert not any("budget hittills" in label for label in calculated_labels)


def test_a_half_years_budget_is_the_sum_of_its_months_by_the_lines_profile(adopted):
    lines = budget_vs_outcome(adopted, Period(2015, 1))
    travel = _line(lines, "halvar", "skola", "resor")
    # 6 x 1,1 of 11,6 (ten months 1,1; July and December 0,3)
    assert abs(travel["budget_sek"] - Decimal(60000) * 66 / 116) < Decimal("1e-18")
    rent = _line(lines, "halvar", "skola", "lokaler")
    assert rent["budget_sek"] == Decimal(60000)
    h2 = budget_vs_outcome(adopted, Period(2015, 2))
    h2_travel = _line(h2, "halvar", "skola", "resor")["budget_sek"]
    assert travel["budget_sek"] + h2_travel == Decimal(60000)
    assert _line(h2, "hittills", "skola", "resor")["budget_sek"] == Decimal(60000)


def test_the_forecast_adds_the_rest_of_the_year_by_the_profile(adopted):
    result = forecast(adopted, Period(2015, 1))
    travel = result[(result["area"] == "skola") & (result["line"] == "resor")].iloc[0]
    assert travel["budget_year_sek"] == Decimal(60000)
    assert abs(travel["budget_rest_sek"] - Decimal(60000) * 50 / 116) < Decimal("1e-18")
    h1 = _line(budget_vs_outcome(adopted, Period(2015, 1)), "hittills", "skola", "resor")
    assert h1["budget_sek"] + travel["budget_rest_sek"] == Decimal(60000)
    assert travel["forecast_sek"] == Decimal("40000.50") + travel["budget_rest_sek"]


def test_a_deviation_is_marked_only_beyond_both_thresholds(adopted):
    lines = budget_vs_outcome(adopted, Period(2015, 2))
    travel = _line(lines, "halvar", "skola", "resor")
    # H2: 5 000 kr booked against about 25 862 kr: -81 %, about -20 862 kr
    assert travel["flagged"]
    assert not _line(
        budget_vs_outcome(adopted, Period(2015, 2), threshold_sek=30000), "halvar", "skola", "resor"
    )["flagged"]
    assert not _line(
        budget_vs_outcome(adopted, Period(2015, 2), threshold_pct=90), "halvar", "skola", "resor"
    )["flagged"]


def test_a_small_deviation_in_kronor_is_not_marked_however_large_in_percent(tiny_with):
    small = ADOPTED.replace("2015,skola,resor,kostnad,60000", "2015,skola,resor,kostnad,70000")
    ledger = TINY_LEDGER.replace("30 000,50", "29 905,00")  # 4 905 kr over H1's 35 000
    basis = tiny_with({"budget.csv": small, "ledger.csv": ledger})
    travel = _line(budget_vs_outcome(basis, Period(2015, 1)), "halvar", "skola", "resor")
    assert travel["deviation_sek"] == Decimal(4905) and travel["deviation_pct"] > 10
    assert not travel["flagged"]
    assert _line(
        budget_vs_outcome(basis, Period(2015, 1), threshold_sek=0), "halvar", "skola", "resor"
    )["flagged"]


def test_over_and_under_are_told_apart_and_which_one_weakens_the_result(adopted):
    lines = budget_vs_outcome(adopted, Period(2015, 1))
    travel = _line(lines, "halvar", "skola", "resor")  # 40 000,50 booked, about 34 138 budgeted
    assert (travel["direction"], travel["unfavourable"]) == ("over", True)
    rent = _line(lines, "halvar", "skola", "lokaler")  # nothing booked
    assert (rent["direction"], rent["unfavourable"]) == ("under", False)
    fee = _line(lines, "halvar", "skola", "skola")  # revenue below budget weakens the result
    assert (fee["direction"], fee["unfavourable"]) == ("under", True)
