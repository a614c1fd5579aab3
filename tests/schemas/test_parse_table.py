"""parse_table: typed columns from raw cells, and every problem of a file in one pass."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest
from openpyxl import Workbook

from foui_analysis.errors import InputError, Problem
from foui_analysis.schemas import Col, Table, read_table

VISITS = Table(
    name="visits",
    sv="Besök",
    en="Visits",
    columns={
        "municipality_code": Col("code", "Kommunkod", "Code", pattern=r"^25\d\d$"),
        "year": Col("int", "År", "Year", unit="år", ge=2000, le=2030),
        "area": Col("text", "Område", "Area", allowed=("skola", "socialtjanst")),
        "date": Col("date", "Datum", "Date"),
        "hours": Col("decimal", "Timmar", "Hours", unit="timmar", ge=0),
        "cost_sek": Col("money", "Kostnad", "Cost", unit="kr", le=100000),
        "guests": Col("int", "Gäster", "Guests", required=False, ge=0),
        "note": Col("text", "Anteckning", "Note", required=False),
    },
    key=("municipality_code", "year"),
)

HEADER = "municipality_code;year;area;date;hours;cost_sek;guests;note\n"


def read(tmp_path, body: str, table: Table = VISITS, header: str = HEADER, name="visits.csv"):
    path = tmp_path / name
    path.write_text(header + body, encoding="utf-8")
    return read_table(path, table)


def problems(tmp_path, body: str, table: Table = VISITS, header: str = HEADER):
    with pytest.raises(InputError) as info:
        read(tmp_path, body, table, header)
    return info.value.problems


def test_cells_are_typed_by_their_column_kind(tmp_path):
    table = read(
        tmp_path,
        "2580;2014;skola;2014-03-01;1,5;1 247,50;3;första\n"
        "2505;2015;socialtjanst;2015-10-12;2;99 999;;\n",
    )

    def obj(*values):
        return pd.Series(values, dtype=object)

    expected = pd.DataFrame(
        {
            "municipality_code": obj("2580", "2505"),
            "year": pd.Series([2014, 2015], dtype="int64"),
            "area": obj("skola", "socialtjanst"),
            "date": obj(dt.date(2014, 3, 1), dt.date(2015, 10, 12)),
            "hours": obj(Decimal("1.5"), Decimal("2")),
            "cost_sek": obj(Decimal("1247.50"), Decimal("99999")),
            "guests": pd.Series([3, None], dtype="Int64"),
            "note": obj("första", None),
        }
    )
    pd.testing.assert_frame_equal(table, expected)


def test_every_problem_is_collected_with_file_row_column_and_what_was_expected(tmp_path):
    found = problems(
        tmp_path,
        "2580;2014;skola;2014-03-01;1;100;;\n"  # row 2: fine
        "25x0;1999;skolan;2014-3-1;-1;100 000,001;-2;\n"  # row 3: every column wrong
        "2581;tjugo;skola;;1;5;;\n"  # row 4: bad year, date missing
        "26;2031;socialtjanst;2014-01-01;1;200000;;\n",  # row 5: pattern, range, range
    )
    file = str(tmp_path / "visits.csv")
    assert {p.file for p in found} == {file}
    where = [(p.row, p.column) for p in found]
    assert where == [
        (3, "area"),
        (3, "cost_sek"),
        (3, "date"),
        (3, "guests"),
        (3, "hours"),
        (3, "municipality_code"),
        (3, "year"),
        (4, "date"),
        (4, "year"),
        (5, "cost_sek"),
        (5, "municipality_code"),
        (5, "year"),
    ]
    messages = {(p.row, p.column): p.message for p in found}
    assert "skola, socialtjanst" in messages[(3, "area")] and "skolan" in messages[(3, "area")]
    assert "högst två decimaler" in messages[(3, "cost_sek")]
    assert "ÅÅÅÅ-MM-DD" in messages[(3, "date")]
    assert "större än eller lika med 0" in messages[(3, "guests")]
    assert "större än eller lika med 0" in messages[(3, "hours")]
    assert "kod med siffror" in messages[(3, "municipality_code")]
    assert "mellan 2000 och 2030" in messages[(3, "year")]
    assert messages[(4, "date")] == "värde saknas"
    assert "tjugo" in messages[(4, "year")]
    assert "mindre än eller lika med 100000" in messages[(5, "cost_sek")]
    assert "^25\\d\\d$" in messages[(5, "municipality_code")]
    assert "2031" in messages[(5, "year")]


def test_a_problem_reads_as_file_row_column_and_message(tmp_path):
    [problem] = problems(tmp_path, "2580;2014;skolan;2014-03-01;1;1;;\n")
    assert str(problem) == (
        f"{tmp_path / 'visits.csv'}, rad 2, kolumn 'area': "
        "väntade ett av skola, socialtjanst, fick 'skolan'"
    )


def test_a_missing_required_column_is_named_and_an_optional_one_may_be_left_out(tmp_path):
    found = problems(tmp_path, "2580;skola\n", header="municipality_code;area\n")
    assert [(p.row, p.column, p.message) for p in found] == [
        (1, c, "kolumnen saknas i rubrikraden") for c in ("year", "date", "hours", "cost_sek")
    ]
    table = read(
        tmp_path,
        "2580;2014;skola;2014-03-01;1;1\n",
        header="municipality_code;year;area;date;hours;cost_sek\n",
    )
    assert table["guests"].isna().all() and table["note"].isna().all()


def test_a_column_named_twice_is_a_problem(tmp_path):
    found = problems(
        tmp_path,
        "2580;2014;2015;skola;2014-03-01;1;1\n",
        header="municipality_code;year;year;area;date;hours;cost_sek\n",
    )
    assert [(p.row, p.column) for p in found] == [(1, "year")]
    assert "flera gånger" in found[0].message


def test_a_duplicate_key_names_every_row_that_shares_it(tmp_path):
    found = problems(
        tmp_path,
        "2580;2014;skola;2014-03-01;1;1;;\n"
        "2580;2015;skola;2014-03-01;1;1;;\n"
        "2580;2014;socialtjanst;2014-03-01;1;1;;\n",
    )
    assert [(p.row, p.column) for p in found] == [
        (2, "municipality_code, year"),
        (4, "municipality_code, year"),
    ]
    assert all("förekommer flera gånger" in p.message for p in found)


def test_a_row_with_an_unreadable_key_is_not_also_called_a_duplicate(tmp_path):
    found = problems(tmp_path, "2580;x;skola;2014-03-01;1;1;;\n2580;y;skola;2014-03-01;1;1;;\n")
    assert [(p.row, p.column) for p in found] == [(2, "year"), (3, "year")]


@pytest.mark.parametrize(
    ("column", "value", "ok"),
    [
        ("year", "2000", True),
        ("year", "2030", True),
        ("year", "1999", False),
        ("year", "2031", False),
        ("hours", "0", True),
        ("hours", "-0,5", False),
        ("cost_sek", "100 000", True),
        ("cost_sek", "100 000,01", False),
        ("area", "socialtjanst", True),
        ("area", "Skola", False),
    ],
)
def test_ranges_and_allowed_values_are_inclusive_and_exact(tmp_path, column, value, ok):
    cells = {
        "municipality_code": "2580",
        "year": "2014",
        "area": "skola",
        "date": "2014-03-01",
        "hours": "1",
        "cost_sek": "1",
        "guests": "",
        "note": "",
    }
    cells[column] = value
    body = ";".join(cells.values()) + "\n"
    if ok:
        read(tmp_path, body)
    else:
        assert [(p.row, p.column) for p in problems(tmp_path, body)] == [(2, column)]


def test_a_header_only_file_gives_an_empty_typed_table(tmp_path):
    table = read(tmp_path, "")
    assert list(table.columns) == list(VISITS.columns)
    assert table.empty
    assert table["year"].dtype == "int64"


def test_xlsx_and_semicolon_text_give_the_same_table(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(";"))
    sheet.append([2580, 2014, "skola", dt.datetime(2014, 3, 1), 1.5, 1247.5, 3, "första"])
    sheet.append([2505, 2015, "socialtjanst", dt.datetime(2015, 10, 12), 2, 99999, None, None])
    book.save(tmp_path / "visits.xlsx")
    from_xlsx = read_table(tmp_path / "visits.xlsx", VISITS)
    from_text = read(
        tmp_path,
        "2580;2014;skola;2014-03-01;1,5;1 247,5;3;första\n"
        "2505;2015;socialtjanst;2015-10-12;2;99 999;;\n",
    )
    pd.testing.assert_frame_equal(from_xlsx, from_text)


def test_row_checks_see_only_readable_rows_with_their_row_numbers(tmp_path):
    seen = []

    def no_weekend(frame: pd.DataFrame, file: str) -> list[Problem]:
        seen.extend(frame["_row"])
        return [
            Problem(file, r.row, "date", "helgdag")
            for r in frame.assign(row=frame["_row"]).itertuples()
            if r.date.weekday() >= 5
        ]

    table = Table("t", "t", "t", {"date": Col("date", "Datum", "Date")}, row_checks=(no_weekend,))
    path = tmp_path / "t.csv"
    path.write_text("date\n2014-03-03\nx\n\n2014-03-01\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_table(path, table)
    assert seen == [2, 5]
    assert [(p.row, p.message) for p in info.value.problems] == [
        (3, "väntade ett datum ÅÅÅÅ-MM-DD, fick 'x'"),
        (5, "helgdag"),
    ]


NATIONAL = """municipality_code;municipality;year;population
00;Riket;2014;9747355
01;Stockholms län;2014;2198044
0114;Upplands Väsby;2014;42208
25;Norrbottens län;2014;249677
2580;Luleå;2014;75880
2584;Kiruna;2014;23178
"""


def test_a_national_population_extract_keeps_norrbotten(tmp_path):
    from foui_analysis.schemas.reference import POPULATION

    path = tmp_path / "befolkning.csv"
    path.write_text(NATIONAL, encoding="utf-8")
    table = read_table(path, POPULATION)
    assert table["municipality_code"].tolist() == ["25", "2580", "2584"]


def test_a_code_of_no_county_is_still_an_error_on_its_own_row(tmp_path):
    from foui_analysis.schemas.reference import POPULATION

    path = tmp_path / "befolkning.csv"
    path.write_text(NATIONAL + "2851;Skrivfel;2014;100\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_table(path, POPULATION)
    (problem,) = info.value.problems
    assert (problem.row, problem.column) == (8, "municipality_code")
