"""Fees: the seed's funding rules on the real agreement and SCB's population."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from io import StringIO

import pandas as pd
import pytest

from foui_analysis.arguments import ArgumentError
from foui_analysis.domain import fees
from foui_analysis.domain.fees import (
    FEE_COLUMNS,
    compare_keys,
    fee_table,
    fees_by_municipality,
    fees_for_years,
    member_scenario,
    per_inhabitant,
    totals,
)

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


def with_socialtjanst(agreement, amounts: dict[int, int]):
    components = tuple(
        replace(c, amount_sek=amounts) if c.id == "socialtjanst" else c
        for c in agreement.components
    )
    return replace(agreement, components=components)


def test_the_columns_are_the_design_contract(agreement, reference):
    assert FEE_COLUMNS == DESIGN_COLUMNS
    assert list(fee_table(agreement, reference, 2014).columns) == DESIGN_COLUMNS


@pytest.mark.parametrize(
    ("component", "rate", "total"), [("skola", 4, 994_548), ("overgripande", 5, 1_243_185)]
)
def test_2014_is_the_rate_times_the_population_on_31_december_2012(
    agreement, reference, scb_population, component, rate, total
):
    table = fee_table(agreement, reference, 2014)
    rows = table[table["component"] == component].set_index("municipality_code")
    basis = scb_population[scb_population["year"] == 2012].set_index("municipality_code")
    assert sorted(rows.index) == sorted(agreement.members)
    for code in agreement.members:
        assert rows.loc[code, "population"] == basis.loc[code, "population"]
        assert rows.loc[code, "fee_sek"] == rate * basis.loc[code, "population"]
        assert rows.loc[code, "basis_date"] == dt.date(2012, 12, 31)
        assert rows.loc[code, "rate_sek_per_inhabitant"] == Decimal(rate)
        assert rows.loc[code, "municipality"] == basis.loc[code, "municipality"]
    assert rows["fee_sek"].sum() == total


def test_2014_totals(agreement, reference):
    expected = pd.DataFrame(
        {
            "component": ["skola", "overgripande"],
            "funding_source": ["avgift", "eget_kapital"],
            "invoiced": [True, False],
            "population": [248_637, 248_637],
            "fee_sek": [994_548, 1_243_185],
        }
    )
    pd.testing.assert_frame_equal(
        totals(fee_table(agreement, reference, 2014)), expected, check_dtype=False
    )


@pytest.mark.parametrize(
    ("year", "source"),
    [
        (2014, "eget_kapital"),
        (2015, "eget_kapital"),
        (2016, "forbundets_ram"),
        (2017, "forbundets_ram"),
        (2018, "forbundets_ram"),
    ],
)
def test_overgripande_funding_source_by_year(agreement, reference, year, source):
    table = fee_table(agreement, reference, year)
    assert set(table.loc[table["component"] == "overgripande", "funding_source"]) == {source}
    assert set(table.loc[table["component"] == "skola", "funding_source"]) == {"avgift"}


def test_socialtjanst_has_no_rows_when_its_amount_is_unknown(agreement, reference):
    table = fee_table(agreement, reference, 2014)
    assert set(table["component"]) == {"skola", "overgripande"}
    assert len(table) == 28


def test_socialtjanst_rows_sum_exactly_to_the_given_amount(agreement, reference):
    known = with_socialtjanst(agreement, {2014: 1_000_000})
    table = fee_table(known, reference, 2014)
    rows = table[table["component"] == "socialtjanst"]
    assert len(rows) == 14
    assert rows["fee_sek"].sum() == 1_000_000
    assert set(rows["funding_source"]) == {"medlemsavgift"}
    assert rows["rate_sek_per_inhabitant"].isna().all()
    # Split by population: each within a krona of its exact share.
    population = rows["population"].sum()
    for row in rows.itertuples():
        assert abs(row.fee_sek - Decimal(1_000_000) * row.population / population) < 1
    # A year without a known amount still has no rows.
    assert "socialtjanst" not in set(fee_table(known, reference, 2015)["component"])


def test_a_year_outside_the_agreement_is_refused_not_answered_with_no_rows(agreement, reference):
    with pytest.raises(ArgumentError, match="2019 ligger utanför avtalsperioden 2014–2018"):
        fee_table(agreement, reference, 2019)


def test_fees_for_years_stacks_the_years(agreement, reference):
    table = fees_for_years(agreement, reference, range(2014, 2019))
    assert list(table.columns) == ["year", *DESIGN_COLUMNS]
    assert table.groupby("year").size().to_dict() == dict.fromkeys(range(2014, 2019), 28)
    for year, rows in table.groupby("year"):
        assert set(rows["basis_date"]) == {dt.date(year - 2, 12, 31)}


def test_fees_by_municipality_is_one_row_per_member(agreement, reference):
    wide = fees_by_municipality(fee_table(agreement, reference, 2014))
    assert len(wide) == 14
    assert (wide["skola"] * 5 == wide["overgripande"] * 4).all()


@pytest.mark.parametrize(
    ("population", "rate", "fee"),
    [
        (1000, Decimal("4"), 4000),
        (3, Decimal("4.50"), 14),
        (1, Decimal("0.5"), 1),
        (1, Decimal("0.49"), 0),
        (7, Decimal("1.25"), 9),
        (0, Decimal("4"), 0),
    ],
)
def test_per_inhabitant_rounds_half_away_from_zero(population, rate, fee):
    assert per_inhabitant(population, rate) == fee


def test_a_rate_with_ore_still_reconciles(agreement, reference):
    odd = replace(
        agreement,
        components=tuple(
            replace(c, rate_sek_per_inhabitant=Decimal("4.37")) if c.id == "skola" else c
            for c in agreement.components
        ),
    )
    table = fee_table(odd, reference, 2014)
    rows = table[table["component"] == "skola"]
    assert rows["fee_sek"].sum() == sum(
        per_inhabitant(p, Decimal("4.37")) for p in rows["population"]
    )


BASIS = pd.read_csv(
    StringIO("""\
