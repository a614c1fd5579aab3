"""The ledger (utfall) from the finance system: SIE 4 files to ``ledger.csv``, reconciled.

Method
------
``foui import sie FILE... --mapping FILE --out DIR`` reads each SIE 4 file
(:mod:`foui_analysis.imports.sie`), usually one per financial year, and the mapping
(:mod:`foui_analysis.imports.mapping`). Then, collecting every problem before failing:

1. **The financial year.** Each file must state its current financial year (``#RAR 0``); every
   voucher and row date must lie within it (a ``#RAR`` that does not cover the vouchers is
   refused), two files may not hold the same year, and with an agreement the year must lie in the
   agreement period.
2. **Balance.** Every voucher sums to zero (checked by the reader).
3. **Mapping.** Every ``#TRANS`` row of the year is either mapped to a ledger row (date, area,
   line, kind, amount, text), or ignored by an ``[[ignore]]`` entry of the mapping, or unmapped.
   Unmapped rows are listed with file, line, voucher, account, objects and amount, and nothing is
   written. The ledger row's date is the row's own date or else the voucher's; its text the row's
   text or else the voucher's, with e-mail addresses and personal identity numbers removed
   (:func:`foui_analysis.imports.personal.scrub`; the import says how many). The amount's sign
   follows the account (see the mapping).
4. **Reconciliation per account** against the file's own totals: the sum of the account's rows
   must equal ``#RES 0`` (result accounts) or ``#UB 0 - #IB 0`` (balance accounts) when the file
   states them; the rows' sum is split into what reached the ledger and what was ignored. A
   difference of one öre refuses the import. The reconciliation is written beside the ledger as
   ``ledger_reconciliation.csv``.
5. **The ledger's schema** (the same checks ``foui check`` makes) on the rows to be written.

Only then are ``ledger.csv`` and ``ledger_reconciliation.csv`` written, each atomically (a
temporary file renamed into place). ``ledger.csv`` is written as the example's: ``;`` separator,
decimal comma, UTF-8, one row per mapped ``#TRANS``, sorted by date, area, kind, line, text and
amount, so the same bookings always give the same bytes.

Budgets: ``#PBUDGET`` rows of the current year (period budgets) are mapped the same way and summed
per year, area, line and kind into ``budget.csv`` when a file has any (:func:`budget_rows`).

Known limits: a file's older years (``#RAR -1``...) are used only for their totals' labels, not
imported; amounts in a foreign currency or quantities are not used; a voucher row's own date
outside the financial year is refused, even where a finance system would allow it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pandas as pd

from foui_analysis.errors import InputError, Problem
from foui_analysis.imports.mapping import Ignored, Mapped, Mapping
from foui_analysis.imports.personal import scrub
from foui_analysis.imports.sie import SieFile
from foui_analysis.readers import RawTable
from foui_analysis.schemas import parse_table

LEDGER_COLUMNS = ["date", "area", "line", "kind", "amount_sek", "text"]
BUDGET_COLUMNS = ["year", "area", "line", "kind", "amount_sek"]
RECONCILIATION_COLUMNS = [
    "file",
    "year_start",
    "year_end",
    "account",
    "account_name",
    "file_total_sek",
    "file_total_source",
    "transactions_sek",
    "ledger_sek",
    "ignored_sek",
    "difference_sek",
]
"""Amounts in the reconciliation keep the file's sign: debit positive, credit negative."""


@dataclass
class LedgerImport:
    ledger: list[dict] = field(default_factory=list)
    reconciliation: list[dict] = field(default_factory=list)
    budget: list[dict] = field(default_factory=list)
    ignored_rows: int = 0
    scrubbed: int = 0
    """E-mail addresses and personal identity numbers removed from texts."""


def _objects_words(objects) -> str:
    return ", ".join(f"{d}:{o}" for d, o in objects) or "inga"


def ledger_amount(kind: str, amount: Decimal) -> Decimal:
    """The ledger's amount of a SIE amount: revenue credit (negative) becomes positive."""
    return -amount if kind == "intakt" else amount


