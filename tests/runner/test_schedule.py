"""When each report becomes due (foui run due)."""

from __future__ import annotations

import datetime as dt

import pytest

from foui_analysis.runner.schedule import (
    DueReport,
    awaiting_closure,
    due_reports,
    evaluation_due,
    fees_due,
    followups_due,
)

YEARS = set(range(2010, 2025))
ALL_CLOSED = dt.date(2030, 12, 31)


def lag(years: int):
    return lambda fee_year: fee_year - years


def names(reports):
    return sorted(r.name for r in reports)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        ("2014-06-29", []),
        ("2014-06-30", []),
        ("2014-07-01", ["uppfoljning-2014H1"]),
        ("2014-12-31", ["uppfoljning-2014H1"]),
        ("2015-01-01", ["uppfoljning-2014H1", "uppfoljning-2014H2"]),
        ("2019-01-01", sorted(f"uppfoljning-{y}H{h}" for y in range(2014, 2019) for h in (1, 2))),
    ],
)
def test_followups_due_after_each_half_year_ends(today, expected):
    assert names(followups_due(dt.date.fromisoformat(today), 2014, 2018, ALL_CLOSED)) == expected


@pytest.mark.parametrize(
    ("today", "due"),
    [("2016-12-31", False), ("2017-01-01", True), ("2030-01-01", True)],
)
def test_evaluation_due_when_its_last_year_has_ended(today, due):
    expected = [DueReport("evaluation", "2014-2016")] if due else []
    assert evaluation_due(dt.date.fromisoformat(today), 2014, 2018, ALL_CLOSED) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        ("2013-02-28", []),
        ("2013-03-01", ["avgifter-2014"]),
        ("2015-07-15", ["avgifter-2014", "avgifter-2015", "avgifter-2016"]),
        ("2016-02-29", ["avgifter-2014", "avgifter-2015", "avgifter-2016"]),
        ("2016-03-01", ["avgifter-2014", "avgifter-2015", "avgifter-2016", "avgifter-2017"]),
    ],
)
def test_fees_due_once_population_basis_is_published(today, expected):
    assert names(fees_due(dt.date.fromisoformat(today), 2014, 2018, lag(2), YEARS)) == expected


def test_fees_not_due_without_basis_in_reference_data():
    assert fees_due(dt.date(2020, 1, 1), 2014, 2018, lag(2), {2012, 2013}) == [
        DueReport("fees", "2014"),
        DueReport("fees", "2015"),
    ]


def test_due_on_2015_07_15_is_the_2014_followups_2015h1_and_fees():
    due = due_reports(dt.date(2015, 7, 15), 2014, 2018, lag(2), YEARS, ALL_CLOSED)
    assert names(due) == [
        "avgifter-2014",
        "avgifter-2015",
        "avgifter-2016",
        "uppfoljning-2014H1",
        "uppfoljning-2014H2",
        "uppfoljning-2015H1",
    ]


@pytest.mark.parametrize(
    ("closed", "expected"),
    [
        (None, []),
        ("2014-12-31", ["uppfoljning-2014H1", "uppfoljning-2014H2"]),
        ("2015-06-29", ["uppfoljning-2014H1", "uppfoljning-2014H2"]),
        ("2015-06-30", ["uppfoljning-2014H1", "uppfoljning-2014H2", "uppfoljning-2015H1"]),
    ],
)
def test_a_followup_is_due_only_once_its_books_are_closed(closed, expected):
    closed_through = None if closed is None else dt.date.fromisoformat(closed)
    today = dt.date(2015, 7, 1)  # the calendar alone makes 2015H1 due today

    assert names(followups_due(today, 2014, 2018, closed_through)) == expected
    waiting = {"uppfoljning-2014H1", "uppfoljning-2014H2", "uppfoljning-2015H1"} - set(expected)
    assert names(awaiting_closure(today, 2014, 2018, closed_through)) == sorted(waiting)


def test_the_h2_followup_is_not_due_on_new_years_day_before_the_books_are_closed():
    today = dt.date(2017, 1, 1)
    closed = dt.date(2016, 6, 30)

    assert "uppfoljning-2016H2" not in names(due_reports(today, 2014, 2018, lag(2), YEARS, closed))
    assert "uppfoljning-2016H2" in names(
        due_reports(today, 2014, 2018, lag(2), YEARS, dt.date(2016, 12, 31))
    )
    assert names(awaiting_closure(today, 2014, 2018, closed)) == [
        "uppfoljning-2016H2",
        "utvardering-2014-2016",
    ]


def test_the_evaluation_waits_for_the_closing_of_its_last_year():
    today = dt.date(2017, 3, 1)

    assert evaluation_due(today, 2014, 2018, dt.date(2016, 11, 30)) == []
    assert evaluation_due(today, 2014, 2018, dt.date(2016, 12, 31)) == [
        DueReport("evaluation", "2014-2016")
    ]


def test_fees_follow_a_fixed_basis_year_of_the_agreement():
    fixed = fees_due(dt.date(2014, 3, 1), 2014, 2018, lambda _year: 2013, YEARS)

    assert names(fixed) == [f"avgifter-{y}" for y in range(2014, 2019)]
    assert fees_due(dt.date(2014, 2, 28), 2014, 2018, lambda _year: 2013, YEARS) == []
