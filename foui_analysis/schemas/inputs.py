"""Declarations of the user inputs in a data directory (``--data DIR``).

Each input is a table file named after it (``activities.csv``, or ``.xlsx``/``.txt``/``.tsv``).
Every column is declared once here; the data dictionary (``docs/datadictionary.md``) is generated
from these declarations by :func:`write_data_dictionary`.

The inputs
----------
* ``activities`` (required): what the unit did, one row per activity (docs/design.md).
* ``projects``: R&D projects run with a university, one row per project.
* ``ledger`` (required): the outcome (utfall) as exported from the finance system, one row per
  booking. Cost lines are the budget's lines; revenue lines are the agreement's components.
* ``budget``: the budget the board adopted, per year, area and line, with the decision it was
  adopted by. A year with rows here has exactly that budget (a line without a row has none); a
  year without rows is compared with the agreement's projection
  (:func:`foui_analysis.domain.budget.budget`), which the reports call a calculation ("kalkyl
  enligt avtalet"), never a budget.
* ``budget_profiles``: how a budget line is spread over the months (weights January-December,
  e.g. rent paid quarterly, little travel in July); a line without a row is spread in twelfths.
  A half-year's or year-to-date budget is the sum of its months.
* ``survey``: the annual member survey, mean scores 1-5 per year, municipality and role.
* ``goals`` (required) and ``targets`` (required): the goal framework. ``goals`` links each goal
  of the seed (purposes P1-P4, tasks U1-U6, the motto words) to the indicators that measure it;
  one indicator may measure several goals. Each indicator declares how it is judged: its
  direction, its kind (antal, andel, takt, skala with minimum and maximum) and, where the
  distance from the target decides, a tolerance. ``targets`` holds one target per indicator and
  year.
* ``commentary``: the FoUI chief's text per period and goal, shown in the reports.
* ``participation``: participants per activity and home municipality, as a sign-up list gives
  them. Where an activity has rows here, its participants are counted where they come from;
  where not, an activity that reached several municipalities has its participants estimated by
  a split (:func:`foui_analysis.domain.inputs.activity_reach`). The rows of an activity add up
  to its participants and name only municipalities it reached (checked across tables).

Rules beyond one column
-----------------------
Rules that need several columns, or the agreement (its members and years), are
``Table.row_checks``: each returns :class:`~foui_analysis.errors.Problem` s naming file, row and
column. :func:`input_tables` binds the checks to an agreement's members and years; without an
agreement (``INPUT_TABLES``) only the checks that need no context run. Rules across tables (a
target for an indicator that no goal uses) are checked by :mod:`foui_analysis.domain.inputs`.

Known limits: a ledger booking carries no funding source; it is derived from the line and the
agreement's funding rule for the year (skola: fee, övergripande: equity or the association's frame,
socialtjänst: member fee).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from foui_analysis.errors import InputError, Problem
from foui_analysis.periods import MONTHS_SV
from foui_analysis.schemas import Col, Table, data_dictionary
from foui_analysis.schemas.reference import REFERENCE_TABLES

AREA_VALUES = ("socialtjanst", "skola", "overgripande")
"""The three areas (verksamhetsområden) of the seed."""

ACTIVITY_KINDS = (
    "seminarium",
    "natverk",
    "kurs_konferens",
    "fou_projekt",
    "handledning",
    "utvarderingsstod",
    "behovsinventering",
    "spridning",
)
"""Kinds of activity; the task column (1-6) says which task of the seed an activity serves."""

COST_LINES = (
    "personal",
    "lokaler",
    "administration",
    "kompetensutveckling",
    "resor",
    "foui_projekt",
)
"""Cost lines of the budget (``domain/budget.py``): staff and the agreement's operating lines."""

REVENUE_LINES = ("skola", "overgripande", "socialtjanst")
"""Revenue lines: the agreement's funding components."""

LEDGER_KINDS = ("intakt", "kostnad")
PROJECT_STATUSES = ("planerat", "pagaende", "avslutat")
SURVEY_ROLES = ("politiker", "chef", "medarbetare")
GOAL_IDS = (
    "P1",
    "P2",
    "P3",
    "P4",
    "U1",
    "U2",
    "U3",
    "U4",
    "U5",
    "U6",
    "M-synliggora",
    "M-mojliggora",
    "M-nyttiggora",
)
"""The seed's purposes (P), tasks (U, uppdrag 1-6) and motto words (M, ledord)."""

