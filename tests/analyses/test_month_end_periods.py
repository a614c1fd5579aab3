"""Follow-ups through any month end (``--period 2015-08``): the year to date, like for like."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from foui_analysis.analyses import followup, restatements
from foui_analysis.periods import Period, PeriodError, month_end, parse_period
from foui_analysis.presentation.formats import format_period


@pytest.mark.parametrize(
    ("text", "label", "year_to_date", "span", "previous", "last_year"),
    [
        ("2015-08", "2015-08", ("2015-01-01", "2015-08-31"), "2015-07-01", "2015H1", "2014-08"),
        ("2016-02", "2016-02", ("2016-01-01", "2016-02-29"), "2016-01-01", "2015H2", "2015-02"),
        (" 2015-12 ", "2015-12", ("2015-01-01", "2015-12-31"), "2015-07-01", "2015H1", "2014-12"),
        ("2015H1", "2015H1", ("2015-01-01", "2015-06-30"), "2015-01-01", "2014H2", "2014H1"),
    ],
)
def test_a_month_end_is_the_year_to_date_through_that_month(
    text, label, year_to_date, span, previous, last_year
):
    period = parse_period(text)
    assert period.label == label
    assert (period.year_start.isoformat(), period.end.isoformat()) == year_to_date
    assert period.start.isoformat() == span
    assert period.previous().label == previous
    assert period.same_period_last_year().label == last_year


@pytest.mark.parametrize("text", ["2015-13", "2015-00", "2015-8", "15-08", "2015-08-31"])
def test_a_malformed_month_end_is_refused_saying_how_to_write_it(text):
    with pytest.raises(PeriodError, match="ÅÅÅÅ-MM"):
        parse_period(text)


def test_month_ends_read_in_swedish():
    assert format_period("2015-08") == "januari\u2013augusti 2015"
    assert format_period("2015-01") == "januari 2015"
    assert followup.span_text(month_end(2015, 8)) == "juli\u2013augusti"
    assert followup.span_text(month_end(2015, 7)) == "juli"
    assert followup.span_text(Period(2015, 1)) == "halvåret"


def test_a_month_end_follow_up_sums_its_months_and_compares_with_the_same_months(example):
    august = followup.parse_period("2015-08", example.agreement, example)
    lines = followup.budget_vs_outcome(example, august)
    outcome = followup.outcome_ledger(example)
    booked = outcome[(outcome["date"] >= dt.date(2015, 1, 1)) & (outcome["date"] <= august.end)]
    costs = booked[booked["kind"] == "kostnad"]["amount_sek"]
    to_date = lines[(lines["scope"] == "hittills") & (lines["kind"] == "kostnad")]
    assert sum(to_date["outcome_sek"], Decimal(0)) == sum((Decimal(v) for v in costs), Decimal(0))
    july_august = booked[(booked["kind"] == "kostnad") & (booked["date"] >= dt.date(2015, 7, 1))]
    span = lines[(lines["scope"] == "halvar") & (lines["kind"] == "kostnad")]
    assert sum(span["outcome_sek"], Decimal(0)) == sum(
        (Decimal(v) for v in july_august["amount_sek"]), Decimal(0)
    )
    # the budget through August plus the forecast's rest of the year is the annual budget
    forecast = followup.forecast(example, august)
    for row in forecast.to_dict("records"):
        assert row["budget_year_sek"] - row["budget_rest_sek"] == to_date_budget(lines, row)
    assert restatements.comparison_period(august) == month_end(2014, 8)


def to_date_budget(lines, row):
    match = lines[
        (lines["scope"] == "hittills")
        & (lines["area"] == row["area"])
        & (lines["kind"] == row["kind"])
        & (lines["line"] == row["line"])
    ]
    return match["budget_sek"].iloc[0]


@pytest.mark.slow
def test_foui_run_makes_the_report_through_a_month_end(tmp_path, capsys):
    import json

    from foui_analysis.cli import main

    out = tmp_path / "out"
    code = main(["run", "followup", "--period", "2015-08", "--out", str(out)])

    assert code == 0, capsys.readouterr().err
    html = (out / "uppfoljning-2015-08.html").read_text(encoding="utf-8")
    assert "Uppföljning, januari\u2013augusti 2015" in html
    assert "Januari\u2013augusti 2014" in html  # the like-for-like column
    kpis = json.loads((out / "uppfoljning-2015-08" / "kpis.json").read_text(encoding="utf-8"))
    assert "kostnader_utfall_hittills_sek" in json.dumps(kpis)
