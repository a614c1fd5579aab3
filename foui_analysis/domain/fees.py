"""Fees: what each municipality pays, per component and year.

Method (the seed's funding rules, slides 7 and 8)
------------------------------------------------
* **FoUI skola**: ``rate_sek_per_inhabitant`` (4 kr) times the municipality's basis population,
  invoiced to each municipality, 2014-2018.
* **FoUI övergripande**: a frame of 5 kr per inhabitant. It is *not* invoiced: the rows show each
  municipality's share of the frame, funded from the association's equity in the equity years
  (2014-2015) and within the association's own frame from ``overgripande_within_frame_from``.
* **FoU socialtjänst**: part of the existing member fee. Where the agreement gives the year's total
  (``amount_sek``) it is shown, split by population; where it does not, no row is written.

The basis population is the agreement's rule (:mod:`foui_analysis.domain.population`): SCB's 31
December figure ``lag_years`` before the fee year by default, or a fixed year, from a series with
the agreement's reference date. The rate of a year is the component's rate, or its
``rate_schedule`` entry from that year on (a rate that changes within an agreement).

**Invoiced or not**: every row says whether it is invoiced (``invoiced``: the component's flag).
No total adds invoiced and non-invoiced amounts: an invoice is the sum of a municipality's
invoiced rows only (:func:`invoice`), and the frame of FoUI övergripande is shown apart from it.

**Joining or leaving**: a member whose ``[[membership]]`` starts or ends within a year pays pro
rata by month: ``rate x population x months / 12``, rounded once to whole kronor.

Rounding: a per-inhabitant fee is ``rate x population`` rounded to whole kronor, half away from
zero, row by row; the component total is the sum of the rows, so the invoice total and the table
reconcile exactly. With a whole-krona rate (the seed's 4 and 5 kr) no rounding happens. A total
split by other keys (equal shares, base plus per inhabitant, a known socialtjänst amount) uses the
largest-remainder method (:mod:`foui_analysis.domain.allocation`): the parts always add up to the
total to the krona.

Alternative keys (:func:`compare_keys`) split the same total three ways: per inhabitant, equal
shares, and a fixed base (default 20 % of the total in equal shares) plus the rest per inhabitant;
the table shows who pays more and who less than per inhabitant. Member changes
(:func:`member_scenario`) recompute the fees with members removed or added: under a
per-inhabitant key no other member's fee changes, only the total; under a fixed total every
remaining member pays more.

Computed once: in the report runner the fee table and the basis population of a year are
computed once per loaded agreement and reference data and shared by every report
(:func:`foui_analysis.domain.shared.per_loaded`).

Known limits: fees are annual (no quarterly invoicing, whose rules were not found); a member
pays by whole months, from its first month to its last (the day within the month is not used).
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from foui_analysis import arguments
from foui_analysis.domain.agreement import Agreement, Component
from foui_analysis.domain.allocation import allocate, round_sek
from foui_analysis.domain.population import population_basis
from foui_analysis.domain.reference import Reference
from foui_analysis.domain.shared import per_loaded

FEE_COLUMNS = [
    "municipality_code",
    "municipality",
    "component",
    "funding_source",
    "basis_date",
    "population",
    "rate_sek_per_inhabitant",
    "fee_sek",
    "invoiced",
]


class ReconciliationError(AssertionError):
    """An allocation that does not add up to its total: a bug, never bad input."""


def per_inhabitant(population: int, rate: Decimal, months: int = 12) -> int:
    """The fee of one municipality: rate times population (times months / 12), whole kronor."""
    return round_sek(rate * population * months / 12)


def members_of(agreement: Agreement, year: int) -> tuple[str, ...]:
    """The members with at least one month of membership in ``year``."""
    return tuple(m for m in agreement.members if agreement.member_months(m, year) > 0)


@per_loaded
def basis_for(agreement: Agreement, reference: Reference, year: int) -> pd.DataFrame:
    """The basis population of the members of a fee year (by the agreement's rule);
    ``year`` as ``2015`` or ``"2015"``."""
    year = arguments.year(year, what="avgiftsåret")
    return population_basis(
        reference.population,
        members_of(agreement, year),
        reference.municipality_names(),
        year,
        agreement.lag_years,
        source=str(reference.population_file),
        year=agreement.basis_year(year),
        reference_date=agreement.basis_reference_date,
    )


def component_fees(
    agreement: Agreement, component: Component, basis: pd.DataFrame, year: int
) -> pd.DataFrame:
    """One component's rows for a year; empty when the component has no known amount."""
    if not component.active(year):
        return pd.DataFrame(columns=FEE_COLUMNS)
    frame = basis.copy()
    frame["component"] = component.id
    frame["funding_source"] = agreement.funding_source(component, year)
    frame["invoiced"] = bool(component.invoiced)
    rate = component.rate_for(year)
    if rate is not None:
        frame["rate_sek_per_inhabitant"] = rate
        frame["fee_sek"] = [
            per_inhabitant(p, rate, agreement.member_months(c, year))
            for c, p in zip(frame["municipality_code"], frame["population"], strict=True)
        ]
    elif year in component.amount_sek:
        weights = dict(zip(frame["municipality_code"], frame["population"], strict=True))
        parts = allocate(component.amount_sek[year], weights)
        frame["rate_sek_per_inhabitant"] = None
        frame["fee_sek"] = [parts[c] for c in frame["municipality_code"]]
    else:
        return pd.DataFrame(columns=FEE_COLUMNS)
    return frame[FEE_COLUMNS]


@per_loaded
def fee_table(agreement: Agreement, reference: Reference, year: int) -> pd.DataFrame:
    """The fee table of a year: one row per municipality and component.

    ``year`` is a fee year of the agreement, ``2015`` or ``"2015"``; a year outside the
    agreement period is refused (:class:`~foui_analysis.arguments.ArgumentError`), not answered
    with an empty table.
    """
    year = arguments.year(year, agreement, what="avgiftsåret")
    basis = basis_for(agreement, reference, year)
    parts = [component_fees(agreement, c, basis, year) for c in agreement.components]
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=FEE_COLUMNS)
    table = pd.concat(parts, ignore_index=True)
    table["fee_sek"] = table["fee_sek"].astype("int64")
    table["population"] = table["population"].astype("int64")
    table["invoiced"] = table["invoiced"].astype(bool)
    reconcile(agreement, table, year)
    return table


