"""Views: the library's tables as the reader sees them, with Swedish headings and formats.

A view takes a tidy frame from the domain or the analyses and returns :class:`Html` (an escaped
table or a chart with alt text). Views never compute a figure: they select, order, rename and
format; sums shown in a total row are the library's sums, passed in or taken with ``sum`` of an
exact integer column, which is what the reconciliation checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from html import escape as html_escape
from typing import TYPE_CHECKING, Any

import pandas as pd

from foui_analysis.domain.agreement import AREA_NAMES, FUNDING_SOURCES
from foui_analysis.presentation.components import (
    Cell,
    Html,
    html_table,
    kpi_cards,
    status_cell,
)
from foui_analysis.presentation.formats import (
    Formatter,
    format_date,
    format_int,
    format_number,
    format_pct,
    format_sek,
)

if TYPE_CHECKING:
    from foui_analysis.presentation.charts import ReportFigure

TOTAL_LABEL = "Summa"


def _rate(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    return format_number(Decimal(str(value)), decimals=2).removesuffix(",00") + "\u00a0kr"


def _with_total(frame: pd.DataFrame, label_column: str, sum_columns: list[str]) -> pd.DataFrame:
    total: dict[str, object] = {c: None for c in frame.columns}
    total[label_column] = TOTAL_LABEL
    for column in sum_columns:
        total[column] = int(frame[column].sum())
    return pd.concat([frame, pd.DataFrame([total])], ignore_index=True)


def fee_overview(table: pd.DataFrame, component_names: Mapping[str, str]) -> Html:
    """One row per municipality: basis population and each component's amount, each column with
    its own total (invoiced and non-invoiced amounts are never added together)."""
    wide = table.pivot_table(
        index=["municipality", "population"],
        columns="component",
        values="fee_sek",
        aggfunc="sum",
        sort=False,
    ).reset_index()
    components = [c for c in table["component"].drop_duplicates()]
    wide = _with_total(wide, "municipality", ["population", *components])
    invoiced = (
        dict(zip(table["component"], table["invoiced"], strict=False))
        if "invoiced" in table
        else {}
    )
    marks: dict[Any, str] = {True: ", faktureras", False: ", faktureras inte"}
    headings = {
        "municipality": "Kommun",
        "population": "Invånare",
        **{
            c: f"{component_names.get(c, c)}{marks.get(invoiced.get(c), '')} (kr)"
            for c in components
        },
    }
    formatters: dict[str, Formatter] = {
        "population": format_int,
        **{c: format_sek for c in components},
    }
    shown = wide[["municipality", "population", *components]]
    return html_table(
        shown.rename(columns=headings), {headings[k]: v for k, v in formatters.items()}
    )


def fee_rows(table: pd.DataFrame, component_names: Mapping[str, str]) -> Html:
    """The fee table of the CSV contract, one row per municipality and component, in Swedish."""
    shown = table.assign(
        component=table["component"].map(component_names),
        funding_source=table["funding_source"].map(FUNDING_SOURCES),
    ).rename(
        columns={
            "municipality_code": "Kommunkod",
            "municipality": "Kommun",
            "component": "Komponent",
            "funding_source": "Finansiering",
            "basis_date": "Befolkning per",
            "population": "Invånare",
            "rate_sek_per_inhabitant": "Kr per invånare",
            "fee_sek": "Belopp",
            "invoiced": "Faktureras",
        }
    )
    if "Faktureras" in shown:
        shown["Faktureras"] = shown["Faktureras"].map(lambda v: "ja" if v else "nej")
    return html_table(
        shown,
        {
            "Befolkning per": format_date,
            "Invånare": format_int,
            "Kr per invånare": _rate,
            "Belopp": format_sek,
            "Kommunkod": str,
        },
    )


def fee_totals(
    totals: pd.DataFrame, component_names: Mapping[str, str], invoiced: Mapping[str, bool]
) -> Html:
    """Per component: funding source, whether invoiced, inhabitants and total."""
    shown = pd.DataFrame(
        {
            "Komponent": totals["component"].map(component_names),
            "Finansiering": totals["funding_source"].map(FUNDING_SOURCES),
            "Faktureras": totals["component"].map(lambda c: "ja" if invoiced.get(c) else "nej"),
            "Invånare": totals["population"],
            "Belopp": totals["fee_sek"],
        }
    )
    return html_table(shown, {"Invånare": format_int, "Belopp": format_sek})


def key_comparison(compare: pd.DataFrame) -> Html:
    """Alternative keys side by side, with each key's difference against per inhabitant."""
    frame = _with_total(
        compare.drop(columns=["municipality_code"]),
        "municipality",
        [
            "population",
            "per_inhabitant_sek",
            "equal_sek",
            "base_plus_per_inhabitant_sek",
            "equal_diff_sek",
            "base_diff_sek",
        ],
    )
    headings = {
        "municipality": "Kommun",
        "population": "Invånare",
        "per_inhabitant_sek": "Per invånare",
        "equal_sek": "Lika delar",
        "base_plus_per_inhabitant_sek": "Grundbelopp + per invånare",
        "equal_diff_sek": "Skillnad lika delar",
        "base_diff_sek": "Skillnad grundbelopp",
    }
    shown = frame.rename(columns=headings)
    money = [h for k, h in headings.items() if k.endswith("_sek")]
    return html_table(shown, {"Invånare": format_int, **dict.fromkeys(money, format_sek)})


def member_scenario_table(scenario: pd.DataFrame) -> Html:
    frame = _with_total(
        scenario.drop(columns=["municipality_code"]),
        "municipality",
        ["population", "fee_now_sek", "fee_scenario_sek", "fee_same_total_sek"],
    )
    headings = {
        "municipality": "Kommun",
        "population": "Invånare",
        "fee_now_sek": "Avgift enligt avtalet",
        "fee_scenario_sek": "Avgift i scenariot",
        "fee_same_total_sek": "Avgift om totalen ska behållas",
    }
    shown = frame.rename(columns=headings)
    return html_table(
        shown,
        {
            "Invånare": format_int,
            "Avgift enligt avtalet": format_sek,
            "Avgift i scenariot": format_sek,
            "Avgift om totalen ska behållas": format_sek,
        },
    )


