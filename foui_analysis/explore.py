"""The scenario explorer for researchers: rate, year, fee key and members, with widgets.

Method
------
:func:`scenario` computes one scenario of FoUI skola with the library's fee functions (the same
as the reports): the members of the scenario (the agreement's members of the fee year, less those
leaving, plus those joining) pay the scenario's rate per inhabitant of the fee year's population
basis, those staying pro rata by their months of membership as agreed, those joining for the
whole year; with another key than per inhabitant, that same total is split by the key instead
(:func:`foui_analysis.domain.fees.compare_keys`). The slider starts at the agreed rate of the
year (:func:`agreed_rate`, the rate schedule's). Every member of the year and every
one joining is shown with its status (``kvar``, ``lämnar``, ``ansluter``), its fee as agreed,
its fee in the scenario (0 for one leaving) and the difference, so a leaving municipality is
shown as leaving, with its fee falling away, rather than disappearing. :func:`scenario_view`
shows that table with a totals row, or, for a scenario that cannot be (a negative rate, no
members left, an unknown municipality, a year outside the agreement), a Swedish sentence saying
why: never a traceback.

:func:`explorer` wraps the view in ipywidgets: a slider for the rate, a choice of year and of
key, and the members as a list (unselect one to let it leave; select a non-member to let it
join). It returns None, and the notebook shows its fixed scenario instead, when the widgets
cannot be used: ipywidgets is not installed, or nothing can show them, which is the case under
papermill, nbconvert and the report runner
(:func:`foui_analysis.jupyter.interactive`).

Known limits
------------
The other keys split the scenario's total by population or equally without regard to months of
membership (a member for half the year gets a whole share).
Whether a front end can show widgets is not something a kernel can ask; see
:func:`foui_analysis.jupyter.interactive` for how it is judged.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

import pandas as pd

from foui_analysis import arguments
from foui_analysis.context import Context
from foui_analysis.domain import fees
from foui_analysis.jupyter import interactive

KEYS = {
    "per_inhabitant_sek": "Per invånare",
    "equal_sek": "Lika delar",
    "base_plus_per_inhabitant_sek": "Grundbelopp 20 % + per invånare",
}

STATUS = {"kvar": "kvar", "lamnar": "lämnar", "ansluter": "ansluter"}

COMPONENT = "skola"
"""The invoiced component the explorer varies (FoUI skola, a rate per inhabitant)."""


@dataclass(frozen=True)
class Scenario:
    """A scenario: fee year, rate in kronor per inhabitant, key, and member changes.

    ``leaving`` and ``joining`` name municipalities by SCB code or by name; ``rate`` may be
    given as ``5``, ``"4,50"`` or a Decimal (checked when the scenario is computed).
    """

    year: int
    rate: Decimal
    key: str
    leaving: tuple[str, ...] = ()
    joining: tuple[str, ...] = ()


def scenario(ctx: Context, chosen: Scenario) -> pd.DataFrame:
    """FoUI skola per municipality under ``chosen``, against the agreed fees.

    Columns: ``municipality_code, municipality, status, population, fee_agreed_sek,
    fee_scenario_sek, difference_sek`` (whole kronor). Raises
    :class:`~foui_analysis.arguments.ArgumentError` (Swedish) for a scenario that cannot be.
    """
    year = arguments.year(chosen.year, ctx.agreement, what="avgiftsåret")
    rate = arguments.rate(chosen.rate)
    if chosen.key not in KEYS:
        raise arguments.ArgumentError(
            f"okänd fördelningsnyckel {chosen.key!r}; välj en av " + ", ".join(map(repr, KEYS))
        )
    names = ctx.reference.municipality_names()
    members_now = fees.members_of(ctx.agreement, year)
    leaving = arguments.municipalities(chosen.leaving, names)
    joining = tuple(
        c for c in arguments.municipalities(chosen.joining, names) if c not in members_now
    )
    not_members = [names[c] for c in leaving if c not in members_now]
    if not_members:
        raise arguments.ArgumentError(
            f"{', '.join(not_members)} är inte medlem {year} och kan inte lämna samarbetet"
        )
    members = tuple(m for m in members_now if m not in leaving) + joining
    if not members:
        raise arguments.ArgumentError(
            "scenariot har inga medlemmar kvar som kan betala; låt minst en kommun vara kvar"
        )
    # Those staying keep their months of membership (pro rata); those joining are members all
    # year; the component's rate is the scenario's for every year.
    agreement = replace(
        ctx.agreement.with_members(members),
        membership={c: m for c, m in ctx.agreement.membership.items() if c in members},
    ).with_rate(COMPONENT, rate)
    in_scenario = fees.fee_table(agreement, ctx.reference, year).query("component == @COMPONENT")
    total = int(in_scenario["fee_sek"].sum())
    split = fees.compare_keys(total, fees.basis_for(agreement, ctx.reference, year))
    if chosen.key == "per_inhabitant_sek":
        # The fee table itself: the rate times each member's population, pro rata by month.
        scenario_fee = dict(
            zip(in_scenario["municipality_code"], in_scenario["fee_sek"], strict=True)
        )
    else:
        scenario_fee = dict(zip(split["municipality_code"], split[chosen.key], strict=True))
    agreed = fees.fee_table(ctx.agreement, ctx.reference, year).query("component == @COMPONENT")
    agreed_fee = dict(zip(agreed["municipality_code"], agreed["fee_sek"], strict=True))
    population = {
        **dict(zip(agreed["municipality_code"], agreed["population"], strict=True)),
        **dict(zip(split["municipality_code"], split["population"], strict=True)),
    }
    codes = [*members_now, *joining]
    out = pd.DataFrame(
        {
            "municipality_code": codes,
            "municipality": [names.get(c, c) for c in codes],
            "status": [
                STATUS["lamnar"]
                if c in leaving
                else STATUS["ansluter"]
                if c in joining
                else STATUS["kvar"]
                for c in codes
            ],
            "population": [int(population[c]) for c in codes],
            "fee_agreed_sek": [int(agreed_fee.get(c, 0)) for c in codes],
            "fee_scenario_sek": [int(scenario_fee.get(c, 0)) for c in codes],
        }
    )
    out["difference_sek"] = out["fee_scenario_sek"] - out["fee_agreed_sek"]
    return out


def agreed_rate(ctx: Context, year: int | str) -> Decimal:
    """The agreed rate per inhabitant of the explorer's component in ``year`` (its schedule)."""
    year = arguments.year(year, ctx.agreement, what="avgiftsåret")
    rate = ctx.agreement.component(COMPONENT).rate_for(year)
    if rate is None:
        raise arguments.ArgumentError(f"{COMPONENT} har ingen avgift per invånare {year}")
    return rate


