"""Executing report notebooks in the runner's own process: a papermill engine without a kernel.

This module is the papermill glue (the shell, the warm-up, running a cell, the engine class);
the outputs are captured by :mod:`.capture`, the cell timeout and signals are handled by
:mod:`.guard`, and what a notebook changes in the process is undone by :mod:`.isolation`.

Method
------
papermill executes a notebook through an *engine*. Its default engine (nbclient) starts a new
Jupyter kernel for every notebook: a second process that imports pandas, matplotlib, pandera and
``foui_analysis`` again, and to which every cell and every output travels as a message over
ZeroMQ. Measured on the example data, a report spent 4-5 s of its 6 s on that kernel, and even
a kernel kept warm between reports cost a second per worker to start and about 0.3 s a report
in messages. :class:`InProcessEngine`, registered with papermill under the name
:data:`ENGINE_NAME` (``foui``, see :func:`register`), runs the cells in the runner's process,
in an IPython shell (the same :class:`~IPython.core.interactiveshell.InteractiveShell` that
ipykernel wraps), so the modules the runner has imported serve every report:

1. **Warmed up ahead.** :func:`warm_up` creates the shell and runs the notebooks' top-level
   ``import`` statements in it (read with :mod:`ast`; no other code of the notebooks runs) and
   draws one small chart, so the font cache and renderer are ready before the first report.
2. **A clean namespace for every notebook.** Before each notebook the shell is reset
   (``reset(new_session=True)``: no variable survives, execution counts start at 1), open
   pyplot figures are closed, pyplot's backend is ``matplotlib_inline`` again, and afterwards
   the working directory is restored.
3. **Outputs as a kernel gives them.** Rich display (``display()``, a cell's last value),
   ``print`` to standard output and error, warnings (under Python's default filters) and
   tracebacks become the notebook outputs a kernel would send: MIME bundles formatted by
   IPython's own formatters, JSON made by ``jupyter_client``'s encoder, ``display_id`` updates
   and ``clear_output``; pyplot figures left open are shown by the ``matplotlib_inline``
   backend; ``input()`` raises ``StdinNotImplementedError``. papermill's execution manager
   records each cell's start, end, duration and status, writes the progress notebook, and turns
   an error output into :class:`~papermill.exceptions.PapermillExecutionError`, as with its
   default engine. ``tests/runner/test_engine.py`` compares the outputs, and a whole report,
   with those of a real kernel.
4. **Limits enforced in the process.** A cell running longer than the cell timeout is
   interrupted with a signal (SIGALRM, again every second until the cell returns) and fails
   the report with nbclient's ``CellTimeoutError``; Ctrl-C and SIGTERM stop the report with
   ``KeyboardInterrupt``. Both are noted as well as raised, so a cell that catches every
   exception still fails the report when it returns. After a timeout :data:`in_doubt` is set and
   a batch worker ends after that report.

The library's process cache (:mod:`foui_analysis.context`) is switched on while a notebook
runs, so one worker reads, checks and analyses the inputs once for all its reports (keyed by
the SHA-256 of the files, so a changed file is read again).

Known limits
------------
What a notebook changes in the process is undone after it, and what is not is listed, in
:mod:`.isolation`; without pandas' private option registry the runner says so once and runs
every notebook in a fresh kernel. The shell keeps no output cache, so ``_``, ``_3`` and ``Out``
are not defined. The notebook's
namespace is not ``sys.modules["__main__"]`` (that stays the runner's), so objects of classes
defined in a notebook cannot be pickled.
Output written directly to the file descriptors by C code or a subprocess goes to the runner's
own output, not into the notebook; ``getpass`` reads the terminal. The timeout and the signals
are handled only when the report runs in the main thread; in another thread the notebook runs
in a fresh kernel instead, as it does inside a Jupyter kernel (a researcher calling the runner
from JupyterLab: that kernel's shell is never borrowed). A cell that swallows every exception
in a loop runs to its end before the report fails, and C code that does not return to Python
cannot be interrupted. A crash in C code ends the process: a batch worker is replaced and the
report reported as failed, but a single report made in the ``foui`` process ends the command.
Set ``FOUI_ENGINE=kernel`` to run every notebook in a fresh kernel (papermill's default
engine); that is also the way to check a report against a real kernel.
"""

from __future__ import annotations

