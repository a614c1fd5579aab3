"""Results of the loaded agreement and reference data computed once (domain/shared.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from foui_analysis.domain import budget, fees
from foui_analysis.domain.agreement import load_agreement
from foui_analysis.domain.reference import load_reference
from foui_analysis.domain.shared import per_loaded
from foui_analysis.handout import handout
from foui_analysis.paths import REPO_ROOT

DATA = REPO_ROOT / "data"


@pytest.fixture
def loaded():
    """A freshly loaded agreement and reference (the cached objects), and a counting function."""
    agreement = load_agreement(DATA / "agreement.toml")
    reference = load_reference(DATA / "reference")
    calls = []

    @per_loaded
    def inhabitants(agreement, reference, year, members=None):
        calls.append(year)
        rows = reference.population[reference.population["year"] == year]
        return pd.DataFrame({"population": [int(rows["population"].sum())]})

    return agreement, reference, inhabitants, calls


def test_views_of_the_cached_objects_share_one_result_keyed_on_the_bound_arguments(loaded):
    agreement, reference, inhabitants, calls = loaded
    first = inhabitants(handout(agreement), handout(reference), 2015)
    again = inhabitants(handout(agreement), handout(reference), 2015, None)
    named = inhabitants(handout(agreement), handout(reference), year=2015)
    assert first.equals(again) and first.equals(named)
    assert calls == [2015]
    inhabitants(handout(agreement), handout(reference), 2016)
    assert calls == [2015, 2016]
    # The cached objects themselves (as a memoised function passes them on) share the memo.
    inhabitants(agreement, reference, 2016)
    assert calls == [2015, 2016]


def test_each_caller_gets_a_copy(loaded):
    agreement, reference, inhabitants, _ = loaded
    first = inhabitants(handout(agreement), handout(reference), 2015)
    first.loc[0, "population"] = -1
    assert inhabitants(handout(agreement), handout(reference), 2015).loc[0, "population"] > 0


def test_a_view_changed_in_place_cannot_change_what_the_next_caller_gets(loaded):
    agreement, reference, inhabitants, _ = loaded
    before = int(inhabitants(handout(agreement), handout(reference), 2015).loc[0, "population"])
    changed = handout(reference)
    changed.population["population"] = 1
    assert inhabitants(handout(agreement), changed, 2014).loc[0, "population"] > 1000
    assert int(inhabitants(handout(agreement), handout(reference), 2015).iloc[0, 0]) == before


def test_objects_not_from_the_cache_are_computed_every_time(loaded):
    """A researcher's own objects: a table changed in place gives new figures."""
    agreement, reference, inhabitants, calls = loaded
    inhabitants(handout(agreement), handout(reference), 2015)  # the memo belongs to these
    other = load_reference(DATA / "reference")
    first = inhabitants(agreement, other, 2015)
    other.population["population"] = 1
    second = inhabitants(agreement, other, 2015)
    assert int(first.iloc[0, 0]) > int(second.iloc[0, 0])
    assert calls == [2015, 2015, 2015]


def test_new_cached_objects_empty_the_memo(loaded):
    agreement, reference, inhabitants, calls = loaded
    inhabitants(handout(agreement), handout(reference), 2015)
    fresh = load_reference(DATA / "reference")
    inhabitants(handout(agreement), handout(fresh), 2015)
    inhabitants(handout(agreement), handout(reference), 2015)
    assert calls == [2015, 2015, 2015]


def test_a_failure_is_not_remembered(loaded):
    agreement, reference, _, _ = loaded
    calls = []

    @per_loaded
    def failing(agreement, reference, year):
        calls.append(year)
        raise ValueError(year)

    for _ in range(2):
        with pytest.raises(ValueError):
            failing(handout(agreement), handout(reference), 2015)
    assert calls == [2015, 2015]


def test_memoised_budget_and_fees_equal_those_computed_afresh(loaded):
    """The library's memoised functions give, through views, what they give without a memo;
    a tuple result (the fee table and its fallback year) is copied part by part."""
    agreement, reference, _, _ = loaded
    fresh_agreement = load_agreement(DATA / "agreement.toml")
    fresh_reference = load_reference(DATA / "reference")
    for _ in range(2):
        view = (handout(agreement), handout(reference))
        assert budget.budget(*view).equals(budget.budget(fresh_agreement, fresh_reference))
        for year in agreement.years:
            table, fallback = budget.budget_fee_table(*view, year)
            expected, expected_fallback = budget.budget_fee_table(
                fresh_agreement, fresh_reference, year
            )
            assert table.equals(expected) and fallback == expected_fallback
            table["fee_sek"] = 0  # changes this caller's copy only
        assert fees.fee_table(*view, 2015).equals(
            fees.fee_table(fresh_agreement, fresh_reference, 2015)
        )
