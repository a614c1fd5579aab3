"""The half-year follow-up (uppföljning) the FoUI committee reports to the board twice a year.

Period
------
A period is ``YYYYH1`` (1 January - 30 June) or ``YYYYH2`` (1 July - 31 December). Figures are
given for the half-year itself (``halvar``) and for the year to date (``hittills``: 1 January to
the period's end; for H2 this is the full year). :func:`parse_period` rejects a malformed string,
a period outside the agreement's years and, given the inputs, a period that the ledger does not
reach yet (no booking dated in the half-year or later).

Budget and outcome
------------------
* **Budget**: the budget the board adopted for the year (``budget.csv``, with its decision
  reference). A year without an adopted budget is compared with the agreement's projection
  (:func:`foui_analysis.domain.budget.budget`), and the reports call it a calculation ("kalkyl
  enligt avtalet"), never a budget (:func:`budget_status`, :func:`decided_budget`).
* **Budget for a half-year or the year to date** is the sum of its months: each line's annual
  budget is spread by its monthly profile (``budget_profiles.csv``; twelfths where a line has
  none; :mod:`foui_analysis.domain.profiles`), so quarterly rent or little travel in July is no
  deviation when the profile says so, and the two half-years add up to the year exactly.
* **Outcome** is the ledger (``ledger.csv``) summed per year, area, kind and line; a booking's
  funding source is derived from the agreement (skola: fee; övergripande: equity in the equity
  years, the association's frame from the frame year; socialtjänst: member fee).
* **Deviation** = outcome - budget, in kronor and in percent of budget. A deviation is flagged
  (``flagged``) only when it exceeds both the agreement's percentage and its kronor threshold
  (``[followup]``, assumption A-AVVIK); a line with no budget is flagged when its outcome exceeds
  the kronor threshold. ``direction`` says which way (``over``: outcome above budget, ``under``:
  below) and ``unfavourable`` whether it weakens the result (costs over, revenue under), so an
  overspend and an underspend are never shown as the same thing.
* **Forecast** for the full year at H1 = outcome of H1 + budget of H2 (by the profile), per
  line (the common municipal practice of "utfall + återstående budget"). It assumes the second
  half-year runs to budget: it keeps a deviation of H1 but does not extrapolate it, so a line
  that overspends at a steady rate is under-forecast, and a timing difference of H1 that the
  profile does not foresee (a rent paid in advance) shows as a full-year deviation. At H2 the
  forecast is the outcome of the year.

Activities and reach
--------------------
Activities, participants and hours per area; per municipality the activities that reached it, the
participants attributed to it (an activity's participants split over the municipalities it
reached, by population: :func:`foui_analysis.domain.inputs.activity_reach`) and participants per
1 000 inhabitants of the year's population basis (the fee basis).

Goals
-----
Indicator and goal status up to the period's end, with the trend since the previous follow-up
(:mod:`foui_analysis.analyses.goals`).

Money is exact: Decimal kronor (öre allowed) in the tables; ``key_figures`` rounds to whole kronor
(half away from zero) for ``kpis.json``. Percentages are floats.

Computed once
-------------
A follow-up asks for the same tables many times: the key figures need the budget lines, the
forecast and the equity statement, and the comparisons recompute the key figures of the same
period last year, of the previous half-year and of every earlier half-year published. The
tables of a period (budget against outcome, result, forecast, activities, goal status, key
figures) are therefore memoised on the basis (:func:`foui_analysis.analyses.goals.per_basis`):
computed once per basis and arguments, handed out as copies. In a runner process the basis is
shared by every report made from the same inputs, so a later report reuses what an earlier
one computed.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from foui_analysis import periods
from foui_analysis.analyses.goals import (
    ACHIEVED_FROM_PCT,
    PARTIAL_FROM_PCT,
    TREND_TOLERANCE_PCT,
    Basis,
    figures_frame,
    goal_attainment,
    indicator_status,
    per_basis,
    status_counts,
    trend,
)
from foui_analysis.domain.agreement import AREAS
from foui_analysis.domain.budget import EQUITY_COLUMNS, equity, to_decimal
from foui_analysis.domain.budget import balance_findings as budget_balance_findings
from foui_analysis.domain.budget import budget as projected_budget
from foui_analysis.domain.profiles import budget_for_months, line_profiles, weights_for
from foui_analysis.errors import InputError
from foui_analysis.periods import MONTHS_SV, Period, PeriodError

BUDGET_WORDS = {True: "budget", False: "kalkyl enligt avtalet"}
"""What a report calls the amounts a year is compared with: adopted, or the agreement's
calculation."""

SCOPES = {"halvar": "halvåret", "hittills": "hittills i år"}
KEYS = ["year", "area", "kind", "line"]


def parse_period(text: str, agreement=None, basis: Basis | None = None) -> Period:
    """``'2015H1'`` -> Period(2015, 1), ``'2015-08'`` -> the year to date through August
    (:func:`foui_analysis.periods.parse_period`), checked
    against the agreement period and, with ``basis``, the data; PeriodError when not valid."""
    period = periods.parse_period(text)
    if agreement is not None and period.year not in agreement.years:
        raise PeriodError(
            f"perioden {period} ligger utanför avtalsperioden "
            f"{agreement.first_year}-{agreement.last_year}"
        )
    if basis is not None:
        check_period_in_data(period, basis.inputs)
    return period


def check_period_in_data(period: Period, inputs) -> None:
    """PeriodError unless the ledger has a booking in the period's span or later."""
    dates = inputs.ledger["date"]
    if dates.empty or max(dates) < period.start:
        last = "inga bokningar" if dates.empty else f"sista bokningen {max(dates)}"
        raise PeriodError(f"utfallet når inte perioden {period} ({last}, {inputs.file('ledger')})")


