"""Making one report: check, execute, convert, publish atomically, or fail without damage.

Method
------
:func:`run_job` makes the report of one :class:`~foui_analysis.runner.jobs.ReportJob`:

1. **Check before anything runs.** The parameters are checked against the notebook's
   ``parameters`` cell (:mod:`foui_analysis.runner.params`), the data directory must exist, and
   the provenance record is built (input hashes, commit, versions). Without ``force``, a report
   whose published ``provenance.json`` has the same fingerprint is left as it is ("oförändrad").
2. **Execute** with papermill into a private staging directory ``OUT/.staging/<name>-<pid>-<n>/``:
   a timeout per cell, no progress bar, no logging of cell output. papermill runs the engine
   ``foui`` (:mod:`foui_analysis.runner.engine`): the cells run in this process's IPython
   shell, warmed up by :func:`warm_up` and reset to a fresh namespace for every notebook
   (with ``FOUI_ENGINE=kernel``, in a fresh kernel ``python3``, see :data:`KERNEL_NAME`). The
   working directory is the repository root, so ``data_dir`` relative to the root resolves in
   the notebook (see ``jobs``).
3. **Collect and annotate.** Key figures emitted with
   :func:`~foui_analysis.presentation.report.emit_kpis` are gathered into ``kpis.json``; the
   notebook metadata gets ``foui.title``, ``foui.period_label``, ``foui.example_data`` and
   ``foui.provenance`` before it is converted with the ``foui`` template
   (:func:`~foui_analysis.presentation.notebook_html.notebook_to_html`).
4. **Publish atomically.** The HTML, its A4 PDF (printed from the HTML by
   :func:`~foui_analysis.presentation.pdf.html_to_pdf`), the executed notebook, ``kpis.json``
   and ``provenance.json`` are handed to :func:`~foui_analysis.runner.publish.publish`, which
   replaces the whole publication (history included) in one atomic step, under a lock per
   output folder, with SIGINT/SIGTERM deferred meanwhile. The index ``OUT/index.html`` is
   rewritten (optional).

On any failure (an error in a cell, a cell timeout, a dead kernel, a conversion error, Ctrl-C
or SIGTERM, which is turned into ``KeyboardInterrupt`` while a report runs) nothing published is
touched: the executed notebook, as far as it got, is kept in
``OUT/.misslyckade/<name>-<YYYYmmddTHHMMSS>.ipynb``, and :class:`ReportError` (or
:class:`ReportInterrupted`) is raised with a Swedish message that names the report, the cause
and that path. The staging directory is removed on every path.

Known limits
------------
A process killed with SIGKILL leaves its staging directory; :func:`sweep_staging` removes those
of dead processes (and :func:`~foui_analysis.runner.publish.recover` what a killed publish left).
Signal handling is installed only when :func:`run_job` runs in the main thread.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import shutil
import signal
import threading
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import Any

from foui_analysis.runner.errors import ReportError, ReportInterrupted
from foui_analysis.runner.jobs import ReportJob, repo_root
from foui_analysis.runner.params import check_parameters
from foui_analysis.runner.provenance import build_provenance, inputs_key, new_batch, shown_path
from foui_analysis.runner.publish import KPIS_FILE, PROVENANCE_FILE, publish

KERNEL_NAME = "python3"
"""The kernel papermill starts with ``FOUI_ENGINE=kernel``. Its kernelspec's ``python`` resolves
to the running interpreter."""

KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL", "--HistoryManager.hist_file=:memory:"]
"""Keep the kernel's own start-up warnings out of the logs (one line per report), and its
input history in memory: report kernels need no history, and parallel kernels would otherwise
share (and lock) one SQLite file in the user's home directory."""

DEFAULT_CELL_TIMEOUT = 600
"""Seconds one cell may run before the report fails."""

STAGING_DIR = ".staging"
FAILED_DIR = ".misslyckade"

_NOISY_LOGGERS = ("papermill", "nbconvert", "nbclient", "traitlets", "jupyter_client", "asyncio")
_serial = count(1)


