"""Handing out cached objects so that no caller can change what the next one sees.

Method
------
The report runner keeps loaded inputs (and the analysis basis computed from them) in its process
for report after report (:mod:`foui_analysis.context`). A notebook that changes such an object
in place (``ctx.inputs.activities.drop(..., inplace=True)``, a new column, a changed cell, a
changed dict of the agreement) must not change the next report. :func:`handout` gives every
caller its own view of a cached dataclass: the same class, every ``DataFrame`` field a copy,
every other mutable field (dicts, lists, nested dataclasses) a deep copy, and immutable values
shared. Under pandas' copy-on-write (always on from pandas 3) a frame's copy is shallow and costs
nothing until someone writes to it; without copy-on-write it is a deep copy.

:func:`origin` gives back the cached object a view was made from, so that caches keyed on it
(the analysis basis and its memo, :func:`foui_analysis.analyses.goals.analysis_basis`) still
serve every report.

Known limits: objects reached through attributes that are not dataclass fields are shared; a
notebook that changes a module's globals is not undone here (the engine restores the process
state it knows of, :mod:`foui_analysis.runner.engine`).
"""

from __future__ import annotations

import copy
import dataclasses
from typing import Any, TypeVar

import pandas as pd

T = TypeVar("T")
_ORIGIN = "_foui_origin"


def copy_on_write() -> bool:
    """True when pandas copies a shared frame before any write (pandas 3, or switched on)."""
    if int(pd.__version__.split(".")[0]) >= 3:
        return True
    try:
        return bool(pd.get_option("mode.copy_on_write"))
    except (KeyError, pd.errors.OptionError):
        return False


def frame_copy(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` that nobody else's writes can reach, and that reaches nobody's."""
    copied = frame.copy(deep=not copy_on_write())
    copied.attrs = copy.deepcopy(frame.attrs)
    return copied


def _value(value: Any) -> Any:
    if isinstance(value, pd.DataFrame | pd.Series):
        return frame_copy(value) if isinstance(value, pd.DataFrame) else value.copy()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return handout(value)
    if isinstance(value, str | int | float | bool | bytes | type(None) | frozenset):
        return value
    if isinstance(value, tuple) and all(
        isinstance(v, str | int | float | bool | type(None)) for v in value
    ):
        return value
    return copy.deepcopy(value)


def handout(obj: T) -> T:
    """A view of the dataclass ``obj`` for one caller (see the module docstring)."""
    source = origin(obj)
    view = copy.copy(source)
    declared = dataclasses.fields(source)  # type: ignore[arg-type]  # T is a dataclass by contract
    for f in declared:
        if f.name in ("memo",):
            continue  # a memo of results is shared on purpose; its results are copied out
        object.__setattr__(view, f.name, _value(getattr(source, f.name)))
    # A cached property computed on the original is handed out too (e.g. Context.inputs).
    for name, value in list(vars(source).items()):
        if name not in {f.name for f in declared} and name != _ORIGIN:
            object.__setattr__(view, name, _value(value))
    object.__setattr__(view, _ORIGIN, source)
    return view


def origin(obj: T) -> T:
    """The cached object ``obj`` was handed out from (``obj`` itself if it is no view)."""
    return getattr(obj, _ORIGIN, obj)
