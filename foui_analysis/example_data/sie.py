"""The example's ledger as a finance system would export it: SIE 4 files and their mapping.

Method
------
:func:`sie_files` takes the example's ``ledger.csv`` (as the generator writes it) and writes one
SIE 4 file per calendar year (``sie/bokforing-YYYY.se``, CP437 as the specification prescribes,
``\\r\\n`` line ends as PC programs write them) and the mapping ``sie/mappning.toml``:

* each ledger row is one voucher (series A, numbered from 1 each year, dated and named as the
  row) with two rows: the ledger's account, with the area as cost centre (dimension 1,
  kostnadsställe 10/20/30), and the counter account (customer receivables 1510 for revenue,
  supplier debts 2440 for costs), so the voucher balances;
* revenue is booked as a credit (negative in SIE) on a class-3 account, costs as a debit on a
  class 4-7 account of the BAS chart (:data:`ACCOUNTS`);
* the file's totals: ``#RES 0`` per result account and ``#IB 0``/``#UB 0`` per balance account,
  sums of the vouchers, so the import reconciles.

``foui import sie data/example/sie/*.se --mapping data/example/sie/mappning.toml --out DIR``
reproduces ``ledger.csv`` byte for byte (a test checks it). The accounts and cost centres are
fictional, like everything in the example.

Known limit: a ledger line that :data:`ACCOUNTS` does not know stops the generator (KeyError),
on purpose: a new line needs an account in the example's chart.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from decimal import Decimal

from foui_analysis.imports.sie import SieFile, Transaction, Voucher, write_sie

ACCOUNTS = {
    ("intakt", "skola"): ("3011", "Avgift FoUI skola"),
    ("intakt", "socialtjanst"): ("3012", "FoU socialtjänst ur medlemsavgiften"),
    ("intakt", "overgripande"): ("3013", "FoUI övergripande inom förbundets ram"),
    ("kostnad", "foui_projekt"): ("4010", "FoUI-projekt, köpta tjänster"),
    ("kostnad", "lokaler"): ("5010", "Lokalhyra"),
    ("kostnad", "resor"): ("5800", "Resekostnader"),
    ("kostnad", "administration"): ("6110", "Kontorsmateriel, IT och telefoni"),
    ("kostnad", "personal"): ("7010", "Löner inklusive sociala avgifter"),
    ("kostnad", "kompetensutveckling"): ("7610", "Kurser och konferenser"),
}
"""The example's chart of accounts: (kind, line) to (account, name)."""

COUNTER_ACCOUNTS = {"intakt": ("1510", "Kundfordringar"), "kostnad": ("2440", "Leverantörsskulder")}
COST_CENTRES = {"socialtjanst": "10", "skola": "20", "overgripande": "30"}
COST_CENTRE_NAMES = {"10": "Socialtjänst", "20": "Skola", "30": "Övergripande"}
COMPANY = "Kommunförbundet Norrbotten, FoUI (fiktivt exempel)"

MAPPING = """\
# Mappning av kontoplanen i exemplets SIE 4-filer till utfallet (ledger.csv).
# Skriven av foui_analysis.example_data.generator; kontona och kostnadsställena är påhittade.
# Varje [[account]] anger vilken rad i utfallet ett konto (eller intervall) blir;
# [[object]] anger vilket verksamhetsområde ett kostnadsställe (dimension 1) hör till;
# [[ignore]] anger vad som inte hör till utfallet, och varför.
{accounts}
{objects}
[[ignore]]
accounts = "1000-2999"
reason = "Balansräkningens konton (fordringar och skulder) är motkonton, inget utfall"
"""


def _amount(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def mapping_text() -> str:
    accounts = "".join(
        f'[[account]]\naccounts = "{account}"  # {name}\nline = "{line}"\n\n'
        for (_, line), (account, name) in sorted(ACCOUNTS.items(), key=lambda kv: kv[1])
    )
    objects = "".join(
        f'[[object]]\ndimension = "1"\nobject = "{code}"  # {COST_CENTRE_NAMES[code]}\n'
        f'area = "{area}"\n\n'
        for area, code in COST_CENTRES.items()
    )
    return MAPPING.format(
        accounts=accounts.rstrip("\n") + "\n", objects=objects.rstrip("\n") + "\n"
    )


def sie_files(ledger_csv: str) -> dict[str, bytes | str]:
    """``sie/bokforing-YYYY.se`` per year of the ledger and ``sie/mappning.toml``."""
    rows = list(csv.DictReader(io.StringIO(ledger_csv), delimiter=";"))
    by_year: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        by_year[dt.date.fromisoformat(row["date"]).year].append(row)
    files: dict[str, bytes | str] = {}
    for year, year_rows in sorted(by_year.items()):
        sie = SieFile(path=None, encoding="cp437", company=COMPANY)  # type: ignore[arg-type]
        sie.years[0] = (dt.date(year, 1, 1), dt.date(year, 12, 31))
        sie.years[-1] = (dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 31))
        sie.dimensions["1"] = "Kostnadsställe"
        sie.objects.update({("1", c): n for c, n in COST_CENTRE_NAMES.items()})
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for number, row in enumerate(year_rows, start=1):
            kind = row["kind"]
            account, name = ACCOUNTS[(kind, row["line"])]
            counter, counter_name = COUNTER_ACCOUNTS[kind]
            sie.accounts[account] = name
            sie.accounts[counter] = counter_name
            amount = _amount(row["amount_sek"])
            booked = -amount if kind == "intakt" else amount
            date = dt.date.fromisoformat(row["date"])
            objects = (("1", COST_CENTRES[row["area"]]),)
            sie.vouchers.append(
                Voucher(
                    "A",
                    str(number),
                    date,
                    row["text"],
                    0,
                    (
                        Transaction(account, objects, booked, None, "", None, 0),
                        Transaction(counter, (), -booked, None, "", None, 0),
                    ),
                )
            )
            totals[account] += booked
            totals[counter] -= booked
        for account, total in totals.items():
            if account[0] in "12":
                sie.opening[(0, account)] = Decimal(0)
                sie.closing[(0, account)] = total
            else:
                sie.results[(0, account)] = total
        files[f"sie/bokforing-{year}.se"] = write_sie(sie)
    files["sie/mappning.toml"] = mapping_text()
    return files
