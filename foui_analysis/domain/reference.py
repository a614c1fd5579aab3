"""The sourced reference data of ``data/reference/``, loaded and checked together.

Each file is read through its declared schema (:mod:`foui_analysis.schemas.reference`), so a
replaced file gets the same row-and-column messages as any input. Rates are kept as exact
decimals in percent.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd

from foui_analysis.errors import InputError, ProblemLog
from foui_analysis.schemas import read_table
from foui_analysis.schemas import reference as s

FILES = {
    "population": ("scb_population.csv", s.POPULATION),
    "municipalities": ("municipalities.csv", s.MUNICIPALITIES),
    "payroll_overhead": ("payroll_overhead.csv", s.PAYROLL_OVERHEAD),
    "wage_growth": ("wage_growth.csv", s.WAGE_GROWTH),
    "price_index": ("price_index_pkv.csv", s.PRICE_INDEX),
    "salaries": ("salaries.csv", s.SALARIES),
    "assumptions": ("assumptions.csv", s.ASSUMPTIONS),
}


@dataclass(frozen=True)
class Reference:
    population: pd.DataFrame
    municipalities: pd.DataFrame
    payroll_overhead: pd.DataFrame
    wage_growth: pd.DataFrame
    price_index: pd.DataFrame
    salaries: pd.DataFrame
    assumptions: pd.DataFrame
    directory: Path
    population_file: Path

    def rate_pct(self, table: str, column: str, year: int) -> Decimal:
        frame = getattr(self, table)
        match = frame.loc[frame["year"] == year, column]
        if match.empty:
            file = FILES[table][0]
            raise InputError.single(
                self.directory / file,
                f"år {year} saknas; lägg till en rad med källa eller antagande",
                column="year",
            )
        return Decimal(match.iloc[0])

    def municipality_names(self) -> dict[str, str]:
        return dict(
            zip(
                self.municipalities["municipality_code"],
                self.municipalities["municipality"],
                strict=True,
            )
        )

    def files(self) -> list[Path]:
        paths = [self.directory / name for name, _ in FILES.values()]
        return [self.population_file if p.name == FILES["population"][0] else p for p in paths]


def load_reference(directory: str | Path, population: str | Path | None = None) -> Reference:
    """Load every reference table; ``population`` replaces the SCB file when given."""
    directory = Path(directory)
    log = ProblemLog()
    tables: dict[str, pd.DataFrame] = {}
    population_file = Path(population) if population else directory / FILES["population"][0]
    for key, (name, table) in FILES.items():
        path = population_file if key == "population" else directory / name
        try:
            tables[key] = read_table(path, table)
        except InputError as exc:
            log.extend(exc)
    if "population" in tables and "municipalities" in tables:
        log.problems.extend(
            _unknown_municipalities(
                population_file, tables["municipalities"], FILES["population"][1]
            )
        )
    log.raise_if_any()
    return Reference(**tables, directory=directory, population_file=population_file)


def _unknown_municipalities(path: Path, register: pd.DataFrame, table) -> list:
    """Rows of the population file whose code is neither the county nor a municipality in the
    register (``2599`` is in county 25 but no municipality): an error on the row, not ignored."""
    from foui_analysis.domain.population import COUNTY_CODE
    from foui_analysis.errors import Problem
    from foui_analysis.readers import read_raw
    from foui_analysis.schemas import skipped_rows

    known = set(register["municipality_code"]) | {COUNTY_CODE}
    raw = skipped_rows(read_raw(path), table)
    column = "municipality_code"
    return [
        Problem(
            str(path),
            row,
            column,
            f"{str(code).strip()} är ingen kommun i länet (finns inte i municipalities.csv); "
            "rätta koden eller ta bort raden",
        )
        for row, code in zip(raw.rows, raw.frame[column], strict=True)
        if str(code).strip() not in known
    ]
