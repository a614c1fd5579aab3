"""The `foui` command: the contracts of docs/design.md (columns, dialects, exit codes, no
tracebacks)."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from foui_analysis.cli import build_parser, main
from foui_analysis.paths import REPO_ROOT

DESIGN_COLUMNS = [
    "municipality_code",
    "municipality",
    "component",
    "funding_source",
    "basis_date",
    "population",
    "rate_sek_per_inhabitant",
    "fee_sek",
    "invoiced",
]
SCB = REPO_ROOT / "data" / "reference" / "scb_population.csv"
FOUI = Path(sys.executable).parent / "foui"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def frame(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def fees_2014() -> str:
    """`foui fees --year 2014` on the shipped data, as text."""
    import contextlib

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        assert main(["fees", "--year", "2014"]) == 0
    return buffer.getvalue()


def test_fees_csv_has_exactly_the_design_columns(capsys):
    code, out, err = run(capsys, "fees", "--year", "2014", "--format", "csv")
    assert code == 0 and err == ""
    table = frame(out)
    assert list(table.columns) == DESIGN_COLUMNS
    assert len(table) == 28
    assert set(table["component"]) == {"skola", "overgripande"}
    assert set(table["basis_date"]) == {"2012-12-31"}
    sums = table.assign(fee_sek=table["fee_sek"].astype(int)).groupby("component")["fee_sek"]
    assert sums.sum().to_dict() == {"skola": 994_548, "overgripande": 1_243_185}
    assert set(table["rate_sek_per_inhabitant"]) == {"4", "5"}
    # invoiced: skola is invoiced, the övergripande frame is not
    assert table.groupby("component")["invoiced"].agg(set).to_dict() == {
        "skola": {"true"},
        "overgripande": {"false"},
    }


def test_fees_csv_to_a_file(capsys, tmp_path, fees_2014):
    code, out, _ = run(capsys, "fees", "--year", "2014", "--out", str(tmp_path / "a" / "f.csv"))
    assert code == 0 and out == ""
    assert (tmp_path / "a" / "f.csv").read_text(encoding="utf-8") == fees_2014


def test_socialtjanst_rows_have_an_empty_rate(capsys, tmp_path):
    text = (REPO_ROOT / "data" / "agreement.toml").read_text(encoding="utf-8")
    agreement = tmp_path / "agreement.toml"
    agreement.write_text(
        text.replace("amount_sek = {}", "amount_sek = { 2014 = 1000000 }"), encoding="utf-8"
    )
    code, out, _ = run(capsys, "fees", "--year", "2014", "--agreement", str(agreement))
    assert code == 0
    social = frame(out).query("component == 'socialtjanst'")
    assert len(social) == 14
    assert set(social["rate_sek_per_inhabitant"]) == {""}
    assert social["fee_sek"].astype(int).sum() == 1_000_000


def scb_rows() -> list[dict[str, str]]:
    with SCB.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def swedish_thousands(number: str) -> str:
    return f"{int(number):,}".replace(",", " ")


def write_windows_semicolon(path: Path) -> Path:
    lines = ["kommunkod;municipality_code;municipality;year;population"]
    for row in scb_rows():
        lines.append(
            ";".join(
                [
                    "x",
                    row["municipality_code"],
                    row["municipality"],
                    row["year"],
                    swedish_thousands(row["population"]),
                ]
            )
        )
    path.write_bytes("\r\n".join(lines).encode("cp1252"))
    return path


def write_xlsx(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["municipality_code", "municipality", "year", "population"])
    for row in scb_rows():
        sheet.append(
            [
                int(row["municipality_code"]),
                row["municipality"],
                int(row["year"]),
                int(row["population"]),
            ]
        )
    book.save(path)
    return path


@pytest.mark.parametrize(
    "make", [write_windows_semicolon, write_xlsx], ids=["semicolon-cp1252-spaces", "xlsx"]
)
def test_the_same_fee_table_from_any_population_dialect(capsys, tmp_path, fees_2014, make):
    suffix = ".xlsx" if make is write_xlsx else ".csv"
    population = make(tmp_path / f"befolkning{suffix}")
    if suffix == ".csv":
        assert "Överkalix" in population.read_bytes().decode("cp1252")
        assert b"\xd6verkalix" in population.read_bytes()
    code, out, err = run(capsys, "fees", "--year", "2014", "--population", str(population))
    assert (code, err) == (0, "")
    assert out == fees_2014


def test_fees_xlsx_opens_with_a_sheet_per_year_swedish_headings_and_the_csv_totals(
    capsys, tmp_path, fees_2014
):
    out = tmp_path / "avgifter-2014.xlsx"
    code, _, err = run(capsys, "fees", "--year", "2014", "--format", "xlsx", "--out", str(out))
    assert code == 0 and str(out) in err
    book = load_workbook(out)
    assert book.sheetnames == [
        "Sammanfattning",
        "Faktura 2014",
        "Faktureras inte 2014",
        "Avgifter 2014",
    ]
    rows = list(book["Avgifter 2014"].iter_rows(values_only=True))
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
    # every row, but no total: a total of this sheet would add invoiced and non-invoiced
    assert "Summa" not in {r[0] for r in rows}
    csv_table = frame(fees_2014)
    summary = list(book["Sammanfattning"].iter_rows(values_only=True))
    by_component = (
        csv_table.assign(fee=csv_table["fee_sek"].astype(int))
        .groupby("component", sort=False)["fee"]
        .sum()
    )
    assert [r[-1] for r in summary[1:]] == list(by_component)


def _sheet(book, name) -> list[tuple]:
    return list(book[name].iter_rows(values_only=True))


def test_fees_xlsx_no_sum_mixes_invoiced_and_non_invoiced_amounts(capsys, tmp_path):
    out = tmp_path / "avgifter-2016.xlsx"
    assert run(capsys, "fees", "--year", "2016", "--format", "xlsx", "--out", str(out))[0] == 0
    code, text, _ = run(capsys, "fees", "--year", "2016")
    table = frame(text).assign(fee=lambda t: t["fee_sek"].astype(int))
    invoiced = table[table["invoiced"] == "true"]
    not_invoiced = table[table["invoiced"] == "false"]
    book = load_workbook(out)
    bill = _sheet(book, "Faktura 2016")
    assert bill[0] == (
        "Kommunkod",
        "Kommun",
        "Invånare",
        "Månader som medlem",
        "FoUI skola (kr)",
        "Att fakturera (kr)",
    )
    body, total = bill[1:-1], bill[-1]
    assert total[0] == "Summa att fakturera"
    # per municipality: exactly its invoiced rows; in total: the invoiced rows only
    per_code = invoiced.groupby("municipality_code")["fee"].sum()
    assert {r[0]: r[-1] for r in body} == per_code.to_dict()
    assert total[-1] == invoiced["fee"].sum() == 999_948
    # the frame is on its own sheet with its own total, never in the invoice
    frame_sheet = _sheet(book, "Faktureras inte 2016")
    assert frame_sheet[0][-1] == "FoUI övergripande, faktureras inte (kr)"
    assert frame_sheet[-1][0] == "Summa per komponent (faktureras inte)"
    assert frame_sheet[-1][-1] == not_invoiced["fee"].sum() == 1_249_935
    mixed = invoiced["fee"].sum() + not_invoiced["fee"].sum()
    every_number = {v for name in book.sheetnames for r in _sheet(book, name) for v in r}
    assert mixed not in every_number


def test_budget_csv_and_xlsx(capsys, tmp_path):
    code, out, _ = run(capsys, "budget", "--from", "2014", "--to", "2018")
    assert code == 0
    ledger = frame(out)
    assert list(ledger.columns) == ["year", "area", "kind", "line", "funding_source", "amount_sek"]
    assert sorted(set(ledger["year"])) == ["2014", "2015", "2016", "2017", "2018"]
    # equity is never revenue, and övergripande's 2014 result is minus its costs
    assert "eget_kapital" not in set(ledger["funding_source"])
    rows_2014 = ledger[(ledger["year"] == "2014") & (ledger["area"] == "overgripande")]
    amounts = rows_2014["amount_sek"].astype(int)
    revenue = amounts[rows_2014["kind"] == "intakt"].sum()
    costs = amounts[rows_2014["kind"] == "kostnad"].sum()
    assert revenue == 0 and costs > 0
    assert revenue - costs == -costs
    out_path = tmp_path / "budget.xlsx"
    code, _, _ = run(
        capsys,
        "budget",
        "--from",
        "2014",
        "--to",
        "2015",
        "--format",
        "xlsx",
        "--out",
        str(out_path),
    )
    assert code == 0
    assert load_workbook(out_path).sheetnames == [
        "Resultat",
        "Intäkter och kostnader",
        "Eget kapital",
    ]


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["fees"],
        ["fees", "--year", "14"],
        ["fees", "--year", "tjugo"],
        ["fees", "--year", "2014", "--format", "pdf"],
        ["budget", "--from", "2014"],
        ["avgifter"],
        ["fees", "--year", "2014", "--okänd"],
    ],
)
def test_usage_errors_exit_2(capsys, argv):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "usage:" in err and "Traceback" not in err


def test_budget_from_after_to_is_a_usage_error(capsys):
    code, out, err = run(capsys, "budget", "--from", "2016", "--to", "2014")
    assert code == 2 and out == "" and "--from" in err


def test_bad_population_file_exits_1_naming_file_row_and_column(capsys, tmp_path):
    population = tmp_path / "befolkning.csv"
    population.write_text(
        "municipality_code;year;population\n2505;2012;6 467\n2506;2012;tre tusen\n25x6;2012;100\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "fees", "--year", "2014", "--population", str(population))
    assert code == 1 and out == ""
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert f"fel: {population}, rad 3, kolumn 'population': " in lines[0]
    assert f"fel: {population}, rad 4, kolumn 'municipality_code': " in lines[1]


def test_a_population_file_without_the_basis_year_exits_1(capsys, tmp_path):
    population = tmp_path / "befolkning.csv"
    population.write_text("municipality_code,year,population\n2505,2013,6430\n", encoding="utf-8")
    code, out, err = run(capsys, "fees", "--year", "2014", "--population", str(population))
    assert code == 1 and out == ""
    assert "31 december 2012 saknas" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["fees", "--year", "2014", "--population", "saknas.csv"], "finns inte"),
        (["fees", "--year", "2014", "--population", "pop.json"], "okänt filformat"),
        (["fees", "--year", "2014", "--agreement", "saknas.toml"], "avtalsfilen finns inte"),
        (["budget", "--from", "2014", "--to", "2025"], "utanför avtalsperioden"),
    ],
)
def test_bad_input_exits_1_without_a_traceback(capsys, tmp_path, monkeypatch, argv, words):
    (tmp_path / "pop.json").write_text("{}")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("foui_analysis.paths.data_root", lambda: REPO_ROOT / "data")
    code, out, err = run(capsys, *argv)
    assert code == 1 and out == ""
    assert words in err and "Traceback" not in err
    assert err.startswith("fel: ")


@pytest.mark.slow  # starts the installed `foui` (seconds)
def test_the_installed_command_runs_as_a_subprocess(fees_2014):
    result = subprocess.run(
        [str(FOUI), "fees", "--year", "2014"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == fees_2014
    assert result.stderr == ""


@pytest.mark.slow  # starts the installed `foui` (seconds)
def test_a_closed_pipe_is_quiet():
    process = subprocess.Popen(
        [str(FOUI), "budget", "--from", "2014", "--to", "2018"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO_ROOT,
    )
    process.stdout.close()
    err = process.stderr.read()
    process.stderr.close()
    assert process.wait(timeout=120) == 0
    assert err == b""


def test_a_runner_that_fails_to_import_is_not_silently_dropped(monkeypatch):
    """`foui run` must not vanish from the command because its module is broken."""
    monkeypatch.setitem(sys.modules, "foui_analysis.runner.cli", None)  # import raises
    with pytest.raises(ImportError):
        build_parser()
