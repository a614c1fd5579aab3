"""Views: the library's tables as the reader sees them, with Swedish headings and formats.

A view takes a tidy frame from the domain or the analyses and returns :class:`Html` (an escaped
table or a chart with alt text). Views never compute a figure: they select, order, rename and
format; sums shown in a total row are the library's sums, passed in or taken with ``sum`` of an
exact integer column, which is what the reconciliation checks.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
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
    format_count,
    format_date,
    format_int,
    format_number,
    format_pct,
    format_pct_points,
    format_sek,
    swedish_sort_key,
)
from foui_analysis.presentation.headings import FEE_HEADINGS

if TYPE_CHECKING:
    from foui_analysis.presentation.charts import ReportFigure

TOTAL_LABEL = "Summa"

_RANGE = re.compile(
    r"(?<=\d)-(?=\d)|(?<=[a-zåäö])-(?=(?:januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december)\b)"
)
"""A hyphen between two numbers or two month names: a range, written with an en dash."""


def _by_name(frame: pd.DataFrame, column: str = "municipality") -> pd.DataFrame:
    """Rows in Swedish alphabetical order of ``column`` (å, ä, ö last)."""
    return frame.sort_values(column, key=lambda c: c.map(swedish_sort_key), kind="stable")


def _signed_sek(value: Any) -> str:
    return "–" if value is None or value != value else format_sek(value, signed=True)


def _signed_int(value: Any) -> str:
    return "–" if value is None or value != value else format_number(value, 0, signed=True)


def _signed_pct(value: Any) -> str:
    return "–" if value is None or value != value else format_pct(value, signed=True)


def _captioned(caption: str, frame: pd.DataFrame, formatters=None, **options) -> Html:
    """:func:`html_table` with a caption; a frame that ends in a total row gets it as total."""
    last = frame.iloc[-1, 0] if len(frame) else None
    options.setdefault("total_rows", 1 if last == TOTAL_LABEL else 0)
    return html_table(frame, formatters, caption=caption, **options)


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


def fee_overview(
    table: pd.DataFrame,
    component_names: Mapping[str, str],
    caption: str = "Avgift per kommun och komponent",
) -> Html:
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
    wide = _with_total(_by_name(wide), "municipality", ["population", *components])
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
    return _captioned(
        caption, shown.rename(columns=headings), {headings[k]: v for k, v in formatters.items()}
    )


def fee_rows(
    table: pd.DataFrame,
    component_names: Mapping[str, str],
    caption: str = "Avgifter per kommun och komponent",
) -> Html:
    """The fee table of the CSV contract, one row per municipality and component, in Swedish."""
    shown = table.assign(
        component=table["component"].map(component_names),
        funding_source=table["funding_source"].map(FUNDING_SOURCES),
    ).rename(columns=FEE_HEADINGS)
    h = FEE_HEADINGS
    if h["invoiced"] in shown:
        shown[h["invoiced"]] = shown[h["invoiced"]].map(lambda v: "ja" if v else "nej")
    return _captioned(
        caption,
        shown,
        {
            h["basis_date"]: format_date,
            h["population"]: format_int,
            h["rate_sek_per_inhabitant"]: _rate,
            h["fee_sek"]: format_sek,
            h["municipality_code"]: str,
        },
    )


def fee_totals(
    totals: pd.DataFrame,
    component_names: Mapping[str, str],
    invoiced: Mapping[str, bool],
    caption: str = "Summa per komponent",
) -> Html:
    """Per component: funding source, whether invoiced, inhabitants and total."""
    h = FEE_HEADINGS
    shown = pd.DataFrame(
        {
            h["component"]: totals["component"].map(component_names),
            h["funding_source"]: totals["funding_source"].map(FUNDING_SOURCES),
            h["invoiced"]: totals["component"].map(lambda c: "ja" if invoiced.get(c) else "nej"),
            h["population"]: totals["population"],
            h["fee_sek"]: totals["fee_sek"],
        }
    )
    return _captioned(caption, shown, {h["population"]: format_int, h["fee_sek"]: format_sek})


def key_comparison(
    compare: pd.DataFrame, caption: str = "Tre fördelningsnycklar för FoUI skola"
) -> Html:
    """Alternative keys side by side, with each key's difference against per inhabitant."""
    frame = _with_total(
        _by_name(compare.drop(columns=["municipality_code"])),
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
        "per_inhabitant_sek": "Per invånare, kr",
        "equal_sek": "Lika delar, kr",
        "base_plus_per_inhabitant_sek": "Grundbelopp + per invånare, kr",
        "equal_diff_sek": "Skillnad lika delar, kr",
        "base_diff_sek": "Skillnad grundbelopp, kr",
    }
    shown = frame.rename(columns=headings)
    money = [h for k, h in headings.items() if k.endswith("_sek") and "diff" not in k]
    diffs = ["Skillnad lika delar, kr", "Skillnad grundbelopp, kr"]
    return _captioned(
        caption,
        shown,
        {
            "Invånare": format_int,
            **dict.fromkeys(money, format_int),
            **dict.fromkeys(diffs, _signed_int),
        },
    )


