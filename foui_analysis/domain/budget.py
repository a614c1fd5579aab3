"""Costs, revenue, result and equity: the budget projection of the agreement period.

Method
------
1. **Staff cost** per post and year = monthly salary x 12 x FTE x (1 + PO-pålägg). The monthly
   salary is the base-year salary of the role (``reference/salaries.csv``) grown by the
   municipal sector's wage growth of each later year (``reference/wage_growth.csv``): the salary
   of year *t* is ``base x (1 + g_{base+1}) x ... x (1 + g_t)``. PO is SKL's average payroll
   overhead for municipalities of year *t* (``reference/payroll_overhead.csv``).
2. **Operating costs** per line are the agreement's base-year amounts grown by PKV (SKL's price
   index for municipal activities) in the same way.
3. **Areas**: a post or line in an area is that area's cost; shared costs (``gemensam``) are split
   over the three areas by the agreement's ``shared_cost_key`` with the largest-remainder method,
   so area costs sum exactly to the total.
4. **Revenue** by funding source: FoUI skola fees (4 kr per inhabitant, invoiced); FoUI
   övergripande, from ``overgripande_within_frame_from``, the association's frame of 5 kr per
   inhabitant; FoU socialtjänst from the member fee, the agreement's amount where known and
   otherwise equal to the area's cost (assumption A-SOC). **Equity is never revenue**: in the
   equity years övergripande has no revenue row at all.
5. **Result** = revenue - costs per area and year (the real result).
6. **Use of equity** (:func:`equity`), as a municipal auditor reads it: the real result, then
   the use of equity decided in advance, then the result after it. The seed decides that
   övergripande's costs of the equity years are taken from equity *vid behov* (as needed): the
   draw is the area's actual deficit of the year (its need), never more than a cap the agreement
   may give (``equity_max_sek``), and never negative. The closing equity moves by the real
   result alone; the draw says which part of the deficit was decided in advance.
7. **Balance** (:func:`balance_findings`): a year whose result after the decided use of equity
   is negative is not in balance, and a year whose closing equity is negative is stated; each
   with the rate per inhabitant (on the year's fee basis population) that would balance it.
8. **The seed's goal**: from the frame year, övergripande's costs are within its frame when they
   do not exceed 5 kr per inhabitant.

Every amount is computed exactly (Decimal) and rounded once to whole kronor per post, line and
year, half away from zero. In the report runner the calculation (the budget, its costs, its fee
tables and their population fallbacks) is computed once per loaded agreement and reference data
and shared by every report (:func:`foui_analysis.domain.shared.per_loaded`).

Known limits: the PO is SKL's average, which understates the pension cost of salaries above 7.5
income base amounts (the chief); posts are full-year; vacancies and sick leave are not modelled;
several rates after 2015 are assumptions (see the assumptions log).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pandas as pd

from foui_analysis.domain.agreement import AREAS, SHARED, Agreement
from foui_analysis.domain.allocation import allocate, round_sek
from foui_analysis.domain.fees import fee_table
from foui_analysis.domain.reference import Reference
from foui_analysis.domain.shared import per_loaded

HUNDRED = Decimal(100)
LEDGER_COLUMNS = ["year", "area", "kind", "line", "funding_source", "amount_sek"]


def growth_factor(reference: Reference, table: str, column: str, base: int, year: int) -> Decimal:
    """Product of (1 + rate/100) over the years after ``base`` up to ``year``."""
    factor = Decimal(1)
    for y in range(base + 1, year + 1):
        factor *= 1 + reference.rate_pct(table, column, y) / HUNDRED
    return factor


def base_salary(reference: Reference, role: str, year: int) -> Decimal:
    rows = reference.salaries[
        (reference.salaries["role"] == role) & (reference.salaries["year"] == year)
    ]
    if rows.empty:
        from foui_analysis.errors import InputError

        raise InputError.single(
            reference.directory / "salaries.csv",
            f"månadslön för rollen '{role}' år {year} saknas",
            column="role",
        )
    return Decimal(rows["monthly_salary_sek"].iloc[0])


@per_loaded
def staff_costs(agreement: Agreement, reference: Reference, years: range) -> pd.DataFrame:
    """One row per post and year: salary, PO and the year's cost in whole kronor."""
    rows = []
    for year in years:
        po = reference.rate_pct("payroll_overhead", "po_pct", year)
        wage = growth_factor(reference, "wage_growth", "wage_growth_pct", agreement.base_year, year)
        for post in agreement.staff:
            salary = base_salary(reference, post.role, agreement.base_year) * wage
            cost = salary * agreement.months_per_year * post.fte * (1 + po / HUNDRED)
            rows.append(
                {
                    "year": year,
                    "role": post.role,
                    "title": post.title,
                    "area": post.area,
                    "fte": post.fte,
                    "monthly_salary_sek": round_sek(salary),
                    "po_pct": po,
                    "cost_sek": round_sek(cost),
                }
            )
    return pd.DataFrame(rows)


