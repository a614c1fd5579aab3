"""Excel templates of the inputs: what ``foui init`` puts in a new data set for an office to fill.

Method
------
One workbook per input (``activities.xlsx`` ...), written from the input's schema declaration
(:mod:`foui_analysis.schemas.inputs`), so a template never disagrees with what ``foui check``
accepts:

* the first sheet holds the data (``foui check`` reads the first sheet): one header row, each
  heading the column's Swedish description followed by its name in parentheses, ``Datum
  (ÅÅÅÅ-MM-DD) (date)``; the readers take a heading ending in ``(name)`` as that column, and the
  name is what error messages cite;
* cell validation (Excel's data validation, so most mistakes cannot be typed): a drop-down list for
  every column with a fixed set of values (area, kind, line, role, status, goal) and for the task
  (1-6); for municipality codes a drop-down of the members' codes, whose names stand beside them
  on the sheet ``Kommuner``; dates within the agreement period; whole numbers, and numbers, at
  least their lower bound (``>= 0``);
* a sheet ``Instruktioner`` with what one row is, every column's rule and meaning in Swedish, and
  how to check the file.

Rows given to :func:`write_template` (the goal framework, the indicator-year rows of the targets)
are written below the header.

Known limits: Excel's validation checks what is typed, not what is pasted; a list of
several municipality codes (``2580|2581``) cannot be a drop-down, so that column is free text
checked by ``foui check``; LibreOffice shows the same validation, other programs may not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from foui_analysis.schemas import Col, Table

DATA_SHEET = "Data"
INSTRUCTIONS_SHEET = "Instruktioner"
MUNICIPALITIES_SHEET = "Kommuner"
FIRST_ROW, LAST_ROW = 2, 5000
"""Validation covers data rows 2-5000."""

MUNICIPALITY_COLUMNS = {"municipality_code"}


@dataclass(frozen=True)
class Template:
    """What a template says about its input beyond the schema."""

    table: Table
    one_row: str
    """What one row is, in Swedish (``en rad per aktivitet``)."""
    required: bool


def heading(name: str, col: Col) -> str:
    """The Swedish heading of a column: its description and, in parentheses, its name."""
    return f"{col.sv} ({name})"


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def _validation(name: str, col: Col, first: dt.date | None, last: dt.date | None, n_members: int):
    """The DataValidation of a column, or None when its values are free text."""
    from openpyxl.worksheet.datavalidation import DataValidation

    def make(**kwargs) -> DataValidation:
        dv = DataValidation(allow_blank=not col.required, showErrorMessage=True, **kwargs)
        dv.errorTitle = "Ogiltigt värde"
        dv.promptTitle = name
        rule = col.rule() or "fritt värde"
        dv.error = f"{col.sv}: {rule}"[:255]
        dv.prompt = f"{col.sv}. {rule}"[:255]
        dv.showInputMessage = True
        return dv

    if col.allowed:
        return make(type="list", formula1='"' + ",".join(col.allowed) + '"')
    if name in MUNICIPALITY_COLUMNS:
        dv = make(type="list", formula1=f"{MUNICIPALITIES_SHEET}!$A$2:$A${n_members + 1}")
        dv.prompt = "Välj kommunkod; kommunernas namn står på bladet Kommuner"
        return dv
    if col.kind == "int" and col.ge is not None and col.le is not None and col.le - col.ge <= 10:
        values = ",".join(str(v) for v in range(int(col.ge), int(col.le) + 1))
        return make(type="list", formula1=f'"{values}"')
    if col.kind == "int" and name == "year" and first and last:
        return make(type="whole", operator="between", formula1=first.year, formula2=last.year)
    if col.kind == "int":
        if col.ge is not None and col.le is not None:
            return make(type="whole", operator="between", formula1=col.ge, formula2=col.le)
        if col.ge is not None:
            return make(type="whole", operator="greaterThanOrEqual", formula1=int(col.ge))
        return make(type="whole", operator="between", formula1=-(10**12), formula2=10**12)
    if col.kind in ("decimal", "money"):
        if col.ge is not None and col.le is not None:
            return make(type="decimal", operator="between", formula1=col.ge, formula2=col.le)
        if col.ge is not None:
            return make(type="decimal", operator="greaterThanOrEqual", formula1=col.ge)
        return make(type="decimal", operator="between", formula1=-(10**12), formula2=10**12)
    if col.kind == "date" and first and last:
        return make(
            type="date",
            operator="between",
            formula1=f"DATE({first.year},{first.month},{first.day})",
            formula2=f"DATE({last.year},{last.month},{last.day})",
        )
    return None


def write_template(
    path: Path,
    template: Template,
    members: Sequence[tuple[str, str]],
    period: tuple[dt.date, dt.date] | None = None,
    rows: Iterable[dict] = (),
) -> Path:
    """Write the Excel template of one input; ``members`` are (code, name) pairs."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    table = template.table
    first, last = period or (None, None)
    book = Workbook()
    sheet = book.active
    sheet.title = DATA_SHEET
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for index, (name, col) in enumerate(table.columns.items(), start=1):
        cell = sheet.cell(row=1, column=index, value=heading(name, col))
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        letter = _column_letter(index)
        sheet.column_dimensions[letter].width = 16 if col.kind in ("int", "date") else 28
        dv = _validation(name, col, first, last, len(members))
        if dv is not None:
            sheet.add_data_validation(dv)
            dv.add(f"{letter}{FIRST_ROW}:{letter}{LAST_ROW}")
        fmt = {"date": "yyyy-mm-dd", "text": "@", "code": "@"}.get(col.kind)
        if fmt:
            for row in range(FIRST_ROW, FIRST_ROW + 200):
                sheet.cell(row=row, column=index).number_format = fmt
    sheet.freeze_panes = "A2"
    sheet.row_dimensions[1].height = 45
    for row_no, values in enumerate(rows, start=FIRST_ROW):
        for index, name in enumerate(table.columns, start=1):
            value = values.get(name)
            if value is not None:
                sheet.cell(row=row_no, column=index, value=value)

    info = book.create_sheet(INSTRUCTIONS_SHEET)
    required = "obligatorisk" if template.required else "frivillig"
    lines = [
        (f"{table.sv} ({table.name}, {required})", None),
        (f"Fyll i bladet {DATA_SHEET}: {template.one_row}. Rubrikraden ska stå kvar.", None),
        (
            "Spara filen i datakatalogen med samma namn och kontrollera med: "
            "foui check --data KATALOG. Felmeddelanden anger fil, rad och kolumn "
            "(kolumnens namn inom parentes i rubriken).",
            None,
        ),
        ("", None),
        ("Kolumn", "Regel och betydelse"),
    ]
    for name, col in table.columns.items():
        rule = col.rule() or "fritt värde"
        unit = f" Enhet: {col.unit}." if col.unit else ""
        must = "Måste fyllas i." if col.required else "Får lämnas tom."
        lines.append((heading(name, col), f"{must} {rule}.{unit}"))
    for number, (a, b) in enumerate(lines, start=1):
        info.cell(row=number, column=1, value=a)
        if b is not None:
            info.cell(row=number, column=2, value=b)
    info["A1"].font = Font(bold=True, size=13)
    info["A5"].font = info["B5"].font = bold
    info.column_dimensions["A"].width = 60
    info.column_dimensions["B"].width = 90

    places = book.create_sheet(MUNICIPALITIES_SHEET)
    places.append(["Kommunkod", "Kommun"])
    for code, name in members:
        places.append([code, name])
    places["A1"].font = places["B1"].font = bold
    places.column_dimensions["B"].width = 20

    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path