def reconcile(agreement: Agreement, table: pd.DataFrame, year: int) -> None:
    """Check that every component's rows add up to its total; raise if not."""
    for component in agreement.components:
        rows = table[table["component"] == component.id]
        if rows.empty:
            continue
        rate = component.rate_for(year)
        if rate is not None:
            expected = sum(
                per_inhabitant(int(p), rate, agreement.member_months(c, year))
                for c, p in zip(rows["municipality_code"], rows["population"], strict=True)
            )
        else:
            expected = component.amount_sek[year]
        if int(rows["fee_sek"].sum()) != expected:
            raise ReconciliationError(
                f"{component.id} {year}: rows sum to {rows['fee_sek'].sum()}, expected {expected}"
            )


def totals(table: pd.DataFrame) -> pd.DataFrame:
    """Per component: inhabitants, fee total and whether it is invoiced (never a grand total)."""
    return (
        table.groupby(["component", "funding_source", "invoiced"], sort=False)
        .agg(population=("population", "sum"), fee_sek=("fee_sek", "sum"))
        .reset_index()
    )


INVOICE_COLUMNS = ["municipality_code", "municipality", "population", "months"]


def invoice(agreement: Agreement, table: pd.DataFrame, year: int) -> pd.DataFrame:
    """What each municipality is invoiced for ``year``: one column per invoiced component and
    ``invoiced_sek``, their sum. Only invoiced rows enter it (never the övergripande frame).

    Columns: :data:`INVOICE_COLUMNS`, one ``<component>_sek`` per invoiced component,
    ``invoiced_sek``. ``months`` is the months of membership in the year (12 for a whole year).
    """
    rows = table[table["invoiced"].astype(bool)]
    return _by_municipality(agreement, rows, year, "invoiced_sek")


