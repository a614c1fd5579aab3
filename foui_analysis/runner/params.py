"""Checking a report's parameters against its notebook before any kernel starts.

Method
------
A report notebook declares its parameters in the one code cell tagged ``parameters`` (the
papermill convention), as top-level assignments with an optional annotation::

    period: str = "2015H1"
    data_dir: str = "data/example"
    first_year: int = 2014

The cell is read from the notebook file and parsed with :mod:`ast` (never executed). Each
parameter's type is its annotation when that is ``str``, ``int``, ``float`` or ``bool`` (with
``| None`` allowed), otherwise the type of its literal default. A job is refused, with a
message naming the report and the parameter, when it passes a name the notebook does not
declare or a value of the wrong type (an ``int`` is accepted for a ``float``; a ``bool`` is
never accepted for an ``int``). A notebook without a ``parameters`` cell, or with more than one,
is refused too: it could not be run as it is.

Known limits
------------
Parameters whose type cannot be told (no annotation, default not a literal) accept any value.
Only Python notebooks are supported.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from foui_analysis.runner.errors import ReportError

_TYPES: dict[str, type] = {"str": str, "int": int, "float": float, "bool": bool}
_TYPE_WORDS = {str: "text (str)", int: "heltal (int)", float: "tal (float)", bool: "sant/falskt"}


@dataclass(frozen=True)
class Parameter:
    """A parameter declared in a notebook's ``parameters`` cell."""

    name: str
    type: type | None
    optional: bool
    default: Any


def _annotation_type(node: ast.expr | None) -> tuple[type | None, bool]:
    if node is None:
        return None, False
    if isinstance(node, ast.Name):
        return _TYPES.get(node.id), False
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        sides = [node.left, node.right]
        if any(isinstance(s, ast.Constant) and s.value is None for s in sides):
            other = next(s for s in sides if not (isinstance(s, ast.Constant) and s.value is None))
            return _annotation_type(other)[0], True
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return _TYPES.get(node.value), False
    return None, False


def _cells(notebook: Path) -> list[dict[str, Any]]:
    """The cells of a notebook file, read as JSON.

    Plain JSON rather than :func:`nbformat.read`: nothing here needs the schema validation,
    and importing nbformat (jsonschema) costs more than the ``foui`` command's whole no-op run.
    A notebook older than format 4 is read with nbformat, which upgrades it.
    """
    try:
        text = Path(notebook).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ReportError(f"notebooken {notebook} finns inte") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ReportError(f"notebooken {notebook} kan inte läsas: {exc}") from None
    try:
        nb = json.loads(text)
        if not isinstance(nb, dict):
            raise ValueError("ingen notebook (JSON-objekt) i filen")
        if nb.get("nbformat", 0) < 4:
            import nbformat

            nb = nbformat.reads(text, as_version=4)
        cells = nb["cells"]
        if not isinstance(cells, list) or not all(isinstance(c, dict) for c in cells):
            raise ValueError("'cells' är inte en lista av celler")
    except Exception as exc:  # JSON, nbformat and shape errors alike
        raise ReportError(f"notebooken {notebook} kan inte läsas: {exc}") from None
    return cells


def notebook_parameters(notebook: Path) -> dict[str, Parameter]:
    """The parameters declared in ``notebook``'s ``parameters`` cell, by name."""
    cells = [c for c in _cells(notebook) if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        found = "ingen cell" if not cells else f"{len(cells)} celler"
        raise ReportError(
            f"notebooken {notebook} ska ha exakt en cell med taggen 'parameters', har {found}"
        )
    try:
        source = cells[0].get("source", "")
        tree = ast.parse("".join(source) if isinstance(source, list) else source)
    except SyntaxError as exc:
        raise ReportError(f"parametercellen i {notebook} är inte giltig Python: {exc}") from None
    params: dict[str, Parameter] = {}
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            name, annotation, value = node.target.id, node.annotation, node.value
        elif (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
        ):
            name, annotation, value = node.targets[0].id, None, node.value
        else:
            continue
        try:
            default = ast.literal_eval(value) if value is not None else None
        except ValueError:
            default = None
        declared, optional = _annotation_type(annotation)
        if declared is None and annotation is None and default is not None:
            declared = type(default) if type(default) in _TYPE_WORDS else None
        params[name] = Parameter(name, declared, optional or default is None, default)
    return params


def _type_ok(value: Any, expected: type) -> bool:
    if expected is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, expected)


def check_parameters(report: str, notebook: Path, parameters: dict[str, Any]) -> None:
    """Refuse unknown parameter names and wrongly typed values (raises :class:`ReportError`)."""
    declared = notebook_parameters(notebook)
    problems = []
    for name, value in parameters.items():
        spec = declared.get(name)
        if spec is None:
            known = ", ".join(sorted(declared)) or "inga"
            problems.append(f"okänd parameter '{name}' (notebooken har: {known})")
        elif value is None and spec.optional:
            continue
        elif spec.type is not None and not _type_ok(value, spec.type):
            problems.append(
                f"parametern '{name}' ska vara {_TYPE_WORDS[spec.type]}, "
                f"fick {type(value).__name__} {value!r}"
            )
    if problems:
        raise ReportError(
            f"Rapporten {report}: " + "; ".join(problems) + f" ({notebook})", report=report
        )