def results_table(results: pd.DataFrame) -> Html:
    """Revenue, costs and result per year and area."""
    shown = results.assign(area=results["area"].map(lambda a: AREA_NAMES.get(a, "Totalt")))
    shown = shown.rename(
        columns={
            "year": "År",
            "area": "Område",
            "revenue_sek": "Intäkter",
            "cost_sek": "Kostnader",
            "result_sek": "Resultat",
        }
    )
    return html_table(
        shown, {"År": str, "Intäkter": format_sek, "Kostnader": format_sek, "Resultat": format_sek}
    )


EQUITY_HEADINGS = {
    "year": "År",
    "opening_equity_sek": "Ingående eget kapital",
    "result_sek": "Årets resultat",
    "equity_used_sek": "Ianspråktaget eget kapital (beslutat, vid behov)",
    "result_after_equity_sek": "Resultat efter ianspråktaget eget kapital",
    "closing_equity_sek": "Utgående eget kapital",
}
"""The equity statement in the order an auditor reads it: the real result, then the decided use
of equity, then the result after it; equity moves by the real result."""


def equity_table(equity: pd.DataFrame) -> Html:
    """The equity statement per year (:func:`foui_analysis.domain.budget.equity`)."""
    return table(
        equity,
        [
            (column, heading, str if column == "year" else format_sek)
            for column, heading in EQUITY_HEADINGS.items()
        ],
    )


EQUITY_SCOPE_NAMES = {
    "hittills": "Utfall hittills i år",
    "prognos": "Prognos för helåret",
    "budget": "Budget för året",
}


def equity_statement_table(frame: pd.DataFrame, budget_word: str = "Budget") -> Html:
    """A follow-up's result and use of equity: to date, forecast and the year's budget."""
    names = {**EQUITY_SCOPE_NAMES, "budget": f"{budget_word} för året"}
    return table(
        frame.assign(scope=frame["scope"].map(names)),
        [
            ("scope", "Avser", None),
            ("opening_equity_sek", "Eget kapital 1 januari", format_sek),
            ("result_sek", "Resultat", format_sek),
            ("equity_need_sek", "Behov ur eget kapital", format_sek),
            ("equity_used_sek", "Ianspråktaget eget kapital", format_sek),
            ("result_after_equity_sek", "Resultat efter eget kapital", format_sek),
            ("closing_equity_sek", "Eget kapital vid årets/periodens slut", format_sek),
        ],
    )


SUBJECTS = {"utfall": "Utfallet", "prognos": "Prognosen", "budget": "Budgeten"}


def _listed(parts: list[str]) -> str:
    """``a``, ``a och b``, ``a, b och c``."""
    return ", ".join(parts[:-1]) + (" och " if len(parts) > 1 else "") + parts[-1]


def finding_points(findings: pd.DataFrame, what: str = "utfall", word: str = "budget") -> list[str]:
    """Sentences for :func:`foui_analysis.domain.budget.balance_findings`: each year with its
    amount and the rate per inhabitant that would balance it; one sentence per kind of finding.

    ``what`` names whose figures they are (``utfall``, ``prognos``, ``budget`` or a noun such as
    ``kalkylen``); a ``scope`` column, when present, overrides it per row. ``word`` is what the
    year's ``budget`` is (:data:`foui_analysis.analyses.followup.BUDGET_WORDS`): a calculation
    is called "Kalkylen", never "Budgeten".
    """
    subjects = {**SUBJECTS, "budget": "Kalkylen" if word.startswith("kalkyl") else "Budgeten"}
    groups: dict[tuple[str, str], list[dict]] = {}
    for r in findings.to_dict("records"):
        groups.setdefault((r.get("scope", what), r["finding"]), []).append(r)
    points = []
    for (scope, finding), rows in groups.items():
        subject = subjects.get(scope, scope.capitalize())
        invoiced = _rate(rows[0]["invoiced_rate_sek_per_inhabitant"])
        amounts = _listed([f"{r['year']} {format_sek(r['amount_sek'])}" for r in rows])
        rates = _listed(
            [f"{_rate(r['balancing_rate_sek_per_inhabitant'])} ({r['year']})" for r in rows]
        )
        if finding == "ej_i_balans":
            points.append(
                f"{subject} är inte i balans efter ianspråktaget eget kapital: {amounts}. En "
                f"fakturerad avgift per invånare på {rates} i stället för {invoiced} skulle "
                "balansera det."
            )
        else:
            points.append(
                f"{subject} ger negativt eget kapital vid årets slut: {amounts}. En fakturerad "
                f"avgift per invånare på {rates} i stället för {invoiced} skulle täcka det."
            )
    return points


def population_fallback_points(fallbacks: dict[int, tuple[int, int]]) -> list[str]:
    """One sentence per calculation year whose fee basis is not published yet
    (:func:`foui_analysis.domain.budget.population_fallbacks`): which population it uses."""
    return [
        f"Kalkylen för {year} bygger på folkmängden den 31 december {used}: folkmängden den "
        f"31 december {wanted}, avgiftens underlag, är ännu inte publicerad för alla "
        "medlemskommuner."
        for year, (wanted, used) in sorted(fallbacks.items())
    ]


def opening_equity_point(agreement) -> str | None:
    """The sentence a summary carries while the opening equity rests on an assumption."""
    if not agreement.opening_equity_assumption:
        return None
    return (
        f"Eget kapital den 1 januari {agreement.first_year} "
        f"({format_sek(agreement.opening_equity_sek)}) är ett antagande "
        f"({agreement.opening_equity_assumption}), inte en uppgift ur årsredovisningen; "
        "beloppen för eget kapital är därför osäkra."
    )


def frame_goal_table(goal: pd.DataFrame) -> Html:
    """Övergripande's costs against its frame, and whether the seed's goal is met."""

    def verdict(row: pd.Series) -> str:
        if not row["applies"]:
            return "gäller ej än (eget kapital)"
        return "ja, inom ramen" if row["within_frame"] else "nej, över ramen"

    shown = pd.DataFrame(
        {
            "År": goal["year"],
            "Finansiering": goal["funding_source"].map(FUNDING_SOURCES),
            "Ram (5 kr/inv.)": goal["frame_sek"],
            "Kostnader": goal["cost_sek"],
            "Marginal": goal["margin_sek"],
            "Inom ramen": goal.apply(verdict, axis=1),
        }
    )
    return html_table(
        shown,
        {"År": str, "Ram (5 kr/inv.)": format_sek, "Kostnader": format_sek, "Marginal": format_sek},
    )


