"""Swedish formats: money, numbers, percentages, dates, half-years, tables."""

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from foui_analysis.presentation.formats import (
    MISSING,
    NBSP,
    format_count,
    format_date,
    format_datetime,
    format_frame,
    format_int,
    format_number,
    format_pct,
    format_period,
    format_sek,
    format_years,
)

MINUS = "\u2212"  # the typographic minus (see the formats module docstring)


@pytest.mark.parametrize(
    ("amount", "decimals", "expected"),
    [
        (1247180, 0, f"1{NBSP}247{NBSP}180{NBSP}kr"),
        (0, 0, f"0{NBSP}kr"),
        (-1247180, 0, f"{MINUS}1{NBSP}247{NBSP}180{NBSP}kr"),
        (999, 0, f"999{NBSP}kr"),
        (np.int64(4000), 0, f"4{NBSP}000{NBSP}kr"),
        (Decimal("12.50"), 2, f"12,50{NBSP}kr"),
        (Decimal("12.5"), 0, f"13{NBSP}kr"),
        (Decimal("-0.5"), 0, f"{MINUS}1{NBSP}kr"),
        (Decimal("1234567.891"), 2, f"1{NBSP}234{NBSP}567,89{NBSP}kr"),
    ],
)
def test_format_sek(amount, decimals, expected):
    assert format_sek(amount, decimals) == expected


@pytest.mark.parametrize("amount", [1.5, True, "100", None])
def test_format_sek_refuses_float_and_non_numbers(amount):
    with pytest.raises(TypeError):
        format_sek(amount)


@settings(deadline=None)  # timing is not the property; a loaded machine took 312 ms once
@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_format_sek_round_trips_to_the_integer(amount):
    text = format_sek(amount)
    assert text.endswith(f"{NBSP}kr")
    digits = text.removesuffix(f"{NBSP}kr").replace(NBSP, "").replace(MINUS, "-")
    assert int(digits) == amount


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (12.5, 1, f"12,5{NBSP}%"),
        (12.45, 1, f"12,5{NBSP}%"),
        (0, 1, f"0,0{NBSP}%"),
        (-3.25, 2, f"{MINUS}3,25{NBSP}%"),
        (100, 0, f"100{NBSP}%"),
        (Decimal("33.333"), 1, f"33,3{NBSP}%"),
    ],
)
def test_format_pct(value, decimals, expected):
    assert format_pct(value, decimals=decimals) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1234.5, None, f"1{NBSP}234,5"),
        (1234.5, 0, f"1{NBSP}235"),
        (0.125, 2, "0,13"),
        (-2.5, 0, f"{MINUS}3"),
        (1e6, 1, f"1{NBSP}000{NBSP}000,0"),
    ],
)
def test_format_number(value, decimals, expected):
    assert format_number(value, decimals) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("-0.4"), f"0{NBSP}kr"),
        (-0.04, f"0,0{NBSP}%"),
        (-0.0, "0,0"),
        (5, f"+5{NBSP}kr"),
        (0, f"0{NBSP}kr"),
        (-5, f"{MINUS}5{NBSP}kr"),
    ],
)
def test_no_negative_zero_and_plus_on_signed_values(value, expected):
    if expected.endswith("kr"):
        shown = format_sek(value, signed=True) if isinstance(value, int) else format_sek(value)
    elif expected.endswith("%"):
        shown = format_pct(value)
    else:
        shown = format_number(value, 1)
    assert shown == expected


def test_changes_of_percentages_are_procentenheter():
    from foui_analysis.presentation.formats import format_pct_points

    assert format_pct_points(2.04) == f"+2,0{NBSP}procentenheter"
    assert format_pct_points(-0.04) == f"0,0{NBSP}procentenheter"
    assert format_pct_points(-3) == f"{MINUS}3,0{NBSP}procentenheter"


def test_swedish_alphabetical_order_puts_a_ring_a_umlaut_o_umlaut_last():
    from foui_analysis.presentation.formats import swedish_sort_key

    names = ["Övertorneå", "Älvsbyn", "Arjeplog", "Överkalix", "Piteå", "Luleå", "Åsele"]
    assert sorted(names, key=swedish_sort_key) == [
        "Arjeplog",
        "Luleå",
        "Piteå",
        "Åsele",
        "Älvsbyn",
        "Överkalix",
        "Övertorneå",
    ]


