"""Evaluation rules: windows, shares that sum to 100 %, totals that reconcile."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from foui_analysis.analyses.evaluation import (
    WindowError,
    collaboration,
    efficiency,
    fairness,
    finances_by_year,
    frame_goal_outcome,
    goal_attainment_by_year,
    parse_years,
    reach_by_municipality,
    reach_by_settlement,
    reach_by_year,
    survey_by_year,
)
from foui_analysis.analyses.goals import analysis_basis


def test_parse_years(agreement):
    assert parse_years("2014-2016", agreement) == range(2014, 2017)
    assert parse_years(None, agreement) == range(2014, 2017)
    assert parse_years("2016 - 2018", agreement) == range(2016, 2019)


@pytest.mark.parametrize("text", ["2014", "2016-2014", "2012-2016", "2016-2019"])
def test_a_bad_window_is_refused(agreement, text):
    with pytest.raises(WindowError):
        parse_years(text, agreement)


def test_fairness_shares_each_sum_to_100(example):
    table = fairness(example, range(2014, 2017))
    assert table["fee_share_pct"].sum() == pytest.approx(100)
    assert table["participation_share_pct"].sum() == pytest.approx(100)
    assert len(table) == 14


def test_reach_per_municipality_and_per_settlement_sum_to_the_totals(example):
    years = range(2014, 2017)
    totals = reach_by_year(example, years).set_index("year")
    per_municipality = reach_by_municipality(example, years).groupby("year")["participants"].sum()
    per_settlement = reach_by_settlement(example, years).groupby("year")["participants"].sum()
    assert (per_municipality == totals["participants"]).all()
    assert (per_settlement == totals["participants"]).all()


def test_efficiency_totals_are_the_sums_of_the_areas(example):
    table = efficiency(example, range(2014, 2017))
    for _year, rows in table.groupby("year"):
        areas = rows[rows["area"] != "totalt"]
        total = rows[rows["area"] == "totalt"].iloc[0]
        assert total["cost_sek"] == areas["cost_sek"].sum()
        assert total["activities"] == areas["activities"].sum()
        assert float(total["cost_per_participant_sek"]).is_integer()


def test_finances_equity_runs_from_the_opening_balance(example, agreement):
    money = finances_by_year(example, range(2014, 2017))
    first = money.iloc[0]
    assert first["closing_equity_outcome_sek"] == (
        agreement.opening_equity_sek
        - first["equity_used_outcome_sek"]
        + first["result_outcome_sek"]
    )
    later = finances_by_year(example, range(2015, 2017))
    assert list(later["closing_equity_outcome_sek"]) == list(
        money["closing_equity_outcome_sek"][1:]
    )


def test_the_frame_goal_applies_from_the_frame_year(example, agreement):
    frame = frame_goal_outcome(example, range(2014, 2017))
    assert list(frame["applies"]) == [
        y >= agreement.overgripande_within_frame_from for y in range(2014, 2017)
    ]


def test_survey_groups_and_collaboration(example):
    survey = survey_by_year(example, range(2014, 2017))
    assert set(survey["group"]) == {"glesbygd", "tatort", "alla"}
    assert (
        survey.groupby("year")["respondents"].apply(lambda s: s.iloc[:-1].sum() == s.iloc[-1]).all()
    )
    partners = collaboration(example, range(2014, 2017))
    assert "Luleå tekniska universitet" in set(partners["partner"])


def test_goal_attainment_covers_every_goal_every_year(example):
    goals = goal_attainment_by_year(example, range(2014, 2017))
    assert len(goals) == 13 * 3
    assert set(goals["status"]) <= {"uppnått", "delvis uppnått", "ej uppnått", "ej mätbart"}


@settings(max_examples=15, deadline=None)
@given(st.permutations(range(40)))
def test_results_do_not_depend_on_the_order_of_the_activities(example, order):
    from dataclasses import replace

    acts = example.inputs.activities
    shuffled = acts.iloc[[i % len(acts) for i in order] + list(range(40, len(acts)))]
    shuffled = shuffled.drop_duplicates("activity_id")
    basis = analysis_basis(
        example.agreement, example.reference, replace(example.inputs, activities=shuffled)
    )
    import pandas as pd

    pd.testing.assert_frame_equal(
        fairness(basis, range(2014, 2017)), fairness(example, range(2014, 2017))
    )
    pd.testing.assert_frame_equal(
        reach_by_settlement(basis, range(2014, 2017)),
        reach_by_settlement(example, range(2014, 2017)),
    )
