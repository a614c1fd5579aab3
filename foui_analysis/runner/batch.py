"""Running many reports: in parallel, independently, with one log line per report.

Method
------
:func:`run_jobs` first checks every job's parameters (nothing is executed) and fails the wrong
ones at once. The rest run in long-lived worker processes, at most ``workers`` of them (default
2, one per core), started with :mod:`multiprocessing`'s ``forkserver`` method: a server process,
started as early as possible (:func:`start_fork_server`; the ``foui`` command starts it before it
checks the inputs), imports pandas, matplotlib, IPython, papermill, nbconvert and the library,
draws a warm-up chart and compiles the report template (:mod:`foui_analysis.runner.warm`), and
every worker is forked from it, ready. A worker runs job after job with
:func:`~foui_analysis.runner.execute.run_job`, each notebook in its own report shell with a
fresh namespace (:mod:`foui_analysis.runner.engine`), and sends back each
:class:`~foui_analysis.runner.execute.RunResult`. Jobs are handed out in their order as workers
become free; a failing report does not stop the others, and a worker that dies is replaced
(as is one whose report was interrupted or ran past the cell timeout). The index is rewritten
after every published report. A batch of one report runs in the calling process: a worker
would wait for the server's start-up (about 2.4 s, against 1.2 s for the imports the calling
process has not yet done); its page and PDF are written by a forked
:mod:`~foui_analysis.runner.finisher`, which prepares nbconvert and Chromium on the other core
while the notebook runs. When no worker can be started at all, the reports run in the
calling process too, one after the other.
The workers, the jobs they run and the queue are one :class:`_WorkerPool`, its state in one
place.

Processes rather than threads, because papermill changes the working directory of the process
and a process can be stopped cleanly: on Ctrl-C or SIGTERM the parent stops starting reports,
gives the workers a moment to finish their own clean-up (they received the same Ctrl-C from
the terminal), then sends SIGTERM to those still running; each worker keeps its failed notebook
aside and removes its staging directory, and nothing published is touched.

Logging goes to ``stream`` (standard error by default). Every finished report gives one line
with a timestamp; on a terminal a status line below them shows what is running.

Known limits
------------
A worker imports the caller's main script as ``__mp_main__`` (as with ``spawn``): a script that
calls :func:`run_jobs` must guard its entry point with ``if __name__ == "__main__":`` (the
``foui`` command does). The fork server lives as long as the calling process; it is started
again when the library's files have changed since (:func:`start_fork_server`), which relies on
CPython's private ``ForkServer._stop``; where that is missing, the old server stays.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from foui_analysis.runner.errors import ReportError, ReportInterrupted
from foui_analysis.runner.execute import (
    DEFAULT_CELL_TIMEOUT,
    RunResult,
    interruptible,
    quiet,
    run_job,
    sweep_staging,
)
from foui_analysis.runner.jobs import ReportJob
from foui_analysis.runner.params import check_parameters
from foui_analysis.runner.provenance import library_files, new_batch, shared_environment

STATUS_WORDS = {
    "published": "publicerad",
    "skipped": "oförändrad",
    "older": "gjord med äldre programkod",
    "failed": "MISSLYCKADES",
    "interrupted": "AVBRUTEN",
}
GRACE_SECONDS = 2.0
"""How long workers may clean up on their own after an interrupt before they get SIGTERM."""
NOTEBOOKS_VARIABLE = "FOUI_WARM_NOTEBOOKS"
"""Tells the fork server which notebooks to warm up for (see :mod:`foui_analysis.runner.warm`)."""
KILL_AFTER_SECONDS = 60.0
"""How long a terminated worker may take to keep its notebook aside before it is killed."""

if TYPE_CHECKING:
    from foui_analysis.runner.finisher import Finisher


@dataclass
class BatchSummary:
    """What a batch did: one result per job, in job order."""

    results: list[RunResult] = field(default_factory=list)
    interrupted: bool = False

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.results)

    @property
    def ok(self) -> bool:
        return not self.interrupted and all(r.ok for r in self.results)

    @property
    def exit_code(self) -> int:
        """0 when every report was published or unchanged, else 1."""
        return 0 if self.ok else 1

    @property
    def failed(self) -> list[RunResult]:
        return [r for r in self.results if not r.ok]

    def text(self) -> str:
        """One Swedish line: how many reports, how they went."""
        parts = [
            f"{self.count('published')} publicerade",
            f"{self.count('skipped')} oförändrade",
            f"{self.count('failed')} misslyckade",
        ]
        if self.count("older"):
            parts.insert(2, f"{self.count('older')} gjorda med äldre programkod (--force gör om)")
        if self.count("interrupted") or self.interrupted:
            parts.append(f"{self.count('interrupted')} avbrutna")
        return f"{len(self.results)} rapporter: " + ", ".join(parts)


class _Log:
    """Time-stamped lines; on a terminal also a status line that is redrawn in place."""

    def __init__(self, stream: IO[str], total: int) -> None:
        self.stream = stream
        self.total = total
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self.status_shown = False

    def line(self, text: str) -> None:
        self._clear()
        stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
        self.stream.write(f"{stamp} {text}\n")
        self.stream.flush()

    def status(self, done: int, running: dict[str, float]) -> None:
        if not self.tty or not running:
            return
        now = time.monotonic()
        names = ", ".join(f"{n} ({now - t:.0f} s)" for n, t in running.items())
        self._clear()
        self.stream.write(f"[{done}/{self.total}] körs: {names}")
        self.stream.flush()
        self.status_shown = True

    def _clear(self) -> None:
        if self.status_shown:
            self.stream.write("\r\x1b[K")
            self.status_shown = False

    def result(self, result: RunResult) -> None:
        from foui_analysis.presentation.formats import format_number

        seconds = format_number(result.seconds, 1)
        self.line(f"{result.name}: {STATUS_WORDS[result.status]} ({seconds} s) – {result.message}")


def _run_one(job: ReportJob, out_dir: Path, options: dict[str, Any]) -> RunResult:
    """Run one job and turn every outcome into a :class:`RunResult` (never raises)."""
    started = time.monotonic()
    try:
        return run_job(job, out_dir, update_index=False, **options)
    except ReportInterrupted as exc:
        return _failed(job, exc, "interrupted", started)
    except ReportError as exc:
        return _failed(job, exc, "failed", started)
    except KeyboardInterrupt:
        return RunResult(job.name, "interrupted", "körningen avbröts", seconds=0.0)
    except Exception as exc:  # a bug must not take the batch down; it is reported
        return RunResult(job.name, "failed", f"oväntat fel: {type(exc).__name__}: {exc}")


def _serve(
    conn: Any,
    out_dir: Path,
    options: dict[str, Any],
    notebooks: list[Path],
    environment: dict[str, str],
) -> None:
    """Entry point of a worker process: warm up, then run the jobs it is sent, one at a time.

    The worker comes warm from the fork server; :func:`warm_up` and :func:`warm_converter` only
    make up for what the server could not do (nothing, normally). It takes the environment of
    the process that started the batch (the server's is that of its own start). Each result
    goes back with a flag saying whether the worker ends after it: after an interrupted report,
    and after a cell ran past its timeout (what it was doing when it was stopped may have left
    the process in doubt). ``None`` ends the worker.
    """
    os.environ.clear()
    os.environ.update(environment)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the fork server ignores it (see warm)
    from foui_analysis.presentation.pdf import close_browser
    from foui_analysis.runner import engine
    from foui_analysis.runner.execute import warm_converter, warm_up

    # A worker serves one batch, one command: the commit, code hash and package versions are
    # looked up once for all its reports (input files are still checked report by report).
    # It ends with os._exit (no atexit), so its browser is closed here.
    with quiet(), interruptible(), shared_environment(), contextlib.ExitStack() as stack:
        stack.callback(close_browser)
        try:
            warm_up(notebooks)
            warm_converter()
        except KeyboardInterrupt:
            return
        except Exception:  # the first job will meet the problem and say why
            pass
        while True:
            try:
                job = conn.recv()
            except (EOFError, OSError, KeyboardInterrupt):
                return
            if job is None:
                return
            result = _run_one(job, out_dir, options)
            leaving = result.status == "interrupted" or engine.in_doubt
            signals = (signal.SIGINT, signal.SIGTERM)
            previous = {s: signal.signal(s, signal.SIG_IGN) for s in signals}
            try:
                conn.send((result, leaving))
            finally:
                for s, handler in previous.items():
                    signal.signal(s, handler)
            if leaving:
                return


def write_index(out_dir: Path) -> None:
    # Imported on use: the index needs the presentation package, which workers and the no-op
    # path of ``foui run`` should not import for nothing.
    from foui_analysis.runner.index import write_index as write

    write(out_dir)


def _failed(job: ReportJob, exc: ReportError, status: str, started: float) -> RunResult:
    return RunResult(
        job.name, status, str(exc), aside_path=exc.aside_path, seconds=time.monotonic() - started
    )


class _NoWorkers(Exception):
    """Not one worker process could be started."""


@dataclass
class _Worker:
    process: Any
    conn: Any
    job: ReportJob | None = None
    started: float = 0.0


def run_jobs(
    jobs: Sequence[ReportJob],
    out_dir: str | Path,
    *,
    workers: int = 2,
    force: bool = False,
    cell_timeout: float = DEFAULT_CELL_TIMEOUT,
    stream: IO[str] | None = None,
    today: dt.date | None = None,
    finisher: Finisher | None = None,
) -> BatchSummary:
    """Run ``jobs`` into ``out_dir``, ``workers`` at a time; never raises for a failed report.

    ``finisher``: one started by the caller for a report made alone (the caller closes it);
    without one, a report made alone starts its own.
    """
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    sweep_staging(out_dir)
    from foui_analysis.runner.publish import recover

    recover(out_dir)
    log = _Log(stream or sys.stderr, len(jobs))
    results: dict[str, RunResult] = {}
    queue: deque[ReportJob] = deque()
    for job in jobs:
        try:
            check_parameters(job.name, job.notebook, job.parameters)
        except ReportError as exc:
            results[job.name] = RunResult(job.name, "failed", str(exc))
            log.result(results[job.name])
        else:
            queue.append(job)

    # One id for the whole run: a follow-up does not compare with what this run itself published,
    # so its report does not depend on the order the workers happen to finish in.
    options = {"force": force, "cell_timeout": cell_timeout, "batch": new_batch(), "today": today}
    interrupted = False
    if len(queue) == 1:
        interrupted = _run_here(queue, out_dir, options, results, log, finisher)
    elif queue:
        interrupted = _run_in_workers(queue, out_dir, options, results, log, workers)
    for job in queue:
        results[job.name] = RunResult(job.name, "interrupted", "startades inte")

    summary = BatchSummary([results[j.name] for j in jobs if j.name in results], interrupted)
    log.line(summary.text() + (" (avbröts)" if interrupted else ""))
    return summary


def _run_here(
    queue: deque[ReportJob],
    out_dir: Path,
    options: dict[str, Any],
    results: dict[str, RunResult],
    log: _Log,
    finisher: Finisher | None = None,
) -> bool:
    """Run the jobs one after the other in this process (one report, or no worker to be had).

    A report made alone gets its page and PDF from a :class:`~.finisher.Finisher`, which
    prepares nbconvert and Chromium on the other core while the notebook runs: ``finisher``,
    or one started here (and closed here).
    """
    owned = finisher is None and len(queue) == 1
    if owned:
        from foui_analysis.runner.finisher import Finisher

        finisher = Finisher.start()
    try:
        with quiet(), interruptible(), shared_environment():
            while queue:
                job = queue.popleft()
                result = _run_one(job, out_dir, {**options, "finisher": finisher})
                results[job.name] = result
                log.result(result)
                if result.status == "published" and queue:
                    write_index(out_dir)  # the last one is written below, once
                if result.status == "interrupted":
                    return True
    except KeyboardInterrupt:
        return True
    finally:
        if owned and finisher is not None:
            finisher.close()
        write_index(out_dir)
    return False


def _library_stamp() -> tuple:
    """Paths, sizes and modification times of the files of the code fingerprint
    (:func:`foui_analysis.runner.provenance.library_files`)."""
    return tuple((str(p), (st := p.stat()).st_size, st.st_mtime_ns) for p in library_files())


_server_stamp: tuple | None = None
"""The library as it was when this process started its fork server."""


def start_fork_server(notebooks: Sequence[Path]) -> None:
    """Start the process the workers are forked from, warming up for ``notebooks`` (see
    :mod:`foui_analysis.runner.warm`); nothing if it runs already.

    The ``foui`` command calls this before it checks the inputs, so the two overlap. A server
    started before the library's files changed (a researcher editing the library between two
    batches in one session) is stopped, when none of its workers runs, and a new one started,
    so no report is made with the library as it was.
    """
    global _server_stamp
    from multiprocessing import forkserver

    stamp = _library_stamp()
    # Never while workers forked from it run: the server reports how they end.
    if _server_stamp not in (None, stamp) and not multiprocessing.active_children():
        stop = getattr(getattr(forkserver, "_forkserver", None), "_stop", None)
        if stop is not None:  # CPython's own (private) way to stop the server
            stop()
    multiprocessing.get_context("forkserver").set_forkserver_preload(["foui_analysis.runner.warm"])
    previous = os.environ.get(NOTEBOOKS_VARIABLE)
    os.environ[NOTEBOOKS_VARIABLE] = os.pathsep.join(str(p) for p in sorted(set(notebooks)))
    try:
        forkserver.ensure_running()
        _server_stamp = stamp
    finally:
        if previous is None:
            del os.environ[NOTEBOOKS_VARIABLE]
        else:
            os.environ[NOTEBOOKS_VARIABLE] = previous


class _WorkerPool:
    """Long-lived worker processes forked from the warm fork server, and the jobs they run.

    All the state of a batch run in workers is here: the queue of jobs not yet started, the
    workers (each with the job it runs, if any), the results and the log. :meth:`run` hands out
    jobs until the queue is empty and every worker is idle; a worker that dies is replaced and
    its report recorded as failed.
    """

    def __init__(
        self,
        queue: deque[ReportJob],
        out_dir: Path,
        options: dict[str, Any],
        results: dict[str, RunResult],
        log: _Log,
        size: int,
    ) -> None:
        self.queue = queue
        self.out_dir = out_dir
        self.options = options
        self.results = results
        self.log = log
        self.size = max(1, size)
        self.notebooks = sorted({job.notebook for job in queue})
        self.context = multiprocessing.get_context("forkserver")
        self.workers: list[_Worker] = []

    def busy(self) -> list[_Worker]:
        return [w for w in self.workers if w.job is not None]

    def start(self) -> _Worker:
        start_fork_server(self.notebooks)  # (again, if it has died)
        here, there = self.context.Pipe(duplex=True)
        process = self.context.Process(
            target=_serve,
            args=(there, self.out_dir, self.options, self.notebooks, dict(os.environ)),
            name="foui-rapport",
        )
        try:
            process.start()
        finally:
            there.close()
        worker = _Worker(process, here)
        self.workers.append(worker)
        return worker

    def fill(self) -> None:
        """As many workers as there is work for, up to ``size``."""
        while self.queue and len(self.workers) < min(self.size, len(self.queue) + len(self.busy())):
            try:
                self.start()
            except (OSError, EOFError, RuntimeError) as exc:
                if self.workers:
                    return  # carry on with the workers there are
                raise _NoWorkers(exc) from exc

    def retire(self, worker: _Worker) -> None:
        worker.process.join(timeout=KILL_AFTER_SECONDS)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        worker.conn.close()
        self.workers.remove(worker)

    def finish(self, worker: _Worker) -> None:
        """Collect the result of the worker's job (or note that the worker died)."""
        job = worker.job
        assert job is not None, "finish() is called for a busy worker only"
        result, leaving = None, True
        try:
            if worker.conn.poll():
                result, leaving = worker.conn.recv()
        except (EOFError, OSError):
            result = None
        if result is None:
            worker.process.join(timeout=KILL_AFTER_SECONDS)
            code = worker.process.exitcode
            result = RunResult(
                job.name,
                "failed",
                f"arbetsprocessen avslutades oväntat (kod {code}); "
                "den publicerade rapporten är orörd",
                seconds=time.monotonic() - worker.started,
            )
            self.retire(worker)
        elif leaving:
            self.retire(worker)
        worker.job = None
        self.results[job.name] = result
        self.log.result(result)
        if result.status == "published":
            write_index(self.out_dir)

    def dispatch(self) -> None:
        """Give every idle worker the next job; a worker that cannot take it is replaced."""
        for worker in list(self.workers):
            if worker.job is None and self.queue:
                job = self.queue.popleft()
                try:
                    worker.conn.send(job)
                except (OSError, ValueError):  # the worker is gone; try a new one
                    self.queue.appendleft(job)
                    self.retire(worker)
                    self.fill()
                    continue
                worker.job, worker.started = job, time.monotonic()

    def collect(self, timeout: float) -> None:
        """Finish every busy worker that has a result (or has died) within ``timeout``."""
        waiting = {w.conn: w for w in self.busy()} | {w.process.sentinel: w for w in self.busy()}
        ready = multiprocessing.connection.wait(list(waiting), timeout=timeout)
        for worker in {id(waiting[r]): waiting[r] for r in ready}.values():
            if worker.job is not None:
                self.finish(worker)

    def run(self) -> None:
        self.fill()
        while self.queue or self.busy():
            self.dispatch()
            self.collect(1.0)
            self.fill()
            self.log.status(
                len(self.results), {w.job.name: w.started for w in self.workers if w.job}
            )

    def stop(self) -> None:
        """After Ctrl-C or SIGTERM: let workers clean up, then terminate the ones still running,
        then collect them."""
        previous = {s: signal.signal(s, signal.SIG_IGN) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            for worker in self.workers:
                if worker.job is None:
                    worker.process.terminate()  # idle: nothing to clean up
            deadline = time.monotonic() + GRACE_SECONDS
            while self.busy() and time.monotonic() < deadline:
                self.collect(0.2)
            for worker in self.busy():
                worker.process.terminate()
            deadline = time.monotonic() + KILL_AFTER_SECONDS
            while self.busy() and time.monotonic() < deadline:
                self.collect(0.5)
            for worker in self.busy():
                worker.process.kill()
            while self.busy():
                self.finish(self.busy()[0])
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)

    def close(self) -> None:
        """Tell idle workers to leave, collect every worker, and write the index."""
        for worker in list(self.workers):
            if worker.job is None:
                with contextlib.suppress(OSError, ValueError):
                    worker.conn.send(None)
        for worker in list(self.workers):
            worker.process.join(timeout=KILL_AFTER_SECONDS)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()
        write_index(self.out_dir)


def _run_in_workers(
    queue: deque[ReportJob],
    out_dir: Path,
    options: dict[str, Any],
    results: dict[str, RunResult],
    log: _Log,
    workers: int,
) -> bool:
    """Run the jobs in long-lived worker processes, forked from a warm fork server.

    When not even one worker can be started (the fork server failed), the jobs run in this
    process instead, and the log says so. Returns whether the run was interrupted.
    """
    pool = _WorkerPool(queue, out_dir, options, results, log, workers)
    try:
        with interruptible():
            pool.run()
    except KeyboardInterrupt:
        pool.stop()
        return True
    except _NoWorkers as exc:
        log.line(
            f"Arbetsprocesserna kunde inte startas ({exc.__cause__}); "
            "rapporterna görs i den här processen."
        )
        return _run_here(queue, out_dir, options, results, log)
    finally:
        pool.close()
    return False
