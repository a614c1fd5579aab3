"""Read the tables that Swedish spreadsheets and finance systems export.

Method
------
A file is read as text cells, without interpreting any value; typing is the schemas' job
(:mod:`foui_analysis.schemas`), so every value gets one clear message naming its row and column.

* ``.xlsx``: the first worksheet, through openpyxl; the first non-empty row is the header. Cells
  keep the Python value openpyxl gives (numbers, dates, text).
* Text (``.csv``, ``.txt``, ``.tsv``): the encoding is UTF-8 (with or without BOM) when the bytes
  decode as UTF-8, otherwise Windows-1252, the encoding of Excel's "CSV (semikolonavgränsad)" on
  Swedish Windows; a file that starts with a UTF-16 byte order mark (Excel's "Unicode-text",
  tab-separated) is read as UTF-16. The separator is the one of ``;``, ``,`` and tab that occurs
  most often in the header line outside quotes. Cells are kept as strings, so ``1 247 180`` and
  ``12,5`` reach the schema unchanged.

Row numbers are those a user sees in a spreadsheet: the header is row 1. Empty rows are skipped
and keep their numbers counted.

A quoted cell may span several lines (a line break typed in a spreadsheet cell); it stays one
row, as in the spreadsheet. A quote that is never closed is an error naming where it starts.

Known limits: only the first worksheet of a workbook is read; row numbers count records, so after
a cell with line breaks they differ from the line numbers a text editor shows; a text file in an
encoding other than UTF-8, Windows-1252 or UTF-16 with a byte order mark is read wrongly or
rejected; a workbook's formula cells are read from the values Excel saved with them, so a
workbook written by a program that does not compute formulas gives empty cells.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from foui_analysis.errors import InputError

TEXT_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
SEPARATORS = (";", ",", "\t")


@dataclass(frozen=True)
class RawTable:
    """Cells of one file as read, before typing; ``rows`` holds each data row's row number."""

    path: Path
    frame: pd.DataFrame
    rows: list[int]
    encoding: str | None = None
    separator: str | None = None


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """Decode file bytes: UTF-8 (BOM optional) if valid, else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise InputError.single(path, f"kan inte läsa UTF-16-texten: {exc.reason}") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise InputError.single(
            path, f"kan inte läsa teckenkodningen (varken UTF-8 eller Windows-1252): {exc.reason}"
        ) from None


def sniff_separator(header_line: str) -> str:
    """The separator among ``; , tab`` that splits the header line into most fields."""
    best, best_count = ",", 0
    for sep in SEPARATORS:
        count = len(next(csv.reader([header_line], delimiter=sep)))
        if count > best_count:
            best, best_count = sep, count
    return best


def read_text(path: Path) -> RawTable:
    text, encoding = decode(path.read_bytes(), path)
    lines = text.splitlines()
    header_index = next((i for i, line in enumerate(lines) if line.strip()), None)
    if header_index is None:
        raise InputError.single(path, "filen är tom; väntade en rubrikrad och datarader")
    separator = sniff_separator(lines[header_index])
    # newline="": the csv module sees \r\n, \n and a lone \r (old Mac exports) as line ends.
    # strict: a quote that is never closed is an error, not a field that swallows the rest of
    # the file (which would silently drop every row after it).
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    header: list[str] | None = None
    records: list[list[str]] = []
    rows: list[int] = []
    numbered: list[tuple[int, list[str]]] = []
    last_line = 0
    try:
        for record in reader:
            numbered.append((len(numbered) + 1, record))
            last_line = reader.line_num
    except csv.Error as exc:
        raise InputError.single(
            path,
            f"kan inte läsas som avgränsad text från textrad {last_line + 1}: {exc}; kontrollera "
            'citattecknen (") i den raden',
            row=len(numbered) + 1,
        ) from None
    for line_no, record in numbered:
        if not any(cell.strip() for cell in record):
            continue
        if header is None:
            header = [cell.strip() for cell in record]
            continue
        if len(record) != len(header):
            raise InputError.single(
                path,
                f"raden har {len(record)} fält men rubrikraden har {len(header)} "
                f"(avgränsare '{separator}'); kontrollera citattecken och avgränsare",
                row=line_no,
            )
        records.append(record)
        rows.append(line_no)
    if header is None:  # only separators, e.g. ";;;;" lines from an empty spreadsheet
        raise InputError.single(path, "filen är tom; väntade en rubrikrad och datarader")
    frame = pd.DataFrame(records, columns=header, dtype=object)
    return RawTable(path, frame, rows, encoding, separator)


def read_excel(path: Path) -> RawTable:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise InputError.single(path, f"kan inte öppnas som Excel-fil (.xlsx): {exc}") from None
    try:
        sheet = workbook.worksheets[0]
        header: list[str] | None = None
        records: list[list[object]] = []
        rows: list[int] = []
        for row_no, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            if header is None:
                header = ["" if v is None else str(v).strip() for v in values]
                continue
            cells = ["" if v is None else v for v in values]
            cells = (cells + [""] * len(header))[: len(header)]
            records.append(cells)
            rows.append(row_no)
    finally:
        workbook.close()
    if header is None:
        raise InputError.single(path, "arbetsbladet är tomt; väntade en rubrikrad och datarader")
    while header and header[-1] == "":
        header.pop()
    frame = pd.DataFrame([r[: len(header)] for r in records], columns=header, dtype=object)
    return RawTable(path, frame, rows)


def read_raw(path: str | Path) -> RawTable:
    """Read a table file into untyped cells, whatever dialect or format it comes in."""
    path = Path(path)
    if not path.exists():
        raise InputError.single(path, "filen finns inte")
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return read_excel(path)
    if suffix in TEXT_SUFFIXES:
        return read_text(path)
    raise InputError.single(
        path, f"okänt filformat '{suffix}'; väntade .csv, .txt, .tsv eller .xlsx"
    )