@dataclass(frozen=True)
class RunResult:
    """The outcome of one report: ``status`` is published, skipped, older (a report of a closed
    period left as published after a change of code alone), failed or interrupted."""

    name: str
    status: str
    message: str
    html_path: Path | None = None
    aside_path: Path | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status in ("published", "skipped", "older")


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Silence papermill/nbconvert/jupyter logging and Python warnings in this process."""
    loggers = [logging.getLogger(name) for name in _NOISY_LOGGERS]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL)
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


@contextlib.contextmanager
def interruptible() -> Iterator[None]:
    """Turn SIGTERM into ``KeyboardInterrupt`` (as Ctrl-C is) while a report runs."""
    if not _in_main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def deferred_signals() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back until the block ends, then raise ``KeyboardInterrupt``."""
    if not _in_main_thread():
        yield
        return
    received: list[int] = []
    previous = {
        s: signal.signal(s, lambda signum, frame: received.append(signum))
        for s in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    if received:
        raise KeyboardInterrupt(f"signal {received[0]}")


def collect_kpis(nb: Any) -> dict[str, Any]:
    """Merge the key figures the notebook emitted (each name once)."""
    from foui_analysis.presentation.report import KPI_MIMETYPE

    kpis: dict[str, Any] = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {}).get(KPI_MIMETYPE)
            if data is None:
                continue
            # Keys in name order at every level, as in the executed notebook on disk (nbformat
            # writes with sorted keys), whether the notebook was read from disk or not.
            data = json.loads(data if isinstance(data, str) else json.dumps(data, sort_keys=True))
            for name, value in data.items():
                if name in kpis:
                    raise ReportError(f"nyckeltalet '{name}' rapporteras mer än en gång")
                kpis[name] = value
    return kpis


def published_record(out_dir: Path, name: str) -> dict | None:
    """The provenance record of the published report ``name``, if there is one (its HTML, PDF
    and record all published)."""
    out_dir = Path(out_dir)
    path = out_dir / name / PROVENANCE_FILE
    published = [out_dir / f"{name}.html", out_dir / f"{name}.pdf", path]
    if not all(p.is_file() for p in published):
        return None
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def published_fingerprint(out_dir: Path, name: str) -> str | None:
    """The fingerprint of the published report ``name``, if there is one."""
    record = published_record(out_dir, name)
    return None if record is None else record.get("fingerprint")


OLDER_CODE = (
    "gjord med äldre programkod; indata och parametrar är oförändrade och perioden är "
    "avslutad, så rapporten står kvar som den publicerades (gör om den med --force)"
)
"""What a report of a closed period left as it was after a change of code alone says."""


def period_closed(job: ReportJob, today: dt.date) -> bool:
    """Whether the period of ``job`` is closed: it ended before ``today`` and, for a report that
    reads the books (follow-up, evaluation), the data set's ``books_closed_through`` (when given)
    reaches its end."""
    if job.period_end is None or job.period_end >= today:
        return False
    if job.kind == "fees" or job.data_dir is None:
        return True
    from foui_analysis.dataset import read_dataset
    from foui_analysis.errors import InputError

    try:
        closed = read_dataset(job.data_dir).books_closed_through
    except InputError:
        return False
    return closed is None or job.period_end <= closed


def publication_state(
    out_dir: Path, job: ReportJob, provenance: dict, today: dt.date | None = None
) -> str:
    """What a run without ``--force`` does with ``job``, whose ``provenance`` is built.

    ``new`` (nothing published: made), ``unchanged`` (same fingerprint: left), ``changed``
    (made again) or ``older_code``: the published report is of a closed period
    (:func:`period_closed`) and was made from the same inputs and parameters, only with
    other code, a template or other package versions. Such a report stands as the board read
    it: it is not made again, the run and the index say it was made with older code, and
    ``--force`` makes it again deliberately.
    """
    record = published_record(out_dir, job.name)
    if record is None:
        return "new"
    if record.get("fingerprint") == provenance["fingerprint"]:
        return "unchanged"
    closed = period_closed(job, today or dt.date.today())
    same_inputs = inputs_key(record) is not None and inputs_key(record) == inputs_key(provenance)
    return "older_code" if closed and same_inputs else "changed"


def sweep_staging(out_dir: Path) -> None:
    """Remove staging directories left by processes that no longer exist."""
    root = out_dir / STAGING_DIR
    if not root.is_dir():
        return
    for entry in root.iterdir():
        try:
            pid = int(entry.name.rsplit("-", 2)[-2])
            os.kill(pid, 0)
        except (ValueError, IndexError):
            continue
        except ProcessLookupError:
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
        except PermissionError:
            continue
    _remove_if_empty(root)


