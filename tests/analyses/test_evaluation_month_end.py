"""An evaluation window whose last year ends at a month end (``--through 2017-11``): what is
counted stops at the month end, and what is compared with a full-year amount is compared with
the months' part of it (assumption A-DELAR)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from foui_analysis.analyses import evaluation
from foui_analysis.analyses.evaluation import WindowError, parse_years
from foui_analysis.domain.fees import fee_table
from foui_analysis.domain.profiles import TWELFTHS, budget_through
from foui_analysis.periods import PeriodError, Window, month_end, window


def test_a_window_through_a_month_end_reads_like_the_years_and_ends_at_the_month():
    w = window(2015, 2017, month_end(2017, 11))
    assert list(w) == [2015, 2016, 2017] and w[-1] == 2017 and len(w) == 3 and 2016 in w
    assert (w.start, w.end) == (dt.date(2015, 1, 1), dt.date(2017, 11, 30))
    assert [w.months_in(y) for y in (2014, 2015, 2017)] == [0, 12, 11]
    assert w.end_of(2016) == dt.date(2016, 12, 31) and w.end_of(2017) == dt.date(2017, 11, 30)
    assert (w.label, w.is_partial, w.last_months) == ("2015-2017-11", True, 11)
    assert window(2016, 2016, month_end(2016, 2)).end == dt.date(2016, 2, 29)


def test_through_december_is_the_whole_year_window():
    assert window(2015, 2017, month_end(2017, 12)) == Window(2015, 2017)
    assert Window(2015, 2017).label == "2015-2017" and not Window(2015, 2017).is_partial


@pytest.mark.parametrize(
    ("through", "message"),
    [
        (month_end(2016, 11), "ligger inte i utvärderingens sista år 2017"),
        (month_end(2018, 1), "ligger inte i utvärderingens sista år 2017"),
    ],
)
def test_a_month_end_outside_the_last_year_is_refused_in_swedish(through, message):
    with pytest.raises(PeriodError, match=message):
        window(2015, 2017, through)


def test_a_half_year_is_not_a_month_end_of_an_evaluation():
    from foui_analysis.periods import Period

    with pytest.raises(PeriodError, match="ÅÅÅÅ-MM"):
        window(2015, 2017, Period(2017, 2))


def test_parse_years_with_a_month(agreement):
    w = parse_years("2015-2017", agreement, through=11)
    assert isinstance(w, Window) and w.end == dt.date(2017, 11, 30)
    assert list(parse_years("2015-2017", agreement, through=12)) == [2015, 2016, 2017]
    assert not parse_years("2015-2017", agreement, through=12).is_partial
    for bad in (0, 13, "x"):
        with pytest.raises(WindowError, match="väntade 1-12"):
            parse_years("2015-2017", agreement, through=bad)
    with pytest.raises(WindowError, match="utanför avtalsperioden"):
        parse_years("2017-2019", agreement, through=5)


# The tiny data (tests/analyses/conftest.py): activities A4 2014-11-03, A1 2015-02-10 (seminar,
# task 1), A2 2015-05-05, A3 2015-09-15; costs booked 2015-01-25 (10 000), 2015-05-25
# (30 000,50) and 2015-08-25 (5 000); project P1 started 2015-03-01. Through July 2015:
THROUGH_JULY = Window(2014, 2015, month_end(2015, 7))


def test_activities_participants_and_costs_count_through_the_month_end_only(tiny):
    reach = evaluation.reach_by_year(tiny, THROUGH_JULY).set_index("year")
    assert reach.loc[2015, "activities"] == 2  # A1 and A2; A3 in September is after the window
    assert reach.loc[2015, "participants"] == 14
    assert reach.loc[2014, "activities"] == 1
    whole = evaluation.reach_by_year(tiny, range(2014, 2016)).set_index("year")
    assert whole.loc[2015, "activities"] == 3

    costs = evaluation.efficiency(tiny, THROUGH_JULY).set_index(["year", "area"])
    assert costs.loc[(2015, "skola"), "cost_sek"] == Decimal("40000.50")  # not August's 5 000
    assert costs.loc[(2015, "skola"), "activities"] == 1
    ledger = evaluation.outcome_budget_ledger(tiny, THROUGH_JULY)
    assert max(ledger["year"]) == 2015
    assert evaluation.estimated_participation(tiny, THROUGH_JULY)["activities"] == 3


def test_a_year_to_date_target_is_prorated_by_the_months_and_the_full_year_kept(tiny):
    indicators = evaluation.indicators_by_year(tiny, THROUGH_JULY)
    seminars = indicators[
        (indicators["year"] == 2015) & (indicators["indicator_id"] == "seminarier")
    ]
    row = seminars.iloc[0]
    assert row["end_date"] == dt.date(2015, 7, 31)
    assert row["value"] == 1.0 and row["target_year"] == 2.0
    assert row["target"] == pytest.approx(2 * 7 / 12)
    assert row["attainment_pct"] == pytest.approx(100 / (2 * 7 / 12))  # 85,7 %: delvis uppnått
    assert row["status"] == "delvis uppnått"
    # The whole year judges the same one seminar against the full target of 2.
    whole = evaluation.indicators_by_year(tiny, range(2014, 2016))
    whole = whole[(whole["year"] == 2015) & (whole["indicator_id"] == "seminarier")].iloc[0]
    assert (whole["target"], whole["status"]) == (2.0, "ej uppnått")
    # A rolling indicator (the twelve months to the month end) keeps its full target.
    share = indicators[
        (indicators["year"] == 2015) & (indicators["indicator_id"] == "kommuner_aktiva_pct")
    ].iloc[0]
    assert share["target"] == share["target_year"] == 100.0


def test_projects_started_count_through_the_month_end(tiny):
    early = evaluation.collaboration(tiny, Window(2014, 2015, month_end(2015, 2)))
    later = evaluation.collaboration(tiny, THROUGH_JULY)
    started = lambda frame: int(frame[frame["year"] == 2015]["projects_started"].sum())  # noqa: E731
    assert (started(early), started(later)) == (0, 1)  # P1 started on 1 March


PROFILE = "line;jan;feb;mar;apr;may;jun;jul;aug;sep;oct;nov;dec\nresor;0;0;0;0;0;0;0;0;0;0;0;1\n"


def test_the_budget_of_a_partial_year_is_the_budget_of_its_months_by_profile(tiny_with):
    basis = tiny_with({"budget_profiles.csv": PROFILE})
    plan = evaluation.plan_ledger(basis, THROUGH_JULY)
    whole = evaluation.plan_ledger(basis, range(2014, 2016))
    key = ["year", "area", "kind", "line"]
    plan, whole = plan.set_index(key)["amount_sek"], whole.set_index(key)["amount_sek"]
    # Travel is all booked in December: nothing of it belongs to January-July.
    travel = [k for k in plan.index if k[0] == 2015 and k[3] == "resor"]
    assert travel and all(plan[k] == 0 for k in travel)
    assert all(whole[k] > 0 for k in travel)
    # A line without a profile is spread in twelfths; 2014 stays whole.
    rent = [k for k in plan.index if k[0] == 2015 and k[3] == "lokaler"]
    assert rent and all(plan[k] == budget_through(int(whole[k]), TWELFTHS, 7) for k in rent)
    assert all(plan[k] == whole[k] for k in plan.index if k[0] == 2014)
    # (The tiny ledger has nothing booked in 2014, so the finances are of 2015 alone.)
    finances = evaluation.finances_by_year(basis, Window(2015, 2015, month_end(2015, 7)))
    finances = finances.set_index("year")
    costs = sum(
        (Decimal(v) for k, v in plan.items() if k[0] == 2015 and k[2] == "kostnad"), Decimal(0)
    )
    assert finances.loc[2015, "cost_budget_sek"] == costs
    assert finances.loc[2015, "cost_outcome_sek"] == Decimal("40000.50")


def test_funding_and_the_frame_of_a_partial_year_are_its_months_twelfths(
    tiny, agreement, reference
):
    fair = evaluation.fairness_by_area(tiny, THROUGH_JULY)
    skola = fair[fair["area"] == "skola"].set_index("municipality_code")
    fees = {
        year: fee_table(agreement, reference, year)
        .query("component == 'skola'")
        .set_index("municipality_code")["fee_sek"]
        for year in (2014, 2015)
    }
    code = "2580"
    expected = Decimal(int(fees[2014][code])) + budget_through(int(fees[2015][code]), TWELFTHS, 7)
    assert skola.loc[code, "fees_sek"] == int(expected.quantize(Decimal(1)))
    assert skola["fee_share_pct"].sum() == pytest.approx(100.0)


def test_the_frame_of_a_partial_year_is_its_months_twelfths(example):
    through_november = Window(2015, 2017, month_end(2017, 11))
    goal = evaluation.frame_goal_outcome(example, through_november).set_index("year")
    whole = evaluation.frame_goal_outcome(example, range(2015, 2018)).set_index("year")
    assert goal.loc[2017, "frame_sek"] == budget_through(
        int(whole.loc[2017, "frame_sek"]), TWELFTHS, 11
    )
    assert goal.loc[2016, "frame_sek"] == whole.loc[2016, "frame_sek"]
    booked = evaluation.outcome_budget_ledger(example, through_november)
    costs = booked[
        (booked["year"] == 2017)
        & (booked["kind"] == "kostnad")
        & (booked["area"] == "overgripande")
    ]
    assert goal.loc[2017, "cost_sek"] == sum((Decimal(v) for v in costs["amount_sek"]), Decimal(0))
    assert goal.loc[2017, "margin_sek"] == goal.loc[2017, "frame_sek"] - goal.loc[2017, "cost_sek"]
    assert goal.loc[2017, "within_frame"] == (
        goal.loc[2017, "cost_sek"] <= goal.loc[2017, "frame_sek"]
    )


def test_rates_over_the_window_are_per_inhabitant_year(tiny):
    split = evaluation.settlement_by_split(tiny, THROUGH_JULY).set_index("split")
    by_year = evaluation.reach_by_settlement(tiny, THROUGH_JULY)
    rural = by_year[by_year["settlement"] == "glesbygd"].set_index("year")
    months = 12 * rural.loc[2014, "population"] + 7 * rural.loc[2015, "population"]
    people = int(rural["participants"].sum())
    assert split.loc["population", "rural_participants"] == people
    assert split.loc["population", "rural_per_1000"] == pytest.approx(12_000 * people / months)
    assert split.loc["population", "rural_population"] == pytest.approx(months / 12)


def test_the_survey_counts_only_what_had_come_in_by_the_month_end(example):
    through_november = Window(2015, 2017, month_end(2017, 11))
    assert sorted(set(evaluation.survey_by_year(example, through_november)["year"])) == [
        2015,
        2016,
    ]
    assert sorted(set(evaluation.survey_by_year(example, range(2015, 2018))["year"])) == [
        2015,
        2016,
        2017,
    ]
    indicators = evaluation.indicators_by_year(example, through_november)
    usefulness = indicators[
        (indicators["year"] == 2017) & (indicators["indicator_id"] == "nytta_medel")
    ].iloc[0]
    survey_2016 = evaluation.survey_by_year(example, range(2016, 2017))
    assert usefulness["value"] == pytest.approx(
        survey_2016[survey_2016["group"] == "alla"]["usefulness_mean"].iloc[0]
    )


def test_a_partial_year_is_not_judged_out_of_balance_on_its_months(example):
    whole = evaluation.balance_findings(example, range(2015, 2018))
    partial = evaluation.balance_findings(example, Window(2015, 2017, month_end(2017, 11)))
    assert ((whole["year"] == 2017) & (whole["finding"] == "ej_i_balans")).any()
    assert not ((partial["year"] == 2017) & (partial["finding"] == "ej_i_balans")).any()
    assert set(partial[partial["year"] < 2017]["year"]) == set(whole[whole["year"] < 2017]["year"])


def test_key_figures_carry_the_window_end_only_when_it_is_a_month_end(example):
    partial = evaluation.key_figures(example, Window(2015, 2017, month_end(2017, 11)))
    figures = partial.set_index("key")
    assert figures.loc["utvardering_till_och_med", "value"] == "2017-11-30"
    assert figures.loc["sista_aret_manader", "value"] == 11
    assert figures.loc["mal_uppnadda_sista_aret", "label"].endswith("2017 (till och med november)")
    assert figures.loc["eget_kapital_utgaende_sek", "label"] == "Eget kapital den 30 november 2017"
    statuses = ["mal_uppnadda", "mal_delvis", "mal_ej_uppnadda", "mal_ej_matbara"]
    assert (
        sum(figures.loc[f"{s}_sista_aret", "value"] for s in statuses)
        == figures.loc["mal_totalt", "value"]
    )
    whole = evaluation.key_figures(example, range(2015, 2018)).set_index("key")
    assert "utvardering_till_och_med" not in whole.index
    assert figures.loc["aktiviteter", "value"] < whole.loc["aktiviteter", "value"]
    # Through December is the whole-year window, figure for figure.
    december = evaluation.key_figures(example, window(2015, 2017, month_end(2017, 12)))
    assert december.equals(evaluation.key_figures(example, range(2015, 2018)))


def test_the_chiefs_commentary_of_a_month_end_window_is_found_by_its_label(tiny_with):
    basis = tiny_with(
        {
            "commentary.csv": (
                "period,goal_id,text\n2014-2015-07,alla,Till och med juli.\n2014-2015,alla,Helår.\n"
            )
        }
    )
    assert list(evaluation.commentary_for(basis, THROUGH_JULY)["text"]) == ["Till och med juli."]
    assert list(evaluation.commentary_for(basis, range(2014, 2016))["text"]) == ["Helår."]
