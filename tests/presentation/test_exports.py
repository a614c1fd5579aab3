"""Exports: CSV as the DESIGN contract, Excel for people, both written atomically."""

from __future__ import annotations

import os
import stat

import pandas as pd
import pytest
from openpyxl import load_workbook

from foui_analysis.domain import budget
from foui_analysis.domain.fees import fee_table
from foui_analysis.presentation import exports


def test_atomic_path_moves_the_file_into_place_only_on_success(tmp_path):
    target = tmp_path / "out" / "avgifter.csv"
    with exports.atomic_path(target) as tmp:
        tmp.write_text("ny")
        assert not target.exists()
    assert target.read_text() == "ny"
    assert os.listdir(target.parent) == ["avgifter.csv"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "avgifter.csv"
    target.write_text("gammal")
    with pytest.raises(RuntimeError), exports.atomic_path(target) as tmp:
        tmp.write_text("halv")
        raise RuntimeError("disk full")
    assert target.read_text() == "gammal"
    assert os.listdir(tmp_path) == ["avgifter.csv"]


def test_a_written_file_is_readable_by_others_as_an_ordinary_write_would_be(tmp_path):
    old = os.umask(0o022)
    try:
        exports.write_csv(pd.DataFrame({"a": [1]}), tmp_path / "a.csv")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.csv").stat().st_mode) == 0o644


def test_a_replaced_file_keeps_its_permissions(tmp_path):
    target = tmp_path / "a.csv"
    target.write_text("x")
    target.chmod(0o640)
    exports.write_csv(pd.DataFrame({"a": [1]}), target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_write_csv_is_utf8_comma_separated_without_index(tmp_path):
    frame = pd.DataFrame({"municipality": ["Överkalix", "Luleå"], "fee_sek": [13988, 310000]})
    exports.write_csv(frame, tmp_path / "a.csv")
    assert (tmp_path / "a.csv").read_bytes() == (
        "municipality,fee_sek\nÖverkalix,13988\nLuleå,310000\n".encode()
    )


def sheet_rows(sheet) -> list[tuple]:
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_the_fee_workbook_has_a_summary_and_a_sheet_per_year_with_exact_totals(
    tmp_path, agreement, reference
):
    tables = {year: fee_table(agreement, reference, year) for year in (2014, 2015)}
    out = tmp_path / "avgifter.xlsx"
    exports.write_fee_workbook(tables, agreement, out)
    book = load_workbook(out)
    assert book.sheetnames == [
        "Sammanfattning",
        "Faktura 2014",
        "Faktureras inte 2014",
        "Avgifter 2014",
        "Faktura 2015",
        "Faktureras inte 2015",
        "Avgifter 2015",
    ]

    rows = sheet_rows(book["Avgifter 2014"])
    assert rows[0] == (
        "Kommunkod",
        "Kommun",
        "Komponent",
        "Finansiering",
        "Befolkning per",
        "Invånare",
        "Kr per invånare",
        "Belopp (kr)",
        "Faktureras",
    )
    body = rows[1:]
    assert len(body) == 28
    assert {r[2] for r in body} == {"FoUI skola", "FoUI övergripande"}
    assert {r[3] for r in body} == {"Avgift per invånare (faktureras)", "Eget kapital"}
    assert {(r[2], r[-1]) for r in body} == {("FoUI skola", "Ja"), ("FoUI övergripande", "Nej")}
    assert sum(r[-2] for r in body) == 994_548 + 1_243_185
    assert book["Avgifter 2014"]["H2"].number_format == exports.MONEY_FORMAT
    assert book["Avgifter 2014"]["A1"].font.bold

    bill = sheet_rows(book["Faktura 2014"])
    assert bill[-1][0] == "Summa att fakturera" and bill[-1][-1] == 994_548
    assert book["Faktura 2014"]["A16"].font.bold
    assert book["Faktura 2014"]["F16"].number_format == exports.MONEY_FORMAT
    frame = sheet_rows(book["Faktureras inte 2014"])
    assert frame[-1][-1] == 1_243_185

    summary = sheet_rows(book["Sammanfattning"])
    assert summary[0] == (
        "År",
        "Komponent",
        "Finansiering",
        "Faktureras",
        "Invånare",
        "Belopp (kr)",
    )
    assert summary[1:3] == [
        (2014, "FoUI skola", "Avgift per invånare (faktureras)", "Ja", 248_637, 994_548),
        (2014, "FoUI övergripande", "Eget kapital", "Nej", 248_637, 1_243_185),
    ]


def test_the_budget_workbook_names_areas_kinds_and_sources_in_swedish(
    tmp_path, agreement, reference
):
    ledger = budget.budget(agreement, reference, range(2014, 2016))
    out = tmp_path / "budget.xlsx"
    exports.write_budget_workbook(
        {
            "Resultat": budget.result_by_area(ledger),
            "Intäkter och kostnader": ledger,
            "Eget kapital": budget.equity(agreement, ledger),
        },
        out,
    )
    book = load_workbook(out)
    assert book.sheetnames == ["Resultat", "Intäkter och kostnader", "Eget kapital"]
    result = sheet_rows(book["Resultat"])
    assert result[0] == (
        "År",
        "Verksamhetsområde",
        "Intäkter (kr)",
        "Kostnader (kr)",
        "Resultat (kr)",
    )
    assert [r[1] for r in result[1:5]] == ["Socialtjänst", "Skola", "Övergripande", "Totalt"]
    ledger_rows = sheet_rows(book["Intäkter och kostnader"])
    assert {r[2] for r in ledger_rows[1:]} == {"Intäkt", "Kostnad"}
    assert sum(r[-1] for r in ledger_rows[1:]) == ledger["amount_sek"].sum()
    equity_rows = sheet_rows(book["Eget kapital"])
    assert equity_rows[0][1] == "Ingående eget kapital (kr)"


def test_a_sheet_without_totals_ends_with_its_last_data_row(tmp_path):
    frame = pd.DataFrame({"year": [2014, 2015], "result_sek": [-5, 7]})
    exports.write_budget_workbook({"Resultat": frame}, tmp_path / "b.xlsx")
    sheet = load_workbook(tmp_path / "b.xlsx")["Resultat"]
    assert sheet_rows(sheet) == [("År", "Resultat (kr)"), (2014, -5), (2015, 7)]
    assert sheet["B3"].number_format == exports.MONEY_FORMAT