def member_scenario_table(scenario: pd.DataFrame, caption: str = "Avgifter i scenariot") -> Html:
    frame = _with_total(
        _by_name(scenario.drop(columns=["municipality_code"])),
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
    return _captioned(
        caption,
        shown,
        {
            "Invånare": format_int,
            "Avgift enligt avtalet": format_sek,
            "Avgift i scenariot": format_sek,
            "Avgift om totalen ska behållas": format_sek,
        },
    )


def results_table(
    results: pd.DataFrame, caption: str = "Intäkter, kostnader och resultat per år och område"
) -> Html:
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
    return _captioned(
        caption,
        shown,
        {"År": str, "Intäkter": format_sek, "Kostnader": format_sek, "Resultat": format_sek},
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


def equity_table(equity: pd.DataFrame, caption: str = "Eget kapital per år") -> Html:
    """The equity statement per year (:func:`foui_analysis.domain.budget.equity`)."""
    return table(
        equity,
        [
            (column, heading, str if column == "year" else format_sek)
            for column, heading in EQUITY_HEADINGS.items()
        ],
        caption,
    )


EQUITY_SCOPE_NAMES = {
    "hittills": "Utfall hittills i år",
    "prognos": "Prognos för helåret",
    "budget": "Budget för året",
}


def equity_statement_table(
    frame: pd.DataFrame,
    budget_word: str = "Budget",
    caption: str = "Resultat och eget kapital: utfall, prognos och budget",
) -> Html:
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
        caption,
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


def frame_goal_table(
    goal: pd.DataFrame, caption: str = "FoUI övergripande mot ramen per år"
) -> Html:
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
    return _captioned(
        caption,
        shown,
        {"År": str, "Ram (5 kr/inv.)": format_sek, "Kostnader": format_sek, "Marginal": format_sek},
    )


def staff_table(staff: pd.DataFrame, caption: str = "Personal och lönekostnader") -> Html:
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
    return _captioned(
        caption,
        shown,
        {
            "År": str,
            "Tjänstgöringsgrad": lambda v: format_pct(Decimal(v) * 100, 0),
            "Månadslön": format_sek,
            "PO-pålägg": lambda v: format_pct(v, 2),
            "Årskostnad": format_sek,
        },
    )


def assumptions_table(assumptions: pd.DataFrame, caption: str = "Antaganden utan källa") -> Html:
    """The assumptions register as the reports show it: one block per assumption.

    A list, not a table: the texts are long, and as blocks they fit a phone and an A4 page
    without anything cut off. Which setting each assumption governs (``governs``) is for the
    analysts (in the data file); the reader sees what it affects (``impact``). Ranges in the
    text get an en dash.
    """
    fields = [
        ("value", "Värde"),
        ("why", "Varför"),
        ("quality", "Kvalitet"),
        ("impact", "Påverkan"),
    ]

    def text(value: object) -> str:
        return _RANGE.sub("\u2013", str(value))

    items = []
    for _, row in assumptions.iterrows():
        details = Html("").join(
            Html("<dt>{}</dt><dd>{}</dd>").format(label, text(row[key])) for key, label in fields
        )
        items.append(
            Html('<li><p class="foui-assumption">{}</p><dl>{}</dl></li>').format(
                text(row["what"]), details
            )
        )
    return Html('<section class="foui-assumptions" aria-label="{}"><ul>{}</ul></section>').format(
        caption, Html("").join(items)
    )


PARTICIPATION_SCALE = 12.0
"""Participants per 1 000 inhabitants: the axis of every follow-up and evaluation runs to 12
(the example data's highest year-to-date figure is 11,4), so the charts compare across
reports; data beyond it widen the axis in steps of 4."""

FEE_KEY_SCALE = (-250.0, 75.0)
"""Thousand kronor: the axis of the fee reports' key comparison (example data −235 to +60)."""

SHARE_SCALE = 35.0
"""Percent: both axes of the fairness chart (the largest share in the example data is 31 %)."""


def key_comparison_chart(compare: pd.DataFrame) -> ReportFigure:
    """Bar chart: what each municipality would pay more (+) or less (−) than per inhabitant."""
    from foui_analysis.presentation.charts import (
        SERIES_DARK,
        SERIES_LIGHT,
        label_bars,
        new_figure,
        nice_limit,
        report_figure,
        swedish_axis,
    )

    frame = compare.sort_values("population")
    fig = new_figure(7.0, 5.2)
    ax = fig.add_subplot()
    positions = list(range(len(frame)))
    equal = frame["equal_diff_sek"] / 1000
    base = frame["base_diff_sek"] / 1000
    bars_equal = ax.barh(
        [p - 0.2 for p in positions], equal, height=0.4, label="Lika delar", color=SERIES_DARK
    )
    bars_base = ax.barh(
        [p + 0.2 for p in positions],
        base,
        height=0.4,
        label="Grundbelopp + per invånare",
        color=SERIES_LIGHT,
        hatch="///",
        edgecolor="#7a5510",
        linewidth=0.4,
    )
    label_bars(ax, bars_equal, equal.round(0).tolist(), decimals=0, signed=True)
    label_bars(ax, bars_base, base.round(0).tolist(), decimals=0, signed=True)
    low = -nice_limit(-float(min(equal.min(), base.min())), -FEE_KEY_SCALE[0], 50)
    high = nice_limit(float(max(equal.max(), base.max())), FEE_KEY_SCALE[1], 25)
    ax.set_xlim(low - 40, high + 30)  # room for the value labels
    ax.set_yticks(positions, frame["municipality"])
    ax.axvline(0, color="#333", linewidth=0.8)
    ax.set_xlabel("Skillnad mot fördelning per invånare (tusen kr)")
    swedish_axis(ax, "x", decimals=0)
    fig.legend(frameon=False, loc="outside lower center", ncols=2)
    ax.spines[["top", "right"]].set_visible(False)
    gainers = frame.loc[frame["equal_diff_sek"].idxmin(), "municipality"]
    losers = frame.loc[frame["equal_diff_sek"].idxmax(), "municipality"]
    alt = (
        f"Liggande stapeldiagram per kommun. Med lika delar ökar avgiften mest för {losers} "
        f"({format_sek(int(frame['equal_diff_sek'].max()), signed=True)}) och minskar mest för "
        f"{gainers} ({format_sek(int(frame['equal_diff_sek'].min()), signed=True)}); med "
        f"grundbelopp blir skillnaderna mindre."
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
    return Cell(Html('<span class="{}">{} {}</span>').format(css, side, short))


def _deviation_cell(pct: object, flag: Cell | str) -> Cell:
    """The deviation in percent, signed, and the marking in words ("över budget") when the
    line is marked."""
    shown = Html.escape(_signed_pct(pct))
    if isinstance(flag, Cell):
        shown = Html("{} {}").format(shown, flag.html)
    return Cell(shown, numeric=True)


def _lines(frame: pd.DataFrame) -> list[str]:
    """Each line's name with its kind: ``Lokaler (kostnad)``, ``FoUI skola (intäkt)``."""
    return [
        f"{LINE_NAMES.get(line, line)} ({KIND_WORDS.get(kind, kind).lower()})"
        for line, kind in zip(frame["line"], frame["kind"], strict=True)
    ]


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


def budget_table(frame: pd.DataFrame, word: str = "budget", caption: str | None = None) -> Html:
    """Budget against outcome per area and line; lines beyond the thresholds marked in words,
    over and under apart, in the deviation's cell."""
    heading = budget_word_heading(word)
    shown = pd.DataFrame(
        {
            "Område": frame["area"].map(_area),
            "Post": _lines(frame),
            f"{heading}, kr": frame["budget_sek"],
            "Utfall, kr": frame["outcome_sek"],
            "Avvikelse, kr": frame["deviation_sek"],
            "Avvikelse %": [
                _deviation_cell(p, f)
                for p, f in zip(frame["deviation_pct"], _flags(frame, word), strict=True)
            ],
        }
    )
    return _captioned(
        caption or f"{heading} och utfall per rad",
        shown,
        {f"{heading}, kr": format_int, "Utfall, kr": format_int, "Avvikelse, kr": _signed_int},
    )


def result_table(frame: pd.DataFrame, word: str = "budget", caption: str | None = None) -> Html:
    """Revenue, costs and result per area, budget (or calculation) against outcome."""
    short = budget_word_heading(word).lower()
    shown = pd.DataFrame(
        {
            "Område": frame["area"].map(_area),
            f"Intäkter {short}, kr": frame["revenue_budget_sek"],
            "Intäkter utfall, kr": frame["revenue_outcome_sek"],
            f"Kostnader {short}, kr": frame["cost_budget_sek"],
            "Kostnader utfall, kr": frame["cost_outcome_sek"],
            f"Resultat {short}, kr": frame["result_budget_sek"],
            "Resultat utfall, kr": frame["result_outcome_sek"],
        }
    )
    return _captioned(
        caption or f"Resultat per område, {short} och utfall",
        shown,
        dict.fromkeys(list(shown.columns)[1:], format_int),
    )


def forecast_table(frame: pd.DataFrame, word: str = "budget", caption: str | None = None) -> Html:
    """The full-year forecast per line against the year's budget (or calculation)."""
    year_heading = f"{budget_word_heading(word)} helår, kr"
    shown = pd.DataFrame(
        {
            "Område": frame["area"].map(_area),
            "Post": _lines(frame),
            year_heading: frame["budget_year_sek"],
            "Utfall hittills, kr": frame["outcome_to_date_sek"],
            "Prognos helår, kr": frame["forecast_sek"],
            "Avvikelse, kr": frame["forecast_deviation_sek"],
            "Avvikelse %": [
                _deviation_cell(p, f)
                for p, f in zip(frame["forecast_deviation_pct"], _flags(frame, word), strict=True)
            ],
        }
    )
    money = [year_heading, "Utfall hittills, kr", "Prognos helår, kr"]
    return _captioned(
        caption or "Prognos för helåret per rad",
        shown,
        {**dict.fromkeys(money, format_int), "Avvikelse, kr": _signed_int},
    )


def activities_area_table(frame: pd.DataFrame, caption: str = "Aktiviteter per område") -> Html:
    shown = pd.DataFrame(
        {
            "Område": frame["area"].map(_area),
            "Aktiviteter": frame["activities"],
            "Deltagare": frame["participants"],
            "Arbetstimmar": frame["hours"],
        }
    )
    return _captioned(
        caption,
        shown,
        {
            "Aktiviteter": format_int,
            "Deltagare": format_int,
            "Arbetstimmar": lambda v: format_number(v, 1),
        },
    )


def activities_municipality_table(
    frame: pd.DataFrame, caption: str = "Aktiviteter och deltagare per kommun"
) -> Html:
    frame = _by_name(frame)
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
    return _captioned(
        caption,
        shown,
        {
            "Invånare": format_int,
            "Aktiviteter": format_int,
            "Deltagare": format_int,
            "Deltagare per 1 000 inv.": lambda v: format_number(v, 1),
        },
    )


def participation_chart(frame: pd.DataFrame, title: str) -> ReportFigure:
    """Participants per 1 000 inhabitants per municipality, glesbygd and tätort apart.

    The axis is the same in every report (:data:`PARTICIPATION_SCALE`); every bar carries its
    value, and a municipality with no participants shows a mark at zero and the label 0.
    """
    from matplotlib.patches import Patch

    from foui_analysis.presentation.charts import (
        SETTLEMENT_STYLE,
        label_bars,
        new_figure,
        nice_limit,
        report_figure,
        swedish_axis,
    )

    data = frame.sort_values(["participants_per_1000", "municipality"], key=_numbers_then_swedish)
    fig = new_figure(7.0, 4.6)
    ax = fig.add_subplot()
    styles = [SETTLEMENT_STYLE[s] for s in data["settlement"]]
    bars = ax.barh(
        data["municipality"],
        data["participants_per_1000"],
        color=[s["color"] for s in styles],
        hatch=None,
        edgecolor="#1d2430",
        linewidth=0.4,
    )
    for bar, style in zip(bars, styles, strict=True):
        bar.set_hatch(style["hatch"])
    values = [float(v) for v in data["participants_per_1000"]]
    label_bars(ax, bars, values, decimals=1)
    ax.set_xlim(0, nice_limit(max(values, default=0), PARTICIPATION_SCALE, 4) * 1.08)
    ax.set_xlabel("Deltagare per 1 000 invånare")
    swedish_axis(ax, "x")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(
        handles=[
            Patch(facecolor=s["color"], hatch=s["hatch"], edgecolor="#1d2430", label=s["label"])
            for s in SETTLEMENT_STYLE.values()
        ],
        frameon=False,
        loc="lower right",
    )
    top, bottom = data.iloc[-1], data.iloc[0]
    zero = [m for m, v in zip(data["municipality"], values, strict=True) if v == 0]
    alt = (
        f"Liggande stapeldiagram: deltagare per 1 000 invånare per kommun. Högst "
        f"{top['municipality']} ({format_number(top['participants_per_1000'], 1)}), lägst "
        f"{bottom['municipality']} ({format_number(bottom['participants_per_1000'], 1)})."
        + (f" Inga deltagare: {', '.join(sorted(zero, key=swedish_sort_key))}." if zero else "")
    )
    return report_figure(fig, alt=alt, caption=title)


def _numbers_then_swedish(column: pd.Series) -> pd.Series:
    """Sort key: numbers as they are, names in Swedish order."""
    if pd.api.types.is_numeric_dtype(column):
        return column
    return column.map(swedish_sort_key)


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


def _indicator_cell(name: str, window: str) -> Cell:
    """The indicator's name with the time it is measured over on a second line (not when the
    name already ends with it, as "Pågående projekt vid periodens slut" does)."""
    if name.rstrip(". ").endswith(window):
        return Cell(Html.escape(name))
    return Cell(Html('{}<span class="foui-note">{}</span>').format(name, window))


def indicator_table(
    frame: pd.DataFrame,
    with_trend: bool = True,
    caption: str = "Indikatorer mot målvärden",
    year: int | str | None = None,
) -> Html:
    """Indicators: the goals each measures, value against target, attainment, status in words
    and colour, trend.

    With ``year`` (an evaluation's table of one year) "hittills i år" reads "under <year>".
    """
    windows = frame["window"].astype(str)
    if year is not None:
        windows = windows.replace({"hittills i år": f"under {year}"})
    shown = pd.DataFrame(
        {
            "Indikator": [
                _indicator_cell(n, w) for n, w in zip(frame["indicator"], windows, strict=True)
            ],
            "Mål": frame["goals"],
            "Värde": [_value(r, "value") for _, r in frame.iterrows()],
            "Målvärde": [_value(r, "target") for _, r in frame.iterrows()],
            "Andel av målvärdet": _attainment(frame),
            "Status": frame["status"].map(status_cell),
        }
    )
    if with_trend and "trend" in frame:
        shown["Trend"] = frame["trend"].map(TREND_WORDS)
    return _captioned(caption, shown, {"Andel av målvärdet": _shown_pct})


def goal_table(frame: pd.DataFrame, caption: str = "Måluppfyllelse per mål") -> Html:
    """Goal attainment per purpose, task and motto word."""
    types = {"syfte": "Syfte", "uppdrag": "Uppdrag", "ledord": "Ledord"}
    shown = pd.DataFrame(
        {
            "Id": frame["goal_id"],
            "Typ": frame["goal_type"].map(types),
            "Mål": frame["goal"],
            "Andel av målvärdet": _attainment(frame),
            "Status": frame["status"].map(status_cell),
        }
    )
    return _captioned(caption, shown, {"Andel av målvärdet": _shown_pct})


def year_labels(frame: pd.DataFrame, years, column: str = "year") -> pd.DataFrame:
    """``frame`` with its years as text for a table, a last year that ends at a month end
    named with its months (``2017 (januari–november)``); whole years unchanged."""
    from foui_analysis.periods import window_of
    from foui_analysis.presentation.rules import last_year_words

    span = window_of(years)
    if not span.is_partial:
        return frame
    label = f"{span.last_year} ({last_year_words(span).removesuffix(f' {span.last_year}')})"
    return frame.assign(
        **{column: [label if y == span.last_year else str(y) for y in frame[column]]}
    )


def goal_matrix(frame: pd.DataFrame, caption: str = "Måluppfyllelse per mål och år") -> Html:
    """Goals as rows, years as columns, each cell the status badge (evaluation)."""
    wide = frame.pivot(index=["goal_id", "goal"], columns="year", values="status")
    order = list(dict.fromkeys(frame["goal_id"]))
    wide = wide.reindex(order, level=0).reset_index()
    wide.columns = ["Id", "Mål", *[str(c) for c in wide.columns[2:]]]
    for column in wide.columns[2:]:
        wide[column] = wide[column].map(status_cell)
    return _captioned(caption, wide)


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
    """A change of a key figure: signed, and in procentenheter when the figure is a percentage."""
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    if unit == "kr":
        return format_sek(int(value), signed=True)
    if unit == "%":
        return format_pct_points(value)
    if isinstance(value, float) and not value.is_integer():
        return format_number(value, 1, signed=True)
    return format_number(value, 0, signed=True)


def changes_table(
    frame: pd.DataFrame,
    previous_label: str,
    caption: str = "Nyckeltal jämförda med samma period förra året",
) -> Html:
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
    return _captioned(caption, shown)


def forecast_changes_table(
    frame: pd.DataFrame,
    previous_label: str,
    caption: str = "Helårsprognosen nu och i förra uppföljningen",
) -> Html:
    """The full-year forecast now against the previous follow-up's forecast."""
    shown = pd.DataFrame(
        {
            "Helår": frame["label"],
            f"Prognos i uppföljningen för {previous_label}": [
                _figure(v, "kr") for v in frame["previous"]
            ],
            "Prognos nu": [_figure(v, "kr") for v in frame["current"]],
            "Förändring": [_change(v, "kr") for v in frame["change"]],
        }
    )
    return _captioned(caption, shown)


def restatements_table(frame: pd.DataFrame, caption: str = "Rättade nyckeltal") -> Html:
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
    return _captioned(caption, shown)


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
        parts.append(Html('<p class="foui-comment-label"><strong>{}</strong></p>').format(label))
        parts.append(paragraph(text))
    return join_html(*parts) if parts else paragraph("Ingen kommentar för perioden.")


def board_comment(
    frame: pd.DataFrame, goal_names: Mapping[str, str], title: str = "FoUI-chefens kommentar"
) -> Html:
    """The FoUI chief's comment as a block of the board's first page (see :func:`commentary`)."""
    return Html(
        '<section class="foui-comment" aria-label="{title}">'
        '<p class="foui-summary-title">{title}</p>{comment}</section>'
    ).format(title=title, comment=commentary(frame, goal_names))


ATTENTION_MAX = 4
"""Page one names at most this many budget lines and as many indicators; the rest are counted."""


def attention_box(
    budget_lines: pd.DataFrame | None = None,
    indicators: pd.DataFrame | None = None,
    word: str = "budget",
    title: str = "Att uppmärksamma",
) -> Html:
    """The few deviations the board should see on page one, in words.

    Budget lines the analysis marked (``flagged``), named by area and line with their
    deviation and whether it is over or under the budget (``direction``; "kalkyl" when
    ``word`` says the year has only the agreement's calculation), and indicators whose status
    is "ej uppnått", with value against target. Rows are selected by the analyses' own
    columns; nothing is computed here.
    """
    items = []
    if budget_lines is not None:
        heading = budget_word_heading(word)
        flagged = budget_lines[budget_lines["flagged"].astype(bool)]
        # the largest deviations first; the rest are counted and left to the budget table
        flagged = flagged.loc[flagged["deviation_sek"].abs().sort_values(ascending=False).index]
        for _, row in flagged.head(ATTENTION_MAX).iterrows():
            line = LINE_NAMES.get(row["line"], row["line"])
            deviation = _signed_pct(row["deviation_pct"])
            side = {"over": "över", "under": "under"}.get(str(row.get("direction")))
            what = f"{deviation} {side} {heading.lower()}" if side else f"avviker {deviation}"
            items.append(
                f"{heading}, {_area(row['area']).lower()}: {line} {what} "
                f"({_signed_sek(int(row['deviation_sek']))})."
            )
        if len(flagged) > ATTENTION_MAX:
            items.append(
                f"Ytterligare "
                f"{format_count(len(flagged) - ATTENTION_MAX, 'budgetrad', 'budgetrader')} "
                f"avviker; se "
                f"tabellen {heading} och utfall per rad."
            )
    if indicators is not None:
        missed = indicators[indicators["status"].astype(str) == "ej uppnått"]
        for _, row in missed.head(ATTENTION_MAX).iterrows():
            items.append(
                f"Ej uppnått: {row['indicator']}, {_value(row, 'value')} "
                f"mot målvärdet {_value(row, 'target')}."
            )
        if len(missed) > ATTENTION_MAX:
            items.append(
                f"Ytterligare {len(missed) - ATTENTION_MAX} indikatorer är inte uppnådda; se "
                "Måluppfyllelse."
            )
    if not items:
        items.append(
            "Inga budgetrader över gränserna för avvikelse och inga indikatorer som inte är "
            "uppnådda."
        )
    listed = Html("").join(Html("<li>{}</li>").format(item) for item in items)
    return Html(
        '<section class="foui-attention" aria-label="{title}">'
        '<p class="foui-summary-title">{title}</p><ul>{listed}</ul></section>'
    ).format(title=title, listed=listed)


Spec = list[tuple[str, str, Formatter | None]]
"""(column, Swedish heading, formatter or None) for :func:`table`."""


def table(frame: pd.DataFrame, spec: Spec, caption: str | None = None) -> Html:
    """Select, rename and format columns in one declared step."""
    shown = pd.DataFrame({heading: frame[column].tolist() for column, heading, _ in spec})
    return html_table(
        shown, {heading: fmt for _, heading, fmt in spec if fmt is not None}, caption=caption
    )


def _signed_one(v: Any) -> str:
    return "–" if v is None or v != v else format_number(v, 1, signed=True)


def _one(v: Any) -> str:
    return "–" if v is None or v != v else format_number(v, 1)


def _two(v: Any) -> str:
    return "–" if v is None or v != v else format_number(v, 2)


def reach_table(frame: pd.DataFrame, caption: str = "Räckvidd per år") -> Html:
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
        caption,
    )


def settlement_table(
    frame: pd.DataFrame, caption: str = "Räckvidd i glesbygd och tätort per år"
) -> Html:
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
        caption,
    )


def settlement_chart(frame: pd.DataFrame, window=None) -> ReportFigure:
    """Participants per 1 000 inhabitants per year, glesbygd against tätort; with ``window``, a
    last year that ends at a month end is labelled with its months."""
    from foui_analysis.presentation.charts import (
        SETTLEMENT_STYLE,
        label_bars,
        new_figure,
        nice_limit,
        report_figure,
        swedish_axis,
    )

    fig = new_figure(7.0, 3.6)
    ax = fig.add_subplot()
    years = sorted(frame["year"].unique())
    largest = 0.0
    for offset, kind in zip((-0.2, 0.2), ("glesbygd", "tatort"), strict=True):
        style = SETTLEMENT_STYLE[kind]
        part = frame[frame["settlement"] == kind].set_index("year").reindex(years)
        values = [0.0 if v != v else float(v) for v in part["participants_per_1000"]]
        largest = max([largest, *values])
        bars = ax.bar(
            [y + offset for y in years],
            values,
            width=0.4,
            color=style["color"],
            hatch=style["hatch"],
            edgecolor="#1d2430",
            linewidth=0.4,
            label=SETTLEMENT_NAMES[kind],
        )
        label_bars(ax, bars, values, decimals=1)
    ax.set_ylim(0, nice_limit(largest, PARTICIPATION_SCALE, 4) * 1.1)
    labels = [str(y) for y in years]
    if window is not None:
        labelled = year_labels(pd.DataFrame({"year": years}), window)["year"]
        labels = [str(label).replace(" (", "\n(") for label in labelled]
    ax.set_xticks(years, labels)
    ax.set_ylabel("Deltagare per 1 000 invånare")
    swedish_axis(ax, "y")
    ax.legend(frameon=False, loc="upper left", ncols=2)
    ax.spines[["top", "right"]].set_visible(False)
    rural = frame[frame["settlement"] == "glesbygd"]["participants_per_1000"]
    urban = frame[frame["settlement"] == "tatort"]["participants_per_1000"]
    alt = (
        f"Stapeldiagram per år {years[0]}–{years[-1]}: deltagare per 1 000 invånare i "
        f"glesbygdskommuner ({', '.join(format_number(v, 1) for v in rural)}) och "
        f"tätortskommuner ({', '.join(format_number(v, 1) for v in urban)})."
    )
    return report_figure(fig, alt=alt, caption="Räckvidd i glesbygd och tätort")


def settlement_split_table(
    frame: pd.DataFrame, caption: str = "Glesbygd och tätort under båda fördelningarna"
) -> Html:
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
        caption,
    )


