"""What is due on a given day: the rule behind ``foui run due``.

Method
------
On day *D* these reports of the agreement period are due (and published unless already):

* the follow-up of the first half-year ``YH1`` once 30 June of *Y* has passed (from 1 July) **and
  the books are closed through 30 June** (``books_closed_through`` of the data set's
  ``dataset.toml``): the calendar alone is not enough, since on 1 July the June invoices are not
  yet booked;
* the follow-up of the second half-year ``YH2`` likewise once 31 December of *Y* has passed and
  the books are closed through it;
* the three-year evaluation of the first three years once its last year has ended and the books
  are closed through its last day;
* the fees of year *Y* once the population basis exists: SCB publishes the population of
  31 December of year *P* in February-March of *P + 1*; we take it as available from
  ``basis_available`` (1 March, assumption A-PUBL) of *P + 1*, so the fees for *Y* (basis year
  *P* by the agreement's rule: *Y - lag*, or a fixed year) are due from 1 March of *P + 1*,
  provided the reference file has that year. Fees read no books, so closing does not matter.

A data set that does not say up to which date its books are closed has no follow-up or
evaluation due (:func:`awaiting_closure` lists what waits).

Known limits: public holidays and the board's meeting calendar are not considered; a report
becomes due on the first day allowed and stays due until it is published. The availability date
assumes SCB's 31 December series; a basis series of another date is not modelled here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from foui_analysis.periods import half_years, parse_period, report_name

BASIS_AVAILABLE = (3, 1)
"""Month and day from which SCB's 31 December population of the previous year is taken as
published (assumption A-PUBL)."""


@dataclass(frozen=True, order=True)
class DueReport:
    """A report that is due: ``kind`` is followup, evaluation or fees; ``key`` its parameter."""

    kind: str
    key: str

    @property
    def name(self) -> str:
        return report_name(self.kind, self.key)

    @property
    def period_end(self) -> dt.date | None:
        """The last day of the books the report reads; None for fees (they read no books)."""
        return period_end(self.kind, self.key)


def period_end(kind: str, key: str) -> dt.date | None:
    """Last day of a follow-up (``2015H1``) or evaluation (``2014-2016``, or ``2015-2017-11``
    through a month end of its last year); None for fees."""
    if kind == "followup":
        return parse_period(key).end
    if kind == "evaluation":
        if len(key) > len("2014-2016"):
            return parse_period(key[len("2014-") :]).end  # the month end, e.g. 2017-11
        return dt.date(int(key[-4:]), 12, 31)
    return None


def is_closed(end: dt.date | None, books_closed_through: dt.date | None) -> bool:
    """Whether the books are closed through ``end`` (always, for a report that reads none)."""
    if end is None:
        return True
    return books_closed_through is not None and end <= books_closed_through


def _calendar_followups(today: dt.date, first_year: int, last_year: int) -> list[DueReport]:
    return [
        DueReport("followup", p.label) for p in half_years(first_year, last_year) if today > p.end
    ]


def _calendar_evaluation(
    today: dt.date, first_year: int, last_year: int, window: int = 3
) -> list[DueReport]:
    last = first_year + window - 1
    if last <= last_year and today > dt.date(last, 12, 31):
        return [DueReport("evaluation", f"{first_year}-{last}")]
    return []


def followups_due(
    today: dt.date, first_year: int, last_year: int, books_closed_through: dt.date | None
) -> list[DueReport]:
    """Half-years that have ended by ``today`` and whose books are closed."""
    return [
        r
        for r in _calendar_followups(today, first_year, last_year)
        if is_closed(r.period_end, books_closed_through)
    ]


def evaluation_due(
    today: dt.date,
    first_year: int,
    last_year: int,
    books_closed_through: dt.date | None,
    window: int = 3,
) -> list[DueReport]:
    """The evaluation of the first ``window`` years once they have ended and are closed."""
    return [
        r
        for r in _calendar_evaluation(today, first_year, last_year, window)
        if is_closed(r.period_end, books_closed_through)
    ]


def awaiting_closure(
    today: dt.date, first_year: int, last_year: int, books_closed_through: dt.date | None
) -> list[DueReport]:
    """Reports the calendar makes due but whose books are not closed yet."""
    return [
        r
        for r in (
            *_calendar_followups(today, first_year, last_year),
            *_calendar_evaluation(today, first_year, last_year),
        )
        if not is_closed(r.period_end, books_closed_through)
    ]


def fees_due(
    today: dt.date,
    first_year: int,
    last_year: int,
    basis_year: Callable[[int], int],
    population_years: set[int],
) -> list[DueReport]:
    """Fee years whose population basis (``basis_year(fee year)``) is published and present."""
    due = []
    for year in range(first_year, last_year + 1):
        basis = basis_year(year)
        available = dt.date(basis + 1, *BASIS_AVAILABLE)
        if basis in population_years and today >= available:
            due.append(DueReport("fees", str(year)))
    return due


def due_reports(
    today: dt.date,
    first_year: int,
    last_year: int,
    basis_year: Callable[[int], int],
    population_years: set[int],
    books_closed_through: dt.date | None,
) -> list[DueReport]:
    """Every report of the agreement period that is due on ``today``."""
    return [
        *followups_due(today, first_year, last_year, books_closed_through),
        *evaluation_due(today, first_year, last_year, books_closed_through),
        *fees_due(today, first_year, last_year, basis_year, population_years),
    ]
