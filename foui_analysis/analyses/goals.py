"""Goal logic shared by the follow-up and the evaluation: indicators, targets and status.

The goal framework (``goals.csv``) links each goal of the seed (purposes P1-P4, tasks U1-U6, the
motto words synliggöra, möjliggöra, nyttiggöra) to indicators; ``targets.csv`` gives each
indicator a full-year target per year. Every indicator is computed here from the inputs by a named
function (:data:`INDICATORS`); the data only say which indicators measure which goal.

Indicators and their windows
----------------------------
An indicator is measured *up to* a date ``end`` (the end of a half-year or of a year) over one of
four windows:

* ``hittills`` (year to date, 1 January to ``end``): counts and sums (seminars, projects started,
  participants, hours, participants per 1 000 inhabitants). At a half-year the full-year target is
  prorated by the months passed (6/12): activity is assumed to be spread evenly over the year,
  which it is not (little happens in July), so H1 figures run slightly ahead of the prorated target.
* ``rullande`` (the twelve months to ``end``): the share of members reached, the rural members not
  reached, and the share of members in a needs inventory; compared with the full target, so a
  half-year and a year are comparable. Before the agreement started the window holds nothing (the
  first half-year of 2014 shows six months).
* ``niva`` (the state at ``end``): running projects.
* ``enkat`` (the latest member survey by ``end``): the survey is held in the autumn, so a survey of
  year *Y* counts from the end of *Y*; H1 of *Y* shows the survey of *Y - 1*. Scores are means
  weighted by the number of respondents.

Status
------
Each indicator declares in ``goals.csv`` how it is judged (:class:`IndicatorRule`): its
direction (``hogre`` or ``lagre`` is better), its kind (``antal`` count, ``andel`` share in
percent, ``takt`` rate such as per 1 000 inhabitants, ``skala`` a mean on a scale with its
minimum and maximum) and, where the distance from the target decides, a ``tolerance`` in the
indicator's own unit. ``attainment_pct`` is measured as follows:

* **distance** (any indicator with a tolerance; always when lower is better): 100 % at or on the
  good side of the target, falling linearly to 0 % at ``tolerance`` units on the bad side:
  ``100 x (1 - shortfall / tolerance)``, at least 0. A lower-is-better indicator with target 0
  (rural members not reached) is thus *met* (100 %) or *missed by how much*; with tolerance 5 one
  member missed is 80 %, not 0 %.
* **scale** (``skala`` without tolerance): on the scale's range, from its minimum:
  ``(value - min) / (target - min) x 100``. A mean of 2,72 on 1-5 against a target of 3,4 is
  72 %, not the 80 % of a plain ratio that would ignore that the scale starts at 1.
* **ratio** (``antal``, ``andel``, ``takt``, higher is better, no tolerance): value / target x
  100; a target of 0 is met by any value.

Status words (the convention of Swedish municipal annual reports, e.g. Vansbro 2019):
**uppnått** from 100 %, **delvis uppnått** from 80 %, **ej uppnått** below; **ej mätbart** when
there is no value or no target. The thresholds are parameters. Status is decided on the
unrounded attainment; the figure shown beside it (``attainment_shown_pct`` with
``attainment_decimals``) has as many decimals as it takes not to contradict it (99,6 %, never
100 % beside delvis uppnått; at most two, rounded down if even two would cross the threshold).

A goal's attainment is the mean of its measurable indicators' attainment, each capped at 100 %
first, so one indicator far above target does not hide another below it; it is classified with
the same thresholds. An indicator that measures two goals (behovsinventeringar for P4 and U6) is
shown under each goal, but counted once in any count of indicators (:func:`status_counts`).

Trend compares an indicator's attainment with the previous follow-up (the half-year before):
**upp** (closer to or further above the target, by more than ``tolerance_pct`` percentage points),
**ned**, **oförändrad**; **saknas** when there is nothing to compare with. Trend is about
attainment, not the raw value, so a falling number of rural members not reached is **upp**.

Known limits: a member not reached lowers both the share of members reached and, if rural, the
rural members not reached, so within P1 one missed member still weighs twice (mildly, with the
tolerance); participants are participations, not persons; participants of an activity that
reached several municipalities and has no sign-up list (``participation.csv``) are split by
population (:mod:`foui_analysis.domain.inputs`);
``alla`` counts every member as reached; survey means are of municipal means, not of individual
answers.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd

from foui_analysis.domain.agreement import SETTLEMENT_METHODS, Agreement
from foui_analysis.domain.fees import basis_for
from foui_analysis.domain.inputs import Inputs, activity_reach
from foui_analysis.domain.reference import Reference
from foui_analysis.schemas.inputs import INDICATOR_IDS

ACHIEVED_FROM_PCT = 100.0
"""Attainment from which a target counts as uppnått."""
PARTIAL_FROM_PCT = 80.0
"""Attainment from which a target counts as delvis uppnått."""
TREND_TOLERANCE_PCT = 1.0
"""Changes in attainment smaller than this (percentage points) are oförändrad."""

STATUSES = ("uppnått", "delvis uppnått", "ej uppnått", "ej mätbart")
TRENDS = ("upp", "ned", "oförändrad", "saknas")
WINDOW_NAMES = {
    "hittills": "hittills i år",
    "rullande": "senaste tolv månaderna",
    "niva": "vid periodens slut",
    "enkat": "senaste medlemsenkäten",
}


@dataclass(frozen=True)
class Basis:
    """Everything the analyses compute from: the agreement, reference data and inputs."""

    agreement: Agreement
    reference: Reference
    inputs: Inputs
    reach: pd.DataFrame
    population: pd.DataFrame
    names: dict[str, str]
    settlement: dict[str, str]
    settlement_method: str = "kommungrupp"
    """Which classification ``settlement`` holds (a key of ``SETTLEMENT_METHODS``)."""
    memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def settlement_label(self) -> str:
        """The classification in words, as a report names it."""
        label = SETTLEMENT_METHODS[self.settlement_method]
        if self.settlement_method == "tathet":
            threshold = self.agreement.evaluation.density_threshold_per_km2
            label = label.replace("tröskeln", f"{str(threshold).replace('.', ',')}")
        return label

    @property
    def members(self) -> tuple[str, ...]:
        return tuple(self.agreement.members)

    def population_of(self, year: int) -> dict[str, int]:
        rows = self.population[self.population["year"] == year]
        return dict(zip(rows["municipality_code"], rows["population"], strict=True))


def per_basis(function: Callable) -> Callable:
    """Compute ``function(basis, *args)`` once per basis and arguments; hand out copies.

    A report asks for the same budget, outcome ledger and indicator status many times (for the
    period, the year to date, the previous period, restatements of earlier periods); the basis
    is immutable, so each result is computed once. The key is the arguments as the function
    sees them (bound to its parameters, defaults filled in), so ``f(basis, p)``,
    ``f(basis, p, None)`` and ``f(basis, p, threshold=None)`` share one result. Frames are
    copied on the way out, so a caller that changes its result cannot change another's.

    The memo is shared by every view of a cached basis (:func:`analysis_basis`), so a result is
    computed from the cached basis, not from the caller's view: a notebook that changed its view
    in place cannot put its figures into the memo the next report reads.
    """
    signature = inspect.signature(function)

    @functools.wraps(function)
    def wrapper(basis: Basis, *args, **kwargs):
        from foui_analysis.handout import origin

        bound = signature.bind(basis, *args, **kwargs)
        bound.apply_defaults()
        arguments = tuple(bound.arguments.items())[1:]  # all but the basis
        key = (function.__qualname__, function.__module__, arguments)
        if key not in basis.memo:
            basis.memo[key] = function(origin(basis), *args, **kwargs)
        result = basis.memo[key]
        return result.copy() if isinstance(result, pd.DataFrame) else copy.deepcopy(result)

    return wrapper


_bases: dict[tuple[int, int, int], tuple[Agreement, Reference, Inputs, Basis]] = {}


def analysis_basis(agreement: Agreement, reference: Reference, inputs: Inputs) -> Basis:
    """Bundle the inputs with the population basis of each year and the activities' reach.

    The population of a year is the fee basis of that year (SCB, 31 December ``lag_years``
    before), the same figure the municipality pays by. With the process cache on
    (:mod:`foui_analysis.context`), the same loaded objects give the same Basis, so its memo of
    computed results serves report after report in one runner process.
    """
    from foui_analysis.context import process_cache_enabled
    from foui_analysis.handout import handout, origin

    if not process_cache_enabled():
        return _analysis_basis(agreement, reference, inputs)
    # Keyed on the cached objects the caller's views were handed out from; each caller gets its
    # own view of the basis (its frames copies), sharing the memo of computed results.
    agreement, reference, inputs = origin(agreement), origin(reference), origin(inputs)
    key = (id(agreement), id(reference), id(inputs))
    found = _bases.get(key)
    if found is None or not (
        found[0] is agreement and found[1] is reference and found[2] is inputs
    ):
        _bases.clear()
        found = (agreement, reference, inputs, _analysis_basis(agreement, reference, inputs))
        _bases[key] = found
    return handout(found[3])


def _analysis_basis(agreement: Agreement, reference: Reference, inputs: Inputs) -> Basis:
    frames = []
    years = sorted({d.year for d in inputs.activities["date"]} | set(agreement.years))
    for year in years:
        try:
            basis = basis_for(agreement, reference, year)
        except Exception:  # a year outside the reference data has no basis; it is skipped
            continue
        frames.append(basis.assign(year=year)[["year", "municipality_code", "population"]])
    if not frames:
        from foui_analysis.errors import InputError

        raise InputError.single(
            reference.population_file,
            "ingen basfolkmängd finns för något år i avtalsperioden "
            f"{agreement.first_year}-{agreement.last_year} (basår "
            f"{agreement.basis_year(agreement.first_year)}-"
            f"{agreement.basis_year(agreement.last_year)}); räckvidd per invånare kan inte "
            "beräknas. Lägg in SCB:s folkmängd för basåren eller ändra population_basis i avtalet",
            column="year",
        )
    population = pd.concat(frames, ignore_index=True)
    reach = activity_reach(
        inputs.activities, agreement.members, population, inputs.participation, "population"
    )
    method = agreement.evaluation.settlement
    return Basis(
        agreement,
        reference,
        inputs,
        reach,
        population,
        reference.municipality_names(),
        settlement_classes(agreement, reference, population),
        method,
    )


def settlement_classes(
    agreement: Agreement, reference: Reference, population: pd.DataFrame
) -> dict[str, str]:
    """glesbygd or tatort per municipality, by the agreement's ``[evaluation] settlement``.

    ``kommungrupp``: the ``settlement`` column of ``reference/municipalities.csv`` (SKR groups
    2017; assumption A-GLES). ``tathet``: inhabitants per km² of land area (the population
    basis of the agreement's first year over ``land_area_km2``), glesbygd below the threshold
    (assumption A-TATHET). One classification for the whole agreement, so groups do not change
    between years.
    """
    register = reference.municipalities
    if agreement.evaluation.settlement != "tathet":
        return dict(zip(register["municipality_code"], register["settlement"], strict=True))
    first = population[population["year"] == agreement.first_year]
    people = dict(zip(first["municipality_code"], first["population"], strict=True))
    threshold = Decimal(agreement.evaluation.density_threshold_per_km2)
    out = {}
    for code, area in zip(register["municipality_code"], register["land_area_km2"], strict=True):
        inhabitants = people.get(code)
        if inhabitants is None or area is None or not Decimal(str(area)):
            out[code] = ""
            continue
        density = Decimal(int(inhabitants)) / Decimal(str(area))
        out[code] = "glesbygd" if density < threshold else "tatort"
    return out


def reach_under(basis: Basis, split: str) -> pd.DataFrame:
    """The activities' reach with participants without a sign-up list split by ``split``
    (``population`` is ``basis.reach``; ``equal`` splits them equally)."""
    from foui_analysis.handout import origin

    if split == "population":
        return basis.reach
    key = ("reach_under", split)
    if key not in basis.memo:
        basis.memo[key] = activity_reach(
            basis.inputs.activities,
            basis.agreement.members,
            basis.population,
            basis.inputs.participation,
            split,
            # The same rows: only participants and hours are made anew. The cached basis's
            # reach, not this caller's view of it (which the caller may have changed).
            layout=origin(basis).reach,
        )
    return basis.memo[key]


def year_start(end: dt.date) -> dt.date:
    return dt.date(end.year, 1, 1)


def twelve_months_before(end: dt.date) -> dt.date:
    """The first day of the twelve months that end on ``end``."""
    return (pd.Timestamp(end) - pd.DateOffset(years=1) + pd.DateOffset(days=1)).date()


def _between(frame: pd.DataFrame, column: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    dates = frame[column]
    return frame[(dates >= start) & (dates <= end)]


def _window(basis: Basis, table: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """The rows of the activities (``table`` ``activities``) or of their reach (``reach``)
    dated ``start`` to ``end``: selected once per basis and window, for the indicators measured
    over it, which only read them (they are never handed out). From the cached basis, as
    :func:`per_basis` computes."""
    from foui_analysis.handout import origin

    key = ("_window", table, start, end)
    found = basis.memo.get(key)
    if found is None:
        source = origin(basis)
        frame = source.inputs.activities if table == "activities" else source.reach
        found = basis.memo[key] = _between(frame, "date", start, end)
    return found


def _activities(basis: Basis, start: dt.date, end: dt.date, task: int | None = None):
    frame = _window(basis, "activities", start, end)
    return frame if task is None else frame[frame["task"] == task]


def _reach(basis: Basis, start: dt.date, end: dt.date, task: int | None = None):
    frame = _window(basis, "reach", start, end)
    return frame if task is None else frame[frame["task"] == task]


def _count(task: int) -> Callable[[Basis, dt.date], float]:
    def compute(basis: Basis, end: dt.date) -> float:
        return float(len(_activities(basis, year_start(end), end, task)))

    return compute


def projects_started(basis: Basis, end: dt.date) -> float:
    """Projects with a university partner started this year, planned ones excluded."""
    projects = basis.inputs.projects
    started = _between(projects, "start_date", year_start(end), end)
    return float(len(started[started["status"] != "planerat"]))


def projects_running(basis: Basis, end: dt.date) -> float:
    """Projects started by ``end`` and not ended before it (planned ones excluded)."""
    projects = basis.inputs.projects
    running = projects[(projects["start_date"] <= end) & (projects["status"] != "planerat")]
    ended = running["end_date"].map(lambda d: d is not None and not pd.isna(d) and d < end)
    return float((~ended).sum())


def dissemination_participants(basis: Basis, end: dt.date) -> float:
    return float(_activities(basis, year_start(end), end, 3)["participants"].sum())


def support_hours(basis: Basis, end: dt.date) -> float:
    hours = _activities(basis, year_start(end), end, 4)["hours"]
    return float(sum(hours, Decimal(0)))


def _share_reached(basis: Basis, end: dt.date, task: int | None = None) -> float:
    reached = set(_reach(basis, twelve_months_before(end), end, task)["municipality_code"])
    members = basis.members
    return 100.0 * len(reached & set(members)) / len(members)


def members_active_pct(basis: Basis, end: dt.date) -> float:
    return _share_reached(basis, end)


def needs_members_pct(basis: Basis, end: dt.date) -> float:
    return _share_reached(basis, end, 6)


def rural_not_reached(basis: Basis, end: dt.date) -> float:
    reached = set(_reach(basis, twelve_months_before(end), end)["municipality_code"])
    rural = [m for m in basis.members if basis.settlement.get(m) == "glesbygd"]
    return float(len([m for m in rural if m not in reached]))


def joint_activities(basis: Basis, end: dt.date) -> float:
    """Activities that reached more than one municipality (``alla`` included)."""
    frame = _activities(basis, year_start(end), end)
    return float(sum(1 for cell in frame["municipalities"] if cell == "alla" or "|" in cell))


def participants_per_1000(basis: Basis, end: dt.date) -> float:
    participants = int(_activities(basis, year_start(end), end)["participants"].sum())
    population = basis.population_of(end.year)
    inhabitants = sum(population.get(m, 0) for m in basis.members)
    return 1000.0 * participants / inhabitants if inhabitants else float("nan")


def survey_year(end: dt.date) -> int:
    """The survey that counts at ``end``: the year's own from December, else the year before."""
    return end.year if end.month == 12 else end.year - 1


def survey_mean(column: str) -> Callable[[Basis, dt.date], float | None]:
    def compute(basis: Basis, end: dt.date) -> float | None:
        survey = basis.inputs.survey
        rows = survey[survey["year"] == survey_year(end)]
        if rows.empty:
            return None
        weights = rows["respondents"].astype(int)
        total = sum(Decimal(v) * int(w) for v, w in zip(rows[column], weights, strict=True))
        return float(total / int(weights.sum()))

    return compute


@dataclass(frozen=True)
class IndicatorSpec:
    """How an indicator is computed: its window and its function of (basis, end date)."""

    id: str
    window: str
    compute: Callable[[Basis, dt.date], float | None]


INDICATORS: dict[str, IndicatorSpec] = {
    spec.id: spec
    for spec in (
        IndicatorSpec("seminarier", "hittills", _count(1)),
        IndicatorSpec("projekt_startade", "hittills", projects_started),
        IndicatorSpec("projekt_pagaende", "niva", projects_running),
        IndicatorSpec("spridning_aktiviteter", "hittills", _count(3)),
        IndicatorSpec("spridning_deltagare", "hittills", dissemination_participants),
        IndicatorSpec("stod_timmar", "hittills", support_hours),
        IndicatorSpec("implementering_aktiviteter", "hittills", _count(5)),
        IndicatorSpec("behovsinventeringar", "hittills", _count(6)),
        IndicatorSpec("behov_kommuner_pct", "rullande", needs_members_pct),
        IndicatorSpec("kommuner_aktiva_pct", "rullande", members_active_pct),
        IndicatorSpec("samverkan_aktiviteter", "hittills", joint_activities),
        IndicatorSpec("glesbygd_ej_nadda", "rullande", rural_not_reached),
        IndicatorSpec("deltagare_per_1000", "hittills", participants_per_1000),
        IndicatorSpec("nytta_medel", "enkat", survey_mean("usefulness")),
        IndicatorSpec("kvalitet_medel", "enkat", survey_mean("quality")),
        IndicatorSpec("relevans_medel", "enkat", survey_mean("relevance")),
    )
}
"""Every indicator the library computes; the schema's INDICATOR_IDS names the same ones."""

assert set(INDICATORS) == set(INDICATOR_IDS), "schemas.inputs.INDICATOR_IDS out of step"


def indicator_value(basis: Basis, indicator_id: str, end: dt.date) -> float | None:
    """The value of one indicator measured up to ``end`` (None when it cannot be measured)."""
    value = INDICATORS[indicator_id].compute(basis, end)
    return None if value is None or value != value else float(value)


@dataclass(frozen=True)
class IndicatorRule:
    """How one indicator is judged against its target (declared in ``goals.csv``)."""

    direction: str = "hogre"
    kind: str = "antal"
    scale_min: float | None = None
    scale_max: float | None = None
    tolerance: float | None = None

    @property
    def method(self) -> str:
        """``distance``, ``scale`` or ``ratio`` (see the module docstring)."""
        if self.tolerance is not None or self.direction == "lagre":
            return "distance"
        return "scale" if self.kind == "skala" else "ratio"


def _number(value: Any) -> float | None:
    return None if value is None or value != value else float(value)


def indicator_rules(goals: pd.DataFrame) -> dict[str, IndicatorRule]:
    """Each indicator's rule from the goal framework (the first row of the indicator)."""
    rules = {}
    for row in goals.drop_duplicates("indicator_id").to_dict("records"):
        kind = row.get("kind")
        rules[row["indicator_id"]] = IndicatorRule(
            direction=row["direction"],
            kind=kind if isinstance(kind, str) and kind else "antal",
            scale_min=_number(row.get("scale_min")),
            scale_max=_number(row.get("scale_max")),
            tolerance=_number(row.get("tolerance")),
        )
    return rules


def attainment_pct(
    value: float | None, target: float | None, rule: IndicatorRule | str
) -> float | None:
    """Value against target in percent by the indicator's rule (see the module docstring).

    ``rule`` may be a direction (``hogre``/``lagre``) for a count without tolerance. A
    lower-is-better indicator without a tolerance (the schema asks for one) falls back to
    target / value, and 0 % when the target is 0.
    """
    if isinstance(rule, str):
        rule = IndicatorRule(direction=rule)
    if value is None or target is None:
        return None
    # Exact decimal arithmetic on the numbers as written (3,7 - 3,5 is 0,2, not
    # 0,2000000000000002), so a value exactly at a threshold is not pushed below it.
    v, t = _exact(value), _exact(target)
    if rule.method == "distance":
        shortfall = v - t if rule.direction == "lagre" else t - v
        if shortfall <= 0:
            return 100.0
        if rule.tolerance is None or rule.tolerance <= 0:
            return 0.0 if t == 0 else float(100 * t / v)
        tolerance = _exact(rule.tolerance)
        return float(max(Decimal(0), 100 * (tolerance - shortfall) / tolerance))
    if rule.method == "scale":
        low = _exact(rule.scale_min if rule.scale_min is not None else 0.0)
        if t <= low:
            return 100.0
        return float(max(Decimal(0), 100 * (v - low) / (t - low)))
    if t == 0:
        return 100.0
    return float(100 * v / t)


def _exact(number: float) -> Decimal:
    return Decimal(repr(float(number)))


def classify(
    pct: float | None,
    achieved_from_pct: float = ACHIEVED_FROM_PCT,
    partial_from_pct: float = PARTIAL_FROM_PCT,
) -> str:
    """uppnått / delvis uppnått / ej uppnått / ej mätbart."""
    if pct is None or pct != pct:
        return "ej mätbart"
    if pct >= achieved_from_pct:
        return "uppnått"
    if pct >= partial_from_pct:
        return "delvis uppnått"
    return "ej uppnått"


MAX_SHOWN_DECIMALS = 2
"""The most decimals an attainment is shown with."""


def shown_attainment(
    pct: float | None,
    achieved_from_pct: float = ACHIEVED_FROM_PCT,
    partial_from_pct: float = PARTIAL_FROM_PCT,
) -> tuple[Decimal | None, int]:
    """The attainment as shown, and its decimals: never on the other side of a threshold.

    Whole percent when that classifies as the unrounded value does, else one decimal, else
    two; if even two decimals would round up across a threshold (99,999 %), the value is
    rounded down to two decimals (99,99 %). Rounding is half away from zero, as in the report
    formats.
    """
    if pct is None or pct != pct:
        return None, 0
    status = classify(pct, achieved_from_pct, partial_from_pct)
    exact = Decimal(repr(float(pct)))
    for decimals in range(MAX_SHOWN_DECIMALS + 1):
        shown = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        if classify(float(shown), achieved_from_pct, partial_from_pct) == status:
            return shown, decimals
    return exact.quantize(Decimal(1).scaleb(-MAX_SHOWN_DECIMALS), rounding=ROUND_DOWN), (
        MAX_SHOWN_DECIMALS
    )


def trend(
    pct: float | None, previous_pct: float | None, tolerance_pct: float = TREND_TOLERANCE_PCT
) -> str:
    """upp / ned / oförändrad against the previous attainment; saknas without one."""
    if pct is None or previous_pct is None or pct != pct or previous_pct != previous_pct:
        return "saknas"
    if pct - previous_pct > tolerance_pct:
        return "upp"
    if previous_pct - pct > tolerance_pct:
        return "ned"
    return "oförändrad"


def target_for(targets: pd.DataFrame, indicator_id: str, year: int) -> float | None:
    return targets_of_year(targets, year).get(indicator_id)


def targets_of_year(targets: pd.DataFrame, year: int) -> dict[str, float]:
    """Each indicator's target of ``year`` (its first row, if ``targets`` has several)."""
    found: dict[str, float] = {}
    for indicator_id, row_year, target in zip(
        targets["indicator_id"], targets["year"], targets["target"], strict=True
    ):
        if row_year == year and indicator_id not in found:
            found[indicator_id] = float(target)
    return found


INDICATOR_COLUMNS = [
    "indicator_id",
    "indicator",
    "goals",
    "unit",
    "direction",
    "kind",
    "method",
    "window",
    "end_date",
    "value",
    "target_year",
    "target",
    "attainment_pct",
    "attainment_shown_pct",
    "attainment_decimals",
    "status",
]


def goals_of_indicators(goals: pd.DataFrame) -> dict[str, str]:
    """Each indicator's goal ids, in the order of the goal framework (``P4, U6``)."""
    return dict(goals.groupby("indicator_id", sort=False)["goal_id"].agg(", ".join))


@per_basis
def indicator_status(
    basis: Basis,
    end: dt.date,
    achieved_from_pct: float = ACHIEVED_FROM_PCT,
    partial_from_pct: float = PARTIAL_FROM_PCT,
) -> pd.DataFrame:
    """One row per indicator of the goal framework, measured up to ``end``.

    ``target`` is the year's target, prorated by months passed for year-to-date indicators
    (``target_year`` is the unprorated full-year target). ``goals`` names the goal ids the
    indicator measures; one row per indicator, however many goals use it. Columns:
    :data:`INDICATOR_COLUMNS`.
    """
    rules = indicator_rules(basis.inputs.goals)
    goal_ids = goals_of_indicators(basis.inputs.goals)
    goals = basis.inputs.goals.drop_duplicates("indicator_id")
    months = end.month
    targets = targets_of_year(basis.inputs.targets, end.year)
    rows = []
    for g in goals.to_dict("records"):
        spec = INDICATORS[g["indicator_id"]]
        value = indicator_value(basis, spec.id, end)
        full = targets.get(spec.id)
        target = full
        if full is not None and spec.window == "hittills":
            target = full * months / 12
        rule = rules[spec.id]
        pct = attainment_pct(value, target, rule)
        shown, decimals = shown_attainment(pct, achieved_from_pct, partial_from_pct)
        rows.append(
            {
                "indicator_id": spec.id,
                "indicator": g["indicator"],
                "goals": goal_ids[spec.id],
                "unit": g["unit"],
                "direction": g["direction"],
                "kind": rule.kind,
                "method": rule.method,
                "window": WINDOW_NAMES[spec.window],
                "end_date": end,
                "value": value,
                "target_year": full,
                "target": target,
                "attainment_pct": pct,
                "attainment_shown_pct": None if shown is None else float(shown),
                "attainment_decimals": decimals,
                "status": classify(pct, achieved_from_pct, partial_from_pct),
            }
        )
    out = pd.DataFrame(rows, columns=INDICATOR_COLUMNS)
    for column in ("value", "target_year", "target", "attainment_pct", "attainment_shown_pct"):
        out[column] = out[column].astype("float64")
    out["attainment_decimals"] = out["attainment_decimals"].astype("int64")
    return out


GOAL_COLUMNS = [
    "goal_id",
    "goal_type",
    "goal",
    "indicators",
    "measurable",
    "attainment_pct",
    "attainment_shown_pct",
    "attainment_decimals",
    "status",
]


def goal_attainment(
    basis: Basis,
    indicators: pd.DataFrame,
    achieved_from_pct: float = ACHIEVED_FROM_PCT,
    partial_from_pct: float = PARTIAL_FROM_PCT,
) -> pd.DataFrame:
    """One row per goal: the capped mean attainment of its measurable indicators and a status."""
    goals = basis.inputs.goals
    by_id = indicators.set_index("indicator_id")["attainment_pct"]
    rows = []
    for goal_id, rows_of_goal in goals.groupby("goal_id", sort=False):
        values = [by_id.get(i) for i in rows_of_goal["indicator_id"]]
        measured = [min(v, 100.0) for v in values if v is not None and v == v]
        pct = sum(measured) / len(measured) if measured else None
        first = rows_of_goal.iloc[0]
        shown, decimals = shown_attainment(pct, achieved_from_pct, partial_from_pct)
        rows.append(
            {
                "goal_id": goal_id,
                "goal_type": first["goal_type"],
                "goal": first["goal"],
                "indicators": len(values),
                "measurable": len(measured),
                "attainment_pct": pct,
                "attainment_shown_pct": None if shown is None else float(shown),
                "attainment_decimals": decimals,
                "status": classify(pct, achieved_from_pct, partial_from_pct),
            }
        )
    out = pd.DataFrame(rows, columns=GOAL_COLUMNS)
    out["attainment_pct"] = out["attainment_pct"].astype("float64")
    out["attainment_shown_pct"] = out["attainment_shown_pct"].astype("float64")
    out["attainment_decimals"] = out["attainment_decimals"].astype("int64")
    return out


def status_counts(frame: pd.DataFrame) -> dict[str, int]:
    """How many rows have each status, in the order of :data:`STATUSES`; they add up to the
    number of rows. An indicator listed once per goal it measures is counted once (per year
    or period, where the frame has one)."""
    if "indicator_id" in frame.columns:
        keys = [c for c in ("year", "period", "end_date", "indicator_id") if c in frame.columns]
        frame = frame.drop_duplicates(keys)
    counts = frame["status"].value_counts()
    return {status: int(counts.get(status, 0)) for status in STATUSES}


def figures_frame(rows: list[tuple]) -> pd.DataFrame:
    """Key figures ``(key, label, value, unit)`` as a frame whose values keep their Python type
    (int kronor and counts stay int; a missing value is None)."""
    values = [None if v is None or v != v else v for _, _, v, _ in rows]
    return pd.DataFrame(
        {
            "key": [r[0] for r in rows],
            "label": [r[1] for r in rows],
            "value": pd.Series(values, dtype=object),
            "unit": [r[3] for r in rows],
        }
    )