import ast
import contextlib
import gc
import json
import os
import sys
import threading
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from foui_analysis.runner.capture import (
    CellOutputs,
    CellStream,
    NoInput,
    kernel_warning_filters,
    quiet_streams,
)
from foui_analysis.runner.guard import CellTimeout, Guard
from foui_analysis.runner.isolation import can_isolate, isolated_state

ENGINE_NAME = "foui"
"""The name :func:`register` gives the engine in papermill's registry."""

WARMUP_CODE = """
def _foui_warmup():
    import io
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    figure = Figure()
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.barh(["Övertorneå"], [1.5])
    axes.set_xlabel("Deltagare per 1 000 invånare")
    figure.savefig(io.BytesIO(), format="png", dpi=150)
try:
    _foui_warmup()
except Exception:
    pass
del _foui_warmup
"""
"""Run after the notebooks' imports when they use matplotlib: one small chart drawn to PNG, so
the font cache and renderer are loaded before the first report's first chart (about 0.3 s)."""

in_doubt = False
"""True once a cell of this process was stopped by the cell timeout: whatever it was doing
(an import, a library's set-up) may be half done, so a batch worker ends after that report."""

_lock = threading.Lock()
"""One notebook at a time per process: the shell, the working directory and the standard
streams are the process's."""


def in_process() -> bool:
    """True unless ``FOUI_ENGINE=kernel`` asks for a fresh Jupyter kernel per notebook."""
    return os.environ.get("FOUI_ENGINE", "").strip().lower() != "kernel"


def notebook_imports(notebooks: Iterable[Path]) -> list[str]:
    """The top-level ``import`` statements of the notebooks' code cells, each once, in order.

    Only import statements are taken (never assignments, calls or magics); a cell that is not
    valid Python is skipped.
    """
    seen: dict[str, None] = {}
    for notebook in notebooks:
        try:
            cells = json.loads(Path(notebook).read_text(encoding="utf-8")).get("cells", [])
        except (OSError, ValueError, AttributeError):
            continue
        for cell in cells:
            if cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else str(source)
            try:
                tree = ast.parse(source)
            except SyntaxError:
                continue
            for node in tree.body:
                if isinstance(node, ast.Import | ast.ImportFrom) and not (
                    isinstance(node, ast.ImportFrom) and node.module == "__future__"
                ):
                    seen.setdefault(ast.unparse(node), None)
    return list(seen)


def _shell_class():
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets import Type

    class OutputHook(DisplayHook):
        """A cell's last value becomes an ``execute_result`` output."""

        def write_output_prompt(self) -> None:
            pass

        def write_format_data(self, format_dict, md_dict=None) -> None:
            assert self.shell is not None  # a display hook always belongs to its shell
            self.shell.outputs.result(format_dict, md_dict, self.prompt_count)

        def finish_displayhook(self) -> None:
            pass

    class OutputPublisher(DisplayPublisher):
        """``display()`` becomes a ``display_data`` output (or updates one)."""

        def publish(
            self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs
        ) -> None:
            self.shell.outputs.display(data, metadata, transient, update)

        def clear_output(self, wait=False) -> None:
            self.shell.outputs.clear(wait)

    class ReportShell(InteractiveShell):
        """An IPython shell whose outputs are recorded as notebook outputs."""

        displayhook_class = Type(OutputHook)
        display_pub_class = Type(OutputPublisher)

        def __init__(self, **kwargs: Any) -> None:
            self.outputs = CellOutputs()
            super().__init__(**kwargs)

        def init_sys_modules(self) -> None:
            """Leave ``sys.modules["__main__"]`` alone (as an embedded IPython does): it is the
            runner's, and :mod:`multiprocessing` needs it to start workers."""

        def _showtraceback(self, etype, evalue, stb) -> None:
            self.outputs.error(str(etype.__name__), str(evalue), stb)

    return ReportShell


_shell: Any = None


def shell():
    """This process's report shell (created on first use)."""
    global _shell
    if _shell is None:
        from IPython.core.interactiveshell import InteractiveShell
        from traitlets.config import Config

        if InteractiveShell.initialized():
            raise RuntimeError("an IPython shell already runs in this process")
        config = Config()
        config.HistoryManager.enabled = False
        # No output cache (``Out``, ``_1``...): a report needs none, and with one every reset
        # ends in a full garbage collection (0.1 s a report).
        config.InteractiveShell.cache_size = 0
        _shell = _shell_class().instance(config=config)
        with contextlib.suppress(Exception):  # without matplotlib there is nothing to show
            import matplotlib_inline.backend_inline  # noqa: F401

            _shell.enable_matplotlib("inline")
    return _shell


