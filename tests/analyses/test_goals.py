"""Goal rules: attainment, status thresholds, trend, and indicators on a tiny data set."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from foui_analysis.analyses.goals import (
    INDICATORS,
    attainment_pct,
    classify,
    goal_attainment,
    indicator_status,
    survey_year,
    trend,
    twelve_months_before,
)
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
