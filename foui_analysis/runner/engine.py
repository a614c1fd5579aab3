"""Executing report notebooks in a warm kernel: a papermill engine that reuses one kernel.

Method
------
papermill executes a notebook through an *engine*. Its default engine (nbclient) starts a new
kernel for every notebook and shuts it down afterwards, so every report pays again for the
kernel's start, for importing pandas, matplotlib, pandera and ``foui_analysis``, and for the
first use of each (font cache, schema objects, lazily built tables): measured on the example
data, that is 4-5 s of a 6 s report, more than the analysis itself. :class:`WarmKernelEngine`,
registered with papermill under the name :data:`ENGINE_NAME` (``foui``, see :func:`register`),
keeps one kernel per process for each (kernel name, working directory, kernel arguments):

1. **Started ahead.** :func:`prestart` launches the kernel and sends it the notebook's
   top-level ``import`` statements (read from the notebook file with :mod:`ast`; no other code
   of the notebook runs), without waiting. The runner calls it before it checks parameters,
   hashes inputs and imports nbconvert, so those overlap with the kernel's start and imports.
2. **A clean namespace for every notebook.** Before each notebook the kernel runs
   ``get_ipython().reset(new_session=True)``: every variable of the previous notebook is gone
   and the execution count starts at 1 again; the working directory is the one the kernel
   started in; open pyplot figures are closed. Imported modules stay imported, which is the
   point. A kernel found dead between notebooks is replaced, and so is one that imported an
   older version of ``foui_analysis`` (a source file changed since it started), so a
   long-lived process never makes a report with stale library code.
3. **papermill's own client.** Cells run through
   :class:`papermill.clientwrap.PapermillNotebookClient` (nbclient) against that kernel, so the
   outputs, the cell timeout, the ``papermill`` metadata and the progress saves of the output
   notebook are exactly those of the default engine.
4. **A kernel in doubt is replaced.** When execution ends with an exception (cell timeout, dead
   kernel, Ctrl-C or SIGTERM), the kernel is shut down; the next notebook gets a new one. A cell
   that raises is an ordinary outcome: the kernel is reset and reused.

Each thread has its own kernels (a kernel client belongs to its thread's event loop).
Kernels are shut down when the process exits (:func:`shutdown_all`, registered with
:mod:`atexit`). The ``papermill`` command keeps working as it is; ``papermill --engine foui``
is available only where :func:`register` has run (this engine is not an entry point).

Known limits
------------
Module-level state outlives a notebook: a notebook that changes matplotlib's ``rcParams``,
pandas options, ``sys.path`` or a module's globals changes them for the next notebook run in
the same kernel, and a warning filtered to show "once" is shown once per kernel, not once per
report (stderr never reaches the HTML). The report notebooks of this repository change no
such state. Set ``FOUI_WARM_KERNEL=0`` in the environment to run every notebook in a fresh
kernel instead (papermill's default engine).
"""

from __future__ import annotations

import ast
import atexit
import contextlib
import json
import os
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ENGINE_NAME = "foui"
"""The name :func:`register` gives the engine in papermill's registry."""

RESET_CODE = (
    "(lambda ip, modules: (ip.reset(new_session=True), __import__('os').chdir({cwd!r}), "
    "modules['matplotlib.pyplot'].close('all') if 'matplotlib.pyplot' in modules else None))"
    "(get_ipython(), __import__('sys').modules)"
)
"""Run silently before each notebook (formatted with the kernel's working directory): a fresh
namespace and execution count, the working directory the kernel started in, no open figures."""

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
"""Sent after the notebooks' imports when they use matplotlib: one small chart drawn to PNG, so
the font cache and renderer are loaded while the runner is still busy with its own start, not
in the first report's first chart (about 0.3 s). The namespace is reset before each notebook."""

_kernels: dict[tuple[str, str, tuple[str, ...], int], WarmKernel] = {}
"""This process's kernels by (kernel name, working directory, arguments, thread): a kernel
client belongs to the event loop of the thread that made it, and two threads must never
share a kernel."""


