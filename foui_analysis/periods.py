"""Half-years, the periods of the follow-ups: ``2015H1`` (January-June) and ``2015H2``.

One rule for the whole package: a half-year is written as four digits, ``H`` and ``1`` or ``2``
(``2015H1``); spaces around the parts and a lower-case ``h`` are accepted, and
:attr:`Period.label` gives the canonical spelling used in report names (``uppfoljning-2015H1``).
Anything else raises :class:`PeriodError`, a :class:`ValueError` with a Swedish message that
says how to write it. This module needs only the standard library, so the report runner can
parse periods without importing pandas.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_PATTERN = re.compile(r"\s*(\d{4})\s*[Hh]\s*([12])\s*")


class PeriodError(ValueError):
    """A period string that is malformed or outside the agreement or the data."""


@dataclass(frozen=True, order=True)
class Period:
    """A half-year: ``year`` and ``half`` (1 or 2)."""

    year: int
    half: int

    @property
    def label(self) -> str:
        return f"{self.year}H{self.half}"

    @property
    def start(self) -> dt.date:
        """First day of the half-year."""
        return dt.date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def end(self) -> dt.date:
        """Last day of the half-year."""
        return dt.date(self.year, 6, 30) if self.half == 1 else dt.date(self.year, 12, 31)

    @property
    def year_start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def months_to_date(self) -> int:
        return 6 * self.half

    def previous(self) -> Period:
        return Period(self.year, 1) if self.half == 2 else Period(self.year - 1, 2)

    def __str__(self) -> str:
        return self.label


def parse_period(text: object) -> Period:
    """``'2015H1'`` -> Period(2015, 1); :class:`PeriodError` when it is not a half-year."""
    match = _PATTERN.fullmatch(str(text))
    if not match:
        raise PeriodError(
            f"ogiltig period '{text}': skriv ÅÅÅÅH1 (januari-juni) eller ÅÅÅÅH2 "
            "(juli-december), t.ex. 2015H1"
        )
    return Period(int(match.group(1)), int(match.group(2)))


def half_years(first: int, last: int) -> list[Period]:
    """Every half-year from ``first`` H1 to ``last`` H2."""
    return [Period(y, h) for y in range(first, last + 1) for h in (1, 2)]