@per_basis
def decided_budget(basis: Basis) -> pd.DataFrame:
    """The budget ledger the follow-ups compare with (``year, area, kind, line, funding_source,
    amount_sek``, int kronor): per year the adopted budget of ``budget.csv`` where the year has
    one (exactly its rows), otherwise the agreement's projection (a calculation)."""
    ledger = projected_budget(basis.agreement, basis.reference)
    adopted = basis.inputs.budget
    if adopted.empty:
        return ledger
    years = set(adopted["year"])
    agreement = basis.agreement
    rows = []
    for row in adopted.to_dict("records"):
        source = ""
        if row["kind"] == "intakt":
            try:
                source = agreement.funding_source(agreement.component(row["line"]), row["year"])
            except KeyError:
                source = ""
        rows.append(
            {
                "year": row["year"],
                "area": row["area"],
                "kind": row["kind"],
                "line": row["line"],
                "funding_source": source,
                "amount_sek": _whole(row["amount_sek"]),
            }
        )
    kept = ledger[~ledger["year"].isin(years)]
    out = pd.concat([kept, pd.DataFrame(rows, columns=ledger.columns)], ignore_index=True)
    out["year"] = out["year"].astype("int64")
    out["amount_sek"] = out["amount_sek"].astype("int64")
    return out.sort_values(["year", "area", "kind", "line"], kind="stable").reset_index(drop=True)


def budget_status(basis: Basis, year: int) -> dict:
    """Whether ``year`` has an adopted budget: ``{"adopted", "word", "decisions"}``; ``word`` is
    what a report calls it (:data:`BUDGET_WORDS`), ``decisions`` the distinct decision
    references of its rows, in order of appearance."""
    adopted = basis.inputs.budget
    rows = adopted[adopted["year"] == year] if not adopted.empty else adopted
    decisions: list[str] = []
    if "decision" in rows:
        for value in rows["decision"]:
            if isinstance(value, str) and value.strip() and value.strip() not in decisions:
                decisions.append(value.strip())
    is_adopted = not rows.empty
    return {"adopted": is_adopted, "word": BUDGET_WORDS[is_adopted], "decisions": decisions}