def settlement_conclusion_text(conclusion: Mapping[str, Any], brief: bool = False) -> str:
    """The rural/urban conclusion in words: the classification, how much is estimated, the
    figures under both splits and whether the conclusion holds under both.

    ``brief`` gives the summary's sentence for page one: the figures and whether the conclusion
    holds, without the method and the classification (the section on rural and urban
    municipalities states them in full).
    """
    group = {"glesbygd": "glesbygdskommunerna", "tatort": "tätortskommunerna"}
    if brief:
        return _settlement_brief(conclusion, group)
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


def _settlement_brief(conclusion: Mapping[str, Any], group: Mapping[str, str]) -> str:
    figures = (
        f"glesbygd {_one(conclusion['rural_per_1000'])} och tätort "
        f"{_one(conclusion['urban_per_1000'])} deltagare per 1 000 invånare"
    )
    higher = conclusion["higher"]
    if not conclusion["estimated"]:
        return f"Glesbygd och tätort: {figures} (hemkommunen är känd för alla deltagare)."
    unknown = format_pct(conclusion["estimated_pct"], 0)
    lead = f"Glesbygd och tätort, uppskattat efter folkmängd: {figures}."
    if higher in group and conclusion["holds"]:
        return (
            f"{lead} Att {group[higher]} når fler per invånare håller även om de {unknown} av "
            "deltagarna vars hemkommun är okänd fördelas lika per kommun."
        )
    if higher in group:
        return (
            f"{lead} Hemkommunen är okänd för {unknown} av deltagarna; fördelas de lika per "
            f"kommun håller inte slutsatsen att {group[higher]} når fler, så underlaget räcker "
            "inte för att säga om glesbygd eller tätort nås bäst."
        )
    return f"{lead} Glesbygd och tätort når lika många per invånare."


