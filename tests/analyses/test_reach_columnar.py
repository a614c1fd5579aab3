"""activity_reach built column by column equals the row-by-row definition, cell for cell.

The row-by-row version below is the function as it was before it was rewritten for large
inputs (one dict per activity and municipality); it is kept here as the definition the
columnar one must match exactly: same rows in the same order, same dtypes, same floats.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_budget import examples

from foui_analysis.domain.allocation import allocate
from foui_analysis.domain.inputs import REACH_COLUMNS, activity_reach, reached_codes
from foui_analysis.schemas.inputs import ACTIVITIES

MEMBERS = ("2505", "2510", "2580", "2581")
COLUMNS = list(ACTIVITIES.columns)


def row_by_row(activities, members, population=None, participation=None, split="population"):
    members = tuple(members)
    weights = {}
    if population is not None and split == "population":
        weights = {
            (int(r.year), str(r.municipality_code)): int(r.population)
            for r in population.itertuples()
        }
    counted: dict[str, dict[str, int]] = {}
    if participation is not None:
        for r in participation.itertuples():
            counted.setdefault(str(r.activity_id), {})[str(r.municipality_code)] = int(
                r.participants
            )
    records = []
    for row in activities.to_dict("records"):
        codes = reached_codes(row["municipalities"], members)
        year = row["date"].year
        listed = counted.get(row["activity_id"])
        if listed is not None:
            parts = {c: listed.get(c, 0) for c in codes}
            key = parts if sum(parts.values()) else dict.fromkeys(codes, 1)
            estimated = False
        else:
            if weights and all((year, c) in weights for c in codes):
                key = {c: weights[(year, c)] for c in codes}
            else:
                key = dict.fromkeys(codes, 1)
            parts = allocate(int(row["participants"]), key)
            estimated = len(codes) > 1
        total_weight = sum(key.values())
        for code in codes:
            records.append(
                {
                    "activity_id": row["activity_id"],
                    "date": row["date"],
                    "year": year,
                    "area": row["area"],
                    "kind": row["kind"],
                    "task": int(row["task"]),
                    "partner": row["partner"],
                    "municipality_code": code,
                    "participants": parts[code],
                    "hours": float(row["hours"]) * key[code] / total_weight,
                    "estimated": estimated,
                }
            )
    out = pd.DataFrame(records, columns=REACH_COLUMNS)
    out["participants"] = out["participants"].astype("int64")
    out["year"] = out["year"].astype("int64")
    out["task"] = out["task"].astype("int64")
    out["hours"] = out["hours"].astype("float64")
    out["estimated"] = out["estimated"].astype("bool")
    return out


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """As parse_table leaves a table: participants and task int64, the rest objects."""
    frame = frame.astype(object)
    frame["participants"] = frame["participants"].astype("int64")
    frame["task"] = frame["task"].astype("int64")
    return frame


POPULATION = pd.DataFrame(
    {
        "year": [y for y in (2014, 2015) for _ in MEMBERS],
        "municipality_code": list(MEMBERS) * 2,
        "population": [1000, 7000, 2000, 333, 1001, 6999, 2003, 331],
    }
)

cells = st.sampled_from(["alla", "2505", "2580|2581", "2505|2510|2580", "2581|2505"])
activity = st.tuples(
    cells,
    st.dates(dt.date(2014, 1, 1), dt.date(2016, 12, 31)),
    st.integers(0, 250),
    st.sampled_from(["", "LTU", "Umeå universitet"]),
    st.integers(1, 6),
    st.decimals(0, 40, places=1),
)


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(activity, max_size=30), st.sampled_from(["population", "equal"]), st.booleans())
def test_columnar_reach_is_the_row_by_row_reach(rows, split, signup):
    acts = _typed(
        pd.DataFrame(
            [
                (f"A{i}", date, "skola", "seminarium", "t", cell, people, partner, task, hours)
                for i, (cell, date, people, partner, task, hours) in enumerate(rows)
            ],
            columns=COLUMNS,
        )
    )
    participation = None
    if signup and rows:  # the first activity has a sign-up list: all at its first municipality
        first = reached_codes(rows[0][0], MEMBERS)[0]
        participation = pd.DataFrame(
            {"activity_id": ["A0"], "municipality_code": [first], "participants": [rows[0][2]]}
        )
    pd.testing.assert_frame_equal(
        activity_reach(acts, MEMBERS, POPULATION, participation, split),
        row_by_row(acts, MEMBERS, POPULATION, participation, split),
        check_exact=True,
    )


def test_columnar_reach_of_no_activities_has_the_same_columns_and_types():
    acts = _typed(pd.DataFrame([], columns=COLUMNS))
    pd.testing.assert_frame_equal(
        activity_reach(acts, MEMBERS, POPULATION), row_by_row(acts, MEMBERS, POPULATION)
    )


def test_columnar_reach_of_the_example_is_the_row_by_row_reach():
    from foui_analysis.domain.agreement import load_agreement
    from foui_analysis.domain.inputs import load_inputs
    from foui_analysis.paths import default_agreement, default_inputs

    agreement = load_agreement(default_agreement())
    inputs = load_inputs(default_inputs(), agreement)
    weights = POPULATION.assign(year=POPULATION["year"] + 1)  # any weights will do
    for split in ("population", "equal"):
        pd.testing.assert_frame_equal(
            activity_reach(
                inputs.activities, agreement.members, weights, inputs.participation, split
            ),
            row_by_row(inputs.activities, agreement.members, weights, inputs.participation, split),
            check_exact=True,
        )


def test_a_second_split_shares_the_layout_of_the_first():
    acts = _typed(
        pd.DataFrame(
            [
                ("A1", dt.date(2015, 3, 1), "skola", "seminarium", "t", "alla", 10, "", 1, 6),
                ("A2", dt.date(2015, 4, 1), "skola", "natverk", "t", "2580|2581", 7, "LTU", 5, 2),
            ],
            columns=COLUMNS,
        )
    )
    by_population = activity_reach(acts, MEMBERS, POPULATION)
    equal = activity_reach(acts, MEMBERS, POPULATION, split="equal", layout=by_population)
    pd.testing.assert_frame_equal(equal, row_by_row(acts, MEMBERS, POPULATION, split="equal"))
    assert list(equal["participants"]) == [3, 3, 2, 2, 4, 3]  # not the population split
    shared = np.shares_memory(
        equal["activity_id"].to_numpy(), by_population["activity_id"].to_numpy()
    )
    # The memory is shared only under copy-on-write: always from pandas 3 (what the lock
    # installs); pandas 2 (the lowest allowed version) copies unless its option is on.
    assert shared == _copy_on_write()


def _copy_on_write() -> bool:
    if int(pd.__version__.split(".")[0]) >= 3:
        return True
    return pd.options.mode.copy_on_write is True


def test_a_layout_of_other_rows_is_ignored():
    acts = _typed(
        pd.DataFrame(
            [("A1", dt.date(2015, 3, 1), "skola", "seminarium", "t", "alla", 10, "", 1, 6)],
            columns=COLUMNS,
        )
    )
    other = activity_reach(acts, MEMBERS, POPULATION).iloc[1:]  # a row dropped
    equal = activity_reach(acts, MEMBERS, POPULATION, split="equal", layout=other)
    pd.testing.assert_frame_equal(equal, row_by_row(acts, MEMBERS, POPULATION, split="equal"))
