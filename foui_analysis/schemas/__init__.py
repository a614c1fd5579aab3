"""Schemas: every input table declared once, checked at the boundary, documented from here.

Method
------
A table is a :class:`Table` of :class:`Col` declarations. Each column has a *kind* that says how a
cell is read (``int``, ``money``, ``decimal``, ``text``, ``code``, ``date``), a Swedish and an
English description and a unit, and any value rules (allowed values, ranges, patterns).

:func:`parse_table` types a :class:`~foui_analysis.readers.RawTable` cell by cell, so a bad value
is reported with its row and column, then validates the typed rows with the pandera schema built
from the same declarations (ranges, allowed values, unique keys), collecting every problem
(``lazy=True``) before raising one :class:`~foui_analysis.errors.InputError`. The value rules
are pandera's built-in checks (``isin``, ``in_range``, ``ge``, ``le``, ``str_matches``), each
carrying what it expects in Swedish as its error text; a failure is translated by pandera's
reason code (a repeated key, a missing value, a failed check), not by the check's name.

Numbers are read as Swedish spreadsheets write them: decimal comma or point; spaces, no-break
spaces (U+00A0) and narrow no-break spaces (U+202F) as thousands separators; a Unicode minus.
When a cell holds both ``.`` and ``,`` the last one is the decimal separator. Money is read into
:class:`decimal.Decimal` (at most two decimals, öre) and never passes through a float (a number
cell of a workbook is a float already: it is rounded to öre when it lies within a millionth of a
krona of it, the binary noise of a spreadsheet formula); a number with a single ``,`` and three
digits after it (``1,234``) is read as a decimal number, as Swedish conventions say, not as one
thousand two hundred thirty-four.

The data dictionary (:func:`data_dictionary`) is generated from these declarations.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrorReason

from foui_analysis.errors import InputError, Problem
from foui_analysis.readers import RawTable, read_raw

KINDS = ("int", "money", "decimal", "text", "code", "date")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]")
_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
_DIGITS = re.compile(r"^[0-9]+$")


class CellError(ValueError):
    """A cell that cannot be read as its column's kind; the message says what was expected."""


def parse_decimal(value: Any) -> Decimal:
    """Read a number written the Swedish or the international way, exactly."""
    if isinstance(value, bool):
        raise CellError("väntade ett tal")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CellError(f"väntade ett tal, fick '{value}'")
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise CellError(f"väntade ett tal, fick '{value}'")
        return value
    text = _SPACES.sub("", str(value)).replace("\u2212", "-")
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif text.count(",") == 1:
        text = text.replace(",", ".")
    if not _NUMBER.match(text):
        raise CellError(f"väntade ett tal (t.ex. 1 234 eller 12,5), fick '{value}'")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise CellError(f"väntade ett tal, fick '{value}'") from None


def parse_int(value: Any) -> int:
    number = parse_decimal(value)
    if number != number.to_integral_value():
        raise CellError(f"väntade ett heltal, fick '{value}'")
    return int(number)


def parse_money(value: Any) -> Decimal:
    number = parse_decimal(value)
    if isinstance(value, float):
        # A spreadsheet formula stores binary noise (1247.1800000000001); Excel shows 1 247,18.
        rounded = number.quantize(Decimal("0.01"))
        if abs(number - rounded) < Decimal("1e-6"):
            return rounded
    if number != number.quantize(Decimal("0.01")):
        raise CellError(
            f"väntade ett belopp i kronor med högst två decimaler (öre), fick '{value}'"
        )
    return number


