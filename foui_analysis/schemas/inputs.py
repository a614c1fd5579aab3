"""Declarations of the user inputs in a data directory (``--data DIR``).

Each input is a table file named after it (``activities.csv``, or ``.xlsx``/``.txt``/``.tsv``).
``activities`` is fixed by DESIGN.md; the other tables are declared here too, each column once,
and the data dictionary (``docs/datadictionary.md``) is generated from these declarations.
"""

from __future__ import annotations

from pathlib import Path

from foui_analysis.schemas import Col, Table
from foui_analysis.schemas.reference import REFERENCE_TABLES

AREA_VALUES = ("socialtjanst", "skola", "overgripande")
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
            pattern=r"^(alla|25\d\d(\|25\d\d)*)$",
        ),
        "participants": Col("int", "Antal deltagare", "Participants", unit="personer", ge=0),
        "partner": Col("text", "Samverkanspart (lärosäte)", "Partner (university)",
                       required=False),
        "task": Col("int", "Uppdrag i förslaget (1-6)", "Task of the seed (1-6)", ge=1, le=6),
        "hours": Col("decimal", "Arbetstimmar", "Hours of work", unit="timmar", ge=0),
    },
    key=("activity_id",),
)

INPUT_TABLES: dict[str, Table] = {"activities": ACTIVITIES}
REQUIRED_INPUTS = ("activities",)
SUFFIXES = (".csv", ".xlsx", ".txt", ".tsv")


def find_input(directory: Path, name: str) -> Path | None:
    """The file of input ``name`` in ``directory`` (first of .csv, .xlsx, .txt, .tsv)."""
    for suffix in SUFFIXES:
        path = directory / f"{name}{suffix}"
        if path.exists():
            return path
    return None


def all_tables() -> list[Table]:
    return [*REFERENCE_TABLES, *INPUT_TABLES.values()]
