"""The rules of the agreement and the methods, in Swedish sentences for the reports.

Method
------
A report never writes a rule value (a rate, a year, a threshold) as text in its notebook: the
sentence comes from here, filled in from the agreement the report was given and from the
library's own parameters (the goal thresholds, the fee-key comparison's base share). A report
made with another agreement then says what that agreement says, and a test
(``tests/reports/test_options_reach_reports.py``) checks that no notebook hard-codes such values.

Known limits: only the rules the reports state are covered; the sentences are plain text (no
markup) for :func:`~foui_analysis.presentation.components.paragraph` or a summary point.
"""

from __future__ import annotations

from decimal import Decimal

from foui_analysis.analyses.evaluation import INTERVAL_PCT
from foui_analysis.analyses.goals import ACHIEVED_FROM_PCT, PARTIAL_FROM_PCT
from foui_analysis.domain.agreement import Agreement
from foui_analysis.domain.fees import BASE_SHARE
from foui_analysis.periods import MONTHS_SV, window_of
from foui_analysis.presentation.formats import format_number, format_pct, format_sek


def _kronor(value: Decimal | int) -> str:
    """A rate in kronor: whole kronor without decimals, otherwise with öre (``4,50``)."""
    value = Decimal(value)
    return format_number(value, 0 if value == value.to_integral_value() else 2)


def rate_text(agreement: Agreement, component_id: str, year: int | None = None) -> str:
    """``"4 kr per invånare"``: a component's rate in ``year``; without a year the agreement's
    rate with its schedule (``"4 kr per invånare, från 2017 4,50 kr"``)."""
    component = agreement.component(component_id)
    rate = component.rate_for(year) if year is not None else component.rate_sek_per_inhabitant
    if rate is None:
        return "ingen avgift per invånare"
    text = f"{_kronor(rate)} kr per invånare"
    if year is None and component.rate_schedule:
        changes = ", ".join(
            f"från {from_year} {_kronor(value)} kr"
            for from_year, value in sorted(component.rate_schedule.items())
        )
        text = f"{text}, {changes}"
    return text


def _basis_day(agreement: Agreement) -> str:
    """The population series' date in words: ``den 31 december``, ``den 1 november``."""
    month, day = agreement.basis_reference_date
    return f"den {day} {MONTHS_SV[month - 1]}"


def population_basis(agreement: Agreement) -> str:
    """Which population a fee year is based on: ``population_basis`` of the agreement (a lag in
    years or a fixed year, and the date of the population series)."""
    day = _basis_day(agreement)
    if agreement.basis_fixed_year is not None:
        when = f"{day} {agreement.basis_fixed_year} för varje avgiftsår"
    elif agreement.lag_years == 0:
        when = f"{day} samma år som avgiftsåret"
    elif agreement.lag_years == 1:
        when = f"{day} året före avgiftsåret"
    else:
        words = {2: "två", 3: "tre", 4: "fyra", 5: "fem"}
        lag = agreement.lag_years
        when = f"{day} {words.get(lag, format_number(lag))} år före avgiftsåret"
    return f"Varje kommuns invånare {when}, gånger avgiften per invånare."


def key_comparison(base_share: Decimal = BASE_SHARE) -> str:
    """What the fee-key comparison shows, with the base share it uses."""
    share = format_pct(Decimal(base_share) * 100, 0)
    return (
        "Samma total för FoUI skola fördelad på tre sätt: per invånare (avtalet), lika delar, och "
        f"ett grundbelopp ({share} av totalen i lika delar) plus resten per invånare."
    )


def frame_goal(agreement: Agreement) -> str:
    """The proposal's goal for FoUI övergripande, with the agreement's year and rate."""
    return (
        "Förslagets mål: från "
        f"{agreement.overgripande_within_frame_from} ska övergripande finansieras inom förbundets "
        f"ram, {rate_text(agreement, 'overgripande')}."
    )


def goal_thresholds(
    achieved_from_pct: float = ACHIEVED_FROM_PCT, partial_from_pct: float = PARTIAL_FROM_PCT
) -> str:
    """When a goal counts as uppnått and delvis uppnått."""
    return (
        f"Uppnått från {format_pct(achieved_from_pct, 0)} av målvärdet, delvis uppnått från "
        f"{format_pct(partial_from_pct, 0)}."
    )


def funding_rates(agreement: Agreement) -> str:
    """What finances each area per inhabitant, from the agreement's components."""
    parts = [
        f"{c.name}: {'avgiften' if c.invoiced else 'ramen'} {rate_text(agreement, c.id)}"
        for c in agreement.components
        if c.rate_sek_per_inhabitant is not None
    ]
    return "Enligt avtalet: " + "; ".join(parts) + "."