municipality_code,municipality,population
2580,Luleå,700
2506,Arjeplog,100
2513,Överkalix,200
"""),
    dtype={"municipality_code": str},
)


def test_compare_keys_by_hand():
    table = compare_keys(1000, BASIS, base_share=Decimal("0.3"))
    expected = pd.DataFrame(
        {
            "municipality_code": ["2580", "2506", "2513"],
            "municipality": ["Luleå", "Arjeplog", "Överkalix"],
            "population": [700, 100, 200],
            "per_inhabitant_sek": [700, 100, 200],
            "equal_sek": [333, 334, 333],  # a tie: the left-over krona goes to the first code, 2506
            "base_plus_per_inhabitant_sek": [100 + 490, 100 + 70, 100 + 140],
            "equal_diff_sek": [-367, 234, 133],
            "base_diff_sek": [-110, 70, 40],
        }
    )
    pd.testing.assert_frame_equal(table, expected, check_dtype=False)


@pytest.mark.parametrize("total", [0, 1, 999, 994_548, 1_243_185])
@pytest.mark.parametrize("base_share", [Decimal("0"), Decimal("0.2"), Decimal("1")])
def test_compare_keys_every_key_sums_to_the_total(agreement, reference, total, base_share):
    basis = fees.basis_for(agreement, reference, 2014)
    table = compare_keys(total, basis, base_share)
    for column in ("per_inhabitant_sek", "equal_sek", "base_plus_per_inhabitant_sek"):
        assert table[column].sum() == total
    assert table["equal_diff_sek"].sum() == 0 and table["base_diff_sek"].sum() == 0


@pytest.mark.parametrize("base_share", [Decimal("-0.1"), Decimal("1.01")])
def test_compare_keys_refuses_a_base_share_outside_0_and_1(base_share):
    with pytest.raises(ValueError):
        compare_keys(1000, BASIS, base_share)


def test_member_scenario_a_member_leaves(agreement, reference):
    table = member_scenario(agreement, reference, 2014, "skola", leaving=("2580",))
    assert list(table.columns) == [
        "municipality_code",
        "municipality",
        "population",
        "fee_now_sek",
        "fee_scenario_sek",
        "fee_same_total_sek",
    ]
    assert len(table) == 14
    lulea = table[table["municipality_code"] == "2580"].iloc[0]
    others = table[table["municipality_code"] != "2580"]
    assert lulea["fee_now_sek"] == 4 * lulea["population"]
    assert lulea["fee_scenario_sek"] == 0 and lulea["fee_same_total_sek"] == 0
    # Per inhabitant no one else's fee changes; for the same total everyone else pays more.
    assert (others["fee_scenario_sek"] == others["fee_now_sek"]).all()
    assert (others["fee_same_total_sek"] > others["fee_now_sek"]).all()
    assert table["fee_now_sek"].sum() == 994_548
    assert table["fee_same_total_sek"].sum() == 994_548
    assert table["fee_scenario_sek"].sum() == 994_548 - 4 * lulea["population"]


def test_member_scenario_without_members_says_so(agreement, reference):
    with pytest.raises(ArgumentError, match="inga medlemmar kvar"):
        member_scenario(agreement, reference, 2014, "skola", leaving=agreement.members)


def test_member_scenario_a_member_joins(agreement, reference):
    fewer = agreement.with_members(tuple(m for m in agreement.members if m != "2584"))
    table = member_scenario(fewer, reference, 2014, "overgripande", joining=("2584",))
    kiruna = table[table["municipality_code"] == "2584"].iloc[0]
    assert kiruna["fee_now_sek"] == 0
    assert kiruna["fee_scenario_sek"] == 5 * kiruna["population"]
    assert table["fee_same_total_sek"].sum() == table["fee_now_sek"].sum()


def test_member_scenario_needs_a_rate(agreement, reference):
    with pytest.raises(ArgumentError, match="ingen avgift per invånare"):
        member_scenario(agreement, reference, 2014, "socialtjanst")
