"""Input tables shaped for analysis at the prompt, and floats for plotting.

Method
------
The library's own analyses read the typed input tables of :mod:`foui_analysis.domain.inputs`,
where a date is a ``datetime.date`` and money is exact (``int`` kronor or ``Decimal``).
A researcher who wants to resample activities per month, or plot a ledger, needs other dtypes:

* :func:`analysis_ready` returns a copy in which every date column (``date`` and ``*_date``) is
  ``datetime64[ns]`` (so ``.dt``, ``.resample`` and date ranges work). Money is left exact.
  :meth:`foui_analysis.Context.table` gives the input tables this way.
* :func:`for_plotting` returns a copy in which every money column (``*_sek``) and every other
  column of ``Decimal`` values is ``float64``. Floats are for drawing only: sums for a report
  are taken from the exact table, never from this one.

Known limits: a column of dates is recognised by its name (``date`` or ending in ``_date``), as
the schemas name them; a column named otherwise is left as it is.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd


def _is_date_column(name: object) -> bool:
    return isinstance(name, str) and (name == "date" or name.endswith("_date"))


def analysis_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with its date columns as ``datetime64[ns]``; money stays exact."""
    out = frame.copy()
    for column in out.columns:
        if _is_date_column(column):
            out[column] = pd.to_datetime(out[column]).astype("datetime64[ns]")
    return out


def _holds_decimals(series: pd.Series) -> bool:
    return series.dtype == object and any(isinstance(v, Decimal) for v in series.dropna())


def for_plotting(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with money (``*_sek``) and Decimal columns as ``float64``, to draw."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        money = isinstance(column, str) and column.endswith("_sek")
        if (money and series.dtype != bool) or _holds_decimals(series):
            out[column] = pd.to_numeric(series.map(lambda v: None if v is None else float(v)))
    return out
