"""``foui init``: a new data set with Excel templates, and ``foui check`` saying what it lacks."""

from __future__ import annotations

import datetime as dt
import re
import tomllib

import pytest
from openpyxl import load_workbook

from foui_analysis.cli import main
from foui_analysis.schemas.inputs import INPUT_TABLES

TEMPLATES = sorted(INPUT_TABLES)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    directory = tmp_path_factory.mktemp("init") / "egna-data"
    assert main(["init", str(directory)]) == 0
    return directory


def headings(sheet) -> dict[str, int]:
    """Column name (from the ``(name)`` at the end of each heading) to column number."""
    out = {}
    for cell in sheet[1]:
        match = re.search(r"\((\w+)\)$", str(cell.value or ""))
        if match:
            out[match.group(1)] = cell.column
    return out


def fill(path, rows: list[dict]) -> None:
    """Type rows into a template's data sheet below its header, as an office would."""
    book = load_workbook(path)
    sheet = book.worksheets[0]
    columns = headings(sheet)
    for number, row in enumerate(rows, start=2):
        for name, value in row.items():
            sheet.cell(row=number, column=columns[name], value=value)
    book.save(path)


def test_init_writes_a_data_set_that_is_not_example_data(fresh):
    names = sorted(p.relative_to(fresh).as_posix() for p in fresh.rglob("*") if p.is_file())
    assert names == sorted(
        [
            "README.md",
            "dataset.toml",
            "enkat/kolumner.toml",
            "sie/mappning.toml",
            *(f"{name}.xlsx" for name in TEMPLATES),
        ]
    )
    info = tomllib.loads((fresh / "dataset.toml").read_text(encoding="utf-8"))["dataset"]
    assert info["example"] is False
    assert info["name"] == "FoUI Norrbotten"
    assert info["agreement"] == "FoUI Norrbotten 2014-2018"
    assert info["books_closed_through"] == dt.date(2013, 12, 31)


def test_the_readme_explains_the_routine_and_personal_data_in_swedish(fresh):
    text = (fresh / "README.md").read_text(encoding="utf-8")
    for heading in ("## Varje månad", "## Varje halvår", "## Personuppgifter (GDPR)"):
        assert heading in text
    assert f"foui check --data {fresh.as_posix()}" in text
    assert "foui import sie bokforing-2014.se --mapping sie/mappning.toml" in text


@pytest.mark.parametrize("name", TEMPLATES)
def test_each_template_has_swedish_headings_instructions_and_validation(fresh, name):
    book = load_workbook(fresh / f"{name}.xlsx")
    assert book.sheetnames == ["Data", "Instruktioner", "Kommuner"]
    data = book["Data"]
    table = INPUT_TABLES[name]
    columns = headings(data)
    assert list(columns) == list(table.columns)
    for cell in data[1]:
        name_in_heading = re.search(r"\((\w+)\)$", cell.value).group(1)
        assert cell.value == f"{table.columns[name_in_heading].sv} ({name_in_heading})"
    instructions = "\n".join(
        str(c.value) for row in book["Instruktioner"].iter_rows() for c in row if c.value
    )
    assert "foui check --data" in instructions
    for column in columns:
        assert f"({column})" in instructions
    places = [tuple(r) for r in book["Kommuner"].iter_rows(values_only=True)]
    assert places[0] == ("Kommunkod", "Kommun")
    assert ("2580", "Luleå") in places and len(places) == 15


def validations(path) -> dict[str, object]:
    """Column name to its DataValidation, for a template's data sheet."""
    sheet = load_workbook(path)["Data"]
    columns = {v: k for k, v in headings(sheet).items()}
    out = {}
    for dv in sheet.data_validations.dataValidation:
        first = str(dv.sqref).split(":")[0]
        letter = re.match(r"[A-Z]+", first).group(0)
        from openpyxl.utils import column_index_from_string

        out[columns[column_index_from_string(letter)]] = dv
    return out


def test_activities_validation_drop_downs_dates_and_whole_numbers(fresh):
    dv = validations(fresh / "activities.xlsx")
    assert dv["area"].type == "list"
    assert dv["area"].formula1 == '"socialtjanst,skola,overgripande"'
    assert dv["kind"].type == "list" and "seminarium" in dv["kind"].formula1
    assert (dv["task"].type, dv["task"].formula1) == ("list", '"1,2,3,4,5,6"')
    assert (dv["date"].type, dv["date"].operator) == ("date", "between")
    assert (dv["date"].formula1, dv["date"].formula2) == ("DATE(2014,1,1)", "DATE(2018,12,31)")
    assert (dv["participants"].type, dv["participants"].operator) == (
        "whole",
        "greaterThanOrEqual",
    )
    assert dv["participants"].formula1 == "0"
    assert (dv["hours"].type, dv["hours"].formula1) == ("decimal", "0")
    assert "title" not in dv  # free text
    assert str(dv["area"].sqref) == "C2:C5000"
    assert dv["area"].showErrorMessage and dv["area"].error.startswith("Verksamhetsområde")


