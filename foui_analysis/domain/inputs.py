"""The user inputs of a data directory, loaded, typed and checked together.

Method
------
:func:`load_inputs` reads every input table of ``data_dir`` through its declared schema
(:mod:`foui_analysis.schemas.inputs`), with the row checks bound to the agreement's members and
years when an agreement is given, then checks the rules across tables:

* every indicator with a target is used by at least one goal (``targets.csv``, ``indicator_id``);
* every indicator used by a goal has a target for at least one year (``goals.csv``);
* every activity of ``participation.csv`` is in ``activities.csv``, its municipalities are among
  those the activity reached, and its rows add up to the activity's participants.
* with an agreement: no revenue row of the ledger or the budget is a use of equity (FoUI
  övergripande in the equity years): equity is not revenue (:func:`equity_revenue_problems`).

All problems of all files are collected and raised as one
:class:`~foui_analysis.errors.InputError`. An optional input that is missing (``projects``,
``budget``, ``budget_profiles``, ``survey``, ``commentary``, ``participation``) becomes an empty
table with the declared columns, so the analyses need no special cases. ``dataset.toml``
(optional, read by :func:`foui_analysis.dataset.read_dataset`) says whether the directory holds
example data (``[dataset] example = true``); the reports show an EXEMPELDATA banner then.

:func:`activity_reach` explodes activities to one row per activity and municipality reached.
Where ``participation.csv`` lists an activity's participants per home municipality (a sign-up
list), those counts are used as they are. Otherwise participants are counted per activity, not
per municipality, so an activity that reached several municipalities has its participants
*estimated* by a split over them (``estimated`` is true on its rows): in proportion to the
municipalities' population (``split="population"``, the default when a population table is
given: the data do not say where the participants came from) or equally (``split="equal"``).
The two splits bracket the answer, so the evaluation shows its rural/urban conclusion under
both. The split is the exact largest-remainder method, so the municipalities' participants
always add up to the activity's. An activity that reached one municipality is counted there,
not estimated.

Known limits: a participant who attends several activities is counted each time (participations,
not persons); ``alla`` means every member of the agreement in force, not the members of the date.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from foui_analysis import progress
from foui_analysis.dataset import NO_DATASET, read_dataset
from foui_analysis.domain.allocation import allocate
from foui_analysis.errors import InputError, Problem, ProblemLog
from foui_analysis.readers import RawTable, read_raw
from foui_analysis.schemas import Table, parse_table
from foui_analysis.schemas.inputs import (
    INPUT_TABLES,
    REQUIRED_INPUTS,
    context_for,
    find_input,
    input_tables,
    split_codes,
)

REACH_COLUMNS = [
    "activity_id",
    "date",
    "year",
    "area",
    "kind",
    "task",
    "partner",
    "municipality_code",
    "participants",
    "hours",
    "estimated",
]

SPLITS = ("population", "equal")
"""How participants of an activity without a sign-up list are split over its municipalities."""


@dataclass(frozen=True)
class Inputs:
    """The typed input tables of one data directory."""

    activities: pd.DataFrame
    projects: pd.DataFrame
    ledger: pd.DataFrame
    budget: pd.DataFrame
    survey: pd.DataFrame
    goals: pd.DataFrame
    targets: pd.DataFrame
    commentary: pd.DataFrame
    directory: Path
    files: dict[str, Path] = field(default_factory=dict)
    example: bool = False
    description: str = ""
    participation: pd.DataFrame | None = None
    """Participants per activity and home municipality (``participation.csv``); empty when the
    data directory has no such file."""
    budget_profiles: pd.DataFrame | None = None
    """Monthly weights per budget line (``budget_profiles.csv``); empty when not given (every
    line in twelfths)."""

    def file(self, name: str) -> Path:
        """The file an input was read from (or where it would be, when missing)."""
        return self.files.get(name, self.directory / f"{name}.csv")


def empty_table(table: Table, path: Path | None = None) -> pd.DataFrame:
    """An empty typed table with the declared columns."""
    raw = RawTable(
        path or Path(f"{table.name}.csv"),
        pd.DataFrame(columns=list(table.columns), dtype=object),
        [],
    )
    return parse_table(raw, table)


def equity_revenue_problems(
    tables: dict[str, pd.DataFrame],
    rows: dict[str, list[int]],
    files: dict[str, Path],
    agreement,
) -> list[Problem]:
    """Revenue rows of the ledger or the budget that are a use of equity: equity is not revenue.

    A row ``kind = intakt`` whose line is a component the agreement funds from equity that year
    (FoUI övergripande 2014-2015) is refused: the use of equity is computed from the result and
    shown after it, never booked as revenue.
    """
    problems = []
    components = {c.id: c for c in agreement.components}
    for name, year_of in (("ledger", lambda r: r["date"].year), ("budget", lambda r: r["year"])):
        frame = tables.get(name)
        if frame is None or frame.empty:
            continue
        for position, row in enumerate(frame.to_dict("records")):
            component = components.get(row["line"])
            if row["kind"] != "intakt" or component is None:
                continue
            year = int(year_of(row))
            if agreement.funding_source(component, year) == "eget_kapital":
                problems.append(
                    Problem(
                        str(files.get(name, f"{name}.csv")),
                        rows[name][position] if rows.get(name) else None,
                        "kind",
                        f"{component.name} {year} tas ur eget kapital vid behov; det är ingen "
                        "intäkt. Ta bort intäktsraden: ianspråktaget eget kapital räknas fram "
                        "ur resultatet och visas efter det",
                    )
                )
    return problems


def _check_participation(
    tables: dict[str, pd.DataFrame], rows: dict[str, list[int]], files: dict[str, Path], members
) -> list[Problem]:
    """Sign-up rows belong to a known activity, to a municipality it reached, and add up."""
    participation, activities = tables.get("participation"), tables.get("activities")
    if participation is None or activities is None or participation.empty:
        return []
    file = str(files.get("participation", "participation.csv"))
    # Only the activities the sign-up lists name (activities.csv may have a million rows).
    named = activities[activities["activity_id"].isin(set(participation["activity_id"]))]
    by_id = {a["activity_id"]: a for a in named.to_dict("records")}
    problems: list[Problem] = []
    sums: dict[Any, int] = {}
    first_row: dict[Any, int] = {}
    for position, row in enumerate(participation.to_dict("records")):
        line = rows["participation"][position]
        activity = by_id.get(row["activity_id"])
        if activity is None:
            problems.append(
                Problem(
                    file,
                    line,
                    "activity_id",
                    f"aktiviteten {row['activity_id']} finns inte i activities",
                )
            )
            continue
        reached = reached_codes(activity["municipalities"], members or ())
        if members and row["municipality_code"] not in reached:
            problems.append(
                Problem(
                    file,
                    line,
                    "municipality_code",
                    f"kommunen {row['municipality_code']} är inte bland de kommuner aktiviteten "
                    f"{row['activity_id']} nådde enligt activities ({activity['municipalities']})",
                )
            )
        sums[row["activity_id"]] = sums.get(row["activity_id"], 0) + int(row["participants"])
        first_row.setdefault(row["activity_id"], line)
    for activity_id, total in sums.items():
        expected = int(by_id[activity_id]["participants"])
        if total != expected:
            problems.append(
                Problem(
                    file,
                    first_row[activity_id],
                    "participants",
                    f"raderna för aktiviteten {activity_id} summerar till {total} deltagare, "
                    f"men activities anger {expected}",
                )
            )
    return problems


def cross_check(
    tables: dict[str, pd.DataFrame],
    rows: dict[str, list[int]],
    files: dict[str, Path],
    members: tuple[str, ...] = (),
) -> list[Problem]:
    """Rules across tables: targets and goals name the same indicators; sign-up lists match
    their activities."""
    problems = _check_participation(tables, rows, files, members)
    goals, targets = tables.get("goals"), tables.get("targets")
    if goals is None or targets is None:
        return problems
    used = set(goals["indicator_id"])
    with_target = set(targets["indicator_id"])
    for position, indicator in enumerate(targets["indicator_id"]):
        if indicator not in used:
            problems.append(
                Problem(
                    str(files["targets"]),
                    rows["targets"][position],
                    "indicator_id",
                    f"indikatorn {indicator} används inte av något mål i goals",
                )
            )
    for position, indicator in enumerate(goals["indicator_id"]):
        if indicator not in with_target:
            problems.append(
                Problem(
                    str(files["goals"]),
                    rows["goals"][position],
                    "indicator_id",
                    f"indikatorn {indicator} saknar målvärde i targets",
                )
            )
    return problems


def load_inputs(data_dir: str | Path, agreement=None) -> Inputs:
    """Read, type and check every input of ``data_dir``; raise InputError with every problem.

    With ``agreement`` (:class:`~foui_analysis.domain.agreement.Agreement`), municipality codes
    must be members and dates and years must lie in the agreement period.
    """
    data_dir = Path(data_dir)
    log = ProblemLog()
    if not data_dir.is_dir():
        raise InputError.single(data_dir, "katalogen med indata finns inte")
    tables = input_tables(context_for(agreement)) if agreement is not None else INPUT_TABLES
    frames: dict[str, pd.DataFrame] = {}
    rows: dict[str, list[int]] = {}
    files: dict[str, Path] = {}
    for name, table in tables.items():
        try:
            path = find_input(data_dir, name)
        except InputError as exc:
            log.extend(exc)
            continue
        if path is None:
            if name in REQUIRED_INPUTS:
                log.add(data_dir / f"{name}.csv", "filen saknas")
            else:
                frames[name] = empty_table(table, data_dir / f"{name}.csv")
                rows[name] = []
            continue
        files[name] = path
        try:
            raw = read_raw(path)
            with progress.bar(f"Kontrollerar {path.name}"):
                frames[name] = parse_table(raw, table)
            rows[name] = raw.rows
        except InputError as exc:
            log.extend(exc)
    dataset = NO_DATASET
    try:
        dataset = read_dataset(data_dir)
    except InputError as exc:
        log.extend(exc)
    log.raise_if_any()
    members = tuple(agreement.members) if agreement is not None else ()
    problems = cross_check(frames, rows, files, members)
    if agreement is not None:
        problems += equity_revenue_problems(frames, rows, files, agreement)
    if problems:
        raise InputError(problems)
    return Inputs(
        **frames,
        directory=data_dir,
        files=files,
        example=dataset.example,
        description=dataset.description,
    )


def reached_codes(cell: str, members: Iterable[str]) -> list[str]:
    """The municipalities of a ``municipalities`` cell: ``alla`` is every member."""
    codes = split_codes(cell)
    return codes if codes else list(members)


def activity_reach(
    activities: pd.DataFrame,
    members: Iterable[str],
    population: pd.DataFrame | None = None,
    participation: pd.DataFrame | None = None,
    split: str = "population",
    layout: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per activity and municipality reached; participants counted or split exactly.

    ``population`` (optional) has columns ``year, municipality_code, population``: the weights
    of the ``population`` split for the activity's year (without it, or with ``split="equal"``,
    the split is equal). ``participation`` (optional) has ``activity_id, municipality_code,
    participants``; an activity listed there takes its counts from it (0 for a reached
    municipality not listed). Returns the columns :data:`REACH_COLUMNS`; the ``participants`` of
    an activity's rows sum to its participants, and ``hours`` are split the same way (as a share
    of the activity's hours, a float); ``estimated`` marks rows of a split.

    ``layout`` (optional) is the reach of the same activities and members under another split:
    when its rows are the ones this reach has (the same activity and municipality, row by row),
    the result is ``layout`` with only ``participants`` and ``hours`` replaced, sharing its other
    columns under pandas' copy-on-write (always on from pandas 3; pandas 2 copies them unless
    ``mode.copy_on_write`` is set), so that a second split of a large data set costs two
    columns, not a second table. Any other ``layout`` is ignored.
    """
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    members = tuple(members)
    weights: dict[tuple[int, str], int] = {}
    if population is not None and split == "population":
        weights = {
            (int(r.year), str(r.municipality_code)): int(r.population)
            for r in population.itertuples()
        }
    counted: dict[str, dict[str, int]] = {}
    if participation is not None:
        for r in participation.itertuples():
            counted.setdefault(str(r.activity_id), {})[str(r.municipality_code)] = int(
                r.participants
            )
    # Built column by column, not as one dict per row: a million activities reach several
    # million municipalities. An activity without a sign-up list is split by its
    # municipalities, year and participants only, so each such combination is split once.
    reached: dict[str, list[str]] = {}
    splits: dict[tuple[str, int, int], tuple[list[int], list[int], int]] = {}
    codes_column: list[str] = []
    parts_column = array("q")  # machine integers, not a Python int object per row
    weight_column = array("q")
    total_column = array("q")
    counts = array("q")
    years = array("q")
    estimated: list[bool] = []
    for activity_id, date, cell, participants in zip(
        activities["activity_id"],
        activities["date"],
        activities["municipalities"],
        activities["participants"],
        strict=True,
    ):
        codes = reached.get(cell)
        if codes is None:
            codes = reached[cell] = reached_codes(cell, members)
        year = date.year
        listed = counted.get(activity_id)
        if listed is not None:
            parts = {c: listed.get(c, 0) for c in codes}
            key = parts if sum(parts.values()) else dict.fromkeys(codes, 1)
            split_parts = [parts[c] for c in codes]
            split_weights = [key[c] for c in codes]
            total_weight = sum(key.values())
            estimated.append(False)
        else:
            found = splits.get((cell, year, int(participants)))
            if found is None:
                if weights and all((year, c) in weights for c in codes):
                    key = {c: weights[(year, c)] for c in codes}
                else:
                    key = dict.fromkeys(codes, 1)
                allocated = allocate(int(participants), key)
                found = splits[(cell, year, int(participants))] = (
                    [allocated[c] for c in codes],
                    [key[c] for c in codes],
                    sum(key.values()),
                )
            split_parts, split_weights, total_weight = found
            estimated.append(len(codes) > 1)
        if codes and total_weight == 0:
            raise ZeroDivisionError("float division by zero")  # as hours * 0 / 0 would
        codes_column.extend(codes)
        parts_column.extend(split_parts)
        weight_column.extend(split_weights)
        total_column.extend([total_weight] * len(codes))
        counts.append(len(codes))
        years.append(year)
    repeat = np.frombuffer(counts, dtype="int64") if counts else np.zeros(0, dtype="int64")

    def ints(values: array) -> np.ndarray:
        return np.frombuffer(values, dtype="int64").copy() if values else np.zeros(0, "int64")

    hours = np.repeat(np.array([float(h) for h in activities["hours"]], dtype="float64"), repeat)
    # The same arithmetic, in the same order, as float(hours) * weight / total per row.
    hours = hours * ints(weight_column).astype("float64") / ints(total_column).astype("float64")
    del weight_column, total_column
    municipality_code = np.asarray(codes_column, dtype=object)
    del codes_column
    ids = np.repeat(activities["activity_id"].to_numpy(dtype=object), repeat)
    if (
        layout is not None
        and len(layout) == len(ids)
        and list(layout.columns) == REACH_COLUMNS
        and bool((layout["activity_id"].to_numpy(dtype=object) == ids).all())
        and bool((layout["municipality_code"].to_numpy(dtype=object) == municipality_code).all())
    ):
        return layout.assign(participants=ints(parts_column), hours=hours)
    columns = {
        "activity_id": ids,
        "date": np.repeat(activities["date"].to_numpy(dtype=object), repeat),
        "year": np.repeat(ints(years), repeat),
        "area": np.repeat(activities["area"].to_numpy(dtype=object), repeat),
        "kind": np.repeat(activities["kind"].to_numpy(dtype=object), repeat),
        "task": np.repeat(np.asarray([int(t) for t in activities["task"]], dtype="int64"), repeat),
        "partner": np.repeat(activities["partner"].to_numpy(dtype=object), repeat),
        "municipality_code": municipality_code,
        "participants": ints(parts_column),
        "hours": hours,
        "estimated": np.repeat(np.asarray(estimated, dtype=bool), repeat),
    }
    return pd.DataFrame(columns, columns=REACH_COLUMNS)