def staff_table(staff: pd.DataFrame) -> Html:
    shown = pd.DataFrame(
        {
            "År": staff["year"],
            "Tjänst": staff["title"],
            "Område": staff["area"].map(AREA_NAMES),
            "Tjänstgöringsgrad": staff["fte"],
            "Månadslön": staff["monthly_salary_sek"],
            "PO-pålägg": staff["po_pct"],
            "Årskostnad": staff["cost_sek"],
        }
    )
    return html_table(
        shown,
        {
            "År": str,
            "Tjänstgöringsgrad": lambda v: format_pct(Decimal(v) * 100, 0),
            "Månadslön": format_sek,
            "PO-pålägg": lambda v: format_pct(v, 2),
            "Årskostnad": format_sek,
        },
    )


def assumptions_table(assumptions: pd.DataFrame) -> Html:
    """The assumptions register, as the reports show it."""
    shown = assumptions.rename(
        columns={
            "assumption_id": "Id",
            "what": "Vad",
            "value": "Värde",
            "why": "Varför",
            "governs": "Styr",
            "quality": "Kvalitet",
            "impact": "Påverkan",
        }
    )
    return html_table(shown)


def key_comparison_chart(compare: pd.DataFrame) -> ReportFigure:
    """Bar chart: what each municipality would pay more (+) or less (-) than per inhabitant."""
    from foui_analysis.presentation.charts import new_figure, report_figure

    frame = compare.sort_values("population")
    fig = new_figure(7.0, 4.2)
    ax = fig.add_subplot()
    positions = range(len(frame))
    ax.barh(
        [p - 0.2 for p in positions],
        frame["equal_diff_sek"] / 1000,
        height=0.4,
        label="Lika delar",
        color="#b4543a",
    )
    ax.barh(
        [p + 0.2 for p in positions],
        frame["base_diff_sek"] / 1000,
        height=0.4,
        label="Grundbelopp + per invånare",
        color="#3a6ea5",
    )
    ax.set_yticks(list(positions), frame["municipality"])
    ax.axvline(0, color="#333", linewidth=0.8)
    ax.set_xlabel("Skillnad mot fördelning per invånare (tusen kr)")
    fig.legend(frameon=False, loc="outside lower center", ncols=2)
    ax.spines[["top", "right"]].set_visible(False)
    gainers = frame.loc[frame["equal_diff_sek"].idxmin(), "municipality"]
    losers = frame.loc[frame["equal_diff_sek"].idxmax(), "municipality"]
    alt = (
        f"Liggande stapeldiagram per kommun. Med lika delar ökar avgiften mest för {losers} "
        f"och minskar mest för {gainers}; med grundbelopp blir skillnaderna mindre."
    )
    return report_figure(fig, alt=alt, caption="Skillnad mot fördelning per invånare")


# Follow-up and evaluation -------------------------------------------------------------------

KIND_WORDS = {"intakt": "Intäkt", "kostnad": "Kostnad"}
LINE_NAMES = {
    "personal": "Löner inkl. PO-pålägg",
    "lokaler": "Lokaler",
    "administration": "Administrativ utrustning",
    "kompetensutveckling": "Kompetensutveckling",
    "resor": "Resor",
    "foui_projekt": "FoUI-projekt",
    "skola": "FoUI skola",
    "overgripande": "FoUI övergripande",
    "socialtjanst": "FoU socialtjänst",
}
TREND_WORDS = {"upp": "↑ bättre", "ned": "↓ sämre", "oförändrad": "→ oförändrad", "saknas": "–"}
SETTLEMENT_NAMES = {"glesbygd": "Glesbygd", "tatort": "Tätort", "alla": "Alla"}


def _area(value: str) -> str:
    return AREA_NAMES.get(value, "Totalt")


def _pct(value: Any) -> str:
    return "–" if value is None or value != value else format_pct(value)


def _flag(flagged: bool, direction: str, unfavourable: bool, word: str = "budget") -> Cell | str:
    """A marked deviation in words, "över budget" or "under budget" ("över kalkyl" ...); one
    that weakens the result (costs over, revenue under) in the warning colour, one that
    strengthens it in the colour of a good result."""
    if not flagged or not direction:
        return ""
    side = "över" if direction == "over" else "under"
    short = "kalkyl" if word.startswith("kalkyl") else "budget"
    css = "foui-flag" if unfavourable else "foui-flag foui-flag-good"
    return Cell(Html(f'<span class="{css}">{side} {short}</span>'))


def _flags(frame: pd.DataFrame, word: str) -> list[Cell | str]:
    return [
        _flag(bool(f), str(d), bool(u), word)
        for f, d, u in zip(frame["flagged"], frame["direction"], frame["unfavourable"], strict=True)
    ]


def budget_word_heading(word: str) -> str:
    """The column heading for the amounts compared with: "Budget", or "Kalkyl" for the
    agreement's calculation of a year without an adopted budget."""
    return "Kalkyl" if word.startswith("kalkyl") else "Budget"


def budget_basis_point(status: dict, year: int) -> str:
    """What a year's figures are compared with: the adopted budget and its decision, or the
    agreement's calculation (never called a budget)."""
    if status["adopted"]:
        decisions = status["decisions"]
        if not decisions:
            return (
                f"Budgeten för {year} är den som styrelsen antog (beslutet anges inte i "
                "underlaget)."
            )
        if len(decisions) == 1:
            return f"Budgeten för {year} antogs av {decisions[0]}."
        return f"Budgeten för {year} bygger på styrelsens beslut {'; '.join(decisions)}."
    return (
        f"För {year} finns ingen antagen budget i underlaget: siffrorna jämförs med kalkylen "
        "enligt avtalet, som inte är en budget som styrelsen beslutat."
    )


