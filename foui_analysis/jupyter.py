"""Where a notebook's code runs: an interactive Jupyter front end, or a batch executor.

Method
------
The scenario explorer shows widgets, and :func:`foui_analysis.presentation.emit_kpis` writes
the key-figure record to a file, only when a person is looking: in JupyterLab (or Jupyter
Notebook, VS Code), not under papermill, ``nbconvert --execute`` or the report runner.
:func:`interactive` tells the two apart by the request that runs the current cell: a front end
that a person uses sends ``allow_stdin: true`` (it can answer ``input()``); nbclient, which
papermill and nbconvert use, always sends ``false``; the report runner's own engine runs cells
outside any kernel. Once a person's request has run in a kernel, the kernel stays
interactive (a widget's callback arrives as a comm message, without ``allow_stdin``).

Known limits
------------
A kernel cannot ask its front end whether it renders widgets. A front end that allows input but
has no widget support would get the widget's text; one that runs cells without allowing input
(some automation tools) is taken as a batch executor.
"""

from __future__ import annotations

import os
from pathlib import Path

_person = False
"""Set once a request of a person's front end has run in this kernel: a widget's callback (a
comm message, which carries no ``allow_stdin``) then counts as interactive too."""


def interactive() -> bool:
    """True when the code runs in a Jupyter kernel that a person's front end drives."""
    global _person
    if _person:
        return True
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    kernel = getattr(get_ipython(), "kernel", None)
    if kernel is None:
        return False  # not in a Jupyter kernel (the report runner's own engine, a script)
    try:
        request = kernel.get_parent()
    except (AttributeError, TypeError):
        request = getattr(kernel, "_parent", None)
    _person = bool((request or {}).get("content", {}).get("allow_stdin", False))
    return _person


def notebook_name() -> str | None:
    """The running notebook's file stem, when the Jupyter server says it (``JPY_SESSION_NAME``)."""
    session = os.environ.get("JPY_SESSION_NAME", "").strip()
    return Path(session).stem or None if session else None
