"""activity_reach: one row per activity and municipality; participants split exactly."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_budget import examples

from foui_analysis.domain.inputs import activity_reach
from foui_analysis.schemas.inputs import ACTIVITIES

MEMBERS = ("2505", "2580", "2581")


def _activities(rows):
    return pd.DataFrame(
        rows,
        columns=list(ACTIVITIES.columns),
    )


def test_alla_reaches_every_member_and_participants_follow_population():
    acts = _activities(
        [
            (
                "A1",
                dt.date(2015, 3, 1),
                "skola",
                "seminarium",
                "t",
                "alla",
                10,
                "",
                1,
                Decimal("6"),
            ),
            ("A2", dt.date(2015, 4, 1), "skola", "natverk", "t", "2580", 3, "LTU", 5, Decimal("2")),
        ]
    )
    population = pd.DataFrame(
        {"year": [2015] * 3, "municipality_code": list(MEMBERS), "population": [1000, 7000, 2000]}
    )
    reach = activity_reach(acts, MEMBERS, population)
    expected = pd.DataFrame(
        {
            "activity_id": ["A1", "A1", "A1", "A2"],
            "municipality_code": ["2505", "2580", "2581", "2580"],
            "participants": [1, 7, 2, 3],
            "hours": [0.6, 4.2, 1.2, 2.0],
        }
    )
    pd.testing.assert_frame_equal(
        reach[["activity_id", "municipality_code", "participants", "hours"]],
        expected,
        check_exact=False,
    )


def test_without_population_the_split_is_equal():
    acts = _activities(
        [
            (
                "A1",
                dt.date(2015, 3, 1),
                "skola",
                "seminarium",
                "t",
                "2580|2581",
                5,
                "",
                1,
                Decimal("1"),
            )
        ]
    )
    assert sorted(activity_reach(acts, MEMBERS)["participants"]) == [2, 3]


rows = st.lists(
    st.tuples(
        st.sampled_from(["alla", "2505", "2580|2581", "2505|2581|2580"]),
        st.integers(min_value=0, max_value=500),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=examples(60), deadline=None)
@given(rows, st.randoms(use_true_random=False))
def test_per_municipality_participants_sum_to_the_total_whatever_the_order(data, rnd):
    acts = _activities(
        [
            (
                f"A{i}",
                dt.date(2015, 1, 1) + dt.timedelta(days=i),
                "skola",
                "natverk",
                "t",
                cell,
                n,
                "",
                5,
                Decimal(1),
            )
            for i, (cell, n) in enumerate(data)
        ]
    )
    population = pd.DataFrame(
        {"year": [2015] * 3, "municipality_code": list(MEMBERS), "population": [2907, 75966, 41508]}
    )
    reach = activity_reach(acts, MEMBERS, population)
    assert reach["participants"].sum() == acts["participants"].sum()
    per_activity = reach.groupby("activity_id")["participants"].sum()
    assert dict(per_activity) == dict(zip(acts["activity_id"], acts["participants"], strict=True))
    shuffled = acts.sample(frac=1, random_state=rnd.randint(0, 10**6)).reset_index(drop=True)
    again = activity_reach(shuffled, MEMBERS, population)
    key = ["activity_id", "municipality_code"]
    pd.testing.assert_frame_equal(
        reach.sort_values(key).reset_index(drop=True), again.sort_values(key).reset_index(drop=True)
    )