def budget_table(frame: pd.DataFrame, word: str = "budget") -> Html:
    """Budget against outcome per area and line; lines beyond the thresholds marked in words,
    over and under apart."""
    heading = budget_word_heading(word)
    shown = pd.DataFrame(
        {
            "Område": frame["area"].map(_area),
            "Slag": frame["kind"].map(KIND_WORDS),
            "Post": frame["line"].map(lambda v: LINE_NAMES.get(v, v)),
            heading: frame["budget_sek"],
            "Utfall": frame["outcome_sek"],
            "Avvikelse": frame["deviation_sek"],
            "Avvikelse %": frame["deviation_pct"],
            "Markering": _flags(frame, word),
        }
    )
    return html_table(
        shown,
        {heading: format_sek, "Utfall": format_sek, "Avvikelse": format_sek, "Avvikelse %": _pct},
    )


def result_table(frame: pd.DataFrame, word: str = "budget") -> Html:
    """Revenue, costs and result per area, budget (or calculation) against outcome."""
    short = budget_word_heading(word).lower()
    shown = pd.DataFrame(
        {
            "Område": frame["area"].map(_area),
            f"Intäkter {short}": frame["revenue_budget_sek"],
            "Intäkter utfall": frame["revenue_outcome_sek"],
            f"Kostnader {short}": frame["cost_budget_sek"],
            "Kostnader utfall": frame["cost_outcome_sek"],
            f"Resultat {short}": frame["result_budget_sek"],
            "Resultat utfall": frame["result_outcome_sek"],
        }
    )
    return html_table(shown, dict.fromkeys(list(shown.columns)[1:], format_sek))


def forecast_table(frame: pd.DataFrame, word: str = "budget") -> Html:
    """The full-year forecast per line against the year's budget (or calculation)."""
    year_heading = f"{budget_word_heading(word)} helår"
    shown = pd.DataFrame(
        {
            "Område": frame["area"].map(_area),
            "Slag": frame["kind"].map(KIND_WORDS),
            "Post": frame["line"].map(lambda v: LINE_NAMES.get(v, v)),
            year_heading: frame["budget_year_sek"],
            "Utfall hittills": frame["outcome_to_date_sek"],
            "Prognos helår": frame["forecast_sek"],
            "Avvikelse": frame["forecast_deviation_sek"],
            "Avvikelse %": frame["forecast_deviation_pct"],
            "Markering": _flags(frame, word),
        }
    )
    money = [year_heading, "Utfall hittills", "Prognos helår", "Avvikelse"]
    return html_table(shown, {**dict.fromkeys(money, format_sek), "Avvikelse %": _pct})


def activities_area_table(frame: pd.DataFrame) -> Html:
    shown = pd.DataFrame(
        {
            "Område": frame["area"].map(_area),
            "Aktiviteter": frame["activities"],
            "Deltagare": frame["participants"],
            "Arbetstimmar": frame["hours"],
        }
    )
    return html_table(
        shown,
        {
            "Aktiviteter": format_int,
            "Deltagare": format_int,
            "Arbetstimmar": lambda v: format_number(v, 1),
        },
    )


def activities_municipality_table(frame: pd.DataFrame) -> Html:
    shown = pd.DataFrame(
        {
            "Kommun": frame["municipality"],
            "Typ": frame["settlement"].map(SETTLEMENT_NAMES),
            "Invånare": frame["population"],
            "Aktiviteter": frame["activities"],
            "Deltagare": frame["participants"],
            "Deltagare per 1 000 inv.": frame["participants_per_1000"],
        }
    )
    return html_table(
        shown,
        {
            "Invånare": format_int,
            "Aktiviteter": format_int,
            "Deltagare": format_int,
            "Deltagare per 1 000 inv.": lambda v: format_number(v, 1),
        },
    )


def participation_chart(frame: pd.DataFrame, title: str) -> ReportFigure:
    """Participants per 1 000 inhabitants per municipality, glesbygd and tätort in two colours."""
    from foui_analysis.presentation.charts import new_figure, report_figure

    data = frame.sort_values("participants_per_1000")
    fig = new_figure(7.0, 4.2)
    ax = fig.add_subplot()
    colours = data["settlement"].map({"glesbygd": "#b4543a", "tatort": "#3a6ea5"})
    ax.barh(data["municipality"], data["participants_per_1000"], color=colours)
    ax.set_xlabel("Deltagare per 1 000 invånare")
    ax.spines[["top", "right"]].set_visible(False)
    from matplotlib.patches import Patch

    ax.legend(
        handles=[Patch(color="#b4543a", label="Glesbygd"), Patch(color="#3a6ea5", label="Tätort")],
        frameon=False,
        loc="lower right",
    )
    top, bottom = data.iloc[-1], data.iloc[0]
    alt = (
        f"Liggande stapeldiagram: deltagare per 1 000 invånare per kommun. Högst "
        f"{top['municipality']} ({format_number(top['participants_per_1000'], 1)}), lägst "
        f"{bottom['municipality']} ({format_number(bottom['participants_per_1000'], 1)})."
    )
    return report_figure(fig, alt=alt, caption=title)


def _value(row: pd.Series, column: str) -> str:
    value = row[column]
    if value is None or value != value:
        return "–"
    unit = row.get("unit", "")
    # A scale mean shows two decimals (3,68 against 3,70, not 3,7 against 3,7).
    whole = float(value).is_integer()
    decimals = 2 if row.get("kind") == "skala" else (0 if whole else 1)
    number = format_number(value, decimals)
    return f"{number}\u00a0%" if unit == "%" else number


def _attainment(frame: pd.DataFrame) -> list[Decimal | None]:
    """Attainment as the library decided to show it: a Decimal with the decimals that keep it
    on the same side of a threshold as its status (99,6 %, not 100 %, beside delvis uppnått)."""
    return [
        None
        if shown is None or shown != shown
        else Decimal(repr(float(shown))).quantize(Decimal(1).scaleb(-int(decimals)))
        for shown, decimals in zip(
            frame["attainment_shown_pct"], frame["attainment_decimals"], strict=True
        )
    ]


def _shown_pct(value: object) -> str:
    """A Decimal from :func:`_attainment` with exactly its own decimals."""
    if value is None or not isinstance(value, Decimal):
        return "–"
    return format_pct(value, max(0, -int(value.as_tuple().exponent)))


