"""The periods of the follow-ups: half-years (``2015H1``, ``2015H2``) and month ends (``2015-08``).

One rule for the whole package. A half-year is written as four digits, ``H`` and ``1`` or ``2``
(``2015H1``: January-June); spaces around the parts and a lower-case ``h`` are accepted. A month
end is four digits, ``-`` and the month (``2015-08``): the year to date through the end of that
month, as in a delårsrapport. The half-years are the scheduled follow-ups; a month end is made on
request. :attr:`Period.label` gives the canonical spelling used in report names
(``uppfoljning-2015H1``, ``uppfoljning-2015-08``). Anything else raises :class:`PeriodError`, a
:class:`ValueError` with a Swedish message that says how to write it. This module needs only the
standard library, so the report runner can parse periods without importing pandas.

Both kinds answer the same questions, so the analyses need no special case:

* ``start``-``end``: the period's own span. For a half-year the half-year; for a month end the
  months since the half-year began (``2015-08``: 1 July-31 August), so a report through August
  shows July-August beside the year to date, as the H2 follow-up shows July-December.
* ``year_start``-``end``: the year to date; ``months_to_date`` its number of months.
* ``previous()``: the follow-up before it, for trends: the last half-year that ended before this
  period ends (``2015-08`` and ``2015H2`` follow ``2015H1``; ``2015-03`` follows ``2014H2``).
* ``same_period_last_year()``: the like-for-like comparison (``2014H1`` for ``2015H1``,
  ``2014-08`` for ``2015-08``).

Known limits: a month end of June or December covers the same months as H1 or the full year but
is its own report; a period never spans two years.

The Swedish month names (:data:`MONTHS_SV`) and the names of the reports
(:func:`report_name`) live here too, once for the package.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_PATTERN = re.compile(r"\s*(\d{4})\s*[Hh]\s*([12])\s*")
_MONTH_PATTERN = re.compile(r"\s*(\d{4})-(\d{2})\s*")


MONTHS_SV = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)
"""The months in Swedish, January first, as written in a date ("31 augusti")."""

REPORT_PREFIXES = {"followup": "uppfoljning", "evaluation": "utvardering", "fees": "avgifter"}
"""The first part of a report's name (its file and folder), per kind of report."""


def report_name(kind: str, key: object) -> str:
    """A report's name: its kind's prefix and its period (``uppfoljning-2015H1``,
    ``utvardering-2014-2016``, ``avgifter-2015``)."""
    return f"{REPORT_PREFIXES[kind]}-{key}"


class PeriodError(ValueError):
    """A period string that is malformed or outside the agreement or the data."""


@dataclass(frozen=True, order=True)
class Period:
    """A follow-up's period: a half-year (``half`` 1 or 2), or with ``month`` a month end.

    ``Period(2015, 1)`` is 2015H1; ``Period(2015, 2, 8)`` is the year to date through 31 August
    2015 (``half`` is the half-year the month falls in; ``month`` 0 means the half-year itself).
    Build month ends with :func:`month_end`.
    """

    year: int
    half: int
    month: int = 0

    @property
    def is_month_end(self) -> bool:
        return self.month != 0

    @property
    def label(self) -> str:
        if self.month:
            return f"{self.year}-{self.month:02d}"
        return f"{self.year}H{self.half}"

    @property
    def start(self) -> dt.date:
        """First day of the period's own span (the half-year it lies in)."""
        return dt.date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def end(self) -> dt.date:
        """Last day of the period."""
        month = self.months_to_date
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def year_start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def months_to_date(self) -> int:
        """Months from January through the period's end."""
        return self.month or 6 * self.half

    @property
    def first_month(self) -> int:
        """The first month of the period's own span."""
        return self.start.month

    @property
    def ends_year(self) -> bool:
        """Whether the period ends on 31 December (no forecast is left to make)."""
        return self.months_to_date == 12

    def previous(self) -> Period:
        """The last half-year that ended before this period ends."""
        if self.month:
            return Period(self.year, 1) if self.month >= 7 else Period(self.year - 1, 2)
        return Period(self.year, 1) if self.half == 2 else Period(self.year - 1, 2)

    def same_period_last_year(self) -> Period:
        return Period(self.year - 1, self.half, self.month)

    def __str__(self) -> str:
        return self.label


def month_end(year: int, month: int) -> Period:
    """The year to date through the end of ``month`` (1-12)."""
    if not 1 <= month <= 12:
        raise PeriodError(f"ogiltig månad {month}: väntade 01-12")
    return Period(year, 1 if month <= 6 else 2, month)


def parse_period(text: object) -> Period:
    """``'2015H1'`` -> Period(2015, 1); ``'2015-08'`` -> the year to date through August;
    :class:`PeriodError` otherwise."""
    match = _PATTERN.fullmatch(str(text))
    if match:
        return Period(int(match.group(1)), int(match.group(2)))
    match = _MONTH_PATTERN.fullmatch(str(text))
    if match and 1 <= int(match.group(2)) <= 12:
        return month_end(int(match.group(1)), int(match.group(2)))
    raise PeriodError(
        f"ogiltig period '{text}': skriv ÅÅÅÅH1 (januari-juni), ÅÅÅÅH2 (juli-december) "
        "eller ÅÅÅÅ-MM (året till och med den månaden), t.ex. 2015H1 eller 2015-08"
    )


def half_years(first: int, last: int) -> list[Period]:
    """Every half-year from ``first`` H1 to ``last`` H2."""
    return [Period(y, h) for y in range(first, last + 1) for h in (1, 2)]
