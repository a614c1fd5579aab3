"""Cell parsers: numbers, money, codes and dates as Swedish spreadsheets write them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from foui_analysis.schemas import (
    CellError,
    parse_code,
    parse_date,
    parse_decimal,
    parse_int,
    parse_money,
)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1 247 180", Decimal("1247180")),
        ("1\u00a0247\u00a0180", Decimal("1247180")),
        ("1\u202f247\u202f180", Decimal("1247180")),
        ("12,5", Decimal("12.5")),
        ("12.5", Decimal("12.5")),
        ("1.234,56", Decimal("1234.56")),
        ("1,234.56", Decimal("1234.56")),
        ("1 234,56", Decimal("1234.56")),
        ("1,234", Decimal("1.234")),  # Swedish: a single comma is the decimal separator
        ("-3", Decimal("-3")),
        ("\u22123", Decimal("-3")),
        ("\u22121 247,5", Decimal("-1247.5")),
        (" 42 ", Decimal("42")),
        ("0,1", Decimal("0.1")),
        (7, Decimal("7")),
        (0.1, Decimal("0.1")),  # from Excel: the shortest repr, not the binary float
        (38.46, Decimal("38.46")),
        (Decimal("2.50"), Decimal("2.50")),
    ],
)
def test_parse_decimal_reads_swedish_and_international_numbers(cell, expected):
    value = parse_decimal(cell)
    assert value == expected
    assert isinstance(value, Decimal)


@pytest.mark.parametrize(
    "cell",
    [
        "",
        "abc",
        "12 kr",
        "1,2,3",
        "1.2.3",
        "--3",
        "12,",
        ",5",
        "1e5",
        "NaN",
        "inf",
        True,
        float("nan"),
        float("inf"),
        Decimal("NaN"),
        Decimal("Infinity"),
        "\u0663",
    ],
)
def test_parse_decimal_rejects_what_is_not_a_number(cell):
    with pytest.raises(CellError, match="väntade ett tal"):
        parse_decimal(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1 247 180", 1247180),
        ("1\u00a0247\u00a0180", 1247180),
        ("12,0", 12),
        ("-3", -3),
        ("\u22123", -3),
        (3497, 3497),
        (3497.0, 3497),
        ("2 014", 2014),
    ],
)
def test_parse_int(cell, expected):
    value = parse_int(cell)
    assert value == expected
    assert type(value) is int


@pytest.mark.parametrize(
    ("cell", "words"),
    [("12,5", "heltal"), (12.5, "heltal"), ("1,234", "heltal"), ("tolv", "tal"), ("", "tal")],
)
def test_parse_int_rejects_fractions_and_text(cell, words):
    with pytest.raises(CellError, match=words):
        parse_int(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1 247 180", Decimal("1247180")),
        ("1 247 180,50", Decimal("1247180.50")),
        ("99,9", Decimal("99.9")),
        ("-250", Decimal("-250")),
        (44550, Decimal("44550")),
        (0.1, Decimal("0.1")),
    ],
)
def test_parse_money_reads_kronor_and_ore(cell, expected):
    assert parse_money(cell) == expected


def test_parse_money_rounds_away_the_binary_noise_of_a_spreadsheet_formula():
    assert parse_money(1247.1800000000001) == Decimal("1247.18")
    assert parse_money(0.1 + 0.2) == Decimal("0.30")


@pytest.mark.parametrize("cell", ["12,345", "0,001", "1 247 180,505", 12.345, 0.001])
def test_parse_money_rejects_fractions_of_an_ore(cell):
    with pytest.raises(CellError, match="högst två decimaler"):
        parse_money(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2580", "2580"),
        (" 2580 ", "2580"),
        (2580, "2580"),
        (2580.0, "2580"),
        ("25", "25"),
        ("0180", "0180"),
    ],
)
def test_parse_code_keeps_codes_as_text(cell, expected):
    assert parse_code(cell) == expected


@pytest.mark.parametrize(
    "cell", ["25a0", "2580.5", 2580.5, "-2580", "25 80", "²", "\u0662\u0665", ""]
)
def test_parse_code_accepts_only_digits(cell):
    with pytest.raises(CellError, match="kod med siffror"):
        parse_code(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2014-03-01", dt.date(2014, 3, 1)),
        (" 2014-03-01 ", dt.date(2014, 3, 1)),
        (dt.datetime(2014, 3, 1, 0, 0), dt.date(2014, 3, 1)),
        (dt.date(2014, 3, 1), dt.date(2014, 3, 1)),
    ],
)
def test_parse_date(cell, expected):
    value = parse_date(cell)
    assert value == expected
    assert type(value) is dt.date


@pytest.mark.parametrize("cell", ["1/3/2014", "2014-13-01", "2014-02-30", "mars 2014", ""])
def test_parse_date_rejects_other_forms(cell):
    with pytest.raises(CellError, match="ÅÅÅÅ-MM-DD"):
        parse_date(cell)
