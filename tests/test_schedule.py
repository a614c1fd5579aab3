"""When each report becomes due (foui run due)."""

from __future__ import annotations

import datetime as dt

import pytest

from foui_analysis.schedule import DueReport, due_reports, evaluation_due, fees_due, followups_due

YEARS = set(range(2010, 2025))


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
    assert names(followups_due(dt.date.fromisoformat(today), 2014, 2018)) == expected


@pytest.mark.parametrize(
    ("today", "due"),
    [("2016-12-31", False), ("2017-01-01", True), ("2030-01-01", True)],
)
def test_evaluation_due_when_its_last_year_has_ended(today, due):
    expected = [DueReport("evaluation", "2014-2016")] if due else []
    assert evaluation_due(dt.date.fromisoformat(today), 2014, 2018) == expected


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
    assert names(fees_due(dt.date.fromisoformat(today), 2014, 2018, 2, YEARS)) == expected


def test_fees_not_due_without_basis_in_reference_data():
    assert fees_due(dt.date(2020, 1, 1), 2014, 2018, 2, {2012, 2013}) == [
        DueReport("fees", "2014"),
        DueReport("fees", "2015"),
    ]


def test_due_on_2015_07_15_is_the_2014_followups_2015h1_and_fees():
    due = due_reports(dt.date(2015, 7, 15), 2014, 2018, 2, YEARS)
    assert names(due) == [
        "avgifter-2014",
        "avgifter-2015",
        "avgifter-2016",
        "uppfoljning-2014H1",
        "uppfoljning-2014H2",
        "uppfoljning-2015H1",
    ]
