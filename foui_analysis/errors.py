"""Errors a user can act on.

Every problem with an input is a :class:`Problem` naming the file, the row (as the user sees it in
a spreadsheet: the header is row 1, the first data row is row 2), the column and what was
expected. Readers and schemas collect all problems of a file before raising one
:class:`InputError`, so the user can fix a file in one pass. The command line prints these messages
and exits with code 1; it never shows a traceback for bad input.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"rad {self.row}")
        if self.column:
            where.append(f"kolumn '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


@dataclass
class InputError(Exception):
    """One or more problems in the inputs; nothing has been written."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    @classmethod
    def single(
        cls, file: str | Path, message: str, row: int | None = None, column: str | None = None
    ) -> InputError:
        return cls([Problem(str(file), row, column, message)])


class ProblemLog:
    """Collects problems across files, to raise them together."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(
        self, file: str | Path, message: str, row: int | None = None, column: str | None = None
    ) -> None:
        self.problems.append(Problem(str(file), row, column, message))

    def extend(self, error: InputError) -> None:
        self.problems.extend(error.problems)

    def raise_if_any(self) -> None:
        if self.problems:
            raise InputError(list(self.problems))


class UsageError(Exception):
    """Wrong use of a command (exit 2); ``str(error)`` is the Swedish message."""


_OS_ADVICE = {
    errno.ENOSPC: "disken är full; frigör utrymme och kör kommandot igen",
    errno.EDQUOT: "diskkvoten är slut; frigör utrymme och kör kommandot igen",
    errno.EROFS: "filsystemet är skrivskyddat; ange en annan katalog (till exempel med --out)",
    errno.EACCES: "behörighet saknas; ändra behörigheten eller ange en annan sökväg",
    errno.EPERM: "åtgärden är inte tillåten; ändra behörigheten eller ange en annan sökväg",
    errno.ENOTDIR: "en del av sökvägen är en fil, inte en katalog; ange en katalog",
    errno.EISDIR: "sökvägen är en katalog där en fil väntades; ange en fil",
    errno.ENOENT: "filen eller katalogen finns inte; kontrollera sökvägen",
    errno.EEXIST: "det finns redan något med det namnet; ta bort det eller välj ett annat namn",
    errno.ENAMETOOLONG: "sökvägen är för lång; välj ett kortare namn",
    errno.EIO: "läs- eller skrivfel på disken; kontrollera disken och kör igen",
    errno.EMFILE: "för många öppna filer; kör igen med färre rapporter parallellt (--workers)",
}


def describe_os_error(exc: OSError) -> str:
    """A Swedish sentence for a fault of the machine: the path, what happened, what to do."""
    where = exc.filename if exc.filename is not None else "(okänd sökväg)"
    if exc.filename2 is not None:
        where = f"{where} -> {exc.filename2}"
    advice = _OS_ADVICE.get(exc.errno or -1)
    if advice is None:
        reason = exc.strerror or type(exc).__name__
        advice = f"{reason}; kontrollera sökvägen och kör igen"
    return f"{where}: {advice}"
