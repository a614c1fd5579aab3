"""Views: the library's tables as the reader sees them, with Swedish headings and formats.

A view takes a tidy frame from the domain or the analyses and returns :class:`Html` (an escaped
table or a chart with alt text). Views never compute a figure: they select, order, rename and
format; sums shown in a total row are the library's sums, passed in or taken with ``sum`` of an
exact integer column, which is what the reconciliation checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import pandas as pd

from foui_analysis.domain.agreement import AREA_NAMES, FUNDING_SOURCES
from foui_analysis.presentation.components import Html, html_table
from foui_analysis.presentation.formats import (
    format_date,
    format_int,
    format_number,
    format_pct,
    format_sek,
)

TOTAL_LABEL = "Summa"


def _rate(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    return format_number(Decimal(str(value)), decimals=2).removesuffix(",00") + "\u00a0kr"


def _with_total(frame: pd.DataFrame, label_column: str, sum_columns: list[str]) -> pd.DataFrame:
    total = {c: None for c in frame.columns}
    total[label_column] = TOTAL_LABEL
    for column in sum_columns:
        total[column] = int(frame[column].sum())
    return pd.concat([frame, pd.DataFrame([total])], ignore_index=True)


def fee_overview(table: pd.DataFrame, component_names: Mapping[str, str]) -> Html:
    """One row per municipality: basis population and each component's amount, with totals."""
    wide = table.pivot_table(
        index=["municipality", "population"], columns="component", values="fee_sek",
        aggfunc="sum", sort=False,
    ).reset_index()
    components = [c for c in table["component"].drop_duplicates()]
    wide = _with_total(wide, "municipality", ["population", *components])
    headings = {"municipality": "Kommun", "population": "Invånare",
                **{c: f"{component_names.get(c, c)} (kr)" for c in components}}
    formatters = {"population": format_int, **{c: format_sek for c in components}}
    shown = wide[["municipality", "population", *components]]
    return html_table(shown.rename(columns=headings),
                      {headings[k]: v for k, v in formatters.items()})


def fee_rows(table: pd.DataFrame, component_names: Mapping[str, str]) -> Html:
    """The fee table of the CSV contract, one row per municipality and component, in Swedish."""
    shown = table.assign(
        component=table["component"].map(component_names),
        funding_source=table["funding_source"].map(FUNDING_SOURCES),
    ).rename(columns={
        "municipality_code": "Kommunkod", "municipality": "Kommun", "component": "Komponent",
        "funding_source": "Finansiering", "basis_date": "Befolkning per",
        "population": "Invånare", "rate_sek_per_inhabitant": "Kr per invånare",
        "fee_sek": "Belopp",
    })
    return html_table(shown, {"Befolkning per": format_date, "Invånare": format_int,
                              "Kr per invånare": _rate, "Belopp": format_sek,
                              "Kommunkod": str})


def fee_totals(totals: pd.DataFrame, component_names: Mapping[str, str],
               invoiced: Mapping[str, bool]) -> Html:
    """Per component: funding source, whether invoiced, inhabitants and total."""
    shown = pd.DataFrame({
        "Komponent": totals["component"].map(component_names),
        "Finansiering": totals["funding_source"].map(FUNDING_SOURCES),
        "Faktureras": totals["component"].map(lambda c: "ja" if invoiced.get(c) else "nej"),
        "Invånare": totals["population"],
        "Belopp": totals["fee_sek"],
    })
    return html_table(shown, {"Invånare": format_int, "Belopp": format_sek})


def key_comparison(compare: pd.DataFrame) -> Html:
    """Alternative keys side by side, with each key's difference against per inhabitant."""
    frame = _with_total(
        compare.drop(columns=["municipality_code"]), "municipality",
        ["population", "per_inhabitant_sek", "equal_sek", "base_plus_per_inhabitant_sek",
         "equal_diff_sek", "base_diff_sek"],
    )
    headings = {
        "municipality": "Kommun", "population": "Invånare",
        "per_inhabitant_sek": "Per invånare", "equal_sek": "Lika delar",
        "base_plus_per_inhabitant_sek": "Grundbelopp + per invånare",
        "equal_diff_sek": "Skillnad lika delar", "base_diff_sek": "Skillnad grundbelopp",
    }
    shown = frame.rename(columns=headings)
    money = [h for k, h in headings.items() if k.endswith("_sek")]
    return html_table(shown, {"Invånare": format_int, **dict.fromkeys(money, format_sek)})


def member_scenario_table(scenario: pd.DataFrame) -> Html:
    frame = _with_total(scenario.drop(columns=["municipality_code"]), "municipality",
                        ["population", "fee_now_sek", "fee_scenario_sek", "fee_same_total_sek"])
    headings = {"municipality": "Kommun", "population": "Invånare",
                "fee_now_sek": "Avgift enligt avtalet", "fee_scenario_sek": "Avgift i scenariot",
                "fee_same_total_sek": "Avgift om totalen ska behållas"}
    shown = frame.rename(columns=headings)
    return html_table(shown, {"Invånare": format_int, "Avgift enligt avtalet": format_sek,
                              "Avgift i scenariot": format_sek,
                              "Avgift om totalen ska behållas": format_sek})