def not_invoiced(agreement: Agreement, table: pd.DataFrame, year: int) -> pd.DataFrame:
    """The components that are not invoiced (the övergripande frame, the member fee's share),
    per municipality, each with its own total column and never added to an invoice."""
    rows = table[~table["invoiced"].astype(bool)]
    return _by_municipality(agreement, rows, year, None)


def _by_municipality(
    agreement: Agreement, rows: pd.DataFrame, year: int, total: str | None
) -> pd.DataFrame:
    components = list(dict.fromkeys(rows["component"]))
    base = rows.drop_duplicates("municipality_code")[
        ["municipality_code", "municipality", "population"]
    ].copy()
    base["months"] = [agreement.member_months(c, year) for c in base["municipality_code"]]
    for component in components:
        part = rows[rows["component"] == component].set_index("municipality_code")["fee_sek"]
        base[f"{component}_sek"] = [int(part.get(c, 0)) for c in base["municipality_code"]]
    if total is not None:
        base[total] = base[[f"{c}_sek" for c in components]].sum(axis=1).astype("int64")
    return base.reset_index(drop=True)


def fees_by_municipality(table: pd.DataFrame) -> pd.DataFrame:
    """Wide table: one row per municipality, one column per component, and the invoiced sum."""
    wide = table.pivot_table(
        index=["municipality_code", "municipality", "population"],
        columns="component",
        values="fee_sek",
        aggfunc="sum",
        sort=False,
    ).reset_index()
    wide.columns.name = None
    return wide


def fees_for_years(agreement: Agreement, reference: Reference, years: range) -> pd.DataFrame:
    """The fee tables of several years stacked, with a ``year`` column first."""
    frames = [fee_table(agreement, reference, y).assign(year=y) for y in years]
    table = pd.concat(frames, ignore_index=True)
    return table[["year", *FEE_COLUMNS]]


BASE_SHARE = Decimal("0.2")
"""The part of the total shared equally in :func:`compare_keys`' third key (grundbelopp)."""


def compare_keys(
    total_sek: int,
    basis: pd.DataFrame,
    base_share: Decimal = BASE_SHARE,
) -> pd.DataFrame:
    """Split one total by three keys and compare each municipality with per inhabitant.

    Columns: ``municipality_code, municipality, population, per_inhabitant_sek, equal_sek,
    base_plus_per_inhabitant_sek, equal_diff_sek, base_diff_sek``. Each key's column sums to
    ``total_sek`` exactly. ``base_share`` is the part of the total shared equally in the third key.
    """
    if not Decimal(0) <= base_share <= Decimal(1):
        raise ValueError("base_share must lie between 0 and 1")
    codes = list(basis["municipality_code"])
    pop = dict(zip(codes, basis["population"], strict=True))
    by_population = allocate(total_sek, pop)
    equal = allocate(total_sek, dict.fromkeys(codes, 1))
    base_total = round_sek(base_share * total_sek)
    base = allocate(base_total, dict.fromkeys(codes, 1))
    variable = allocate(total_sek - base_total, pop)
    out = basis[["municipality_code", "municipality", "population"]].copy()
    out["per_inhabitant_sek"] = [by_population[c] for c in codes]
    out["equal_sek"] = [equal[c] for c in codes]
    out["base_plus_per_inhabitant_sek"] = [base[c] + variable[c] for c in codes]
    out["equal_diff_sek"] = out["equal_sek"] - out["per_inhabitant_sek"]
    out["base_diff_sek"] = out["base_plus_per_inhabitant_sek"] - out["per_inhabitant_sek"]
    return out


