"""Formula injection: formula-like text is neutralised in CSV and Excel; numbers stay numbers."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from foui_analysis.presentation import exports

HOSTILE = ["=1+1", "+SUM(A1)", "-2+3+cmd|' /C calc'!A0", "@SUM(1)", "\tTAB", "\rCR"]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_like_text_gets_a_leading_quote(text):
    assert exports.neutralise(text) == "'" + text


@pytest.mark.parametrize("value", [-1500, 4.5, "-1500", "4,5", "+46", "Luleå", "", None])
def test_numbers_and_plain_text_are_left_alone(value):
    assert exports.neutralise(value) == value


def test_csv_cells_are_escaped_and_numbers_stay_numbers(tmp_path):
    frame = pd.DataFrame(
        {"municipality": ['=HYPERLINK("http://x","klicka")', "Luleå"], "fee_sek": [-100, 200]}
    )
    out = tmp_path / "avgifter.csv"
    exports.write_csv(frame, out)
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows[1] == ['\'=HYPERLINK("http://x","klicka")', "-100"]
    assert rows[2] == ["Luleå", "200"]


def test_excel_cells_are_text_never_formulas(tmp_path):
    out = tmp_path / "budget.xlsx"
    frame = pd.DataFrame({"line": ["=1+1", "@SUM(A1)", "Lokaler"], "amount_sek": [-5, 10, 20]})
    exports.write_budget_workbook({"Blad": frame}, out)
    sheet = load_workbook(out).worksheets[0]
    cells = {sheet.cell(row=r, column=1).value: sheet.cell(row=r, column=1) for r in (2, 3, 4)}
    for text in ("=1+1", "@SUM(A1)"):
        assert cells[text].data_type == "s", text
        assert cells[text].quotePrefix
    assert [sheet.cell(row=r, column=2).value for r in (2, 3, 4)] == [-5, 10, 20]


def test_fee_cli_csv_neutralises_a_hostile_municipality_name(tmp_path, capsys):
    import shutil

    from foui_analysis.cli import main
    from foui_analysis.paths import REPO_ROOT

    reference = shutil.copytree(REPO_ROOT / "data" / "reference", tmp_path / "ref")
    names = reference / "municipalities.csv"
    names.write_text(
        names.read_text(encoding="utf-8").replace("Luleå", "=cmd|' /C calc'!A0"),
        encoding="utf-8",
    )
    population = reference / "scb_population.csv"
    population.write_text(
        population.read_text(encoding="utf-8").replace("Luleå", "=cmd|' /C calc'!A0"),
        encoding="utf-8",
    )
    out = tmp_path / "avgifter.csv"
    code = main(["fees", "--year", "2015", "--reference", str(reference), "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    text = out.read_text(encoding="utf-8")
    assert "'=cmd|" in text
    assert not any(line.startswith("=") or ",=" in line for line in text.splitlines())


@given(st.text(min_size=1))
def test_no_text_cell_leaves_as_a_formula(text):
    shown = exports.neutralise(text)
    if shown == text:
        assert not text.startswith(exports.FORMULA_STARTS) or exports._PLAIN_NUMBER.fullmatch(text)
    else:
        assert shown == "'" + text