def status_summary(counts: Mapping[str, int], what: str = "mål") -> str:
    """All four statuses in words, adding up to the total: '3 uppnådda, 1 delvis uppnått,
    7 ej uppnådda och 2 ej mätbara av 13 mål'."""
    total = sum(int(counts.get(s, 0)) for s in STATUS_WORDS)
    parts = [
        f"{n} {status if n == 1 else word}"
        for status, word in STATUS_WORDS.items()
        for n in [int(counts.get(status, 0))]
    ]
    return f"{', '.join(parts[:-1])} och {parts[-1]} av {total} {what}"


STATUS_WORDS = {
    "uppnått": "uppnådda",
    "delvis uppnått": "delvis uppnådda",
    "ej uppnått": "ej uppnådda",
    "ej mätbart": "ej mätbara",
}


def indicator_table(frame: pd.DataFrame, with_trend: bool = True) -> Html:
    """Indicators: the goals each measures, value against target, attainment, status in words
    and colour, trend."""
    shown = pd.DataFrame(
        {
            "Indikator": frame["indicator"],
            "Mål": frame["goals"],
            "Period": frame["window"],
            "Värde": [_value(r, "value") for _, r in frame.iterrows()],
            "Målvärde": [_value(r, "target") for _, r in frame.iterrows()],
            "Måluppfyllelse": _attainment(frame),
            "Status": frame["status"].map(status_cell),
        }
    )
    if with_trend and "trend" in frame:
        shown["Sedan förra uppföljningen"] = frame["trend"].map(TREND_WORDS)
    return html_table(shown, {"Måluppfyllelse": _shown_pct})


def goal_table(frame: pd.DataFrame) -> Html:
    """Goal attainment per purpose, task and motto word."""
    types = {"syfte": "Syfte", "uppdrag": "Uppdrag", "ledord": "Ledord"}
    shown = pd.DataFrame(
        {
            "Id": frame["goal_id"],
            "Typ": frame["goal_type"].map(types),
            "Mål": frame["goal"],
            "Måluppfyllelse": _attainment(frame),
            "Status": frame["status"].map(status_cell),
        }
    )
    return html_table(shown, {"Måluppfyllelse": _shown_pct})


def goal_matrix(frame: pd.DataFrame) -> Html:
    """Goals as rows, years as columns, each cell the status badge (evaluation)."""
    wide = frame.pivot(index=["goal_id", "goal"], columns="year", values="status")
    order = list(dict.fromkeys(frame["goal_id"]))
    wide = wide.reindex(order, level=0).reset_index()
    wide.columns = ["Id", "Mål", *[str(c) for c in wide.columns[2:]]]
    for column in wide.columns[2:]:
        wide[column] = wide[column].map(status_cell)
    return html_table(wide)


def key_figure_cards(figures: pd.DataFrame, keys: list[str]) -> Html:
    """Cards for the chosen key figures (``key, label, value, unit`` rows)."""
    chosen = figures.set_index("key").loc[keys]
    return kpi_cards(
        [
            (label, _figure(value, unit))
            for label, value, unit in zip(
                chosen["label"], chosen["value"], chosen["unit"], strict=True
            )
        ]
    )


def _figure(value: Any, unit: str) -> str:
    """A key figure in its unit: kronor, percent, a decimal or a whole number; missing as –."""
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    if unit == "kr":
        return format_sek(int(value))
    if unit == "%":
        return format_pct(value)
    if isinstance(value, float) and not value.is_integer():
        return format_number(value, 1)
    return format_int(value)


def _change(value: Any, unit: str) -> str:
    """A change in its unit; a change of a percentage is in procentenheter."""
    if unit == "%":
        if value is None or (isinstance(value, float) and value != value):
            return "–"
        return f"{format_number(value, 1)}\u00a0procentenheter"
    return _figure(value, unit)


def changes_table(frame: pd.DataFrame, previous_label: str) -> Html:
    """Key figures now and in the period compared with, with the change, each in its unit
    (a percentage changes in procentenheter)."""
    shown = pd.DataFrame(
        {
            "Nyckeltal": frame["label"],
            previous_label: [
                _figure(v, u) for v, u in zip(frame["previous"], frame["unit"], strict=True)
            ],
            "Nu": [_figure(v, u) for v, u in zip(frame["current"], frame["unit"], strict=True)],
            "Förändring": [
                _change(v, u) for v, u in zip(frame["change"], frame["unit"], strict=True)
            ],
        }
    )
    return html_table(shown)


def forecast_changes_table(frame: pd.DataFrame, previous_label: str) -> Html:
    """The full-year forecast now against the previous follow-up's forecast."""
    shown = pd.DataFrame(
        {
            "Helår": frame["label"],
            f"Prognos i uppföljningen {previous_label}": [
                _figure(v, "kr") for v in frame["previous"]
            ],
            "Prognos nu": [_figure(v, "kr") for v in frame["current"]],
            "Förändring": [_figure(v, "kr") for v in frame["change"]],
        }
    )
    return html_table(shown)


def restatements_table(frame: pd.DataFrame) -> Html:
    """Figures of earlier periods that differ from what was published, named by report."""
    shown = pd.DataFrame(
        {
            "Rapport": frame["report"],
            "Nyckeltal": frame["label"],
            "Publicerat": [
                _figure(v, u) for v, u in zip(frame["published"], frame["unit"], strict=True)
            ],
            "Nu": [_figure(v, u) for v, u in zip(frame["now"], frame["unit"], strict=True)],
            "Skillnad": [
                _change(v, u) for v, u in zip(frame["difference"], frame["unit"], strict=True)
            ],
        }
    )
    return html_table(shown)


def commentary(frame: pd.DataFrame, goal_names: Mapping[str, str]) -> Html:
    """The FoUI chief's texts, each under the goal it concerns; text shown as text."""
    from foui_analysis.presentation.components import join_html, paragraph

    parts = []
    for goal_id, text in zip(frame["goal_id"], frame["text"], strict=True):
        label = (
            "Hela verksamheten"
            if goal_id == "alla"
            else f"{goal_id} {goal_names.get(goal_id, '')}".strip()
        )
        parts.append(Html(f"<p><strong>{html_escape(label)}</strong></p>"))
        parts.append(paragraph(text))
    return join_html(*parts) if parts else paragraph("Ingen kommentar för perioden.")


