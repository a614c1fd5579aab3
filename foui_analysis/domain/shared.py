"""Results of the loaded agreement and reference data, computed once per runner process.

Method
------
The report runner keeps the loaded agreement and reference data in its process for report after
report (:mod:`foui_analysis.context`, the process cache) and hands every notebook its own view of
them (:mod:`foui_analysis.handout`). Every fee report asks for the budget calculation of the whole
agreement period, its fee tables year by year, the fallbacks of its population basis and the
staff costs, and the follow-ups ask for the same calculation again: the same figures from the
same objects. A function decorated with :func:`per_loaded` (``function(agreement, reference,
*args)``) is therefore computed once per loaded agreement, reference data and arguments when it is
given views of the cached objects (or the cached objects themselves, as a memoised function
passes them on), and every caller gets a copy of the result, so a caller that changes its copy
cannot change another's.

The result is computed from the cached objects, never from the caller's view: a notebook that
changed its view of the reference data in place cannot put its figures into the memo that the
next report reads. This is the rule the analysis basis follows too
(:func:`foui_analysis.analyses.goals.analysis_basis`).

The memo is the arguments as the function sees them (bound to its parameters, defaults filled
in) and holds the results of one agreement and reference pair; another pair (a changed file, so
a new Context) empties it. An exception is not remembered: the next call raises it again.

Known limits: outside the process cache (a researcher's ``foui.load()``, the tests, an agreement
made with ``dataclasses.replace``) nothing is remembered and every call computes, so a researcher
who changes a loaded table in place and asks again gets figures from the changed table. Inside
the runner, a notebook that changes its loaded agreement or reference data in place and then
asks for these results gets those of the loaded files, as it would from the analysis basis.
"""

from __future__ import annotations

import copy
import functools
import inspect
from collections.abc import Callable
from typing import Any

import pandas as pd

_owners: list[Any] = [None, None]
"""The cached agreement and reference data the memo belongs to (held, so ids stay theirs)."""
_memo: dict[tuple, Any] = {}


def _copy(result: Any) -> Any:
    """A copy of a result that shares nothing mutable with it (frames copied, tuples walked)."""
    if isinstance(result, pd.DataFrame | pd.Series):
        return result.copy()
    if isinstance(result, tuple):
        return tuple(_copy(part) for part in result)
    return copy.deepcopy(result)


def _cached(agreement: Any, reference: Any) -> tuple[Any, Any] | None:
    """The cached objects behind ``agreement`` and ``reference``, or None when they are not the
    process cache's (then nothing is remembered)."""
    from foui_analysis.handout import origin

    source_agreement, source_reference = origin(agreement), origin(reference)
    views = source_agreement is not agreement and source_reference is not reference
    if views:
        if _owners[0] is not source_agreement or _owners[1] is not source_reference:
            _memo.clear()
            _owners[:] = [source_agreement, source_reference]
        return source_agreement, source_reference
    if _owners[0] is agreement and _owners[1] is reference:
        return agreement, reference  # the cached objects, passed on by a memoised function
    return None


def per_loaded(function: Callable) -> Callable:
    """Compute ``function(agreement, reference, *args)`` once per cached agreement, reference
    data and arguments; hand out copies (see the module docstring)."""
    signature = inspect.signature(function)

    @functools.wraps(function)
    def wrapper(agreement, reference, *args, **kwargs):
        cached = _cached(agreement, reference)
        if cached is None:
            return function(agreement, reference, *args, **kwargs)
        bound = signature.bind(agreement, reference, *args, **kwargs)
        bound.apply_defaults()
        arguments = tuple(bound.arguments.items())[2:]  # all but the agreement and reference
        key = (function.__module__, function.__qualname__, arguments)
        try:
            hash(key)
        except TypeError:  # an argument that cannot be a key (a frame): computed every time
            return function(*cached, *args, **kwargs)
        if key not in _memo:
            _memo[key] = function(*cached, *args, **kwargs)
        return _copy(_memo[key])

    return wrapper