GOAL_TYPES = ("syfte", "uppdrag", "ledord")
DIRECTIONS = ("hogre", "lagre")
INDICATOR_KINDS = ("antal", "andel", "takt", "skala")
"""What an indicator is: a count (antal), a share in percent (andel), a rate such as
participants per 1 000 inhabitants (takt) or a mean on a scale (skala, with its minimum and
maximum); ``analyses/goals.py`` states how attainment is measured for each."""
INDICATOR_IDS = (
    "seminarier",
    "projekt_startade",
    "projekt_pagaende",
    "spridning_aktiviteter",
    "spridning_deltagare",
    "stod_timmar",
    "implementering_aktiviteter",
    "behovsinventeringar",
    "behov_kommuner_pct",
    "kommuner_aktiva_pct",
    "samverkan_aktiviteter",
    "glesbygd_ej_nadda",
    "deltagare_per_1000",
    "nytta_medel",
    "kvalitet_medel",
    "relevans_medel",
)
"""Indicators the library computes (``analyses/goals.py``); goals.csv may only name these."""

PERIOD_PATTERN = r"^(\d{4}H[12]|\d{4}-(0[1-9]|1[0-2])|\d{4}-\d{4}(-(0[1-9]|1[0-2]))?)$"
MUNICIPALITIES_PATTERN = r"^(alla|25\d\d(\|25\d\d)*)$"

RowCheck = Callable[[pd.DataFrame, str], list[Problem]]


@dataclass(frozen=True)
class Context:
    """What the row checks know of the agreement: its members and its years."""

    members: tuple[str, ...] = ()
    first_year: int | None = None
    last_year: int | None = None

    def in_period(self, year: int) -> bool:
        if self.first_year is None or self.last_year is None:
            return True
        return self.first_year <= year <= self.last_year

    def period_words(self) -> str:
        return f"{self.first_year}-{self.last_year}"


def _rows(frame: pd.DataFrame) -> Iterator[dict]:
    """The rows of ``frame`` as dicts, one at a time (a large table is never a list of dicts)."""
    columns = list(frame.columns)
    for values in zip(*(frame.iloc[:, i] for i in range(len(columns))), strict=True):
        yield dict(zip(columns, values, strict=True))


def split_codes(cell: str) -> list[str]:
    """The codes of a ``municipalities`` cell; ``alla`` gives an empty list."""
    return [] if cell == "alla" else cell.split("|")


def _check_codes(column: str, ctx: Context) -> RowCheck:
    """Codes in a ``a|b`` list appear once each and (with an agreement) are members."""

    def check(frame: pd.DataFrame, file: str) -> list[Problem]:
        problems = []
        for row in _rows(frame):
            cell = row.get(column)
            if not isinstance(cell, str):
                continue
            codes = split_codes(cell)
            if len(set(codes)) != len(codes):
                problems.append(
                    Problem(file, row["_row"], column, "samma kommunkod förekommer flera gånger")
                )
            strangers = [c for c in codes if ctx.members and c not in ctx.members]
            if strangers:
                problems.append(
                    Problem(
                        file,
                        row["_row"],
                        column,
                        f"kommunkod {', '.join(strangers)} är inte medlem i avtalet",
                    )
                )
        return problems

    return check


def _check_member(column: str, ctx: Context) -> RowCheck:
    def check(frame: pd.DataFrame, file: str) -> list[Problem]:
        if not ctx.members:
            return []
        return [
            Problem(file, row["_row"], column, f"kommunkod {row[column]} är inte medlem i avtalet")
            for row in _rows(frame)
            if row.get(column) is not None and row[column] not in ctx.members
        ]

    return check


def _check_date_in_period(column: str, ctx: Context) -> RowCheck:
    def check(frame: pd.DataFrame, file: str) -> list[Problem]:
        return [
            Problem(
                file,
                row["_row"],
                column,
                f"datumet {row[column]} ligger utanför avtalsperioden {ctx.period_words()}",
            )
            for row in _rows(frame)
            if row.get(column) is not None and not ctx.in_period(row[column].year)
        ]

    return check


