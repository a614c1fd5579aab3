"""Limits enforced in the runner's process while a cell runs: the cell timeout and Ctrl-C/SIGTERM.

Method
------
:class:`Guard` installs, for the time a cell runs in the main thread, a SIGALRM timer for the
cell timeout and handlers for SIGINT and SIGTERM. Each raises in the cell (:class:`CellTimeout`,
a BaseException like ``KeyboardInterrupt``, so ``except Exception`` in the notebook does not
swallow it) and is noted on the guard, so a cell that catches every exception still fails the
report when it returns; the timer fires again every second until it does. The previous handlers
are put back afterwards; a signal the process ignores (a job started in the background) stays
ignored.

Known limits: in a thread other than the main thread nothing is installed (signals reach only
the main thread); C code that does not return to Python cannot be interrupted.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from typing import Any


class CellTimeout(BaseException):
    """Raised in a cell that ran past the cell timeout (a BaseException, like Ctrl-C, so that
    ``except Exception`` in the notebook does not swallow it)."""


class Guard:
    """While a cell runs (main thread only): the cell timeout (SIGALRM) and Ctrl-C/SIGTERM.

    Each raises in the cell (:class:`CellTimeout` or ``KeyboardInterrupt``) and is also noted
    here, so that a cell that catches every exception (``except:``) still fails the report when
    it returns; the timer fires again every second until it does.
    """

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.timed_out = False
        self.interrupted: int | None = None

    @contextlib.contextmanager
    def active(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return

        def expire(signum: int, frame: Any) -> None:
            self.timed_out = True
            raise CellTimeout(f"cellen körde längre än {self.seconds} s")

        def interrupt(signum: int, frame: Any) -> None:
            self.interrupted = signum
            raise KeyboardInterrupt(f"signal {signum}")

        # A signal the process ignores (a job started in the background) stays ignored.
        handlers = {
            s: interrupt
            for s in (signal.SIGINT, signal.SIGTERM)
            if signal.getsignal(s) is not signal.SIG_IGN
        }
        if self.seconds:
            handlers[signal.SIGALRM] = expire
        previous = {s: signal.signal(s, h) for s, h in handlers.items()}
        if self.seconds:
            signal.setitimer(signal.ITIMER_REAL, self.seconds, 1.0)
        try:
            yield
        finally:
            if self.seconds:
                signal.setitimer(signal.ITIMER_REAL, 0)
            for s, handler in previous.items():
                signal.signal(s, handler)
