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
   övergripande from equity in the equity years (as much as the area costs: "vid behov") and, from
   ``overgripande_within_frame_from``, the association's frame of 5 kr per inhabitant; FoU
   socialtjänst from the member fee, the agreement's amount where known and otherwise equal to
   the area's cost (assumption A-SOC).
5. **Result** = revenue - costs per area and year. **Equity**: the closing equity is the opening
   equity less what was taken from equity plus the year's result (a deficit also falls on equity).
6. **The seed's goal**: from the frame year, övergripande's costs are within its frame when they
   do not exceed 5 kr per inhabitant.

Every amount is computed exactly (Decimal) and rounded once to whole kronor per post, line and
year, half away from zero. Known limits: the PO is SKL's average, which understates the pension
cost of salaries above 7.5 income base amounts (the chief); posts are full-year; vacancies and
sick leave are not modelled; several rates after 2015 are assumptions (see the assumptions log).
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from foui_analysis.domain.agreement import AREAS, SHARED, Agreement
from foui_analysis.domain.allocation import allocate, round_sek
from foui_analysis.domain.fees import fee_table
from foui_analysis.domain.reference import Reference

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


def cost_ledger(agreement: Agreement, reference: Reference, years: range) -> pd.DataFrame:
    """All budgeted costs per year, area and line (shared costs allocated)."""
    staff = staff_costs(agreement, reference, years)
    staff = staff.assign(line="personal", name="Löner inkl. PO-pålägg")
    operating = operating_costs(agreement, reference, years)
    costs = pd.concat(
        [staff[["year", "line", "name", "area", "cost_sek"]], operating], ignore_index=True
    )
    return allocate_shared(agreement, costs)


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
        fees = fee_table(agreement, reference, year)
        for component in agreement.components:
            if not component.active(year):
                continue
            source = agreement.funding_source(component, year)
            own = fees[fees["component"] == component.id]
            cost = int(area_cost.get((year, component.area), 0))
            if source == "eget_kapital":
                amount = cost
            elif component.rate_sek_per_inhabitant is not None or year in component.amount_sek:
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


def result_by_area(ledger: pd.DataFrame) -> pd.DataFrame:
    """Revenue, costs and result per year and area (plus a ``totalt`` row per year)."""
    signed = ledger.assign(
        revenue_sek=ledger["amount_sek"].where(ledger["kind"] == "intakt", 0),
        cost_sek=ledger["amount_sek"].where(ledger["kind"] == "kostnad", 0),
    )
    by_area = signed.groupby(["year", "area"])[["revenue_sek", "cost_sek"]].sum().reset_index()
    total = by_area.groupby("year")[["revenue_sek", "cost_sek"]].sum().reset_index()
    total["area"] = "totalt"
    out = pd.concat([by_area, total], ignore_index=True)
    out["result_sek"] = out["revenue_sek"] - out["cost_sek"]
    order = {a: i for i, a in enumerate((*AREAS, "totalt"))}
    out = out.sort_values(["year", "area"], key=lambda s: s.map(order) if s.name == "area" else s)
    return out.reset_index(drop=True)[["year", "area", "revenue_sek", "cost_sek", "result_sek"]]


def revenue_by_source(ledger: pd.DataFrame) -> pd.DataFrame:
    """Revenue per year and funding source."""
    revenue = ledger[ledger["kind"] == "intakt"]
    return revenue.groupby(["year", "funding_source"])["amount_sek"].sum().reset_index()


def equity(agreement: Agreement, ledger: pd.DataFrame) -> pd.DataFrame:
    """Opening equity, equity used, result and closing equity per year."""
    results = result_by_area(ledger)
    totals = results[results["area"] == "totalt"].set_index("year")["result_sek"]
    used = (
        ledger[(ledger["kind"] == "intakt") & (ledger["funding_source"] == "eget_kapital")]
        .groupby("year")["amount_sek"]
        .sum()
    )
    rows, balance = [], agreement.opening_equity_sek
    for year in sorted(totals.index):
        taken = int(used.get(year, 0))
        result = int(totals[year])
        closing = balance - taken + result
        rows.append(
            {
                "year": year,
                "opening_equity_sek": balance,
                "equity_used_sek": taken,
                "result_sek": result,
                "closing_equity_sek": closing,
            }
        )
        balance = closing
    return pd.DataFrame(rows)


def frame_goal(agreement: Agreement, reference: Reference, ledger: pd.DataFrame) -> pd.DataFrame:
    """Per year: övergripande's costs against its frame, and whether the seed's goal holds.

    ``applies`` is true from ``overgripande_within_frame_from``; ``within_frame`` says whether the
    costs are at most the frame (5 kr per inhabitant of the basis population).
    """
    component = agreement.component("overgripande")
    costs = ledger[(ledger["kind"] == "kostnad") & (ledger["area"] == component.area)]
    by_year = costs.groupby("year")["amount_sek"].sum()
    rows = []
    for year in sorted(by_year.index):
        fees = fee_table(agreement, reference, year)
        frame = int(fees.loc[fees["component"] == component.id, "fee_sek"].sum())
        cost = int(by_year[year])
        rows.append(
            {
                "year": year,
                "funding_source": agreement.funding_source(component, year),
                "frame_sek": frame,
                "cost_sek": cost,
                "margin_sek": frame - cost,
                "within_frame": cost <= frame,
                "applies": year >= agreement.overgripande_within_frame_from,
            }
        )
    return pd.DataFrame(rows)
