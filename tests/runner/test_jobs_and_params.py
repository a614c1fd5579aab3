"""Report jobs of the agreement period and the parameter check (no kernel involved)."""

import dataclasses
from pathlib import Path

import pytest

from foui_analysis.runner import (
    ReportError,
    all_jobs,
    check_parameters,
    evaluation_job,
    fees_job,
    followup_job,
    notebook_parameters,
    repo_root,
    run_job,
)
from foui_analysis.runner import execute as execute_module


def test_all_jobs_of_the_agreement_period(tmp_path):
    jobs = all_jobs(2014, 2018, tmp_path, notebooks_dir="nb", inputs=[])
    names = [j.name for j in jobs]
    assert names[:10] == [f"uppfoljning-{y}H{h}" for y in range(2014, 2019) for h in (1, 2)]
    assert names[10] == "utvardering-2014-2016"
    assert names[11:] == [f"avgifter-{y}" for y in range(2014, 2019)]
    assert len(set(names)) == len(names) == 16


def test_job_parameters_and_notebooks(tmp_path):
    follow = followup_job("2015H1", tmp_path, notebooks_dir="nb", inputs=[])
    assert follow.notebook == Path("nb/uppfoljning.ipynb")
    assert follow.parameters == {
        "period": "2015H1",
        "data_dir": tmp_path.resolve().as_posix(),
        "agreement": "data/agreement.toml",
        "reference": "data/reference",
    }
    assert follow.title == "Uppföljning, första halvåret 2015"
    evaluation = evaluation_job(2014, 2016, tmp_path, notebooks_dir="nb", inputs=[])
    assert evaluation.name == "utvardering-2014-2016"
    assert evaluation.notebook == Path("nb/utvardering.ipynb")
    assert evaluation.parameters["first_year"] == 2014
    assert evaluation.parameters["last_year"] == 2016
    fees = fees_job(2015, tmp_path, notebooks_dir="nb", inputs=[])
    assert (fees.name, fees.notebook, fees.parameters["year"]) == (
        "avgifter-2015",
        Path("nb/avgifter.ipynb"),
        2015,
    )


def test_data_dir_inside_the_repository_is_passed_relative_to_it():
    job = followup_job("2015H2", repo_root() / "data" / "example", inputs=[])
    assert job.parameters["data_dir"] == "data/example"
    assert job.notebook == repo_root() / "notebooks" / "uppfoljning.ipynb"


@pytest.mark.parametrize("period", ["2015H3", "2015", "H1-2015"])
def test_followup_refuses_bad_periods(period, tmp_path):
    with pytest.raises(ValueError):
        followup_job(period, tmp_path)


def test_a_period_spelled_loosely_names_the_report_canonically(tmp_path):
    job = followup_job(" 2015h1 ", tmp_path, notebooks_dir="nb", inputs=[])
    assert job.name == "uppfoljning-2015H1"
    assert job.parameters["period"] == "2015H1"


def test_notebook_parameters_are_read_without_running(fixture_notebooks):
    params = notebook_parameters(fixture_notebooks / "avgifter.ipynb")
    assert params["year"].type is int
    assert params["data_dir"].type is str
    assert params["year"].default == 2015


def _write_params(path: Path, source: str, tags=("parameters",)) -> Path:
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    nbformat.write(
        new_notebook(cells=[new_code_cell(source, metadata={"tags": list(tags)})]), str(path)
    )
    return path


def test_parameter_types_from_annotation_or_default(tmp_path):
    nb = _write_params(
        tmp_path / "p.ipynb",
        "a: float = 1.0\nb = 2\nc: str | None = None\nd: bool = False\ne = some_call()\n",
    )
    check_parameters("r", nb, {"a": 3, "b": 5, "c": None, "d": True, "e": [1]})
    with pytest.raises(ReportError, match="'b' ska vara heltal"):
        check_parameters("r", nb, {"b": True})
    with pytest.raises(ReportError, match="'a' ska vara tal"):
        check_parameters("r", nb, {"a": "1.0"})


def test_unknown_and_wrong_typed_parameters_name_report_and_parameter(fixture_notebooks):
    nb = fixture_notebooks / "avgifter.ipynb"
    with pytest.raises(ReportError) as info:
        check_parameters("avgifter-2015", nb, {"year": "2015", "yaer": 2015})
    message = str(info.value)
    assert "avgifter-2015" in message
    assert "okänd parameter 'yaer'" in message
    assert "parametern 'year' ska vara heltal (int), fick str '2015'" in message
    assert info.value.report == "avgifter-2015"


@pytest.mark.parametrize("tags", [(), ("parameters",)])
def test_notebook_needs_exactly_one_parameters_cell(tmp_path, tags):
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    cells = [new_code_cell("x = 1", metadata={"tags": list(tags)}) for _ in range(2)]
    path = tmp_path / "n.ipynb"
    nbformat.write(new_notebook(cells=cells), str(path))
    with pytest.raises(ReportError, match="exakt en cell"):
        notebook_parameters(path)


def test_missing_notebook_is_a_report_error(tmp_path):
    with pytest.raises(ReportError, match="finns inte"):
        notebook_parameters(tmp_path / "saknas.ipynb")


def test_run_job_refuses_bad_parameters_before_any_kernel_starts(
    monkeypatch, tmp_path, fixture_notebooks, example_data_dir
):
    def no_kernel(*args, **kwargs):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(execute_module, "_execute", no_kernel)
    monkeypatch.setattr("papermill.execute_notebook", no_kernel)
    job = fees_job(2015, example_data_dir, notebooks_dir=fixture_notebooks, inputs=[])
    bad = dataclasses.replace(job, parameters={**job.parameters, "year": "2015"})
    with pytest.raises(ReportError, match="avgifter-2015.*'year'"):
        run_job(bad, tmp_path / "out")
    unknown = dataclasses.replace(job, parameters={**job.parameters, "kommun": "Luleå"})
    with pytest.raises(ReportError, match="okänd parameter 'kommun'"):
        run_job(unknown, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_run_job_refuses_a_missing_data_dir(tmp_path, fixture_notebooks):
    job = fees_job(2015, tmp_path / "saknas", notebooks_dir=fixture_notebooks, inputs=[])
    with pytest.raises(ReportError, match="datakatalogen .* finns inte"):
        run_job(job, tmp_path / "out")