Spec = list[tuple[str, str, Formatter | None]]
"""(column, Swedish heading, formatter or None) for :func:`table`."""


def table(frame: pd.DataFrame, spec: Spec) -> Html:
    """Select, rename and format columns in one declared step."""
    shown = pd.DataFrame({heading: frame[column].tolist() for column, heading, _ in spec})
    return html_table(shown, {heading: fmt for _, heading, fmt in spec if fmt is not None})


def _one(v: Any) -> str:
    return "–" if v is None or v != v else format_number(v, 1)


def _two(v: Any) -> str:
    return "–" if v is None or v != v else format_number(v, 2)


def reach_table(frame: pd.DataFrame) -> Html:
    return table(
        frame,
        [
            ("year", "År", str),
            ("members_reached", "Kommuner nådda", format_int),
            ("members_reached_pct", "Andel nådda", _pct),
            ("activities", "Aktiviteter", format_int),
            ("participants", "Deltagare", format_int),
            ("participants_per_1000", "Deltagare per 1 000 inv.", _one),
        ],
    )


def settlement_table(frame: pd.DataFrame) -> Html:
    return table(
        frame.assign(settlement=frame["settlement"].map(SETTLEMENT_NAMES)),
        [
            ("year", "År", str),
            ("settlement", "Kommuntyp", None),
            ("municipalities", "Kommuner", format_int),
            ("reached", "Nådda", format_int),
            ("reach_events_per_municipality", "Aktivitetstillfällen per kommun", _one),
            ("participants", "Deltagare", format_int),
            ("participants_per_1000", "Deltagare per 1 000 inv.", _one),
        ],
    )


def settlement_chart(frame: pd.DataFrame) -> ReportFigure:
    """Participants per 1 000 inhabitants per year, glesbygd against tätort."""
    from foui_analysis.presentation.charts import new_figure, report_figure

    fig = new_figure(7.0, 3.4)
    ax = fig.add_subplot()
    years = sorted(frame["year"].unique())
    for offset, (kind, colour) in zip(
        (-0.2, 0.2), (("glesbygd", "#b4543a"), ("tatort", "#3a6ea5")), strict=True
    ):
        part = frame[frame["settlement"] == kind].set_index("year").reindex(years)
        ax.bar(
            [y + offset for y in years],
            part["participants_per_1000"],
            width=0.4,
            color=colour,
            label=SETTLEMENT_NAMES[kind],
        )
    ax.set_xticks(years, [str(y) for y in years])
    ax.set_ylabel("Deltagare per 1 000 invånare")
    ax.legend(frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    rural = frame[frame["settlement"] == "glesbygd"]["participants_per_1000"]
    urban = frame[frame["settlement"] == "tatort"]["participants_per_1000"]
    alt = (
        f"Stapeldiagram per år {years[0]}–{years[-1]}: deltagare per 1 000 invånare i "
        f"glesbygdskommuner ({', '.join(format_number(v, 1) for v in rural)}) och "
        f"tätortskommuner ({', '.join(format_number(v, 1) for v in urban)})."
    )
    return report_figure(fig, alt=alt, caption="Räckvidd i glesbygd och tätort")


def settlement_split_table(frame: pd.DataFrame) -> Html:
    """Participants per 1 000 inhabitants in glesbygd and tätort under each split."""
    names = {"population": "Efter folkmängd", "equal": "Lika per kommun"}
    ahead = {"glesbygd": "Glesbygd", "tatort": "Tätort", "lika": "Lika"}
    return table(
        frame.assign(
            split=frame["split"].map(names),
            higher=frame["higher"].map(lambda h: ahead.get(h, "–")),
        ),
        [
            ("split", "Uppskattat deltagande fördelat", None),
            ("rural_per_1000", "Glesbygd, deltagare per 1 000 inv.", _one),
            ("urban_per_1000", "Tätort, deltagare per 1 000 inv.", _one),
            ("higher", "Högst", None),
        ],
    )


def settlement_conclusion_text(conclusion: Mapping[str, Any]) -> str:
    """The rural/urban conclusion in words: the classification, how much is estimated, the
    figures under both splits and whether the conclusion holds under both."""
    group = {"glesbygd": "glesbygdskommunerna", "tatort": "tätortskommunerna"}
    classification = f"Indelningen i glesbygd och tätort: {conclusion['classification']}."
    figures = (
        f"glesbygd {_one(conclusion['rural_per_1000'])} och tätort "
        f"{_one(conclusion['urban_per_1000'])} deltagare per 1 000 invånare"
    )
    higher = conclusion["higher"]
    if not conclusion["estimated"]:
        return (
            "Deltagarnas hemkommun är känd för alla deltagare (anmälningslistor eller "
            f"aktiviteter i en kommun): {figures}. {classification}"
        )
    lead = (
        f"Deltagandet är uppskattat: för {format_pct(conclusion['estimated_pct'], 0)} av "
        "deltagarna (aktiviteter med flera kommuner utan anmälningslista) är hemkommunen okänd."
    )
    under = (
        f"Fördelat efter folkmängd blir det {figures}; fördelat lika per kommun glesbygd "
        f"{_one(conclusion['rural_per_1000_equal'])} och tätort "
        f"{_one(conclusion['urban_per_1000_equal'])}."
    )
    if higher in group and conclusion["holds"]:
        verdict = (
            f"Slutsatsen att {group[higher]} når fler per invånare håller under båda "
            "fördelningarna."
        )
    elif higher in group:
        verdict = (
            f"Slutsatsen att {group[higher]} når fler per invånare håller inte under båda "
            "fördelningarna: underlaget räcker inte för att säga om glesbygd eller tätort nås "
            "bäst. Anmälningslistor med deltagarnas hemkommun skulle avgöra det."
        )
    else:
        verdict = "Glesbygd och tätort når lika många per invånare efter folkmängd."
    return f"{lead} {under} {verdict} {classification}"


def fairness_table(frame: pd.DataFrame) -> Html:
    return table(
        frame.assign(settlement=frame["settlement"].map(SETTLEMENT_NAMES)),
        [
            ("municipality", "Kommun", None),
            ("settlement", "Typ", None),
            ("fees_sek", "Avgifter", format_sek),
            ("fee_share_pct", "Andel av avgifterna", _pct),
            ("participants", "Deltagare", format_int),
            ("participation_share_pct", "Andel av deltagandet", _pct),
            ("difference_pct_points", "Skillnad (procentenheter)", _one),
        ],
    )


def _ratio(value: Any) -> str:
    return "–" if value is None or value != value else format_number(value, 2)


FUNDING_WORDS = {
    "skola": "skolavgiften (4 kr per invånare, faktureras)",
    "overgripande": "ramen för övergripande (5 kr per invånare, faktureras inte)",
    "socialtjanst": "FoU socialtjänsts del av medlemsavgiften",
}


def fairness_area_table(frame: pd.DataFrame) -> Html:
    """One area: each member's share of the area's funding against its share of the area's
    participation, the ratio, and the members far below 1 marked in words."""
    area = frame["area"].iloc[0] if len(frame) else ""
    money = "Avgift (kr)" if frame["invoiced"].all() else "Ram (kr)"
    return html_table(
        pd.DataFrame(
            {
                "Kommun": frame["municipality"],
                "Typ": frame["settlement"].map(SETTLEMENT_NAMES),
                money: frame["fees_sek"],
                "Andel av finansieringen": frame["fee_share_pct"],
                "Deltagartillfällen": frame["participants"],
                "Andel av deltagandet": frame["participation_share_pct"],
                "Kvot deltagande/finansiering": frame["participation_to_fee_ratio"],
                "Markering": frame["far_below"].map(
                    lambda f: Cell(Html('<span class="foui-flag">långt under</span>')) if f else ""
                ),
            }
        ),
        {
            money: format_sek,
            "Andel av finansieringen": _pct,
            "Deltagartillfällen": format_int,
            "Andel av deltagandet": _pct,
            "Kvot deltagande/finansiering": _ratio,
        },
        caption=(
            f"{LINE_NAMES.get(area, area)}: deltagande mot "
            f"{FUNDING_WORDS.get(area, 'finansiering')}"
        ),
    )


def fairness_area_tables(frame: pd.DataFrame) -> Html:
    """:func:`fairness_area_table` for every area in ``frame``, in its order."""
    from foui_analysis.presentation.components import join_html

    return join_html(*[fairness_area_table(part) for _, part in frame.groupby("area", sort=False)])


def far_below_text(frame: pd.DataFrame, threshold: object) -> str:
    """The members far below 1 in an area, named with their ratio, or that there are none."""
    area = frame["area"].iloc[0]
    funding = FUNDING_WORDS.get(area, "finansieringen")
    low = frame[frame["far_below"]].sort_values("participation_to_fee_ratio")
    limit = format_number(Decimal(str(threshold)), 1)
    if low.empty:
        return (
            f"{LINE_NAMES.get(area, area)}: ingen kommun har en deltagarandel under {limit} av "
            f"sin andel av {funding}."
        )
    names = [
        f"{m} ({_ratio(r)})"
        for m, r in zip(low["municipality"], low["participation_to_fee_ratio"], strict=True)
    ]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} och {names[-1]}"
    return (
        f"{LINE_NAMES.get(area, area)}: {listed} har en andel av deltagandet som är under "
        f"{limit} av deras andel av {funding} (kvoten deltagande/finansiering inom parentes)."
    )


