"""Progress of long steps, shown on a terminal and nowhere else.

Method
------
A command that may take long (``foui check`` of a large data set) turns the display on with
:func:`on_terminal` around its work. Inside, each long step opens a :func:`bar` with a Swedish
label and, when it can count its work, a total (the bytes of a file, the computations of a dry
run); it sets how much is done with :meth:`Progress.update`. A background thread redraws one line
of standard error (``\\r``) four times a second: ``Läser activities.csv: 42 %``, or the seconds
the step has taken when it has no total (``Kontrollerar activities.csv: 12 s``), so the line
moves also while the step is inside one long computation. Nothing is drawn for a step that ends
within half a second. When the step ends the line is erased, so what the command prints
afterwards (messages, the summary line) stands alone.

Nothing is shown, and no thread is started, unless standard error is a terminal
(:meth:`io.IOBase.isatty`): in a log file, a cron mail, a pipe or a test the output is exactly
what it is without progress. Outside :func:`on_terminal` (the library called from a notebook or
by the runner) a bar is silent too.

Known limits: one bar at a time (a step inside another draws over its line until it ends); the
percentage of a file is of its bytes read, not of its rows.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Iterator
from typing import TextIO

SHOW_AFTER_S = 0.5
"""A step shows its line once it has run this long."""
INTERVAL_S = 0.25
"""How often the line is redrawn."""

_stream: TextIO | None = None


@contextlib.contextmanager
def on_terminal(stream: TextIO | None = None) -> Iterator[bool]:
    """Show progress on ``stream`` (default standard error) inside the block, if it is a
    terminal; yields whether progress is shown."""
    global _stream
    stream = stream if stream is not None else sys.stderr
    try:
        shown = stream.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stream
        shown = False
    previous, _stream = _stream, (stream if shown else None)
    try:
        yield shown
    finally:
        _stream = previous


class Progress:
    """One step's progress: :meth:`update` with how much of ``total`` is done."""

    def __init__(self, label: str, total: float | None, stream: TextIO | None) -> None:
        self.label = label
        self.total = None if total is None else max(float(total), 1.0)
        self.done = 0.0
        self.stream = stream
        self.started = time.monotonic()
        self.width = 0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        if stream is not None:
            self._thread = threading.Thread(target=self._run, name="progress", daemon=True)
            self._thread.start()

    def update(self, done: float) -> None:
        """Set how much of the total is done (bytes, steps)."""
        self.done = done

    def line(self) -> str:
        """The line as drawn now."""
        if self.total is None:
            return f"{self.label}: {time.monotonic() - self.started:.0f} s"
        share = min(max(self.done / self.total, 0.0), 1.0)
        return f"{self.label}: {share * 100:.0f} %"

    def _run(self) -> None:
        if self._stop.wait(SHOW_AFTER_S):
            return
        while True:
            self._draw()
            if self._stop.wait(INTERVAL_S):
                return

    def _draw(self) -> None:
        assert self.stream is not None
        line = self.line()
        with self._lock:
            if self._stop.is_set():
                return
            self.stream.write("\r" + line.ljust(self.width))
            self.stream.flush()
            self.width = max(self.width, len(line))

    def close(self) -> None:
        """Stop drawing and erase the line."""
        with self._lock:
            self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self.stream is not None and self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0


@contextlib.contextmanager
def bar(label: str, total: float | None = None) -> Iterator[Progress]:
    """A :class:`Progress` for one step, erased when the step ends (also on an error)."""
    progress = Progress(label, total, _stream)
    try:
        yield progress
    finally:
        progress.close()
