"""Executing fixture notebooks: publish, key figures, failures that damage nothing, batches."""

import dataclasses
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from foui_analysis.paths import REPO_ROOT as REPO
from foui_analysis.runner import (
    ReportError,
    fees_job,
    followup_job,
    published_reports,
    run_job,
    run_jobs,
)

pytestmark = pytest.mark.slow


def snapshot(out: Path) -> dict[str, bytes]:
    """Every published file (outside the dot directories) with its bytes."""
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not p.relative_to(out).parts[0].startswith(".")
    }


def assert_no_staging(out: Path) -> None:
    assert not (out / ".staging").exists()


def followup(data_dir: Path, notebooks: Path, notebook: str | None = None):
    job = followup_job("2015H1", data_dir, notebooks_dir=notebooks, inputs=[])
    return dataclasses.replace(job, notebook=notebooks / notebook) if notebook else job


def test_published_files(published_out):
    for name in ("uppfoljning-2015H1", "avgifter-2015"):
        assert (published_out / f"{name}.html").is_file()
        for file in (f"{name}.ipynb", "kpis.json", "provenance.json"):
            assert (published_out / name / file).is_file()
    assert (published_out / "index.html").is_file()
    assert_no_staging(published_out)
    assert not (published_out / ".misslyckade").exists()


def test_kpis_json(published_out):
    kpis = json.loads((published_out / "uppfoljning-2015H1" / "kpis.json").read_text("utf-8"))
    assert kpis == {"activities": 3, "cost_sek": 15500, "period": "2015H1"}
    fees = json.loads((published_out / "avgifter-2015" / "kpis.json").read_text("utf-8"))
    assert fees == {"year": 2015}


def test_provenance_json_and_notebook_metadata(published_out, example_data_dir):
    folder = published_out / "uppfoljning-2015H1"
    record = json.loads((folder / "provenance.json").read_text("utf-8"))
    assert record["example_data"] is True
    assert record["parameters"]["period"] == "2015H1"
    # the data directory, and the agreement and reference data the report was given
    assert {i["path"] for i in record["inputs"]} == {
        *(f"{example_data_dir.as_posix()}/{n}" for n in ("activities.csv", "dataset.toml")),
        "data/agreement.toml",
        *(f"data/reference/{p.name}" for p in (REPO / "data" / "reference").iterdir()),
    }
    import nbformat

    nb = nbformat.read(str(folder / "uppfoljning-2015H1.ipynb"), as_version=4)
    assert nb.metadata["foui"]["provenance"] == record
    assert nb.metadata["foui"]["example_data"] is True


def test_html_report_content(published_out):
    page = (published_out / "uppfoljning-2015H1.html").read_text("utf-8")
    assert "EXEMPELDATA – rapporten bygger på fiktiva exempeldata" in page
    assert "Uppföljning, första halvåret 2015" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page
    for hidden in (
        "application/vnd.foui.kpis+json",
        "stderr-brus",
        "varning som inte",
        "import warnings",
        "In&nbsp;[",
    ):
        assert hidden not in page
    assert "15\u00a0500\u00a0kr" in page


def test_index_lists_published_reports(published_out):
    page = (published_out / "index.html").read_text("utf-8")
    assert 'href="uppfoljning-2015H1.html"' in page
    assert 'href="avgifter-2015.html"' in page
    assert "Uppföljning, första halvåret 2015" in page and "Avgifter 2015" in page
    assert page.count("publicerad") >= 2
    assert {r.name for r in published_reports(published_out)} == {
        "uppfoljning-2015H1",
        "avgifter-2015",
    }


def test_unchanged_report_is_skipped_unless_forced(out_copy, example_data_dir, fixture_notebooks):
    job = fees_job(2015, example_data_dir, notebooks_dir=fixture_notebooks, inputs=[])
    before = snapshot(out_copy)
    result = run_job(job, out_copy)
    assert result.status == "skipped"
    assert snapshot(out_copy) == before


def test_failing_run_leaves_the_published_report_untouched(
    out_copy, example_data_dir, fixture_notebooks
):
    before = snapshot(out_copy)
    job = followup(example_data_dir, fixture_notebooks, "failing.ipynb")
    with pytest.raises(ReportError) as info:
        run_job(job, out_copy, force=True)
    assert snapshot(out_copy) == before
    aside = info.value.aside_path
    assert aside is not None and aside.is_file()
    assert aside.parent == out_copy / ".misslyckade"
    assert aside.name.startswith("uppfoljning-2015H1-") and aside.suffix == ".ipynb"
    message = str(info.value)
    assert "uppfoljning-2015H1" in message
    assert "ValueError: avsiktligt fel i testnotebooken" in message
    assert str(aside.relative_to(out_copy.parent)) in message or str(aside) in message
    assert "orörd" in message
    assert_no_staging(out_copy)