def _check_date_near_period(column: str, ctx: Context) -> RowCheck:
    """A project may start before or end after the agreement, but not by more than the
    agreement's own length (a typing error such as 1999 or 2099)."""

    def check(frame: pd.DataFrame, file: str) -> list[Problem]:
        if ctx.first_year is None or ctx.last_year is None:
            return []  # only used with a bound context (input_tables)
        span = ctx.last_year - ctx.first_year + 1
        first, last = ctx.first_year - span, ctx.last_year + span
        return [
            Problem(
                file,
                row["_row"],
                column,
                f"datumet {row[column]} ligger mer än {span} år utanför avtalsperioden "
                f"{ctx.period_words()} (tillåtet {first}-{last}); kontrollera årtalet",
            )
            for row in _rows(frame)
            if row.get(column) is not None and not first <= row[column].year <= last
        ]

    return check


def _check_year_in_period(column: str, ctx: Context) -> RowCheck:
    def check(frame: pd.DataFrame, file: str) -> list[Problem]:
        return [
            Problem(
                file,
                row["_row"],
                column,
                f"året {row[column]} ligger utanför avtalsperioden {ctx.period_words()}",
            )
            for row in _rows(frame)
            if row.get(column) is not None and not ctx.in_period(int(row[column]))
        ]

    return check


def _check_line_kind(frame: pd.DataFrame, file: str) -> list[Problem]:
    """Cost lines are costs (kostnad) and revenue lines revenue (intakt)."""
    problems = []
    for row in _rows(frame):
        line, kind = row.get("line"), row.get("kind")
        if line in COST_LINES and kind != "kostnad":
            problems.append(
                Problem(
                    file,
                    row["_row"],
                    "kind",
                    f"raden '{line}' är en kostnad; väntade kostnad, fick '{kind}'",
                )
            )
        if line in REVENUE_LINES and kind != "intakt":
            problems.append(
                Problem(
                    file,
                    row["_row"],
                    "kind",
                    f"raden '{line}' är en intäkt; väntade intakt, fick '{kind}'",
                )
            )
        if line in REVENUE_LINES and row.get("area") not in (None, line):
            problems.append(
                Problem(
                    file,
                    row["_row"],
                    "area",
                    f"intäkten '{line}' hör till området '{line}', fick '{row.get('area')}'",
                )
            )
    return problems


def _check_project_dates(frame: pd.DataFrame, file: str) -> list[Problem]:
    """An end date is not before the start; a finished project has an end date."""
    problems = []
    for row in _rows(frame):
        start, end = row.get("start_date"), row.get("end_date")
        if start is not None and end is not None and end < start:
            problems.append(
                Problem(
                    file, row["_row"], "end_date", f"slutdatum {end} ligger före startdatum {start}"
                )
            )
        if row.get("status") == "avslutat" and end is None:
            problems.append(
                Problem(file, row["_row"], "end_date", "ett avslutat projekt behöver ett slutdatum")
            )
    return problems


def _check_goal_type(frame: pd.DataFrame, file: str) -> list[Problem]:
    """P* goals are purposes (syfte), U* tasks (uppdrag), M-* motto words (ledord)."""
    expected = {"P": "syfte", "U": "uppdrag", "M": "ledord"}
    return [
        Problem(
            file,
            row["_row"],
            "goal_type",
            f"målet {row['goal_id']} är av typen {expected[row['goal_id'][0]]}, fick "
            f"'{row['goal_type']}'",
        )
        for row in _rows(frame)
        if row.get("goal_id") in GOAL_IDS
        and row.get("goal_type") in GOAL_TYPES
        and expected[row["goal_id"][0]] != row["goal_type"]
    ]


RULE_COLUMNS = ("indicator", "unit", "direction", "kind", "scale_min", "scale_max", "tolerance")
"""What describes an indicator in goals.csv; the same on every row of the indicator."""


def _check_indicator_consistent(frame: pd.DataFrame, file: str) -> list[Problem]:
    """An indicator used by several goals is described the same way on every row."""
    problems: list[Problem] = []
    seen: dict[Any, tuple[Any, ...]] = {}
    for row in _rows(frame):
        described = tuple(row.get(c) for c in RULE_COLUMNS)
        first = seen.setdefault(row.get("indicator_id"), described)
        if first != described:
            problems.append(
                Problem(
                    file,
                    row["_row"],
                    "indicator_id",
                    f"indikatorn {row['indicator_id']} beskrivs olika på olika "
                    "rader (namn, enhet, riktning, slag, skala eller tolerans)",
                )
            )
    return problems


