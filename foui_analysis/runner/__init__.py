"""The report runner: notebooks in, published Swedish HTML reports out.

Public API
----------
Jobs (:mod:`.jobs`)::

    ReportJob(name, kind, notebook, parameters, title, period_label,
              data_dir=None, inputs=())
    followup_job(period: str, data_dir, *, notebooks_dir=None, inputs=None) -> ReportJob
    evaluation_job(first_year: int, last_year: int, data_dir, *, notebooks_dir=None,
                   inputs=None) -> ReportJob
    fees_job(year: int, data_dir, *, notebooks_dir=None, inputs=None) -> ReportJob
    all_jobs(first_year: int, last_year: int, data_dir, *, notebooks_dir=None, inputs=None,
             evaluation_years=3) -> list[ReportJob]
    half_years(first_year, last_year) -> list[str];  parse_period("2015H1") -> (2015, 1)

``inputs`` are extra files or directories recorded (with SHA-256) in the provenance; ``None``
means the repository's ``data/agreement.toml`` and ``data/reference/``. ``notebooks_dir``
defaults to ``<repo>/notebooks``.

Running (:mod:`.execute`, :mod:`.batch`)::

    run_job(job, out_dir, *, force=False, cell_timeout=600, start_timeout=60,
            update_index=True) -> RunResult          # raises ReportError / ReportInterrupted
    run_jobs(jobs, out_dir, *, workers=2, force=False, cell_timeout=600,
             stream=sys.stderr) -> BatchSummary      # never raises for a failed report
    write_index(out_dir) -> Path                     # OUT/index.html from what is published
    check_parameters(report: str, notebook: Path, parameters: dict) -> None

``RunResult(name, status, message, html_path, aside_path, seconds)`` with status
``published`` | ``skipped`` (unchanged fingerprint, ``force=False``) | ``failed`` |
``interrupted``; ``BatchSummary.results``, ``.ok``, ``.exit_code`` (0 or 1), ``.text()``.
``ReportError`` (and its subclass ``ReportInterrupted``) carry a Swedish message for the user
(``str(err)``), ``.report`` and ``.aside_path``.

A CLI maps them like this::

    try:
        result = run_job(followup_job(period, data_dir), out_dir, force=True)
    except ReportError as err:
        print(err, file=sys.stderr); return 1
    summary = run_jobs(all_jobs(2014, 2018, data_dir), out_dir, force=force)
    return summary.exit_code

What is written
---------------
``OUT/<name>.html`` (the report), ``OUT/<name>/<name>.ipynb`` (executed notebook),
``OUT/<name>/kpis.json`` (key figures from ``presentation.emit_kpis``),
``OUT/<name>/provenance.json`` (inputs with SHA-256, commit, versions, parameters, time),
``OUT/index.html``; failed runs leave only ``OUT/.misslyckade/<name>-<time>.ipynb``.
Notebooks run with the repository root as working directory and the kernel ``python3``.
"""

from foui_analysis.runner.batch import BatchSummary, run_jobs
from foui_analysis.runner.errors import ReportError, ReportInterrupted
from foui_analysis.runner.execute import RunResult, collect_kpis, run_job
from foui_analysis.runner.index import published_reports, write_index
from foui_analysis.runner.jobs import (
    ReportJob,
    all_jobs,
    evaluation_job,
    fees_job,
    followup_job,
    half_years,
    parse_period,
    repo_root,
)
from foui_analysis.runner.params import check_parameters, notebook_parameters
from foui_analysis.runner.provenance import build_provenance, is_example_data

__all__ = [
    "BatchSummary",
    "ReportError",
    "ReportInterrupted",
    "ReportJob",
    "RunResult",
    "all_jobs",
    "build_provenance",
    "check_parameters",
    "collect_kpis",
    "evaluation_job",
    "fees_job",
    "followup_job",
    "half_years",
    "is_example_data",
    "notebook_parameters",
    "parse_period",
    "published_reports",
    "repo_root",
    "run_job",
    "run_jobs",
    "write_index",
]
