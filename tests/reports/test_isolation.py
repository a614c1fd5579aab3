"""Reports are isolated from each other in one runner process.

A notebook that changes matplotlib's rcParams, a pandas option, the working directory, an
environment variable and ``sys.path``, and drops rows in place from the cached inputs and the
analysis basis, runs first; then a probe notebook and the real follow-up run in the same
process. Both must give exactly what they give when run alone.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from foui_analysis.paths import REPO_ROOT
from foui_analysis.runner import engine, followup_job, isolation, run_job

pytestmark = pytest.mark.slow

EXAMPLE = REPO_ROOT / "data" / "example"
PARAMETERS = (
    'period = "2015H1"\ndata_dir = "data/example"\n'
    'agreement = "data/agreement.toml"\nreference = "data/reference"'
)

POLLUTE = """
import os, sys
import matplotlib
import pandas as pd
import foui_analysis as foui
from foui_analysis.analyses import goals
from foui_analysis.presentation import emit_kpis

matplotlib.rcParams["figure.figsize"] = (1.0, 1.0)
matplotlib.rcParams["font.size"] = 3.0
pd.set_option("display.precision", 1)
pd.set_option("display.max_rows", 3)
os.environ["FOUI_SMUTS"] = "ja"
os.environ.pop("HOME", None)
sys.path.insert(0, "/finns-inte")
ctx = foui.load(data_dir, agreement, reference)
ctx.inputs.activities.drop(ctx.inputs.activities.index[:50], inplace=True)
ctx.inputs.activities["participants"] = 0
ctx.reference.population.drop(ctx.reference.population.index[:20], inplace=True)
ctx.agreement.shared_cost_key.clear()
basis = goals.analysis_basis(ctx.agreement, ctx.reference, ctx.inputs)
basis.inputs.activities.drop(basis.inputs.activities.index[:50], inplace=True)
basis.reach.drop(basis.reach.index[:50], inplace=True)
basis.population["population"] = 1
os.chdir("/")
emit_kpis({"smutsade": True})
"""

PROBE = """
import os, sys
import matplotlib
import pandas as pd
import foui_analysis as foui
from foui_analysis.analyses import goals
from foui_analysis.presentation import emit_kpis

ctx = foui.load(data_dir, agreement, reference)
basis = goals.analysis_basis(ctx.agreement, ctx.reference, ctx.inputs)
emit_kpis({
    "figsize": str(list(matplotlib.rcParams["figure.figsize"])),
    "font_size": float(matplotlib.rcParams["font.size"]),
    "precision": pd.get_option("display.precision"),
    "max_rows": pd.get_option("display.max_rows"),
    "cwd": os.getcwd(),
    "smuts": os.environ.get("FOUI_SMUTS"),
    "home": os.environ.get("HOME"),
    "path0": sys.path[0],
    "activities": len(ctx.inputs.activities),
    "participants": int(ctx.inputs.activities["participants"].sum()),
    "population_rows": len(ctx.reference.population),
    "cost_key": len(ctx.agreement.shared_cost_key),
    "basis_activities": len(basis.inputs.activities),
    "reach": len(basis.reach),
    "basis_population": int(basis.population["population"].sum()),
})
"""


def notebook(directory: Path, name: str, code: str) -> Path:
    parameters = new_code_cell(PARAMETERS)
    parameters.metadata["tags"] = ["parameters"]
    nb = new_notebook(cells=[parameters, new_code_cell(code)])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = directory / f"{name}.ipynb"
    nbformat.write(nb, str(path))
    return path


def kpis(out: Path, name: str) -> dict:
    return json.loads((out / name / "kpis.json").read_text(encoding="utf-8"))


@pytest.fixture
def in_process():
    if not engine.available():
        pytest.skip("the in-process engine is not available in this process")


def test_a_notebook_cannot_change_what_the_next_one_sees(tmp_path, in_process):
    job = followup_job("2015H1", EXAMPLE)
    polluter = dataclasses.replace(job, notebook=notebook(tmp_path, "smutsa", POLLUTE))
    probe = dataclasses.replace(job, notebook=notebook(tmp_path, "prova", PROBE))

    run_job(probe, tmp_path / "alone", force=True)
    alone = kpis(tmp_path / "alone", job.name)
    environ, path, cwd = dict(os.environ), list(sys.path), os.getcwd()

    run_job(polluter, tmp_path / "after", force=True)
    assert kpis(tmp_path / "after", job.name) == {"smutsade": True}
    assert dict(os.environ) == environ and sys.path == path and os.getcwd() == cwd
    run_job(probe, tmp_path / "after", force=True)
    assert kpis(tmp_path / "after", job.name) == alone
    assert alone["smuts"] is None and alone["path0"] != "/finns-inte"


def test_a_real_report_after_a_polluting_one_is_the_report_made_alone(
    tmp_path, in_process, real_reports
):
    job = followup_job("2015H1", EXAMPLE)
    polluter = dataclasses.replace(job, notebook=notebook(tmp_path, "smutsa", POLLUTE))
    out = tmp_path / "ut"
    run_job(polluter, tmp_path / "smuts", force=True)
    run_job(job, out, force=True)
    assert kpis(out, job.name) == kpis(real_reports, job.name)


def test_without_pandas_option_registry_the_runner_falls_back_and_says_so(monkeypatch, capsys):
    monkeypatch.setattr(isolation, "_pandas_option_names", lambda: None)
    monkeypatch.setattr(isolation, "_fallback_said", False)
    monkeypatch.setattr(sys, "__stderr__", sys.stderr)
    import pandas  # noqa: F401  (the registry is looked for only once pandas is imported)

    assert engine.available() is False
    assert "egen Python-kärna" in capsys.readouterr().err
