"""What is due on a given day: the rule behind ``foui run due``.

Method
------
On day *D* these reports of the agreement period are due (and published unless already):

* the follow-up of the first half-year ``YH1`` once 30 June of *Y* has passed (from 1 July);
* the follow-up of the second half-year ``YH2`` once 31 December of *Y* has passed (from 1 January
  of *Y + 1*);
* the three-year evaluation of the first three years once its last year has ended;
* the fees of year *Y* once the population basis exists: SCB publishes the population of
  31 December of year *P* in February-March of *P + 1*; we take it as available from
  ``basis_available`` (1 March, assumption A-PUBL) of *P + 1*, so the fees for *Y* (basis
  *Y - lag*) are due from 1 March of *Y - lag + 1*, provided the reference file has that year.

Known limits: public holidays and the board's meeting calendar are not considered; a report
becomes due on the first day allowed and stays due until it is published.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from foui_analysis.periods import half_years

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
        prefix = {"followup": "uppfoljning", "evaluation": "utvardering", "fees": "avgifter"}
        return f"{prefix[self.kind]}-{self.key}"


def followups_due(today: dt.date, first_year: int, last_year: int) -> list[DueReport]:
    return [
        DueReport("followup", p.label) for p in half_years(first_year, last_year) if today > p.end
    ]


def evaluation_due(
    today: dt.date, first_year: int, last_year: int, window: int = 3
) -> list[DueReport]:
    last = first_year + window - 1
    if last <= last_year and today > dt.date(last, 12, 31):
        return [DueReport("evaluation", f"{first_year}-{last}")]
    return []


def fees_due(
    today: dt.date, first_year: int, last_year: int, lag_years: int, population_years: set[int]
) -> list[DueReport]:
    due = []
    for year in range(first_year, last_year + 1):
        basis = year - lag_years
        available = dt.date(basis + 1, *BASIS_AVAILABLE)
        if basis in population_years and today >= available:
            due.append(DueReport("fees", str(year)))
    return due


def due_reports(
    today: dt.date, first_year: int, last_year: int, lag_years: int, population_years: set[int]
) -> list[DueReport]:
    """Every report of the agreement period that is due on ``today``."""
    return [
        *followups_due(today, first_year, last_year),
        *evaluation_due(today, first_year, last_year),
        *fees_due(today, first_year, last_year, lag_years, population_years),
    ]