def operating_costs(agreement: Agreement, reference: Reference, years: range) -> pd.DataFrame:
    """One row per operating-cost line, area and year, grown by PKV from the base year."""
    rows = []
    for year in years:
        factor = growth_factor(reference, "price_index", "pkv_pct", agreement.base_year, year)
        for line in agreement.operating_costs:
            rows.append(
                {
                    "year": year,
                    "line": line.line,
                    "name": line.name,
                    "area": line.area,
                    "cost_sek": round_sek(line.amount_sek * factor),
                }
            )
    return pd.DataFrame(rows)


def allocate_shared(agreement: Agreement, costs: pd.DataFrame) -> pd.DataFrame:
    """Replace each shared cost row by one row per area, split by the shared-cost key."""
    direct = costs[costs["area"] != SHARED]
    split = []
    for row in costs[costs["area"] == SHARED].to_dict("records"):
        parts = allocate(int(row["cost_sek"]), agreement.shared_cost_key)
        for area in AREAS:
            split.append({**row, "area": area, "cost_sek": parts[area], "shared": True})
    out = pd.concat([direct.assign(shared=False), pd.DataFrame(split)], ignore_index=True)
    return out


@per_loaded
def cost_ledger(agreement: Agreement, reference: Reference, years: range) -> pd.DataFrame:
    """All budgeted costs per year, area and line (shared costs allocated)."""
    staff = staff_costs(agreement, reference, years)
    staff = staff.assign(line="personal", name="Löner inkl. PO-pålägg")
    operating = operating_costs(agreement, reference, years)
    costs = pd.concat(
        [staff[["year", "line", "name", "area", "cost_sek"]], operating], ignore_index=True
    )
    return allocate_shared(agreement, costs)


@per_loaded
def budget(agreement: Agreement, reference: Reference, years: range | None = None) -> pd.DataFrame:
    """The budget as a ledger: one row per year, area, kind (intakt/kostnad), line and source.

    Amounts are positive; ``kind`` says whether a row is revenue or cost.
    """
    years = agreement.years if years is None else years
    if len(years) == 0:
        raise ValueError("years must not be empty")
    costs = cost_ledger(agreement, reference, years)
    area_cost = costs.groupby(["year", "area"])["cost_sek"].sum()
    rows = [
        {
            "year": r.year,
            "area": r.area,
            "kind": "kostnad",
            "line": r.line,
            "funding_source": "",
            "amount_sek": int(r.cost_sek),
        }
        for r in costs.groupby(["year", "area", "line"], sort=False)["cost_sek"]
        .sum()
        .reset_index()
        .itertuples()
    ]
    for year in years:
        fees = budget_fee_table(agreement, reference, year)[0]
        for component in agreement.components:
            if not component.active(year):
                continue
            source = agreement.funding_source(component, year)
            if source == "eget_kapital":
                # Equity is not revenue: the decided use of equity is shown after the result.
                continue
            own = fees[fees["component"] == component.id]
            cost = int(area_cost.get((year, component.area), 0))
            if component.rate_for(year) is not None or year in component.amount_sek:
                amount = int(own["fee_sek"].sum())
            else:
                amount = cost
            rows.append(
                {
                    "year": year,
                    "area": component.area,
                    "kind": "intakt",
                    "line": component.id,
                    "funding_source": source,
                    "amount_sek": amount,
                }
            )
    ledger = pd.DataFrame(rows, columns=LEDGER_COLUMNS)
    ledger["amount_sek"] = ledger["amount_sek"].astype("int64")
    return ledger