def import_ledger(files: list[SieFile], mapping: Mapping, agreement=None) -> LedgerImport:
    """Map and reconcile the vouchers of ``files``; raise InputError with every problem."""
    problems: list[Problem] = []
    result = LedgerImport()
    years_seen: dict[tuple[dt.date, dt.date], SieFile] = {}
    for sie in files:
        file = str(sie.path)
        if 0 not in sie.years:
            problems.append(
                Problem(file, None, "#RAR", "räkenskapsåret saknas (#RAR 0 med start och slut)")
            )
            continue
        start, end = sie.years[0]
        year_line = sie.year_lines[0]
        other = next(
            (f for (s, e), f in years_seen.items() if s <= end and start <= e),
            None,
        )
        if other is not None:
            problems.append(
                Problem(
                    file,
                    year_line,
                    "#RAR",
                    f"räkenskapsåret {start}–{end} överlappar ett år i {other.path}; "
                    "importera varje år en gång",
                )
            )
        years_seen[(start, end)] = sie
        if agreement is not None and not (
            agreement.first_year <= start.year and end.year <= agreement.last_year
        ):
            problems.append(
                Problem(
                    file,
                    year_line,
                    "#RAR",
                    f"räkenskapsåret {start}–{end} ligger utanför avtalsperioden "
                    f"{agreement.first_year}-{agreement.last_year}",
                )
            )
        sums: dict[str, dict[str, Decimal]] = defaultdict(
            lambda: {"transactions": Decimal(0), "ledger": Decimal(0), "ignored": Decimal(0)}
        )
        for voucher in sie.vouchers:
            if not start <= voucher.date <= end:
                problems.append(
                    Problem(
                        file,
                        voucher.line,
                        "#VER",
                        f"verifikation {voucher.name} har datum {voucher.date}, utanför "
                        f"räkenskapsåret {start}–{end} (#RAR 0 täcker inte perioden)",
                    )
                )
                continue
            for t in voucher.transactions:
                date = t.date or voucher.date
                if not start <= date <= end:
                    problems.append(
                        Problem(
                            file,
                            t.line,
                            "#TRANS",
                            f"raden i verifikation {voucher.name} har datum {date}, utanför "
                            f"räkenskapsåret {start}–{end} (#RAR 0 täcker inte perioden)",
                        )
                    )
                    continue
                sums[t.account]["transactions"] += t.amount
                outcome = mapping.classify(t.account, t.objects)
                if isinstance(outcome, Ignored):
                    sums[t.account]["ignored"] += t.amount
                    result.ignored_rows += 1
                elif isinstance(outcome, Mapped):
                    sums[t.account]["ledger"] += t.amount
                    text, removed = scrub(t.text or voucher.text)
                    result.scrubbed += removed
                    result.ledger.append(
                        {
                            "date": date,
                            "area": outcome.area,
                            "line": outcome.line,
                            "kind": outcome.kind,
                            "amount": ledger_amount(outcome.kind, t.amount),
                            "text": text,
                        }
                    )
                else:
                    name = sie.accounts.get(t.account, "")
                    problems.append(
                        Problem(
                            file,
                            t.line,
                            "#TRANS",
                            f"omappad rad: verifikation {voucher.name} ({voucher.date}), konto "
                            f"{t.account}{f' {name!r}' if name else ''}, objekt "
                            f"{_objects_words(t.objects)}, belopp {t.amount}: {outcome.reason}",
                        )
                    )
        result.reconciliation.extend(_reconcile(sie, start, end, sums, problems))
        result.budget.extend(_budget(sie, start, mapping, problems))
    if problems:
        raise InputError(problems)
    result.ledger.sort(
        key=lambda r: (r["date"], r["area"], r["kind"], r["line"], r["text"], r["amount"])
    )
    result.budget = _sum_budget(result.budget)
    return result


def _reconcile(sie: SieFile, start, end, sums, problems: list[Problem]) -> list[dict]:
    rows = []
    accounts = set(sums) | {a for (i, a) in sie.results if i == 0}
    accounts |= {a for (i, a) in sie.closing if i == 0}
    for account in sorted(accounts):
        s = sums.get(account) or {
            "transactions": Decimal(0),
            "ledger": Decimal(0),
            "ignored": Decimal(0),
        }
        total, source = None, ""
        if (0, account) in sie.results:
            total, source = sie.results[(0, account)], "#RES 0"
        elif (0, account) in sie.closing:
            total = sie.closing[(0, account)] - sie.opening.get((0, account), Decimal(0))
            source = "#UB 0 - #IB 0"
        difference = None if total is None else total - s["transactions"]
        if difference:
            problems.append(
                Problem(
                    str(sie.path),
                    None,
                    source.split(" - ")[0],
                    f"konto {account}: filens summa ({source}) är {total} men "
                    f"verifikationernas rader summerar till {s['transactions']} "
                    f"(skillnad {difference}); exporten är ofullständig",
                )
            )
        rows.append(
            {
                "file": sie.path.name,
                "year_start": start,
                "year_end": end,
                "account": account,
                "account_name": sie.accounts.get(account, ""),
                "file_total_sek": total,
                "file_total_source": source,
                "transactions_sek": s["transactions"],
                "ledger_sek": s["ledger"],
                "ignored_sek": s["ignored"],
                "difference_sek": difference,
            }
        )
    return rows