def survey_interval(level_pct: float = INTERVAL_PCT) -> str:
    """The confidence level of the survey's intervals."""
    return f"Osäkerhetsintervallen är {format_pct(level_pct, 0)}-intervall."


def deviation_rule(agreement: Agreement) -> str:
    """When a budget line's deviation is marked: ``"mer än 10 % och mer än 10 000 kr"``."""
    policy = agreement.followup
    return (
        f"mer än {format_pct(policy.deviation_threshold_pct, 0)} och mer än "
        f"{format_sek(policy.deviation_threshold_sek)}"
    )


def evaluation_window(years) -> str:
    """The evaluation's window in words: ``2014–2016``, or ``januari 2015–november 2017`` when
    the last year ends at a month end (:class:`foui_analysis.periods.Window`)."""
    span = window_of(years)
    if not span.is_partial:
        whole = f"{span.first_year}\u2013{span.last_year}"
        return whole if span.first_year != span.last_year else str(span.first_year)
    return f"januari {span.first_year}\u2013{MONTHS_SV[span.last_months - 1]} {span.last_year}"


def last_year_words(years) -> str:
    """The last year in words: ``2017``, or ``januari–november 2017`` when it ends at a month
    end."""
    span = window_of(years)
    if not span.is_partial:
        return str(span.last_year)
    month = MONTHS_SV[span.last_months - 1]
    months = month if span.last_months == 1 else f"januari\u2013{month}"
    return f"{months} {span.last_year}"


def window_end_words(years) -> str:
    """When the window ends, for "eget kapital ...": ``vid utgången av 2016``, or ``den 30
    november 2017``."""
    span = window_of(years)
    if not span.is_partial:
        return f"vid utgången av {span.last_year}"
    return f"den {span.end.day} {MONTHS_SV[span.last_months - 1]} {span.last_year}"


def _fraction(months: int) -> str:
    return f"{months}/12"


def partial_year(years) -> str:
    """The plain statement that the last year is not whole ("" when it is)."""
    span = window_of(years)
    if not span.is_partial:
        return ""
    month = MONTHS_SV[span.last_months - 1]
    months = month if span.last_months == 1 else f"januari\u2013{month}"
    return (
        f"Det sista året, {span.last_year}, är inte helt: utvärderingen omfattar bara {months} "
        f"{span.last_year}, till och med den {span.end.day} {month}. Siffrorna för "
        f"{span.last_year} gäller bara de månaderna, inte hela året."
    )


def partial_year_methods(years) -> str:
    """How a last year that ends at a month end is measured: the declared rule
    (:mod:`foui_analysis.analyses.evaluation`), in words ("" for whole years)."""
    span = window_of(years)
    if not span.is_partial:
        return ""
    year, share = span.last_year, _fraction(span.last_months)
    month = MONTHS_SV[span.last_months - 1]
    months = month if span.last_months == 1 else f"januari\u2013{month}"
    return (
        f"Så räknas det ofullständiga året {year}: aktiviteter, deltagare, räckvidd, kostnader "
        f"och intäkter räknas till och med den {span.end.day} {month}. Indikatorer som räknas "
        f"från årets början jämförs med {share} av helårsmålet (samma regel som i uppföljningarna, "
        "så utvärderingen och uppföljningen till och med samma månad bedömer samma siffror lika; "
        "antagandet är att verksamheten sprids jämnt över året, vilket den inte gör helt: lite "
        "händer i juli och december). Indikatorer över de senaste tolv "
        f"månaderna och vid periodens slut jämförs med hela målet. Budgeten för {year} är "
        f"budgeten för {months} enligt budgetradernas månadsprofiler, och ramen för FoUI "
        f"övergripande och kommunernas avgifter i jämförelsen av avgift och deltagande räknas "
        f"som {share} av årets belopp. Deltagare per 1 000 invånare för hela perioden räknas per "
        f"invånarår ({year} väger {share}); värdet för {year} ensamt gäller bara {months} och "
        "kan inte jämföras med ett helt år. Medlemsenkäten görs på hösten och räknas från "
        f"december, så enkäten {year} ingår inte; enkätindikatorerna visar enkäten "
        f"{year - 1}. Balanskravet gäller helår: {year} bedöms inte här som i eller ur balans, "
        "men eget kapital visas som det var vid månadens slut."
    )


def partial_year_survey(years) -> str:
    """Why a partial last year has no survey in the survey section ("" for whole years)."""
    span = window_of(years)
    if not span.is_partial:
        return ""
    return (
        f"Enkäten {span.last_year} ingår inte: medlemsenkäten görs på hösten och räknas från "
        f"december, och utvärderingen slutar den {span.end.day} "
        f"{MONTHS_SV[span.last_months - 1]} {span.last_year}."
    )
