"""Batch workers: forked from the warm server, replaced when in doubt, the caller's environment."""

import dataclasses
import io
import json
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from foui_analysis.runner import batch, fees_job, followup_job, run_jobs

pytestmark = pytest.mark.slow


def env_notebook(directory: Path) -> Path:
    """A report notebook that records one environment variable as a key figure."""
    parameters = new_code_cell(
        'period = "2015H1"\ndata_dir = "data/example"\n'
        'agreement = "data/agreement.toml"\nreference = "data/reference"'
    )
    parameters.metadata["tags"] = ["parameters"]
    path = directory / "miljo.ipynb"
    nb = new_notebook(
        cells=[
            parameters,
            new_code_cell(
                "import os\nfrom foui_analysis.presentation import emit_kpis\n"
                "emit_kpis({'prov': os.environ.get('FOUI_PROV', 'saknas')})"
            ),
        ]
    )
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, str(path))
    return path


def kpi(out: Path, name: str) -> object:
    return json.loads((out / name / "kpis.json").read_text("utf-8"))["prov"]


def test_workers_take_the_callers_environment_of_each_batch(
    tmp_path, monkeypatch, example_data_dir, fixture_notebooks
):
    notebook = env_notebook(tmp_path)
    jobs = [
        dataclasses.replace(
            followup_job(period, example_data_dir, notebooks_dir=fixture_notebooks, inputs=[]),
            notebook=notebook,
        )
        for period in ("2015H1", "2015H2")
    ]
    monkeypatch.setenv("FOUI_PROV", "första")
    first = run_jobs(jobs, tmp_path / "a", force=True, stream=io.StringIO())
    monkeypatch.setenv("FOUI_PROV", "andra")  # the fork server keeps its own environment
    second = run_jobs(jobs, tmp_path / "b", force=True, stream=io.StringIO())
    assert first.ok and second.ok, [r.message for r in first.results + second.results]
    assert [kpi(tmp_path / "a", j.name) for j in jobs] == ["första", "första"]
    assert [kpi(tmp_path / "b", j.name) for j in jobs] == ["andra", "andra"]


def test_a_worker_whose_cell_timed_out_is_replaced(tmp_path, example_data_dir, fixture_notebooks):
    sleeping = dataclasses.replace(
        followup_job("2015H1", example_data_dir, notebooks_dir=fixture_notebooks, inputs=[]),
        notebook=fixture_notebooks / "sleeping.ipynb",
    )
    fees = [
        fees_job(year, example_data_dir, notebooks_dir=fixture_notebooks, inputs=[])
        for year in (2015, 2016)
    ]
    log = io.StringIO()
    summary = run_jobs([sleeping, *fees], tmp_path / "ut", workers=1, cell_timeout=2, stream=log)
    assert [r.status for r in summary.results] == ["failed", "published", "published"]
    assert "tidsgränsen" in summary.results[0].message
    assert "avslutades oväntat" not in log.getvalue()


def test_without_workers_the_reports_run_here(
    tmp_path, monkeypatch, example_data_dir, fixture_notebooks
):
    def broken(notebooks):
        raise OSError("ingen fork-server")

    monkeypatch.setattr(batch, "start_fork_server", broken)
    jobs = [
        fees_job(year, example_data_dir, notebooks_dir=fixture_notebooks, inputs=[])
        for year in (2015, 2016)
    ]
    log = io.StringIO()
    summary = run_jobs(jobs, tmp_path / "ut", stream=log)
    assert summary.ok and summary.count("published") == 2
    assert "Arbetsprocesserna kunde inte startas (ingen fork-server)" in log.getvalue()


def test_a_changed_library_gets_a_new_fork_server(
    tmp_path, monkeypatch, example_data_dir, fixture_notebooks
):
    from multiprocessing import forkserver

    jobs = [
        fees_job(year, example_data_dir, notebooks_dir=fixture_notebooks, inputs=[])
        for year in (2015, 2016)
    ]
    assert run_jobs(jobs, tmp_path / "a", stream=io.StringIO()).ok
    first = forkserver._forkserver._forkserver_pid
    assert run_jobs(jobs, tmp_path / "b", stream=io.StringIO()).ok
    assert forkserver._forkserver._forkserver_pid == first  # nothing changed: the same server
    monkeypatch.setattr(batch, "_library_stamp", lambda: ("ändrad",))
    assert run_jobs(jobs, tmp_path / "c", stream=io.StringIO()).ok
    assert forkserver._forkserver._forkserver_pid != first