def results_table(results: pd.DataFrame) -> Html:
    """Revenue, costs and result per year and area."""
    shown = results.assign(area=results["area"].map(lambda a: AREA_NAMES.get(a, "Totalt")))
    shown = shown.rename(columns={"year": "År", "area": "Område", "revenue_sek": "Intäkter",
                                  "cost_sek": "Kostnader", "result_sek": "Resultat"})
    return html_table(shown, {"År": str, "Intäkter": format_sek, "Kostnader": format_sek,
                              "Resultat": format_sek})


def equity_table(equity: pd.DataFrame) -> Html:
    shown = equity.rename(columns={
        "year": "År", "opening_equity_sek": "Ingående eget kapital",
        "equity_used_sek": "Använt för övergripande", "result_sek": "Årets resultat",
        "closing_equity_sek": "Utgående eget kapital",
    })
    money = ["Ingående eget kapital", "Använt för övergripande", "Årets resultat",
             "Utgående eget kapital"]
    return html_table(shown, {"År": str, **dict.fromkeys(money, format_sek)})


def frame_goal_table(goal: pd.DataFrame) -> Html:
    """Övergripande's costs against its frame, and whether the seed's goal is met."""
    def verdict(row: pd.Series) -> str:
        if not row["applies"]:
            return "gäller ej än (eget kapital)"
        return "ja, inom ramen" if row["within_frame"] else "nej, över ramen"

    shown = pd.DataFrame({
        "År": goal["year"],
        "Finansiering": goal["funding_source"].map(FUNDING_SOURCES),
        "Ram (5 kr/inv.)": goal["frame_sek"],
        "Kostnader": goal["cost_sek"],
        "Marginal": goal["margin_sek"],
        "Inom ramen": goal.apply(verdict, axis=1),
    })
    return html_table(shown, {"År": str, "Ram (5 kr/inv.)": format_sek, "Kostnader": format_sek,
                              "Marginal": format_sek})


def staff_table(staff: pd.DataFrame) -> Html:
    shown = pd.DataFrame({
        "År": staff["year"], "Tjänst": staff["title"],
        "Område": staff["area"].map(AREA_NAMES), "Tjänstgöringsgrad": staff["fte"],
        "Månadslön": staff["monthly_salary_sek"], "PO-pålägg": staff["po_pct"],
        "Årskostnad": staff["cost_sek"],
    })
    return html_table(shown, {
        "År": str, "Tjänstgöringsgrad": lambda v: format_pct(Decimal(v) * 100, 0),
        "Månadslön": format_sek, "PO-pålägg": lambda v: format_pct(v, 2),
        "Årskostnad": format_sek,
    })


def assumptions_table(assumptions: pd.DataFrame) -> Html:
    """The assumptions register, as the reports show it."""
    shown = assumptions.rename(columns={
        "assumption_id": "Id", "what": "Vad", "value": "Värde", "why": "Varför",
        "governs": "Styr", "quality": "Kvalitet", "impact": "Påverkan",
    })
    return html_table(shown)


def key_comparison_chart(compare: pd.DataFrame) -> Html:
    """Bar chart: what each municipality would pay more (+) or less (-) than per inhabitant."""
    from foui_analysis.presentation.charts import figure_html, new_figure

    frame = compare.sort_values("population")
    fig = new_figure(7.0, 4.2)
    ax = fig.add_subplot()
    positions = range(len(frame))
    ax.barh([p - 0.2 for p in positions], frame["equal_diff_sek"] / 1000, height=0.4,
            label="Lika delar", color="#b4543a")
    ax.barh([p + 0.2 for p in positions], frame["base_diff_sek"] / 1000, height=0.4,
            label="Grundbelopp + per invånare", color="#3a6ea5")
    ax.set_yticks(list(positions), frame["municipality"])
    ax.axvline(0, color="#333", linewidth=0.8)
    ax.set_xlabel("Skillnad mot fördelning per invånare (tusen kr)")
    ax.legend(frameon=False, loc="lower right")
    ax.spines[["top", "right"]].set_visible(False)
    gainers = frame.loc[frame["equal_diff_sek"].idxmin(), "municipality"]
    losers = frame.loc[frame["equal_diff_sek"].idxmax(), "municipality"]
    alt = (f"Liggande stapeldiagram per kommun. Med lika delar ökar avgiften mest för {losers} "
           f"och minskar mest för {gainers}; med grundbelopp blir skillnaderna mindre.")
    return figure_html(fig, alt=alt, caption="Skillnad mot fördelning per invånare")
