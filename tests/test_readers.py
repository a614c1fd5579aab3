"""Readers: every dialect Swedish spreadsheets and finance systems export gives the same cells."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from openpyxl import Workbook

from foui_analysis.errors import InputError
from foui_analysis.readers import read_raw, sniff_separator

EXPECTED = pd.DataFrame(
    {
        "municipality_code": ["2513", "2514"],
        "municipality": ["Överkalix", "Kalix"],
        "population": ["3 497", "16 620"],
    },
    dtype=object,
)


def write(tmp_path, text: str, encoding: str = "utf-8", name: str = "pop.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize(
    ("separator", "encoding", "bom"),
    [
        (",", "utf-8", False),
        (";", "utf-8", False),
        ("\t", "utf-8", False),
        (",", "utf-8", True),
        (";", "utf-8", True),
        (";", "cp1252", False),
        ("\t", "cp1252", False),
    ],
    ids=[
        "comma-utf8",
        "semicolon-utf8",
        "tab-utf8",
        "comma-bom",
        "semicolon-bom",
        "semicolon-cp1252",
        "tab-cp1252",
    ],
)
def test_every_dialect_reads_to_the_same_cells(tmp_path, separator, encoding, bom):
    lines = [
        ["municipality_code", "municipality", "population"],
        ["2513", "Överkalix", "3 497"],
        ["2514", "Kalix", "16 620"],
    ]
    text = "\r\n".join(separator.join(line) for line in lines) + "\r\n"
    data = text.encode(encoding)
    path = tmp_path / "pop.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)

    raw = read_raw(path)

    pd.testing.assert_frame_equal(raw.frame, EXPECTED)
    assert raw.separator == separator
    assert (
        raw.encoding
        == {("utf-8", True): "utf-8-sig", ("utf-8", False): "utf-8", ("cp1252", False): "cp1252"}[
            (encoding, bom)
        ]
    )
    assert raw.rows == [2, 3]


def test_excel_unicode_text_utf16_with_tabs(tmp_path):
    text = (
        "municipality_code\tmunicipality\tpopulation\r\n2513\tÖverkalix\t3 497\r\n"
        "2514\tKalix\t16 620\r\n"
    )
    path = tmp_path / "pop.txt"
    path.write_bytes(text.encode("utf-16"))  # with a byte order mark, as Excel writes it
    raw = read_raw(path)
    assert (raw.encoding, raw.separator) == ("utf-16", "\t")
    pd.testing.assert_frame_equal(raw.frame, EXPECTED)


def test_old_mac_line_endings(tmp_path):
    raw = read_raw(write(tmp_path, "year,population\r2014,10\r2015,11\r"))
    assert raw.rows == [2, 3]
    assert list(raw.frame["population"]) == ["10", "11"]


@pytest.mark.parametrize("rows", [3, 20_000], ids=["short", "beyond-the-csv-field-limit"])
def test_an_unclosed_quote_is_an_input_error(tmp_path, rows):
    body = "".join(f"{2000 + i % 100},{i}\n" for i in range(rows))
    path = write(tmp_path, 'year,title\n2014,"Seminarium\n' + body)
    with pytest.raises(InputError) as info:
        read_raw(path)
    [problem] = info.value.problems
    assert problem.file == str(path)
    assert problem.row == 2
    assert "textrad 2" in problem.message and "citattecknen" in problem.message


def test_a_line_break_inside_a_quoted_cell_stays_one_spreadsheet_row(tmp_path):
    raw = read_raw(write(tmp_path, 'year,title\n2014,"rad ett\nrad två"\n2015,x\n'))
    assert raw.rows == [2, 3]
    assert list(raw.frame["title"]) == ["rad ett\nrad två", "x"]


def test_swedish_letters_survive_windows_1252(tmp_path):
    path = write(
        tmp_path, "kommun;ort\nÖverkalix;Åsele\nPajala;Älvsbyn\nHaparanda;Luleå\n", "cp1252"
    )
    raw = read_raw(path)
    assert list(raw.frame["kommun"]) == ["Överkalix", "Pajala", "Haparanda"]
    assert list(raw.frame["ort"]) == ["Åsele", "Älvsbyn", "Luleå"]


@pytest.mark.parametrize(
    "cell",
    ["12,5", "1 247 180", "1\u00a0247\u00a0180", "1\u202f247\u202f180", "1 234,56", "\u22123"],
    ids=[
        "decimal-comma",
        "space",
        "no-break-space",
        "narrow-no-break-space",
        "thousands-and-decimal",
        "unicode-minus",
    ],
)
def test_number_cells_reach_the_schema_unchanged(tmp_path, cell):
    """The reader never interprets a value: typing is the schema's job."""
    path = write(tmp_path, f'a;b\n"{cell}";x\n')
    assert read_raw(path).frame.loc[0, "a"] == cell


def test_a_decimal_comma_in_a_semicolon_file_is_not_a_separator(tmp_path):
    path = write(tmp_path, "year;po_pct\n2014;38,46\n2015;38,46\n")
    raw = read_raw(path)
    assert raw.separator == ";"
    assert list(raw.frame["po_pct"]) == ["38,46", "38,46"]