def test_format_int():
    assert format_int(1234567) == f"1{NBSP}234{NBSP}567"
    assert format_int(0) == "0"


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_format_number_refuses_non_finite(value):
    with pytest.raises(ValueError):
        format_number(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2026, 11, 27), "27 november 2026"),
        (dt.date(2015, 1, 1), "1 januari 2015"),
        (dt.datetime(2015, 6, 30, 23, 59), "30 juni 2015"),
        ("2016-03-01", "1 mars 2016"),
    ],
)
def test_format_date(value, expected):
    assert format_date(value) == expected


def test_format_datetime_keeps_the_time_zone():
    value = dt.datetime(2026, 11, 27, 10, 5, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert format_datetime(value) == "27 november 2026 kl. 10:05"
    assert format_datetime("2026-11-27T10:05:00+01:00") == "27 november 2026 kl. 10:05"


@pytest.mark.parametrize(
    ("period", "expected"),
    [("2015H1", "första halvåret 2015"), ("2015H2", "andra halvåret 2015")],
)
def test_format_period(period, expected):
    assert format_period(period) == expected


@pytest.mark.parametrize("period", ["2015H3", "2015", "15H1", "2015-H1", ""])
def test_format_period_refuses_other_forms(period):
    with pytest.raises(ValueError):
        format_period(period)


def test_format_years():
    assert format_years(2014, 2016) == "2014\u20132016"
    assert format_years(2015, 2015) == "2015"


def test_format_frame_uses_column_formatters_and_defaults():
    frame = pd.DataFrame(
        {
            "municipality": ["Luleå", "Kiruna"],
            "fee_sek": [Decimal(1247180), Decimal(0)],
            "share_pct": [12.5, None],
            "participants": pd.array([1234, None], dtype="Int64"),
        }
    )
    shown = format_frame(frame, {"fee_sek": format_sek, "share_pct": format_pct})
    expected = pd.DataFrame(
        {
            "municipality": ["Luleå", "Kiruna"],
            "fee_sek": [f"1{NBSP}247{NBSP}180{NBSP}kr", f"0{NBSP}kr"],
            "share_pct": [f"12,5{NBSP}%", MISSING],
            "participants": [f"1{NBSP}234", MISSING],
        },
        dtype=object,
    )
    pd.testing.assert_frame_equal(shown, expected)


def test_format_frame_refuses_unknown_columns():
    with pytest.raises(KeyError, match="fee_sek"):
        format_frame(pd.DataFrame({"a": [1]}), {"fee_sek": format_sek})


def _babel_fixed(value, decimals: int, signed: bool) -> str:
    """format_number as it was written with babel's pattern (the definition the fast path keeps)."""
    from babel.numbers import format_decimal

    from foui_analysis.presentation.formats import _pattern, _signs, _to_decimal

    shown = format_decimal(_to_decimal(value, decimals), format=_pattern(decimals), locale="sv_SE")
    return _signs(shown, signed)


@settings(deadline=None)
@given(
    st.one_of(
        st.integers(min_value=-(10**15), max_value=10**15),
        st.decimals(min_value=-(10**12), max_value=10**12, allow_nan=False, places=4),
        st.floats(min_value=-1e12, max_value=1e12, allow_nan=False),
    ),
    st.integers(min_value=0, max_value=4),
    st.booleans(),
)
def test_a_number_with_fixed_decimals_is_written_as_babel_writes_it(value, decimals, signed):
    assert format_number(value, decimals, signed=signed) == _babel_fixed(value, decimals, signed)


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, "0 budgetrader"), (1, "1 budgetrad"), (2, "2 budgetrader"), (1234, "1 234 budgetrader")],
)
def test_format_count_puts_the_noun_in_the_singular_for_exactly_one(count, expected):
    assert format_count(count, "budgetrad", "budgetrader").replace(NBSP, " ") == expected
