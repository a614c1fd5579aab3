"""The committed notebooks run as they are: one parameters cell with real defaults, no outputs.

Hygiene is enforced, not asked for: git strips every notebook on ``git add`` (the filter
``tools/nbstrip`` named in .gitattributes, installed by ``make setup``), and these tests fail
when a committed notebook is not exactly what that filter makes of it (outputs, execution
counts, editor or widget metadata), or names another kernel than the project's.
"""

import ast
import datetime as dt
import json
import os
import shutil
import subprocess
import sys

import nbformat
import papermill
import pytest
from reportlib import EXAMPLE, NOTEBOOKS, REPO

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


NBSTRIP = REPO / "tools" / "nbstrip"


def nbstrip(*args: str, cwd=REPO) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(NBSTRIP), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "NBSTRIP_PYTHON": sys.executable},
        timeout=120,
    )


@pytest.mark.slow  # runs git's filter on every notebook
def test_every_committed_notebook_is_what_the_git_filter_makes_of_it():
    done = nbstrip("--verify", *map(str, NOTEBOOK_FILES))
    assert done.returncode == 0, (
        done.stdout + done.stderr + "\nStrip them with: tools/nbstrip notebooks/*.ipynb "
        "(`make setup` has git do it on every git add)"
    )


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.name)
def test_committed_with_the_projects_kernel_and_no_stray_metadata(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"] == {
        "kernelspec": {"display_name": "FoUI Norrbotten", "language": "python", "name": "foui"}
    }
    stray = {key for cell in nb["cells"] for key in cell["metadata"]} - {"tags"}
    assert stray == set()


def test_gitattributes_puts_every_notebook_through_the_filter():
    lines = (REPO / ".gitattributes").read_text(encoding="utf-8").splitlines()
    assert "*.ipynb filter=nbstripout diff=ipynb" in lines


@pytest.mark.slow  # a git repository, git add through the filter
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_add_strips_what_jupyterlab_autosaved(tmp_path):
    """In a repository set up as `make setup` does, a notebook saved with outputs stages clean."""
    repo = tmp_path / "repo"
    (repo / "tools").mkdir(parents=True)
    shutil.copy(NBSTRIP, repo / "tools" / "nbstrip")
    shutil.copy(REPO / ".gitattributes", repo / ".gitattributes")
    clean = NOTEBOOKS / "utforska.ipynb"
    nb = nbformat.read(str(clean), as_version=4)
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.execution_count = 7
    code.outputs = [nbformat.v4.new_output("stream", name="stdout", text="3 455 937 kr\n")]
    code.metadata["scrolled"] = True
    nb.metadata["language_info"] = {"name": "python", "version": "3.11.7"}
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    nbformat.write(nb, str(repo / "utforska.ipynb"))

    env = {**os.environ, "NBSTRIP_PYTHON": sys.executable}
    for command in (
        ["init", "-q"],
        ["config", "filter.nbstripout.clean", "tools/nbstrip"],
        ["config", "filter.nbstripout.smudge", "cat"],
        ["config", "filter.nbstripout.required", "true"],
        ["add", "utforska.ipynb"],
    ):
        subprocess.run(["git", *command], cwd=repo, check=True, env=env, capture_output=True)
    staged = subprocess.run(
        ["git", "show", ":utforska.ipynb"], cwd=repo, check=True, capture_output=True, text=True
    ).stdout
    assert staged == clean.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.name)
def test_the_notebook_explains_itself_to_a_researcher_not_in_the_report(path):
    nb = nbformat.read(str(path), as_version=4)
    intro = nb.cells[1]
    assert intro.cell_type == "markdown" and intro.source.startswith("## Om notebooken")
    # Hidden from the board's report (the report template drops remove-cell).
    assert "remove-cell" in intro.metadata.get("tags", [])
    for needed in (
        "påhittade exempeldata",
        "*FoUI Norrbotten* (`foui`)",
        "(../docs/datadictionary.md)",
        "`foui check --data KATALOG`",
    ):
        assert needed in intro.source, needed
    # Every parameter is named (and said what it means) in the "Parametrar" list.
    parameters = intro.source.split("**Parametrar**", 1)[1]
    for name in declared_defaults(path):
        assert f"`{name}`" in parameters, name