def test_quoted_fields_keep_their_separators_and_quotes(tmp_path):
    path = write(
        tmp_path,
        'id,title,population\nA1,"Seminarium, Luleå","1,5"\nA2,"Han sa ""hej""",2\n',
    )
    raw = read_raw(path)
    expected = pd.DataFrame(
        {
            "id": ["A1", "A2"],
            "title": ["Seminarium, Luleå", 'Han sa "hej"'],
            "population": ["1,5", "2"],
        },
        dtype=object,
    )
    pd.testing.assert_frame_equal(raw.frame, expected)


def test_the_header_decides_the_separator_even_with_commas_in_quoted_headings():
    assert sniff_separator('"a,b";c;d') == ";"
    assert sniff_separator("a,b,c") == ","
    assert sniff_separator("a\tb\tc,d") == "\t"


def test_empty_lines_are_skipped_and_keep_their_row_numbers(tmp_path):
    path = write(tmp_path, "\nyear,population\n2014,10\n\n  \n2015,11\n\n")
    raw = read_raw(path)
    assert raw.rows == [3, 6]


def test_rows_are_numbered_as_a_spreadsheet_user_sees_them(tmp_path):
    path = write(tmp_path, "year,population\n2014,10\n\n2015,11\n,\n2016,12\n")
    raw = read_raw(path)
    assert raw.rows == [2, 4, 6]
    assert list(raw.frame["year"]) == ["2014", "2015", "2016"]


def test_a_header_only_file_gives_an_empty_table_with_its_columns(tmp_path):
    raw = read_raw(write(tmp_path, "year,population\n"))
    assert list(raw.frame.columns) == ["year", "population"]
    assert raw.frame.empty


def test_headings_are_stripped(tmp_path):
    raw = read_raw(write(tmp_path, " year ; population\n2014;1\n"))
    assert list(raw.frame.columns) == ["year", "population"]


def write_xlsx(path, rows):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_xlsx_keeps_numbers_codes_and_dates_as_excel_typed_them(tmp_path):
    path = write_xlsx(
        tmp_path / "pop.xlsx",
        [
            ["municipality_code", "municipality", "date", "population", "share"],
            [2513, "Överkalix", dt.datetime(2012, 12, 31), 3497, 1.5],
            [2514, "Kalix", dt.datetime(2013, 12, 31), 16620, 0.25],
        ],
    )
    raw = read_raw(path)
    expected = pd.DataFrame(
        {
            "municipality_code": [2513, 2514],
            "municipality": ["Överkalix", "Kalix"],
            "date": [dt.datetime(2012, 12, 31), dt.datetime(2013, 12, 31)],
            "population": [3497, 16620],
            "share": [1.5, 0.25],
        },
        dtype=object,
    )
    pd.testing.assert_frame_equal(raw.frame, expected)
    assert raw.rows == [2, 3]


def test_xlsx_rows_are_the_sheet_row_numbers_and_blank_rows_are_skipped(tmp_path):
    path = write_xlsx(
        tmp_path / "pop.xlsx",
        [
            [None, None],
            ["year", "population"],
            [2014, 10],
            [None, None],
            [2015, None],
            [None, "  "],
            [2016, 12],
        ],
    )
    raw = read_raw(path)
    assert raw.rows == [3, 5, 7]
    expected = pd.DataFrame({"year": [2014, 2015, 2016], "population": [10, "", 12]}, dtype=object)
    pd.testing.assert_frame_equal(raw.frame, expected)


def test_xlsx_reads_only_the_first_sheet(tmp_path):
    book = Workbook()
    book.active.append(["year"])
    book.active.append([2014])
    other = book.create_sheet("Annat")
    other.append(["something"])
    book.save(tmp_path / "a.xlsx")
    assert list(read_raw(tmp_path / "a.xlsx").frame.columns) == ["year"]


@pytest.mark.parametrize(
    ("name", "content", "row", "words"),
    [
        ("pop.json", b"{}", None, "okänt filformat"),
        ("pop.csv", b"", None, "tom"),
        ("pop.csv", b"\r\n  \r\n", None, "tom"),
        ("pop.csv", b";;;;\r\n;;;;\r\n", None, "tom"),
        ("pop.csv", b"year,population\n2014,10\n2015,11,12\n", 3, "3 fält"),
        ("pop.csv", b"year;population\n\n2014\n", 3, "1 fält"),
        ("pop.xlsx", b"not a zip file", None, "Excel"),
    ],
    ids=[
        "unknown-suffix",
        "empty",
        "only-blank-lines",
        "only-separators",
        "ragged-long",
        "ragged-short",
        "broken-xlsx",
    ],
)
def test_unreadable_files_raise_an_input_error_naming_file_and_row(
    tmp_path, name, content, row, words
):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        read_raw(path)
    [problem] = info.value.problems
    assert problem.file == str(path)
    assert problem.row == row
    assert words in problem.message


def test_an_empty_workbook_is_an_input_error(tmp_path):
    path = write_xlsx(tmp_path / "empty.xlsx", [])
    with pytest.raises(InputError, match="tomt"):
        read_raw(path)


def test_a_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError) as info:
        read_raw(tmp_path / "saknas.csv")
    assert info.value.problems[0].file == str(tmp_path / "saknas.csv")
    assert "finns inte" in info.value.problems[0].message


def test_suffix_is_case_insensitive(tmp_path):
    raw = read_raw(write(tmp_path, "a,b\n1,2\n", name="POP.CSV"))
    assert list(raw.frame.columns) == ["a", "b"]