def available() -> bool:
    """True when notebooks can run in this process (no other IPython shell owns it)."""
    if not in_process() or threading.current_thread() is not threading.main_thread():
        return False
    if not can_isolate():
        return False
    if _shell is not None:
        return True
    try:
        from IPython.core.interactiveshell import InteractiveShell
    except ImportError:
        return False
    return not InteractiveShell.initialized()


_warmed: set[str] = set()
"""What :func:`warm_up` has run in this process: import statements, and the chart."""


def warm_up(notebooks: Iterable[Path] = ()) -> None:
    """Create the shell now and import in it what ``notebooks`` import (see the docstring).

    Each import statement runs once per process, the warm-up chart too. Afterwards the objects
    that exist (modules, fonts, schema objects) are moved out of the garbage collector's sight
    (:func:`gc.freeze`): they live as long as the process, and every later collection would
    otherwise walk through all of them again.
    """
    if not available():
        return
    imports = notebook_imports(notebooks)
    new = [line for line in imports if line not in _warmed]
    chart = (
        any("matplotlib" in line or "foui_analysis" in line for line in imports)
        and "chart" not in _warmed
    )
    if not new and not chart:
        return
    with _lock, quiet_streams():
        ip = shell()
        if new:
            # Each guarded: a failing import is left for the notebook to report in its cell.
            ip.run_cell(
                "".join(f"try:\n    {line}\nexcept Exception:\n    pass\n" for line in new),
                store_history=False,
                silent=True,
            )
        if chart:
            ip.run_cell(WARMUP_CODE, store_history=False, silent=True)
    _warmed.update(new)
    if chart:
        _warmed.add("chart")
    gc.collect()
    gc.freeze()


def _run_cell(ip: Any, cell: Any, timeout: float | None) -> None:
    """Run one code cell; its outputs and execution count land in ``cell``."""
    from nbclient.exceptions import CellTimeoutError

    ip.outputs.start(cell)
    cell.execution_count = ip.execution_count
    guard = Guard(timeout)
    stdin, sys.stdin = sys.stdin, NoInput()
    try:
        with (
            guard.active(),
            contextlib.redirect_stdout(CellStream(ip.outputs, "stdout")),
            contextlib.redirect_stderr(CellStream(ip.outputs, "stderr")),
            warnings.catch_warnings(),
        ):
            kernel_warning_filters()
            result = ip.run_cell(cell.source, store_history=True)
    except CellTimeout:
        guard.timed_out = True
    finally:
        sys.stdin = stdin
        ip.outputs.cell = None
    if guard.timed_out:
        global in_doubt
        in_doubt = True
    if guard.interrupted is not None:
        raise KeyboardInterrupt(f"signal {guard.interrupted}")
    if guard.timed_out:
        raise CellTimeoutError(
            f"A cell timed out while it was being executed, after {timeout} seconds."
        )
    error = result.error_before_exec or result.error_in_exec
    if isinstance(error, KeyboardInterrupt):
        raise KeyboardInterrupt(str(error))


def _inline_backend(ip: Any) -> None:
    """pyplot's backend is ``matplotlib_inline``, as in a fresh kernel (other code in the process,
    or the previous notebook, may have switched it)."""
    matplotlib = sys.modules.get("matplotlib")
    if matplotlib is None:
        return
    with contextlib.suppress(Exception):  # without matplotlib_inline there is nothing to show
        if "inline" not in matplotlib.get_backend():
            ip.enable_matplotlib("inline")


def _language_info() -> dict[str, Any]:
    """The ``language_info`` an IPython kernel of this interpreter reports."""
    return {
        "name": "python",
        "version": sys.version.split()[0],
        "mimetype": "text/x-python",
        "codemirror_mode": {"name": "ipython", "version": 3},
        "pygments_lexer": "ipython3",
        "nbconvert_exporter": "python",
        "file_extension": ".py",
    }


