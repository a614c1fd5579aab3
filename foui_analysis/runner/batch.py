"""Running many reports: in parallel, independently, with one log line per report.

Method
------
:func:`run_jobs` first checks every job's parameters (no kernel involved) and fails the wrong
ones at once. The rest run in separate worker processes (``multiprocessing``, start method
``spawn``), at most ``workers`` at a time (default 2, one per core: each report also starts its
own kernel process). Each worker calls :func:`~foui_analysis.runner.execute.run_job` and sends
back its :class:`~foui_analysis.runner.execute.RunResult`; a failing report does not stop the
others. The index is rewritten after every published report.

Processes rather than threads, because papermill changes the working directory of the process
and a process can be stopped cleanly: on Ctrl-C or SIGTERM the parent stops starting reports,
gives the workers a moment to finish their own clean-up (they received the same Ctrl-C from
the terminal), then sends SIGTERM to those still running; each worker keeps its failed notebook
aside and removes its staging directory, and nothing published is touched.

Logging goes to ``stream`` (standard error by default). Every finished report gives one line
with a timestamp; on a terminal a status line below them shows what is running.

Known limits
------------
With the ``spawn`` start method, a script that calls :func:`run_jobs` must guard its entry
point with ``if __name__ == "__main__":`` (the ``foui`` command does).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import multiprocessing.connection
import signal
import sys
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from foui_analysis.presentation.formats import format_number
from foui_analysis.runner.errors import ReportError, ReportInterrupted
from foui_analysis.runner.execute import (
    DEFAULT_CELL_TIMEOUT,
    RunResult,
    interruptible,
    quiet,
    run_job,
    sweep_staging,
)
from foui_analysis.runner.index import write_index
from foui_analysis.runner.jobs import ReportJob
from foui_analysis.runner.params import check_parameters

STATUS_WORDS = {
    "published": "publicerad",
    "skipped": "oförändrad",
    "failed": "MISSLYCKADES",
    "interrupted": "AVBRUTEN",
}
GRACE_SECONDS = 2.0
"""How long workers may clean up on their own after an interrupt before they get SIGTERM."""
KILL_AFTER_SECONDS = 60.0
"""How long a terminated worker may take to keep its notebook aside before it is killed."""


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
        seconds = format_number(result.seconds, 1)
        self.line(f"{result.name}: {STATUS_WORDS[result.status]} ({seconds} s) – {result.message}")


def _worker(job: ReportJob, out_dir: Path, options: dict[str, Any], conn: Any) -> None:
    """Entry point of a worker process: run one job, send back its result."""
    started = time.monotonic()
    with quiet(), interruptible():
        try:
            result = run_job(job, out_dir, update_index=False, **options)
        except ReportInterrupted as exc:
            result = _failed(job, exc, "interrupted", started)
        except ReportError as exc:
            result = _failed(job, exc, "failed", started)
        except KeyboardInterrupt:
            result = RunResult(job.name, "interrupted", "körningen avbröts", seconds=0.0)
        except Exception as exc:  # a bug must not take the batch down; it is reported
            result = RunResult(job.name, "failed", f"oväntat fel: {type(exc).__name__}: {exc}")
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    conn.send(result)
    conn.close()


def _failed(job: ReportJob, exc: ReportError, status: str, started: float) -> RunResult:
    return RunResult(
        job.name, status, str(exc), aside_path=exc.aside_path, seconds=time.monotonic() - started
    )


@dataclass
class _Running:
    job: ReportJob
    process: Any
    conn: Any
    started: float


def run_jobs(
    jobs: Sequence[ReportJob],
    out_dir: str | Path,
    *,
    workers: int = 2,
    force: bool = False,
    cell_timeout: float = DEFAULT_CELL_TIMEOUT,
    stream: IO[str] | None = None,
) -> BatchSummary:
    """Run ``jobs`` into ``out_dir``, ``workers`` at a time; never raises for a failed report."""
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    sweep_staging(out_dir)
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

    context = multiprocessing.get_context("spawn")
    options = {"force": force, "cell_timeout": cell_timeout}
    running: dict[int, _Running] = {}
    interrupted = False

    def finish(sentinel: int) -> None:
        item = running.pop(sentinel)
        item.process.join()
        if item.conn.poll():
            result = item.conn.recv()
        else:
            code = item.process.exitcode
            result = RunResult(
                item.job.name,
                "failed",
                f"arbetsprocessen avslutades oväntat (kod {code}); "
                "den publicerade rapporten är orörd",
                seconds=time.monotonic() - item.started,
            )
        item.conn.close()
        results[item.job.name] = result
        log.result(result)
        if result.status == "published":
            write_index(out_dir)

    try:
        with interruptible():
            while queue or running:
                while queue and len(running) < max(1, workers):
                    job = queue.popleft()
                    receiver, sender = context.Pipe(duplex=False)
                    process = context.Process(
                        target=_worker, args=(job, out_dir, options, sender), name=job.name
                    )
                    process.start()
                    sender.close()
                    running[process.sentinel] = _Running(job, process, receiver, time.monotonic())
                ready = multiprocessing.connection.wait(list(running), timeout=1.0)
                for sentinel in ready:
                    finish(sentinel)
                log.status(len(results), {r.job.name: r.started for r in running.values()})
    except KeyboardInterrupt:
        interrupted = True
        _stop(running, finish)
    finally:
        write_index(out_dir)
    for job in queue:
        results[job.name] = RunResult(job.name, "interrupted", "startades inte")

    summary = BatchSummary([results[j.name] for j in jobs if j.name in results], interrupted)
    log.line(summary.text() + (" (avbröts)" if interrupted else ""))
    return summary


def _stop(running: dict[int, _Running], finish: Any) -> None:
    """Let workers clean up, then terminate the ones still running, then collect them."""
    previous = {s: signal.signal(s, signal.SIG_IGN) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        deadline = time.monotonic() + GRACE_SECONDS
        while running and time.monotonic() < deadline:
            for sentinel in multiprocessing.connection.wait(list(running), timeout=0.2):
                finish(sentinel)
        for item in running.values():
            item.process.terminate()
        deadline = time.monotonic() + KILL_AFTER_SECONDS
        while running and time.monotonic() < deadline:
            for sentinel in multiprocessing.connection.wait(list(running), timeout=0.5):
                finish(sentinel)
        for item in running.values():
            item.process.kill()
        while running:
            finish(next(iter(running)))
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
