"""Files for the finance officer: the fee table and the budget as CSV and Excel.

CSV is the machine-readable contract of docs/design.md: UTF-8, comma separator, the column names of
:data:`foui_analysis.domain.fees.FEE_COLUMNS`, money in whole kronor. Excel is the invoicing basis
read by people: Swedish headings; per year an invoice sheet with only what is invoiced (per
municipality and in total), a sheet with what is not invoiced (the övergripande frame) with its
own totals, and every row; a summary sheet; number formats with a space as thousands separator.
No sum adds invoiced and non-invoiced amounts. Totals are the library's exact sums
(never recomputed in Excel), so the workbook reconciles with the CSV to the krona.

Every file is written to a temporary file beside the target and moved into place, so a failure
never leaves a half-written file.

Formula injection: a municipality name or an activity title typed as ``=HYPERLINK(...)`` must
not become a live formula in the finance officer's spreadsheet. Text cells of the CSV that begin
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return get a leading ``'`` (OWASP's "CSV
injection" advice; the csv module quotes the cell when needed), and every text cell of a workbook
is written as text (never as a formula), with Excel's quote prefix on the formula-like ones.
Numbers stay numbers: only text is touched, and a text that is a plain number (``-1500``,
``4,5``) is left as it is.
"""

from __future__ import annotations

import errno
import os
import re
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from foui_analysis.domain.agreement import AREA_NAMES, FUNDING_SOURCES, Agreement
from foui_analysis.presentation.headings import BUDGET_HEADINGS, FEE_HEADINGS

MONEY_FORMAT = '#,##0 "kr";-#,##0 "kr"'
INT_FORMAT = "#,##0"
KIND_NAMES = {"intakt": "Intäkt", "kostnad": "Kostnad"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""How a spreadsheet cell that a program would read as a formula begins (OWASP)."""
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9][0-9 \u00a0]*([.,][0-9]+)?")


def neutralise(value: object) -> object:
    """A text cell that could be read as a formula, prefixed with ``'``; anything else as is."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not _PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every formula-like text cell neutralised (text columns only)."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    out.columns = [neutralise(c) for c in out.columns]
    return out


def _file_mode(target: Path) -> int:
    """The permissions the file should get: the replaced file's, else what the umask allows."""
    if target.exists():
        return target.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextmanager
def atomic_path(target: Path):
    """Yield a temporary path beside ``target``; move it into place only on success.

    The file gets the permissions an ordinary write would give it (the temporary file is
    private while it is written), so colleagues sharing the folder can read the result.
    """
    for parent in target.parents:
        if parent.exists() and not parent.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, "är en fil, inte en katalog", str(parent))
    if target.is_dir():
        raise IsADirectoryError(errno.EISDIR, "är en katalog", str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, _file_mode(target))
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_csv(frame: pd.DataFrame, out: Path | None) -> None:
    """Write CSV to ``out`` atomically, or to standard output when ``out`` is None."""
    frame = neutralise_frame(frame)
    if out is None:
        frame.to_csv(sys.stdout, index=False, lineterminator="\n")
        return
    with atomic_path(out) as tmp:
        frame.to_csv(tmp, index=False, lineterminator="\n", encoding="utf-8")


def readable_fees(table: pd.DataFrame, agreement: Agreement) -> pd.DataFrame:
    """The fee table with Swedish names for components and funding sources."""
    names = {c.id: c.name for c in agreement.components}
    out = table.copy()
    out["component"] = out["component"].map(names)
    out["funding_source"] = out["funding_source"].map(FUNDING_SOURCES)
    out["rate_sek_per_inhabitant"] = out["rate_sek_per_inhabitant"].map(
        lambda r: None if r is None or pd.isna(r) else float(r)
    )
    out["invoiced"] = out["invoiced"].map(lambda v: "Ja" if v else "Nej")
    return out


