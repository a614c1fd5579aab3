"""The three-year evaluation (utvärdering) the seed asks the board for "after three years".

The window is any run of whole years inside the agreement (default 2014-2016, the first three
years), or such a run whose last year ends at a month end (:class:`foui_analysis.periods.Window`,
``2015-2017`` through ``2017-11``: the real evaluation went to the board in December 2017, before
the year was closed). Every figure is given year by year so the board sees the direction, not
only a total. Each function takes the window as ``years`` (a :class:`~foui_analysis.periods.Window`
or a ``range`` of whole years) and returns a tidy DataFrame; the methods and their limits are:

* **Goal attainment** (:func:`goal_attainment_by_year`, :func:`indicators_by_year`): the
  indicators of :mod:`foui_analysis.analyses.goals` measured over each full year against the
  year's target, and each purpose (P1-P4), task (U1-U6) and motto word's attainment (capped mean
  of its indicators). Limit: the targets are the unit's own; attainment says whether the unit did
  what it planned, not whether that made a difference in the services (outcome, not effect).
* **Reach** (:func:`reach_by_year`, :func:`reach_by_settlement`): the share of members reached by
  at least one activity in the year, participants per 1 000 inhabitants (population basis of the
  year, the fee basis), and the same split by glesbygd/tätort (``settlement`` of
  ``reference/municipalities.csv``, assumption A-GLES). Limit: participants are participations
  split over the municipalities an activity reached by population, not counted persons by home
  municipality.
* **Fairness per area** (:func:`fairness_by_area`): for each area, each member's share of the
  funding of that area over the window (FoUI skola: the invoiced fee, 4 kr per inhabitant; FoUI
  övergripande: the frame of 5 kr per inhabitant, not invoiced; FoU socialtjänst where its
  amount is known) against its share of that area's participants, as a ratio (participation
  share / fee share): 1 is participation in proportion to what the member pays for. Members
  below the agreement's ``fairness_far_below_ratio`` (0,5, assumption A-KVOT) are named. Limit:
  with per-inhabitant funding the fee share is the population share; participants are
  participations, placed by sign-up lists where they exist and by the population split
  otherwise. :func:`fairness` is the older comparison of all invoiced fees with participation
  in all areas; it mixes areas that are funded differently and is kept for comparison only.
* **Efficiency** (:func:`efficiency`): cost outcome (ledger) per activity, per participant and per
  hour of work, per year and area. Limit: all costs of an area are divided by its activities,
  though part of the staff time goes to work that is not an activity (planning, applications).
* **Finances** (:func:`finances_by_year`, :func:`revenue_by_source`, :func:`frame_goal_outcome`):
  revenue by funding source, costs, result and equity, budget against outcome; whether FoUI
  övergripande is financed within the frame (5 kr per inhabitant) from the frame year as the seed
  planned, by :func:`foui_analysis.domain.budget.frame_goal` applied to the outcome. The outcome
  is summed exactly and rounded once per year, area, kind and line to whole kronor.
* **Survey** (:func:`survey_by_year`, :func:`survey_changes`): respondent-weighted means by year
  and municipality group (SKR group 2017, or glesbygd/tätort), with the number of respondents,
  the response rate where the number asked is known, and a 95 % interval: the rows (a
  municipality's respondents in one role) are treated as clusters and the interval is the mean
  +- t(k-1) x the linearised standard error of a ratio estimator over the k rows. A change
  between years is called a change only when the two intervals do not overlap. Limits: the
  data hold group means, not individual answers, so the interval reflects how the groups'
  means differ, not the spread of answers within a group; non-overlap is conservative.
* **Collaboration with universities** (:func:`collaboration`): activities, participants and
  projects per partner and year, and the external funding of the projects started.

**A last year that ends at a month end** (partial year; :func:`parse_years` with ``through``).
Everything that counts (activities, participants, reach, members reached, the outcome of the
ledger, projects started, collaboration) counts from 1 January of the first year through the
month end only. What is compared with a full-year amount is compared with the part of it that
belongs to the months in the window:

* the indicators' full-year targets of year-to-date indicators are prorated by the months
  passed (11/12 through November), the rule of the follow-ups
  (:func:`foui_analysis.analyses.goals.indicator_status`), so an evaluation through November
  and the follow-up through November judge the same figures the same way; the full-year target
  is kept beside it (``target_year``). Rolling indicators (the twelve months to the month end)
  and levels at the month end need no proration. Assumption: activity spread evenly over the
  year; December is a light month, so through November the prorated target is, if anything,
  slightly easy to reach;
* the budget of the last year is the budget of its months by the lines' monthly profiles
  (:mod:`foui_analysis.domain.profiles`, twelfths where a line has none), exactly as the
  follow-ups;
* the frame of FoUI övergripande and each member's funding in the fairness comparison are the
  months' twelfths of the year's amounts (the fee is for the year, so a month's share of it is a
  twelfth);
* rates per 1 000 inhabitants over the window (:func:`settlement_by_split`) are per 1 000
  inhabitant-years: the last year's population weighs its months / 12. The rate of the partial
  year itself (:func:`reach_by_year`) is over its months and is not comparable with a whole
  year's, which the report says;
* the member survey counts only the surveys that had come in by the month end: a survey of year
  *Y* is held in the autumn and counts from December of *Y* (the rule of the indicators,
  :func:`foui_analysis.analyses.goals.survey_year`), so an evaluation through November 2017
  has the surveys up to 2016.

Equity at the month end is the opening equity moved by the results through the month end (an
interim statement: the year's closing entries are not made).

Money is exact (int kronor or Decimal); shares and ratios are floats with ``_pct`` or ``_ratio``
names.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd

from foui_analysis.analyses.followup import decided_budget, outcome_ledger
from foui_analysis.analyses.goals import (
    ACHIEVED_FROM_PCT,
    PARTIAL_FROM_PCT,
    Basis,
    figures_frame,
    goal_attainment,
    indicator_status,
    per_basis,
    reach_under,
    survey_year,
)
from foui_analysis.domain.agreement import AREAS
from foui_analysis.domain.budget import (
    LEDGER_COLUMNS,
    equity,
    exact_sum,
    frame_goal,
    result_by_area,
    to_decimal,
)
from foui_analysis.domain.budget import balance_findings as budget_balance_findings
from foui_analysis.domain.fees import fee_table
from foui_analysis.domain.inputs import SPLITS
from foui_analysis.domain.profiles import TWELFTHS, budget_through, line_profiles, weights_for
from foui_analysis.errors import InputError
from foui_analysis.periods import MONTHS_SV, PeriodError, Window, window, window_of

DEFAULT_WINDOW = "2014-2016"


class WindowError(ValueError):
    """A window string that is malformed or outside the agreement."""


def parse_years(text: str | None, agreement, through: int | None = None) -> range | Window:
    """``'2014-2016'`` -> range(2014, 2017); ``None`` -> the first three years of the agreement.

    ``through`` (a month, 1-12): the last year ends at that month end, and the result is a
    :class:`~foui_analysis.periods.Window` (``'2015-2017'``, 11: 1 January 2015-30 November
    2017); through 12 it is the whole years. WindowError (Swedish) when the month is not 1-12.
    """
    if through is not None:
        years = parse_years(text, agreement)
        try:
            from foui_analysis.periods import month_end

            return window(years[0], years[-1], month_end(years[-1], int(through)))
        except (PeriodError, ValueError, TypeError):
            raise WindowError(
                f"ogiltig månad {through!r} för utvärderingens sista år: väntade 1-12"
            ) from None
    if text is None:
        first = agreement.first_year
        return range(first, min(first + 2, agreement.last_year) + 1)
    match = re.fullmatch(r"\s*(\d{4})\s*-\s*(\d{4})\s*", str(text))
    if not match:
        raise WindowError(f"ogiltigt intervall '{text}': skriv ÅÅÅÅ-ÅÅÅÅ, t.ex. 2014-2016")
    first, last = int(match.group(1)), int(match.group(2))
    if first > last:
        raise WindowError(f"första året ligger efter sista året i '{text}'")
    if first < agreement.first_year or last > agreement.last_year:
        raise WindowError(
            f"åren {first}-{last} ligger utanför avtalsperioden "
            f"{agreement.first_year}-{agreement.last_year}"
        )
    return range(first, last + 1)


def _in_window(frame: pd.DataFrame, years, column: str = "date") -> pd.DataFrame:
    """The rows of ``frame`` dated inside the window (1 January of its first year through its
    last day)."""
    span = window_of(years)
    dates = frame[column]
    return frame[(dates >= span.start) & (dates <= span.end)]


def plan_ledger(basis: Basis, years) -> pd.DataFrame:
    """The budget (adopted, else the agreement's calculation) of the years of the window, the
    last year's lines as the budget of its months in the window (their monthly profiles,
    twelfths without one; :mod:`foui_analysis.domain.profiles`). Whole years stay int kronor;
    a partial year's amounts are exact Decimals."""
    span = window_of(years)
    plan = decided_budget(basis)
    plan = plan[plan["year"].isin(list(span))]
    if not span.is_partial:
        return plan
    profiles = line_profiles(basis.inputs.budget_profiles)
    amounts = [
        budget_through(int(amount), weights_for(profiles, line), span.last_months)
        if year == span.last_year
        else amount
        for year, line, amount in zip(plan["year"], plan["line"], plan["amount_sek"], strict=True)
    ]
    return plan.assign(amount_sek=pd.Series(amounts, index=plan.index, dtype=object))


