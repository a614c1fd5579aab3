"""Evaluation rules: windows, shares that sum to 100 %, totals that reconcile."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_budget import examples

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
from foui_analysis.domain.inputs import load_inputs
from foui_analysis.errors import InputError


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
    # equity moves by the real result; the use of equity is shown after the result
    assert first["closing_equity_outcome_sek"] == (
        agreement.opening_equity_sek + first["result_outcome_sek"]
    )
    assert first["result_after_equity_outcome_sek"] == (
        first["result_outcome_sek"] + first["equity_used_outcome_sek"]
    )
    later = finances_by_year(example, range(2015, 2017))
    assert list(later["closing_equity_outcome_sek"]) == list(
        money["closing_equity_outcome_sek"][1:]
    )


def test_the_equity_used_is_the_actual_need_of_overgripande(example, agreement):
    from foui_analysis.analyses.evaluation import outcome_budget_ledger
    from foui_analysis.domain.budget import result_by_area

    years = range(2014, 2017)
    money = finances_by_year(example, years).set_index("year")
    results = result_by_area(outcome_budget_ledger(example, years)).set_index(["year", "area"])
    for year in years:
        over = results.loc[(year, "overgripande")]
        need = -over["result_sek"] if year in agreement.equity_years else 0
        assert money.loc[year, "equity_used_outcome_sek"] == need
        total = results.loc[(year, "totalt")]
        assert money.loc[year, "result_outcome_sek"] == total["revenue_sek"] - total["cost_sek"]
    # the figures: övergripande's need 2014-2015 is 2 261 440 kr (rounded once), and
    # equity fell by 2 093 570 kr over 2014-2016
    assert round(money.loc[[2014, 2015], "equity_used_outcome_sek"].sum()) == 2_261_440
    fall = agreement.opening_equity_sek - money.loc[2016, "closing_equity_outcome_sek"]
    assert round(fall) == 2_093_569


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


@settings(max_examples=examples(15), deadline=None)
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


def test_the_rural_urban_conclusion_is_tested_under_both_splits(tiny):
    """Tiny 2015: A1 (10, Luleå and Arjeplog) and the FoUI day (140, alla) have no sign-up list.
    By population nearly all of A1 goes to Luleå and the FoUI day follows population, so
    tätort is ahead; split equally, the eight rural members take 8/14 of the FoUI day and
    glesbygd is ahead: the conclusion does not hold."""
    from foui_analysis.analyses.evaluation import settlement_by_split, settlement_conclusion

    years = range(2015, 2016)
    by_split = settlement_by_split(tiny, years)
    assert by_split["split"].tolist() == ["population", "equal"]
    assert by_split["higher"].tolist() == ["tatort", "glesbygd"]
    # Every participant is placed under both splits.
    totals = by_split["rural_participants"] + by_split["urban_participants"]
    assert totals.tolist() == [154, 154]
    conclusion = settlement_conclusion(tiny, years)
    assert conclusion["holds"] is False
    assert conclusion["estimated"] is True
    assert conclusion["estimated_pct"] == pytest.approx(100.0 * 150 / 154)
    assert conclusion["classification"].startswith("SKR:s kommungrupper 2017")


def test_with_sign_up_lists_nothing_is_estimated_and_the_conclusion_holds(
    agreement, reference, tiny_dir, tmp_path
):
    from foui_analysis.analyses.evaluation import settlement_conclusion
    from foui_analysis.analyses.goals import analysis_basis
    from foui_analysis.domain.inputs import load_inputs

    for path in tiny_dir.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    (tmp_path / "participation.csv").write_text(
        "activity_id,municipality_code,participants\nA1,2506,10\nA3,2521,100\nA3,2580,40\n",
        encoding="utf-8",
    )
    basis = analysis_basis(agreement, reference, load_inputs(tmp_path, agreement))
    conclusion = settlement_conclusion(basis, range(2015, 2016))
    assert conclusion["estimated"] is False
    assert conclusion["estimated_pct"] == 0.0
    assert conclusion["holds"] is True
    assert conclusion["higher"] == conclusion["higher_equal_split"] == "glesbygd"
    assert conclusion["rural_per_1000"] == conclusion["rural_per_1000_equal"]


def test_density_classification_from_land_area(agreement, reference, tiny_dir):
    """With [evaluation] settlement = "tathet", glesbygd is below the threshold in inhabitants
    per km² of land area: Kiruna (1,2) becomes glesbygd, Haparanda (10,7) and Kalix (9,1)
    tätort; Älvsbyn (4,8) is glesbygd at 5 and tätort at 4."""
    import dataclasses

    from foui_analysis.analyses.goals import analysis_basis
    from foui_analysis.domain.inputs import load_inputs

    inputs = load_inputs(tiny_dir, agreement)
    for threshold, alvsbyn in (("5", "glesbygd"), ("4", "tatort")):
        policy = dataclasses.replace(
            agreement.evaluation, settlement="tathet", density_threshold_per_km2=Decimal(threshold)
        )
        basis = analysis_basis(dataclasses.replace(agreement, evaluation=policy), reference, inputs)
        assert basis.settlement["2584"] == "glesbygd"  # Kiruna
        assert basis.settlement["2583"] == basis.settlement["2514"] == "tatort"
        assert basis.settlement["2580"] == "tatort"
        assert basis.settlement["2506"] == "glesbygd"
        assert basis.settlement["2560"] == alvsbyn
        assert basis.settlement_label.startswith("befolkningstäthet")
        assert f"under {threshold} invånare per km²" in basis.settlement_label


def test_fairness_per_area_compares_each_area_with_its_own_funding(tiny, agreement, reference):
    """Tiny 2015: skola's only activity (A1, 10 participants, Luleå and Arjeplog, no sign-up
    list) puts all 10 in Luleå by the population split; övergripande's FoUI day (140, alla)
    follows population; socialtjänst's amount is unknown, so it is not compared."""
    from foui_analysis.analyses.evaluation import fairness_by_area
    from foui_analysis.domain.fees import fee_table

    fair = fairness_by_area(tiny, range(2015, 2016))
    assert list(dict.fromkeys(fair["area"])) == ["skola", "overgripande"]
    for _, part in fair.groupby("area"):
        assert part["fee_share_pct"].sum() == pytest.approx(100.0)
        assert part["participation_share_pct"].sum() == pytest.approx(100.0)
    school = fair[fair["area"] == "skola"].set_index("municipality_code")
    fees = fee_table(agreement, reference, 2015)
    fees = fees[fees["component"] == "skola"].set_index("municipality_code")["fee_sek"]
    assert school.loc["2580", "fees_sek"] == fees["2580"]
    lulea_fee_share = 100.0 * int(fees["2580"]) / int(fees.sum())
    assert school.loc["2580", "participants"] == 10
    assert school.loc["2580", "participation_to_fee_ratio"] == pytest.approx(
        100.0 / lulea_fee_share
    )
    # Every other member had no skola participant: ratio 0, far below 0,5.
    others = school.drop(index="2580")
    assert (others["participation_to_fee_ratio"] == 0).all()
    assert others["far_below"].all() and not school.loc["2580", "far_below"]
    assert school["invoiced"].all()
    assert not fair[fair["area"] == "overgripande"]["invoiced"].any()