def _remove_if_empty(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.rmdir()


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _describe(exc: BaseException, cell_timeout: float) -> str:
    """A one-line Swedish description of why execution failed."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        where = f"cell {exc.exec_count}" if exc.exec_count else f"cell nr {exc.cell_index + 1}"
        return f"{where} gav {exc.ename}: {exc.evalue}"
    if isinstance(exc, CellTimeoutError):
        from foui_analysis.presentation.formats import format_number

        return f"en cell tog längre tid än tidsgränsen {format_number(cell_timeout)} s"
    if isinstance(exc, DeadKernelError):
        return "Python-kärnan dog under körningen"
    if isinstance(exc, KeyboardInterrupt):
        return "körningen avbröts"
    if isinstance(exc, ReportError):
        return str(exc)
    if isinstance(exc, OSError):
        from foui_analysis.errors import describe_os_error

        return describe_os_error(exc)
    return f"{type(exc).__name__}: {exc}"


def _keep_aside(executed: Path, out_dir: Path, name: str) -> Path | None:
    if not executed.is_file():
        return None
    failed = out_dir / FAILED_DIR
    failed.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    target = failed / f"{name}-{stamp}.ipynb"
    n = 2
    while target.exists():
        target = failed / f"{name}-{stamp}-{n}.ipynb"
        n += 1
    shutil.move(str(executed), target)
    return target


def _execute(
    job: ReportJob,
    executed: Path,
    cell_timeout: float,
    start_timeout: float,
    out_dir: Path,
    batch: str,
):
    """Execute the job's notebook into ``executed`` with papermill; the executed notebook."""
    from foui_analysis.runner import engine
    from foui_analysis.runner.params import notebook_parameters

    parameters = dict(job.parameters)
    declared = notebook_parameters(job.notebook)
    if "published_dir" in declared:
        # Follow-ups compare with what was published before (restatements)...
        parameters.setdefault("published_dir", str(out_dir))
    if "batch" in declared:
        # ...before this run.
        parameters.setdefault("batch", batch)
    return engine.execute(
        job.notebook,
        executed,
        parameters,
        kernel_name=KERNEL_NAME,
        cwd=repo_root(),
        cell_timeout=cell_timeout,
        start_timeout=start_timeout,
        extra_arguments=KERNEL_ARGUMENTS,
    )


def warm_converter() -> None:
    """Import nbconvert and compile the report template now (once per process).

    Called when a process starts to make reports, before the first one.
    """
    global _converter_warm
    if _converter_warm:
        return
    import nbformat

    from foui_analysis.presentation.notebook_html import html_exporter

    with quiet():
        html_exporter().from_notebook_node(nbformat.v4.new_notebook())
    _converter_warm = True


_converter_warm = False


def warm_up(notebooks: list[Path]) -> None:
    """Import what the notebooks import, in this process's report shell, now (once per process).

    See :mod:`foui_analysis.runner.engine`: the cells of every later report run in this shell.
    """
    from foui_analysis.runner import engine

    with quiet():
        engine.warm_up(sorted(set(notebooks)))


def run_job(
    job: ReportJob,
    out_dir: str | Path,
    *,
    force: bool = False,
    cell_timeout: float = DEFAULT_CELL_TIMEOUT,
    start_timeout: float = 60,
    update_index: bool = True,
    batch: str | None = None,
    today: dt.date | None = None,
    finisher: Any = None,
) -> RunResult:
    """Make and publish one report (see the module docstring); raise ReportError on failure.

    Without ``force``, a report already published from the same fingerprint is left
    ("skipped"), and so is a report of a period closed before ``today`` (default: today) whose
    inputs and parameters are unchanged ("older": see :func:`publication_state`).

    ``batch`` is the id of the run the report belongs to (a new one when not given): recorded in
    ``provenance.json`` and handed to a notebook with a ``batch`` parameter, so that a follow-up
    does not compare with what its own run published (:mod:`foui_analysis.runner.published`).

    ``finisher``: a :class:`~foui_analysis.runner.finisher.Finisher` that writes the HTML page
    and the PDF in a process of its own (a report made alone); without one, or when it cannot
    answer, this process writes them.
    """
    out_dir = Path(out_dir).resolve()
    batch = batch or new_batch()
    started = time.monotonic()
    check_parameters(job.name, job.notebook, job.parameters)
    if job.data_dir is not None and not job.data_dir.is_dir():
        raise ReportError(
            f"Rapporten {job.name}: datakatalogen {job.data_dir} finns inte", report=job.name
        )
    if force or published_fingerprint(out_dir, job.name) is None:
        warm_up([job.notebook])
        if finisher is None:
            warm_converter()
    try:
        provenance = build_provenance(job, batch=batch)
    except ReportError as exc:
        raise ReportError(f"Rapporten {job.name}: {exc}", report=job.name) from None
    html_path = out_dir / f"{job.name}.html"
    state = None if force else publication_state(out_dir, job, provenance, today)
    if state in ("unchanged", "older_code"):
        return RunResult(
            job.name,
            "skipped" if state == "unchanged" else "older",
            "indata, notebook och kod oförändrade" if state == "unchanged" else OLDER_CODE,
            html_path,
            None,
            time.monotonic() - started,
        )

    staging = out_dir / STAGING_DIR / f"{job.name}-{os.getpid()}-{next(_serial)}"
    report_dir = staging / job.name
    executed = report_dir / f"{job.name}.ipynb"
    try:
        report_dir.mkdir(parents=True)
        import nbformat

        if finisher is None:
            from foui_analysis.presentation.pdf import start_browser

            start_browser()  # comes up while the notebook runs

        try:
            with quiet(), interruptible():
                nb = _execute(job, executed, cell_timeout, start_timeout, out_dir, batch)
                kpis = collect_kpis(nb)
                nb.metadata["foui"] = {
                    **(nb.metadata.get("foui") or {}),
                    "title": job.title,
                    "period_label": job.period_label,
                    "example_data": provenance["example_data"],
                    "provenance": provenance,
                }
                nbformat.write(nb, str(executed))
                html = report_dir / f"{job.name}.html"
                pdf = report_dir / f"{job.name}.pdf"
                _finish(nb, executed, html, pdf, finisher)
                _write_json(report_dir / KPIS_FILE, kpis)
                _write_json(report_dir / PROVENANCE_FILE, provenance)
                # Every file of the report, replaced together in one atomic step.
                artefacts = [
                    html,
                    pdf,
                    executed,
                    report_dir / KPIS_FILE,
                    report_dir / PROVENANCE_FILE,
                ]
                with deferred_signals():
                    publish(out_dir, job.name, artefacts)
        except (Exception, KeyboardInterrupt) as exc:
            with deferred_signals():
                raise _failure(job, exc, executed, out_dir, cell_timeout) from None
    finally:
        with deferred_signals():
            shutil.rmtree(staging, ignore_errors=True)
            _remove_if_empty(out_dir / STAGING_DIR)
    if update_index:
        from foui_analysis.runner.index import write_index

        write_index(out_dir)
    seconds = time.monotonic() - started
    # The report's own name in OUT, not the version folder its link resolves to.
    shown = f"{shown_path(html_path.parent)}/{html_path.name}"
    return RunResult(job.name, "published", shown, html_path, None, seconds)


def _finish(nb, executed: Path, html: Path, pdf: Path, finisher: Any) -> None:
    """Write the report's HTML page and PDF: by the finisher when there is one that answers."""
    if finisher is not None:
        from foui_analysis.runner.finisher import FinisherGone

        try:
            finisher.finish(executed, html, pdf)
            return
        except FinisherGone:
            pass  # made here instead
    from foui_analysis.presentation.notebook_html import notebook_to_html
    from foui_analysis.presentation.pdf import html_to_pdf

    html.write_text(notebook_to_html(nb), encoding="utf-8")
    html_to_pdf(html, pdf)


def _failure(
    job: ReportJob, exc: BaseException, executed: Path, out_dir: Path, cell_timeout: float
) -> ReportError:
    aside = _keep_aside(executed, out_dir, job.name)
    published = (out_dir / f"{job.name}.html").exists()
    parts = [f"Rapporten {job.name} misslyckades: {_describe(exc, cell_timeout)}."]
    parts.append(
        "Den publicerade rapporten är orörd." if published else "Ingen rapport publicerades."
    )
    if aside is not None:
        parts.append(f"Den körda notebooken finns i {shown_path(aside)}.")
    kind = ReportInterrupted if isinstance(exc, KeyboardInterrupt) else ReportError
    return kind(" ".join(parts), report=job.name, aside_path=aside)
