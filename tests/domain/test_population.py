"""Population basis of a fee year, and the county check."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pandas as pd
import pytest

from foui_analysis.domain.population import (
    basis_year,
    county_check,
    county_warnings,
    population_basis,
)
from foui_analysis.errors import InputError

POPULATION = pd.read_csv(
    StringIO("""\
municipality_code,year,population
2505,2012,6467
2505,2013,6430
2506,2012,3054
2506,2013,2980
25,2012,9521
25,2013,9400
"""),
    dtype={"municipality_code": str},
)
NAMES = {"2505": "Arvidsjaur", "2506": "Arjeplog"}


@pytest.mark.parametrize(
    ("fee_year", "lag", "expected"), [(2014, 2, 2012), (2014, 1, 2013), (2014, 0, 2014)]
)
def test_basis_year(fee_year, lag, expected):
    assert basis_year(fee_year, lag) == expected


@pytest.mark.parametrize(
    ("lag", "year", "populations"),
    [(2, 2012, [3054, 6467]), (1, 2013, [2980, 6430])],
    ids=["default-lag-2", "lag-1"],
)
def test_the_basis_is_31_december_lag_years_before_the_fee_year(lag, year, populations):
    basis = population_basis(POPULATION, ("2506", "2505"), NAMES, 2014, lag)
    expected = pd.DataFrame(
        {
            "municipality_code": ["2506", "2505"],
            "municipality": ["Arjeplog", "Arvidsjaur"],
            "basis_date": [dt.date(year, 12, 31)] * 2,
            "population": populations,
        }
    )
    pd.testing.assert_frame_equal(basis, expected, check_dtype=False)
    assert list(basis.columns) == ["municipality_code", "municipality", "basis_date", "population"]


def test_a_missing_basis_year_is_one_clear_problem():
    with pytest.raises(InputError) as info:
        population_basis(POPULATION, ("2505", "2506"), NAMES, 2016, 2, source="pop.csv")
    [problem] = info.value.problems
    assert problem.file == "pop.csv"
    assert problem.column == "population"
    assert "31 december 2014" in problem.message
    assert "Arvidsjaur (2505)" in problem.message and "Arjeplog (2506)" in problem.message
    assert "avgiftsåret 2016" in problem.message


def test_a_member_missing_in_the_basis_year_is_named():
    partial = POPULATION[
        ~((POPULATION["municipality_code"] == "2506") & (POPULATION["year"] == 2012))
    ]
    with pytest.raises(InputError) as info:
        population_basis(partial, ("2505", "2506"), NAMES, 2014, 2)
    [problem] = info.value.problems
    assert "Arjeplog (2506)" in problem.message and "2505" not in problem.message


def test_a_member_outside_the_register_is_named():
    with pytest.raises(InputError) as info:
        population_basis(POPULATION, ("2505", "2599"), NAMES, 2014, 2)
    columns = {p.column: p.message for p in info.value.problems}
    assert "2599" in columns["municipality_code"]
    assert "okänd (2599)" in columns["population"]


def test_no_members_gives_an_empty_basis_with_its_columns():
    basis = population_basis(POPULATION, (), NAMES, 2014, 2)
    assert basis.empty
    assert list(basis.columns) == ["municipality_code", "municipality", "basis_date", "population"]


def test_county_check_compares_the_county_with_the_sum_of_municipalities():
    population = pd.read_csv(
        StringIO("""\
municipality_code,year,population
2505,2012,100
2506,2012,50
25,2012,150
2505,2013,100
2506,2013,60
25,2013,150
2505,2014,100
25,2014,170
"""),
        dtype={"municipality_code": str},
    )
    expected = pd.DataFrame(
        {
            "year": [2012, 2013, 2014],
            "county": [150, 150, 170],
            "municipalities_sum": [150, 160, 100],
            "difference": [0, 10, -70],
            "complete": [True, True, False],
        }
    )
    pd.testing.assert_frame_equal(county_check(population), expected, check_dtype=False)
    assert county_warnings(population) == [
        "Folkmängd 2013: summan av kommunerna (160) skiljer sig från länets siffra (150) med "
        "+10 invånare"
    ]


def test_the_real_file_disagrees_only_in_2015_by_31(reference):
    check = county_check(reference.population)
    complete = check[check["complete"]]
    disagreeing = complete[complete["difference"] != 0]
    assert list(disagreeing["year"]) == [2015]
    assert list(disagreeing["difference"]) == [31]
    [warning] = county_warnings(reference.population)
    assert "2015" in warning and "+31" in warning


def test_the_real_file_has_every_member_for_every_basis_year_of_the_agreement(agreement, reference):
    names = reference.municipality_names()
    for year in agreement.years:
        basis = population_basis(
            reference.population, agreement.members, names, year, agreement.lag_years
        )
        assert len(basis) == 14