def enabled() -> bool:
    """False when ``FOUI_WARM_KERNEL=0``: then every notebook gets a fresh kernel."""
    return os.environ.get("FOUI_WARM_KERNEL", "1").strip().lower() not in ("0", "no", "false")


def notebook_imports(notebooks: Iterable[Path]) -> str:
    """The top-level ``import`` statements of the notebooks' code cells, each guarded.

    Only import statements are taken (never assignments, calls or magics); a cell that is not
    valid Python is skipped, and a failing import is ignored here (the notebook itself will
    then report it in its own cell).
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
    return "".join(f"try:\n    {line}\nexcept Exception:\n    pass\n" for line in seen)


class WarmKernel:
    """A kernel started once and reused for many notebooks (see the module docstring)."""

    def __init__(
        self, kernel_name: str, cwd: str, extra_arguments: tuple[str, ...], thread: int
    ) -> None:
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self.km = AsyncKernelManager(kernel_name=kernel_name)
        # The library's process cache (foui_analysis.context): inputs read and analysed once per
        # kernel for as long as their contents are unchanged.
        env = {**os.environ, "FOUI_PROCESS_CACHE": "1"}
        run_sync(self.km.start_kernel)(cwd=cwd, extra_arguments=list(extra_arguments), env=env)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.allow_stdin = False
        self.ready = False
        self.cwd = cwd
        self.code = code_stamp()
        self.owner = os.getpid()

    def alive(self) -> bool:
        from jupyter_core.utils import run_sync

        return bool(run_sync(self.km.is_alive)())

    def reset(self, timeout: float) -> None:
        """A fresh namespace for the next notebook (see :data:`RESET_CODE`)."""
        self.run(RESET_CODE.format(cwd=self.cwd), timeout)

    def send(self, code: str) -> str:
        """Queue ``code`` for silent execution; do not wait for it."""
        return self.kc.execute(code, silent=True, store_history=False, allow_stdin=False)

    def wait_ready(self, timeout: float) -> None:
        from jupyter_core.utils import run_sync

        if not self.ready:
            run_sync(self.kc.wait_for_ready)(timeout=timeout)
            self.ready = True

    def run(self, code: str, timeout: float) -> None:
        """Execute ``code`` silently and wait for its reply (raises on error or timeout)."""
        from jupyter_core.utils import run_sync

        msg_id = self.send(code)
        while True:
            reply = run_sync(self.kc.get_shell_msg)(timeout=timeout)
            if reply.get("parent_header", {}).get("msg_id") == msg_id:
                break
        if reply["content"].get("status") != "ok":
            content = reply["content"]
            raise RuntimeError(f"{content.get('ename')}: {content.get('evalue')}")

    def shutdown(self) -> None:
        """Stop the kernel at once (SIGKILL) and remove its connection file.

        Immediate, as nbclient's ``shutdown_kernel="immediate"``: a report kernel has nothing
        to save, a graceful stop costs 0.4-0.8 s at the end of every ``foui run``, and a kernel
        being discarded after a timeout may not answer a shutdown request at all.
        """
        from jupyter_core.utils import run_sync

        if self.owner != os.getpid():  # a forked child must not stop its parent's kernel
            return
        with contextlib.suppress(Exception):
            self.kc.stop_channels()
        with contextlib.suppress(Exception):
            run_sync(self.km.shutdown_kernel)(now=True)


def code_stamp() -> int:
    """A cheap stamp of the library's source files (paths, sizes, modification times)."""
    package = Path(__file__).resolve().parent.parent
    return hash(
        tuple(
            (str(p), st.st_size, st.st_mtime_ns)
            for p in sorted(package.rglob("*.py"))
            if "__pycache__" not in p.parts and (st := p.stat())
        )
    )


def _key(kernel_name: str, cwd: str | os.PathLike, extra_arguments: Iterable[str]):
    return (kernel_name, str(Path(cwd).resolve()), tuple(extra_arguments), threading.get_ident())


