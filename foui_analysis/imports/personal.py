"""Personal data (personuppgifter) that an import must not carry into a data set.

Method
------
* **Columns** of a survey export are personal data when their heading names a person, an e-mail
  address or a personal identity number (``Namn``, ``E-post``, ``Personnummer`` and their usual
  spellings, Swedish or English), or when their cells hold e-mail addresses or personal identity
  numbers (:func:`personal_column`). Such columns are never read; the import says which it left.
* **Texts** (a voucher's text in a SIE file) have e-mail addresses and personal identity numbers
  replaced by ``[borttaget]`` (:func:`scrub`).

A personal identity number (personnummer, or samordningsnummer with the day plus 60) is
``YYMMDD-NNNN``, ``YYMMDDNNNN`` or ``YYYYMMDD-NNNN`` whose month and day are possible and whose
last digit is the Luhn check digit of the other nine (Skatteverket's rule), so invoice and order
numbers of ten digits are rarely taken for one (one in ten of those with a date-like start).

Known limits: a person's name in free text cannot be recognised, so texts keep names; a column
of names under a heading we do not know (``Vem svarar?``) is only dropped because every column a
survey import does not use is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PERSONNUMMER = re.compile(r"(?<!\d)(?:19|20)?(\d{6})[-+ ]?(\d{4})(?!\d)")
HEADINGS = {
    "namn": re.compile(
        r"\b(namn|förnamn|efternamn|fullständigt namn|name|first ?name|last ?name|full ?name)\b",
        re.IGNORECASE,
    ),
    "e-postadresser": re.compile(r"(e-?post|e-?mail|mejl|\bmail\b)", re.IGNORECASE),
    "personnummer": re.compile(
        r"(personnummer|personnr|\bpnr\b|samordningsnummer|person(al)? ?(id|number))",
        re.IGNORECASE,
    ),
}
REMOVED = "[borttaget]"


def luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(digits):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def is_personnummer(match: re.Match) -> bool:
    date, tail = match.group(1), match.group(2)
    month, day = int(date[2:4]), int(date[4:6])
    if not 1 <= month <= 12 or not (1 <= day <= 31 or 61 <= day <= 91):
        return False
    return luhn_ok(date + tail)


def holds_personal_data(text: str) -> str | None:
    """``e-postadresser`` or ``personnummer`` when ``text`` holds one, else None."""
    if EMAIL.search(text):
        return "e-postadresser"
    if any(is_personnummer(m) for m in PERSONNUMMER.finditer(text)):
        return "personnummer"
    return None


def personal_column(heading: str, cells: Iterable[object]) -> str | None:
    """What personal data a column holds (``namn``, ``e-postadresser``, ``personnummer``)."""
    for kind, pattern in HEADINGS.items():
        if pattern.search(heading):
            return kind
    for cell in cells:
        if cell is None:
            continue
        found = holds_personal_data(str(cell))
        if found:
            return found
    return None


def scrub(text: str) -> tuple[str, int]:
    """``text`` with e-mail addresses and personal identity numbers removed, and how many."""
    count = 0

    def email(match: re.Match) -> str:
        nonlocal count
        count += 1
        return REMOVED

    def number(match: re.Match) -> str:
        nonlocal count
        if not is_personnummer(match):
            return match.group(0)
        count += 1
        return REMOVED

    text = EMAIL.sub(email, text)
    text = PERSONNUMMER.sub(number, text)
    return text, count
