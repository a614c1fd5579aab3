"""What a data directory says about itself: ``dataset.toml`` (and the ``EXEMPELDATA`` marker).

This package is the data set as a whole: this module reads its ``dataset.toml``;
:mod:`.init` makes a new one (``foui init DIR``) and says what it still lacks; :mod:`.templates`
writes the Excel templates an office fills in.

Method
------
:func:`read_dataset` is the one reader of ``dataset.toml``. Everything that asks whether a data
directory holds example data (the EXEMPELDATA banner of the reports, the explorer, the runner's
provenance) or up to which date its books are closed (the runner, ``foui check``) asks it::

    [dataset]
    example = true                     # fictional example data: reports show EXEMPELDATA
    description = "..."                # shown with the data set
    books_closed_through = 2018-12-31  # the last day whose books are closed (a TOML date)

A directory is example data when ``[dataset] example = true`` or when it holds a file named
``EXEMPELDATA`` (an older marker, still honoured, so example data is never taken for real data).

Assumptions and limits: a directory without ``dataset.toml`` is real data with no closed period
given (:data:`NO_DATASET`); keys other than the three above are ignored. Every problem (TOML that
cannot be read, a value of the wrong type) is an :class:`~foui_analysis.errors.InputError` whose
Swedish message names the file and the key.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from foui_analysis.errors import InputError, Problem

DATASET_FILE = "dataset.toml"
EXAMPLE_MARKER = "EXEMPELDATA"
BOOKS_CLOSED_KEY = "books_closed_through"


@dataclass(frozen=True)
class Dataset:
    """What ``dataset.toml`` declares; the defaults are those of a directory without one."""

    example: bool = False
    description: str = ""
    books_closed_through: dt.date | None = None


NO_DATASET = Dataset()


def read_dataset(data_dir: Path) -> Dataset:
    """The declarations of ``data_dir`` (see the module docstring); raises InputError."""
    data_dir = Path(data_dir)
    marked = (data_dir / EXAMPLE_MARKER).exists()
    path = data_dir / DATASET_FILE
    if not path.exists():
        return Dataset(example=marked)
    from foui_analysis.readers import read_toml

    # UTF-8 (a BOM skipped), UTF-16 with a BOM; a directory or Windows-1252 refused, named.
    data = read_toml(path, DATASET_FILE)
    info = data.get("dataset", {})
    if not isinstance(info, dict):
        raise InputError.single(path, "väntade en tabell [dataset]", column="dataset")
    problems = []
    example = info.get("example", False)
    if not isinstance(example, bool):
        problems.append(Problem(str(path), None, "dataset.example", "väntade true eller false"))
    closed = info.get(BOOKS_CLOSED_KEY)
    if closed is not None and (not isinstance(closed, dt.date) or isinstance(closed, dt.datetime)):
        problems.append(
            Problem(
                str(path), None, BOOKS_CLOSED_KEY, f"väntade ett datum ÅÅÅÅ-MM-DD, fick {closed!r}"
            )
        )
    if problems:
        raise InputError(problems)
    return Dataset(
        example=marked or example is True,
        description=str(info.get("description", "")),
        books_closed_through=closed,
    )


def books_closed_through(data_dir: Path) -> dt.date | None:
    """``[dataset] books_closed_through`` of ``data_dir`` (:func:`read_dataset`), or None."""
    return read_dataset(data_dir).books_closed_through