def fairness_table(
    frame: pd.DataFrame, caption: str = "Avgiftsandel och deltagarandel per kommun"
) -> Html:
    return table(
        _by_name(frame).assign(settlement=lambda f: f["settlement"].map(SETTLEMENT_NAMES)),
        [
            ("municipality", "Kommun", None),
            ("settlement", "Typ", None),
            ("fees_sek", "Avgifter", format_sek),
            ("fee_share_pct", "Andel av avgifterna", _pct),
            ("participants", "Deltagare", format_int),
            ("participation_share_pct", "Andel av deltagandet", _pct),
            ("difference_pct_points", "Skillnad, procentenheter", _signed_one),
        ],
        caption,
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
    frame = _by_name(frame)
    return html_table(
        pd.DataFrame(
            {
                "Kommun": frame["municipality"],
                money: frame["fees_sek"],
                "Andel av finansieringen": frame["fee_share_pct"],
                "Deltagartillfällen": frame["participants"],
                "Andel av deltagandet": frame["participation_share_pct"],
                # the ratio, and "långt under" in words under it when the member is far below
                "Kvot deltagande/finansiering": [
                    Cell(
                        Html.escape(_ratio(r))
                        + (Html(' <span class="foui-flag">långt under</span>') if f else ""),
                        numeric=True,
                    )
                    for r, f in zip(
                        frame["participation_to_fee_ratio"], frame["far_below"], strict=True
                    )
                ],
            }
        ),
        {
            money: format_int,
            "Andel av finansieringen": _pct,
            "Deltagartillfällen": format_int,
            "Andel av deltagandet": _pct,
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
    """Each municipality's share of fees against its share of participation.

    Glesbygd and tätort differ in marker shape and lightness and have a legend; names are
    placed where they overlap nothing (:func:`~foui_analysis.presentation.charts.place_labels`),
    and the caption lists the municipalities whose name found no free place.
    """
    from matplotlib.lines import Line2D

    from foui_analysis.presentation.charts import (
        SETTLEMENT_STYLE,
        new_figure,
        nice_limit,
        place_labels,
        report_figure,
        swedish_axis,
    )

    fig = new_figure(6.4, 5.4)
    ax = fig.add_subplot()
    for kind, style in SETTLEMENT_STYLE.items():
        part = frame[frame["settlement"] == kind]
        ax.scatter(
            part["fee_share_pct"],
            part["participation_share_pct"],
            color=style["color"],
            marker=style["marker"],
            edgecolors="#1d2430",
            linewidths=0.6,
            s=36,
            zorder=3,
            clip_on=False,
        )
    largest = float(max(frame["fee_share_pct"].max(), frame["participation_share_pct"].max()))
    top = nice_limit(largest, SHARE_SCALE, 5)
    ax.plot([0, top], [0, top], color="#5a6472", linewidth=0.8, linestyle="--")
    ax.set_xlim(0, top)
    ax.set_ylim(0, top)
    ax.set_aspect("equal")
    ax.set_xlabel("Andel av avgifterna (%)")
    ax.set_ylabel("Andel av deltagandet (%)")
    swedish_axis(ax)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(
        handles=[
            *[
                Line2D(
                    [],
                    [],
                    linestyle="",
                    marker=s["marker"],
                    color=s["color"],
                    markeredgecolor="#1d2430",
                    label=s["label"],
                )
                for s in SETTLEMENT_STYLE.values()
            ],
            Line2D([], [], color="#5a6472", linestyle="--", label="Lika stor andel"),
        ],
        frameon=False,
        loc="upper left",
    )
    points = [
        (m, float(f), float(p), float(f) + float(p))
        for m, f, p in zip(
            frame["municipality"],
            frame["fee_share_pct"],
            frame["participation_share_pct"],
            strict=True,
        )
    ]
    left_out = place_labels(ax, points)
    below = _by_name(frame[frame["participation_share_pct"] < frame["fee_share_pct"]])
    alt = (
        f"Punktdiagram: varje kommuns andel av avgifterna mot dess andel av deltagandet. "
        f"Under diagonalen, alltså mindre deltagande än avgiftsandel: "
        f"{', '.join(below['municipality'])}."
    )
    caption = "Avgiftsandel och deltagarandel per kommun"
    if left_out:
        names = ", ".join(sorted(left_out, key=swedish_sort_key))
        caption += f". Utan namn i diagrammet (för tätt): {names}; se tabellen"
    return report_figure(fig, alt=alt, caption=caption)


def efficiency_table(
    frame: pd.DataFrame, caption: str = "Kostnad per aktivitet och deltagare"
) -> Html:
    return table(
        frame.assign(area=frame["area"].map(_area)),
        [
            ("year", "År", str),
            ("area", "Område", None),
            ("cost_sek", "Kostnader, kr", format_int),
            ("activities", "Aktiviteter (antal)", format_int),
            ("participants", "Deltagartillfällen (ej personer)", format_int),
            ("cost_per_activity_sek", "Kostnad per aktivitet, kr", format_int),
            ("cost_per_participant_sek", "Kostnad per deltagartillfälle, kr", format_int),
        ],
        caption,
    )


def finances_table(frame: pd.DataFrame, caption: str = "Ekonomi per år") -> Html:
    """Per year: revenue, costs, the real result, the use of equity and the result after it."""
    return table(
        frame,
        [
            ("year", "År", str),
            ("revenue_outcome_sek", "Intäkter, kr", format_int),
            ("cost_budget_sek", "Kostnader budget, kr", format_int),
            ("cost_outcome_sek", "Kostnader utfall, kr", format_int),
            ("result_outcome_sek", "Resultat, kr", format_int),
            ("equity_used_outcome_sek", "Ianspråktaget eget kapital, kr", format_int),
            ("result_after_equity_outcome_sek", "Resultat efter eget kapital, kr", format_int),
            ("closing_equity_outcome_sek", "Utgående eget kapital, kr", format_int),
        ],
        caption,
    )


def equity_plan_table(
    frame: pd.DataFrame, caption: str = "Eget kapital: plan och utfall per år"
) -> Html:
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
        caption,
    )


def revenue_source_table(
    frame: pd.DataFrame, caption: str = "Intäkter per finansieringskälla"
) -> Html:
    return table(
        frame.assign(funding_source=frame["funding_source"].map(FUNDING_SOURCES)),
        [
            ("year", "År", str),
            ("funding_source", "Finansiering", None),
            ("budget_sek", "Budget", format_sek),
            ("outcome_sek", "Utfall", format_sek),
            ("deviation_sek", "Avvikelse", _signed_sek),
        ],
        caption,
    )


def _interval(mean: Any, low: Any, high: Any) -> str:
    """A mean with its 95 % interval: ``3,43 (3,31–3,55)``; the mean alone without one."""
    if mean is None or mean != mean:
        return "–"
    if low is None or high is None or low != low or high != high:
        return format_number(mean, 2)
    return f"{format_number(mean, 2)} ({format_number(low, 2)}–{format_number(high, 2)})"


def survey_table(frame: pd.DataFrame, caption: str = "Medlemsenkäten per år och grupp") -> Html:
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
        shown[f"{heading} (1\u20135), 95 % intervall"] = [
            _interval(m, lo, hi)
            for m, lo, hi in zip(
                frame[f"{measure}_mean"],
                frame[f"{measure}_low"],
                frame[f"{measure}_high"],
                strict=True,
            )
        ]
    return _captioned(caption, shown, {"Svarande (n)": format_int})


SURVEY_MEASURE_NAMES = {"relevance": "Relevans", "quality": "Kvalitet", "usefulness": "Nytta"}
CHANGE_WORDS = {
    "högre": "högre",
    "lägre": "lägre",
    "osäker": "ingen säker förändring",
    "saknas": "kan inte bedömas",
}


def survey_changes_table(
    frame: pd.DataFrame, caption: str = "Förändringar i medlemsenkäten mellan åren"
) -> Html:
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
        caption,
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


def collaboration_table(
    frame: pd.DataFrame, caption: str = "Samverkan med lärosäten per år"
) -> Html:
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
        caption,
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


def _activity_cell(kind: str, title: str, partner: object) -> Cell:
    """Title, with the kind of activity and the university (if any) on a second line."""
    note = KIND_NAMES.get(kind, kind)
    if isinstance(partner, str) and partner.strip():
        note += f", med {partner.strip()}"
    return Cell(Html('{}<span class="foui-note">{}</span>').format(title, note))


def activity_list_table(frame: pd.DataFrame, caption: str = "Periodens aktiviteter") -> Html:
    """The period's activities: date, area, kind, title (as text), reach and participants."""
    activity = [
        _activity_cell(k, t, p)
        for k, t, p in zip(frame["kind"], frame["title"], frame["partner"], strict=True)
    ]
    return table(
        frame.assign(area=frame["area"].map(_area), activity=activity),
        [
            ("date", "Datum", lambda d: d.isoformat()),
            ("area", "Område", None),
            ("activity", "Aktivitet", None),
            ("municipalities_reached", "Kommuner", format_int),
            ("participants", "Deltagare", format_int),
            ("task", "Uppdrag", lambda t: f"U{t}"),
        ],
        caption,
    )