def prestart(
    kernel_name: str,
    cwd: str | os.PathLike,
    extra_arguments: Iterable[str] = (),
    notebooks: Iterable[Path] = (),
) -> WarmKernel | None:
    """Start (or find) this process's kernel and let it import what ``notebooks`` import."""
    if not enabled():
        return None
    key = _key(kernel_name, cwd, extra_arguments)
    kernel = _kernels.get(key)
    if kernel is not None and (
        kernel.code != code_stamp() or (kernel.ready and not kernel.alive())
    ):
        # The library changed since the kernel imported it, or the kernel died while idle
        # (killed, out of memory): start another.
        discard(kernel)
        kernel = None
    if kernel is None:
        kernel = _kernels[key] = WarmKernel(*key)
        imports = notebook_imports(notebooks)
        if imports:
            kernel.send(imports)
        if "matplotlib" in imports or "foui_analysis" in imports:
            kernel.send(WARMUP_CODE)
    return kernel


def discard(kernel: WarmKernel) -> None:
    """Shut ``kernel`` down and forget it."""
    for key, value in list(_kernels.items()):
        if value is kernel:
            del _kernels[key]
    kernel.shutdown()


def shutdown_all() -> None:
    """Shut every kernel of this process down (at exit)."""
    while _kernels:
        _, kernel = _kernels.popitem()
        kernel.shutdown()


atexit.register(shutdown_all)


def _engine_class():
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, NotebookExecutionManager
    from papermill.iorw import write_ipynb
    from papermill.log import logger
    from papermill.utils import merge_kwargs, remove_args

    class LeanExecutionManager(NotebookExecutionManager):
        """papermill's progress saves, written once per cell instead of twice.

        papermill writes the whole output notebook (copied, validated against the schema,
        indented) when a cell starts and again when it completes: 50 writes for a 25-cell
        report, with every chart's PNG in it. Here the notebook is written when a cell starts
        (so the file on disk always shows which cell is running, with every earlier output)
        as plain JSON, and in full with papermill's writer when the notebook completes or
        fails, which is the copy kept aside after a failure.
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

    class WarmKernelEngine(NBClientEngine):
        """papermill's nbclient engine, run against this process's warm kernel."""

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
            if not enabled():
                return super().execute_notebook(
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
                cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
            finally:
                nb_man.cleanup_pbar()
                nb_man.notebook_complete()
            return nb_man.nb

        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man,
            kernel_name,
            log_output=False,
            stdout_file=None,
            stderr_file=None,
            start_timeout=60,
            execution_timeout=None,
            **kwargs,
        ):
            if not enabled():
                return super().execute_managed_notebook(
                    nb_man,
                    kernel_name,
                    log_output=log_output,
                    stdout_file=stdout_file,
                    stderr_file=stderr_file,
                    start_timeout=start_timeout,
                    execution_timeout=execution_timeout,
                    **kwargs,
                )
            extra_arguments = tuple(kwargs.pop("extra_arguments", ()) or ())
            kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
            # papermill has already changed into the notebook's working directory.
            kernel = prestart(kernel_name, os.getcwd(), extra_arguments)
            try:
                kernel.wait_ready(start_timeout)
                kernel.reset(start_timeout)
                client = PapermillNotebookClient(
                    nb_man,
                    km=kernel.km,
                    **merge_kwargs(
                        kwargs,
                        timeout=execution_timeout,
                        startup_timeout=start_timeout,
                        kernel_name=kernel_name,
                        log=logger,
                        log_output=log_output,
                        stdout_file=stdout_file,
                        stderr_file=stderr_file,
                    ),
                )
                client.kc = kernel.kc
                return client.execute()
            except BaseException:
                discard(kernel)
                raise

    return WarmKernelEngine


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
    """``papermill.execute_notebook`` with the warm-kernel engine; the executed notebook."""
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