def _check_indicator_rule(frame: pd.DataFrame, file: str) -> list[Problem]:
    """A scale has a minimum below its maximum; lower-is-better has a tolerance above 0."""
    problems = []
    for row in _rows(frame):
        low, high = row.get("scale_min"), row.get("scale_max")
        if row.get("kind") == "skala":
            for column, value in (("scale_min", low), ("scale_max", high)):
                if value is None:
                    problems.append(
                        Problem(
                            file, row["_row"], column, "en skala behöver lägsta och högsta värde"
                        )
                    )
            if low is not None and high is not None and not low < high:
                problems.append(
                    Problem(
                        file,
                        row["_row"],
                        "scale_max",
                        f"skalans högsta värde ({high}) måste vara större än det lägsta ({low})",
                    )
                )
        elif low is not None or high is not None:
            problems.append(
                Problem(
                    file,
                    row["_row"],
                    "kind",
                    "skalans lägsta och högsta värde anges bara när slaget är skala",
                )
            )
        tolerance = row.get("tolerance")
        if row.get("direction") == "lagre" and (tolerance is None or tolerance <= 0):
            problems.append(
                Problem(
                    file,
                    row["_row"],
                    "tolerance",
                    "när lägre är bättre behövs en tolerans större än 0 (hur långt över "
                    "målvärdet måluppfyllelsen når 0 %)",
                )
            )
    return problems


def _check_asked(frame: pd.DataFrame, file: str) -> list[Problem]:
    """Fewer people asked than answered is a mistake in the survey export."""
    return [
        Problem(
            file,
            row["_row"],
            "asked",
            f"färre tillfrågade ({row['asked']}) än svarande ({row['respondents']})",
        )
        for row in _rows(frame)
        if row.get("asked") is not None
        and row.get("respondents") is not None
        and row["asked"] < row["respondents"]
    ]


def _check_period(frame: pd.DataFrame, file: str) -> list[Problem]:
    problems = []
    for row in _rows(frame):
        period = row.get("period") or ""
        match = re.match(r"^(\d{4})-(\d{4})(-\d{2})?$", period)
        if match and int(match.group(1)) > int(match.group(2)):
            problems.append(
                Problem(
                    file, row["_row"], "period", f"första året ligger efter sista året i '{period}'"
                )
            )
    return problems


def _check_period_years(ctx: Context) -> RowCheck:
    def check(frame: pd.DataFrame, file: str) -> list[Problem]:
        problems = []
        for row in _rows(frame):
            years = [int(y) for y in re.findall(r"\d{4}", row.get("period") or "")]
            if any(not ctx.in_period(y) for y in years):
                problems.append(
                    Problem(
                        file,
                        row["_row"],
                        "period",
                        f"perioden {row['period']} ligger utanför "
                        f"avtalsperioden {ctx.period_words()}",
                    )
                )
        return problems

    return check


ACTIVITIES = Table(
    name="activities",
    sv="Aktiviteter: seminarier, nätverksträffar, kurser, projekt, stöd och spridning",
    en="Activities: seminars, network meetings, courses, projects, support and dissemination",
    columns={
        "activity_id": Col("text", "Aktivitetens id", "Activity id", pattern=r"^[A-Za-z0-9_-]+$"),
        "date": Col("date", "Datum (ÅÅÅÅ-MM-DD)", "Date (YYYY-MM-DD)"),
        "area": Col("text", "Verksamhetsområde", "Area", allowed=AREA_VALUES),
        "kind": Col("text", "Typ av aktivitet", "Kind of activity", allowed=ACTIVITY_KINDS),
        "title": Col("text", "Rubrik", "Title"),
        "municipalities": Col(
            "text",
            "Kommuner som nåtts: koder åtskilda med | eller 'alla'",
            "Municipalities reached: codes separated by | or 'alla'",
            pattern=MUNICIPALITIES_PATTERN,
        ),
        "participants": Col("int", "Antal deltagare", "Participants", unit="personer", ge=0),
        "partner": Col("text", "Samverkanspart (lärosäte)", "Partner (university)", required=False),
        "task": Col("int", "Uppdrag i förslaget (1-6)", "Task of the seed (1-6)", ge=1, le=6),
        "hours": Col("decimal", "Arbetstimmar", "Hours of work", unit="timmar", ge=0),
    },
    key=("activity_id",),
)