def fairness_chart(frame: pd.DataFrame) -> ReportFigure:
    """Each municipality's share of fees against its share of participation."""
    from foui_analysis.presentation.charts import new_figure, report_figure

    fig = new_figure(6.0, 4.6)
    ax = fig.add_subplot()
    colours = frame["settlement"].map({"glesbygd": "#b4543a", "tatort": "#3a6ea5"})
    ax.scatter(frame["fee_share_pct"], frame["participation_share_pct"], c=colours)
    top = float(max(frame["fee_share_pct"].max(), frame["participation_share_pct"].max())) * 1.1
    ax.plot([0, top], [0, top], color="#888", linewidth=0.8, linestyle="--")
    for _, row in frame.iterrows():
        ax.annotate(
            row["municipality"],
            (row["fee_share_pct"], row["participation_share_pct"]),
            fontsize=7,
            xytext=(3, 2),
            textcoords="offset points",
        )
    ax.set_xlabel("Andel av avgifterna (%)")
    ax.set_ylabel("Andel av deltagandet (%)")
    ax.spines[["top", "right"]].set_visible(False)
    below = frame[frame["participation_share_pct"] < frame["fee_share_pct"]]["municipality"]
    alt = (
        f"Punktdiagram: varje kommuns andel av avgifterna mot dess andel av deltagandet. "
        f"Under diagonalen, alltså mindre deltagande än avgiftsandel: {', '.join(below)}."
    )
    return report_figure(fig, alt=alt, caption="Avgiftsandel och deltagarandel per kommun")


def efficiency_table(frame: pd.DataFrame) -> Html:
    return table(
        frame.assign(area=frame["area"].map(_area)),
        [
            ("year", "År", str),
            ("area", "Område", None),
            ("cost_sek", "Kostnader", format_sek),
            ("activities", "Aktiviteter (antal)", format_int),
            ("participants", "Deltagartillfällen (ej personer)", format_int),
            ("cost_per_activity_sek", "Kostnad per aktivitet", format_sek),
            ("cost_per_participant_sek", "Kostnad per deltagartillfälle", format_sek),
        ],
    )


def finances_table(frame: pd.DataFrame) -> Html:
    """Per year: revenue, costs, the real result, the use of equity and the result after it."""
    return table(
        frame,
        [
            ("year", "År", str),
            ("revenue_outcome_sek", "Intäkter", format_sek),
            ("cost_budget_sek", "Kostnader budget", format_sek),
            ("cost_outcome_sek", "Kostnader utfall", format_sek),
            ("result_outcome_sek", "Resultat", format_sek),
            ("equity_used_outcome_sek", "Ianspråktaget eget kapital", format_sek),
            ("result_after_equity_outcome_sek", "Resultat efter eget kapital", format_sek),
            ("closing_equity_outcome_sek", "Utgående eget kapital", format_sek),
        ],
    )