def to_decimal(value) -> Decimal:
    """An int, numpy integer or Decimal amount as a Decimal (money is never a float)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        raise TypeError(f"money must be int or Decimal, got float {value!r}")
    return Decimal(int(value))


def exact_sum(values) -> int | Decimal:
    """The exact sum of int or Decimal amounts (int when every amount is whole)."""
    total = sum((to_decimal(v) for v in values), Decimal(0))
    return int(total) if total == total.to_integral_value() else total


@per_loaded
def budget_fee_table(
    agreement: Agreement, reference: Reference, year: int
) -> tuple[pd.DataFrame, int | None]:
    """The fee table a calculation uses for ``year``, and the population year it fell back to.

    Fees are never invoiced on a missing population (:func:`foui_analysis.domain.fees.fee_table`
    refuses them), but a calculation of a later year may need revenue before SCB has published
    its basis: then the newest earlier year with a figure for every member is used, and the
    second value names it (None when the agreement's own basis year was used). Callers state it.
    """
    from foui_analysis.errors import InputError

    try:
        return fee_table(agreement, reference, year), None
    except InputError:
        wanted = agreement.basis_year(year)
        population = reference.population
        members = set(agreement.members)
        for fallback in range(wanted - 1, wanted - 11, -1):
            codes = set(population.loc[population["year"] == fallback, "municipality_code"])
            if members <= codes:
                moved = replace(agreement, basis_fixed_year=fallback)
                return fee_table(moved, reference, year), fallback
        raise


@per_loaded
def population_fallbacks(
    agreement: Agreement, reference: Reference, years: range
) -> dict[int, tuple[int, int]]:
    """``{year: (basis year wanted, population year used)}`` for every year of a calculation
    whose fee basis is not published yet (:func:`budget_fee_table`)."""
    out = {}
    for year in years:
        _, used = budget_fee_table(agreement, reference, year)
        if used is not None:
            out[year] = (agreement.basis_year(year), used)
    return out


def result_by_area(ledger: pd.DataFrame) -> pd.DataFrame:
    """Revenue, costs and result per year and area (plus a ``totalt`` row per year).

    Amounts are summed exactly: int kronor stay int, öre (Decimal) stay Decimal, so a result is
    rounded once, where it is shown.
    """
    # One pass over the rows (in ledger order), instead of a filter per year, area and kind.
    amounts: dict[tuple, list] = {}
    totals: dict[tuple, list] = {}
    areas_of_year: set[tuple] = set()
    for year, area, kind, amount in zip(
        ledger["year"], ledger["area"], ledger["kind"], ledger["amount_sek"], strict=True
    ):
        amounts.setdefault((year, area, kind), []).append(amount)
        totals.setdefault((year, kind), []).append(amount)
        areas_of_year.add((year, area))
    rows = []
    for year in sorted({year for year, _ in areas_of_year}):
        for area in (*AREAS, "totalt"):
            if area != "totalt" and (year, area) not in areas_of_year:
                continue
            if area == "totalt":
                revenue = exact_sum(totals.get((year, "intakt"), []))
                cost = exact_sum(totals.get((year, "kostnad"), []))
            else:
                revenue = exact_sum(amounts.get((year, area, "intakt"), []))
                cost = exact_sum(amounts.get((year, area, "kostnad"), []))
            rows.append(
                {
                    "year": int(year),
                    "area": area,
                    "revenue_sek": revenue,
                    "cost_sek": cost,
                    "result_sek": exact_sum([revenue, -to_decimal(cost)]),
                }
            )
    return pd.DataFrame(rows, columns=["year", "area", "revenue_sek", "cost_sek", "result_sek"])


def revenue_by_source(ledger: pd.DataFrame) -> pd.DataFrame:
    """Revenue per year and funding source."""
    revenue = ledger[ledger["kind"] == "intakt"]
    return revenue.groupby(["year", "funding_source"])["amount_sek"].sum().reset_index()


EQUITY_COLUMNS = [
    "year",
    "opening_equity_sek",
    "result_sek",
    "equity_need_sek",
    "equity_used_sek",
    "result_after_equity_sek",
    "closing_equity_sek",
]
"""The equity statement: the real result, the decided use of equity (at most the need), the
result after it, and equity moved by the real result."""


def equity_areas(agreement: Agreement, year: int) -> tuple[str, ...]:
    """The areas whose costs the agreement takes from equity in ``year`` (as needed)."""
    return tuple(
        c.area
        for c in agreement.components
        if c.active(year) and agreement.funding_source(c, year) == "eget_kapital"
    )


def equity(
    agreement: Agreement,
    ledger: pd.DataFrame,
    opening_sek: int | Decimal | None = None,
) -> pd.DataFrame:
    """Per year of ``ledger``: :data:`EQUITY_COLUMNS`.

    ``equity_need_sek`` is the deficit (minus the result, when negative) of the areas funded from
    equity that year (:func:`equity_areas`); ``equity_used_sek`` is the need, capped by the
    agreement's ``equity_max_sek`` for the year; ``result_after_equity_sek`` = result + used;
    ``closing_equity_sek`` = opening + result. The first year opens with ``opening_sek``
    (default: the agreement's opening equity). Amounts are exact (int or Decimal).
    """
    results = result_by_area(ledger)
    balance = agreement.opening_equity_sek if opening_sek is None else opening_sek
    rows = []
    for year in sorted(set(results["year"])):
        part = results[results["year"] == year].set_index("area")["result_sek"]
        result = part["totalt"]
        need = exact_sum(
            max(Decimal(0), -to_decimal(part[area]))
            for area in set(equity_areas(agreement, year))
            if area in part.index
        )
        cap = agreement.equity_max_sek.get(year)
        used = need if cap is None else min(need, cap)
        closing = exact_sum([balance, result])
        rows.append(
            {
                "year": year,
                "opening_equity_sek": balance,
                "result_sek": result,
                "equity_need_sek": need,
                "equity_used_sek": used,
                "result_after_equity_sek": exact_sum([result, used]),
                "closing_equity_sek": closing,
            }
        )
        balance = closing
    return pd.DataFrame(rows, columns=EQUITY_COLUMNS)


FINDING_COLUMNS = [
    "year",
    "finding",
    "amount_sek",
    "population",
    "invoiced_rate_sek_per_inhabitant",
    "extra_rate_sek_per_inhabitant",
    "balancing_rate_sek_per_inhabitant",
]
"""A year not in balance (``ej_i_balans``: ``amount_sek`` is the result after the decided use of
equity, below 0) or with negative closing equity (``negativt_eget_kapital``: ``amount_sek`` is
the closing equity, below 0); the extra rate per inhabitant that would cover it and the invoiced
rate it would make."""

ORE = Decimal("0.01")


def _per_inhabitant_up(amount: int | Decimal, population: int) -> Decimal:
    """``amount / population`` rounded up to whole öre (so it always covers the amount)."""
    from decimal import ROUND_CEILING

    return (Decimal(amount) / population).quantize(ORE, rounding=ROUND_CEILING)


def balance_findings(
    agreement: Agreement, reference: Reference, equity_frame: pd.DataFrame
) -> pd.DataFrame:
    """Years not in balance and years with negative equity, with the balancing rate.

    ``equity_frame`` is :func:`equity`'s. The population is the members' fee basis of the year;
    the invoiced rate is the sum of the invoiced components' rates per inhabitant that year; the
    balancing rate is that rate plus the extra rate that would cover the amount. Columns:
    :data:`FINDING_COLUMNS`.
    """
    rows = []
    for r in equity_frame.to_dict("records"):
        year = int(r["year"])
        found = []
        if r["result_after_equity_sek"] < 0:
            found.append(("ej_i_balans", r["result_after_equity_sek"]))
        if r["closing_equity_sek"] < 0:
            found.append(("negativt_eget_kapital", r["closing_equity_sek"]))
        if not found:
            continue
        population = int(fee_basis_population(agreement, reference, year))
        invoiced: Decimal = sum(  # type: ignore[type-var, assignment]  # the filter drops None
            (
                c.rate_for(year)
                for c in agreement.components
                if c.invoiced and c.active(year) and c.rate_for(year) is not None
            ),
            Decimal(0),
        )
        for finding, amount in found:
            extra = _per_inhabitant_up(-to_decimal(amount), population) if population else None
            rows.append(
                {
                    "year": year,
                    "finding": finding,
                    "amount_sek": amount,
                    "population": population,
                    "invoiced_rate_sek_per_inhabitant": invoiced,
                    "extra_rate_sek_per_inhabitant": extra,
                    "balancing_rate_sek_per_inhabitant": None
                    if extra is None
                    else invoiced + extra,
                }
            )
    return pd.DataFrame(rows, columns=FINDING_COLUMNS)


@per_loaded
def fee_basis_population(agreement: Agreement, reference: Reference, year: int) -> int:
    """The members' population on the fee basis of ``year`` (what a rate per inhabitant is
    multiplied by); for a year whose basis SCB has not published yet, the calculation's
    fallback year (:func:`budget_fee_table`), which callers state."""
    from foui_analysis.domain.fees import basis_for
    from foui_analysis.errors import InputError

    try:
        return int(basis_for(agreement, reference, year)["population"].sum())
    except InputError:
        _, used = budget_fee_table(agreement, reference, year)
        if used is None:
            raise
        moved = replace(agreement, basis_fixed_year=used)
        return int(basis_for(moved, reference, year)["population"].sum())


def frame_goal(agreement: Agreement, reference: Reference, ledger: pd.DataFrame) -> pd.DataFrame:
    """Per year: övergripande's costs against its frame, and whether the seed's goal holds.

    ``applies`` is true from ``overgripande_within_frame_from``; ``within_frame`` says whether the
    costs are at most the frame (5 kr per inhabitant of the basis population).
    """
    component = agreement.component("overgripande")
    costs = ledger[(ledger["kind"] == "kostnad") & (ledger["area"] == component.area)]
    rows = []
    for year in sorted(set(costs["year"])):
        fees = budget_fee_table(agreement, reference, year)[0]
        frame = int(fees.loc[fees["component"] == component.id, "fee_sek"].sum())
        cost = exact_sum(costs.loc[costs["year"] == year, "amount_sek"])
        rows.append(
            {
                "year": year,
                "funding_source": agreement.funding_source(component, year),
                "frame_sek": frame,
                "cost_sek": cost,
                "margin_sek": exact_sum([frame, -to_decimal(cost)]),
                "within_frame": cost <= frame,
                "applies": year >= agreement.overgripande_within_frame_from,
            }
        )
    return pd.DataFrame(rows)
