"""Imported by the batch's fork server: makes that process ready to run reports.

:mod:`foui_analysis.runner.batch` starts its workers with the ``forkserver`` method of
:mod:`multiprocessing` and names this module as the server's preload. Importing it runs, once, in
the server: the report shell with the notebooks' imports and the warm-up chart
(:func:`foui_analysis.runner.execute.warm_up`), papermill with the engine registered, and
nbconvert with the report template compiled (:func:`~foui_analysis.runner.execute.warm_converter`).
Every worker is then forked from that warm process and starts its first report at once, while the
``foui`` process itself checks the inputs.

The notebooks to warm up for are read from the environment variable
:data:`~foui_analysis.runner.batch.NOTEBOOKS_VARIABLE` (paths separated by :data:`os.pathsep`),
which the batch sets when it starts the server. Only the server imports this module. A failure
of the warm-up is ignored: a worker forked from a cold server warms itself up before its first
report; a server that cannot start at all makes the batch run its reports in the calling
process.
"""

from __future__ import annotations

import contextlib
import os
import signal
from pathlib import Path


def warm() -> None:
    """Warm this process up for the notebooks the batch named."""
    from foui_analysis.runner import engine
    from foui_analysis.runner.batch import NOTEBOOKS_VARIABLE
    from foui_analysis.runner.execute import quiet, warm_converter, warm_up

    notebooks = [Path(p) for p in os.environ.get(NOTEBOOKS_VARIABLE, "").split(os.pathsep) if p]
    with quiet():
        engine.register()
        warm_converter()
        warm_up(notebooks)


# The server outlives nothing: it ends with the process that started it. It ignores SIGTERM
# sent to the whole process group (systemd, ``timeout``), so that the parent can still collect
# and stop its workers (forked from here, they reset SIGTERM).
signal.signal(signal.SIGTERM, signal.SIG_IGN)
# A failure is ignored (see the docstring): the workers then warm themselves up.
with contextlib.suppress(BaseException):
    warm()
