"""Cell outputs as a Jupyter kernel gives them, for notebooks run in the runner's process.

Method
------
While a cell runs in the report shell (:mod:`foui_analysis.runner.engine`), everything it shows
becomes the notebook output a kernel would have sent: rich display (``display()``, a cell's last
value) as ``display_data``/``execute_result`` with MIME bundles made JSON by
``jupyter_client``'s encoder (:func:`jsonable`), ``display_id`` updates and ``clear_output``
(:class:`CellOutputs`); ``print`` to standard output and error as ``stream`` outputs
(:class:`CellStream`); warnings under Python's default filters on the cell's standard error
(:func:`kernel_warning_filters`); ``input()`` fails at once (:class:`NoInput`), as in a report
kernel.

Known limits: output written directly to the file descriptors by C code or a subprocess is not
captured (:meth:`CellStream.fileno` is the process's own).
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import warnings
from collections.abc import Iterator
from typing import Any


def jsonable(value: Any) -> Any:
    """``value`` as it arrives from a kernel: through JSON with jupyter_client's encoder."""
    from jupyter_client.jsonutil import json_default

    return json.loads(json.dumps(value, default=json_default))


class CellOutputs:
    """The outputs of the cell being run, in the order a kernel would send them."""

    def __init__(self) -> None:
        self.cell: Any = None
        self.displays: dict[str, list[Any]] = {}
        self.clear_pending = False

    def start(self, cell: Any) -> None:
        self.cell = cell
        cell.outputs = []
        self.clear_pending = False

    def add(self, output_type: str, **fields: Any) -> Any:
        from nbformat.v4 import new_output

        if self.cell is None:  # outside a report cell (warm-up): nothing records it
            return None
        if self.clear_pending:
            self.cell.outputs.clear()
            self.clear_pending = False
        output = new_output(output_type, **fields)
        self.cell.outputs.append(output)
        return output

    def display(
        self, data: dict, metadata: dict | None, transient: dict | None, update: bool
    ) -> None:
        data, metadata = jsonable(data), jsonable(metadata or {})
        display_id = (transient or {}).get("display_id")
        for output in self.displays.get(display_id, []) if display_id else []:
            output.data, output.metadata = data, metadata
        if update:
            return
        output = self.add("display_data", data=data, metadata=metadata)
        if display_id and output is not None:
            self.displays.setdefault(display_id, []).append(output)

    def result(self, data: dict, metadata: dict | None, execution_count: int) -> None:
        self.add(
            "execute_result",
            data=jsonable(data),
            metadata=jsonable(metadata or {}),
            execution_count=execution_count,
        )

    def stream(self, name: str, text: str) -> None:
        if self.cell is None or not text:
            return
        last = self.cell.outputs[-1] if self.cell.outputs else None
        if (
            not self.clear_pending
            and last is not None
            and last.output_type == "stream"
            and last.name == name
        ):
            last.text += text
        else:
            self.add("stream", name=name, text=text)

    def error(self, ename: str, evalue: str, traceback: list[str]) -> None:
        self.add("error", ename=ename, evalue=evalue, traceback=list(traceback))

    def clear(self, wait: bool) -> None:
        if self.cell is None:
            return
        if wait:
            self.clear_pending = True
        else:
            self.cell.outputs.clear()


class CellStream(io.TextIOBase):
    """``sys.stdout``/``sys.stderr`` while a cell runs: text becomes stream outputs."""

    def __init__(self, outputs: CellOutputs, name: str) -> None:
        self.outputs, self.name = outputs, name

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.outputs.stream(self.name, str(text))
        return len(text)

    encoding = "utf-8"

    def fileno(self) -> int:
        """The process's own descriptor (a subprocess given ``sys.stdout`` writes there, as the
        output of C code does)."""
        stream = sys.__stdout__ if self.name == "stdout" else sys.__stderr__
        if stream is None:  # a process started without that stream (pythonw, some services)
            raise io.UnsupportedOperation("fileno")
        return stream.fileno()


class NoInput(io.TextIOBase):
    """``sys.stdin`` while a cell runs: ``input()`` fails at once, as in a report kernel."""

    def readable(self) -> bool:
        return True

    # typeshed types io.IOBase.readline as bytes; on a text stream it is str.
    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        from IPython.core.error import StdinNotImplementedError

        raise StdinNotImplementedError(
            "raw_input was called, but this frontend does not support input requests."
        )

    def read(self, size: int | None = -1) -> str:
        return self.readline(size)


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Python's way of showing a warning: on ``sys.stderr``, which is the cell's stderr."""
    sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


def kernel_warning_filters() -> None:
    """Python's default warning filters, as a kernel starts with (the runner silences warnings
    in its own output; a notebook's warnings belong in its stderr outputs)."""
    warnings.resetwarnings()
    warnings.showwarning = _show_warning
    warnings.filterwarnings("default", category=DeprecationWarning, module="__main__")
    for category in (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning):
        warnings.simplefilter("ignore", category, append=True)


@contextlib.contextmanager
def quiet_streams() -> Iterator[None]:
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        yield
