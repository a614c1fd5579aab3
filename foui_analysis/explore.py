"""The scenario explorer for researchers: rates, fee key and members, with widgets.

:func:`scenario` computes one scenario with the library (the same functions as the reports);
:func:`explorer` wraps it in ipywidgets when they are installed (``make lab`` installs them) and
the notebook runs interactively. Without a widget front end it returns None and the notebook
shows a fixed scenario instead, so it also runs under papermill.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from foui_analysis.context import Context
from foui_analysis.domain import fees

KEYS = {
    "per_inhabitant_sek": "Per invånare",
    "equal_sek": "Lika delar",
    "base_plus_per_inhabitant_sek": "Grundbelopp 20 % + per invånare",
}


@dataclass(frozen=True)
class Scenario:
    year: int
    rate: Decimal
    key: str
    leaving: tuple[str, ...]


def scenario(ctx: Context, chosen: Scenario) -> pd.DataFrame:
    """FoUI skola fees per municipality under a scenario, against the agreed fees."""
    agreement = ctx.agreement.with_members(
        tuple(m for m in ctx.agreement.members if m not in chosen.leaving)
    )
    agreement = agreement.with_rate("skola", chosen.rate)
    basis = fees.basis_for(agreement, ctx.reference, chosen.year)
    total = int(
        fees.fee_table(agreement, ctx.reference, chosen.year)
        .query("component == 'skola'")["fee_sek"]
        .sum()
    )
    compare = fees.compare_keys(total, basis)
    agreed = (
        fees.fee_table(ctx.agreement, ctx.reference, chosen.year)
        .query("component == 'skola'")
        .set_index("municipality_code")["fee_sek"]
    )
    out = compare[["municipality_code", "municipality", "population"]].copy()
    out["fee_agreed_sek"] = [int(agreed[c]) for c in out["municipality_code"]]
    out["fee_scenario_sek"] = compare[chosen.key]
    out["difference_sek"] = out["fee_scenario_sek"] - out["fee_agreed_sek"]
    return out


def scenario_table(frame: pd.DataFrame):
    from foui_analysis.presentation import format_int, format_sek, html_table

    shown = frame.drop(columns=["municipality_code"]).rename(
        columns={
            "municipality": "Kommun",
            "population": "Invånare",
            "fee_agreed_sek": "Enligt avtalet",
            "fee_scenario_sek": "I scenariot",
            "difference_sek": "Skillnad",
        }
    )
    return html_table(
        shown,
        {
            "Invånare": format_int,
            "Enligt avtalet": format_sek,
            "I scenariot": format_sek,
            "Skillnad": format_sek,
        },
    )


def explorer(ctx: Context, year: int):
    """An interactive explorer, or None when ipywidgets is not installed."""
    try:
        import ipywidgets as w
        from IPython.display import display
    except ImportError:
        return None
    names = ctx.reference.municipality_names()
    rate = w.Text(value="4", description="Kr/invånare")
    key = w.Dropdown(options=[(v, k) for k, v in KEYS.items()], description="Nyckel")
    leaving = w.SelectMultiple(
        options=[(names[c], c) for c in ctx.agreement.members], description="Lämnar", rows=6
    )
    out = w.Output()

    def update(_=None) -> None:
        out.clear_output()
        with out:
            try:
                value = Decimal(rate.value.replace(",", "."))
            except ArithmeticError:
                print("Ange avgiften som ett tal, t.ex. 4 eller 4,50")
                return
            display(
                scenario_table(
                    scenario(ctx, Scenario(year, value, key.value, tuple(leaving.value)))
                )
            )

    for widget in (rate, key, leaving):
        widget.observe(update, names="value")
    update()
    return w.VBox([w.HBox([rate, key]), leaving, out])