def _months_share(amount: int, months: int) -> int | Decimal:
    """The part of a year's ``amount`` that belongs to its first ``months`` months (twelfths);
    the amount itself for a whole year."""
    return amount if months == 12 else budget_through(amount, TWELFTHS, months)


def _kr(value: Decimal | int) -> int:
    """An exact amount rounded once to whole kronor, half away from zero."""
    return int(to_decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@per_basis
def indicators_by_year(
    basis: Basis,
    years: range,
    achieved_from_pct: float = ACHIEVED_FROM_PCT,
    partial_from_pct: float = PARTIAL_FROM_PCT,
) -> pd.DataFrame:
    """Every indicator over each year of the window (through the month end in a partial last
    year, against the prorated target): ``year`` + goals.INDICATOR_COLUMNS."""
    frames = [
        indicator_status(
            basis, window_of(years).end_of(y), achieved_from_pct, partial_from_pct
        ).assign(year=y)
        for y in years
    ]
    out = pd.concat(frames, ignore_index=True)
    return out[["year", *[c for c in out.columns if c != "year"]]]


@per_basis
def goal_attainment_by_year(
    basis: Basis,
    years: range,
    achieved_from_pct: float = ACHIEVED_FROM_PCT,
    partial_from_pct: float = PARTIAL_FROM_PCT,
) -> pd.DataFrame:
    """Per year and goal: ``year, goal_id, goal_type, goal, indicators, measurable,
    attainment_pct, status``."""
    frames = []
    for year in years:
        indicators = indicator_status(
            basis, window_of(years).end_of(year), achieved_from_pct, partial_from_pct
        )
        frames.append(
            goal_attainment(basis, indicators, achieved_from_pct, partial_from_pct).assign(
                year=year
            )
        )
    out = pd.concat(frames, ignore_index=True)
    return out[["year", *[c for c in out.columns if c != "year"]]]


def _reach_year(basis: Basis, years, year: int, split: str = "population") -> pd.DataFrame:
    """The reach of ``year`` inside the window (through the month end in a partial year)."""
    reach = _in_window(reach_under(basis, split), years)
    reach = reach[reach["year"] == year]
    return reach[reach["municipality_code"].isin(basis.members)]


REACH_COLUMNS = [
    "year",
    "members",
    "members_reached",
    "members_reached_pct",
    "activities",
    "participants",
    "population",
    "participants_per_1000",
]


@per_basis
def reach_by_year(basis: Basis, years: range) -> pd.DataFrame:
    """Per year: members reached (count and share), activities, participants per 1 000 (in a
    partial last year over its months in the window)."""
    rows = []
    for year in years:
        reach = _reach_year(basis, years, year)
        population = sum(basis.population_of(year).get(m, 0) for m in basis.members)
        reached = reach["municipality_code"].nunique()
        participants = int(reach["participants"].sum())
        rows.append(
            {
                "year": year,
                "members": len(basis.members),
                "members_reached": reached,
                "members_reached_pct": 100.0 * reached / len(basis.members),
                "activities": int(reach["activity_id"].nunique()),
                "participants": participants,
                "population": population,
                "participants_per_1000": 1000.0 * participants / population if population else None,
            }
        )
    return pd.DataFrame(rows, columns=REACH_COLUMNS)


SETTLEMENT_COLUMNS = [
    "year",
    "settlement",
    "municipalities",
    "reached",
    "reached_pct",
    "reach_events",
    "reach_events_per_municipality",
    "participants",
    "population",
    "participants_per_1000",
]


@per_basis
def reach_by_settlement(basis: Basis, years: range, split: str = "population") -> pd.DataFrame:
    """Per year and glesbygd/tätort: members reached, activity-municipality contacts
    (``reach_events``), participants and participants per 1 000 inhabitants.

    ``split``: how participants of activities without a sign-up list are placed
    (:data:`foui_analysis.domain.inputs.SPLITS`)."""
    rows = []
    for year in years:
        reach = _reach_year(basis, years, year, split)
        population = basis.population_of(year)
        for settlement in ("glesbygd", "tatort"):
            codes = [m for m in basis.members if basis.settlement.get(m) == settlement]
            part = reach[reach["municipality_code"].isin(codes)]
            inhabitants = sum(population.get(c, 0) for c in codes)
            reached = part["municipality_code"].nunique()
            participants = int(part["participants"].sum())
            rows.append(
                {
                    "year": year,
                    "settlement": settlement,
                    "municipalities": len(codes),
                    "reached": reached,
                    "reached_pct": 100.0 * reached / len(codes) if codes else None,
                    "reach_events": len(part),
                    "reach_events_per_municipality": len(part) / len(codes) if codes else None,
                    "participants": participants,
                    "population": inhabitants,
                    "participants_per_1000": (
                        1000.0 * participants / inhabitants if inhabitants else None
                    ),
                }
            )
    return pd.DataFrame(rows, columns=SETTLEMENT_COLUMNS)


def reach_by_municipality(basis: Basis, years: range) -> pd.DataFrame:
    """Per year and member: activities that reached it, participants, per 1 000 inhabitants."""
    rows = []
    for year in years:
        reach = _reach_year(basis, years, year)
        counts = reach.groupby("municipality_code").size()
        people = reach.groupby("municipality_code")["participants"].sum()
        population = basis.population_of(year)
        for code in basis.members:
            inhabitants = population.get(code, 0)
            participants = int(people.get(code, 0))
            rows.append(
                {
                    "year": year,
                    "municipality_code": code,
                    "municipality": basis.names.get(code, code),
                    "settlement": basis.settlement.get(code, ""),
                    "population": inhabitants,
                    "activities": int(counts.get(code, 0)),
                    "participants": participants,
                    "participants_per_1000": (
                        1000.0 * participants / inhabitants if inhabitants else None
                    ),
                }
            )
    return pd.DataFrame(rows)


SPLIT_NAMES = {"population": "efter folkmängd", "equal": "lika per kommun"}
"""The splits of estimated participation, in words."""

CONCLUSION_COLUMNS = [
    "split",
    "rural_participants",
    "rural_population",
    "rural_per_1000",
    "urban_participants",
    "urban_population",
    "urban_per_1000",
    "higher",
]


@per_basis
def settlement_by_split(basis: Basis, years: range) -> pd.DataFrame:
    """Participants per 1 000 inhabitants in glesbygd and tätort over the window, under each
    split of the estimated participation; ``higher`` says which group is ahead (``glesbygd``,
    ``tatort`` or ``lika``). The population is the sum of each year's population basis, so the
    rate is per 1 000 inhabitant-years; a partial last year's population weighs its months in
    the window / 12 (``_population`` is then the inhabitant-years, a float)."""
    span = window_of(years)
    rows = []
    for split in SPLITS:
        frame = reach_by_settlement(basis, years, split)
        row: dict = {"split": split}
        months: dict[str, int] = {}
        for kind, prefix in (("glesbygd", "rural"), ("tatort", "urban")):
            part = frame[frame["settlement"] == kind]
            people = int(part["participants"].sum())
            # Inhabitant-months, exact: 12 per inhabitant and whole year.
            months[prefix] = sum(
                int(p) * span.months_in(int(y))
                for y, p in zip(part["year"], part["population"], strict=True)
            )
            population = (
                int(part["population"].sum()) if not span.is_partial else months[prefix] / 12
            )
            row[f"{prefix}_participants"] = people
            row[f"{prefix}_population"] = population
            row[f"{prefix}_per_1000"] = (
                (1000.0 * people / population if population else None)
                if not span.is_partial
                else (12_000.0 * people / months[prefix] if months[prefix] else None)
            )
        rural, urban = row["rural_per_1000"], row["urban_per_1000"]
        if rural is None or urban is None:
            row["higher"] = None
        else:
            # Compared exactly (participants x inhabitant-months), so a tie is a tie.
            left = row["rural_participants"] * months["urban"]
            right = row["urban_participants"] * months["rural"]
            row["higher"] = "glesbygd" if left > right else "tatort" if right > left else "lika"
        rows.append(row)
    return pd.DataFrame(rows, columns=CONCLUSION_COLUMNS)


@per_basis
def estimated_participation(basis: Basis, years: range) -> dict:
    """How much of the window's participation is estimated (split without a sign-up list):
    ``participants``, ``estimated`` (participants at activities split over several
    municipalities), ``estimated_pct``, ``counted_activities`` (with a sign-up list) and
    ``activities``."""
    acts = _in_window(basis.inputs.activities, years)
    reach = _in_window(basis.reach, years)
    estimated_ids = set(reach.loc[reach["estimated"], "activity_id"])
    listed = (
        set(basis.inputs.participation["activity_id"])
        if basis.inputs.participation is not None
        else set()
    )
    participants = int(acts["participants"].sum())
    estimated = int(acts.loc[acts["activity_id"].isin(estimated_ids), "participants"].sum())
    return {
        "participants": participants,
        "estimated": estimated,
        "estimated_pct": 100.0 * estimated / participants if participants else 0.0,
        "counted_activities": int(acts["activity_id"].isin(listed).sum()),
        "activities": len(acts),
    }


@per_basis
def settlement_conclusion(basis: Basis, years: range) -> dict:
    """The rural/urban conclusion and whether it holds under both splits.

    ``classification`` names the glesbygd/tätort classification used; ``higher`` is the group
    ahead under the population split; ``holds`` is true when the equal split gives the same
    group (always, when no participation is estimated); ``estimated_pct`` is the share of
    participants whose municipality is estimated.
    """
    by_split = settlement_by_split(basis, years).set_index("split")
    estimated = estimated_participation(basis, years)
    higher = by_split.loc["population", "higher"]
    return {
        "classification": basis.settlement_label,
        "settlement_method": basis.settlement_method,
        "higher": higher,
        "higher_equal_split": by_split.loc["equal", "higher"],
        "holds": bool(higher == by_split.loc["equal", "higher"]),
        "estimated": estimated["estimated"] > 0,
        "estimated_pct": estimated["estimated_pct"],
        "rural_per_1000": _float(by_split.loc["population", "rural_per_1000"]),
        "urban_per_1000": _float(by_split.loc["population", "urban_per_1000"]),
        "rural_per_1000_equal": _float(by_split.loc["equal", "rural_per_1000"]),
        "urban_per_1000_equal": _float(by_split.loc["equal", "urban_per_1000"]),
    }


def _float(value: Any) -> float | None:
    return None if value is None or value != value else float(value)


FAIRNESS_COLUMNS = [
    "municipality_code",
    "municipality",
    "settlement",
    "fees_sek",
    "fee_share_pct",
    "participants",
    "participation_share_pct",
    "difference_pct_points",
    "participation_to_fee_ratio",
]


@per_basis
def fairness(basis: Basis, years: range) -> pd.DataFrame:
    """Per member over the window: share of invoiced fees against share of participants (in a
    partial last year the months' twelfths of its fee).

    Both shares sum to 100 % over the members. ``difference_pct_points`` = participation share
    - fee share; ``participation_to_fee_ratio`` = participation share / fee share.
    """
    span = window_of(years)
    invoiced = {c.id for c in basis.agreement.components if c.invoiced}
    fees: dict[str, int | Decimal] = dict.fromkeys(basis.members, 0)
    for year in years:
        table = fee_table(basis.agreement, basis.reference, year)
        table = table[table["component"].isin(invoiced)]
        for code, fee in zip(table["municipality_code"], table["fee_sek"], strict=True):
            fees[code] = fees.get(code, 0) + _months_share(int(fee), span.months_in(year))
    reach = _in_window(basis.reach, years)
    people = reach.groupby("municipality_code")["participants"].sum()
    total_fees = sum(fees[m] for m in basis.members)
    total_people = int(sum(int(people.get(m, 0)) for m in basis.members))
    rows = []
    for code in basis.members:
        fee_share = 100.0 * float(fees[code]) / float(total_fees) if total_fees else None
        part = int(people.get(code, 0))
        part_share = 100.0 * part / total_people if total_people else None
        rows.append(
            {
                "municipality_code": code,
                "municipality": basis.names.get(code, code),
                "settlement": basis.settlement.get(code, ""),
                "fees_sek": _kr(fees[code]),
                "fee_share_pct": fee_share,
                "participants": part,
                "participation_share_pct": part_share,
                "difference_pct_points": (
                    None if fee_share is None or part_share is None else part_share - fee_share
                ),
                "participation_to_fee_ratio": (
                    part_share / fee_share if fee_share and part_share is not None else None
                ),
            }
        )
    out = pd.DataFrame(rows, columns=FAIRNESS_COLUMNS)
    out["fees_sek"] = out["fees_sek"].astype("int64")
    return out


AREA_FAIRNESS_COLUMNS = [
    "area",
    "component",
    "invoiced",
    "municipality_code",
    "municipality",
    "settlement",
    "fees_sek",
    "fee_share_pct",
    "participants",
    "participation_share_pct",
    "participation_to_fee_ratio",
    "far_below",
]


@per_basis
def fairness_by_area(basis: Basis, years: range) -> pd.DataFrame:
    """Per area funded per inhabitant and member: its share of the area's funding over the
    window against its share of the area's participants.

    An area is compared with the component that funds it (FoUI skola: the invoiced fee of 4 kr
    per inhabitant; FoUI övergripande: the frame of 5 kr per inhabitant, not invoiced; FoU
    socialtjänst only where its amount per year is known). ``participation_to_fee_ratio`` =
    participation share / fee share: 1 is participation in proportion to what the member pays
    for, below 1 less. ``far_below`` marks ratios below the agreement's
    ``[evaluation] fairness_far_below_ratio`` (assumption A-KVOT). Participants are those of the
    area's activities, placed by sign-up lists or by the population split (estimated). In a
    partial last year the funding is the months' twelfths of the year's amount.
    """
    span = window_of(years)
    threshold = float(basis.agreement.evaluation.fairness_far_below_ratio)
    funding: dict[tuple[str, str], int | Decimal] = {}
    components: dict[str, tuple[str, bool]] = {}
    for year in years:
        table = fee_table(basis.agreement, basis.reference, year)
        for row in table.to_dict("records"):
            component = basis.agreement.component(row["component"])
            components.setdefault(component.area, (component.id, bool(component.invoiced)))
            key = (component.area, row["municipality_code"])
            funding[key] = funding.get(key, 0) + _months_share(
                int(row["fee_sek"]), span.months_in(year)
            )
    reach = _in_window(basis.reach, years)
    rows = []
    for area in AREAS:
        if area not in components:
            continue
        component_id, invoiced = components[area]
        people = reach[reach["area"] == area].groupby("municipality_code")["participants"].sum()
        total_fees = sum(funding.get((area, m), 0) for m in basis.members)
        total_people = sum(int(people.get(m, 0)) for m in basis.members)
        for code in basis.members:
            fee = funding.get((area, code), 0)
            part = int(people.get(code, 0))
            fee_share = 100.0 * float(fee) / float(total_fees) if total_fees else None
            part_share = 100.0 * part / total_people if total_people else None
            ratio = part_share / fee_share if fee_share and part_share is not None else None
            rows.append(
                {
                    "area": area,
                    "component": component_id,
                    "invoiced": invoiced,
                    "municipality_code": code,
                    "municipality": basis.names.get(code, code),
                    "settlement": basis.settlement.get(code, ""),
                    "fees_sek": _kr(fee),
                    "fee_share_pct": fee_share,
                    "participants": part,
                    "participation_share_pct": part_share,
                    "participation_to_fee_ratio": ratio,
                    "far_below": ratio is not None and ratio < threshold,
                }
            )
    out = pd.DataFrame(rows, columns=AREA_FAIRNESS_COLUMNS)
    out["fees_sek"] = out["fees_sek"].astype("int64")
    out["participants"] = out["participants"].astype("int64")
    out["far_below"] = out["far_below"].astype("bool")
    return out


@per_basis
def outcome_budget_ledger(basis: Basis, years: range | Window | None = None) -> pd.DataFrame:
    """The outcome in the budget ledger's shape (``LEDGER_COLUMNS``), summed exactly per row;
    with ``years``, the bookings inside the window (through its month end).

    ``amount_sek`` is the exact sum of the bookings (an int when whole, else a Decimal with
    öre): nothing is rounded here, so every figure built on it is rounded once, where it is shown
    (one figure, one value in every report).
    """
    outcome = outcome_ledger(basis)
    if years is not None:
        outcome = _in_window(outcome, years)
    sums: dict[tuple, Decimal] = {}
    for key, amount in zip(
        zip(
            outcome["year"],
            outcome["area"],
            outcome["kind"],
            outcome["line"],
            outcome["funding_source"],
            strict=True,
        ),
        outcome["amount_sek"],
        strict=True,
    ):
        sums[key] = sums.get(key, Decimal(0)) + Decimal(amount)
    rows = [
        dict(zip(LEDGER_COLUMNS, (*key, _exact(value)), strict=True))
        for key, value in sorted(sums.items())
    ]
    out = pd.DataFrame(rows, columns=LEDGER_COLUMNS)
    out["year"] = out["year"].astype("int64")
    return out


def _exact(value: Decimal) -> int | Decimal:
    """An exact amount: int when whole kronor, else the Decimal itself."""
    return int(value) if value == value.to_integral_value() else value


EFFICIENCY_COLUMNS = [
    "year",
    "area",
    "cost_sek",
    "activities",
    "participants",
    "hours",
    "cost_per_activity_sek",
    "cost_per_participant_sek",
    "cost_per_hour_sek",
]


def _per(cost: int | Decimal, count: float) -> int | None:
    if not count:
        return None
    return _kr(Decimal(cost) / Decimal(str(count)))


def efficiency(basis: Basis, years: range) -> pd.DataFrame:
    """Per year and area (and ``totalt``): cost outcome per activity, participant and hour.

    ``cost_sek`` is exact (int or Decimal); costs per unit are whole kronor (int), None where
    there is nothing to divide by.
    """
    ledger = outcome_budget_ledger(basis, years)
    costs: dict[tuple, Decimal] = {}
    for r in ledger[ledger["kind"] == "kostnad"].itertuples():
        costs[(r.year, r.area)] = costs.get((r.year, r.area), Decimal(0)) + Decimal(r.amount_sek)
    acts = _in_window(basis.inputs.activities, years)
    acts = acts.assign(year=[d.year for d in acts["date"]])
    rows = []
    for year in years:
        for area in (*AREAS, "totalt"):
            part = acts[acts["year"] == year]
            if area != "totalt":
                part = part[part["area"] == area]
            cost = _exact(
                sum((costs.get((year, a), Decimal(0)) for a in AREAS), Decimal(0))
                if area == "totalt"
                else costs.get((year, area), Decimal(0))
            )
            hours = float(sum(part["hours"], Decimal(0)))
            participants = int(part["participants"].sum())
            rows.append(
                {
                    "year": year,
                    "area": area,
                    "cost_sek": cost,
                    "activities": len(part),
                    "participants": participants,
                    "hours": hours,
                    "cost_per_activity_sek": _per(cost, len(part)),
                    "cost_per_participant_sek": _per(cost, participants),
                    "cost_per_hour_sek": _per(cost, hours),
                }
            )
    return pd.DataFrame(rows, columns=EFFICIENCY_COLUMNS)


FINANCE_COLUMNS = [
    "year",
    "revenue_budget_sek",
    "revenue_outcome_sek",
    "cost_budget_sek",
    "cost_outcome_sek",
    "result_budget_sek",
    "result_outcome_sek",
    "equity_used_budget_sek",
    "equity_used_outcome_sek",
    "result_after_equity_budget_sek",
    "result_after_equity_outcome_sek",
    "closing_equity_budget_sek",
    "closing_equity_outcome_sek",
]


@per_basis
def finance_statements(
    basis: Basis, last_year: int, through_months: int = 12
) -> dict[str, pd.DataFrame]:
    """The equity statements (:func:`foui_analysis.domain.budget.equity`) of the plan and the
    outcome from the agreement's first year to ``last_year`` (through its month
    ``through_months``): ``{"budget": ..., "utfall": ...}``.

    Equity runs from the agreement's opening equity, so a later window still carries the earlier
    years' results. The outcome is exact (öre); the plan whole kronor (a partial year's plan is
    the exact budget of its months, :func:`plan_ledger`).
    """
    span = _span_from_start(basis, last_year, through_months)
    plan = plan_ledger(basis, span)
    actual = outcome_budget_ledger(basis, span)
    return {
        "budget": equity(basis.agreement, plan),
        "utfall": equity(basis.agreement, actual),
    }


@per_basis
def finances_by_year(basis: Basis, years: range) -> pd.DataFrame:
    """Per year: revenue, costs, the real result, the decided use of equity (at most the actual
    need), the result after it and closing equity; budget (plan) and outcome.

    Revenue never includes equity. Amounts are exact (int, or Decimal with öre for the outcome);
    they are rounded once, where they are shown. A partial last year is its months in the window:
    the outcome booked through the month end against the budget of those months. A year of the
    window without a single booking is refused (InputError naming the ledger): its outcome is
    missing, not zero.
    """
    months = window_of(years).last_months
    span = _span_from_start(basis, years[-1], months)
    plan = plan_ledger(basis, span)
    actual = outcome_budget_ledger(basis, span)
    plan_result = result_by_area(plan)
    actual_result = result_by_area(actual)
    statements = finance_statements(basis, years[-1], months)
    plan_equity = statements["budget"].set_index("year")
    actual_equity = statements["utfall"].set_index("year")
    booked = set(actual_result["year"])
    unbooked = [year for year in years if year not in booked]
    if unbooked:
        raise InputError.single(
            basis.inputs.file("ledger"),
            "bokföringen har inga poster för "
            + ", ".join(map(str, unbooked))
            + f"; utvärderingen {years[0]}–{years[-1]} behöver utfallet för varje år",
            column="date",
        )
    rows = []
    for year in years:
        p = plan_result[(plan_result["year"] == year) & (plan_result["area"] == "totalt")]
        a = actual_result[(actual_result["year"] == year) & (actual_result["area"] == "totalt")]
        p, a = p.iloc[0], a.iloc[0]
        rows.append(
            {
                "year": year,
                "revenue_budget_sek": p["revenue_sek"],
                "revenue_outcome_sek": a["revenue_sek"],
                "cost_budget_sek": p["cost_sek"],
                "cost_outcome_sek": a["cost_sek"],
                "result_budget_sek": p["result_sek"],
                "result_outcome_sek": a["result_sek"],
                "equity_used_budget_sek": plan_equity.loc[year, "equity_used_sek"],
                "equity_used_outcome_sek": actual_equity.loc[year, "equity_used_sek"],
                "result_after_equity_budget_sek": plan_equity.loc[year, "result_after_equity_sek"],
                "result_after_equity_outcome_sek": actual_equity.loc[
                    year, "result_after_equity_sek"
                ],
                "closing_equity_budget_sek": plan_equity.loc[year, "closing_equity_sek"],
                "closing_equity_outcome_sek": actual_equity.loc[year, "closing_equity_sek"],
            }
        )
    out = pd.DataFrame(rows, columns=FINANCE_COLUMNS)
    for column in FINANCE_COLUMNS[1:]:
        out[column] = out[column].map(_plain_money)
    return out


def _span_from_start(basis: Basis, last_year: int, through_months: int = 12) -> Window:
    """The agreement's first year through ``last_year`` (its month ``through_months``)."""
    from foui_analysis.periods import month_end

    through = month_end(last_year, through_months) if through_months < 12 else None
    return window(basis.agreement.first_year, last_year, through)


def _plain_money(value) -> int | Decimal:
    return value if isinstance(value, Decimal) else int(value)


def balance_findings(basis: Basis, years: range) -> pd.DataFrame:
    """Years of the window whose outcome is not in balance after the decided use of equity, or
    whose closing equity is negative (:func:`foui_analysis.domain.budget.balance_findings`).

    The balance requirement is for a whole year: a partial last year is not judged "not in
    balance" on its months (nor given a balancing rate per inhabitant), but negative equity at
    its month end is still a finding."""
    span = window_of(years)
    statement = finance_statements(basis, years[-1], span.last_months)["utfall"]
    statement = statement[statement["year"].isin(list(years))]
    found = budget_balance_findings(basis.agreement, basis.reference, statement)
    if span.is_partial:
        interim = (found["year"] == span.last_year) & (found["finding"] == "ej_i_balans")
        found = found[~interim].reset_index(drop=True)
    return found


def revenue_by_source(basis: Basis, years: range) -> pd.DataFrame:
    """Per year and funding source: ``budget_sek``, ``outcome_sek``, ``deviation_sek`` (exact)."""
    plan = plan_ledger(basis, years)
    plan = plan[plan["kind"] == "intakt"]
    actual = outcome_budget_ledger(basis, years)
    actual = actual[actual["kind"] == "intakt"]
    p: dict[tuple, Decimal] = {}
    a: dict[tuple, Decimal] = {}
    for frame, sums in ((plan, p), (actual, a)):
        for r in frame.itertuples():
            key = (r.year, r.funding_source)
            sums[key] = sums.get(key, Decimal(0)) + to_decimal(r.amount_sek)
    keys = sorted(set(p) | set(a))
    rows = [
        {
            "year": y,
            "funding_source": s,
            "budget_sek": _exact(p.get((y, s), Decimal(0))),
            "outcome_sek": _exact(a.get((y, s), Decimal(0))),
            "deviation_sek": _exact(a.get((y, s), Decimal(0)) - p.get((y, s), Decimal(0))),
        }
        for y, s in keys
    ]
    return pd.DataFrame(
        rows, columns=["year", "funding_source", "budget_sek", "outcome_sek", "deviation_sek"]
    )


@per_basis
def frame_goal_outcome(basis: Basis, years: range) -> pd.DataFrame:
    """The seed's frame goal for FoUI övergripande, on the outcome and on the budget.

    Columns of :func:`foui_analysis.domain.budget.frame_goal` (``year, funding_source,
    frame_sek, cost_sek, margin_sek, within_frame, applies``) for the outcome, plus
    ``budget_cost_sek`` and ``budget_within_frame`` for the plan. In a partial last year the
    frame is its months' twelfths and the costs those booked (budgeted) through the month end.
    """
    span = window_of(years)
    actual = _frame_months(
        frame_goal(basis.agreement, basis.reference, outcome_budget_ledger(basis, years)), span
    )
    plan = _frame_months(
        frame_goal(basis.agreement, basis.reference, plan_ledger(basis, years)), span
    ).set_index("year")
    actual["budget_cost_sek"] = [plan.loc[y, "cost_sek"] for y in actual["year"]]
    actual["budget_within_frame"] = [bool(plan.loc[y, "within_frame"]) for y in actual["year"]]
    return actual


def _frame_months(goal: pd.DataFrame, span: Window) -> pd.DataFrame:
    """The frame goal with a partial last year's frame cut to its months' twelfths."""
    if not span.is_partial or goal.empty:
        return goal
    goal = goal.astype({"frame_sek": object, "margin_sek": object})
    for index in goal.index[goal["year"] == span.last_year]:
        frame = _months_share(int(goal.at[index, "frame_sek"]), span.last_months)
        cost = goal.at[index, "cost_sek"]
        goal.at[index, "frame_sek"] = frame
        goal.at[index, "margin_sek"] = exact_sum([frame, -to_decimal(cost)])
        goal.at[index, "within_frame"] = bool(cost <= frame)
    return goal


SURVEY_MEASURES = ("relevance", "quality", "usefulness")
"""The survey's three scores (1-5)."""

SURVEY_COLUMNS = [
    "year",
    "group",
    "municipalities",
    "rows",
    "respondents",
    "asked",
    "response_rate_pct",
    *[f"{m}_{part}" for m in SURVEY_MEASURES for part in ("mean", "low", "high")],
]

INTERVAL_PCT = 95
"""The confidence level of the survey intervals (the quantiles below are for this level)."""
T_975 = (
    12.706,
    4.303,
    3.182,
    2.776,
    2.571,
    2.447,
    2.365,
    2.306,
    2.262,
    2.228,
    2.201,
    2.179,
    2.160,
    2.145,
    2.131,
    2.120,
    2.110,
    2.101,
    2.093,
    2.086,
    2.080,
    2.074,
    2.069,
    2.064,
    2.060,
    2.056,
    2.052,
    2.048,
    2.045,
    2.042,
)
"""Student's t, two-sided 95 % (0,975 quantile), for 1-30 degrees of freedom (standard
tables); above 30 the interval uses 2,042 down to the normal 1,960 (:func:`t_975`)."""


def t_975(df: int) -> float:
    """The 0,975 quantile of Student's t with ``df`` degrees of freedom (table values; 40: 2,021,
    60: 2,000, 120: 1,980, beyond: 1,960)."""
    if df < 1:
        raise ValueError("at least one degree of freedom")
    if df <= 30:
        return T_975[df - 1]
    for limit, value in ((40, 2.021), (60, 2.000), (120, 1.980)):
        if df <= limit:
            return value
    return 1.960


def weighted_mean_interval(
    means: list[Decimal], weights: list[int]
) -> tuple[float | None, float | None, float | None]:
    """Respondent-weighted mean of group means and its 95 % interval ``(mean, low, high)``.

    The groups (a municipality's respondents in one role) are treated as clusters: the
    variance of the weighted mean is ``k / (k - 1) x sum(w_i^2 (x_i - mean)^2) / (sum w_i)^2``
    over the k groups (the linearised variance of a ratio estimator), and the interval is the
    mean +- t(k - 1) x its standard error. With one group there is no interval.
    """
    total = sum(weights)
    if not total:
        return None, None, None
    exact = sum((Decimal(m) * w for m, w in zip(means, weights, strict=True)), Decimal(0)) / total
    mean = float(exact)
    k = len(means)
    if k < 2:
        return mean, None, None
    spread = sum(
        (Decimal(w) * (Decimal(m) - exact)) ** 2 for m, w in zip(means, weights, strict=True)
    )
    variance = Decimal(k) / Decimal(k - 1) * spread / Decimal(total) ** 2
    half = t_975(k - 1) * float(variance.sqrt())
    return mean, mean - half, mean + half


def _survey_groups(basis: Basis, by: str) -> dict[str, str]:
    register = basis.reference.municipalities.set_index("municipality_code")
    if by == "municipality":
        return {c: basis.names.get(c, c) for c in basis.members}
    if by == "settlement":
        return {c: basis.settlement.get(c, "") for c in basis.members}
    return {c: str(register.loc[c, by]) for c in basis.members if c in register.index}


@per_basis
def survey_by_year(basis: Basis, years: range, by: str = "settlement") -> pd.DataFrame:
    """Respondent-weighted means with 95 % intervals per year and group (``by``:
    ``settlement``, ``skr_group_2017_name`` or ``municipality``), plus ``alla``.

    ``rows`` is the number of (municipality, role) groups behind a mean, ``respondents`` the
    people who answered; ``asked`` and ``response_rate_pct`` are given only when every row of
    the group says how many were asked. ``<measure>_low`` and ``_high`` bound the 95 % interval
    (:func:`weighted_mean_interval`; none with fewer than two rows). Only the surveys that had
    come in by the window's end count: a window through November leaves out its last year's
    survey (:func:`foui_analysis.analyses.goals.survey_year`).
    """
    counted = [y for y in years if y <= survey_year(window_of(years).end)]
    survey = basis.inputs.survey
    survey = survey[survey["year"].isin(counted)]
    groups = _survey_groups(basis, by)
    rows = []
    for year in counted:
        part = survey[survey["year"] == year]
        names = sorted(set(groups.values())) + ["alla"]
        for name in names:
            rows_group = (
                part
                if name == "alla"
                else part[part["municipality_code"].map(lambda c, n=name: groups.get(c) == n)]
            )
            weights = [int(w) for w in rows_group["respondents"]]
            asked_cells = [None if pd.isna(a) else int(a) for a in rows_group["asked"]]
            asked = (
                sum(a for a in asked_cells if a is not None)
                if asked_cells and all(a is not None for a in asked_cells)
                else None
            )
            row = {
                "year": year,
                "group": name,
                "municipalities": int(rows_group["municipality_code"].nunique()),
                "rows": len(rows_group),
                "respondents": sum(weights),
                "asked": asked,
                "response_rate_pct": 100.0 * sum(weights) / asked if asked else None,
            }
            for measure in SURVEY_MEASURES:
                mean, low, high = weighted_mean_interval(list(rows_group[measure]), weights)
                row[f"{measure}_mean"], row[f"{measure}_low"], row[f"{measure}_high"] = (
                    mean,
                    low,
                    high,
                )
            rows.append(row)
    out = pd.DataFrame(rows, columns=SURVEY_COLUMNS)
    out["asked"] = out["asked"].astype("Int64")
    for column in SURVEY_COLUMNS[6:]:
        out[column] = out[column].astype("float64")
    return out


SURVEY_CHANGE_WORDS = {
    "högre": "högre",
    "lägre": "lägre",
    "osäker": "ingen säker förändring",
    "saknas": "kan inte jämföras",
}


def survey_changes(basis: Basis, years: range, by: str = "settlement") -> pd.DataFrame:
    """Each group's and measure's mean against the year before, called a change only when the
    95 % intervals do not overlap (``change``: ``högre``, ``lägre``, ``osäker``, or
    ``saknas`` without two intervals). Non-overlap is a conservative test: a real difference
    can hide in overlapping intervals, but a called change is not a chance result of who
    answered."""
    table = survey_by_year(basis, years, by)
    pairs = []
    for group in dict.fromkeys(table["group"]):
        records = table[table["group"] == group].sort_values("year").to_dict("records")
        for measure in SURVEY_MEASURES:
            pairs += [
                (group, measure, before, now)
                for before, now in zip(records, records[1:], strict=False)
            ]
    rows = []
    for group, measure, before, now in pairs:
        low0, high0 = before[f"{measure}_low"], before[f"{measure}_high"]
        low1, high1 = now[f"{measure}_low"], now[f"{measure}_high"]
        if any(v is None or v != v for v in (low0, high0, low1, high1)):
            change = "saknas"
        elif low1 > high0:
            change = "högre"
        elif high1 < low0:
            change = "lägre"
        else:
            change = "osäker"
        rows.append(
            {
                "group": group,
                "measure": measure,
                "year_before": before["year"],
                "year": now["year"],
                "mean_before": before[f"{measure}_mean"],
                "mean": now[f"{measure}_mean"],
                "change": change,
            }
        )
    return pd.DataFrame(
        rows, columns=["group", "measure", "year_before", "year", "mean_before", "mean", "change"]
    )


COLLABORATION_COLUMNS = [
    "year",
    "partner",
    "activities",
    "participants",
    "projects_started",
    "projects_running",
    "external_funding_started_sek",
]


@per_basis
def collaboration(basis: Basis, years: range) -> pd.DataFrame:
    """Per year and university: activities with it as partner, their participants, projects
    started and running at year end (at the month end in a partial last year), and the external
    funding of the projects started."""
    span = window_of(years)
    acts = basis.inputs.activities
    partners = sorted(set(p for p in acts["partner"] if p) | set(basis.inputs.projects["partner"]))
    acts = _in_window(acts, years)
    acts = acts.assign(year=[d.year for d in acts["date"]])
    projects = basis.inputs.projects
    rows = []
    for year in years:
        end = span.end_of(year)
        for partner in partners:
            a = acts[(acts["year"] == year) & (acts["partner"] == partner)]
            p = projects[(projects["partner"] == partner) & (projects["status"] != "planerat")]
            # astype(bool): a partner without projects maps to an empty object Series, which
            # pandas would take as a list of column names.
            started = p[
                p["start_date"].map(lambda d, y=year, e=end: d.year == y and d <= e).astype(bool)
            ]
            running = p[
                (p["start_date"] <= end)
                & p["end_date"].map(lambda d, e=end: d is None or pd.isna(d) or d >= e).astype(bool)
            ]
            funding = sum((Decimal(v) for v in started["external_funding_sek"]), Decimal(0))
            rows.append(
                {
                    "year": year,
                    "partner": partner,
                    "activities": len(a),
                    "participants": int(a["participants"].sum()),
                    "projects_started": len(started),
                    "projects_running": len(running),
                    "external_funding_started_sek": _kr(funding),
                }
            )
    return pd.DataFrame(rows, columns=COLLABORATION_COLUMNS)


@per_basis
def key_figures(basis: Basis, years: range) -> pd.DataFrame:
    """Named key figures of the evaluation (``key, label, value, unit``) for ``kpis.json``.

    A window ending at a month end adds ``utvardering_till_och_med`` (its last day, ISO) and
    ``sista_aret_manader`` (the months of the last year in it), and its labels name the month.
    """
    span = window_of(years)
    last = years[-1]
    when = str(last)
    closing = f"Eget kapital vid utgången av {last}"
    if span.is_partial:
        month = MONTHS_SV[span.last_months - 1]
        when = f"{last} (till och med {month})"
        closing = f"Eget kapital den {span.end.day} {month} {last}"
    goals = goal_attainment_by_year(basis, years)
    goals_last = goals[goals["year"] == last]
    reach = reach_by_year(basis, years)
    money = finances_by_year(basis, years)
    frame = frame_goal_outcome(basis, years)
    applies = frame[frame["applies"]]
    collab = collaboration(basis, years)
    fair = fairness(basis, years)
    conclusion = settlement_conclusion(basis, years)
    by_area = fairness_by_area(basis, years)
    school = by_area[by_area["area"] == "skola"]

    rows = [
        (
            "mal_uppnadda_sista_aret",
            f"Mål uppnådda {when}",
            int((goals_last["status"] == "uppnått").sum()),
            "antal",
        ),
        (
            "mal_delvis_sista_aret",
            f"Mål delvis uppnådda {when}",
            int((goals_last["status"] == "delvis uppnått").sum()),
            "antal",
        ),
        (
            "mal_ej_uppnadda_sista_aret",
            f"Mål ej uppnådda {when}",
            int((goals_last["status"] == "ej uppnått").sum()),
            "antal",
        ),
        (
            "mal_ej_matbara_sista_aret",
            f"Mål ej mätbara {when}",
            int((goals_last["status"] == "ej mätbart").sum()),
            "antal",
        ),
        ("mal_totalt", "Mål i målramverket", len(goals_last), "antal"),
        ("aktiviteter", "Aktiviteter under perioden", int(reach["activities"].sum()), "antal"),
        ("deltagare", "Deltagare under perioden", int(reach["participants"].sum()), "personer"),
        (
            "kommuner_nadda_minst_pct",
            "Lägsta andel medlemskommuner nådda ett år",
            float(reach["members_reached_pct"].min()),
            "%",
        ),
        (
            "deltagare_per_1000_glesbygd",
            "Deltagare per 1 000 invånare, glesbygd (perioden)",
            conclusion["rural_per_1000"],
            "per 1 000 invånare",
        ),
        (
            "deltagare_per_1000_tatort",
            "Deltagare per 1 000 invånare, tätort (perioden)",
            conclusion["urban_per_1000"],
            "per 1 000 invånare",
        ),
        (
            "deltagare_per_1000_glesbygd_lika",
            "Deltagare per 1 000 invånare, glesbygd, uppskattat deltagande fördelat lika",
            conclusion["rural_per_1000_equal"],
            "per 1 000 invånare",
        ),
        (
            "deltagare_per_1000_tatort_lika",
            "Deltagare per 1 000 invånare, tätort, uppskattat deltagande fördelat lika",
            conclusion["urban_per_1000_equal"],
            "per 1 000 invånare",
        ),
        (
            "deltagande_uppskattat_pct",
            "Andel av deltagarna vars hemkommun är uppskattad",
            conclusion["estimated_pct"],
            "%",
        ),
        (
            "glesbygd_tatort_slutsats_haller",
            "Slutsatsen om glesbygd och tätort håller under båda fördelningarna",
            conclusion["holds"],
            "ja/nej",
        ),
        (
            "intakter_utfall_sek",
            "Intäkter, utfall under perioden",
            _kr(exact_sum(money["revenue_outcome_sek"])),
            "kr",
        ),
        (
            "kostnader_utfall_sek",
            "Kostnader, utfall under perioden",
            _kr(exact_sum(money["cost_outcome_sek"])),
            "kr",
        ),
        (
            "kostnader_budget_sek",
            "Kostnader, budget under perioden",
            _kr(exact_sum(money["cost_budget_sek"])),
            "kr",
        ),
        (
            "resultat_utfall_sek",
            "Resultat, utfall under perioden",
            _kr(exact_sum(money["result_outcome_sek"])),
            "kr",
        ),
        (
            "eget_kapital_anvant_sek",
            "Eget kapital som tagits i anspråk under perioden (behovet)",
            _kr(exact_sum(money["equity_used_outcome_sek"])),
            "kr",
        ),
        (
            "eget_kapital_planerat_sek",
            "Eget kapital som planerades att tas i anspråk under perioden",
            _kr(exact_sum(money["equity_used_budget_sek"])),
            "kr",
        ),
        (
            "resultat_efter_eget_kapital_utfall_sek",
            "Resultat efter ianspråktaget eget kapital, utfall under perioden",
            _kr(exact_sum(money["result_after_equity_outcome_sek"])),
            "kr",
        ),
        (
            "eget_kapital_utgaende_sek",
            closing,
            _kr(money["closing_equity_outcome_sek"].iloc[-1]),
            "kr",
        ),
        (
            "overgripande_inom_ram_ar",
            "År då FoUI övergripande ryms inom ramen (sedan målåret)",
            int(applies["within_frame"].sum()),
            "antal",
        ),
        ("overgripande_malar", "År som ramkravet gäller under perioden", len(applies), "antal"),
        (
            "fou_projekt_startade",
            "FoU-projekt startade med lärosäten",
            int(collab["projects_started"].sum()),
            "antal",
        ),
        (
            "extern_finansiering_sek",
            "Extern finansiering till startade projekt",
            int(collab["external_funding_started_sek"].sum()),
            "kr",
        ),
        (
            "skola_kommuner_langt_under",
            "FoUI skola: kommuner vars deltagarandel är långt under avgiftsandelen",
            int(school["far_below"].sum()),
            "antal",
        ),
        (
            "skola_lagsta_kvot",
            "FoUI skola: lägsta kvot deltagarandel/avgiftsandel",
            _float(school["participation_to_fee_ratio"].min()) if len(school) else None,
            "kvot",
        ),
        (
            "storsta_avvikelse_deltagande_pct",
            "Största skillnad deltagarandel - avgiftsandel",
            float(fair["difference_pct_points"].abs().max()),
            "procentenheter",
        ),
    ]
    if span.is_partial:
        rows += [
            (
                "utvardering_till_och_med",
                "Utvärderingen omfattar till och med",
                span.end.isoformat(),
                "datum",
            ),
            (
                "sista_aret_manader",
                f"Månader av {last} som utvärderingen omfattar",
                span.last_months,
                "månader",
            ),
        ]
    return figures_frame(rows)


def key_figures_dict(basis: Basis, years: range) -> dict:
    """``{key: {"label", "value", "unit"}}``: the evaluation's key figures for ``kpis.json``."""
    return {
        r["key"]: {"label": r["label"], "value": r["value"], "unit": r["unit"]}
        for r in key_figures(basis, years).to_dict("records")
    }


def commentary_for(basis: Basis, years: range) -> pd.DataFrame:
    """The FoUI chief's texts for the evaluation window (period ``YYYY-YYYY``, or
    ``YYYY-YYYY-MM`` for a window through a month end), ``alla`` first."""
    label = window_of(years).label
    texts = basis.inputs.commentary
    chosen = texts[texts["period"] == label][["goal_id", "text"]]
    order = chosen["goal_id"].map(lambda g: (g != "alla", g))
    return chosen.iloc[order.argsort(kind="stable")].reset_index(drop=True)
