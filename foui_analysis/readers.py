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

pandas and numpy are imported where a table is built, not with the module: reading a TOML file
(:func:`read_toml`, the runner's path when there is nothing to do) does not pay for them.

Known limits: only the first worksheet of a workbook is read; row numbers count records, so after
a cell with line breaks they differ from the line numbers a text editor shows; a text file in an
encoding other than UTF-8, Windows-1252 or UTF-16 with a byte order mark is read wrongly or
rejected; a workbook's formula cells are read from the values Excel saved with them, so a
workbook written by a program that does not compute formulas gives empty cells.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from foui_analysis import progress
from foui_analysis.errors import InputError
from foui_analysis.progress import Progress

if TYPE_CHECKING:
    import pandas as pd

TEXT_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
SEPARATORS = (";", ",", "\t")
MAX_CELL_CHARS = 10_000_000
"""The longest cell read (a pasted document of 1 MB is fine; Python's csv default is 131 072)."""
csv.field_size_limit(MAX_CELL_CHARS)


@dataclass(frozen=True)
class RawTable:
    """Cells of one file as read, before typing; ``rows`` holds each data row's row number."""

    path: Path
    frame: pd.DataFrame
    rows: list[int]
    encoding: str | None = None
    separator: str | None = None


_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def _where(data: bytes, offset: int) -> tuple[int, str | None]:
    """The row (line, header = 1) and the column (its heading) of the byte at ``offset``."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    row = data.count(b"\n", 0, offset) + 1
    first_line = data.split(b"\n", 1)[0].decode("utf-8", "replace").lstrip("\ufeff")
    separator = sniff_separator(first_line)
    header = next(csv.reader([first_line], delimiter=separator), [])
    before = data[line_start:offset].decode("utf-8", "replace")
    index = len(next(csv.reader([before], delimiter=separator), [""])) - 1
    column = header[index].strip() if 0 <= index < len(header) else None
    return row, column


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """Decode file bytes in one encoding: UTF-8 (BOM optional), else Windows-1252.

    A file must decode entirely in one encoding: one that holds UTF-8 letters (``å`` as two
    bytes) and also bytes that are not UTF-8 (a Windows-1252 ``å`` pasted in) is refused,
    naming the row and column of the first bad byte, rather than read as Windows-1252 with
    every UTF-8 letter garbled (``UmeÃ¥``).
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise InputError.single(path, f"kan inte läsa UTF-16-texten: {exc.reason}") from None
    bom = data.startswith(b"\xef\xbb\xbf")
    body = data[3:] if bom else data
    try:
        return body.decode("utf-8"), "utf-8-sig" if bom else "utf-8"
    except UnicodeDecodeError as exc:
        if bom or _UTF8_MULTIBYTE.search(body):
            row, column = _where(body, exc.start)
            raise InputError.single(
                path,
                f"filen blandar teckenkodningar: den är UTF-8 men byte 0x{body[exc.start]:02X} "
                f"(position {exc.start + 1 + (3 if bom else 0)}) är inte UTF-8 (troligen "
                "Windows-1252). Spara hela filen i en kodning, helst UTF-8",
                row=row,
                column=column,
            ) from None
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        row, column = _where(data, exc.start)
        raise InputError.single(
            path,
            f"kan inte läsa teckenkodningen (varken UTF-8 eller Windows-1252): byte "
            f"0x{data[exc.start]:02X} på position {exc.start + 1}. Spara filen som UTF-8",
            row=row,
            column=column,
        ) from None


def sniff_separator(header_line: str) -> str:
    """The separator among ``; , tab`` that splits the header line into most fields."""
    best, best_count = ",", 0
    for sep in SEPARATORS:
        count = len(next(csv.reader([header_line], delimiter=sep)))
        if count > best_count:
            best, best_count = sep, count
    return best


CHUNK_BYTES = 1 << 24
"""How much of a text file is read at a time (16 MB): a large file is never held whole."""
BATCH_ROWS = 20_000
"""Rows gathered before they are added to the columns (bounds the memory of the rows in hand)."""
SHARED_LIMIT = 50_000
"""Distinct values per column kept shared: a column with more (an id) keeps its own strings."""


def _utf8_encoding(path: Path, shown: Progress | None) -> str | None:
    """``utf-8`` or ``utf-8-sig`` when the whole file decodes as UTF-8, read a piece at a time;
    ``None`` for anything else (a UTF-16 byte order mark, a byte that is not UTF-8), which
    :func:`decode` then reads whole and either decodes or names the first bad byte."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as f:
        head = f.read(3)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            return None
        bom = head == b"\xef\xbb\xbf"
        try:
            decoder.decode(b"" if bom else head)
            while chunk := f.read(CHUNK_BYTES):
                decoder.decode(chunk)
                if shown is not None:
                    shown.update(f.tell() / 2)  # the first of two passes over the file
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return None
    return "utf-8-sig" if bom else "utf-8"


def _header_line(stream: io.TextIOBase) -> str | None:
    """The first line of ``stream`` that is not blank, as :meth:`str.splitlines` cuts lines."""
    buffer = ""
    while True:
        chunk = stream.read(65_536)
        buffer += chunk
        lines = buffer.splitlines()
        for line in lines if not chunk else lines[:-1]:  # the last may go on in the next chunk
            if line.strip():
                return line
        if not chunk:
            return None


class _Columns:
    """The cells of the data rows, gathered column by column.

    Equal cells of a column share one string (a date, an area, a title repeated over a million
    rows is one object), until a column has more than :data:`SHARED_LIMIT` distinct values.
    """

    def __init__(self, width: int) -> None:
        self.values: list[list[str]] = [[] for _ in range(width)]
        self.shared: list[dict[str, str] | None] = [{} for _ in range(width)]
        self.batch: list[list[str]] = []

    def add(self, record: list[str]) -> None:
        self.batch.append(record)
        if len(self.batch) >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self.batch:
            return
        for index, cells in enumerate(zip(*self.batch, strict=True)):
            shared = self.shared[index]
            if shared is None:
                self.values[index].extend(cells)
                continue
            keep = shared.setdefault
            self.values[index].extend([keep(cell, cell) for cell in cells])
            if len(shared) > SHARED_LIMIT:
                self.shared[index] = None
        self.batch = []

    def frame(self, header: list[str]) -> pd.DataFrame:
        import numpy as np
        import pandas as pd

        self.flush()
        if not self.values or not self.values[0]:
            return pd.DataFrame([], columns=header, dtype=object)
        arrays = {}
        for index in range(len(self.values)):
            arrays[index] = np.array(self.values[index], dtype=object)
            self.values[index] = []  # each list freed as soon as its column is built
        frame = pd.DataFrame(arrays, dtype=object, copy=False)
        frame.columns = header
        return frame


def read_text(path: Path, shown: Progress | None = None) -> RawTable:
    """Read a text table (see the module docstring), a piece at a time.

    A UTF-8 file (the usual case) is streamed: it is decoded once to check that it is UTF-8
    throughout, then read again record by record into columns, so the whole text is never held
    in memory (a 200 MB file of 1.6 million rows is read with a few hundred MB). A file in
    another encoding is read whole through :func:`decode`, which says what is wrong with it.
    """
    encoding = _utf8_encoding(path, shown)
    if encoding is None:
        text, encoding = decode(path.read_bytes(), path)
        return _parse_text(path, lambda: io.StringIO(text, newline=""), encoding, None, 0)
    size = path.stat().st_size

    def open_text() -> io.TextIOBase:
        return open(path, encoding=encoding, newline="")  # noqa: SIM115 (closed by the caller)

    return _parse_text(path, open_text, encoding, shown, size)


def _parse_text(
    path: Path,
    open_text: Callable[[], io.TextIOBase],
    encoding: str,
    shown: Progress | None,
    size: int,
) -> RawTable:
    with open_text() as stream:
        header_line = _header_line(stream)
    if header_line is None:
        raise InputError.single(path, "filen är tom; väntade en rubrikrad och datarader")
    separator = sniff_separator(header_line)
    header: list[str] | None = None
    columns: _Columns | None = None
    rows: list[int] = []
    number = last_line = 0
    width_error: InputError | None = None
    # newline="": the csv module sees \r\n, \n and a lone \r (old Mac exports) as line ends.
    # strict: a quote that is never closed is an error, not a field that swallows the rest of
    # the file (which would silently drop every row after it). A quoting error anywhere in the
    # file is reported before a row with the wrong number of fields, as when the file was read
    # whole before its rows were looked at.
    with open_text() as stream:
        reader = csv.reader(stream, delimiter=separator, strict=True)
        try:
            for record in reader:
                number += 1
                last_line = reader.line_num
                if shown is not None and number % 65_536 == 0:
                    shown.update(size / 2 + stream.buffer.tell() / 2)  # type: ignore[attr-defined]
                if width_error is not None or not any(cell.strip() for cell in record):
                    continue
                if header is None:
                    header = [cell.strip() for cell in record]
                    columns = _Columns(len(header))
                    continue
                if len(record) != len(header):
                    width_error = InputError.single(
                        path,
                        f"raden har {len(record)} fält men rubrikraden har {len(header)} "
                        f"(avgränsare '{separator}'); kontrollera citattecken och avgränsare",
                        row=number,
                    )
                    columns = None  # the rows read so far are not needed any more
                    continue
                assert columns is not None
                columns.add(record)
                rows.append(number)
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise InputError.single(
                    path,
                    f"en cell är längre än {MAX_CELL_CHARS:,} tecken".replace(",", " ")
                    + "; korta texten eller dela upp den",
                    row=number + 1,
                ) from None
            raise InputError.single(
                path,
                f"kan inte läsas som avgränsad text från textrad {last_line + 1}: {exc}; "
                'kontrollera citattecknen (") i den raden',
                row=number + 1,
            ) from None
    if width_error is not None:
        raise width_error
    if header is None or columns is None:  # only separators, e.g. ";;;;" lines
        raise InputError.single(path, "filen är tom; väntade en rubrikrad och datarader")
    return RawTable(path, columns.frame(header), rows, encoding, separator)


def read_excel(path: Path) -> RawTable:
    import pandas as pd
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
    if path.is_dir():
        raise InputError.single(path, "är en katalog; väntade en fil med tabellen")
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        with progress.bar(f"Läser {path.name}"):
            return read_excel(path)
    if suffix in TEXT_SUFFIXES:
        with progress.bar(f"Läser {path.name}", path.stat().st_size) as shown:
            return read_text(path, shown)
    raise InputError.single(
        path, f"okänt filformat '{suffix}'; väntade .csv, .txt, .tsv eller .xlsx"
    )


def has_rows(path: str | Path) -> bool:
    """True unless the table file has a header and no data rows (an untouched template).

    A text file larger than 64 kB has rows without being read; a file that cannot be read
    counts as having rows (its reader will say what is wrong with it).
    """
    path = Path(path)
    try:
        if path.suffix.lower() in TEXT_SUFFIXES and path.stat().st_size > 65_536:
            return True
        return not read_raw(path).frame.empty
    except (InputError, OSError):
        return True


def read_toml(path: str | Path, what: str = "filen") -> dict:
    """A TOML file (the agreement, ``dataset.toml``) as a dict; InputError with what to do.

    TOML is UTF-8: a byte order mark is skipped, and a file saved as UTF-16 with a byte order
    mark (Windows Notepad's "Unicode") is read too; any other encoding (Windows-1252) is refused
    naming the row of the first byte that is not UTF-8.
    """
    import tomllib

    path = Path(path)
    if path.is_dir():
        raise InputError.single(path, f"{what} är en katalog; väntade en TOML-fil")
    if not path.exists():
        raise InputError.single(path, f"{what} finns inte")
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError.single(
                path, f"{what} kan inte läsas som UTF-16 ({exc.reason}); spara den som UTF-8"
            ) from None
    else:
        body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            row = body.count(b"\n", 0, exc.start) + 1
            raise InputError.single(
                path,
                f"{what} är inte UTF-8: byte 0x{body[exc.start]:02X} (troligen Windows-1252). "
                "Spara filen som UTF-8",
                row=row,
            ) from None
    try:
        return tomllib.loads(text.lstrip("\ufeff"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError.single(path, f"ogiltig TOML: {exc}") from None