def _write_sheet(
    writer,
    name: str,
    frame: pd.DataFrame,
    headings: dict[str, str],
    total_columns: list[str],
    total_label: str = "Summa",
) -> None:
    shown = frame.rename(columns=headings)
    shown.to_excel(writer, sheet_name=name, index=False)
    sheet = writer.sheets[name]
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    _cells_as_text(sheet)
    last = len(shown) + 1
    if total_columns:
        sheet.cell(row=last + 1, column=1, value=total_label).font = bold
        for column in total_columns:
            idx = list(frame.columns).index(column) + 1
            cell = sheet.cell(row=last + 1, column=idx, value=int(frame[column].sum()))
            cell.font = bold
    for idx, column in enumerate(frame.columns, start=1):
        fmt = (
            MONEY_FORMAT
            if column.endswith("_sek")
            else (INT_FORMAT if column == "population" else None)
        )
        letter = get_column_letter(idx)
        width = (
            max(
                len(str(headings.get(column, column))),
                *(len(str(v)) for v in frame[column].head(200)),
                8,
            )
            + 2
        )
        sheet.column_dimensions[letter].width = min(width, 45)
        if fmt:
            # the data rows, and the total row when there is one (never an empty extra row)
            for row in range(2, last + (2 if total_columns else 1)):
                sheet.cell(row=row, column=idx).number_format = fmt
    sheet.freeze_panes = "A2"


def _cells_as_text(sheet) -> None:
    """Every text cell of ``sheet`` as text: openpyxl stores a text beginning with ``=`` as a
    formula, which Excel would evaluate; formula-like text also gets Excel's quote prefix."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and (
                cell.data_type == "f" or cell.value.startswith(FORMULA_STARTS)
            ):
                cell.data_type = "s"
                cell.quotePrefix = True


def write_fee_workbook(tables: dict[int, pd.DataFrame], agreement: Agreement, out: Path) -> None:
    """Per year: the invoice sheet (only invoiced amounts, per municipality and in total), the
    frame sheet (what is not invoiced, with its own totals) and every row; and a summary sheet
    per year and component. No sum anywhere adds invoiced and non-invoiced amounts.
    """
    from foui_analysis.domain import fees

    summary_rows = []
    for year, table in tables.items():
        for component in agreement.components:
            rows = table[table["component"] == component.id]
            if rows.empty:
                continue
            summary_rows.append(
                {
                    "year": year,
                    "component": component.name,
                    "funding_source": FUNDING_SOURCES[rows["funding_source"].iloc[0]],
                    "invoiced": "Ja" if component.invoiced else "Nej",
                    "population": int(rows["population"].sum()),
                    "fee_sek": int(rows["fee_sek"].sum()),
                }
            )
    summary = pd.DataFrame(summary_rows)
    names = {c.id: c.name for c in agreement.components}
    with atomic_path(out) as tmp, pd.ExcelWriter(tmp, engine="openpyxl") as writer:
        _write_sheet(
            writer, "Sammanfattning", summary, {**FEE_HEADINGS, "invoiced": "Faktureras"}, []
        )
        for year, table in tables.items():
            bill = fees.invoice(agreement, table, year)
            money = [c for c in bill.columns if c.endswith("_sek")]
            headings = {
                **FEE_HEADINGS,
                **{
                    c: f"{names.get(c.removesuffix('_sek'), c)} (kr)"
                    for c in money
                    if c != "invoiced_sek"
                },
            }
            _write_sheet(writer, f"Faktura {year}", bill, headings, money, "Summa att fakturera")
            frame = fees.not_invoiced(agreement, table, year)
            if not frame.empty:
                frame_money = [c for c in frame.columns if c.endswith("_sek")]
                frame_headings = {
                    **FEE_HEADINGS,
                    **{
                        c: f"{names.get(c.removesuffix('_sek'), c)}, faktureras inte (kr)"
                        for c in frame_money
                    },
                }
                _write_sheet(
                    writer,
                    f"Faktureras inte {year}",
                    frame,
                    frame_headings,
                    frame_money,
                    "Summa per komponent (faktureras inte)",
                )
            _write_sheet(
                writer,
                f"Avgifter {year}",
                readable_fees(table, agreement),
                FEE_HEADINGS,
                [],
            )


def write_budget_workbook(sheets: dict[str, pd.DataFrame], out: Path) -> None:
    """Each named frame as a sheet with Swedish headings; areas and kinds named in Swedish."""
    with atomic_path(out) as tmp, pd.ExcelWriter(tmp, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            shown = frame.copy()
            if "area" in shown:
                shown["area"] = shown["area"].map(lambda a: AREA_NAMES.get(a, "Totalt"))
            if "kind" in shown:
                shown["kind"] = shown["kind"].map(KIND_NAMES)
            if "funding_source" in shown:
                shown["funding_source"] = shown["funding_source"].map(
                    lambda s: FUNDING_SOURCES.get(s, "")
                )
            _write_sheet(writer, name, shown, BUDGET_HEADINGS, [])
