"""Frozen, deliberate re-issues: a report of a closed period is made again only when its inputs
or parameters changed; a change of code alone leaves it as published, says so (the run, the
index) and ``--force`` makes it again."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from pathlib import Path

import nbformat
import pytest

from foui_analysis.cli import main
from foui_analysis.paths import REPO_ROOT
from foui_analysis.runner import fees_job, run_job, run_jobs
from foui_analysis.runner.execute import published_record
from foui_analysis.runner.index import published_reports, write_index
from foui_analysis.runner.provenance import code_key, inputs_key

pytestmark = pytest.mark.slow

CLOSED = dt.date(2026, 11, 29)  # long after the fee year 2015
OPEN = dt.date(2015, 6, 1)  # inside it


def snapshot(out: Path) -> dict[str, bytes]:
    """Every published file, through the published links, with its bytes."""
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not p.name.endswith(".lock")
    }


def change_notebook(notebook: Path) -> None:
    """A change of code: one more markdown cell in the report's notebook."""
    nb = nbformat.read(notebook, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("Ny text i mallen."))
    nbformat.write(nb, notebook)


@pytest.fixture
def world(tmp_path, fixture_notebooks, example_data_dir, python3_kernel):
    notebooks = Path(shutil.copytree(fixture_notebooks, tmp_path / "notebooks"))
    data = Path(shutil.copytree(example_data_dir, tmp_path / "data"))
    out = tmp_path / "out"
    job = fees_job(2015, data, notebooks_dir=notebooks, inputs=[])
    assert run_job(job, out, force=True).status == "published"
    return job, notebooks, data, out


def test_keys_split_a_record_into_what_it_is_made_from_and_what_made_it(world):
    job, _, _, out = world
    record = published_record(out, job.name)
    other_code = {**record, "code_sha256": "0" * 64}
    other_input = {**record, "inputs": [{**record["inputs"][0], "sha256": "1" * 64}]}
    assert inputs_key(other_code) == inputs_key(record)
    assert code_key(other_code) != code_key(record)
    assert inputs_key(other_input) != inputs_key(record)
    other_parameters = {**record, "parameters": {**record["parameters"], "year": 2016}}
    assert inputs_key(other_parameters) != inputs_key(record)
    assert code_key(other_input) == code_key(record)
    assert inputs_key({"report": {}}) is None and code_key({}) is None


def test_a_change_of_code_alone_leaves_a_closed_period_as_published(world):
    job, notebooks, _, out = world
    change_notebook(notebooks / "avgifter.ipynb")
    before = snapshot(out)

    result = run_job(job, out, today=CLOSED)

    assert result.status == "older" and result.ok
    assert "äldre programkod" in result.message and "--force" in result.message
    assert snapshot(out) == before
    write_index(out)
    [report] = published_reports(out)
    assert report.older_code
    assert "publicerad med äldre programkod" in (out / "index.html").read_text(encoding="utf-8")

    log = io.StringIO()
    summary = run_jobs([job], out, today=CLOSED, stream=log)
    assert summary.exit_code == 0
    assert "1 gjorda med äldre programkod (--force gör om)" in summary.text()
    assert f"{job.name}: gjord med äldre programkod" in log.getvalue()

    forced = run_job(job, out, force=True, today=CLOSED)
    assert forced.status == "published"
    assert not published_reports(out)[0].older_code
    assert "med äldre programkod" not in (out / "index.html").read_text(encoding="utf-8")


def test_an_open_period_is_made_again_with_the_new_code(world):
    job, notebooks, _, out = world
    change_notebook(notebooks / "avgifter.ipynb")
    assert run_job(job, out, today=OPEN).status == "published"
    executed = nbformat.read(out / job.name / f"{job.name}.ipynb", as_version=4)
    assert executed.cells[-1].source == "Ny text i mallen."


def test_changed_inputs_make_a_closed_period_again(world):
    job, notebooks, data, out = world
    change_notebook(notebooks / "avgifter.ipynb")
    with (data / "activities.csv").open("a", encoding="utf-8") as f:
        f.write("A9,2015-03-01,skola,natverk,Ny aktivitet,2580,5,,5,2\n")
    assert run_job(job, out, today=CLOSED).status == "published"


def test_foui_run_says_which_reports_were_made_with_older_code(tmp_path, capsys):
    out = tmp_path / "out"
    data = Path(shutil.copytree(REPO_ROOT / "data" / "example", tmp_path / "data"))
    run = ["run", "fees", "--year", "2015", "--data", str(data), "--out", str(out)]
    assert main(run) == 0
    # As an earlier version of the library would have left it: another code hash, and so
    # another fingerprint, for the same inputs and parameters.
    record_path = out / "avgifter-2015" / "provenance.json"
    record = json.loads(record_path.read_text(encoding="utf-8"))
    record["code_sha256"], record["fingerprint"] = "0" * 64, "äldre"
    record_path.write_text(json.dumps(record), encoding="utf-8")
    before = snapshot(out)
    capsys.readouterr()

    assert main(run) == 0

    err = capsys.readouterr().err
    assert "avgifter-2015: gjord med äldre programkod" in err and "--force" in err
    assert "Inget att göra" in err
    after = snapshot(out)
    index = ("index.html", ".index-stamp")
    assert {k: v for k, v in after.items() if k not in index} == {
        k: v for k, v in before.items() if k not in index
    }
    assert "publicerad med äldre programkod" in (out / "index.html").read_text(encoding="utf-8")
    # The index says so once: the next run with nothing to do leaves the folder as it is.
    stamps = {name: (out / name).stat().st_mtime_ns for name in index}
    assert main(run) == 0
    assert "gjord med äldre programkod" in capsys.readouterr().err
    assert snapshot(out) == after
    assert {name: (out / name).stat().st_mtime_ns for name in index} == stamps

    assert main([*run, "--force"]) == 0
    assert json.loads(record_path.read_text(encoding="utf-8"))["code_sha256"] != "0" * 64


def test_a_follow_up_is_closed_only_when_its_books_are(tmp_path, fixture_notebooks):
    from foui_analysis.runner import followup_job
    from foui_analysis.runner.execute import period_closed

    data = tmp_path / "data"
    data.mkdir()
    job = followup_job("2015H2", data, notebooks_dir=fixture_notebooks, inputs=[])
    assert not period_closed(job, dt.date(2015, 12, 31))  # the half-year is not over
    assert period_closed(job, dt.date(2016, 1, 2))  # no closing date given: the calendar
    (data / "dataset.toml").write_text(
        "[dataset]\nbooks_closed_through = 2015-06-30\n", encoding="utf-8"
    )
    assert not period_closed(job, dt.date(2016, 1, 2))
    (data / "dataset.toml").write_text(
        "[dataset]\nbooks_closed_through = 2015-12-31\n", encoding="utf-8"
    )
    assert period_closed(job, dt.date(2016, 1, 2))