PROJECTS = Table(
    name="projects",
    sv="FoU-projekt i samverkan med akademin",
    en="R&D projects in collaboration with academia",
    columns={
        "project_id": Col("text", "Projektets id", "Project id", pattern=r"^[A-Za-z0-9_-]+$"),
        "title": Col("text", "Projektets namn", "Project title"),
        "area": Col("text", "Verksamhetsområde", "Area", allowed=AREA_VALUES),
        "partner": Col("text", "Lärosäte", "University partner"),
        "municipalities": Col(
            "text",
            "Deltagande kommuner: koder åtskilda med | eller 'alla'",
            "Participating municipalities: codes separated by | or 'alla'",
            pattern=MUNICIPALITIES_PATTERN,
        ),
        "start_date": Col("date", "Startdatum", "Start date"),
        "end_date": Col(
            "date", "Slutdatum (tomt om pågående)", "End date (empty while running)", required=False
        ),
        "status": Col("text", "Status", "Status", allowed=PROJECT_STATUSES),
        "external_funding_sek": Col(
            "money", "Extern finansiering", "External funding", unit="kr", ge=0
        ),
    },
    key=("project_id",),
)

LEDGER = Table(
    name="ledger",
    sv="Utfall: bokföring ur ekonomisystemet",
    en="Outcome: bookings exported from the finance system",
    columns={
        "date": Col("date", "Bokföringsdatum", "Booking date"),
        "area": Col("text", "Verksamhetsområde", "Area", allowed=AREA_VALUES),
        "line": Col(
            "text",
            "Budgetrad (kostnad) eller intäktskomponent",
            "Budget line (cost) or revenue component",
            allowed=(*COST_LINES, *REVENUE_LINES),
        ),
        "kind": Col("text", "Intäkt eller kostnad", "Revenue or cost", allowed=LEDGER_KINDS),
        "amount_sek": Col(
            "money",
            "Belopp (positivt; negativt vid rättelse)",
            "Amount (positive; negative for a correction)",
            unit="kr",
        ),
        "text": Col("text", "Verifikationstext", "Booking text", required=False),
    },
)

BUDGET = Table(
    name="budget",
    sv="Budget som styrelsen antagit, per år, område och rad (ett år utan rader jämförs med "
    "kalkylen enligt avtalet)",
    en="The budget the board adopted, per year, area and line (a year without rows is compared "
    "with the agreement's calculation)",
    columns={
        "year": Col("int", "Budgetår", "Budget year", unit="år", ge=2000, le=2100),
        "area": Col("text", "Verksamhetsområde", "Area", allowed=AREA_VALUES),
        "line": Col(
            "text",
            "Budgetrad eller intäktskomponent",
            "Budget line or revenue component",
            allowed=(*COST_LINES, *REVENUE_LINES),
        ),
        "kind": Col("text", "Intäkt eller kostnad", "Revenue or cost", allowed=LEDGER_KINDS),
        "amount_sek": Col(
            "money", "Budgeterat belopp för året", "Budgeted amount for the year", unit="kr", ge=0
        ),
        "decision": Col(
            "text",
            "Beslutet som antog budgeten (organ, datum, paragraf)",
            "The decision that adopted the budget (body, date, paragraph)",
            required=False,
        ),
    },
    key=("year", "area", "kind", "line"),
)

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
"""The month columns of ``budget_profiles``, January to December."""

BUDGET_PROFILES = Table(
    name="budget_profiles",
    sv="Hur en budgetrad fördelas över årets månader (vikter; rader som saknas: tolftedelar)",
    en="How a budget line is spread over the months (weights; lines not given: twelfths)",
    columns={
        "line": Col(
            "text",
            "Budgetrad eller intäktskomponent (alla områden och år)",
            "Budget line or revenue component (every area and year)",
            allowed=(*COST_LINES, *REVENUE_LINES),
        ),
        **{
            month: Col(
                "decimal",
                f"Vikt för {name} (andelen blir vikten delad med årets summa)",
                f"Weight of {english} (its share is the weight over the year's sum)",
                ge=0,
            )
            for month, name, english in zip(
                MONTHS,
                MONTHS_SV,
                (
                    "January",
                    "February",
                    "March",
                    "April",
                    "May",
                    "June",
                    "July",
                    "August",
                    "September",
                    "October",
                    "November",
                    "December",
                ),
                strict=True,
            )
        },
    },
    key=("line",),
)

