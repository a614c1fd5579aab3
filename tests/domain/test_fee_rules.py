"""Fee rules in the agreement: a rate schedule within a period, the population basis rule
(lag or fixed year, the date of the series), pro rata by month, and invoiced or not."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from foui_analysis.domain import fees
from foui_analysis.domain.agreement import load_agreement
from foui_analysis.errors import InputError
from foui_analysis.paths import REPO_ROOT

AGREEMENT = (REPO_ROOT / "data" / "agreement.toml").read_text(encoding="utf-8")


def _agreement(tmp_path: Path, old: str, new: str):
    assert old in AGREEMENT
    path = tmp_path / "agreement.toml"
    path.write_text(AGREEMENT.replace(old, new, 1), encoding="utf-8")
    return load_agreement(path)


def test_a_rate_schedule_changes_the_rate_from_its_year(tmp_path, reference):
    a = _agreement(
        tmp_path,
        'rate_sek_per_inhabitant = "4"\n',
        'rate_sek_per_inhabitant = "4"\nrate_schedule = { 2017 = "4.50" }\n',
    )
    skola = a.component("skola")
    assert [skola.rate_for(y) for y in (2016, 2017, 2018)] == [
        Decimal(4),
        Decimal("4.50"),
        Decimal("4.50"),
    ]
    table = fees.fee_table(a, reference, 2017)
    rows = table[table["component"] == "skola"]
    assert set(rows["rate_sek_per_inhabitant"]) == {Decimal("4.50")}
    # Luleå: 76 088 inhabitants on 31 December 2015 x 4,50 kr
    assert rows.set_index("municipality_code").loc["2580", "fee_sek"] == 342_396


def test_a_fixed_population_year_is_used_for_every_fee_year(tmp_path, reference):
    a = _agreement(tmp_path, "lag_years = 2", "fixed_year = 2012")
    for year in (2014, 2018):
        table = fees.fee_table(a, reference, year)
        assert set(table["basis_date"]) == {dt.date(2012, 12, 31)}


def test_a_population_series_of_another_date_is_refused_unless_the_agreement_says_so(
    tmp_path, reference
):
    population = reference.population.copy()
    population["date"] = [dt.date(y, 11, 1) for y in population["year"]]
    november = replace(reference, population=population)
    with pytest.raises(InputError) as info:
        fees.fee_table(load_agreement(REPO_ROOT / "data" / "agreement.toml"), november, 2016)
    assert "2014-12-31" in str(info.value.problems[0])
    a = _agreement(tmp_path, "lag_years = 2", 'lag_years = 2\nreference_date = "11-01"')
    table = fees.fee_table(a, november, 2016)
    assert set(table["basis_date"]) == {dt.date(2014, 11, 1)}


def test_a_member_joining_or_leaving_pays_pro_rata_by_month(tmp_path, reference):
    a = _agreement(
        tmp_path,
        "[members]",
        '[[membership]]\ncode = "2584"\njoins = "2016-07"\n\n'
        '[[membership]]\ncode = "2506"\nleaves = "2016-03"\n\n[members]',
    )
    assert a.member_months("2584", 2015) == 0
    assert a.member_months("2584", 2016) == 6
    assert a.member_months("2506", 2016) == 3
    assert a.member_months("2506", 2017) == 0
    table = fees.fee_table(a, reference, 2016)
    skola = table[table["component"] == "skola"].set_index("municipality_code")
    # Kiruna: 23 241 inhabitants (31 December 2014) x 4 kr x 6/12
    assert skola.loc["2584", "fee_sek"] == 46_482
    # Arjeplog: 2 907 x 4 x 3/12 = 2 907 kr
    assert skola.loc["2506", "fee_sek"] == 2_907
    assert "2584" not in set(fees.fee_table(a, reference, 2015)["municipality_code"])
    bill = fees.invoice(a, table, 2016).set_index("municipality_code")
    assert bill.loc["2584", "months"] == 6


def test_the_invoice_holds_only_invoiced_rows(agreement, reference):
    table = fees.fee_table(agreement, reference, 2016)
    bill = fees.invoice(agreement, table, 2016)
    assert list(bill.columns) == [*fees.INVOICE_COLUMNS, "skola_sek", "invoiced_sek"]
    assert bill["invoiced_sek"].sum() == table.loc[table["invoiced"], "fee_sek"].sum()
    frame = fees.not_invoiced(agreement, table, 2016)
    assert "invoiced_sek" not in frame.columns
    assert frame["overgripande_sek"].sum() == table.loc[~table["invoiced"], "fee_sek"].sum()
    assert isinstance(bill, pd.DataFrame)


@pytest.mark.parametrize(
    "old, new, column",
    [
        ('reference_date = "12-31"', 'reference_date = "31/12"', "population_basis.reference_date"),
        (
            "[members]",
            '[[membership]]\ncode = "9999"\njoins = "2016-07"\n\n[members]',
            "membership[0].code",
        ),
        (
            "[members]",
            '[[membership]]\ncode = "2584"\njoins = "juli"\n\n[members]',
            "membership[0].joins",
        ),
    ],
)
def test_bad_fee_rules_name_their_key(tmp_path, old, new, column):
    text = AGREEMENT.replace("lag_years = 2", 'lag_years = 2\nreference_date = "12-31"')
    path = tmp_path / "agreement.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_agreement(path)
    assert column in {p.column for p in info.value.problems}
