"""The report runner: notebooks in, published Swedish HTML reports out, on schedule, by e-mail.

This package holds everything that happens after a notebook is written: running it
(:mod:`.execute`, :mod:`.batch`, :mod:`.engine`), publishing the report atomically
(:mod:`.publish`, :mod:`.index`, :mod:`.provenance`), knowing what was published before
(:mod:`.published`), deciding what is due on a day (:mod:`.schedule`) and sending a published
report (:mod:`.delivery`, ``foui send``).

Public API
----------
Jobs (:mod:`.jobs`)::

    ReportJob(name, kind, notebook, parameters, title, period_label,
              data_dir=None, inputs=())
    followup_job(period: str, data_dir, *, notebooks_dir=None, inputs=None) -> ReportJob
    evaluation_job(first_year: int, last_year: int, data_dir, *, notebooks_dir=None,
                   inputs=None, through_month=None) -> ReportJob
    fees_job(year: int, data_dir, *, notebooks_dir=None, inputs=None) -> ReportJob
    all_jobs(first_year: int, last_year: int, data_dir, *, notebooks_dir=None, inputs=None,
             evaluation_years=3) -> list[ReportJob]
    half_years(first_year, last_year) -> list[str];  parse_period("2015H1") -> (2015, 1)

Every builder also takes ``titles=True``; ``titles=False`` leaves ``title`` and ``period_label``
empty and gives jobs for checks and fingerprints only, without importing the Swedish formats
(babel, pandas): ``foui run`` uses them to find out quickly that there is nothing to do.
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
``OUT/<name>/provenance.json`` (inputs with SHA-256, commit, versions, parameters, time, run),
``OUT/index.html``; failed runs leave only ``OUT/.misslyckade/<name>-<time>.ipynb``.
Notebooks run with the repository root as working directory, through papermill with the
engine ``foui`` (:mod:`.engine`): the cells run in the runner's own process, in an IPython shell
reset to a fresh namespace for every report; ``FOUI_ENGINE=kernel`` gives every report a fresh
Jupyter kernel ``python3`` instead (papermill's default engine). Batch workers are long-lived
processes forked from a warmed-up server (:mod:`.batch`, :mod:`.warm`); a batch of one report
runs in the calling process.
"""

import importlib

_EXPORTS = {
    "BatchSummary": "batch",
    "run_jobs": "batch",
    "ReportError": "errors",
    "ReportInterrupted": "errors",
    "RunResult": "execute",
    "collect_kpis": "execute",
    "run_job": "execute",
    "published_reports": "index",
    "write_index": "index",
    "ReportJob": "jobs",
    "all_jobs": "jobs",
    "evaluation_job": "jobs",
    "fees_job": "jobs",
    "followup_job": "jobs",
    "half_years": "jobs",
    "parse_period": "jobs",
    "repo_root": "jobs",
    "check_parameters": "params",
    "notebook_parameters": "params",
    "build_provenance": "provenance",
    "is_example_data": "provenance",
}
"""Where each public name lives; imported on first use (``foui run`` with nothing to do
needs neither papermill nor nbconvert)."""


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'foui_analysis.runner' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"foui_analysis.runner.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


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