SURVEY = Table(
    name="survey",
    sv="Medlemsenkät: medelbetyg 1-5 per år, kommun och roll",
    en="Member survey: mean scores 1-5 per year, municipality and role",
    columns={
        "year": Col("int", "Enkätår", "Survey year", unit="år", ge=2000, le=2100),
        "municipality_code": Col(
            "code", "Kommunkod (SCB)", "SCB municipality code", pattern=r"^25\d\d$"
        ),
        "role": Col("text", "De svarandes roll", "Respondents' role", allowed=SURVEY_ROLES),
        "respondents": Col("int", "Antal svarande", "Respondents", unit="personer", ge=1),
        "asked": Col(
            "int",
            "Antal tillfrågade (tomt om okänt); minst lika många som svarande",
            "People asked (empty when unknown); at least the respondents",
            unit="personer",
            required=False,
            ge=1,
        ),
        "relevance": Col(
            "decimal",
            "Relevans för verksamheten (medel)",
            "Relevance to the services (mean)",
            unit="skala 1-5",
            ge=1,
            le=5,
        ),
        "quality": Col(
            "decimal", "Kvalitet (medel)", "Quality (mean)", unit="skala 1-5", ge=1, le=5
        ),
        "usefulness": Col(
            "decimal", "Nytta (medel)", "Usefulness (mean)", unit="skala 1-5", ge=1, le=5
        ),
    },
    key=("year", "municipality_code", "role"),
)

GOALS = Table(
    name="goals",
    sv="Målramverk: mål (syften, uppdrag, ledord) och deras indikatorer",
    en="Goal framework: goals (purposes, tasks, motto words) and their indicators",
    columns={
        "goal_id": Col("text", "Målets id (P1-P4, U1-U6, M-...)", "Goal id", allowed=GOAL_IDS),
        "goal_type": Col("text", "Måltyp", "Goal type", allowed=GOAL_TYPES),
        "goal": Col("text", "Målet i ord", "The goal in words"),
        "indicator_id": Col("text", "Indikatorns id", "Indicator id", allowed=INDICATOR_IDS),
        "indicator": Col("text", "Indikatorns namn", "Indicator name"),
        "unit": Col("text", "Enhet", "Unit"),
        "direction": Col(
            "text",
            "Riktning: högre eller lägre är bättre",
            "Direction: higher or lower is better",
            allowed=DIRECTIONS,
        ),
        "kind": Col(
            "text",
            "Slag av indikator: antal, andel (%), takt (t.ex. per 1 000 invånare) eller skala; "
            "tom = antal",
            "Kind of indicator: count, share (%), rate or scale; empty = count",
            required=False,
            allowed=INDICATOR_KINDS,
        ),
        "scale_min": Col(
            "decimal",
            "Skalans lägsta värde (krävs för skala)",
            "The scale's minimum (required for a scale)",
            required=False,
        ),
        "scale_max": Col(
            "decimal",
            "Skalans högsta värde (krävs för skala)",
            "The scale's maximum (required for a scale)",
            required=False,
        ),
        "tolerance": Col(
            "decimal",
            "Tolerans: hur långt från målvärdet (i indikatorns enhet) måluppfyllelsen når 0 %; "
            "krävs när lägre är bättre",
            "Tolerance: the distance from the target (in the indicator's unit) at which "
            "attainment reaches 0 %; required when lower is better",
            required=False,
            ge=0,
        ),
    },
    key=("goal_id", "indicator_id"),
)

TARGETS = Table(
    name="targets",
    sv="Målvärden per indikator och år (helår)",
    en="Targets per indicator and year (full year)",
    columns={
        "indicator_id": Col("text", "Indikatorns id", "Indicator id", allowed=INDICATOR_IDS),
        "year": Col("int", "År", "Year", unit="år", ge=2000, le=2100),
        "target": Col("decimal", "Målvärde för helåret", "Target for the full year", ge=0),
    },
    key=("indicator_id", "year"),
)

PARTICIPATION = Table(
    name="participation",
    sv="Deltagare per aktivitet och hemkommun (ur anmälningslistan)",
    en="Participants per activity and home municipality (from the sign-up list)",
    columns={
        "activity_id": Col(
            "text",
            "Aktivitetens id (som i activities)",
            "Activity id (as in activities)",
            pattern=r"^[A-Za-z0-9_-]+$",
        ),
        "municipality_code": Col(
            "code",
            "Deltagarnas hemkommun (SCB-kod)",
            "The participants' home municipality (SCB code)",
            pattern=r"^25\d\d$",
        ),
        "participants": Col(
            "int",
            "Antal deltagare från kommunen",
            "Participants from the municipality",
            unit="personer",
            ge=0,
        ),
    },
    key=("activity_id", "municipality_code"),
)

