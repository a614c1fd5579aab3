"""Largest-remainder allocation and öre rounding."""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_budget import examples

from foui_analysis.domain.allocation import allocate, round_sek


@pytest.mark.parametrize(
    ("total", "weights", "expected"),
    [
        (100, {"a": 1, "b": 1}, {"a": 50, "b": 50}),
        (100, {"a": 1, "b": 1, "c": 1}, {"a": 34, "b": 33, "c": 33}),
        (10, {"a": 1, "b": 2, "c": 2}, {"a": 2, "b": 4, "c": 4}),
        (11, {"a": 1, "b": 2, "c": 2}, {"a": 2, "b": 5, "c": 4}),  # tie: larger weight, then key
        (7, {"x": 3, "y": 0}, {"x": 7, "y": 0}),
        (0, {"a": 5, "b": 6}, {"a": 0, "b": 0}),
        (0, {}, {}),
        (0, {"a": 0}, {"a": 0}),
        (1000, {"a": Decimal("0.5"), "b": Fraction(1, 4), "c": 1}, {"a": 286, "b": 143, "c": 571}),
    ],
)
def test_allocate_by_hand(total, weights, expected):
    assert allocate(total, weights) == expected


@pytest.mark.parametrize(
    ("total", "weights", "error"),
    [
        (10.0, {"a": 1}, TypeError),
        (Decimal(10), {"a": 1}, TypeError),
        (-1, {"a": 1}, ValueError),
        (10, {"a": -1, "b": 2}, ValueError),
        (10, {}, ValueError),
        (10, {"a": 0}, ValueError),
    ],
)
def test_allocate_refuses(total, weights, error):
    with pytest.raises(error):
        allocate(total, weights)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("2.5"), 3),
        (Decimal("3.5"), 4),
        (Decimal("2.49"), 2),
        (Decimal("-2.5"), -3),
        (Fraction(5, 2), 3),
        (Fraction(7, 3), 2),
        (Fraction(-5, 2), -3),
        (12, 12),
        (Decimal("1247180.50"), 1247181),
    ],
)
def test_round_sek_rounds_half_away_from_zero(amount, expected):
    assert round_sek(amount) == expected


weights_strategy = st.dictionaries(
    st.text(alphabet="0123456789", min_size=4, max_size=4),
    st.integers(min_value=0, max_value=1_000_000),
    min_size=1,
    max_size=20,
).filter(lambda w: sum(w.values()) > 0)


@settings(max_examples=examples(200), deadline=None)
@given(total=st.integers(min_value=0, max_value=10**9), weights=weights_strategy)
def test_allocate_sums_exactly_and_each_part_is_within_a_krona(total, weights):
    parts = allocate(total, weights)
    assert set(parts) == set(weights)
    assert sum(parts.values()) == total
    weight_sum = sum(weights.values())
    for key, part in parts.items():
        assert part >= 0
        assert abs(part - Fraction(total * weights[key], weight_sum)) < 1


@settings(max_examples=examples(100), deadline=None)
@given(
    total=st.integers(min_value=0, max_value=10**7),
    weights=weights_strategy,
    seed=st.integers(min_value=0, max_value=2**32),
)
def test_allocate_does_not_depend_on_the_order_of_the_input(total, weights, seed):
    items = list(weights.items())
    random.Random(seed).shuffle(items)
    assert allocate(total, dict(items)) == allocate(total, weights)


@settings(max_examples=examples(100), deadline=None)
@given(total=st.integers(min_value=0, max_value=10**7), weights=weights_strategy)
def test_a_larger_weight_never_gets_less(total, weights):
    parts = allocate(total, weights)
    for a in weights:
        for b in weights:
            if weights[a] > weights[b]:
                assert parts[a] >= parts[b]
