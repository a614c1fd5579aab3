"""Swedish number, money, date and period formats for the reports.

Method
------
Every value a reader sees goes through one of these functions, so a report has one voice.
Numbers are formatted as babel formats them with the CLDR data for the locale ``sv_SE`` (a
number with a given count of decimals by Python's own format, which gives the same text, see
:func:`format_number`; a property test compares the two):

- the group separator is a no-break space (U+00A0), the decimal separator a comma;
- a unit follows its number after a no-break space, so ``1 247 180 kr`` and ``12,5 %`` never
  wrap between number and unit;
- dates are written the Swedish long way, ``27 november 2026``;
- half-years ``2015H1`` / ``2015H2`` are written ``första halvåret 2015`` / ``andra halvåret 2015``;
  a month end ``2015-08`` (the year to date) ``januari–augusti 2015``.

Assumptions
-----------
- Money arrives as ``int`` (whole kronor) or ``decimal.Decimal`` (kronor with öre), never as
  ``float``: :func:`format_sek` refuses floats so that a float sneaking in from a computation is
  found, not silently rounded. Numpy integer scalars count as integers.
- Percentages arrive in percent units (``12.5`` means 12,5 %), as in columns named ``*_pct``,
  not as fractions.
- Rounding for display is half away from zero (``ROUND_HALF_UP``), the rule a reader expects;
  the exact value stays in the data and in ``kpis.json``.

Known limits
------------
- A negative number is written with the typographic minus (U+2212, ``−1 000 kr``) that
  Swedish typesetting and CLDR use, not babel's hyphen-minus; a value that rounds to zero is
  written without a sign (never ``−0 kr`` or ``−0,0 %``). With ``signed=True`` a positive
  value gets a ``+`` (changes and deviations). The exports (CSV, Excel) carry numbers, not
  these strings.
- :func:`format_frame` formats for display only; the result is a table of strings that must not
  be used for further computation. Missing values (``None``, ``NaN``, ``pd.NA``) show as ``–``.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd
from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.numbers import format_decimal

from foui_analysis.periods import MONTHS_SV, PeriodError, parse_period

LOCALE = "sv_SE"
"""The locale of every report."""

NBSP = "\u00a0"
"""No-break space: between groups of digits and between a number and its unit."""

MISSING = "–"
"""What a missing value shows as in a table (en dash)."""

_HALF_NAMES = {1: "första halvåret", 2: "andra halvåret"}

Formatter = Callable[[Any], str]

Number = float | Decimal
"""What the number formats take (for a type checker, ``int`` is a ``float``). At run time any
:class:`numbers.Real` (a numpy number, a Fraction) is accepted too; ``bool`` is refused."""


def _pattern(decimals: int) -> str:
    if decimals < 0:
        raise ValueError(f"decimals must be >= 0, got {decimals}")
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def _to_decimal(value: Number, decimals: int) -> Decimal:
    """Round half away from zero to ``decimals`` places, exactly (floats via their repr)."""
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _check_number(value: Any, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, numbers.Real | Decimal):
        raise TypeError(f"{what} expects a number, got {type(value).__name__}: {value!r}")
    if not isinstance(value, numbers.Integral | Decimal) and not math.isfinite(value):
        raise ValueError(f"{what} cannot format {value!r}")


MINUS = "\u2212"
"""The typographic minus sign of negative numbers."""


def _signs(text: str, signed: bool) -> str:
    """Typographic minus, no negative zero, and ``+`` on positive values when ``signed``."""
    negative = text.startswith("-")
    digits = text.removeprefix("-")
    if not any(c in "123456789" for c in digits):
        return digits
    if negative:
        return MINUS + digits
    return "+" + digits if signed else digits


def format_number(value: Number, decimals: int | None = None, *, signed: bool = False) -> str:
    """Format a number Swedish style: ``1 234,5``, ``−3,2``; ``+3,2`` with ``signed=True``.

    With ``decimals`` the number is rounded (half away from zero) and shows exactly that many
    decimals; without it, babel's default (at most three decimals, trailing zeros dropped).
    """
    _check_number(value, "format_number")
    if decimals is None:
        return _signs(format_decimal(value, locale=LOCALE), signed)
    _pattern(decimals)  # refuses negative decimals
    return _signs(_fixed(_to_decimal(value, decimals), decimals), signed)


def _fixed(rounded: Decimal, decimals: int) -> str:
    """``rounded`` (already at ``decimals`` places) as babel writes it with the pattern
    ``#,##0.00…`` for ``sv_SE``: groups of three digits apart by a no-break space, a decimal
    comma, exactly ``decimals`` decimals. Python's own format gives the same digits (the number is
    rounded already, so no second rounding happens) at a tenth of babel's cost; a property test
    holds the two equal."""
    return f"{rounded:,.{decimals}f}".replace(",", NBSP).replace(".", ",")


def format_int(value: Number) -> str:
    """Format a count or another whole number: ``12 345`` (rounded if it has decimals)."""
    return format_number(value, decimals=0)


def format_count(count: int, singular: str, plural: str) -> str:
    """A count with its noun in the right number: ``1 budgetrad``, ``3 budgetrader``,
    ``1 234 budgetrader`` (only exactly one takes the singular, as in Swedish)."""
    return f"{format_int(count)} {singular if count == 1 else plural}"


def format_sek(amount: int | Decimal, decimals: int = 0, *, signed: bool = False) -> str:
    """Format money in kronor: ``format_sek(1247180)`` gives ``1 247 180 kr``.

    ``amount`` is an integer (whole kronor) or a Decimal; floats are refused (see the module
    docstring). ``decimals=2`` shows öre: ``12,50 kr``.
    """
    if isinstance(amount, bool) or not isinstance(amount, numbers.Integral | Decimal):
        raise TypeError(
            f"format_sek expects int or Decimal (money is never float), "
            f"got {type(amount).__name__}: {amount!r}"
        )
    if isinstance(amount, Decimal) and not amount.is_finite():
        raise ValueError(f"format_sek cannot format {amount!r}")
    return f"{format_number(amount, decimals, signed=signed)}{NBSP}kr"


def format_pct(value: Number, decimals: int = 1, *, signed: bool = False) -> str:
    """Format a percentage given in percent units: ``format_pct(12.5)`` gives ``12,5 %``."""
    return f"{format_number(value, decimals, signed=signed)}{NBSP}%"


def format_pct_points(value: Number, decimals: int = 1) -> str:
    """A change of a percentage, always signed: ``+2,5 procentenheter`` (not ``%``)."""
    return f"{format_number(value, decimals, signed=True)}{NBSP}procentenheter"


_SWEDISH_ORDER = str.maketrans(
    {"å": "{", "ä": "|", "ö": "}", "æ": "|", "ø": "}", "é": "e", "è": "e", "ü": "y", "á": "a"}
)


def swedish_sort_key(text: str) -> str:
    """Sort key for Swedish alphabetical order: å, ä, ö after z (``Älvsbyn`` after ``Piteå``).

    A small key instead of a collation library: letters are compared in lower case, and å, ä, ö
    are mapped to the three characters that follow ``z`` in Unicode (``{``, ``|``, ``}``), in
    that order; é and ü sort as e and y, as in Swedish dictionaries. Enough for place names;
    not a full Unicode collation (no accents beyond these, no numbers in words).
    """
    return str(text).lower().translate(_SWEDISH_ORDER)


def format_date(value: dt.date | str) -> str:
    """Format a date the Swedish long way: ``27 november 2026``.

    Accepts a ``date``, a ``datetime`` (its date is used) or an ISO string ``YYYY-MM-DD``.
    """
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        raise TypeError(f"format_date expects a date, got {type(value).__name__}: {value!r}")
    return _babel_date(value, format="long", locale=LOCALE)


def format_datetime(value: dt.datetime | str) -> str:
    """Format a point in time: ``27 november 2026 kl. 10:05`` (in the value's own time zone)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if not isinstance(value, dt.datetime):
        raise TypeError(f"format_datetime expects a datetime, got {type(value).__name__}")
    return _babel_datetime(value, format="d MMMM y 'kl.' HH:mm", tzinfo=value.tzinfo, locale=LOCALE)


def format_period(period: str) -> str:
    """Format a follow-up's period: ``2015H1`` gives ``första halvåret 2015``, ``2015-08``
    gives ``januari–augusti 2015`` (the year to date)."""
    if not isinstance(period, str):
        raise PeriodError(f"a period is written YYYYH1, YYYYH2 or YYYY-MM, got {period!r}")
    parsed = parse_period(period)
    if parsed.is_month_end:
        last = MONTHS_SV[parsed.months_to_date - 1]
        months = last if parsed.months_to_date == 1 else f"januari\u2013{last}"
        return f"{months} {parsed.year}"
    return f"{_HALF_NAMES[parsed.half]} {parsed.year}"


def format_years(first_year: int, last_year: int) -> str:
    """Format a span of years with an en dash: ``2014–2016``."""
    if first_year == last_year:
        return str(first_year)
    return f"{first_year}\u2013{last_year}"


def is_missing(value: Any) -> bool:
    """True for ``None``, ``NaN``, ``NaT`` and ``pd.NA``."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def default_formatter(value: Any) -> str:
    """The formatter used for a cell when no column formatter is given."""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, numbers.Integral):
        return format_int(int(value))
    if isinstance(value, Decimal):
        return format_number(value)
    if isinstance(value, numbers.Real):
        return format_number(float(value), decimals=1)
    if isinstance(value, dt.datetime | dt.date):
        return format_date(value)
    return str(value)


def format_frame(
    frame: pd.DataFrame, formatters: Mapping[str, Formatter] | None = None
) -> pd.DataFrame:
    """Return a copy of ``frame`` where every cell is the display string.

    ``formatters`` maps a column name to a function of one value (for example ``format_sek``);
    other columns use :func:`default_formatter`. Missing values become ``–`` without calling
    the formatter. Unknown column names in ``formatters`` are an error, so a renamed column
    cannot silently lose its format.
    """
    formatters = dict(formatters or {})
    unknown = sorted(set(formatters) - {str(c) for c in frame.columns})
    if unknown:
        raise KeyError(f"formatters name columns that are not in the table: {unknown}")
    out = {}
    for column in frame.columns:
        fmt = formatters.get(str(column), default_formatter)
        out[column] = [MISSING if is_missing(v) else fmt(v) for v in frame[column].tolist()]
    return pd.DataFrame(out, index=frame.index, columns=frame.columns, dtype=object)
