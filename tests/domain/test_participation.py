"""participation.csv: sign-up counts per activity and home municipality, checked against the
activities, and used by activity_reach instead of an estimated split."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_budget import examples

from foui_analysis.domain.inputs import activity_reach, load_inputs
from foui_analysis.errors import InputError

FILES = {
    "activities.csv": (
        "activity_id,date,area,kind,title,municipalities,participants,partner,task,hours\n"
        "A1,2015-02-10,skola,seminarium,Seminarium,2580|2506,10,,1,8\n"
        "A2,2015-05-05,skola,kurs_konferens,Konferens,alla,40,,3,20\n"
        "A3,2015-06-05,skola,handledning,Handledning,2581,4,,4,6\n"
    ),
    "ledger.csv": "date;area;line;kind;amount_sek;text\n2015-01-25;skola;resor;kostnad;100;R\n",
    "goals.csv": (
        "goal_id,goal_type,goal,indicator_id,indicator,unit,direction\n"
        "U1,uppdrag,Seminarier,seminarier,Seminarier,antal,hogre\n"
    ),
    "targets.csv": "indicator_id,year,target\nseminarier,2015,2\n",
}
GOOD = "activity_id,municipality_code,participants\nA1,2580,3\nA1,2506,7\nA2,2584,25\nA2,2521,15\n"


def _write(directory, participation: str | None):
    for name, text in FILES.items():
        (directory / name).write_text(text, encoding="utf-8")
    if participation is not None:
        (directory / "participation.csv").write_text(participation, encoding="utf-8")
    return directory


def test_without_the_file_participation_is_an_empty_table(tmp_path, agreement):
    inputs = load_inputs(_write(tmp_path, None), agreement)
    assert inputs.participation.empty
    assert list(inputs.participation.columns) == [
        "activity_id",
        "municipality_code",
        "participants",
    ]


def test_a_sign_up_list_is_read(tmp_path, agreement):
    inputs = load_inputs(_write(tmp_path, GOOD), agreement)
    assert inputs.participation["participants"].tolist() == [3, 7, 25, 15]


@pytest.mark.parametrize(
    ("text", "expected", "words"),
    [
        # An unknown activity (and A2, left with 15 of its 40, no longer adds up).
        (
            GOOD.replace("A2,2584", "A9,2584"),
            [(4, "activity_id"), (5, "participants")],
            "finns inte i activities",
        ),
        # A1 reached Luleå and Arjeplog only; a participant from Piteå contradicts activities.
        (GOOD.replace("A1,2580,3", "A1,2581,3"), [(2, "municipality_code")], "inte bland"),
        # The rows of A2 add up to 39, not the activity's 40.
        (GOOD.replace("A2,2521,15", "A2,2521,14"), [(4, "participants")], "summerar till 39"),
        (GOOD.replace("A2,2521,15", "A2,2599,15"), [(5, "municipality_code")], "inte medlem"),
        (GOOD.replace("A1,2506,7", "A1,2506,-7"), [(3, "participants")], ""),
    ],
)
def test_a_bad_sign_up_row_names_file_row_and_column(tmp_path, agreement, text, expected, words):
    with pytest.raises(InputError) as caught:
        load_inputs(_write(tmp_path, text), agreement)
    problems = [p for p in caught.value.problems if p.file.endswith("participation.csv")]
    assert [(p.row, p.column) for p in problems] == expected
    assert words in problems[0].message


def _activities(rows):
    return pd.DataFrame(
        [
            (a, dt.date(2015, 3, 1), "skola", "seminarium", "t", cell, n, "", 1, Decimal(4))
            for a, cell, n in rows
        ],
        columns=[
            "activity_id",
            "date",
            "area",
            "kind",
            "title",
            "municipalities",
            "participants",
            "partner",
            "task",
            "hours",
        ],
    )


MEMBERS = ("2505", "2580", "2581")
POPULATION = pd.DataFrame(
    {"year": [2015] * 3, "municipality_code": list(MEMBERS), "population": [1000, 7000, 2000]}
)


def test_sign_up_counts_replace_the_split_and_are_not_estimated():
    acts = _activities([("A1", "alla", 10), ("A2", "2580|2581", 9), ("A3", "2581", 4)])
    listed = pd.DataFrame(
        {"activity_id": ["A1", "A1"], "municipality_code": ["2505", "2581"], "participants": [6, 4]}
    )
    reach = activity_reach(acts, MEMBERS, POPULATION, listed)
    assert reach[
        ["activity_id", "municipality_code", "participants", "estimated"]
    ].values.tolist() == [
        ["A1", "2505", 6, False],  # the sign-up list, though Arvidsjaur is the smallest
        ["A1", "2580", 0, False],
        ["A1", "2581", 4, False],
        ["A2", "2580", 7, True],  # no list: 9 split 7:2 by population, estimated
        ["A2", "2581", 2, True],
        ["A3", "2581", 4, False],  # one municipality: counted there, not estimated
    ]
    equal = activity_reach(acts, MEMBERS, POPULATION, listed, split="equal")
    assert equal[equal["activity_id"] == "A2"]["participants"].tolist() == [5, 4]
    assert equal[equal["activity_id"] == "A1"]["participants"].tolist() == [6, 0, 4]


def test_an_unknown_split_is_refused():
    with pytest.raises(ValueError):
        activity_reach(_activities([("A1", "alla", 1)]), MEMBERS, POPULATION, split="by_guess")


@settings(max_examples=examples(60), deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from(MEMBERS), min_size=1, max_size=3, unique=True),
            st.integers(min_value=0, max_value=500),
        ),
        min_size=1,
        max_size=6,
    ),
    st.sampled_from(["population", "equal"]),
)
def test_every_split_sums_to_the_activitys_participants(drafts, split):
    acts = _activities([(f"A{i}", "|".join(codes), n) for i, (codes, n) in enumerate(drafts)])
    reach = activity_reach(acts, MEMBERS, POPULATION, split=split)
    sums = reach.groupby("activity_id")["participants"].sum()
    for activity_id, n in zip(acts["activity_id"], acts["participants"], strict=True):
        assert sums[activity_id] == n
    assert (reach["participants"] >= 0).all()
