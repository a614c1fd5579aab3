"""Follow-up rules: periods, budget against outcome, forecast, activities and key figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from foui_analysis.analyses.followup import (
    Period,
    PeriodError,
    activities_by_area,
    activities_by_municipality,
    budget_vs_outcome,
    decided_budget,
    forecast,
    goal_status,
    key_figures,
    parse_period,
)
from foui_analysis.errors import InputError


@pytest.mark.parametrize(
    ("text", "period", "start", "end"),
    [
        ("2015H1", Period(2015, 1), dt.date(2015, 1, 1), dt.date(2015, 6, 30)),
        ("2015h2", Period(2015, 2), dt.date(2015, 7, 1), dt.date(2015, 12, 31)),
    ],
)
def test_parse_period(agreement, text, period, start, end):
    parsed = parse_period(text, agreement)
    assert parsed == period and (parsed.start, parsed.end) == (start, end)
    assert str(parsed) == text.upper()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2015H3", "ogiltig period"),
        ("2015", "ogiltig period"),
        ("H1-2015", "ogiltig period"),
        ("2013H2", "utanför avtalsperioden"),
        ("2019H1", "utanför avtalsperioden"),
    ],
)
def test_a_bad_period_is_refused_with_a_clear_message(agreement, text, message):
    with pytest.raises(PeriodError, match=message):
        parse_period(text, agreement)


def test_a_period_the_ledger_does_not_reach_is_refused(agreement, tiny):
    with pytest.raises(PeriodError, match="utfallet når inte"):
        parse_period("2016H1", agreement, tiny)


def test_previous_period():
    assert Period(2015, 1).previous() == Period(2014, 2)
    assert Period(2015, 2).previous() == Period(2015, 1)


def _line(frame, scope, area, line):
    rows = frame[(frame["scope"] == scope) & (frame["area"] == area) & (frame["line"] == line)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_half_year_budget_of_a_line_without_profile_is_half_the_annual_and_outcome_is_exact(
    tiny,
):
    plan = decided_budget(tiny)
    annual = int(
        plan[(plan["year"] == 2015) & (plan["area"] == "skola") & (plan["line"] == "resor")][
            "amount_sek"
        ].sum()
    )
    h1 = budget_vs_outcome(tiny, Period(2015, 1), threshold_pct=10)
    row = _line(h1, "halvar", "skola", "resor")
    assert row["budget_sek"] == Decimal(annual) / 2
    assert row["outcome_sek"] == Decimal("40000.50")
    assert row["deviation_sek"] == Decimal("40000.50") - Decimal(annual) / 2
    assert row["flagged"] == (abs(row["deviation_pct"]) > 10 and abs(row["deviation_sek"]) > 10000)
    h2 = budget_vs_outcome(tiny, Period(2015, 2))
    assert _line(h2, "halvar", "skola", "resor")["outcome_sek"] == Decimal("5000.00")
    assert _line(h2, "hittills", "skola", "resor")["outcome_sek"] == Decimal("45000.50")
    assert _line(h2, "hittills", "skola", "resor")["budget_sek"] == Decimal(annual)


def test_a_line_without_outcome_deviates_by_its_whole_budget(tiny):
    h1 = budget_vs_outcome(tiny, Period(2015, 1))
    row = _line(h1, "halvar", "socialtjanst", "personal")
    assert row["outcome_sek"] == 0 and row["deviation_pct"] == -100.0 and row["flagged"]


def test_forecast_is_outcome_to_date_plus_remaining_budget(tiny):
    result = forecast(tiny, Period(2015, 1))
    row = result[(result["area"] == "skola") & (result["line"] == "resor")].iloc[0]
    assert row["forecast_sek"] == row["outcome_to_date_sek"] + row["budget_year_sek"] / 2
    at_h2 = forecast(tiny, Period(2015, 2))
    row2 = at_h2[(at_h2["area"] == "skola") & (at_h2["line"] == "resor")].iloc[0]
    assert row2["forecast_sek"] == Decimal("45000.50") and row2["budget_rest_sek"] == 0


def test_activities_per_area_and_municipality_add_up(tiny):
    areas = activities_by_area(tiny, Period(2015, 2))
    ytd = areas[areas["scope"] == "hittills"].set_index("area")
    assert ytd.loc["totalt", "activities"] == 3
    assert ytd.loc["totalt", "participants"] == 154
    assert ytd.loc["totalt", "hours"] == 80.5
    assert ytd.drop("totalt")["participants"].sum() == 154
    munis = activities_by_municipality(tiny, Period(2015, 2))
    assert munis[munis["scope"] == "hittills"]["participants"].sum() == 154
    assert munis[munis["scope"] == "halvar"]["participants"].sum() == 140
    assert (munis[munis["scope"] == "halvar"]["activities"] == 1).all()


def test_goal_status_has_a_trend_against_the_previous_half_year(tiny):
    status = goal_status(tiny, Period(2015, 2))
    assert set(status["trend"]) <= {"upp", "ned", "oförändrad", "saknas"}
    first = goal_status(tiny, Period(2014, 1))
    assert set(first["trend"]) == {"saknas"}


def test_key_figures_are_named_with_units_and_money_is_whole_kronor(example):
    figures = key_figures(example, Period(2016, 1))
    assert figures["key"].is_unique
    money = figures[figures["unit"] == "kr"]
    assert all(isinstance(v, int) for v in money["value"])
    assert set(figures["unit"]) >= {"kr", "%", "antal"}


def test_activity_list_holds_the_half_year_by_date(example):
    from foui_analysis.analyses.followup import Period, activity_list

    found = activity_list(example, Period(2015, 2))

    assert found["date"].between(dt.date(2015, 7, 1), dt.date(2015, 12, 31)).all()
    assert found["date"].is_monotonic_increasing
    assert found["municipalities_reached"].between(1, 14).all()


def test_a_period_in_a_year_without_bookings_is_refused_naming_the_ledger(tiny, agreement):
    # The tiny ledger books 2015 only: 2014's outcome is missing from the export, not zero.
    with pytest.raises(InputError) as caught:
        key_figures(tiny, parse_period("2014H2", agreement))
    [problem] = caught.value.problems
    assert Path(problem.file).name == "ledger.csv"
    assert problem.column == "date"
    assert "inga poster för 2014" in problem.message
    assert "2014H2" in problem.message
    assert set(budget_vs_outcome(tiny, parse_period("2015H2", agreement))["scope"]) == {
        "halvar",
        "hittills",
    }