COMMENTARY = Table(
    name="commentary",
    sv="FoUI-chefens kommentarer per period och mål",
    en="The FoUI chief's commentary per period and goal",
    columns={
        "period": Col(
            "text",
            "Period: halvår (2015H1), året till och med en månad (2015-08), år (2014-2016) eller "
            "år till och med en månad det sista året (2015-2017-11)",
            "Period: half-year (2015H1), the year to date through a month (2015-08), years "
            "(2014-2016) or years through a month of the last year (2015-2017-11)",
            pattern=PERIOD_PATTERN,
        ),
        "goal_id": Col(
            "text", "Målets id eller 'alla'", "Goal id or 'alla'", allowed=(*GOAL_IDS, "alla")
        ),
        "text": Col("text", "Kommentar", "Commentary"),
    },
    key=("period", "goal_id"),
)


def _check_profile_sum(frame: pd.DataFrame, file: str) -> list[Problem]:
    """A profile's weights must not all be zero (the line would have no budget in any month)."""
    problems = []
    for row in _rows(frame):
        if sum((row[m] or 0) for m in MONTHS) == 0:
            problems.append(
                Problem(
                    file,
                    row["_row"],
                    "jan",
                    "alla månadsvikter är 0; ange minst en månad med vikt över 0",
                )
            )
    return problems


ONE_ROW = {
    "activities": "en rad per aktivitet (seminarium, nätverksträff, kurs, handledning ...)",
    "participation": "en rad per aktivitet och hemkommun med antalet deltagare därifrån",
    "projects": "en rad per FoU-projekt i samverkan med ett lärosäte",
    "ledger": (
        "en rad per bokföring (utfall); hoppa över mallen om ni importerar SIE-filer med "
        "foui import sie, som skriver ledger.csv"
    ),
    "budget": (
        "en rad per år, område och budgetrad i den budget styrelsen antog, med beslutet; ett år "
        "utan rader jämförs med kalkylen enligt avtalet"
    ),
    "budget_profiles": (
        "en rad per budgetrad som inte fördelas jämnt över året (t.ex. hyra per kvartal): "
        "vikter januari-december; rader som saknas fördelas i tolftedelar"
    ),
    "survey": (
        "en rad per år, kommun och roll med medelbetyg; eller importera svaren med "
        "foui import survey, som skriver survey.csv"
    ),
    "goals": "en rad per mål och indikator (förifyllt ur förslaget; ändra bara indikatorerna)",
    "targets": "en rad per indikator och år; fyll i målvärdet för helåret",
    "commentary": "en rad per period och mål med FoUI-chefens kommentar",
}
"""What one row of each input is (the templates' instructions and the message on an empty
required table)."""


REQUIRED_INPUTS = ("activities", "ledger", "goals", "targets")
"""Inputs without which no follow-up can be made (at least one row each); the others may be
missing (empty tables)."""


def input_tables(ctx: Context | None = None) -> dict[str, Table]:
    """Every input table with its row checks; with ``ctx`` also membership and period checks."""
    ctx = ctx or Context()
    bound = ctx.first_year is not None
    period = [_check_period_years(ctx)] if bound else []

    def date(column: str) -> list[RowCheck]:
        return [_check_date_in_period(column, ctx)] if bound else []

    def near(column: str) -> tuple[RowCheck, ...]:
        return (_check_date_near_period(column, ctx),) if bound else ()

    def year(column: str) -> tuple[RowCheck, ...]:
        return (_check_year_in_period(column, ctx),) if bound else ()

    tables = {
        "activities": replace(
            ACTIVITIES, row_checks=(_check_codes("municipalities", ctx), *date("date"))
        ),
        "projects": replace(
            PROJECTS,
            row_checks=(
                _check_codes("municipalities", ctx),
                _check_project_dates,
                *near("start_date"),
                *near("end_date"),
            ),
        ),
        "ledger": replace(LEDGER, row_checks=(_check_line_kind, *date("date"))),
        "budget": replace(BUDGET, row_checks=(_check_line_kind, *year("year"))),
        "budget_profiles": replace(BUDGET_PROFILES, row_checks=(_check_profile_sum,)),
        "survey": replace(
            SURVEY,
            row_checks=(_check_member("municipality_code", ctx), _check_asked, *year("year")),
        ),
        "goals": replace(
            GOALS,
            row_checks=(_check_goal_type, _check_indicator_consistent, _check_indicator_rule),
        ),
        "targets": replace(TARGETS, row_checks=year("year")),
        "commentary": replace(COMMENTARY, row_checks=(_check_period, *period)),
        "participation": replace(
            PARTICIPATION, row_checks=(_check_member("municipality_code", ctx),)
        ),
    }
    return {
        name: replace(
            table, min_rows=1 if name in REQUIRED_INPUTS else 0, one_row=ONE_ROW.get(name, "")
        )
        for name, table in tables.items()
    }


