"""Fictional example data for 2014-2018, written by a seeded generator.

``python -m foui_analysis.example_data.generator --out DIR`` writes the files of
``data/example/``; with the same agreement and reference data it reproduces the committed files
byte for byte (a fixed seed for :class:`random.Random`, whose algorithms are stable across
Python versions; stable ordering; UTF-8 without BOM; ``\\n`` line endings).

Method
------
* **Ledger (utfall)**: each month, area and cost line books about a twelfth of the budget line of
  :func:`foui_analysis.domain.budget.budget` (with the decided budget of ``budget.csv`` where it
  differs), times a monthly profile (rent quarterly, little travel in July and December, project
  invoices in lumps) and noise of about +-15 %. The unit starts slowly: in the first half of 2014
  the staff are recruited (salaries from a fifth in January to the full staff in May) and few
  activities are held. Travel overruns in 2016 (skola and övergripande, about +35 %) after the
  first county-wide tour. Revenue is accrued monthly, a twelfth of the year's budget each month
  (periodiserad), so revenue follows the budget exactly. There is no revenue for FoUI
  övergripande in the equity years: its costs are taken from equity as needed, which is not
  revenue (the reports show the use of equity after the result). The ledger is written as a Swedish
  finance-system export: ``;`` separator and decimal comma.
* **Activities**: about 60 a year (fewer in 2014), one per task draw; the kind, number of
  municipalities, participants and hours depend on the task. Municipalities are drawn with
  weights that favour the coast (Luleå, Piteå, Boden, Kalix, Haparanda) over the inland rural
  municipalities (Arjeplog, Arvidsjaur, Jokkmokk, Pajala, Överkalix, Övertorneå); the annual
  county-wide FoUI day every other autumn (even years) reaches all members (``alla``).
* **Projects, survey, goals, targets, commentary**: drawn or written to be plausible; the survey
  improves slowly over the years and scores inland municipalities a little lower.

Every figure is fictional. Nothing here describes the real FoUI Norrbotten.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd

from foui_analysis.domain.agreement import Agreement, load_agreement
from foui_analysis.domain.allocation import allocate
from foui_analysis.domain.budget import budget
from foui_analysis.domain.reference import Reference, load_reference
from foui_analysis.example_data.sie import sie_files
from foui_analysis.periods import MONTHS_SV
from foui_analysis.schemas import inputs as schema
from foui_analysis.schemas.inputs import MONTHS as MONTH_COLUMNS

SEED = 20140101
"""The seed of the example; change it and every file changes."""

COAST_WEIGHTS = {
    "2580": 10.0,  # Luleå
    "2581": 7.0,  # Piteå
    "2582": 6.0,  # Boden
    "2514": 4.5,  # Kalix
    "2583": 4.0,  # Haparanda
    "2584": 4.5,  # Kiruna
    "2523": 4.0,  # Gällivare
    "2560": 3.0,  # Älvsbyn
    "2505": 0.5,  # Arvidsjaur
    "2506": 0.35,  # Arjeplog
    "2510": 0.45,  # Jokkmokk
    "2521": 0.4,  # Pajala
    "2513": 0.3,  # Överkalix
    "2518": 0.35,  # Övertorneå
}
"""How often each member is drawn when an activity reaches some municipalities."""

INLAND = ("2505", "2506", "2510", "2521", "2513", "2518")

PARTNERS = {
    "Luleå tekniska universitet": 5.0,
    "Umeå universitet": 3.0,
    "Mittuniversitetet": 1.5,
    "Linköpings universitet": 1.0,
}

TOPICS = {
    "socialtjanst": (
        "barn och unga i familjehem",
        "missbruk och beroende",
        "äldres psykiska hälsa",
        "evidensbaserad praktik i socialtjänsten",
        "våld i nära relationer",
        "ensamkommande barn och unga",
        "hemtjänst i glesbygd",
        "trygghetslarm och välfärdsteknik",
        "samordnad individuell plan (SIP)",
        "försörjningsstöd och arbetsmarknad",
    ),
    "skola": (
        "formativ bedömning",
        "läsförståelse i tidiga år",
        "matematikundervisning",
        "fjärrundervisning i glesbygd",
        "nyanlända elevers lärande",
        "skolans digitalisering",
        "elevhälsans förebyggande arbete",
        "modersmål: meänkieli och samiska",
        "betyg och bedömning",
        "rektors pedagogiska ledarskap",
    ),
    "overgripande": (
        "medborgardialog",
        "samhällsomvandlingen i Kiruna och Gällivare",
        "kompetensförsörjning",
        "styrning och ledning",
        "hållbar samhällsutveckling",
        "ekonomistyrning",
        "demografiska utmaningar i glesbygd",
        "innovation i offentlig sektor",
        "digital förvaltning",
        "folkhälsa och jämlik hälsa",
    ),
}

TASKS = {
    # task: (per-year count, kinds, title templates)
    1: (
        6,
        ("seminarium",),
        ("Problemformuleringsseminarium: {t}", "Prioriteringsseminarium om {t}"),
    ),
    2: (4, ("fou_projekt",), ("Projektstart: {t}", "Referensgruppsmöte i FoU-projekt om {t}")),
    3: (
        12,
        ("spridning", "kurs_konferens"),
        (
            "Forskningscirkel om {t}",
            "Resultatseminarium: {t}",
            "Kurs: {t}",
            "Rapportlansering: {t}",
        ),
    ),
    4: (
        14,
        ("handledning", "utvarderingsstod"),
        (
            "Handledning i lokalt utvecklingsarbete: {t}",
            "Utvärderingsstöd: {t}",
            "Metodstöd vid uppföljning av {t}",
        ),
    ),
    5: (
        16,
        ("natverk",),
        ("Nätverksträff: {t}", "Erfarenhetsutbyte om {t}", "Implementeringsstöd: {t}"),
    ),
    6: (
        5,
        ("behovsinventering",),
        ("Behovsinventering: {t}", "Kartläggning av utvecklingsbehov: {t}"),
    ),
}

KIND_SHAPE = {
    # kind: (municipalities min, max, participants min, max, hours min, max)
    "seminarium": (1, 3, 10, 40, 6, 20),
    "fou_projekt": (1, 3, 4, 15, 8, 30),
    "spridning": (1, 4, 15, 80, 8, 24),
    "kurs_konferens": (2, 6, 25, 90, 24, 60),
    "handledning": (1, 1, 2, 8, 4, 16),
    "utvarderingsstod": (1, 1, 3, 12, 10, 60),
    "natverk": (2, 6, 8, 30, 4, 12),
    "behovsinventering": (1, 3, 5, 25, 12, 40),
}

YEAR_SCALE = {2014: 0.6, 2015: 0.9, 2016: 1.0, 2017: 1.1, 2018: 1.1}
MONTH_WEIGHTS = (0.8, 1.0, 1.1, 1.1, 1.0, 0.6, 0.1, 0.6, 1.2, 1.2, 1.1, 0.5)
START_2014 = (0.05, 0.1, 0.3, 0.5, 0.8, 0.6, 0.1, 0.8, 1.3, 1.3, 1.2, 0.6)
"""Activity months in the start-up year: hardly anything before the staff are in place."""

STAFF_2014 = (0.2, 0.35, 0.6, 0.85, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0)
"""Share of the staff in post each month of 2014 (recruitment in the spring)."""

BUDGET_CHANGES = (
    # year, area, kind, line, amount_sek, why (README), decision (budget.csv)
    (
        2017,
        "skola",
        "kostnad",
        "foui_projekt",
        120000,
        "styrelsen utökade FoUI-projekt skola 2017 för ett gemensamt läsprojekt",
        "Förbundsstyrelsen 2017-03-16 § 21 (fiktivt)",
    ),
    (
        2018,
        "socialtjanst",
        "kostnad",
        "resor",
        75000,
        "styrelsen höjde resebudgeten för socialtjänst 2018",
        "Förbundsstyrelsen 2018-02-15 § 9 (fiktivt)",
    ),
)


def adopted_decision(year: int) -> str:
    """The (fictional) decision that adopted a year's budget: the board's November meeting."""
    return f"Förbundsstyrelsen {year - 1}-11-20 § 40 (fiktivt)"


PROFILED_LINES = ("lokaler", "resor", "foui_projekt", "kompetensutveckling")
"""Lines the example's finance office spreads by a profile (budget_profiles.csv): the same
timing as the example's bookings after the start-up year (:func:`_profile`)."""

