"""A report made alone gets its HTML page and PDF from a second process, prepared in advance.

Method
------
A command that makes one report (``foui run followup --period 2016H2``) runs its notebook in the
calling process (:mod:`foui_analysis.runner.batch`). Turning the executed notebook into the
page and the PDF needs nbconvert (about 0.4-0.8 s of CPU to import, with the report template)
and a running Chromium; done in the same process, both come before or after the notebook, on
one core. :class:`Finisher` forks a process as the command starts, before it checks the
inputs, which imports nbconvert, compiles the template, starts Chromium
(:mod:`foui_analysis.presentation.pdf`) and opens its page on the second core while the inputs
are checked and the notebook runs. When the notebook is done, the calling process writes the
executed notebook and hands the finisher three paths: the notebook, the HTML and the PDF to
write (in the report's staging folder). The finisher answers when both are written, or with
what went wrong, and ends at once (closing its browser while the calling process publishes:
waiting for that at the end took 0.4-0.7 s). Publishing stays in the calling process.

A batch of several reports does not use it: its workers keep nbconvert and Chromium warm for
report after report, and both cores are busy with reports.

Known limits
------------
It needs the ``fork`` start method (Linux, the BSDs; not Windows): where that is missing, or the
process cannot be started, the page and PDF are made in the calling process as before. If the
finisher dies or stops answering, the report is finished in the calling process instead (its
answer to a print that failed, a :class:`~foui_analysis.presentation.pdf.PdfError`, fails the
report as a failed print in the calling process does). The finisher ignores Ctrl-C (the calling
process decides what an interrupt stops) and ends when the calling process closes its end of
the pipe, or dies.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
from pathlib import Path
from typing import Any

ANSWER_TIMEOUT_S = 300.0
"""Longest wait for the finisher's answer (a print has :data:`~.pdf.PDF_TIMEOUT_S` of it)."""


class FinisherGone(Exception):
    """The finisher process cannot finish this report (it died or stopped answering)."""


class Finisher:
    """A forked process that writes one report's HTML page and PDF on request, then ends."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("fork")
        self.conn, there = context.Pipe(duplex=True)
        self.process = context.Process(target=_serve, args=(there, self.conn), name="foui-html-pdf")
        self.process.daemon = True
        # Ctrl-C is blocked while forking, so the finisher is born deaf to it (it ignores it
        # before it unblocks); a Ctrl-C meanwhile reaches this process when it unblocks.
        interrupt = {signal.SIGINT}
        signal.pthread_sigmask(signal.SIG_BLOCK, interrupt)
        try:
            self.process.start()
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, interrupt)
            there.close()

    @classmethod
    def start(cls) -> Finisher | None:
        """A running finisher, or ``None`` where one cannot be had (see Known limits)."""
        if "fork" not in multiprocessing.get_all_start_methods():
            return None
        try:
            return cls()
        except (OSError, ValueError):
            return None

    def finish(self, executed: Path, html: Path, pdf: Path) -> None:
        """Write ``html`` and ``pdf`` from the executed notebook ``executed``.

        Raises the finisher's :class:`~foui_analysis.presentation.pdf.PdfError` for a print that
        failed, and :class:`FinisherGone` when the finisher cannot answer.
        """
        from foui_analysis.presentation.pdf import PdfError

        try:
            self.conn.send((str(executed), str(html), str(pdf)))
            if not self.conn.poll(ANSWER_TIMEOUT_S):
                raise FinisherGone("no answer")
            status, message = self.conn.recv()
        except (EOFError, OSError) as exc:
            raise FinisherGone(str(exc)) from exc
        if status == "pdf":
            raise PdfError(message)
        if status != "ok":
            raise FinisherGone(message)

    def close(self) -> None:
        """End the finisher (it closes its browser on the way out)."""
        with contextlib.suppress(OSError):
            self.conn.send(None)
        with contextlib.suppress(OSError):
            self.conn.close()
        self.process.join(timeout=10)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


def _serve(conn: Any, callers_end: Any) -> None:
    """The finisher process: warm up, then answer one request (or end at ``None`` or when the
    pipe closes)."""
    callers_end.close()  # forked with both ends: keep only ours, so a closed pipe is seen
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    from foui_analysis.presentation.pdf import (
        PdfError,
        close_browser,
        prepare_browser,
        start_browser,
    )

    try:
        start_browser()  # first: Chromium comes up while the rest is imported and prepared
        from foui_analysis.runner.execute import quiet, warm_converter

        with quiet():
            with contextlib.suppress(Exception):  # a broken converter is reported on use
                warm_converter()
            prepare_browser()  # its page opened, before the notebook is done
            try:
                request = conn.recv()
            except (EOFError, OSError):
                return
            if request is None:
                return
            try:
                _finish(*request)
                answer = ("ok", "")
            except PdfError as exc:
                answer = ("pdf", str(exc))
            except Exception as exc:
                answer = ("error", f"{type(exc).__name__}: {exc}")
            with contextlib.suppress(OSError):
                conn.send(answer)
    finally:
        close_browser()


def _finish(executed: str, html: str, pdf: str) -> None:
    from foui_analysis.presentation.notebook_html import notebook_to_html
    from foui_analysis.presentation.pdf import html_to_pdf

    Path(html).write_text(notebook_to_html(Path(executed)), encoding="utf-8")
    html_to_pdf(Path(html), Path(pdf))
