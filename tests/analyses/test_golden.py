"""Golden results of the example data: every half-year 2014H1-2018H2 and the evaluation 2014-2016.

A changed figure fails with a readable diff. After an intended change, regenerate with
``FOUI_UPDATE_GOLDEN=1 pytest tests/analyses/test_golden.py`` and review the diff in git.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
from decimal import Decimal

import pandas as pd
import pytest

from foui_analysis.analyses import evaluation, followup
from foui_analysis.paths import REPO_ROOT

GOLDEN = REPO_ROOT / "tests" / "golden"
PERIODS = [f"{y}H{h}" for y in range(2014, 2019) for h in (1, 2)]


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float):
        return None if value != value else round(value, 6)
    return value


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


def _figures(frame: pd.DataFrame) -> dict:
    return {r["key"]: [_plain(r["value"]), r["unit"]] for r in frame.to_dict("records")}


def check_golden(name: str, result: dict) -> None:
    """Compare ``result`` with ``tests/golden/<name>.json``; rewrite it when asked to."""
    path = GOLDEN / f"{name}.json"
    text = json.dumps(result, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if os.environ.get("FOUI_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        return
    if not path.exists():
        pytest.fail(f"{path} is missing: run FOUI_UPDATE_GOLDEN=1 pytest {__file__}")
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                text.splitlines(keepends=True),
                fromfile=f"golden/{name}.json",
                tofile="computed",
                n=2,
            )
        )
        pytest.fail(
            f"{name} differs from its golden file (FOUI_UPDATE_GOLDEN=1 to accept):\n{diff[:6000]}"
        )


@pytest.mark.parametrize("label", PERIODS)
def test_followup_golden(example, agreement, label):
    period = followup.parse_period(label, agreement, example)
    lines = followup.budget_vs_outcome(example, period)
    status = followup.goal_status(example, period)
    result = {
        "key_figures": _figures(followup.key_figures(example, period)),
        "result": _records(followup.result_vs_budget(example, period)),
        "budget_flagged": _records(
            lines[lines["flagged"]][
                [
                    "scope",
                    "area",
                    "kind",
                    "line",
                    "budget_sek",
                    "outcome_sek",
                    "deviation_pct",
                    "direction",
                ]
            ]
        ),
        "forecast_flagged": _records(
            followup.forecast(example, period).query("flagged")[
                ["area", "kind", "line", "forecast_sek", "forecast_deviation_pct"]
            ]
        ),
        "goal_status": _records(
            status[["indicator_id", "value", "target", "attainment_pct", "status", "trend"]]
        ),
        "goals": _records(
            followup.goals_for_period(example, period)[["goal_id", "attainment_pct", "status"]]
        ),
        "activities": _records(followup.activities_by_area(example, period)),
    }
    check_golden(f"uppfoljning-{label}", result)


def test_evaluation_golden(example, agreement):
    years = evaluation.parse_years("2014-2016", agreement)
    result = {
        "key_figures": _figures(evaluation.key_figures(example, years)),
        "goals": _records(
            evaluation.goal_attainment_by_year(example, years)[
                ["year", "goal_id", "attainment_pct", "status"]
            ]
        ),
        "reach": _records(evaluation.reach_by_year(example, years)),
        "settlement": _records(evaluation.reach_by_settlement(example, years)),
        "settlement_by_split": _records(evaluation.settlement_by_split(example, years)),
        "settlement_conclusion": {
            k: _plain(v) for k, v in evaluation.settlement_conclusion(example, years).items()
        },
        "fairness": _records(evaluation.fairness(example, years)),
        "fairness_by_area": _records(evaluation.fairness_by_area(example, years)),
        "efficiency": _records(evaluation.efficiency(example, years)),
        "finances": _records(evaluation.finances_by_year(example, years)),
        "frame_goal": _records(evaluation.frame_goal_outcome(example, years)),
        "survey": _records(evaluation.survey_by_year(example, years)),
        "survey_changes": _records(evaluation.survey_changes(example, years)),
        "collaboration": _records(evaluation.collaboration(example, years)),
    }
    check_golden("utvardering-2014-2016", result)