HTML_TITLE = "Skola & forskning: <i>nya</i> perspektiv"
"""A title with HTML special characters: the reports must show it as text."""


def weighted_sample(rng: random.Random, weights: dict[str, float], k: int) -> list[str]:
    """``k`` distinct keys drawn with weights (without replacement), in drawing order."""
    pool = dict(weights)
    chosen = []
    for _ in range(min(k, len(pool))):
        keys = list(pool)
        pick = rng.choices(keys, weights=[pool[key] for key in keys])[0]
        chosen.append(pick)
        del pool[pick]
    return chosen


def random_date(rng: random.Random, year: int, month_weights: tuple[float, ...]) -> dt.date:
    month = rng.choices(range(1, 13), weights=month_weights)[0]
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    day = rng.randint(1, last)
    date = dt.date(year, month, day)
    while date.weekday() >= 5:
        date -= dt.timedelta(days=1)
        if date.month != month:
            date += dt.timedelta(days=3)
    return date


def effective_budget(
    agreement: Agreement, reference: Reference, years: range | None = None
) -> pd.DataFrame:
    """The agreement's budget projection with the example's decided changes applied."""
    ledger = budget(agreement, reference, years)
    for year, area, kind, line, amount, *_ in BUDGET_CHANGES:
        mask = (
            (ledger["year"] == year)
            & (ledger["area"] == area)
            & (ledger["kind"] == kind)
            & (ledger["line"] == line)
        )
        ledger.loc[mask, "amount_sek"] = amount
    return ledger


