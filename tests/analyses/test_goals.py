"""Goal rules: attainment, status thresholds, trend, and indicators on a tiny data set."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from foui_analysis.analyses.goals import (
    INDICATORS,
    IndicatorRule,
    analysis_basis,
    attainment_pct,
    classify,
    goal_attainment,
    indicator_rules,
    indicator_status,
    per_basis,
    shown_attainment,
    status_counts,
    survey_year,
    trend,
    twelve_months_before,
)
from foui_analysis.domain.inputs import load_inputs
from foui_analysis.schemas.inputs import INDICATOR_IDS


@pytest.mark.parametrize(
    ("value", "target", "direction", "expected"),
    [
        (6, 6, "hogre", 100.0),
        (3, 6, "hogre", 50.0),
        (9, 6, "hogre", 150.0),
        (0, 0, "hogre", 100.0),
        (0, 1, "lagre", 100.0),
        (1, 1, "lagre", 100.0),
        (2, 1, "lagre", 50.0),
        (1, 0, "lagre", 0.0),
        (None, 5, "hogre", None),
        (5, None, "hogre", None),
    ],
)
def test_attainment(value, target, direction, expected):
    assert attainment_pct(value, target, direction) == expected


@pytest.mark.parametrize(
    ("pct", "status"),
    [
        (150.0, "uppnått"),
        (100.0, "uppnått"),
        (99.99, "delvis uppnått"),
        (80.0, "delvis uppnått"),
        (79.99, "ej uppnått"),
        (0.0, "ej uppnått"),
        (None, "ej mätbart"),
        (float("nan"), "ej mätbart"),
    ],
)
def test_status_thresholds(pct, status):
    assert classify(pct) == status


def test_thresholds_are_parameters():
    assert classify(90.0, achieved_from_pct=90, partial_from_pct=50) == "uppnått"
    assert classify(60.0, achieved_from_pct=90, partial_from_pct=50) == "delvis uppnått"


@pytest.mark.parametrize(
    ("now", "before", "expected"),
    [
        (90.0, 80.0, "upp"),
        (80.0, 90.0, "ned"),
        (80.5, 80.0, "oförändrad"),
        (80.0, None, "saknas"),
    ],
)
def test_trend(now, before, expected):
    assert trend(now, before) == expected


def test_the_library_computes_exactly_the_declared_indicators():
    assert set(INDICATORS) == set(INDICATOR_IDS)


def test_windows():
    assert twelve_months_before(dt.date(2015, 6, 30)) == dt.date(2014, 7, 1)
    assert twelve_months_before(dt.date(2015, 12, 31)) == dt.date(2015, 1, 1)
    assert survey_year(dt.date(2015, 6, 30)) == 2014
    assert survey_year(dt.date(2015, 12, 31)) == 2015


def test_indicators_on_the_tiny_data(tiny):
    status = indicator_status(tiny, dt.date(2015, 6, 30))
    expected = pd.DataFrame(
        {
            "indicator_id": ["seminarier", "kommuner_aktiva_pct", "glesbygd_ej_nadda"],
            # One seminar by June against 2 x 6/12; reached in the twelve months to June:
            # 2580, 2506, 2581 and (November 2014) 2584; glesbygd members not reached: all but 2506.
            "value": [1.0, 400 / 14, 8.0],
            "target": [1.0, 100.0, 2.0],
            "status": ["uppnått", "ej uppnått", "ej uppnått"],
        }
    )
    pd.testing.assert_frame_equal(status[["indicator_id", "value", "target", "status"]], expected)


def test_a_goal_is_the_capped_mean_of_its_indicators(tiny):
    indicators = pd.DataFrame(
        {
            "indicator_id": ["seminarier", "kommuner_aktiva_pct", "glesbygd_ej_nadda"],
            "attainment_pct": [300.0, 80.0, None],
        }
    )
    goals = goal_attainment(tiny, indicators)
    expected = pd.DataFrame(
        {
            "goal_id": ["U1", "P1"],
            "measurable": [1, 1],
            "attainment_pct": [100.0, 80.0],
            "status": ["uppnått", "delvis uppnått"],
        }
    )
    pd.testing.assert_frame_equal(
        goals[["goal_id", "measurable", "attainment_pct", "status"]], expected
    )


SCALE = IndicatorRule(direction="hogre", kind="skala", scale_min=1.0, scale_max=5.0)
RURAL = IndicatorRule(direction="lagre", kind="antal", tolerance=5.0)


@pytest.mark.parametrize(
    ("value", "target", "rule", "expected_pct", "expected_status"),
    [
        # A scale is measured on its range from the minimum: the midpoint 3 of 1-5 against a
        # target of 3 is met; the same midpoint against 3,4 is 2/2,4.
        (3.0, 3.0, SCALE, 100.0, "uppnått"),
        (3.0, 3.4, SCALE, 100.0 * 2.0 / 2.4, "delvis uppnått"),
        # Below the midpoint (2,72 against 3,4) is not "80 % of the target" but 72 %.
        (2.72, 3.4, SCALE, 100.0 * 1.72 / 2.4, "ej uppnått"),
        (1.0, 3.4, SCALE, 0.0, "ej uppnått"),
        (4.5, 3.4, SCALE, 100.0 * 3.5 / 2.4, "uppnått"),
        # Lower is better with target 0: met, or missed by how much (tolerance 5).
        (0.0, 0.0, RURAL, 100.0, "uppnått"),
        (1.0, 0.0, RURAL, 80.0, "delvis uppnått"),
        (2.0, 0.0, RURAL, 60.0, "ej uppnått"),
        (7.0, 0.0, RURAL, 0.0, "ej uppnått"),
        (1.0, 2.0, RURAL, 100.0, "uppnått"),
        # A tolerance on a higher-is-better indicator measures the shortfall in its unit.
        (
            3.5,
            3.7,
            IndicatorRule(kind="skala", scale_min=1, scale_max=5, tolerance=1.0),
            80.0,
            "delvis uppnått",
        ),
        # A count, share or rate is a plain ratio.
        (3.0, 6.0, IndicatorRule(kind="andel"), 50.0, "ej uppnått"),
    ],
)
def test_attainment_by_rule(value, target, rule, expected_pct, expected_status):
    pct = attainment_pct(value, target, rule)
    assert pct == pytest.approx(expected_pct)
    assert classify(pct) == expected_status


def test_rules_are_read_from_the_goal_framework(tiny):
    rules = indicator_rules(tiny.inputs.goals)
    assert rules["glesbygd_ej_nadda"] == IndicatorRule("lagre", "antal", None, None, 5.0)
    assert rules["glesbygd_ej_nadda"].method == "distance"
    assert rules["kommuner_aktiva_pct"] == IndicatorRule("hogre", "andel")
    assert rules["kommuner_aktiva_pct"].method == "ratio"


@pytest.mark.parametrize(
    ("pct", "shown", "decimals"),
    [
        (99.6, "99.6", 1),
        (99.95, "99.95", 2),  # rounding at the boundary: 100 or 100,0 would say uppnått
        (99.999, "99.99", 2),  # even two decimals would round up: rounded down instead
        (100.0, "100", 0),
        (100.4, "100", 0),
        (79.96, "79.96", 2),
        (85.44, "85", 0),
        (None, None, 0),
    ],
)
def test_the_shown_attainment_keeps_the_side_of_the_threshold(pct, shown, decimals):
    value, places = shown_attainment(pct)
    assert (None if value is None else str(value), places) == (shown, decimals)


@given(st.floats(min_value=0, max_value=1000, allow_nan=False))
def test_status_never_contradicts_the_shown_figure(pct):
    value, places = shown_attainment(pct)
    assert classify(float(value)) == classify(pct)
    assert value.as_tuple().exponent == -places


@pytest.fixture(scope="module")
def shared(agreement, reference, tiny_dir, tmp_path_factory):
    """The tiny data with one indicator (needs inventories) measuring two goals, P4 and U6."""
    directory = tmp_path_factory.mktemp("shared")
    for path in tiny_dir.iterdir():
        (directory / path.name).write_bytes(path.read_bytes())
    (directory / "goals.csv").write_text(
        "goal_id,goal_type,goal,indicator_id,indicator,unit,direction\n"
        "P4,syfte,Behov,behovsinventeringar,Behovsinventeringar,antal,hogre\n"
        "U6,uppdrag,System för behov,behovsinventeringar,Behovsinventeringar,antal,hogre\n"
        "U1,uppdrag,Seminarier,seminarier,Seminarier,antal,hogre\n",
        encoding="utf-8",
    )
    (directory / "targets.csv").write_text(
        "indicator_id,year,target\nbehovsinventeringar,2014,2\nseminarier,2014,1\n",
        encoding="utf-8",
    )
    return analysis_basis(agreement, reference, load_inputs(directory, agreement))


def test_an_indicator_of_two_goals_is_shown_per_goal_and_counted_once(shared):
    indicators = indicator_status(shared, dt.date(2014, 12, 31))
    # One row per indicator, naming both goals; one needs inventory in 2014 against 2.
    assert indicators["indicator_id"].tolist() == ["behovsinventeringar", "seminarier"]
    assert indicators["goals"].tolist() == ["P4, U6", "U1"]
    assert indicators["status"].tolist() == ["ej uppnått", "ej uppnått"]
    # Each goal shows it ...
    goals = goal_attainment(shared, indicators)
    assert goals[["goal_id", "attainment_pct"]].values.tolist() == [
        ["P4", 50.0],
        ["U6", 50.0],
        ["U1", 0.0],
    ]
    # ... but a count of indicators counts it once, even from a table listed per goal.
    per_goal = indicators.assign(goals=indicators["goals"].str.split(", ")).explode("goals")
    assert len(per_goal) == 3
    assert status_counts(per_goal) == {
        "uppnått": 0,
        "delvis uppnått": 0,
        "ej uppnått": 2,
        "ej mätbart": 0,
    }
    assert sum(status_counts(goals).values()) == len(goals) == 3


def test_a_memoised_result_is_keyed_on_the_arguments_as_the_function_sees_them(tiny):
    """``f(basis, p)``, ``f(basis, p, None)`` and ``f(basis, p, threshold=None)`` are one call;
    another argument value is another; each caller gets its own copy."""
    calls = []

    @per_basis
    def measured(basis, period, threshold=None):
        calls.append((period, threshold))
        return pd.DataFrame({"period": [period], "threshold": [threshold]})

    first = measured(tiny, "2015H1")
    assert measured(tiny, "2015H1", None).equals(first)
    assert measured(tiny, "2015H1", threshold=None).equals(first)
    assert measured(tiny, period="2015H1").equals(first)
    assert calls == [("2015H1", None)]
    measured(tiny, "2015H1", 5)
    assert calls == [("2015H1", None), ("2015H1", 5)]
    first.loc[0, "period"] = "ändrad"
    assert measured(tiny, "2015H1").loc[0, "period"] == "2015H1"
