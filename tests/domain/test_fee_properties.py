"""Invariants of the fee table, for any members and populations (hypothesis)."""

from __future__ import annotations

import random
from dataclasses import replace
from decimal import Decimal

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_budget import examples

from foui_analysis.domain.fees import fee_table

FEE_YEAR, BASIS_YEAR = 2014, 2012
SETTINGS = settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

populations = st.dictionaries(
    st.integers(min_value=1, max_value=99).map(lambda n: f"25{n:02d}"),
    st.integers(min_value=0, max_value=1_000_000),
    min_size=1,
    max_size=14,
).filter(lambda p: sum(p.values()) > 0)  # a known amount cannot be split over no inhabitants
rates = st.decimals(min_value=0, max_value=50, places=2, allow_nan=False, allow_infinity=False)


def world(
    agreement,
    reference,
    population: dict[str, int],
    rate: Decimal = Decimal("4"),
    social: int | None = None,
    seed: int = 0,
):
    """The real agreement with these members and rates, over a population of this shape."""
    codes = list(population)
    rows = [
        {"municipality_code": c, "year": BASIS_YEAR, "population": p} for c, p in population.items()
    ]
    random.Random(seed).shuffle(rows)
    frame = pd.DataFrame(rows)
    frame["population"] = frame["population"].astype("int64")
    register = pd.DataFrame({"municipality_code": codes, "municipality": [f"K{c}" for c in codes]})
    components = []
    for c in agreement.components:
        if c.id == "skola":
            c = replace(c, rate_sek_per_inhabitant=rate)
        if c.id == "socialtjanst" and social is not None:
            c = replace(c, amount_sek={FEE_YEAR: social})
        components.append(c)
    a = replace(agreement, members=tuple(codes), components=tuple(components))
    r = replace(reference, population=frame, municipalities=register)
    return a, r


def by_code(table: pd.DataFrame) -> pd.DataFrame:
    return table.sort_values(["component", "municipality_code"]).reset_index(drop=True)


@SETTINGS
@given(population=populations, rate=rates, social=st.integers(min_value=0, max_value=10**8))
def test_fees_sum_exactly_to_the_total_and_none_is_negative(
    agreement, reference, population, rate, social
):
    table = fee_table(*world(agreement, reference, population, rate, social), FEE_YEAR)
    assert (table["fee_sek"] >= 0).all()
    per_component = table.groupby("component")["fee_sek"].sum()
    assert per_component["socialtjanst"] == social
    assert per_component["overgripande"] == 5 * sum(population.values())
    skola = table[table["component"] == "skola"]
    for row in skola.itertuples():
        assert abs(row.fee_sek - rate * row.population) <= Decimal("0.5")


@SETTINGS
@given(
    population=populations,
    rate=rates,
    seed=st.integers(min_value=0, max_value=2**32),
    social=st.integers(min_value=0, max_value=10**8),
)
def test_fees_do_not_depend_on_row_or_member_order(
    agreement, reference, population, rate, seed, social
):
    first = fee_table(*world(agreement, reference, population, rate, social, seed=0), FEE_YEAR)
    items = list(population.items())
    random.Random(seed).shuffle(items)
    shuffled = fee_table(
        *world(agreement, reference, dict(items), rate, social, seed=seed), FEE_YEAR
    )
    pd.testing.assert_frame_equal(by_code(first), by_code(shuffled))


@SETTINGS
@given(population=populations, rate=rates, social=st.integers(min_value=0, max_value=10**8))
def test_a_larger_population_never_pays_less(agreement, reference, population, rate, social):
    table = fee_table(*world(agreement, reference, population, rate, social), FEE_YEAR)
    for _, rows in table.groupby("component"):
        ordered = rows.sort_values(["population", "fee_sek"])
        assert ordered["fee_sek"].is_monotonic_increasing


@SETTINGS
@given(population=populations.filter(lambda p: len(p) >= 2), rate=rates, data=st.data())
def test_removing_a_member_changes_no_other_members_per_inhabitant_fee(
    agreement, reference, population, rate, data
):
    leaving = data.draw(st.sampled_from(sorted(population)))
    before = fee_table(*world(agreement, reference, population, rate), FEE_YEAR)
    rest = {c: p for c, p in population.items() if c != leaving}
    after = fee_table(*world(agreement, reference, rest, rate), FEE_YEAR)
    expected = before[before["municipality_code"] != leaving]
    pd.testing.assert_frame_equal(by_code(after), by_code(expected))