def _ore(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _money(ore: int) -> str:
    """Öre as a Swedish finance-system amount: decimal comma, no thousands separator."""
    sign = "-" if ore < 0 else ""
    ore = abs(ore)
    return f"{sign}{ore // 100},{ore % 100:02d}"


def make_ledger(rng: random.Random, plan: pd.DataFrame) -> list[dict]:
    rows = []
    for (year, area, kind, line), amount in (
        plan.groupby(["year", "area", "kind", "line"], sort=True)["amount_sek"].sum().items()
    ):
        annual = Decimal(int(amount))
        if kind == "intakt":
            parts = allocate(int(amount) * 100, dict.fromkeys(range(1, 13), 1))
            for month in range(1, 13):
                text = {
                    "skola": "Avgift FoUI skola, periodiserad",
                    "socialtjanst": "FoU socialtjänst ur medlemsavgiften, periodiserad",
                    "overgripande": "FoUI övergripande inom förbundets ram",
                }[line]
                rows.append(
                    {
                        "date": dt.date(year, month, 25),
                        "area": area,
                        "line": line,
                        "kind": kind,
                        "ore": parts[month],
                        "text": f"{text} {MONTHS_SV[month - 1]}",
                    }
                )
            continue
        for month in range(1, 13):
            profile = _profile(line, year, month)
            if profile == 0:
                continue
            noise = Decimal(str(round(rng.uniform(0.85, 1.15), 3)))
            if line == "personal":
                noise = Decimal(str(round(rng.uniform(0.98, 1.02), 3)))
            factor = Decimal(1)
            if line == "resor" and year == 2016 and area in ("skola", "overgripande"):
                factor = Decimal("1.35")
            month_ore = _ore(annual * 100 / 12 * Decimal(str(profile)) * noise * factor)
            bookings = 1 if line in ("personal", "lokaler") else rng.randint(1, 3)
            split = allocate(month_ore, {i: rng.randint(1, 4) for i in range(bookings)})
            for i in range(bookings):
                day = 25 if line == "personal" else rng.randint(1, 28)
                rows.append(
                    {
                        "date": dt.date(year, month, day),
                        "area": area,
                        "line": line,
                        "kind": kind,
                        "ore": split[i],
                        "text": _booking_text(rng, line, month),
                    }
                )
    # A credit note: a travel invoice booked twice in 2015 is reversed.
    if 2015 in set(plan["year"]):
        rows.append(
            {
                "date": dt.date(2015, 10, 14),
                "area": "socialtjanst",
                "line": "resor",
                "kind": "kostnad",
                "ore": -412050,
                "text": "Kreditering dubbelbokad resefaktura",
            }
        )
    rows.sort(key=lambda r: (r["date"], r["area"], r["kind"], r["line"], r["text"], r["ore"]))
    return rows


def _profile(line: str, year: int, month: int) -> float:
    """The share of a monthly twelfth booked in ``month``."""
    start = STAFF_2014[month - 1] if year == 2014 else 1.0
    if line == "personal":
        return start
    if line == "lokaler":
        if year == 2014 and month < 4:
            return 0
        return 3.0 if month in (1, 4, 7, 10) else 0
    if line == "resor":
        return start * (0.3 if month in (7, 12) else 1.1)
    if line == "foui_projekt":
        if year == 2014 and month < 6:
            return 0
        return 2.4 if month in (3, 6, 9, 11, 12) else 0
    if line == "kompetensutveckling":
        return 3.0 if month in (3, 5, 10, 11) else 0
    return start


def profile_weights(line: str) -> list[str]:
    """A line's monthly weights for ``budget_profiles.csv``: the example's booking profile of a
    year after the start-up (:func:`_profile`), written with a decimal comma."""
    return [
        format(Decimal(str(_profile(line, 2015, month))).normalize(), "f").replace(".", ",")
        for month in range(1, 13)
    ]


def _booking_text(rng: random.Random, line: str, month: int) -> str:
    texts = {
        "personal": (f"Löner inkl. PO {MONTHS_SV[month - 1]}",),
        "lokaler": ("Hyra kontor Luleå, kvartal", "Lokalhyra inkl. el, kvartal"),
        "administration": ("Kontorsmaterial", "Licenser och IT-stöd", "Telefoni och porto"),
        "kompetensutveckling": ("Kursavgift", "Konferensavgift forskningskonferens", "Litteratur"),
        "resor": (
            "Resa Luleå-Kiruna, nätverksträff",
            "Resa Luleå-Arjeplog, handledning",
            "Tågresa Luleå-Umeå",
            "Hotell och traktamente",
            "Flyg Luleå-Stockholm",
            "Bilersättning",
        ),
        "foui_projekt": (
            "Faktura lärosäte, FoUI-projekt",
            "Följeforskning, delbetalning",
            "Transkribering av intervjuer",
        ),
    }[line]
    return rng.choice(texts)


def make_activities(rng: random.Random, members: tuple[str, ...], years: range) -> list[dict]:
    drafts = []
    for year in years:
        for task, (count, kinds, templates) in TASKS.items():
            n = round(count * YEAR_SCALE.get(year, 1.0) * rng.uniform(0.8, 1.2))
            for _ in range(n):
                kind = rng.choice(kinds)
                area = rng.choices(list(TOPICS), weights=(0.4, 0.4, 0.2))[0]
                drafts.append(_activity(rng, members, year, task, kind, area, templates))
        if year % 2 == 0:
            drafts.append(_fouidag(rng, year))
    drafts.sort(key=lambda a: (a["date"], a["task"], a["title"]))
    html_done = False
    for number, activity in enumerate(drafts, start=1):
        activity["activity_id"] = f"A{activity['date'].year}-{number:04d}"
        if (
            not html_done
            and activity["date"].year == 2015
            and activity["kind"] == "spridning"
            and activity["area"] == "skola"
        ):
            activity["title"] = HTML_TITLE
            html_done = True
    return drafts


SIGN_UP_FROM = dt.date(2016, 1, 1)
"""From 2016 the unit keeps a sign-up list for its courses, conferences and seminars."""
SIGN_UP_KINDS = ("kurs_konferens", "seminarium")


def make_participation(
    rng: random.Random, activities: list[dict], members: tuple[str, ...], sizes: dict[str, int]
) -> list[dict]:
    """Participants per home municipality for the activities with a sign-up list (courses,
    conferences and seminars from 2016 that reached several municipalities). The counts follow
    population with a random factor of 0,4-1,6 per municipality, so they differ from the
    population split the reports otherwise estimate with; they add up to the activity's
    participants."""
    rows: list[dict] = []
    for activity in activities:
        cell = activity["municipalities"]
        codes = list(members) if cell == "alla" else cell.split("|")
        if (
            activity["date"] < SIGN_UP_FROM
            or activity["kind"] not in SIGN_UP_KINDS
            or len(codes) < 2
        ):
            continue
        weights = {c: max(1, round(int(sizes[c]) * rng.uniform(0.4, 1.6))) for c in codes}
        parts = allocate(int(activity["participants"]), weights)
        rows.extend(
            {"activity_id": activity["activity_id"], "municipality_code": c, "participants": n}
            for c, n in parts.items()
            if n
        )
    return rows


def _activity(
    rng: random.Random,
    members: tuple[str, ...],
    year: int,
    task: int,
    kind: str,
    area: str,
    templates: tuple[str, ...],
) -> dict:
    low, high, p_low, p_high, h_low, h_high = KIND_SHAPE[kind]
    months = START_2014 if year == 2014 else MONTH_WEIGHTS
    date = random_date(rng, year, months)
    k = rng.randint(low, high)
    codes = weighted_sample(rng, {c: COAST_WEIGHTS.get(c, 1.0) for c in members}, k)
    codes.sort(key=members.index)
    participants = rng.randint(p_low, p_high) + (k - 1) * rng.randint(0, 4)
    hours = Decimal(rng.randint(2 * h_low, 2 * h_high)) / 2
    partner_p = {
        "fou_projekt": 1.0,
        "seminarium": 0.4,
        "kurs_konferens": 0.5,
        "spridning": 0.3,
    }.get(kind, 0.1)
    partner = ""
    if rng.random() < partner_p:
        partner = rng.choices(list(PARTNERS), weights=list(PARTNERS.values()))[0]
    topic = rng.choice(TOPICS[area])
    title = rng.choice(templates).format(t=topic)
    return {
        "date": date,
        "area": area,
        "kind": kind,
        "title": title,
        "municipalities": "|".join(codes),
        "participants": participants,
        "partner": partner,
        "task": task,
        "hours": hours,
    }


def _fouidag(rng: random.Random, year: int) -> dict:
    """The county-wide FoUI day, every other autumn: it reaches every member."""
    date = dt.date(year, 10, rng.randint(10, 20))
    while date.weekday() >= 5:
        date += dt.timedelta(days=1)
    return {
        "date": date,
        "area": "overgripande",
        "kind": "kurs_konferens",
        "title": f"FoUI-dagen {year}: forskning som gör skillnad i hela länet",
        "municipalities": "alla",
        "participants": rng.randint(140, 230),
        "partner": "Luleå tekniska universitet",
        "task": 3,
        "hours": Decimal(rng.randint(60, 90)),
    }


PROJECT_SUFFIXES = (
    "en följeforskningsstudie",
    "praktiknära forskning i samverkan",
    "ett aktionsforskningsprojekt",
    "utvärdering av en modell",
    "kunskapsöversikt och pilotstudie",
)


def make_projects(
    rng: random.Random, members: tuple[str, ...], years: range, as_of: dt.date
) -> list[dict]:
    rows = []
    number = 0
    for year in years:
        for _ in range(2 if year == 2014 else rng.randint(3, 5)):
            number += 1
            area = rng.choices(list(TOPICS), weights=(0.4, 0.4, 0.2))[0]
            months = (0, 0, 0, 0, 0, 1, 0, 1, 1, 1, 1, 0) if year == 2014 else MONTH_WEIGHTS
            start = random_date(rng, year, months)
            end = start + dt.timedelta(days=rng.randint(360, 1100))
            k = rng.randint(1, 4)
            codes = weighted_sample(rng, {c: COAST_WEIGHTS.get(c, 1.0) for c in members}, k)
            codes.sort(key=members.index)
            funding = rng.choice((0, 0, 150000, 250000, 400000, 600000, 1200000))
            topic = rng.choice(TOPICS[area])
            rows.append(
                {
                    "project_id": f"P{year}-{number:02d}",
                    "title": f"{topic[0].upper()}{topic[1:]} – {rng.choice(PROJECT_SUFFIXES)}",
                    "area": area,
                    "partner": rng.choices(list(PARTNERS), weights=list(PARTNERS.values()))[0],
                    "municipalities": "|".join(codes),
                    "start_date": start,
                    "end_date": end if end <= as_of else None,
                    "status": "avslutat" if end <= as_of else "pagaende",
                    "external_funding_sek": funding,
                }
            )
    rows.append(
        {
            "project_id": f"P{years[-1] + 1}-{number + 1:02d}",
            "title": "Fjärrundervisning i glesbygd – fortsättningsstudie",
            "area": "skola",
            "partner": "Umeå universitet",
            "municipalities": "2506|2510|2521",
            "start_date": dt.date(years[-1] + 1, 2, 1),
            "end_date": None,
            "status": "planerat",
            "external_funding_sek": 0,
        }
    )
    return rows


def make_survey(
    rng: random.Random, members: tuple[str, ...], years: range, population: dict[str, int]
) -> list[dict]:
    rows = []
    for i, year in enumerate(years):
        for code in members:
            for role in ("politiker", "chef", "medarbetare"):
                if rng.random() < 0.08:
                    continue
                size = population[code]
                base = {"politiker": 2, "chef": 4, "medarbetare": 8}[role]
                respondents = max(1, round(base * (size / 20000) ** 0.5 * rng.uniform(0.6, 1.3)))
                inland = -0.25 if code in INLAND else 0.0
                trend = 0.15 * i
                row = {
                    "year": year,
                    "municipality_code": code,
                    "role": role,
                    "respondents": respondents,
                }
                for name, level in (("relevance", 3.5), ("quality", 3.6), ("usefulness", 3.2)):
                    value = level + trend + inland + rng.uniform(-0.4, 0.4)
                    row[name] = Decimal(str(round(min(5.0, max(1.0, value)), 2)))
                rows.append(row)
    return rows


ASKED_FROM = 2016
"""From 2016 the survey records how many were asked in each municipality and role."""


def add_asked(rng: random.Random, survey: list[dict]) -> None:
    """The number asked per row from :data:`ASKED_FROM` (response rates about 45-95 %); empty
    before, when the unit did not keep the mailing list."""
    for row in survey:
        respondents = row["respondents"]
        if row["year"] < ASKED_FROM:
            row["asked"] = ""
        else:
            row["asked"] = max(respondents, round(respondents / rng.uniform(0.45, 0.95)))


GOALS = (
    (
        "P1",
        "syfte",
        "Utveckla samverkan kring forskning, utveckling och innovation i länets kommuner",
        ("kommuner_aktiva_pct", "samverkan_aktiviteter", "glesbygd_ej_nadda"),
    ),
    (
        "P2",
        "syfte",
        "Skapa förutsättningar för verksamhets- och professionsutveckling som vilar "
        "på vetenskaplig grund och beprövad erfarenhet",
        ("nytta_medel", "kvalitet_medel"),
    ),
    (
        "P3",
        "syfte",
        "Styra forskning, utveckling och innovation mot för kommunerna intressanta områden",
        ("relevans_medel",),
    ),
    (
        "P4",
        "syfte",
        "Utgå från kommunernas behov baserat på omvärldsbevakning",
        ("behovsinventeringar", "behov_kommuner_pct"),
    ),
    (
        "U1",
        "uppdrag",
        "Definiera väsentliga forskningsområden och kartlägga forskningsstrategier "
        "(problemformulerings- och prioriteringsseminarier)",
        ("seminarier",),
    ),
    (
        "U2",
        "uppdrag",
        "Identifiera forskningsprojekt i samverkan mellan akademin och kommunerna",
        ("projekt_startade",),
    ),
    (
        "U3",
        "uppdrag",
        "Synliggöra och implementera forsknings- och utvecklingsresultat",
        ("spridning_aktiviteter", "spridning_deltagare"),
    ),
    (
        "U4",
        "uppdrag",
        "Erbjuda kvalificerad handledning och stöd till lokala uppföljnings- och "
        "utvecklingsaktiviteter",
        ("stod_timmar",),
    ),
    (
        "U5",
        "uppdrag",
        "Erbjuda stöd till implementering, erfarenhetsutbyte och praktiknära forskning",
        ("implementering_aktiviteter",),
    ),
    (
        "U6",
        "uppdrag",
        "Erbjuda system för att identifiera behov av kvalitetsutveckling",
        ("behovsinventeringar",),
    ),
    ("M-synliggora", "ledord", "Synliggöra", ("spridning_deltagare", "deltagare_per_1000")),
    ("M-mojliggora", "ledord", "Möjliggöra", ("projekt_startade", "projekt_pagaende")),
    ("M-nyttiggora", "ledord", "Nyttiggöra", ("nytta_medel",)),
)

INDICATORS = {
    # id: (name, unit, direction, targets 2014..2018)
    "seminarier": (
        "Problemformulerings- och prioriteringsseminarier",
        "antal",
        "hogre",
        (3, 6, 6, 6, 6),
    ),
    "projekt_startade": (
        "FoU-projekt startade i samverkan med akademin",
        "antal",
        "hogre",
        (2, 4, 4, 4, 4),
    ),
    "projekt_pagaende": (
        "Pågående FoU-projekt med akademin vid periodens slut",
        "antal",
        "hogre",
        (2, 5, 7, 8, 8),
    ),
    "spridning_aktiviteter": (
        "Spridningsaktiviteter (kurser, konferenser, seminarier)",
        "antal",
        "hogre",
        (6, 11, 12, 13, 13),
    ),
    "spridning_deltagare": (
        "Deltagare i spridningsaktiviteter",
        "personer",
        "hogre",
        (400, 650, 750, 800, 850),
    ),
    "stod_timmar": (
        "Timmar handledning, utvärderings- och metodstöd",
        "timmar",
        "hogre",
        (150, 300, 320, 340, 340),
    ),
    "implementering_aktiviteter": (
        "Aktiviteter för implementering och erfarenhetsutbyte",
        "antal",
        "hogre",
        (8, 15, 16, 17, 17),
    ),
    "behovsinventeringar": ("Behovsinventeringar", "antal", "hogre", (2, 4, 5, 5, 5)),
    "behov_kommuner_pct": (
        "Andel medlemskommuner som deltagit i en behovsinventering",
        "%",
        "hogre",
        (20, 40, 50, 50, 50),
    ),
    "kommuner_aktiva_pct": (
        "Andel medlemskommuner som nåtts av minst en aktivitet",
        "%",
        "hogre",
        (100, 100, 100, 100, 100),
    ),
    "samverkan_aktiviteter": (
        "Aktiviteter med deltagare från flera kommuner",
        "antal",
        "hogre",
        (20, 35, 38, 40, 42),
    ),
    "glesbygd_ej_nadda": (
        "Glesbygdskommuner som inte nåtts av någon aktivitet",
        "antal",
        "lagre",
        (1, 0, 0, 0, 0),
    ),
    "deltagare_per_1000": (
        "Deltagare per 1 000 invånare",
        "per 1 000 invånare",
        "hogre",
        (3, 6, 6.5, 7, 7.5),
    ),
    "nytta_medel": (
        "Upplevd nytta i medlemsenkäten",
        "skala 1-5",
        "hogre",
        (3.3, 3.4, 3.5, 3.6, 3.7),
    ),
    "kvalitet_medel": (
        "Upplevd kvalitet i medlemsenkäten",
        "skala 1-5",
        "hogre",
        (3.6, 3.7, 3.8, 3.9, 4.0),
    ),
    "relevans_medel": (
        "Upplevd relevans i medlemsenkäten",
        "skala 1-5",
        "hogre",
        (3.5, 3.6, 3.7, 3.8, 3.9),
    ),
}

RULES = {
    # id: (kind, scale_min, scale_max, tolerance); an indicator not named is a count
    "behov_kommuner_pct": ("andel", "", "", ""),
    "kommuner_aktiva_pct": ("andel", "", "", ""),
    # Target 0: met, or missed by how much; one rural member missed is 80 %, five are 0 %.
    "glesbygd_ej_nadda": ("antal", "", "", 5),
    "deltagare_per_1000": ("takt", "", "", ""),
    "nytta_medel": ("skala", 1, 5, ""),
    "kvalitet_medel": ("skala", 1, 5, ""),
    "relevans_medel": ("skala", 1, 5, ""),
}
"""How each indicator is judged (goals.csv ``kind, scale_min, scale_max, tolerance``)."""

COMMENTARY = (
    (
        "2014H1",
        "alla",
        "Första halvåret ägnades åt rekrytering och uppbyggnad. Hela personalen "
        "var på plats i maj, och verksamheten kom i gång först under våren.",
    ),
    (
        "2014H2",
        "alla",
        "Verksamheten är nu i full gång. Den första FoUI-dagen samlade alla länets kommuner.",
    ),
    (
        "2014H2",
        "P1",
        "Inlandskommunerna har ännu nåtts i liten utsträckning; resor dit planeras för 2015.",
    ),
    (
        "2015H1",
        "U2",
        "Två nya FoU-projekt har startat i samverkan med Luleå tekniska universitet "
        "och Umeå universitet.",
    ),
    (
        "2016H1",
        "U3",
        "Spridningen av resultat har ökat; en turné till alla kommuner genomförs under året.",
    ),
    (
        "2016H2",
        "alla",
        "Resekostnaderna överskred budgeten inom skola och övergripande på grund "
        "av turnén till samtliga kommuner.",
    ),
    (
        "2014-2016",
        "alla",
        "Efter tre år når FoUI Norrbotten alla länets kommuner, men "
        "inlandskommunerna deltar mer sällan än kustkommunerna. Kostnaderna för FoUI övergripande "
        "ryms ännu inte inom förbundets ram.",
    ),
    ("2017H2", "P2", "Medlemsenkäten visar att upplevd nytta fortsätter att öka."),
)


def _csv(rows: list[dict], columns: list[str], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else _text(row.get(c)) for c in columns])
    return buffer.getvalue()


