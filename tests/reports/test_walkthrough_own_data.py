"""A new unit's first follow-up, as an office makes it: init, templates, SIE import, check, run.

The walk-through of the data set's README, done programmatically: ``foui init``, the Excel
templates filled (activities, participation, targets, commentary), a SIE 4 export of the first
half of 2014 written as a finance system would (CP437, cost centres as dimension 1, a counter
account on every voucher), ``foui import sie`` with the mapping completed, the books closed,
``foui check``, and ``foui run followup --period 2014H1``: a published follow-up, not marked as
example data.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from reportlib import foui

from foui_analysis.imports.sie import SieFile, Transaction, Voucher, write_sie

pytestmark = pytest.mark.slow

MAPPING_ADDITIONS = """
[[account]]
accounts = "3010-3019"
line = "skola"

[[account]]
accounts = "3020-3029"
line = "socialtjanst"

[[account]]
accounts = "5000-5099"
line = "lokaler"

[[account]]
accounts = "5800-5899"
line = "resor"

[[account]]
accounts = "7000-7399"
line = "personal"

[[object]]
dimension = "1"
object = "100"
area = "socialtjanst"

[[object]]
dimension = "1"
object = "200"
area = "skola"

[[object]]
dimension = "1"
object = "300"
area = "overgripande"
"""

# (month, account, cost centre, amount): debit positive; revenue is a credit on class 3.
BOOKINGS = [
    *[(m, "3010", "200", Decimal("-82000.00")) for m in range(1, 7)],
    *[(m, "3020", "100", Decimal("-60000.00")) for m in range(1, 7)],
    *[(m, "7010", cc, Decimal("45250.50")) for m in range(2, 7) for cc in ("100", "200", "300")],
    (4, "5010", "300", Decimal("36000.00")),
    (3, "5810", "200", Decimal("2310.00")),
    (5, "5810", "100", Decimal("1875.40")),
    (5, "5810", "300", Decimal("-410.00")),
]


def sie_2014h1(path: Path) -> None:
    sie = SieFile(path=path, encoding="cp437", company="FoUI Norrbotten")
    sie.years[0] = (dt.date(2014, 1, 1), dt.date(2014, 12, 31))
    sie.dimensions["1"] = "Kostnadsställe"
    for code, name in (("100", "Socialtjänst"), ("200", "Skola"), ("300", "Övergripande")):
        sie.objects[("1", code)] = name
    names = {"3010": "Avgifter skola", "3020": "FoU socialtjänst", "5010": "Lokalhyra"}
    names |= {"5810": "Resor", "7010": "Löner inkl. PO", "1510": "Kundfordringar"}
    names |= {"2440": "Leverantörsskulder"}
    sie.accounts.update(names)
    totals: dict[str, Decimal] = {}
    for number, (month, account, centre, amount) in enumerate(BOOKINGS, start=1):
        counter = "1510" if account.startswith("3") else "2440"
        sie.vouchers.append(
            Voucher(
                "A",
                str(number),
                dt.date(2014, month, 25),
                f"Bokföring {names[account].lower()} {month}/2014",
                0,
                (
                    Transaction(account, (("1", centre),), amount, None, "", None, 0),
                    Transaction(counter, (), -amount, None, "", None, 0),
                ),
            )
        )
        totals[account] = totals.get(account, Decimal(0)) + amount
        totals[counter] = totals.get(counter, Decimal(0)) - amount
    for account, total in totals.items():
        if account[0] in "12":
            sie.closing[(0, account)] = total
        else:
            sie.results[(0, account)] = total
    path.write_bytes(write_sie(sie))


def fill(path: Path, rows: list[dict]) -> None:
    book = load_workbook(path)
    sheet = book.worksheets[0]
    columns = {
        re.search(r"\((\w+)\)$", str(c.value)).group(1): c.column for c in sheet[1] if c.value
    }
    for number, row in enumerate(rows, start=2):
        for name, value in row.items():
            sheet.cell(row=number, column=columns[name], value=value)
    book.save(path)


ACTIVITIES = [
    {
        "activity_id": "A2014-001",
        "date": dt.datetime(2014, 3, 12),
        "area": "skola",
        "kind": "seminarium",
        "title": "Prioriteringsseminarium om elevhälsa",
        "municipalities": "2580|2581|2584",
        "participants": 24,
        "task": 1,
        "hours": 12,
    },
    {
        "activity_id": "A2014-002",
        "date": dt.datetime(2014, 4, 2),
        "area": "socialtjanst",
        "kind": "handledning",
        "title": "Metodstöd vid uppföljning av hemtjänst",
        "municipalities": "2506",
        "participants": 5,
        "task": 4,
        "hours": 20.5,
    },
    {
        "activity_id": "A2014-003",
        "date": dt.datetime(2014, 5, 20),
        "area": "overgripande",
        "kind": "natverk",
        "title": "Nätverksträff FoU-samordnare",
        "municipalities": "alla",
        "participants": 31,
        "task": 5,
        "hours": 8,
    },
]


def test_a_new_unit_publishes_its_first_follow_up_from_its_own_data(tmp_path):
    data = tmp_path / "foui-data"
    out = tmp_path / "rapporter"
    done = foui("init", str(data))
    assert done.returncode == 0, done.stderr

    done = foui("check", "--data", str(data))
    assert done.returncode == 1 and "inga rader ännu" in done.stderr

    fill(data / "activities.xlsx", ACTIVITIES)
    book = load_workbook(data / "targets.xlsx")
    for row in book["Data"].iter_rows(min_row=2):
        if row[0].value:
            row[2].value = 50 if row[0].value.endswith("_pct") else 4
    book.save(data / "targets.xlsx")
    fill(
        data / "participation.xlsx",
        [
            {"activity_id": "A2014-001", "municipality_code": code, "participants": n}
            for code, n in (("2580", 14), ("2581", 6), ("2584", 4))
        ],
    )
    fill(
        data / "commentary.xlsx",
        [{"period": "2014H1", "goal_id": "alla", "text": "Första halvåret: uppbyggnad."}],
    )

    export = tmp_path / "export" / "bokforing-2014.se"
    export.parent.mkdir()
    sie_2014h1(export)
    mapping = data / "sie" / "mappning.toml"
    mapping.write_text(mapping.read_text(encoding="utf-8") + MAPPING_ADDITIONS, encoding="utf-8")
    done = foui("import", "sie", str(export), "--mapping", str(mapping), "--out", str(data))
    assert done.returncode == 0, done.stderr
    ledger = (data / "ledger.csv").read_text(encoding="utf-8").splitlines()
    assert len(ledger) == 1 + len(BOOKINGS)
    assert "2014-04-25;overgripande;lokaler;kostnad;36000,00;Bokföring lokalhyra 4/2014" in ledger

    dataset = data / "dataset.toml"
    text = dataset.read_text(encoding="utf-8").replace(
        "books_closed_through = 2013-12-31", "books_closed_through = 2014-06-30"
    )
    dataset.write_text(text, encoding="utf-8")
    done = foui("check", "--data", str(data))
    assert done.returncode == 0, done.stderr
    assert "ledger.csv läses; " in done.stderr  # the template ledger.xlsx is left unread

    done = foui("run", "followup", "--period", "2014H1", "--data", str(data), "--out", str(out))
    assert done.returncode == 0, done.stderr
    page = (out / "uppfoljning-2014H1.html").read_text(encoding="utf-8")
    assert "EXEMPELDATA" not in page
    assert "Sammanfattning" in page
    kpis = json.loads((out / "uppfoljning-2014H1" / "kpis.json").read_text(encoding="utf-8"))
    assert kpis["aktiviteter_hittills"]["value"] == 3
    assert kpis["deltagare_hittills"]["value"] == 60
    assert kpis["intakter_utfall_hittills_sek"]["value"] == 6 * 82_000 + 6 * 60_000
    costs = 15 * Decimal("45250.50") + 36_000 + Decimal("2310.00") + Decimal("1875.40") - 410
    assert kpis["kostnader_utfall_hittills_sek"]["value"] == pytest.approx(float(costs), abs=0.5)
    provenance = json.loads(
        (out / "uppfoljning-2014H1" / "provenance.json").read_text(encoding="utf-8")
    )
    assert provenance["example_data"] is False
    shown = {Path(i["path"]).name for i in provenance["inputs"]}
    assert {"ledger.csv", "activities.xlsx", "participation.xlsx", "targets.xlsx"} <= shown