def test_far_below_is_the_agreements_threshold(tiny, agreement):
    import dataclasses

    from foui_analysis.analyses.evaluation import fairness_by_area
    from foui_analysis.analyses.goals import analysis_basis

    fair = fairness_by_area(tiny, range(2015, 2016))
    over = fair[fair["area"] == "overgripande"]
    ratios = over["participation_to_fee_ratio"]
    # The FoUI day follows population, so every ratio is close to 1; a threshold just above the
    # smallest ratio names exactly that member.
    assert not over["far_below"].any()
    policy = dataclasses.replace(
        agreement.evaluation, fairness_far_below_ratio=Decimal(str(ratios.min() + 1e-9))
    )
    strict = analysis_basis(
        dataclasses.replace(agreement, evaluation=policy), tiny.reference, tiny.inputs
    )
    named = fairness_by_area(strict, range(2015, 2016))
    named = named[(named["area"] == "overgripande") & named["far_below"]]
    assert named["participation_to_fee_ratio"].tolist() == [ratios.min()]


def test_t_quantiles_are_the_table_values():
    from foui_analysis.analyses.evaluation import t_975

    assert [t_975(d) for d in (1, 2, 10, 30, 35, 60, 100, 1000)] == [
        12.706,
        4.303,
        2.228,
        2.042,
        2.021,
        2.000,
        1.980,
        1.960,
    ]
    with pytest.raises(ValueError):
        t_975(0)


def test_the_interval_of_a_weighted_mean_of_group_means():
    """Two groups, 3 respondents at 3,0 and 1 at 4,0: mean 3,25; the linearised variance is
    2/1 x (3^2 x 0,25^2 + 1^2 x 0,75^2) / 4^2 = 0,140625, standard error 0,375; t(1) = 12,706."""
    from foui_analysis.analyses.evaluation import weighted_mean_interval

    mean, low, high = weighted_mean_interval([Decimal("3.0"), Decimal("4.0")], [3, 1])
    assert mean == 3.25
    assert low == pytest.approx(3.25 - 12.706 * 0.375)
    assert high == pytest.approx(3.25 + 12.706 * 0.375)
    # One group: a mean, but no interval; equal means: an interval of width 0.
    assert weighted_mean_interval([Decimal("3.5")], [7]) == (3.5, None, None)
    assert weighted_mean_interval([Decimal(3), Decimal(3)], [2, 5]) == (3.0, 3.0, 3.0)
    assert weighted_mean_interval([], []) == (None, None, None)


