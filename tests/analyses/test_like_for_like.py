"""Like-for-like follow-ups: a period is compared with the same period of the previous year, the
forecast with the previous follow-up's forecast, and shares change in procentenheter."""

from __future__ import annotations

import pandas as pd

from foui_analysis.analyses import followup, restatements
from foui_analysis.periods import Period
from foui_analysis.presentation import views


def test_2015h1_is_compared_with_the_first_half_of_2014(example):
    period = Period(2015, 1)
    assert restatements.comparison_period(period) == Period(2014, 1)
    table = restatements.changes_since_previous(example, period).set_index("key")
    then = followup.key_figures_dict(example, Period(2014, 1))
    half_year_2014 = followup.key_figures_dict(example, Period(2014, 2))
    costs = table.loc["kostnader_utfall_hittills_sek"]
    # six months against six months: 2014H1's costs to date, not 2014's full year
    assert costs["previous"] == then["kostnader_utfall_hittills_sek"]["value"]
    assert costs["previous"] != half_year_2014["kostnader_utfall_hittills_sek"]["value"]
    assert costs["change"] == costs["current"] - costs["previous"]


def test_no_follow_up_compares_a_half_year_with_a_full_year(example, agreement):
    for year in agreement.years:
        for half in (1, 2):
            compared = restatements.comparison_period(Period(year, half))
            assert compared.half == half and compared.year == year - 1


def test_the_forecast_is_compared_with_the_previous_follow_ups_forecast(example):
    table = restatements.forecast_changes(example, Period(2015, 2)).set_index("key")
    h1 = followup.full_year_forecast(example, Period(2015, 1))
    h2 = followup.full_year_forecast(example, Period(2015, 2))
    assert table.loc["kostnader", "previous_period"] == "2015H1"
    assert table.loc["kostnader", "previous"] == h1["kostnader"]
    assert table.loc["kostnader", "current"] == h2["kostnader"]
    assert table.loc["resultat", "change"] == h2["resultat"] - h1["resultat"]


def test_a_share_changes_in_procentenheter():
    frame = pd.DataFrame(
        [("andel", "Andel nådda", "%", 50.0, 62.5, 12.5), ("n", "Antal", "antal", 4, 6, 2)],
        columns=["key", "label", "unit", "previous", "current", "change"],
    )
    html = str(views.changes_table(frame, "Första halvåret 2014"))
    assert "12,5\u00a0procentenheter" in html
    assert "12,5\u00a0%" not in html
