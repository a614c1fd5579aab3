"""The member survey from a survey tool: one row per respondent to ``survey.csv``.

Method
------
``foui import survey FILE [--mapping FILE] --out DIR`` reads the export (CSV in any of the
accepted dialects, or ``.xlsx``: :mod:`foui_analysis.readers`), one row per respondent, and
uses only six columns, named by the mapping (``[columns]``, defaults: ``År, Kommun, Roll,
Relevans, Kvalitet, Nytta``; the data set's ``enkat/kolumner.toml`` written by ``foui init``):

* ``year``: a year, or a date or time stamp (its year); or, without a column, ``[survey] year``;
* ``municipality``: an SCB code (``2580``) or a member's name (``Luleå``, any case);
* ``role``: ``politiker``, ``chef`` or ``medarbetare``, or a word the mapping's ``[roles]`` table
  turns into one (``Förtroendevald = "politiker"``, any case);
* ``relevance``, ``quality``, ``usefulness``: whole numbers 1-5; an empty cell is a question the
  respondent skipped.

Every other column is dropped and never written: free text, and personal data, which is named in
the import's report (:mod:`foui_analysis.imports.personal`: names, e-mail addresses, personal
identity numbers). The aggregate is one row per year, municipality and role: the number of
respondents and each rating's mean over those who answered it, rounded half up to two decimals.
A group where nobody answered a question cannot have a mean and is an error.

The result replaces the imported years in ``DIR/survey.csv`` and keeps the other years already
there (with every column they have, such as how many were asked), so one survey a year can be
imported at a time. It is checked against the survey schema (with the agreement's members and
years) before it is written, atomically. The number asked is left empty for imported years: a
survey tool's export of the answers does not say it.

Known limits: a group of one respondent shows that respondent's answers (the reports show
groups as the member survey was designed; an office that finds this too revealing can merge roles
in the mapping); a respondent who answered twice is counted twice.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from foui_analysis.errors import InputError, Problem
from foui_analysis.imports.personal import personal_column
from foui_analysis.readers import read_raw
from foui_analysis.schemas.inputs import SURVEY_ROLES

FIELDS = ("year", "municipality", "role", "relevance", "quality", "usefulness")
RATINGS = ("relevance", "quality", "usefulness")
DEFAULT_COLUMNS = {
    "year": "År",
    "municipality": "Kommun",
    "role": "Roll",
    "relevance": "Relevans",
    "quality": "Kvalitet",
    "usefulness": "Nytta",
}


@dataclass(frozen=True)
class SurveyMapping:
    columns: dict[str, str]
    roles: dict[str, str]
    year: int | None = None


@dataclass
class SurveyImport:
    rows: list[dict]
    respondents: int
    personal: dict[str, str] = field(default_factory=dict)
    """Dropped column heading to the personal data it held."""
    other: list[str] = field(default_factory=list)
    """Other dropped columns (free text and anything not used)."""


def load_survey_mapping(path: str | Path | None) -> SurveyMapping:
    if path is None:
        return SurveyMapping(dict(DEFAULT_COLUMNS), {})
    path = Path(path)
    if not path.exists():
        raise InputError.single(path, "mappningsfilen finns inte")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError.single(path, f"ogiltig TOML (UTF-8): {exc}") from None
    problems = []
    columns = dict(DEFAULT_COLUMNS)
    given = data.get("columns", {})
    for key, value in given.items():
        if key not in FIELDS:
            problems.append(
                Problem(str(path), None, f"columns.{key}", f"väntade en av {', '.join(FIELDS)}")
            )
        elif not isinstance(value, str) or not value.strip():
            problems.append(Problem(str(path), None, f"columns.{key}", "väntade en kolumnrubrik"))
        else:
            columns[key] = value.strip()
    roles = {}
    for key, value in data.get("roles", {}).items():
        if value not in SURVEY_ROLES:
            problems.append(
                Problem(
                    str(path),
                    None,
                    f"roles.{key}",
                    f"väntade en av {', '.join(SURVEY_ROLES)}, fick {value!r}",
                )
            )
        roles[str(key).strip().casefold()] = value
    year = data.get("survey", {}).get("year")
    if year is not None and (not isinstance(year, int) or not 2000 <= year <= 2100):
        problems.append(Problem(str(path), None, "survey.year", "väntade ett årtal, t.ex. 2014"))
    if year is not None and "year" not in given:
        columns.pop("year")
    if problems:
        raise InputError(problems)
    return SurveyMapping(columns, roles, year)


def _year(value: object) -> int:
    if isinstance(value, dt.date):
        return value.year
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if len(text) >= 4 and text[:4].isdigit() and (len(text) == 4 or text[4] in "-/ T"):
        return int(text[:4])
    raise ValueError(f"väntade ett år eller ett datum (2014, 2014-11-03), fick '{value}'")


def _rating(value: object) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if not text.isdigit() or not 1 <= int(text) <= 5:
        raise ValueError(f"väntade ett betyg 1-5 (heltal), fick '{value}'")
    return int(text)


def import_survey(
    path: str | Path, mapping: SurveyMapping, members: dict[str, str]
) -> SurveyImport:
    """Aggregate a respondent-level export; ``members`` maps code to name."""
    raw = read_raw(path)
    file = str(raw.path)
    headings = list(raw.frame.columns)
    problems = _missing_columns(file, headings, mapping)
    if problems:
        raise InputError(problems)
    used = set(mapping.columns.values())
    personal, other = {}, []
    for heading in headings:
        if heading in used:
            continue
        kind = personal_column(heading, raw.frame[heading])
        if kind:
            personal[heading] = kind
        else:
            other.append(heading)
    by_name = {name.casefold(): code for code, name in members.items()}
    groups: dict[tuple[int, str, str], list[dict]] = defaultdict(list)
    first_row: dict[tuple[int, str, str], int] = {}
    for position, record in enumerate(raw.frame.to_dict("records")):
        row = raw.rows[position]
        values: dict[str, object] = {}
        for key, heading in mapping.columns.items():
            try:
                values[key] = _value(key, record[heading], mapping, members, by_name)
            except ValueError as exc:
                problems.append(Problem(file, row, heading, str(exc)))
        if len(values) < len(mapping.columns):
            continue
        year = mapping.year if "year" not in mapping.columns else values["year"]
        group = (int(str(year)), str(values["municipality"]), str(values["role"]))
        groups[group].append(values)
        first_row.setdefault(group, row)
    rows = [
        _group_means(group, groups[group], file, first_row[group], mapping, problems)
        for group in sorted(groups)
    ]
    if problems:
        raise InputError(sorted(problems, key=lambda p: (p.row or 0, p.column or "")))
    return SurveyImport(rows, sum(len(a) for a in groups.values()), personal, other)


def _missing_columns(file: str, headings: list, mapping: SurveyMapping) -> list[Problem]:
    return [
        Problem(
            file,
            1,
            heading,
            f"kolumnen för {key} saknas; rubrikerna är {', '.join(map(repr, headings))} "
            "(ange rätt rubrik i mappningens [columns])",
        )
        for key, heading in mapping.columns.items()
        if heading not in headings
    ]


def _value(
    key: str, cell: object, mapping: SurveyMapping, members: dict[str, str], by_name: dict
) -> object:
    """One mapped cell as ``survey.csv`` holds it; ValueError with a Swedish message."""
    if key == "year":
        return _year(cell)
    if key == "municipality":
        text = str(cell).strip()
        if isinstance(cell, float) and cell.is_integer():
            text = str(int(cell))
        code = text if text in members else by_name.get(text.casefold())
        if code is None:
            raise ValueError(
                f"väntade en medlemskommuns namn eller kod (t.ex. Luleå eller 2580), fick '{cell}'"
            )
        return code
    if key == "role":
        text = str(cell).strip().casefold()
        role = text if text in SURVEY_ROLES else mapping.roles.get(text)
        if role is None:
            raise ValueError(
                f"väntade en roll ({', '.join(SURVEY_ROLES)}, eller en som "
                f"mappningens [roles] översätter), fick '{cell}'"
            )
        return role
    return _rating(cell)


def _group_means(
    group: tuple[int, str, str],
    answers: list[dict],
    file: str,
    first_row: int,
    mapping: SurveyMapping,
    problems: list[Problem],
) -> dict:
    """One row of ``survey.csv``: the group's respondents and mean ratings (a rating nobody in
    the group answered is a problem)."""
    out: dict[str, object] = {
        "year": group[0],
        "municipality_code": group[1],
        "role": group[2],
        "respondents": len(answers),
    }
    for rating in RATINGS:
        given = [a[rating] for a in answers if a[rating] is not None]
        if not given:
            problems.append(
                Problem(
                    file,
                    first_row,
                    mapping.columns[rating],
                    f"ingen av de {len(answers)} svarande ({group[0]}, kommun {group[1]}, "
                    f"{group[2]}) har besvarat frågan; ett medelvärde kan inte räknas",
                )
            )
            continue
        mean = Decimal(sum(given)) / Decimal(len(given))
        out[rating] = mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return out


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return str(value)


def survey_csv(rows: list[dict], columns: list[str]) -> str:
    """``survey.csv`` with the survey schema's ``columns``; a column the import does not know
    (how many were asked, which a survey tool's export does not say) is left empty."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return buffer.getvalue()


def merge_with_existing(rows: list[dict], existing: Path, table) -> tuple[list[dict], int]:
    """``rows`` with the rows of other years in ``existing`` (a survey.csv) kept; and how many."""
    if not existing.exists():
        return rows, 0
    from foui_analysis.schemas import read_table

    frame = read_table(existing, table)
    years = {r["year"] for r in rows}
    kept = [r for r in frame.to_dict("records") if int(r["year"]) not in years]
    merged = sorted([*kept, *rows], key=lambda r: (r["year"], r["municipality_code"], r["role"]))
    return merged, len(kept)