def test_municipality_codes_are_a_drop_down_of_the_members(fresh):
    for name in ("survey", "participation"):
        dv = validations(fresh / f"{name}.xlsx")["municipality_code"]
        assert (dv.type, dv.formula1) == ("list", "Kommuner!$A$2:$A$15")


def test_the_goal_framework_is_filled_and_targets_await_their_values(fresh):
    goals = [
        row
        for row in load_workbook(fresh / "goals.xlsx")["Data"].iter_rows(
            min_row=2, values_only=True
        )
        if any(v is not None for v in row)
    ]
    assert {row[0] for row in goals} >= {"P1", "P2", "P3", "P4", "U1", "U6", "M-nyttiggora"}
    targets = [
        row
        for row in load_workbook(fresh / "targets.xlsx")["Data"].iter_rows(
            min_row=2, values_only=True
        )
        if any(v is not None for v in row)
    ]
    indicators = {row[3] for row in goals}
    assert len(targets) == len(indicators) * 5
    assert {row[1] for row in targets} == set(range(2014, 2019))
    assert all(row[2] is None for row in targets)


def test_check_on_a_fresh_data_set_says_exactly_what_is_missing(fresh, capsys):
    assert main(["check", "--data", str(fresh)]) == 1
    lines = capsys.readouterr().err.splitlines()
    targets = [line for line in lines if "targets.xlsx" in line]
    others = [line for line in lines if "targets.xlsx" not in line]
    assert len(targets) == 80
    assert all(line.endswith("kolumn 'target': värde saknas") for line in targets)
    assert others == [
        f"fel: {fresh / 'activities.xlsx'}: inga rader ännu: en rad per aktivitet (seminarium, "
        "nätverksträff, kurs, handledning ...)",
        f"fel: {fresh / 'ledger.xlsx'}: inga rader ännu: en rad per bokföring (utfall); hoppa "
        "över mallen om ni importerar SIE-filer med foui import sie, som skriver ledger.csv",
        f"fel: {fresh / 'dataset.toml'}, kolumn 'books_closed_through': bokföringen är inte "
        "stängd för någon period ännu (2013-12-31); ange bokslutsdagen, t.ex. 2014-06-30, när "
        "första halvåret är bokslutat",
        "foui: 83 fel i indata; ingenting skrevs. Rätta felen och kör igen.",
    ]


def test_init_refuses_a_directory_that_is_not_empty(tmp_path, capsys):
    (tmp_path / "activities.csv").write_text("x\n", encoding="utf-8")
    assert main(["init", str(tmp_path)]) == 1
    assert f"{tmp_path}: katalogen finns redan och är inte tom" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["activities.csv"]


@pytest.mark.pipeline  # foui init, then foui check: every analysis of every report
def test_filled_templates_are_read_by_check_directly(tmp_path, capsys):
    directory = tmp_path / "d"
    assert main(["init", str(directory)]) == 0
    fill(
        directory / "activities.xlsx",
        [
            {
                "activity_id": "A1",
                "date": dt.datetime(2014, 3, 5),
                "area": "skola",
                "kind": "seminarium",
                "title": "Prioriteringsseminarium",
                "municipalities": "2580|2584",
                "participants": 12,
                "task": 1,
                "hours": 6.5,
            }
        ],
    )
    fill(
        directory / "ledger.xlsx",
        [
            {
                "date": dt.datetime(2014, 1, 25),
                "area": "skola",
                "line": "personal",
                "kind": "kostnad",
                "amount_sek": 41000,
            }
        ],
    )
    book = load_workbook(directory / "targets.xlsx")
    for row in book["Data"].iter_rows(min_row=2):
        if row[0].value:
            row[2].value = 1
    book.save(directory / "targets.xlsx")
    text = (directory / "dataset.toml").read_text(encoding="utf-8")
    text = text.replace("books_closed_through = 2013-12-31", "books_closed_through = 2014-06-30")
    (directory / "dataset.toml").write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert main(["check", "--data", str(directory)]) == 0, capsys.readouterr().err
    # A mistake typed past the validation (e.g. pasted) is named by file, row and column.
    fill(directory / "activities.xlsx", [{"area": "skolan"}])
    assert main(["check", "--data", str(directory)]) == 1
    assert (
        f"{directory / 'activities.xlsx'}, rad 2, kolumn 'area': väntade ett av socialtjanst, "
        "skola, overgripande, fick 'skolan'"
    ) in capsys.readouterr().err


def test_the_skeleton_mappings_are_valid_as_written(fresh):
    from foui_analysis.imports.mapping import Ignored, load_mapping
    from foui_analysis.imports.survey import DEFAULT_COLUMNS, load_survey_mapping

    sie = load_mapping(fresh / "sie" / "mappning.toml")
    assert sie.accounts == () and isinstance(sie.classify("1930", ()), Ignored)
    survey = load_survey_mapping(fresh / "enkat" / "kolumner.toml")
    assert survey.columns == DEFAULT_COLUMNS
    assert survey.roles["förtroendevald"] == "politiker"
