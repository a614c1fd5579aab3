"""The committed notebooks run as they are: one parameters cell with real defaults, no outputs."""

import ast
import datetime as dt

import nbformat
import papermill
import pytest
from reportlib import EXAMPLE, NOTEBOOKS

from foui_analysis.runner import evaluation_job, fees_job, followup_job

NOTEBOOK_FILES = sorted(NOTEBOOKS.glob("*.ipynb"))
JOBS = {
    "uppfoljning.ipynb": followup_job("2015H1", EXAMPLE),
    "utvardering.ipynb": evaluation_job(2014, 2016, EXAMPLE),
    "avgifter.ipynb": fees_job(2015, EXAMPLE),
}


def parameters_cells(path):
    nb = nbformat.read(str(path), as_version=4)
    return [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]


def declared_defaults(path) -> dict[str, object]:
    """Name -> literal default of every assignment in the parameters cell (ValueError if not)."""
    (cell,) = parameters_cells(path)
    defaults = {}
    for node in ast.parse(cell.source).body:
        if isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        else:
            raise ValueError(f"{path.name}: not a plain assignment: {ast.unparse(node)}")
        defaults[target.id] = ast.literal_eval(value) if value is not None else None
    return defaults


def test_the_notebooks_are_there():
    assert {p.name for p in NOTEBOOK_FILES} >= {
        "uppfoljning.ipynb",
        "utvardering.ipynb",
        "avgifter.ipynb",
        "utforska.ipynb",
    }


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.name)
def test_exactly_one_parameters_cell(path):
    cells = parameters_cells(path)
    assert len(cells) == 1
    assert cells[0].cell_type == "code"


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.name)
def test_every_parameter_has_a_real_literal_default(path):
    defaults = declared_defaults(path)
    assert defaults, "the parameters cell declares nothing"
    assert {name: value for name, value in defaults.items() if value is None} == {}
    assert set(papermill.inspect_notebook(str(path))) == set(defaults)


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.name)
def test_defaults_name_things_that_exist(path):
    defaults = declared_defaults(path)
    if "data_dir" in defaults:
        assert (NOTEBOOKS.parent / defaults["data_dir"]).is_dir()
    if "period" in defaults:
        followup_job(defaults["period"], EXAMPLE)  # raises on a malformed period
    for name in ("year", "first_year", "last_year"):
        if name in defaults:
            assert 2014 <= defaults[name] <= dt.date.today().year


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.name)
def test_committed_without_outputs_or_execution_counts(path):
    nb = nbformat.read(str(path), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [i for i, c in enumerate(code) if c.outputs] == []
    assert [i for i, c in enumerate(code) if c.execution_count is not None] == []


@pytest.mark.parametrize("notebook", sorted(JOBS))
def test_job_builders_pass_only_declared_parameters(notebook):
    job = JOBS[notebook]
    assert job.notebook == NOTEBOOKS / notebook
    declared = declared_defaults(job.notebook)
    assert set(job.parameters) <= set(declared)
    for name, value in job.parameters.items():
        assert type(value) is type(declared[name]), name
