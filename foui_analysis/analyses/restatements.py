"""Restatements and changes: today's figures against what was published and the last period.

Method
------
*Change since the previous follow-up*: each key figure of this period next to the same figure of
the previous half-year, both computed now from today's data (so the change is not blurred by
corrections of the past).

*Restatement*: for every earlier half-year whose follow-up was published, the key figures are
computed again from today's data and compared with the figures first published for it (as the
board received them). Those figures are handed over as data (``{period: key figures}``,
collected by :mod:`foui_analysis.runner.published` for the notebook); this module reads no
folders. A figure that differs is a restatement: the table names the report, the figure, the
published value and the new value. Whole numbers (kronor, counts) must match exactly; other numbers
(shares, means) within 1e-9, so a restatement is never a rounding artefact.

Known limits: only key figures are compared, not every table cell; a period whose follow-up was
never published cannot be checked; figures added to a report after it was published have
nothing to compare with and are skipped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from foui_analysis.periods import report_name

TOLERANCE = 1e-9
CHANGE_COLUMNS = ["key", "label", "unit", "previous", "current", "change"]
RESTATEMENT_COLUMNS = ["period", "report", "key", "label", "unit", "published", "now", "difference"]


def _number(entry: object) -> object:
    return entry.get("value") if isinstance(entry, Mapping) else entry


def differs(published: Any, now: Any) -> bool:
    """True when two figure values differ beyond rounding noise."""
    if published is None or now is None:
        return published is not now
    if isinstance(published, int) and isinstance(now, int):
        return published != now
    try:
        return abs(float(published) - float(now)) > TOLERANCE * max(1.0, abs(float(now)))
    except (TypeError, ValueError):
        return str(published) != str(now)


def changes(current: Mapping[str, Mapping], previous: Mapping[str, Mapping]) -> pd.DataFrame:
    """Every key figure of ``current`` with the previous period's value and the change."""
    rows = []
    for key, entry in current.items():
        now, before = _number(entry), _number(previous.get(key))
        change = None
        if isinstance(now, int | float) and isinstance(before, int | float):
            change = now - before
        rows.append(
            {
                "key": key,
                "label": entry.get("label", key),
                "unit": entry.get("unit", ""),
                "previous": before,
                "current": now,
                "change": change,
            }
        )
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS)


def restatements(
    published: Mapping[str, Mapping[str, Mapping]],
    recomputed: Mapping[str, Mapping[str, Mapping]],
    report_names: Mapping[str, str],
) -> pd.DataFrame:
    """Figures of earlier periods that now differ from what was published for them.

    ``published`` and ``recomputed`` map a period (``2014H2``) to its key figures
    (``{key: {"label", "value", "unit"}}``); ``report_names`` maps a period to its report's name.
    """
    rows = []
    for period in sorted(published):
        then, now = published[period], recomputed.get(period, {})
        for key, entry in then.items():
            if key not in now:
                continue
            old, new = _number(entry), _number(now[key])
            if differs(old, new):
                difference = (
                    new - old
                    if isinstance(old, int | float) and isinstance(new, int | float)
                    else None
                )
                rows.append(
                    {
                        "period": period,
                        "report": report_names[period],
                        "key": key,
                        "label": now[key].get("label", key),
                        "unit": now[key].get("unit", ""),
                        "published": old,
                        "now": new,
                        "difference": difference,
                    }
                )
    return pd.DataFrame(rows, columns=RESTATEMENT_COLUMNS)


def restatements_for(
    basis, period, published_followups: Mapping[str, Mapping[str, Mapping]]
) -> pd.DataFrame:
    """Restatements of every earlier half-year of the agreement whose follow-up was published.

    ``published_followups`` maps a period label (``2014H2``) to the key figures its follow-up
    was first published with, as the runner hands them over
    (:func:`foui_analysis.runner.published.published_followups`); periods that are not earlier
    half-years of the agreement are ignored. ``attrs["checked_periods"]`` lists the half-years
    that had a publication to compare with.
    """
    from foui_analysis.analyses.followup import key_figures_dict
    from foui_analysis.periods import half_years

    earlier = [
        p
        for p in half_years(basis.agreement.first_year, basis.agreement.last_year)
        if p.end < period.end
    ]
    published, recomputed, names = {}, {}, {}
    for past in earlier:
        then = published_followups.get(past.label)
        if then is None:
            continue
        published[past.label] = then
        recomputed[past.label] = key_figures_dict(basis, past)
        names[past.label] = report_name("followup", past)
    found = restatements(published, recomputed, names)
    found.attrs["checked_periods"] = sorted(published)
    return found


def comparison_period(period):
    """The period a follow-up compares with, like for like: the same period of the previous
    year (2015H1 with 2014H1: six months with six months, never a half-year with a year;
    2015-08 with 2014-08)."""
    return period.same_period_last_year()


def changes_since_previous(basis, period) -> pd.DataFrame:
    """Key figures of ``period`` against the same period of the previous year
    (:func:`comparison_period`), both computed from today's data; empty ``previous`` values
    before the agreement's first year. Changes of a figure in percent are in percentage points
    (``unit`` of the change: ``procentenheter``)."""
    from foui_analysis.analyses.followup import key_figures_dict

    previous = comparison_period(period)
    before = (
        key_figures_dict(basis, previous) if previous.year >= basis.agreement.first_year else {}
    )
    return changes(key_figures_dict(basis, period), before)


FORECAST_KEYS = (
    ("kostnader", "Kostnader"),
    ("intakter", "Intäkter"),
    ("resultat", "Resultat"),
)
FORECAST_CHANGE_COLUMNS = ["key", "label", "previous_period", "previous", "current", "change"]


def forecast_changes(basis, period) -> pd.DataFrame:
    """The full-year forecast of this follow-up against the forecast of the previous follow-up.

    At H2 the previous follow-up is H1 of the same year: both forecast the same full year. At H1
    it is H2 of the previous year, whose forecast is that year's outcome: the change is then
    year on year, and ``previous_period`` says so. Whole kronor, rounded once.
    """
    from foui_analysis.analyses.followup import full_year_forecast

    now = full_year_forecast(basis, period)
    previous = period.previous()
    before = (
        full_year_forecast(basis, previous) if previous.year >= basis.agreement.first_year else {}
    )
    rows = []
    for key, label in FORECAST_KEYS:
        current, earlier = now[key], before.get(key)
        rows.append(
            {
                "key": key,
                "label": label,
                "previous_period": previous.label,
                "previous": earlier,
                "current": current,
                "change": None if earlier is None else current - earlier,
            }
        )
    return pd.DataFrame(rows, columns=FORECAST_CHANGE_COLUMNS)