def _whole(amount: Decimal) -> int:
    return int(to_decimal(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@per_basis
def outcome_ledger(basis: Basis) -> pd.DataFrame:
    """The ledger with ``year``, ``half`` and the derived ``funding_source``; Decimal amounts."""
    ledger = basis.inputs.ledger.copy()
    agreement = basis.agreement
    ledger["year"] = [d.year for d in ledger["date"]]
    ledger["half"] = [1 if d.month <= 6 else 2 for d in ledger["date"]]
    sources = []
    for line, kind, year in zip(ledger["line"], ledger["kind"], ledger["year"], strict=True):
        if kind != "intakt":
            sources.append("")
            continue
        try:
            sources.append(agreement.funding_source(agreement.component(line), year))
        except KeyError:
            sources.append("")
    ledger["funding_source"] = sources
    ledger["year"] = ledger["year"].astype("int64")
    ledger["half"] = ledger["half"].astype("int64")
    return ledger[
        ["date", "year", "half", "area", "kind", "line", "funding_source", "amount_sek", "text"]
    ]


def _sum_decimal(values) -> Decimal:
    return sum((Decimal(v) for v in values), Decimal(0))


def _outcome_sums(outcome: pd.DataFrame) -> dict[tuple, Decimal]:
    sums: dict[tuple, Decimal] = {}
    for key, amount in zip(
        zip(outcome["area"], outcome["kind"], outcome["line"], strict=True),
        outcome["amount_sek"],
        strict=True,
    ):
        sums[key] = sums.get(key, Decimal(0)) + Decimal(amount)
    return sums


def _deviation_pct(outcome: Decimal, budget: Decimal) -> float | None:
    return None if budget == 0 else float((outcome - budget) / budget * 100)


def thresholds(
    basis: Basis, threshold_pct: float | None = None, threshold_sek: int | None = None
) -> tuple[float, int]:
    """The deviation thresholds: the agreement's ``[followup]`` unless given."""
    policy = basis.agreement.followup
    return (
        float(policy.deviation_threshold_pct) if threshold_pct is None else float(threshold_pct),
        policy.deviation_threshold_sek if threshold_sek is None else int(threshold_sek),
    )


def _flag(outcome: Decimal, budget: Decimal, limits: tuple[float, int]) -> bool:
    """Beyond both thresholds (a line without budget: beyond the kronor threshold)."""
    threshold_pct, threshold_sek = limits
    if abs(outcome - budget) <= threshold_sek:
        return False
    pct = _deviation_pct(outcome, budget)
    return outcome != 0 if pct is None else abs(pct) > threshold_pct


def _direction(outcome: Decimal, budget: Decimal) -> str:
    return "over" if outcome > budget else "under" if outcome < budget else ""


def _unfavourable(kind: str, outcome: Decimal, budget: Decimal) -> bool:
    """Whether the deviation weakens the result: costs above budget, revenue below."""
    return outcome > budget if kind == "kostnad" else outcome < budget


def _scope_months(period: Period) -> dict[str, tuple[int, int]]:
    """The months (first, last) of each scope: the half-year, and the year to date."""
    last = period.months_to_date
    return {"halvar": (period.first_month, last), "hittills": (1, last)}


def span_text(period: Period) -> str:
    """The period's own span in words: ``halvåret``, or for a month end its months since the
    half-year began (``juli–augusti``, ``mars``: see :mod:`foui_analysis.periods`)."""
    if not period.is_month_end:
        return "halvåret"
    first, last = period.first_month, period.months_to_date
    if first == last:
        return MONTHS_SV[last - 1]
    return f"{MONTHS_SV[first - 1]}\u2013{MONTHS_SV[last - 1]}"


BUDGET_COLUMNS = [
    "period",
    "scope",
    "area",
    "kind",
    "line",
    "budget_sek",
    "outcome_sek",
    "deviation_sek",
    "deviation_pct",
    "flagged",
    "direction",
    "unfavourable",
]


def budget_vs_outcome(
    basis: Basis,
    period: Period,
    threshold_pct: float | None = None,
    threshold_sek: int | None = None,
) -> pd.DataFrame:
    """Budget and outcome per area, kind and line, for the half-year and the year to date.

    The budget of a scope is the sum of its months of each line's annual budget, spread by the
    line's profile (see the module docstring). Amounts are Decimal kronor; ``deviation_pct`` is
    None where the budget is 0. Columns: :data:`BUDGET_COLUMNS`.
    """
    return _budget_vs_outcome(basis, period, thresholds(basis, threshold_pct, threshold_sek))


@per_basis
def _budget_vs_outcome(basis: Basis, period: Period, limits: tuple[float, int]) -> pd.DataFrame:
    """:func:`budget_vs_outcome` with the thresholds resolved, so that the agreement's own
    thresholds given and not given are one computation."""
    plan = decided_budget(basis)
    plan = plan[plan["year"] == period.year]
    annual = plan.groupby(["area", "kind", "line"], sort=False)["amount_sek"].sum()
    profiles = line_profiles(basis.inputs.budget_profiles)
    outcome = outcome_ledger(basis)
    later = bool((outcome["year"] > period.year).any())
    outcome = outcome[outcome["year"] == period.year]
    if outcome.empty and later:
        raise InputError.single(
            basis.inputs.file("ledger"),
            f"bokföringen har inga poster för {period.year}, men har poster för senare år; "
            f"uppföljningen av {period} behöver årets utfall (ett år utan en enda post saknas "
            "i exporten: lägg till årets verifikationer)",
            column="date",
        )
    months = np.array([d.month for d in outcome["date"]], dtype=int)
    rows = []
    for scope, (first, last) in _scope_months(period).items():
        booked = outcome[(months >= first) & (months <= last)]
        sums = _outcome_sums(booked)
        keys = list(annual.index) + sorted(k for k in sums if k not in annual.index)
        for area, kind, line in keys:
            budget = budget_for_months(
                int(annual.get((area, kind, line), 0)), weights_for(profiles, line), first, last
            )
            actual = sums.get((area, kind, line), Decimal(0))
            rows.append(
                {
                    "period": period.label,
                    "scope": scope,
                    "area": area,
                    "kind": kind,
                    "line": line,
                    "budget_sek": budget,
                    "outcome_sek": actual,
                    "deviation_sek": actual - budget,
                    "deviation_pct": _deviation_pct(actual, budget),
                    "flagged": _flag(actual, budget, limits),
                    "direction": _direction(actual, budget),
                    "unfavourable": _unfavourable(kind, actual, budget),
                }
            )
    out = pd.DataFrame(rows, columns=BUDGET_COLUMNS)
    out["deviation_pct"] = out["deviation_pct"].astype("float64")
    return _sort(out, ["scope", "area", "kind", "line"])


def _sort(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    order = {
        "halvar": 0,
        "hittills": 1,
        **{a: i for i, a in enumerate((*AREAS, "totalt"))},
        "intakt": 0,
        "kostnad": 1,
    }
    return frame.sort_values(
        columns, key=lambda s: s.map(lambda v: (order.get(v, 99), str(v))), kind="stable"
    ).reset_index(drop=True)


RESULT_COLUMNS = [
    "period",
    "scope",
    "area",
    "revenue_budget_sek",
    "revenue_outcome_sek",
    "cost_budget_sek",
    "cost_outcome_sek",
    "result_budget_sek",
    "result_outcome_sek",
    "result_deviation_sek",
]


@per_basis
def result_vs_budget(basis: Basis, period: Period) -> pd.DataFrame:
    """Revenue, costs and result per area (and ``totalt``), budget against outcome."""
    lines = budget_vs_outcome(basis, period)
    # One pass over the lines (in their order): budget and outcome per scope, area and kind,
    # and per scope and kind for ``totalt``.
    amounts: dict[tuple, tuple[list, list]] = {}
    for scope, area, kind, budget, outcome in zip(
        lines["scope"],
        lines["area"],
        lines["kind"],
        lines["budget_sek"],
        lines["outcome_sek"],
        strict=True,
    ):
        for key in ((scope, area, kind), (scope, "totalt", kind)):
            budgets, outcomes = amounts.setdefault(key, ([], []))
            budgets.append(budget)
            outcomes.append(outcome)
    rows = []
    for scope in SCOPES:
        for area in (*AREAS, "totalt"):
            rev = amounts.get((scope, area, "intakt"), ([], []))
            cost = amounts.get((scope, area, "kostnad"), ([], []))
            rb, ro = _sum_decimal(rev[0]), _sum_decimal(rev[1])
            cb, co = _sum_decimal(cost[0]), _sum_decimal(cost[1])
            rows.append(
                {
                    "period": period.label,
                    "scope": scope,
                    "area": area,
                    "revenue_budget_sek": rb,
                    "revenue_outcome_sek": ro,
                    "cost_budget_sek": cb,
                    "cost_outcome_sek": co,
                    "result_budget_sek": rb - cb,
                    "result_outcome_sek": ro - co,
                    "result_deviation_sek": (ro - co) - (rb - cb),
                }
            )
    return pd.DataFrame(rows, columns=RESULT_COLUMNS)


FORECAST_COLUMNS = [
    "period",
    "area",
    "kind",
    "line",
    "budget_year_sek",
    "outcome_to_date_sek",
    "budget_rest_sek",
    "forecast_sek",
    "forecast_deviation_sek",
    "forecast_deviation_pct",
    "flagged",
    "direction",
    "unfavourable",
]


def forecast(
    basis: Basis,
    period: Period,
    threshold_pct: float | None = None,
    threshold_sek: int | None = None,
) -> pd.DataFrame:
    """Full-year forecast per line: outcome to date + budget of the rest of the year.

    The rest is the annual budget minus the budget to date (by the line's profile). At H2 the
    rest is empty and the forecast is the year's outcome. Columns: :data:`FORECAST_COLUMNS`.
    """
    return _forecast(basis, period, thresholds(basis, threshold_pct, threshold_sek))


@per_basis
def _forecast(basis: Basis, period: Period, limits: tuple[float, int]) -> pd.DataFrame:
    """:func:`forecast` with the thresholds resolved (as :func:`_budget_vs_outcome`)."""
    lines = budget_vs_outcome(basis, period, *limits)
    to_date = lines[lines["scope"] == "hittills"]
    plan = decided_budget(basis)
    plan = plan[plan["year"] == period.year]
    annual = plan.groupby(["area", "kind", "line"], sort=False)["amount_sek"].sum()
    rows = []
    for r in to_date.to_dict("records"):
        year_budget = Decimal(int(annual.get((r["area"], r["kind"], r["line"]), 0)))
        rest = year_budget - r["budget_sek"]
        value = r["outcome_sek"] + rest
        rows.append(
            {
                "period": period.label,
                "area": r["area"],
                "kind": r["kind"],
                "line": r["line"],
                "budget_year_sek": year_budget,
                "outcome_to_date_sek": r["outcome_sek"],
                "budget_rest_sek": rest,
                "forecast_sek": value,
                "forecast_deviation_sek": value - year_budget,
                "forecast_deviation_pct": _deviation_pct(value, year_budget),
                "flagged": _flag(value, year_budget, limits),
                "direction": _direction(value, year_budget),
                "unfavourable": _unfavourable(r["kind"], value, year_budget),
            }
        )
    out = pd.DataFrame(rows, columns=FORECAST_COLUMNS)
    out["forecast_deviation_pct"] = out["forecast_deviation_pct"].astype("float64")
    return out


EQUITY_SCOPES = {
    "hittills": "utfall hittills i år",
    "prognos": "prognos för helåret",
    "budget": "budget för året",
}
"""The three equity statements of a follow-up."""


def _as_ledger(year: int, frame: pd.DataFrame, amount: str) -> pd.DataFrame:
    """Rows ``area, kind, line, <amount>`` as a budget-shaped ledger of ``year``."""
    return pd.DataFrame(
        {
            "year": year,
            "area": frame["area"].tolist(),
            "kind": frame["kind"].tolist(),
            "line": frame["line"].tolist(),
            "funding_source": "",
            "amount_sek": frame[amount].tolist(),
        },
        columns=["year", "area", "kind", "line", "funding_source", "amount_sek"],
    )


@per_basis
def opening_equity(basis: Basis, year: int):
    """Equity at 1 January of ``year``: the agreement's opening equity moved by the real result
    of every earlier year of the outcome (exact)."""
    from foui_analysis.analyses.evaluation import outcome_budget_ledger

    first = basis.agreement.first_year
    if year <= first:
        return basis.agreement.opening_equity_sek
    booked = outcome_budget_ledger(basis, range(first, year))
    if booked.empty:  # nothing booked before the year: equity has not moved
        return basis.agreement.opening_equity_sek
    earlier = equity(basis.agreement, booked)
    return earlier["closing_equity_sek"].iloc[-1]


EQUITY_STATEMENT_COLUMNS = ["period", "scope", *EQUITY_COLUMNS]


@per_basis
def equity_statement(basis: Basis, period: Period) -> pd.DataFrame:
    """The year's result and use of equity: outcome to date, full-year forecast and budget.

    Each row (``scope`` ``hittills``, ``prognos``, ``budget``) follows
    :func:`foui_analysis.domain.budget.equity`: the real result (revenue - costs; equity is never
    revenue), the need of the areas funded from equity (their deficit), the decided use of
    equity (the need, at most the agreement's cap), the result after it, and equity at 1 January
    moved by the real result. Amounts are exact.
    """
    year = period.year
    opening = opening_equity(basis, year)
    lines = budget_vs_outcome(basis, period)
    to_date = lines[lines["scope"] == "hittills"]
    prognosis = forecast(basis, period)
    ledgers = {
        "hittills": _as_ledger(year, to_date, "outcome_sek"),
        "prognos": _as_ledger(year, prognosis, "forecast_sek"),
        "budget": _as_ledger(year, prognosis, "budget_year_sek"),
    }
    rows = []
    for scope, ledger in ledgers.items():
        statement = equity(basis.agreement, ledger, opening_sek=opening)
        row = statement.iloc[0].to_dict()
        rows.append({"period": period.label, "scope": scope, **row})
    return pd.DataFrame(rows, columns=EQUITY_STATEMENT_COLUMNS)


def balance_findings(basis: Basis, period: Period) -> pd.DataFrame:
    """The full-year forecast and the year's budget not in balance after the decided use of
    equity, or ending with negative equity; :data:`foui_analysis.domain.budget.FINDING_COLUMNS`
    plus ``scope`` (``prognos`` or ``budget``)."""
    statement = equity_statement(basis, period)
    frames = []
    for scope in ("prognos", "budget"):
        rows = statement[statement["scope"] == scope].drop(columns=["period", "scope"])
        found = budget_balance_findings(basis.agreement, basis.reference, rows)
        frames.append(found.assign(scope=scope))
    return pd.concat(frames, ignore_index=True)


def _scoped_activities(basis: Basis, period: Period):
    acts = basis.inputs.activities
    dates = acts["date"]
    return {
        "halvar": acts[(dates >= period.start) & (dates <= period.end)],
        "hittills": acts[(dates >= period.year_start) & (dates <= period.end)],
    }


ACTIVITY_AREA_COLUMNS = ["period", "scope", "area", "activities", "participants", "hours"]


@per_basis
def activities_by_area(basis: Basis, period: Period) -> pd.DataFrame:
    """Activities, participants and hours per area (and ``totalt``), half-year and year to date.

    ``hours`` is a float (hours of work; decimals allowed in the input).
    """
    rows = []
    for scope, acts in _scoped_activities(basis, period).items():
        for area in (*AREAS, "totalt"):
            part = acts if area == "totalt" else acts[acts["area"] == area]
            rows.append(
                {
                    "period": period.label,
                    "scope": scope,
                    "area": area,
                    "activities": len(part),
                    "participants": int(part["participants"].sum()),
                    "hours": float(_sum_decimal(part["hours"])),
                }
            )
    out = pd.DataFrame(rows, columns=ACTIVITY_AREA_COLUMNS)
    out["activities"] = out["activities"].astype("int64")
    out["participants"] = out["participants"].astype("int64")
    return out


ACTIVITY_LIST_COLUMNS = [
    "date",
    "area",
    "kind",
    "title",
    "municipalities_reached",
    "participants",
    "partner",
    "task",
]


def activity_list(basis: Basis, period: Period) -> pd.DataFrame:
    """The half-year's activities, by date: what the unit did, as the board reads it.

    ``municipalities_reached`` counts members reached (``alla`` = every member).
    """
    acts = _scoped_activities(basis, period)["halvar"].sort_values(["date", "activity_id"])
    reached = basis.reach.groupby("activity_id")["municipality_code"].nunique()
    out = acts.assign(
        municipalities_reached=[int(reached.get(a, 0)) for a in acts["activity_id"]],
        partner=acts["partner"].map(lambda p: p or ""),
    )
    return out[ACTIVITY_LIST_COLUMNS].reset_index(drop=True)


MUNICIPALITY_COLUMNS = [
    "period",
    "scope",
    "municipality_code",
    "municipality",
    "settlement",
    "population",
    "activities",
    "participants",
    "participants_per_1000",
]


@per_basis
def activities_by_municipality(basis: Basis, period: Period) -> pd.DataFrame:
    """Per member: activities that reached it and participants attributed to it.

    ``population`` is the fee basis of the period's year; per municipality the participants sum to
    the total participants of the activities (the split is exact). Columns:
    :data:`MUNICIPALITY_COLUMNS`.
    """
    reach = basis.reach
    population = basis.population_of(period.year)
    windows = {"halvar": (period.start, period.end), "hittills": (period.year_start, period.end)}
    rows = []
    for scope, (start, end) in windows.items():
        part = reach[(reach["date"] >= start) & (reach["date"] <= end)]
        counts = part.groupby("municipality_code").size()
        people = part.groupby("municipality_code")["participants"].sum()
        for code in basis.members:
            inhabitants = population.get(code, 0)
            participants = int(people.get(code, 0))
            rows.append(
                {
                    "period": period.label,
                    "scope": scope,
                    "municipality_code": code,
                    "municipality": basis.names.get(code, code),
                    "settlement": basis.settlement.get(code, ""),
                    "population": inhabitants,
                    "activities": int(counts.get(code, 0)),
                    "participants": participants,
                    "participants_per_1000": (
                        1000.0 * participants / inhabitants if inhabitants else float("nan")
                    ),
                }
            )
    out = pd.DataFrame(rows, columns=MUNICIPALITY_COLUMNS)
    for column in ("population", "activities", "participants"):
        out[column] = out[column].astype("int64")
    return out


@per_basis
def goal_status(
    basis: Basis,
    period: Period,
    achieved_from_pct: float = ACHIEVED_FROM_PCT,
    partial_from_pct: float = PARTIAL_FROM_PCT,
    tolerance_pct: float = TREND_TOLERANCE_PCT,
) -> pd.DataFrame:
    """Indicator status up to the period's end, with ``previous_attainment_pct`` and ``trend``.

    The previous follow-up is the half-year before; before the agreement's first year it is
    missing and the trend is ``saknas``. Columns: ``period`` and
    :data:`foui_analysis.analyses.goals.INDICATOR_COLUMNS` (``goals`` names the goal ids the
    indicator measures) plus ``previous_attainment_pct`` and ``trend``.
    """
    now = indicator_status(basis, period.end, achieved_from_pct, partial_from_pct)
    previous = period.previous()
    if previous.year in basis.agreement.years:
        before = indicator_status(basis, previous.end, achieved_from_pct, partial_from_pct)
        before_pct = before.set_index("indicator_id")["attainment_pct"]
    else:
        before_pct = pd.Series(dtype="float64")
    now.insert(0, "period", period.label)
    previous_pct = [before_pct.get(i) for i in now["indicator_id"]]
    now["previous_attainment_pct"] = pd.Series(
        [None if p is None or p != p else p for p in previous_pct], dtype="float64"
    )
    now["trend"] = [
        trend(None if p != p else p, None if q != q else q, tolerance_pct)
        for p, q in zip(now["attainment_pct"], now["previous_attainment_pct"], strict=True)
    ]
    return now


@per_basis
def goals_for_period(
    basis: Basis,
    period: Period,
    achieved_from_pct: float = ACHIEVED_FROM_PCT,
    partial_from_pct: float = PARTIAL_FROM_PCT,
) -> pd.DataFrame:
    """Goal attainment per goal (purpose, task, motto word) up to the period's end."""
    indicators = indicator_status(basis, period.end, achieved_from_pct, partial_from_pct)
    out = goal_attainment(basis, indicators, achieved_from_pct, partial_from_pct)
    out.insert(0, "period", period.label)
    return out


def commentary_for(basis: Basis, period: Period) -> pd.DataFrame:
    """The FoUI chief's texts for the period (``goal_id``, ``text``), ``alla`` first."""
    notes = basis.inputs.commentary
    rows = notes[notes["period"] == period.label]
    return (
        rows.assign(_first=rows["goal_id"] != "alla")
        .sort_values(["_first", "goal_id"], kind="stable")[["goal_id", "text"]]
        .reset_index(drop=True)
    )


def _kr(value: Decimal) -> int:
    return _whole(value)


@per_basis
def full_year_forecast(basis: Basis, period: Period) -> dict[str, int]:
    """The full-year forecast of a follow-up in whole kronor (each rounded once from the exact
    sum): ``kostnader``, ``intakter``, ``resultat``."""
    prognosis = forecast(basis, period)
    costs = _sum_decimal(prognosis.loc[prognosis["kind"] == "kostnad", "forecast_sek"])
    revenue = _sum_decimal(prognosis.loc[prognosis["kind"] == "intakt", "forecast_sek"])
    return {"kostnader": _kr(costs), "intakter": _kr(revenue), "resultat": _kr(revenue - costs)}


@per_basis
def key_figures(
    basis: Basis,
    period: Period,
    threshold_pct: float | None = None,
    threshold_sek: int | None = None,
) -> pd.DataFrame:
    """Named key figures of the follow-up, for ``kpis.json`` and the summary.

    Columns ``key, label, value, unit``: money in whole kronor (int), counts as int, shares and
    means as float.
    """
    result = result_vs_budget(basis, period)
    total = result[(result["scope"] == "hittills") & (result["area"] == "totalt")].iloc[0]
    limits = thresholds(basis, threshold_pct, threshold_sek)
    word = budget_status(basis, period.year)["word"]
    limit_text = (
        f"{limits[0]:g}".replace(".", ",")
        + "\u00a0% och "
        + f"{limits[1]:,}".replace(",", "\u00a0")
        + "\u00a0kr"
    )
    lines = budget_vs_outcome(basis, period, *limits)
    prognosis = forecast(basis, period, *limits)
    costs = prognosis[prognosis["kind"] == "kostnad"]
    revenue = prognosis[prognosis["kind"] == "intakt"]
    acts = activities_by_area(basis, period)
    ytd = acts[(acts["scope"] == "hittills") & (acts["area"] == "totalt")].iloc[0]
    half = acts[(acts["scope"] == "halvar") & (acts["area"] == "totalt")].iloc[0]
    munis = activities_by_municipality(basis, period)
    munis_ytd = munis[munis["scope"] == "hittills"]
    inhabitants = int(munis_ytd["population"].sum())
    status = goal_status(basis, period)
    counts = status_counts(status)
    goals = goals_for_period(basis, period)
    goal_counts = status_counts(goals)
    statement = equity_statement(basis, period).set_index("scope")
    cost_budget = total["cost_budget_sek"]
    cost_deviation_pct = (
        float((total["cost_outcome_sek"] - cost_budget) / cost_budget * 100)
        if cost_budget
        else None
    )
    rows = [
        (
            "kostnader_utfall_hittills_sek",
            "Kostnader, utfall hittills i år",
            _kr(total["cost_outcome_sek"]),
            "kr",
        ),
        (
            "kostnader_budget_hittills_sek",
            f"Kostnader, {word} hittills i år",
            _kr(cost_budget),
            "kr",
        ),
        (
            "kostnader_avvikelse_hittills_pct",
            f"Kostnader, avvikelse mot {word} hittills i år",
            cost_deviation_pct,
            "%",
        ),
        (
            "intakter_utfall_hittills_sek",
            "Intäkter, utfall hittills i år",
            _kr(total["revenue_outcome_sek"]),
            "kr",
        ),
        (
            "resultat_utfall_hittills_sek",
            "Resultat, utfall hittills i år",
            _kr(total["result_outcome_sek"]),
            "kr",
        ),
        (
            "resultat_budget_hittills_sek",
            f"Resultat, {word} hittills i år",
            _kr(total["result_budget_sek"]),
            "kr",
        ),
        (
            "eget_kapital_ianspraktaget_hittills_sek",
            "Eget kapital som tagits i anspråk hittills i år (behovet)",
            _kr(statement.loc["hittills", "equity_used_sek"]),
            "kr",
        ),
        (
            "resultat_efter_eget_kapital_hittills_sek",
            "Resultat efter ianspråktaget eget kapital hittills i år",
            _kr(statement.loc["hittills", "result_after_equity_sek"]),
            "kr",
        ),
        (
            "eget_kapital_prognos_utgaende_sek",
            "Eget kapital vid årets slut, prognos",
            _kr(statement.loc["prognos", "closing_equity_sek"]),
            "kr",
        ),
        (
            "kostnader_prognos_helar_sek",
            "Kostnader, prognos för helåret",
            _kr(_sum_decimal(costs["forecast_sek"])),
            "kr",
        ),
        (
            "kostnader_budget_helar_sek",
            f"Kostnader, {word} för helåret",
            _kr(_sum_decimal(costs["budget_year_sek"])),
            "kr",
        ),
        (
            "resultat_prognos_helar_sek",
            "Resultat, prognos för helåret",
            _kr(_sum_decimal(revenue["forecast_sek"]) - _sum_decimal(costs["forecast_sek"])),
            "kr",
        ),
        (
            "budgetrader_over_troskel",
            f"Budgetrader som avviker mer än {limit_text} ({span_text(period)})",
            int(lines[(lines["scope"] == "halvar") & lines["flagged"]].shape[0]),
            "antal",
        ),
        (
            "aktiviteter_halvar",
            f"Aktiviteter under {span_text(period)}",
            int(half["activities"]),
            "antal",
        ),
        ("aktiviteter_hittills", "Aktiviteter hittills i år", int(ytd["activities"]), "antal"),
        ("deltagare_hittills", "Deltagare hittills i år", int(ytd["participants"]), "personer"),
        (
            "deltagare_per_1000_hittills",
            "Deltagare per 1 000 invånare hittills i år",
            1000.0 * int(ytd["participants"]) / inhabitants if inhabitants else None,
            "per 1 000 invånare",
        ),
        (
            "kommuner_nadda_hittills",
            "Medlemskommuner som nåtts hittills i år",
            int((munis_ytd["activities"] > 0).sum()),
            "antal",
        ),
        (
            "kommuner_nadda_hittills_pct",
            "Andel medlemskommuner som nåtts hittills i år",
            100.0 * int((munis_ytd["activities"] > 0).sum()) / len(munis_ytd),
            "%",
        ),
        ("indikatorer_uppnadda", "Indikatorer: uppnått", counts["uppnått"], "antal"),
        ("indikatorer_delvis", "Indikatorer: delvis uppnått", counts["delvis uppnått"], "antal"),
        ("indikatorer_ej_uppnadda", "Indikatorer: ej uppnått", counts["ej uppnått"], "antal"),
        ("indikatorer_ej_matbara", "Indikatorer: ej mätbart", counts["ej mätbart"], "antal"),
        ("mal_uppnadda", "Mål: uppnått", goal_counts["uppnått"], "antal"),
        ("mal_delvis", "Mål: delvis uppnått", goal_counts["delvis uppnått"], "antal"),
        ("mal_ej_uppnadda", "Mål: ej uppnått", goal_counts["ej uppnått"], "antal"),
        ("mal_ej_matbara", "Mål: ej mätbart", goal_counts["ej mätbart"], "antal"),
        ("mal_totalt", "Mål i målramverket", len(goals), "antal"),
    ]
    return figures_frame(rows)


def key_figures_dict(
    basis: Basis,
    period: Period,
    threshold_pct: float | None = None,
    threshold_sek: int | None = None,
) -> dict:
    """``{key: {"label", "value", "unit"}}``: the key figures ready for ``json.dump``."""
    frame = key_figures(basis, period, threshold_pct, threshold_sek)
    return {
        r["key"]: {"label": r["label"], "value": r["value"], "unit": r["unit"]}
        for r in frame.to_dict("records")
    }
