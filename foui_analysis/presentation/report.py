"""What a report notebook hands to the runner, besides what it shows: named key figures.

Method
------
A notebook calls :func:`emit_kpis` with a mapping of indicator names to values. The values are
emitted as a display output with the private mimetype :data:`KPI_MIMETYPE`; the runner collects
every such output of the executed notebook into ``kpis.json`` next to the report, and the report
template drops these outputs, so they never reach the HTML. JupyterLab has no renderer for the
private mimetype and shows the plain-text part, which is one line, not the record: run
interactively (:func:`foui_analysis.jupyter.interactive`), the record is written to
``reports/jupyterlab/<notebook>-kpis.json`` (or the folder ``FOUI_INTERACTIVE_OUT`` names) and
the line names that file.

A value may be a mapping such as ``{"label": ..., "value": ..., "unit": "kr"}``, kept as a JSON
object with each member converted. Values are converted to JSON exactly: integers stay
integers, a ``Decimal`` becomes an integer
when it is whole and otherwise a string (JSON has no exact decimal type), ``None`` and missing
values become ``null``. Floats are kept as floats (shares, averages), never money.

Known limits
------------
Names must be unique within a report; emitting the same name twice makes the run fail, since
one of the two values would otherwise be lost silently.
"""

from __future__ import annotations

import json
import math
import numbers
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

KPI_MIMETYPE = "application/vnd.foui.kpis+json"
"""Mimetype of the key-figure outputs the runner collects into ``kpis.json``."""


def kpi_value(value: Any) -> Any:
    """Convert one key-figure value to an exact JSON value (see the module docstring)."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, Mapping):
        return {str(k): kpi_value(v) for k, v in value.items()}
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"key figure cannot be {value}")
        return int(value) if value == value.to_integral_value() else str(value)
    if isinstance(value, numbers.Real):
        value = float(value)
        return None if math.isnan(value) else value
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    raise TypeError(f"key figure of type {type(value).__name__} is not supported: {value!r}")


def kpis_payload(kpis: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON object emitted for ``kpis``: names checked, values converted."""
    payload = {}
    for name, value in kpis.items():
        if not isinstance(name, str) or not name:
            raise TypeError(f"key figure names are non-empty strings, got {name!r}")
        payload[name] = kpi_value(value)
    return payload


def emit_kpis(kpis: Mapping[str, Any]) -> None:
    """Hand named key figures to the runner (collected into ``kpis.json``).

    In interactive use the record goes to a file (module docstring), not onto the screen.
    """
    from IPython.display import display

    from foui_analysis import jupyter

    payload = kpis_payload(kpis)
    text = f"{len(payload)} nyckeltal för kpis.json (foui run skriver dem bredvid rapporten)."
    if jupyter.interactive():
        written = _write_interactive_record(payload, jupyter.notebook_name())
        text = f"{len(payload)} nyckeltal skrevs till {written}."
    display({KPI_MIMETYPE: payload, "text/plain": text}, raw=True)


def _write_interactive_record(payload: dict[str, Any], notebook: str | None) -> Path:
    import os

    from foui_analysis.paths import REPO_ROOT

    folder = os.environ.get("FOUI_INTERACTIVE_OUT") or REPO_ROOT / "reports" / "jupyterlab"
    path = Path(folder) / f"{notebook or 'notebook'}-kpis.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path
