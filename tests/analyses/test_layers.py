"""The analyses compute; they neither read folders nor know the runner (docs/design.md, layers).

Previously published key figures reach :mod:`foui_analysis.analyses.restatements` as data
(:func:`foui_analysis.runner.published.published_followups` collects them for the notebook), so the
analyses can be tested, and reused, without any output folder.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import foui_analysis.analyses

ANALYSES = Path(foui_analysis.analyses.__file__).parent
FORBIDDEN_MODULES = (
    "foui_analysis.runner",
    "foui_analysis.runner.published",
    "foui_analysis.paths",
    "foui_analysis.readers",
    "pathlib",
    "os",
    "shutil",
    "json",
    "tomllib",
    "glob",
    "io",
)
FILE_METHODS = {
    "open",
    "read_text",
    "read_bytes",
    "write_text",
    "write_bytes",
    "glob",
    "rglob",
    "iterdir",
    "exists",
    "is_file",
    "is_dir",
    "stat",
    "mkdir",
    "unlink",
    "read_csv",
    "read_excel",
    "read_json",
    "to_csv",
    "to_excel",
    "to_json",
}


def _forbidden(module: str) -> bool:
    return any(module == name or module.startswith(f"{name}.") for name in FORBIDDEN_MODULES)


def problems_in(source: str) -> list[str]:
    """Imports of the runner, the published folder or file APIs, and calls that touch files."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [f"import {a.name}" for a in node.names if _forbidden(a.name)]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if _forbidden(node.module):
                found.append(f"from {node.module} import ...")
            elif node.module == "foui_analysis":
                found += [
                    f"from foui_analysis import {a.name}"
                    for a in node.names
                    if _forbidden(f"foui_analysis.{a.name}")
                ]
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id == "open":
                found.append("open(...)")
            elif isinstance(func, ast.Attribute) and func.attr in FILE_METHODS:
                found.append(f".{func.attr}(...)")
    return found


MODULES = sorted(ANALYSES.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=[p.name for p in MODULES])
def test_an_analysis_module_reads_no_folder_and_knows_no_runner(path):
    assert problems_in(path.read_text(encoding="utf-8")) == []


def test_the_analyses_package_has_modules_to_check():
    assert {p.name for p in MODULES} >= {"followup.py", "evaluation.py", "restatements.py"}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "from foui_analysis.runner.published import first_published",
            ["from foui_analysis.runner.published import ..."],
        ),
        ("import foui_analysis.runner.jobs", ["import foui_analysis.runner.jobs"]),
        ("from foui_analysis import runner", ["from foui_analysis import runner"]),
        ("def f():\n    from pathlib import Path", ["from pathlib import ..."]),
        ("def f(p):\n    return p.read_text()", [".read_text(...)"]),
        ("def f(d):\n    return list(d.glob('*'))", [".glob(...)"]),
        ("with open('x') as f:\n    pass", ["open(...)"]),
        ("from foui_analysis.periods import half_years", []),
        ("from foui_analysis.domain.inputs import SPLITS", []),
    ],
)
def test_the_check_finds_what_it_looks_for(source, expected):
    assert problems_in(source) == expected