def _engine_class():
    from papermill.engines import Engine, NBClientEngine, NotebookExecutionManager
    from papermill.iorw import write_ipynb

    class LeanExecutionManager(NotebookExecutionManager):
        """papermill's progress saves, written once per cell instead of twice.

        papermill writes the whole output notebook (copied, validated against the schema,
        indented) when a cell starts and again when it completes: 50 writes for a 25-cell
        report, with every chart in it. Here the notebook is written when a cell starts (so the
        file on disk always shows which cell is running, with every earlier output) as plain
        JSON, and in full with papermill's writer when the notebook completes or fails, which is
        the copy kept aside after a failure.
        """

        mode = "progress"  # "progress": plain JSON; "skip": no write; "final": validated

        def save(self, **kwargs):
            if self.output_path and self.mode == "final":
                write_ipynb(self.nb, self.output_path)
            elif self.output_path and self.mode == "progress":
                Path(self.output_path).write_text(
                    json.dumps(self.nb, ensure_ascii=False) + "\n", encoding="utf-8"
                )
            self.last_save_time = self.now()

        def cell_complete(self, cell, cell_index=None, **kwargs):
            self.mode = "skip"  # the next cell's start, or the end, writes it
            try:
                super().cell_complete(cell, cell_index=cell_index, **kwargs)
            finally:
                self.mode = "progress"

        def notebook_complete(self, **kwargs):
            self.mode = "final"
            super().notebook_complete(**kwargs)

    class InProcessEngine(Engine):
        """Cells run in this process's IPython shell (see the module docstring)."""

        @classmethod
        def execute_notebook(
            cls,
            nb,
            kernel_name,
            output_path=None,
            progress_bar=True,
            log_output=False,
            autosave_cell_every=30,
            **kwargs,
        ):
            if not available():
                return NBClientEngine.execute_notebook(
                    nb,
                    kernel_name,
                    output_path=output_path,
                    progress_bar=progress_bar,
                    log_output=log_output,
                    autosave_cell_every=autosave_cell_every,
                    **kwargs,
                )
            nb_man = LeanExecutionManager(
                nb,
                output_path=output_path,
                progress_bar=progress_bar,
                log_output=log_output,
                autosave_cell_every=autosave_cell_every,
            )
            nb_man.notebook_start()
            try:
                cls.execute_managed_notebook(nb_man, kernel_name, **kwargs)
            finally:
                nb_man.cleanup_pbar()
                nb_man.notebook_complete()
            return nb_man.nb

        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, execution_timeout=None, **kwargs):
            from foui_analysis.context import process_cache

            cwd = os.getcwd()  # papermill has already changed into the notebook's directory
            with _lock, isolated_state(), process_cache():
                ip = shell()
                ip.reset(new_session=True)
                ip.outputs.displays.clear()
                if "matplotlib.pyplot" in sys.modules:
                    sys.modules["matplotlib.pyplot"].close("all")
                _inline_backend(ip)
                nb_man.nb.metadata["language_info"] = _language_info()
                try:
                    for index, cell in enumerate(nb_man.nb.cells):
                        nb_man.cell_start(cell, index)
                        try:
                            if cell.cell_type == "code" and cell.source.strip():
                                _run_cell(ip, cell, execution_timeout)
                                if any(o.output_type == "error" for o in cell.outputs):
                                    nb_man.cell_exception(cell, cell_index=index)
                                    break
                        finally:
                            nb_man.cell_complete(cell, cell_index=index)
                finally:
                    os.chdir(cwd)

    return InProcessEngine


def register() -> str:
    """Register the engine with papermill (once per process); return its name."""
    from papermill.engines import papermill_engines

    if ENGINE_NAME not in papermill_engines._engines:
        papermill_engines.register(ENGINE_NAME, _engine_class())
    return ENGINE_NAME


def execute(
    notebook: Path,
    output: Path,
    parameters: dict[str, Any],
    *,
    kernel_name: str,
    cwd: Path,
    cell_timeout: float,
    start_timeout: float,
    extra_arguments: list[str],
):
    """``papermill.execute_notebook`` with this engine; the executed notebook.

    ``kernel_name``, ``start_timeout`` and ``extra_arguments`` apply when the notebook runs in a
    kernel (``FOUI_ENGINE=kernel``, or inside a Jupyter kernel).
    """
    import papermill as pm

    return pm.execute_notebook(
        str(notebook),
        str(output),
        parameters=parameters,
        engine_name=register(),
        kernel_name=kernel_name,
        cwd=str(cwd),
        progress_bar=False,
        log_output=False,
        start_timeout=start_timeout,
        execution_timeout=cell_timeout,
        extra_arguments=extra_arguments,
    )
