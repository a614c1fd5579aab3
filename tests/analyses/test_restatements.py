"""Restatements: earlier figures now against what was first published; changes since last period."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from foui_analysis.analyses.followup import Period, key_figures_dict
from foui_analysis.analyses.restatements import (
    RESTATEMENT_COLUMNS,
    changes,
    changes_since_previous,
    differs,
    restatements,
    restatements_for,
)
from foui_analysis.runner.published import published_followups


def fig(value, unit="antal", label="Aktiviteter"):
    return {"label": label, "value": value, "unit": unit}


@pytest.mark.parametrize(
    ("published", "now", "expected"),
    [
        (10, 10, False),
        (10, 11, True),
        (1247180, 1247181, True),
        (12.5, 12.5 + 1e-12, False),
        (12.5, 12.6, True),
        (None, None, False),
        (None, 3, True),
    ],
)
def test_differs_ignores_only_rounding_noise(published, now, expected):
    assert differs(published, now) is expected


def test_restatement_names_report_published_and_new_value():
    published = {"2014H2": {"aktiviteter": fig(36), "kostnader_sek": fig(100, "kr", "Kostnader")}}
    recomputed = {"2014H2": {"aktiviteter": fig(37), "kostnader_sek": fig(100, "kr", "Kostnader")}}

    found = restatements(published, recomputed, {"2014H2": "uppfoljning-2014H2"})

    expected = pd.DataFrame(
        [["2014H2", "uppfoljning-2014H2", "aktiviteter", "Aktiviteter", "antal", 36, 37, 1]],
        columns=RESTATEMENT_COLUMNS,
    )
    pd.testing.assert_frame_equal(found, expected)


def test_no_restatement_when_figures_agree_or_are_new():
    published = {"2015H1": {"aktiviteter": fig(5)}}
    recomputed = {"2015H1": {"aktiviteter": fig(5), "ny_indikator": fig(2)}}

    assert restatements(published, recomputed, {"2015H1": "uppfoljning-2015H1"}).empty


def test_changes_between_periods():
    found = changes(
        {"aktiviteter": fig(30), "andel": fig(50.0, "%", "Andel")}, {"aktiviteter": fig(25)}
    )

    assert found["change"].tolist()[0] == 5
    assert found["previous"].isna().tolist() == [False, True]
    assert found["change"].isna().tolist()[1]


def test_restatements_for_reads_first_publication(example, tmp_path):
    period = Period(2015, 1)
    earlier = Period(2014, 2)
    report = tmp_path / "uppfoljning-2014H2"
    (report / "historik").mkdir(parents=True)
    now = key_figures_dict(example, earlier)
    first = {
        **now,
        "aktiviteter_hittills": {
            **now["aktiviteter_hittills"],
            "value": now["aktiviteter_hittills"]["value"] - 3,
        },
    }
    (report / "historik" / "kpis-20150105T020000.json").write_text(json.dumps(first))
    (report / "kpis.json").write_text(json.dumps(now))

    found = restatements_for(example, period, published_followups(tmp_path))

    assert found.attrs["checked_periods"] == ["2014H2"]
    row = found.set_index("key").loc["aktiviteter_hittills"]
    assert row["report"] == "uppfoljning-2014H2"
    assert row["published"] == now["aktiviteter_hittills"]["value"] - 3
    assert row["now"] == now["aktiviteter_hittills"]["value"]
    assert len(found) == 1


def test_restatements_for_without_publications_checks_nothing(example, tmp_path):
    found = restatements_for(example, Period(2016, 2), published_followups(tmp_path))

    assert found.empty
    assert found.attrs["checked_periods"] == []


def test_restatements_for_compares_only_earlier_half_years_handed_over(example):
    def changed(period):
        figures = key_figures_dict(example, period)
        entry = figures["aktiviteter_hittills"]
        return {**figures, "aktiviteter_hittills": {**entry, "value": entry["value"] + 1}}

    handed_over = {
        "2014H1": key_figures_dict(example, Period(2014, 1)),  # as published: no restatement
        "2014H2": changed(Period(2014, 2)),
        "2015H1": changed(Period(2015, 1)),  # the period itself: not earlier
        "2016H1": changed(Period(2016, 1)),  # later
        "2012H2": {"aktiviteter_hittills": fig(1)},  # outside the agreement
    }

    found = restatements_for(example, Period(2015, 1), handed_over)

    assert found.attrs["checked_periods"] == ["2014H1", "2014H2"]
    assert found[["period", "report", "key"]].values.tolist() == [
        ["2014H2", "uppfoljning-2014H2", "aktiviteter_hittills"]
    ]
    assert found["difference"].tolist() == [-1]


def test_changes_since_previous_at_the_first_period_has_no_previous(example):
    found = changes_since_previous(example, Period(2014, 1))

    assert found["previous"].isna().all()
    assert not found.empty