def member_scenario(
    agreement: Agreement,
    reference: Reference,
    year: int,
    component_id: str = "skola",
    leaving: tuple[str, ...] = (),
    joining: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Fees of one component with members leaving or joining, against the agreement's members.

    Columns: ``municipality_code, municipality, population, fee_now_sek, fee_scenario_sek,
    fee_same_total_sek``: the fee as agreed, the fee under the scenario at the agreed rate, and
    the fee if the scenario's members had to raise the agreed total between them (per inhabitant).
    A leaving member has ``fee_scenario_sek`` 0; a joining one has ``fee_now_sek`` 0.
    ``leaving`` and ``joining`` name municipalities by SCB code or by name (``"Luleå"``); an
    unknown one, or one leaving that is not a member, is refused, never ignored.
    """
    year = arguments.year(year, agreement, what="avgiftsåret")
    component = agreement.component(component_id)
    if component.rate_for(year) is None:
        raise arguments.ArgumentError(
            f"{component.name} har ingen avgift per invånare att räkna ett medlemsscenario med"
        )
    names = reference.municipality_names()
    leaving = arguments.municipalities(leaving, names)
    joining = arguments.municipalities(joining, names)
    members_that_year = members_of(agreement, year)
    outside = [names[c] for c in leaving if c not in members_that_year]
    if outside:
        raise arguments.ArgumentError(
            f"{', '.join(outside)} är inte medlem {year} och kan inte lämna samarbetet"
        )
    members = tuple(m for m in agreement.members if m not in leaving) + tuple(
        m for m in joining if m not in agreement.members
    )
    if not members:
        raise arguments.ArgumentError(
            "scenariot har inga medlemmar kvar som kan betala; låt minst en kommun vara kvar"
        )
    now = component_fees(agreement, component, basis_for(agreement, reference, year), year)
    scenario_agreement = agreement.with_members(members)
    scenario_basis = basis_for(scenario_agreement, reference, year)
    scenario = component_fees(scenario_agreement, component, scenario_basis, year)
    everyone = pd.concat([now, scenario]).drop_duplicates("municipality_code")
    everyone = everyone[["municipality_code", "municipality", "population"]]
    now_fee = dict(zip(now["municipality_code"], now["fee_sek"], strict=True))
    scen_fee = dict(zip(scenario["municipality_code"], scenario["fee_sek"], strict=True))
    same_total = allocate(
        int(now["fee_sek"].sum()),
        dict(zip(scenario_basis["municipality_code"], scenario_basis["population"], strict=True)),
    )
    out = everyone.copy()
    out["fee_now_sek"] = [now_fee.get(c, 0) for c in out["municipality_code"]]
    out["fee_scenario_sek"] = [scen_fee.get(c, 0) for c in out["municipality_code"]]
    out["fee_same_total_sek"] = [same_total.get(c, 0) for c in out["municipality_code"]]
    return out.reset_index(drop=True)


def key_figures(table: pd.DataFrame, component_names: dict[str, str], year: int) -> dict:
    """Named key figures of a year's fee table, ``{key: {"label", "value", "unit"}}``.

    One total per component present, named by how it is funded: ``avgift_skola_sek`` (invoiced),
    ``ram_overgripande_sek`` (a frame from equity or the association's budget),
    ``medlemsavgift_socialtjanst_sek``; then the number of members and the inhabitants of the
    population basis. Totals are the exact sums of the rows.
    """
    prefix = {"avgift": "avgift", "medlemsavgift": "medlemsavgift"}
    figures = {}
    for (component, source), rows in table.groupby(["component", "funding_source"], sort=False):
        figures[f"{prefix.get(source, 'ram')}_{component}_sek"] = {
            "label": f"{component_names.get(component, component)} {year}",
            "value": int(rows["fee_sek"].sum()),
            "unit": "kr",
        }
    members = table.drop_duplicates("municipality_code")
    figures["medlemmar"] = {"label": "Medlemskommuner", "value": len(members), "unit": "antal"}
    figures["invanare_underlag"] = {
        "label": "Invånare i befolkningsunderlaget",
        "value": int(members["population"].sum()),
        "unit": "invånare",
    }
    return figures