def _budget(sie: SieFile, start: dt.date, mapping: Mapping, problems) -> list[dict]:
    rows = []
    for p in sie.period_budgets:
        if p.year_index != 0:
            continue
        outcome = mapping.classify(p.account, p.objects)
        if isinstance(outcome, Ignored):
            continue
        if not isinstance(outcome, Mapped):
            problems.append(
                Problem(
                    str(sie.path),
                    p.line,
                    "#PBUDGET",
                    f"omappad budgetrad: period {p.period}, konto {p.account}, objekt "
                    f"{_objects_words(p.objects)}, belopp {p.amount}: {outcome.reason}",
                )
            )
            continue
        rows.append(
            {
                "year": int(p.period[:4]),
                "area": outcome.area,
                "line": outcome.line,
                "kind": outcome.kind,
                "amount": ledger_amount(outcome.kind, p.amount),
            }
        )
    return rows


def _sum_budget(rows: list[dict]) -> list[dict]:
    totals: dict[tuple, Decimal] = defaultdict(Decimal)
    for r in rows:
        totals[(r["year"], r["area"], r["line"], r["kind"])] += r["amount"]
    return [
        {"year": y, "area": a, "line": line, "kind": k, "amount": amount}
        for (y, a, line, k), amount in sorted(totals.items())
    ]


def swedish_amount(value: Decimal | None) -> str:
    """An amount as a Swedish finance-system export writes it: decimal comma, two decimals."""
    if value is None:
        return ""
    return f"{value.quantize(Decimal('0.01'))}".replace(".", ",")


def ledger_csv(rows: list[dict]) -> str:
    """``ledger.csv`` text: ``;``, decimal comma, ``\\n`` line ends (as the example's)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(LEDGER_COLUMNS)
    for r in rows:
        writer.writerow(
            [
                r["date"].isoformat(),
                r["area"],
                r["line"],
                r["kind"],
                swedish_amount(r["amount"]),
                r["text"],
            ]
        )
    return buffer.getvalue()


def reconciliation_csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(RECONCILIATION_COLUMNS)
    for r in rows:
        writer.writerow(
            [
                swedish_amount(r[c])
                if c.endswith("_sek")
                else (r[c].isoformat() if isinstance(r[c], dt.date) else r[c])
                for c in RECONCILIATION_COLUMNS
            ]
        )
    return buffer.getvalue()


def budget_csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(BUDGET_COLUMNS)
    for r in rows:
        writer.writerow([r["year"], r["area"], r["line"], r["kind"], swedish_amount(r["amount"])])
    return buffer.getvalue()


def check_rows(text: str, path: Path, table, delimiter: str = ";") -> None:
    """Check the text about to be written against the input's schema (as ``foui check`` would)."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header, *records = list(reader)
    frame = pd.DataFrame(records, columns=header, dtype=object)
    parse_table(RawTable(path, frame, list(range(2, len(records) + 2))), table)


def write_atomic(files: dict[Path, str]) -> None:
    """Write every file to a temporary name first, then rename them all into place."""
    staged = []
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(
                "wb", dir=path.parent, prefix=f".{path.name}.", delete=False
            ) as handle:
                staged.append((Path(handle.name), path))
                handle.write(text.encode("utf-8"))
        for temp, path in staged:
            os.replace(temp, path)
    finally:
        for temp, _ in staged:
            if temp.exists():
                temp.unlink()


def write_import(result: LedgerImport, out: Path, tables) -> list[Path]:
    """Check and write ``ledger.csv``, the reconciliation and (if any) ``budget.csv``."""
    files = {
        out / "ledger.csv": ledger_csv(result.ledger),
        out / "ledger_reconciliation.csv": reconciliation_csv(result.reconciliation),
    }
    check_rows(files[out / "ledger.csv"], out / "ledger.csv", tables["ledger"])
    if result.budget:
        files[out / "budget.csv"] = budget_csv(result.budget)
        check_rows(files[out / "budget.csv"], out / "budget.csv", tables["budget"])
    write_atomic(files)
    return list(files)