def test_timed_out_run_leaves_the_published_report_untouched(
    out_copy, example_data_dir, fixture_notebooks
):
    before = snapshot(out_copy)
    job = followup(example_data_dir, fixture_notebooks, "sleeping.ipynb")
    started = time.monotonic()
    with pytest.raises(ReportError, match="tidsgränsen") as info:
        run_job(job, out_copy, force=True, cell_timeout=2)
    assert time.monotonic() - started < 60
    assert snapshot(out_copy) == before
    assert info.value.aside_path.is_file()
    assert_no_staging(out_copy)


INTERRUPTED_RUN = """
import dataclasses, sys
from pathlib import Path
from foui_analysis.runner import ReportError, followup_job, run_job
notebooks = Path(sys.argv[1])
job = followup_job("2015H1", sys.argv[2], notebooks_dir=notebooks, inputs=[])
job = dataclasses.replace(job, notebook=notebooks / "sleeping.ipynb")
try:
    run_job(job, sys.argv[3], force=True)
except ReportError as err:
    print(err, file=sys.stderr)
    sys.exit(3)
"""


def test_sigterm_leaves_the_published_report_untouched(
    out_copy, example_data_dir, fixture_notebooks
):
    before = snapshot(out_copy)
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            INTERRUPTED_RUN,
            str(fixture_notebooks),
            str(example_data_dir),
            str(out_copy),
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    staged = out_copy / ".staging"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        running = [p for p in staged.rglob("*.ipynb") if '"running"' in p.read_text("utf-8")]
        if running or process.poll() is not None:
            break
        time.sleep(0.2)
    assert process.poll() is None, process.stderr.read()
    time.sleep(0.5)
    os.kill(process.pid, signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 3, stderr
    assert "avbröts" in stderr and ".misslyckade/uppfoljning-2015H1-" in stderr
    assert snapshot(out_copy) == before
    assert len(list((out_copy / ".misslyckade").glob("uppfoljning-2015H1-*.ipynb"))) == 1
    assert_no_staging(out_copy)


def test_batch_runs_the_others_when_one_fails(tmp_path, example_data_dir, fixture_notebooks):
    good = followup(example_data_dir, fixture_notebooks)
    broken = dataclasses.replace(
        fees_job(2016, example_data_dir, notebooks_dir=fixture_notebooks, inputs=[]),
        notebook=fixture_notebooks / "failing.ipynb",
        parameters={"period": "2016H1", "data_dir": str(example_data_dir)},
    )
    wrong = dataclasses.replace(
        fees_job(2017, example_data_dir, notebooks_dir=fixture_notebooks, inputs=[]),
        parameters={"year": "2017", "data_dir": str(example_data_dir)},
    )
    log = io.StringIO()
    out = tmp_path / "reports"
    summary = run_jobs([good, broken, wrong], out, workers=2, stream=log)
    assert [r.status for r in summary.results] == ["published", "failed", "failed"]
    assert summary.exit_code == 1 and not summary.ok
    assert (out / "uppfoljning-2015H1.html").is_file()
    assert not (out / "avgifter-2016.html").exists()
    lines = log.getvalue().splitlines()
    assert len(lines) == 4, lines
    assert all(line[:4].isdigit() and line[10] == " " for line in lines)
    assert any("uppfoljning-2015H1: publicerad" in line for line in lines)
    assert any("avgifter-2016: MISSLYCKADES" in line and ".misslyckade" in line for line in lines)
    assert any("avgifter-2017: MISSLYCKADES" in line and "'year'" in line for line in lines)
    assert lines[-1].endswith("3 rapporter: 1 publicerade, 0 oförändrade, 2 misslyckade")
    assert "papermill" not in log.getvalue().lower()
    index = (out / "index.html").read_text("utf-8")
    assert "uppfoljning-2015H1.html" in index and "avgifter-2016" not in index
    assert_no_staging(out)

    again = run_jobs([good], out, stream=io.StringIO())
    assert again.exit_code == 0
    assert [r.status for r in again.results] == ["skipped"]