def describe(chosen: Scenario, names: dict[str, str] | None = None) -> str:
    """One Swedish sentence naming the scenario (rate, key, year and member changes)."""
    from foui_analysis.presentation import format_number

    rate = arguments.rate(chosen.rate)
    shown = format_number(rate, 2).removesuffix(",00")
    names = names or {}
    parts = [f"{shown} kr per invånare för FoUI skola {chosen.year}", KEYS[chosen.key].lower()]
    if chosen.leaving:
        parts.append("lämnar: " + ", ".join(names.get(c, c) for c in chosen.leaving))
    if chosen.joining:
        parts.append("ansluter: " + ", ".join(names.get(c, c) for c in chosen.joining))
    return "Scenario: " + "; ".join(parts) + "."


def scenario_table(frame: pd.DataFrame):
    """The scenario as an HTML table with a totals row (municipalities leaving included).

    The totals row counts those paying and their inhabitants; the fee columns are the sums of
    every row (a leaving member's agreed fee is in the agreed total, its scenario fee is 0).
    """
    from foui_analysis.presentation import format_int, format_sek, html_table

    money = ["fee_agreed_sek", "fee_scenario_sek", "difference_sek"]
    staying = frame[frame["status"] != STATUS["lamnar"]]
    total = {
        "municipality_code": "",
        "municipality": "Totalt",
        "status": f"{len(staying)} betalar",
        # The inhabitants of those paying, as the status says (not of those leaving).
        "population": int(staying["population"].sum()),
        **{column: int(frame[column].sum()) for column in money},
    }
    shown = pd.concat([frame, pd.DataFrame([total])], ignore_index=True)
    shown = shown.drop(columns=["municipality_code"]).rename(
        columns={
            "municipality": "Kommun",
            "status": "Status",
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


def scenario_view(ctx: Context, chosen: Scenario):
    """The scenario's sentence and table, or a Swedish sentence saying why it cannot be."""
    from foui_analysis.presentation import join_html, paragraph

    try:
        frame = scenario(ctx, chosen)
        sentence = describe(chosen, ctx.reference.municipality_names())
    except arguments.ArgumentError as problem:
        message = str(problem)
        return paragraph(f"Scenariot går inte att räkna: {message[:1].lower()}{message[1:]}.")
    return join_html(paragraph(sentence), scenario_table(frame))


def explorer(ctx: Context, year: int):
    """An interactive explorer, or None when widgets cannot be shown (see :func:`interactive`)."""
    if not interactive():
        return None
    try:
        import ipywidgets as w
        from IPython.display import display
    except ImportError:
        return None
    year = arguments.year(year, ctx.agreement, what="avgiftsåret")
    names = ctx.reference.municipality_names()
    rate = w.FloatSlider(
        value=float(agreed_rate(ctx, year)),
        min=0.0,
        max=10.0,
        step=0.25,
        description="Kr/invånare",
        readout_format=".2f",
        continuous_update=False,
    )
    year_choice = w.Dropdown(options=list(ctx.agreement.years), value=year, description="År")
    key = w.Dropdown(options=[(v, k) for k, v in KEYS.items()], description="Nyckel")
    known = sorted(names, key=lambda c: names[c])
    members = w.SelectMultiple(
        options=[(names[c], c) for c in known],
        value=fees.members_of(ctx.agreement, year),
        description="Medlemmar",
        rows=min(len(known), 14),
    )
    out = w.Output()

    def update(_=None) -> None:
        members_now = fees.members_of(ctx.agreement, year_choice.value)
        chosen = Scenario(
            year=year_choice.value,
            rate=rate.value,
            key=key.value,
            leaving=tuple(c for c in members_now if c not in members.value),
            joining=tuple(c for c in members.value if c not in members_now),
        )
        out.clear_output(wait=True)
        with out:
            display(scenario_view(ctx, chosen))

    for widget in (rate, year_choice, key, members):
        widget.observe(update, names="value")
    update()
    return w.VBox([w.HBox([rate, year_choice, key]), members, out])
