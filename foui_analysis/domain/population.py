"""Population: the basis of every fee.

Method
------
SCB publishes each municipality's population on 31 December (folkmängd, BE0101). A fee year *Y*
uses the population on 31 December of year *Y - lag* (``population_basis.lag_years`` in the
agreement; default 2: when the annual meeting sets next year's fees in March-April, 31 December
two years before the fee year is the newest published figure). A lag of 1 gives the newer figure
for a fee set after SCB's February release.

The county row (code ``25``) is not used for fees. :func:`county_check` compares it with the sum
of the municipalities each year and reports every difference, naming the year and the number of
inhabitants: SCB's own tables agree exactly, so a difference points at a wrong row (the reference
file has one known case, 2015, where the sum is 31 above the county).

The rule is the agreement's (``[population_basis]``): a lag in years (``lag_years``) or a fixed
year for every fee year (``fixed_year``), and the reference date of the series
(``reference_date``, month-day, ``"12-31"`` by default). Another series, such as SCB's 1
November figures, is supplied as a population file (``foui fees --population FILE``) whose
``date`` column gives the date of each figure; a figure whose date is not the agreement's
reference date is refused, naming the file, so a 1 November figure is never read as a 31
December one.

Known limits: a municipality that is missing for the basis year is an error, never interpolated;
population revisions published after the fee decision are not tracked.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from foui_analysis.errors import ProblemLog
from foui_analysis.periods import MONTHS_SV

COUNTY_CODE = "25"


def _date_sv(date: dt.date) -> str:
    return f"{date.day} {MONTHS_SV[date.month - 1]} {date.year}"


BASIS_COLUMNS = ["municipality_code", "municipality", "basis_date", "population"]


def basis_year(fee_year: int, lag_years: int) -> int:
    """The year whose 31 December population is the basis for ``fee_year``."""
    return fee_year - lag_years


def population_basis(
    population: pd.DataFrame,
    members: tuple[str, ...],
    names: dict[str, str],
    fee_year: int,
    lag_years: int,
    source: str = "befolkningsfilen",
    year: int | None = None,
    reference_date: tuple[int, int] = (12, 31),
) -> pd.DataFrame:
    """Each member's basis population for ``fee_year``, in member order.

    ``year`` (default ``fee_year - lag_years``) is the population year; ``reference_date``
    the month and day of the series. Returns columns ``municipality_code, municipality,
    basis_date, population``. Raises an InputError listing every member without a figure for the
    basis year, and every figure whose ``date`` is not the reference date.
    """
    year = basis_year(fee_year, lag_years) if year is None else year
    rows = population[population["year"] == year].set_index("municipality_code")
    log = ProblemLog()
    month, day = reference_date
    wanted = dt.date(year, month, day)
    if "date" in rows.columns:
        other = [
            f"{names.get(code, code)} ({rows.loc[code, 'date']})"
            for code in members
            if code in rows.index
            and isinstance(rows.loc[code, "date"], dt.date)
            and rows.loc[code, "date"] != wanted
        ]
        if other:
            log.add(
                source,
                f"avtalets befolkningsunderlag avser den {_date_sv(wanted)} "
                f"({wanted.isoformat()}), men filen ger folkmängd vid ett annat datum för "
                f"{', '.join(other)}",
                column="date",
            )
    records = []
    missing = [code for code in members if code not in rows.index]
    if missing:
        who = ", ".join(f"{names.get(code, 'okänd')} ({code})" for code in missing)
        log.add(
            source,
            f"folkmängd {_date_sv(wanted)} saknas för {who}; den behövs som "
            f"underlag för avgiftsåret {fee_year}",
            column="population",
        )
    unknown = [code for code in members if code not in names]
    if unknown:
        log.add(
            source,
            f"kommunkod {', '.join(unknown)} finns inte i kommunregistret",
            column="municipality_code",
        )
    for code in members:
        if code in missing or code in unknown:
            continue
        records.append(
            {
                "municipality_code": code,
                "municipality": names[code],
                "basis_date": wanted,
                "population": int(rows.loc[code, "population"]),
            }
        )
    log.raise_if_any()
    return pd.DataFrame(records, columns=BASIS_COLUMNS)


def county_check(population: pd.DataFrame) -> pd.DataFrame:
    """Per year with a county row: the county figure, the sum of municipalities and the gap.

    Years where not every municipality present in other years has a figure are marked
    ``complete = False`` and their difference is not a disagreement.
    """
    municipal = population[population["municipality_code"] != COUNTY_CODE]
    county = population[population["municipality_code"] == COUNTY_CODE]
    expected = municipal["municipality_code"].nunique()
    sums = municipal.groupby("year").agg(
        municipalities_sum=("population", "sum"), municipalities=("municipality_code", "nunique")
    )
    out = county.set_index("year")[["population"]].rename(columns={"population": "county"})
    out = out.join(sums, how="left").fillna({"municipalities_sum": 0, "municipalities": 0})
    out["complete"] = out["municipalities"] == expected
    out["difference"] = out["municipalities_sum"].astype(int) - out["county"].astype(int)
    return out.reset_index()[["year", "county", "municipalities_sum", "difference", "complete"]]


def county_warnings(population: pd.DataFrame) -> list[str]:
    """One Swedish sentence per complete year where county and municipalities disagree."""
    check = county_check(population)
    bad = check[check["complete"] & (check["difference"] != 0)]
    return [
        f"Folkmängd {r.year}: summan av kommunerna ({r.municipalities_sum}) skiljer sig från "
        f"länets siffra ({r.county}) med {r.difference:+d} invånare"
        for r in bad.itertuples()
    ]