def _text(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


README = """\
# Exempeldata (fiktiva)

**Alla uppgifter i den här katalogen är påhittade.** De beskriver inte det verkliga FoUI
Norrbotten, dess aktiviteter, projekt, ekonomi eller medlemsenkäter. De finns för att rapporterna,
notebookarna och testerna ska kunna köras, och för att visa hur indata ska se ut.

Filerna skrivs av `python -m foui_analysis.example_data.generator --out data/example` (fast slumpfrö
{seed}); kommandot återskapar dem byte för byte. Ändra inte filerna för hand: ändra generatorn
och skriv om dem. Kolumnerna beskrivs i `docs/datadictionary.md`.

| fil | innehåll |
|---|---|
| `dataset.toml` | markerar katalogen som exempeldata (rapporterna visar EXEMPELDATA) |
| `activities.csv` | {n_activities} aktiviteter 2014-2018 |
| `projects.csv` | {n_projects} FoU-projekt med lärosäten |
| `ledger.csv` | {n_ledger} bokföringsrader (utfall) som ur ekonomisystemet: `;`, decimalkomma |
| `sie/` | utfallet som SIE 4-filer, ett år per fil, och kontomappningen (`foui import sie`) |
| `budget.csv` | budgeten som styrelsen antog för varje år, med beslutet (och två ändringar) |
| `budget_profiles.csv` | hur hyra, resor, projekt och kompetensutveckling fördelas över året |
| `survey.csv` | medlemsenkät per år, kommun och roll (medelbetyg 1-5, tillfrågade från 2016) |
| `goals.csv`, `targets.csv` | målramverket: syften, uppdrag, ledord, indikatorer och målvärden |
| `commentary.csv` | FoUI-chefens kommentarer per period |
| `participation.csv` | deltagare per hemkommun ur anmälningslistan för {n_signed} aktiviteter |

Antaganden i exemplet:

* Första halvåret 2014 är en uppstartsperiod: personalen rekryteras under våren och få
  aktiviteter hålls.
* Intäkterna periodiseras: en tolftedel av årets budget bokas varje månad.
* FoUI övergripande har inga intäkter 2014-2015: kostnaderna tas ur eget kapital vid behov,
  och det är ingen intäkt. Rapporterna visar ianspråktaget eget kapital efter resultatet.
* Resekostnaderna inom skola och övergripande överskrider budgeten 2016 (en turné till
  samtliga kommuner).
* Kustkommunerna nås oftare än inlandets glesbygdskommuner; FoUI-dagen vartannat år
  (jämna år) når alla.
* Från 2016 förs anmälningslistor för kurser, konferenser och seminarier som når flera
  kommuner (`participation.csv`); för övriga aktiviteter med flera kommuner är deltagarnas
  hemkommun okänd och rapporterna uppskattar den.
* Budgetändringar: {changes}.
* En aktivitet har rubriken `{html}` för att visa att rapporterna återger text, inte HTML.
"""

DATASET = """\
[dataset]
example = true
description = "Fiktiva exempeldata för FoUI Norrbotten {first}-{last}, skrivna av \
foui_analysis.example_data.generator (slumpfrö {seed}). Inga uppgifter beskriver den \
verkliga verksamheten."
seed = {seed}
# Bokföringen är bokslutad till och med detta datum; senare perioder får inga rapporter.
books_closed_through = {last}-12-31
"""


def goal_rows() -> list[dict]:
    """The goal framework of the proposal with the indicators that measure it (goals.csv)."""
    return [
        {
            "goal_id": g,
            "goal_type": t,
            "goal": text,
            "indicator_id": i,
            "indicator": INDICATORS[i][0],
            "unit": INDICATORS[i][1],
            "direction": INDICATORS[i][2],
            **dict(
                zip(
                    ("kind", "scale_min", "scale_max", "tolerance"),
                    RULES.get(i, ("antal", "", "", "")),
                    strict=True,
                )
            ),
        }
        for g, t, text, ids in GOALS
        for i in ids
    ]


def generate(
    agreement: Agreement, reference: Reference, seed: int = SEED, years: range | None = None
) -> dict[str, str | bytes]:
    """Every file of the example as text (or bytes: the SIE files), by relative path.

    ``years`` (default: the agreement's) may be the first years of another agreement period, for
    a small data set of a second period (tests); the example's dated events (decided budget
    changes, commentary, the credit note) are kept only where they fall in ``years``.
    """
    rng = random.Random(seed)
    members = tuple(agreement.members)
    years = agreement.years if years is None else years
    as_of = dt.date(years[-1], 12, 31)
    plan = effective_budget(agreement, reference, years)
    activities = make_activities(random.Random(rng.getrandbits(64)), members, years)
    projects = make_projects(random.Random(rng.getrandbits(64)), members, years, as_of)
    ledger = make_ledger(random.Random(rng.getrandbits(64)), plan)
    population = reference.population
    latest = population[population["year"] == agreement.first_year - 1]
    sizes = dict(zip(latest["municipality_code"], latest["population"], strict=True))
    survey = make_survey(random.Random(rng.getrandbits(64)), members, years, sizes)
    participation = make_participation(
        random.Random(rng.getrandbits(64)), activities, members, sizes
    )
    add_asked(random.Random(rng.getrandbits(64)), survey)
    for row in ledger:
        row["amount_sek"] = _money(row.pop("ore"))
    goals = goal_rows()
    targets = [
        {"indicator_id": i, "year": year, "target": spec[3][n]}
        for i, spec in INDICATORS.items()
        for n, year in enumerate(years)
    ]
    changed = {(y, a, k, line): decision for y, a, k, line, _, _, decision in BUDGET_CHANGES}
    budget_rows = [
        {
            "year": r["year"],
            "area": r["area"],
            "line": r["line"],
            "kind": r["kind"],
            "amount_sek": int(r["amount_sek"]),
            "decision": changed.get(
                (r["year"], r["area"], r["kind"], r["line"]), adopted_decision(r["year"])
            ),
        }
        for r in plan.groupby(["year", "area", "kind", "line"], as_index=False, sort=True)[
            "amount_sek"
        ]
        .sum()
        .to_dict("records")
    ]
    profile_rows = [
        {"line": line, **dict(zip(MONTH_COLUMNS, profile_weights(line), strict=True))}
        for line in PROFILED_LINES
    ]
    commentary = [
        {"period": p, "goal_id": g, "text": t}
        for p, g, t in COMMENTARY
        if int(p[:4]) in years and int(p[-4:] if "-" in p else p[:4]) in years
    ]
    files: dict[str, str | bytes] = {
        "activities.csv": _csv(activities, list(schema.ACTIVITIES.columns)),
        "projects.csv": _csv(projects, list(schema.PROJECTS.columns)),
        "ledger.csv": _csv(ledger, list(schema.LEDGER.columns), delimiter=";"),
        "budget.csv": _csv(budget_rows, list(schema.BUDGET.columns)),
        "budget_profiles.csv": _csv(
            profile_rows, list(schema.BUDGET_PROFILES.columns), delimiter=";"
        ),
        # the example's survey file has `asked` last, not in the schema's order (a reader takes
        # the columns by name); kept as published
        "survey.csv": _csv(
            survey,
            [
                "year",
                "municipality_code",
                "role",
                "respondents",
                "relevance",
                "quality",
                "usefulness",
                "asked",
            ],
        ),
        "goals.csv": _csv(goals, list(schema.GOALS.columns)),
        "targets.csv": _csv(targets, list(schema.TARGETS.columns)),
        "commentary.csv": _csv(commentary, list(schema.COMMENTARY.columns)),
        "participation.csv": _csv(participation, list(schema.PARTICIPATION.columns)),
    }
    changes = "; ".join(
        f"{why} ({amount} kr, {decision})" for *_, amount, why, decision in BUDGET_CHANGES
    )
    files["README.md"] = README.format(
        seed=seed,
        n_activities=len(activities),
        n_projects=len(projects),
        n_ledger=len(ledger),
        n_signed=len({r["activity_id"] for r in participation}),
        changes=changes,
        html=HTML_TITLE,
    )
    files["dataset.toml"] = DATASET.format(seed=seed, first=years[0], last=years[-1])
    files.update(sie_files(str(files["ledger.csv"])))
    return files


def write_example(
    out: str | Path,
    agreement_path: str | Path | None = None,
    reference_dir: str | Path | None = None,
    seed: int = SEED,
    years: range | None = None,
) -> list[Path]:
    """Write the example files into ``out`` (``years``: see :func:`generate`); return the paths."""
    from foui_analysis import paths

    agreement = load_agreement(agreement_path or paths.default_agreement())
    reference = load_reference(reference_dir or paths.default_reference())
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in sorted(generate(agreement, reference, seed, years).items()):
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m foui_analysis.example_data.generator",
        description="Skriv fiktiva exempeldata för 2014-2018",
    )
    parser.add_argument("--out", type=Path, required=True, help="katalog att skriva till")
    parser.add_argument("--agreement", type=Path, default=None)
    parser.add_argument("--reference", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    for path in write_example(args.out, args.agreement, args.reference, args.seed):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