def parse_code(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if not _DIGITS.match(text):
        raise CellError(f"väntade en kod med siffror (t.ex. 2580), fick '{value}'")
    return text


def parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CellError(f"väntade ett datum ÅÅÅÅ-MM-DD, fick '{value}'") from None


def parse_text(value: Any) -> str:
    return str(value).strip()


PARSERS: dict[str, Callable[[Any], Any]] = {
    "int": parse_int,
    "money": parse_money,
    "decimal": parse_decimal,
    "text": parse_text,
    "code": parse_code,
    "date": parse_date,
}


@dataclass(frozen=True)
class Col:
    """One column: how to read it, what it means, and what values it may hold."""

    kind: str
    sv: str
    en: str
    unit: str = ""
    required: bool = True
    allowed: tuple[str, ...] | None = None
    ge: float | None = None
    le: float | None = None
    pattern: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")

    def rule(self) -> str:
        """The value rule in words, for the data dictionary."""
        parts = []
        if self.allowed:
            parts.append("en av: " + ", ".join(self.allowed))
        if self.ge is not None:
            parts.append(f">= {self.ge:g}")
        if self.le is not None:
            parts.append(f"<= {self.le:g}")
        if self.pattern:
            parts.append(f"mönster {self.pattern}")
        if not self.required:
            parts.append("får vara tom")
        return "; ".join(parts)

    def checks(self) -> list[pa.Check]:
        """The value rules as pandera's built-in checks, each with what it expects in Swedish
        (a failure reads "<error>, fick '<value>'", see :func:`_schema_problems`)."""
        checks = []
        if self.allowed:
            expected = f"väntade ett av {', '.join(self.allowed)}"
            checks.append(pa.Check.isin(list(self.allowed), error=expected))
        if self.ge is not None and self.le is not None:
            expected = f"väntade ett värde mellan {self.ge:g} och {self.le:g}"
            checks.append(pa.Check.in_range(self.ge, self.le, error=expected))
        elif self.ge is not None:
            expected = f"väntade ett värde större än eller lika med {self.ge:g}"
            checks.append(pa.Check.ge(self.ge, error=expected))
        elif self.le is not None:
            expected = f"väntade ett värde mindre än eller lika med {self.le:g}"
            checks.append(pa.Check.le(self.le, error=expected))
        if self.pattern:
            checks.append(
                pa.Check.str_matches(self.pattern, error=f"väntade formen {self.pattern}")
            )
        return checks

    def pandera(self) -> pa.Column:
        return pa.Column(
            None,
            checks=self.checks(),
            nullable=not self.required,
            description=self.en,
            title=self.sv,
            metadata={"kind": self.kind, "unit": self.unit},
        )


@dataclass(frozen=True)
class Table:
    """A declared input table."""

    name: str
    sv: str
    en: str
    columns: dict[str, Col]
    key: tuple[str, ...] = ()
    row_checks: tuple[Callable[[pd.DataFrame, str], list[Problem]], ...] = field(default=())
    extra_columns: bool = False
    """True for a file made elsewhere (an SCB extract) whose other columns are ignored; a
    heading that is a near miss of a declared column is refused all the same."""
    min_rows: int = 0
    """Fewer data rows than this is an error (1 for a table every report needs)."""
    one_row: str = ""
    """What one row of the table is, in Swedish (for the message on a table without rows)."""
    skip_rows: tuple[str, str] | None = None
    """``(column, pattern)``: rows whose cell in ``column`` matches ``pattern`` belong to
    something else in the same kind of file (another county in a national SCB extract) and are
    left out before anything is checked; row numbers in messages stay those of the file."""

    def pandera(self) -> pa.DataFrameSchema:
        """The pandera schema of these declarations, built once per table (validating a frame
        does not change it)."""
        return self._pandera

    @functools.cached_property
    def _pandera(self) -> pa.DataFrameSchema:
        return pa.DataFrameSchema(
            {name: col.pandera() for name, col in self.columns.items()},
            unique=list(self.key) or None,
            name=self.name,
            strict=False,
        )


def _schema_problems(
    errors: pa.errors.SchemaErrors, raw: RawTable, table: Table, bad_cells: set[tuple[int, str]]
) -> list[Problem]:
    """pandera's failures as problems naming the file, the row and the column.

    A column's value rule says in Swedish what it expects (:meth:`Col.checks`); a repeated key
    names the key's columns. A cell that could not be read (``bad_cells``) is reported once
    already, and a row with a bad key cell is left out of the duplicate-key check.
    """
    file = str(raw.path)
    key = ", ".join(table.key) if table.key else None
    problems = []
    for error in errors.schema_errors:
        duplicates = error.reason_code is SchemaErrorReason.DUPLICATES
        for _, case in error.failure_cases.iterrows():
            index = case.get("index")
            position = int(index) if index is not None and pd.notna(index) else None
            row = raw.rows[position] if position is not None else None
            value = case.get("failure_case")
            if duplicates:
                if position is not None and any((position, k) in bad_cells for k in table.key):
                    continue
                message = f"samma nyckel ({', '.join(table.key)}) förekommer flera gånger"
                problems.append(Problem(file, row, key, message))
                continue
            column = error.column_name
            if position is not None and (position, column) in bad_cells:
                continue
            problems.append(Problem(file, row, column, _describe(error, value)))
    return problems


def _describe(error: pa.errors.SchemaError, value: object) -> str:
    """A Swedish sentence for one failing value of a column."""
    if error.reason_code is SchemaErrorReason.SERIES_CONTAINS_NULLS:
        return "värde saknas"
    if isinstance(error.check, pa.Check) and error.check.error:
        return f"{error.check.error}, fick '{value}'"
    return f"ogiltigt värde '{value}'"


def skipped_rows(raw: RawTable, table: Table) -> RawTable:
    """``raw`` without the rows the table leaves out (``Table.skip_rows``)."""
    return _skip_rows(raw, table)


def _skip_rows(raw: RawTable, table: Table) -> RawTable:
    if table.skip_rows is None or table.skip_rows[0] not in raw.frame.columns:
        return raw
    column, pattern = table.skip_rows
    keep = [
        not (isinstance(v, str) and re.fullmatch(pattern, v.strip())) for v in raw.frame[column]
    ]
    if all(keep):
        return raw
    return dataclasses.replace(
        raw,
        frame=raw.frame[keep].reset_index(drop=True),
        rows=[row for row, kept in zip(raw.rows, keep, strict=True) if kept],
    )


_NAMED_HEADING = re.compile(r"^.*\((\w+)\)\s*$", re.DOTALL)


def _named_headings(raw: RawTable, table: Table) -> RawTable:
    """A heading that ends in ``(name)`` of a declared column is that column.

    The Excel templates of ``foui init`` head each column with its Swedish description and its
    name in parentheses (``Datum (ÅÅÅÅ-MM-DD) (date)``); a heading that is already a column name
    is kept as it is.
    """
    renamed = {}
    for heading in raw.frame.columns:
        match = _NAMED_HEADING.match(str(heading))
        if heading not in table.columns and match and match.group(1) in table.columns:
            renamed[heading] = match.group(1)
    if not renamed:
        return raw
    return dataclasses.replace(raw, frame=raw.frame.rename(columns=renamed))


def _heading_problems(raw: RawTable, table: Table) -> list[Problem]:
    """The header row: every required column once, and no heading the table does not know."""
    file, headings = str(raw.path), list(raw.frame.columns)
    problems = []
    for name, col in table.columns.items():
        if name not in headings:
            if col.required:
                problems.append(Problem(file, 1, name, "kolumnen saknas i rubrikraden"))
        elif headings.count(name) > 1:
            problems.append(
                Problem(file, 1, name, "kolumnen förekommer flera gånger i rubrikraden")
            )
    return problems + _unknown_columns(raw, table)


def _unknown_columns(raw: RawTable, table: Table) -> list[Problem]:
    """A heading the table does not declare: refused, with the closest declared name.

    An optional column spelled wrongly (``partners``) would otherwise vanish without a word.
    A column with no heading and no values (trailing separators) is ignored.
    """
    known = list(table.columns)
    problems = []
    for position, heading in enumerate(raw.frame.columns):
        if heading in table.columns:
            continue
        if heading == "":
            cells = raw.frame.iloc[:, position]
            if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
                continue
            problems.append(
                Problem(
                    str(raw.path), 1, None, f"kolumn {position + 1} har värden men ingen rubrik"
                )
            )
            continue
        close = [k for k in known if k.lower() == heading.lower().strip()]
        close = close or difflib.get_close_matches(
            heading, known, n=1, cutoff=0.8 if table.extra_columns else 0.6
        )
        if table.extra_columns and not close:
            continue
        hint = f"menade du '{close[0]}'?" if close else "kända kolumner: " + ", ".join(known)
        problems.append(Problem(str(raw.path), 1, heading, f"okänd kolumn; {hint}"))
    return problems


PARSED_LIMIT = 100_000
"""Distinct cells of one column whose parsed value is remembered (see :func:`_parse_once`)."""


def _parse_once(parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``parse``, remembering the value (or the error) of each distinct cell.

    A large table repeats its values (a date, a number of hours, a task on a million rows): each
    is parsed once and its value shared, up to :data:`PARSED_LIMIT` distinct cells. The cell's
    type is part of the key, so a workbook's ``1`` and ``1.0`` stay apart. The values are
    immutable (str, int, Decimal, date), so sharing them is safe.
    """
    seen: dict[tuple[type, Any], Any] = {}

    def parse_cell(cell: Any) -> Any:
        key = (cell.__class__, cell)
        found = seen.get(key, seen)
        if found is seen:
            try:
                found = parse(cell)
            except CellError as exc:
                found = exc
            if len(seen) < PARSED_LIMIT:
                seen[key] = found
        if isinstance(found, CellError):
            raise CellError(str(found))
        return found

    return parse_cell


def parse_table(raw: RawTable, table: Table) -> pd.DataFrame:
    """Type and validate a raw table; raise one InputError listing every problem.

    Every cell is checked, also the other cells of a row that has a bad cell, so one pass shows
    every problem of the file. A cell that cannot be read is reported once (not again by a value
    rule); a row with a bad key cell is left out of the duplicate-key check, and rows with any bad
    cell are left out of the table's cross-column checks (``row_checks``).
    """
    file = str(raw.path)
    raw = _skip_rows(raw, table)
    raw = _named_headings(raw, table)
    headings = list(raw.frame.columns)
    problems = _heading_problems(raw, table)
    if problems:
        raise InputError(problems)
    if table.min_rows and len(raw.frame) < table.min_rows:
        raise InputError.single(
            file,
            "inga rader ännu: " + (table.one_row or "en obligatorisk tabell måste ha minst en rad"),
        )

    typed: dict[str, list[Any]] = {}
    bad_cells: set[tuple[int, str]] = set()
    for name, col in table.columns.items():
        values: list[Any] = []
        cells = raw.frame[name] if name in headings else [""] * len(raw.frame)
        parse = _parse_once(PARSERS[col.kind])
        for position, cell in enumerate(cells):
            if cell is None or (isinstance(cell, str) and not cell.strip()):
                if col.required:
                    problems.append(Problem(file, raw.rows[position], name, "värde saknas"))
                    bad_cells.add((position, name))
                values.append(None)
                continue
            try:
                values.append(parse(cell))
            except CellError as exc:
                problems.append(Problem(file, raw.rows[position], name, str(exc)))
                bad_cells.add((position, name))
                values.append(None)
        typed[name] = values
    frame = pd.DataFrame(typed, index=range(len(raw.frame)), dtype=object)
    typed.clear()  # the lists are in the frame now (a large table holds them only once)
    # A table without rows has every column and no value to break a rule: nothing to validate.
    if len(frame):
        try:
            table.pandera().validate(frame, lazy=True)
        except pa.errors.SchemaErrors as exc:
            problems.extend(_schema_problems(exc, raw, table, bad_cells))
    good = frame.drop(index=sorted({position for position, _ in bad_cells})) if bad_cells else frame
    for check in table.row_checks:
        problems.extend(check(good.assign(_row=[raw.rows[i] for i in good.index]), file))
    if problems:
        raise InputError(
            sorted(set(problems), key=lambda p: (p.row or 0, p.column or "", p.message))
        )
    return _finalise(frame, table)


def _finalise(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Give integer columns an integer dtype; keep money as Decimal objects."""
    out = frame.copy(deep=False)  # copy on write: the columns changed below are new ones
    for name, col in table.columns.items():
        if col.kind == "int":
            out[name] = out[name].astype("Int64" if not col.required else "int64")
        elif col.kind in ("text", "code"):
            out[name] = out[name].astype(object)
    return out


def read_table(path: str | Path, table: Table) -> pd.DataFrame:
    """Read any accepted file format into a typed, validated table."""
    return parse_table(read_raw(path), table)


def data_dictionary(tables: Iterable[Table]) -> pd.DataFrame:
    """One row per table and column: kind, unit, rule and meaning in Swedish and English."""
    rows = []
    for table in tables:
        for name, col in table.columns.items():
            rows.append(
                {
                    "table": table.name,
                    "column": name,
                    "kind": col.kind,
                    "unit": col.unit,
                    "required": col.required,
                    "rule": col.rule(),
                    "description_sv": col.sv,
                    "description_en": col.en,
                }
            )
    return pd.DataFrame(rows)