def equity_plan_table(frame: pd.DataFrame) -> Html:
    """Planned against actual use of equity per year, and closing equity in both."""
    return table(
        frame,
        [
            ("year", "År", str),
            ("equity_used_budget_sek", "Ianspråktaget eget kapital, plan", format_sek),
            ("equity_used_outcome_sek", "Ianspråktaget eget kapital, utfall (behovet)", format_sek),
            ("closing_equity_budget_sek", "Utgående eget kapital, plan", format_sek),
            ("closing_equity_outcome_sek", "Utgående eget kapital, utfall", format_sek),
        ],
    )


def revenue_source_table(frame: pd.DataFrame) -> Html:
    return table(
        frame.assign(funding_source=frame["funding_source"].map(FUNDING_SOURCES)),
        [
            ("year", "År", str),
            ("funding_source", "Finansiering", None),
            ("budget_sek", "Budget", format_sek),
            ("outcome_sek", "Utfall", format_sek),
            ("deviation_sek", "Avvikelse", format_sek),
        ],
    )


def _interval(mean: Any, low: Any, high: Any) -> str:
    """A mean with its 95 % interval: ``3,43 (3,31–3,55)``; the mean alone without one."""
    if mean is None or mean != mean:
        return "–"
    if low is None or high is None or low != low or high != high:
        return format_number(mean, 2)
    return f"{format_number(mean, 2)} ({format_number(low, 2)}–{format_number(high, 2)})"


def survey_table(frame: pd.DataFrame) -> Html:
    """Survey means with their 95 % intervals, the respondents and the response rate."""
    shown = pd.DataFrame(
        {
            "År": frame["year"].astype(str),
            "Grupp": frame["group"].map(lambda g: SETTLEMENT_NAMES.get(g, g)),
            "Svarande (n)": frame["respondents"],
            "Svarsfrekvens": [
                "okänd" if v is None or v != v else format_pct(v, 0)
                for v in frame["response_rate_pct"]
            ],
        }
    )
    for measure, heading in (
        ("relevance", "Relevans"),
        ("quality", "Kvalitet"),
        ("usefulness", "Nytta"),
    ):
        shown[f"{heading} (1-5), 95 % intervall"] = [
            _interval(m, lo, hi)
            for m, lo, hi in zip(
                frame[f"{measure}_mean"],
                frame[f"{measure}_low"],
                frame[f"{measure}_high"],
                strict=True,
            )
        ]
    return html_table(shown, {"Svarande (n)": format_int})


SURVEY_MEASURE_NAMES = {"relevance": "Relevans", "quality": "Kvalitet", "usefulness": "Nytta"}
CHANGE_WORDS = {
    "högre": "högre",
    "lägre": "lägre",
    "osäker": "ingen säker förändring",
    "saknas": "kan inte bedömas",
}


def survey_changes_table(frame: pd.DataFrame) -> Html:
    """Year-on-year changes of the survey means, called a change only where the 95 %
    intervals do not overlap."""
    return table(
        frame.assign(
            group=frame["group"].map(lambda g: SETTLEMENT_NAMES.get(g, g)),
            measure=frame["measure"].map(SURVEY_MEASURE_NAMES),
            years=[f"{a}–{b}" for a, b in zip(frame["year_before"], frame["year"], strict=True)],
            change=frame["change"].map(CHANGE_WORDS),
        ),
        [
            ("group", "Grupp", None),
            ("measure", "Mått", None),
            ("years", "År", None),
            ("mean_before", "Medel före", _two),
            ("mean", "Medel efter", _two),
            ("change", "Förändring", None),
        ],
    )


def survey_changes_text(frame: pd.DataFrame) -> str:
    """The changes for all members in a sentence: what changed, and how many differences the
    intervals do not support."""
    everyone = frame[frame["group"] == "alla"]
    if everyone.empty:
        return "Perioden har bara ett enkätår, så ingen förändring mellan år kan bedömas."
    called = everyone[everyone["change"].isin(["högre", "lägre"])]
    parts = [
        f"{SURVEY_MEASURE_NAMES[m].lower()} {c} {b} än {a}"
        for m, c, a, b in zip(
            called["measure"], called["change"], called["year_before"], called["year"], strict=True
        )
    ]
    uncertain = int((everyone["change"] == "osäker").sum())
    if parts:
        lead = "För alla medlemmar är " + (
            parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} och {parts[-1]}"
        )
        lead += " (intervallen överlappar inte)."
    else:
        lead = "För alla medlemmar skiljer sig inget medelvärde säkert från året före."
    if uncertain == 1:
        rest = "1 annan skillnad mellan åren ryms inom osäkerheten och kallas inte förändring."
    else:
        rest = (
            f"{uncertain} andra skillnader mellan åren ryms inom osäkerheten och kallas inte "
            "förändringar."
        )
    return f"{lead} {rest}"


def collaboration_table(frame: pd.DataFrame) -> Html:
    return table(
        frame,
        [
            ("year", "År", str),
            ("partner", "Lärosäte", None),
            ("activities", "Aktiviteter (antal)", format_int),
            ("participants", "Deltagartillfällen (ej personer)", format_int),
            ("projects_started", "Projekt startade", format_int),
            ("projects_running", "Projekt pågående", format_int),
            ("external_funding_started_sek", "Extern finansiering", format_sek),
        ],
    )


KIND_NAMES = {
    "seminarium": "Seminarium",
    "natverk": "Nätverksträff",
    "kurs_konferens": "Kurs/konferens",
    "fou_projekt": "FoU-projekt",
    "handledning": "Handledning",
    "utvarderingsstod": "Utvärderingsstöd",
    "behovsinventering": "Behovsinventering",
    "spridning": "Spridning",
}


def activity_list_table(frame: pd.DataFrame) -> Html:
    """The period's activities: date, area, kind, title (as text), reach and participants."""
    return table(
        frame.assign(
            area=frame["area"].map(_area), kind=frame["kind"].map(lambda k: KIND_NAMES.get(k, k))
        ),
        [
            ("date", "Datum", lambda d: d.isoformat()),
            ("area", "Område", None),
            ("kind", "Typ", None),
            ("title", "Rubrik", None),
            ("municipalities_reached", "Kommuner", format_int),
            ("participants", "Deltagare", format_int),
            ("partner", "Lärosäte", None),
            ("task", "Uppdrag", lambda t: f"U{t}"),
        ],
    )
