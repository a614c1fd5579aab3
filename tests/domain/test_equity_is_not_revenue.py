"""Equity is never revenue: a ledger or budget revenue row that is a use of equity is refused."""

from __future__ import annotations

import pytest

from foui_analysis.domain.inputs import load_inputs
from foui_analysis.errors import InputError

ACTIVITIES = (
    "activity_id,date,area,kind,title,municipalities,participants,partner,task,hours\n"
    "A1,2015-02-10,skola,seminarium,Seminarium,2580,10,,1,8\n"
)
GOALS = (
    "goal_id,goal_type,goal,indicator_id,indicator,unit,direction\n"
    "U1,uppdrag,Seminarier,seminarier,Seminarier,antal,hogre\n"
)
TARGETS = "indicator_id,year,target\nseminarier,2015,2\n"


def _write(directory, ledger: str, budget: str | None = None):
    files = {
        "activities.csv": ACTIVITIES,
        "goals.csv": GOALS,
        "targets.csv": TARGETS,
        "ledger.csv": ledger,
    }
    if budget is not None:
        files["budget.csv"] = budget
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


def test_a_ledger_row_booking_equity_as_revenue_names_file_row_and_column(tmp_path, agreement):
    ledger = (
        "date;area;line;kind;amount_sek;text\n"
        "2015-01-25;overgripande;personal;kostnad;80 000,00;Löner\n"
        "2015-01-25;overgripande;overgripande;intakt;80 000,00;Ianspråktaget eget kapital\n"
    )
    with pytest.raises(InputError) as info:
        load_inputs(_write(tmp_path, ledger), agreement)
    [problem] = info.value.problems
    assert problem.file.endswith("ledger.csv")
    assert (problem.row, problem.column) == (3, "kind")
    assert "eget kapital" in problem.message and "ingen intäkt" in problem.message


def test_a_budget_row_of_equity_revenue_is_refused_and_frame_revenue_is_not(tmp_path, agreement):
    ledger = (
        "date;area;line;kind;amount_sek;text\n2016-01-25;overgripande;overgripande;intakt;100;Ram\n"
    )
    budget = (
        "year,area,line,kind,amount_sek\n"
        "2016,overgripande,overgripande,intakt,1250000\n"
        "2014,overgripande,overgripande,intakt,1250000\n"
    )
    with pytest.raises(InputError) as info:
        load_inputs(_write(tmp_path, ledger, budget), agreement)
    [problem] = info.value.problems
    assert problem.file.endswith("budget.csv")
    assert problem.row == 3