def context_for(agreement) -> Context:
    """The row-check context of an agreement (members and years)."""
    return Context(tuple(agreement.members), agreement.first_year, agreement.last_year)


INPUT_TABLES: dict[str, Table] = input_tables()
"""The input tables with the checks that need no agreement (for ``foui check`` and the docs)."""


SUFFIXES = (".csv", ".xlsx", ".txt", ".tsv")


def find_input(directory: Path, name: str) -> Path | None:
    """The file of input ``name`` in ``directory`` (one of .csv, .xlsx, .txt, .tsv), or None.

    Two files for one table (``activities.csv`` beside ``activities.xlsx``) are refused: which
    one is meant cannot be told, and silently reading one would ignore the other; except that
    a file with a header and no rows (an untouched template of ``foui init``) beside one with
    rows is left unread (``foui check`` says so). Suffixes are
    matched without regard to case (``Activities.CSV`` is not another table, it is this one).
    """
    found = (
        sorted(
            p
            for p in directory.iterdir()
            if p.stem.lower() == name
            and p.suffix.lower() in SUFFIXES
            and not p.name.startswith(".")
        )
        if directory.is_dir()
        else []
    )
    if len(found) > 1:
        from foui_analysis.readers import has_rows

        # An untouched template of foui init (header only) beside the file with the rows, e.g.
        # ledger.xlsx beside the ledger.csv that foui import sie wrote: nothing is ignored.
        filled = [p for p in found if p.is_dir() or has_rows(p)]
        if len(filled) == 1:
            found = filled
    if len(found) > 1:
        raise InputError.single(
            directory,
            f"tabellen {name} finns i flera filer ({', '.join(p.name for p in found)}); "
            "behåll en av dem och flytta eller ta bort de andra",
        )
    if found and found[0].is_dir():
        raise InputError.single(found[0], "är en katalog; väntade en fil med tabellen")
    return found[0] if found else None


def all_tables() -> list[Table]:
    return [*REFERENCE_TABLES, *INPUT_TABLES.values()]


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def data_dictionary_markdown() -> str:
    """The data dictionary as Markdown: one table per input and reference table."""
    kinds = {
        "int": "heltal",
        "money": "belopp (kr, högst två decimaler)",
        "decimal": "tal",
        "text": "text",
        "code": "kod",
        "date": "datum",
    }
    lines = [
        "# Datakatalog (data dictionary)",
        "",
        "Genererad från schemadeklarationerna i `foui_analysis/schemas/` med "
        "`python -m foui_analysis.schemas.inputs`; redigera inte för hand.",
        "",
        "Indata läses som CSV (`,` eller `;`), TXT/TSV eller `.xlsx`; decimalkomma och "
        "mellanslag som tusentalsavgränsare går bra.",
        "",
    ]
    frame = data_dictionary(all_tables())
    tables = {t.name: t for t in all_tables()}
    for name, rows in frame.groupby("table", sort=False):
        table = tables[name]
        required = " (obligatorisk)" if name in REQUIRED_INPUTS else ""
        section = "Indata" if name in INPUT_TABLES else "Referensdata"
        lines += [f"## {name}{required}", "", f"{section}. {table.sv}. *{table.en}.*", ""]
        if table.key:
            lines += [f"Nyckel: {', '.join(f'`{k}`' for k in table.key)}.", ""]
        lines += [
            "| kolumn | typ | enhet | regel | beskrivning (sv) | description (en) |",
            "|---|---|---|---|---|---|",
        ]
        for row in rows.itertuples():
            lines.append(
                f"| `{row.column}` | {kinds[row.kind]} | {_cell(row.unit)} | {_cell(row.rule)} "
                f"| {_cell(row.description_sv)} | {_cell(row.description_en)} |"
            )
        lines.append("")
    return "\n".join(lines)


def write_data_dictionary(path: str | Path) -> Path:
    """Write the Markdown data dictionary to ``path`` (UTF-8, ``\\n`` line endings)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data_dictionary_markdown(), encoding="utf-8", newline="\n")
    return path


if __name__ == "__main__":
    import sys

    target = sys.argv[1] if len(sys.argv) > 1 else "docs/datadictionary.md"
    print(write_data_dictionary(target))
