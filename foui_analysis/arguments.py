"""Arguments typed at the prompt, checked at the boundary: years, rates and municipalities.

Method
------
A researcher in JupyterLab writes a year as ``2015`` or ``"2015"``, a rate as ``5``, ``"4,50"``
or ``Decimal("4.5")``, a municipality as ``"2580"``, ``2580`` or ``"Luleå"``. The library's
public functions pass such values through the helpers here before computing anything, so every
spelling that means one thing is accepted, and everything else is refused at once with an
:class:`ArgumentError`: a :class:`ValueError` whose message is Swedish and says what was
expected. Never a ``TypeError`` from deep inside pandas, never a silently empty table (a year
outside the agreement is refused, not answered with no rows), never a name quietly ignored.

* A year is an integer (``bool`` is not), or a string of four digits with spaces around it
  allowed. With an agreement, it must lie within the agreement period.
* A rate is an integer, a ``Decimal``, a string (decimal comma or point) or a float (taken as
  the shortest decimal that reads back as it, ``4.5`` as 4.5, as typed); it must be finite and
  not negative.
* A municipality is SCB's four-digit code (as text or an integer) or its name, matched without
  regard to case or surrounding spaces; it must be known to the reference data.

Known limits: a municipality name is matched exactly (apart from case and spaces), not fuzzily;
the message suggests the closest names instead.
"""

from __future__ import annotations

import argparse
import difflib
import numbers
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation


class ArgumentError(ValueError):
    """An argument that cannot mean anything here; the message says what was expected."""


def year(value: object, agreement=None, what: str = "året") -> int:
    """``value`` as a year (``2015`` or ``"2015"``), within the agreement period if given."""
    if isinstance(value, bool):
        number = None
    elif isinstance(value, numbers.Integral):
        number = int(value)
    elif isinstance(value, str) and value.strip().isdigit() and len(value.strip()) == 4:
        number = int(value.strip())
    else:
        number = None
    if number is None or not 1000 <= number <= 9999:
        raise ArgumentError(
            f"{what} ska vara ett årtal med fyra siffror, t.ex. 2015; fick {value!r}"
        )
    if agreement is not None and number not in agreement.years:
        raise ArgumentError(
            f"{what} {number} ligger utanför avtalsperioden "
            f"{agreement.first_year}–{agreement.last_year}"
        )
    return number


def year_argument(text: str) -> int:
    """A year typed on the command line (``--year 2015``), as argparse's ``type=``."""
    if not (text.isdecimal() and len(text) == 4):
        raise argparse.ArgumentTypeError(f"väntade ett årtal med fyra siffror, fick '{text}'")
    return int(text)


def years(values: Iterable[object], agreement=None, what: str = "året") -> list[int]:
    """Every value of ``values`` as a year (see :func:`year`)."""
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        return [year(values, agreement, what)]
    return [year(v, agreement, what) for v in values]


def rate(value: object, what: str = "avgiften per invånare") -> Decimal:
    """``value`` as an exact, non-negative rate in kronor (``5``, ``"4,50"``, ``Decimal``)."""
    expected = f"{what} ska vara ett tal i kronor, t.ex. 4 eller 4,50"
    if isinstance(value, bool):
        raise ArgumentError(f"{expected}; fick {value!r}")
    if isinstance(value, float):
        # The shortest decimal that reads back as the float: 4.5 -> 4.5, 0.1 -> 0.1, as typed
        # (a slider's value, or a number written at the prompt), never 0.1000000000000000055.
        value = str(value)
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, numbers.Integral):
        number = Decimal(int(value))
    elif isinstance(value, str):
        text = value.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
        text = text.removesuffix("kr").strip()
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ArgumentError(f"{expected}; fick {value!r}") from None
    else:
        raise ArgumentError(f"{expected}; fick {value!r}")
    if not number.is_finite():
        raise ArgumentError(f"{expected}; fick {value!r}")
    if number < 0:
        raise ArgumentError(f"{what} kan inte vara negativ; fick {value!r}")
    return number


def municipality(value: object, names: Mapping[str, str]) -> str:
    """The four-digit code of ``value``, a code or a name of a municipality in ``names``."""
    if isinstance(value, bool):
        raise ArgumentError(
            f"ange en kommun med namn eller kommunkod, t.ex. 'Luleå' eller '2580'; fick {value!r}"
        )
    if isinstance(value, numbers.Integral):
        value = f"{int(value):04d}"
    if not isinstance(value, str):
        raise ArgumentError(
            f"ange en kommun med namn eller kommunkod, t.ex. 'Luleå' eller '2580'; fick {value!r}"
        )
    text = value.strip()
    if text in names:
        return text
    by_name = {name.casefold(): code for code, name in names.items()}
    if text.casefold() in by_name:
        return by_name[text.casefold()]
    close = difflib.get_close_matches(text, list(names.values()), n=3, cutoff=0.6)
    hint = f" Menade du {' eller '.join(close)}?" if close else ""
    raise ArgumentError(f"okänd kommun {value!r}: varken en kommunkod eller ett kommunnamn.{hint}")


def municipalities(values: object, names: Mapping[str, str]) -> tuple[str, ...]:
    """Codes of ``values``: one municipality or several, each a code or a name."""
    if values is None:
        return ()
    if isinstance(values, str | numbers.Integral):
        values = [values]
    if not isinstance(values, Iterable):
        raise ArgumentError(
            f"ange kommunerna som en lista, t.ex. ['Luleå', 'Kiruna']; fick {values!r}"
        )
    return tuple(dict.fromkeys(municipality(v, names) for v in values))
