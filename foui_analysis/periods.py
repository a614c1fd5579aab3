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

An evaluation covers a :class:`Window`: the whole years ``first_year``-``last_year``
(``2015-2017``), or the same ending at a month end of the last year (``2015-2017`` through
``2017-11``: 1 January 2015-30 November 2017, label ``2015-2017-11``), as when the three-year
evaluation goes to the board in December before the year's books are closed. A window iterates
over its years like a ``range``; :meth:`Window.end_of` gives the last day of each year inside it
and :meth:`Window.months_in` its number of months (12, or the last year's months through the
month end). A window through December is the whole-year window itself.

Known limits: a month end of June or December covers the same months as H1 or the full year but
is its own follow-up; a period never spans two years; a window starts on 1 January.

The Swedish month names (:data:`MONTHS_SV`) and the names of the reports
(:func:`report_name`) live here too, once for the package.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator
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


@dataclass(frozen=True)
class Window:
    """An evaluation window: the years ``first_year``-``last_year``, the last one through
    ``through`` (a month end of that year) or whole (``through`` None).

    Build windows with :func:`window`, which checks the month end. A window is a sequence of its
    years (``list(Window(2015, 2017)) == [2015, 2016, 2017]``, ``w[-1] == 2017``), so code
    written for a ``range`` of years runs unchanged on it.
    """

    first_year: int
    last_year: int
    through: Period | None = None

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)

    @property
    def is_partial(self) -> bool:
        """Whether the last year ends before 31 December."""
        return self.through is not None and self.through.months_to_date < 12

    @property
    def last_months(self) -> int:
        """The months of the last year inside the window (1-12)."""
        return self.through.months_to_date if self.through is not None else 12

    @property
    def start(self) -> dt.date:
        return dt.date(self.first_year, 1, 1)

    @property
    def end(self) -> dt.date:
        """The window's last day."""
        return self.end_of(self.last_year)

    @property
    def label(self) -> str:
        """``2015-2017``, or ``2015-2017-11`` through November 2017: the report's name."""
        whole = f"{self.first_year}-{self.last_year}"
        return f"{whole}-{self.last_months:02d}" if self.is_partial else whole

    def months_in(self, year: int) -> int:
        """The months of ``year`` inside the window (0 outside it)."""
        if year not in self.years:
            return 0
        return self.last_months if year == self.last_year else 12

    def end_of(self, year: int) -> dt.date:
        """The last day of ``year`` inside the window: 31 December, or the month end."""
        if year == self.last_year and self.through is not None:
            return self.through.end
        return dt.date(year, 12, 31)

    def __iter__(self) -> Iterator[int]:
        return iter(self.years)

    def __len__(self) -> int:
        return len(self.years)

    def __getitem__(self, index):
        return self.years[index]

    def __contains__(self, year: object) -> bool:
        return year in self.years

    def __str__(self) -> str:
        return self.label


def window(first_year: int, last_year: int, through: Period | None = None) -> Window:
    """The evaluation window ``first_year``-``last_year``, ending at ``through`` if given.

    ``through`` must be a month end (:func:`month_end`) of ``last_year``; through December it
    is the whole-year window. :class:`PeriodError` (Swedish) otherwise.
    """
    if first_year > last_year:
        raise PeriodError(f"första året {first_year} ligger efter sista året {last_year}")
    if through is None:
        return Window(first_year, last_year)
    if not through.is_month_end:
        raise PeriodError(
            f"utvärderingen kan sluta vid ett månadsskifte (ÅÅÅÅ-MM), inte vid {through.label}"
        )
    if through.year != last_year:
        raise PeriodError(
            f"månaden {through.label} ligger inte i utvärderingens sista år {last_year}: "
            f"ange en månad från {last_year}-01 till {last_year}-12"
        )
    if through.months_to_date == 12:
        return Window(first_year, last_year)
    return Window(first_year, last_year, through)


def window_of(years) -> Window:
    """``years`` as a :class:`Window`: a window itself, or a ``range`` of whole years."""
    if isinstance(years, Window):
        return years
    years = list(years)
    return Window(years[0], years[-1])