@settings(max_examples=examples(60), deadline=None)
@given(
    st.lists(
        st.tuples(
            st.decimals(min_value=1, max_value=5, places=2),
            st.integers(min_value=1, max_value=40),
        ),
        min_size=2,
        max_size=30,
    )
)
def test_the_interval_holds_the_mean_within_the_groups_range(groups):
    from foui_analysis.analyses.evaluation import weighted_mean_interval

    means, weights = [m for m, _ in groups], [w for _, w in groups]
    mean, low, high = weighted_mean_interval(means, weights)
    assert float(min(means)) - 1e-9 <= mean <= float(max(means)) + 1e-9
    assert low <= mean <= high
    assert high - mean == pytest.approx(mean - low)


def _survey_basis(agreement, reference, tiny_dir, tmp_path, text):
    for path in tiny_dir.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    (tmp_path / "survey.csv").write_text(text, encoding="utf-8")
    return analysis_basis(agreement, reference, load_inputs(tmp_path, agreement))


SURVEY_HEAD = "year,municipality_code,role,respondents,relevance,quality,usefulness,asked\n"


def test_respondents_response_rate_and_changes_called_only_by_the_intervals(
    agreement, reference, tiny_dir, tmp_path
):
    """2014 and 2015: relevance moves from about 2 to about 4 with little spread (a change);
    quality moves by 0,1 with a wide spread (no change); usefulness is the same. The number
    asked is known in 2015 only."""
    from foui_analysis.analyses.evaluation import survey_by_year, survey_changes

    text = SURVEY_HEAD + (
        "2014,2580,chef,4,2.0,3.0,3.0,\n"
        "2014,2581,chef,4,2.1,4.0,3.0,\n"
        "2014,2506,chef,2,1.9,2.0,3.0,\n"
        "2015,2580,chef,4,4.0,3.1,3.0,8\n"
        "2015,2581,chef,4,4.1,4.1,3.0,5\n"
        "2015,2506,chef,2,3.9,2.1,3.0,2\n"
    )
    basis = _survey_basis(agreement, reference, tiny_dir, tmp_path, text)
    survey = survey_by_year(basis, range(2014, 2016)).set_index(["year", "group"])
    assert survey.loc[(2014, "alla"), "respondents"] == 10
    assert survey.loc[(2014, "alla"), "rows"] == 3
    assert pd.isna(survey.loc[(2014, "alla"), "response_rate_pct"])
    assert survey.loc[(2015, "alla"), "asked"] == 15
    assert survey.loc[(2015, "alla"), "response_rate_pct"] == pytest.approx(100 * 10 / 15)
    changes = survey_changes(basis, range(2014, 2016)).set_index(["group", "measure"])
    assert changes.loc[("alla", "relevance"), "change"] == "högre"
    assert changes.loc[("alla", "quality"), "change"] == "osäker"
    assert changes.loc[("alla", "usefulness"), "change"] == "osäker"
    # Glesbygd has one row a year (Arjeplog): a mean but no interval, so no verdict.
    assert changes.loc[("glesbygd", "relevance"), "change"] == "saknas"


@pytest.mark.parametrize("window", ["2014-2018", "2017-2018", "2018-2018", "2015-2015"])
def test_any_whole_year_window_inside_the_agreement(example, agreement, window):
    from foui_analysis.analyses.evaluation import (
        fairness_by_area,
        key_figures,
        parse_years,
        settlement_conclusion,
        survey_changes,
    )
    from foui_analysis.analyses.goals import status_counts

    years = parse_years(window, agreement)
    first, last = (int(y) for y in window.split("-"))
    assert list(years) == list(range(first, last + 1))
    figures = key_figures(example, years).set_index("key")["value"]
    goals = goal_attainment_by_year(example, years)
    assert sum(status_counts(goals[goals["year"] == last]).values()) == figures["mal_totalt"]
    assert settlement_conclusion(example, years)["holds"] in (True, False)
    assert len(fairness_by_area(example, years)) == 2 * len(agreement.members)
    assert len(survey_changes(example, years)) == 3 * 3 * (len(years) - 1)


def test_a_window_year_without_bookings_is_refused_naming_the_ledger(tiny):
    # The tiny ledger books 2015 only: 2014's outcome is missing, not zero.
    with pytest.raises(InputError) as caught:
        finances_by_year(tiny, range(2014, 2016))
    problem = caught.value.problems[0]
    assert Path(problem.file).name == "ledger.csv"
    assert problem.column == "date"
    assert "inga poster för 2014" in problem.message
    assert "2014–2015" in problem.message
    assert finances_by_year(tiny, range(2015, 2016))["year"].tolist() == [2015]
