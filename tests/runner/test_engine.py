"""The papermill engine ``foui``: cells run in this process, outputs as a real kernel gives them."""

import json
import os
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from papermill.exceptions import PapermillExecutionError

from foui_analysis.runner import engine
from foui_analysis.runner.execute import KERNEL_ARGUMENTS, KERNEL_NAME

pytestmark = pytest.mark.slow

OUTPUTS = [
    new_markdown_cell("# Prov"),
    new_code_cell(
        "import sys\n"
        "from IPython.display import HTML, display, update_display\n"
        "class Shown:\n"
        "    def __repr__(self):\n"
        "        return 'Shown()'\n"
        "    def _repr_html_(self):\n"
        "        return '<b>visad</b>'\n"
        "print('första raden')\n"
        "print('andra raden')\n"
        "display(Shown())\n"
        "print('fel', file=sys.stderr)\n"
        "print('efter')"
    ),
    new_code_cell(""),
    new_code_cell(
        "display(HTML('<i>före</i>'), display_id='d1')\n"
        "update_display(HTML('<i>efter</i>'), display_id='d1')\n"
        "display(HTML('<i>först</i>'), display_id='d2')\n"
        "display(HTML('<i>sist</i>'), display_id='d2')\n"
        "display({'application/json': {'a': [1, 2], 'b': None}, 'text/plain': 'json'}, raw=True)"
    ),
    new_code_cell(
        "from IPython.display import clear_output\n"
        "print('bort')\nclear_output(wait=True)\nprint('kvar')"
    ),
    new_code_cell("x = 41\nShown() if x else None"),
    new_code_cell("import matplotlib.pyplot as plt\nplt.plot([1, 3, 2]);"),
    new_code_cell("x + 1"),
]


def run(tmp_path: Path, cells: list, name: str, **kwargs) -> nbformat.NotebookNode:
    source = tmp_path / f"{name}.ipynb"
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, str(source))
    options = {"cell_timeout": 60, **kwargs}
    return engine.execute(
        source,
        tmp_path / f"{name}-ut.ipynb",
        {},
        kernel_name=KERNEL_NAME,
        cwd=tmp_path,
        start_timeout=60,
        extra_arguments=KERNEL_ARGUMENTS,
        **options,
    )


def shape(nb: nbformat.NotebookNode) -> list:
    """What a reader of the executed notebook sees, cell by cell (no timings, no tracebacks).

    Each stream is taken whole: how a kernel interleaves stdout with stderr depends on when
    it flushes each of them.
    """
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outputs = []
        for name in ("stdout", "stderr"):
            text = "".join(
                o.text for o in cell.outputs if o.output_type == "stream" and o.name == name
            )
            outputs.append((name, text))
        for output in cell.outputs:
            if output.output_type == "stream":
                continue
            if output.output_type == "error":
                outputs.append(("error", output.ename, output.evalue))
            else:
                outputs.append(
                    (
                        output.output_type,
                        json.dumps(output.data, sort_keys=True),
                        output.get("execution_count"),
                    )
                )
        cells.append((cell.execution_count, outputs))
    return cells


def test_outputs_are_those_of_a_real_kernel(tmp_path, monkeypatch, python3_kernel):
    here = run(tmp_path, OUTPUTS, "i-processen")
    monkeypatch.setenv("FOUI_ENGINE", "kernel")
    kernel = run(tmp_path, OUTPUTS, "i-karnan")
    assert shape(here) == shape(kernel)
    first = here.cells[1].outputs
    assert [(o.output_type, o.get("name")) for o in first] == [
        ("stream", "stdout"),
        ("display_data", None),
        ("stream", "stderr"),
        ("stream", "stdout"),
    ]
    assert first[0].text == "första raden\nandra raden\n"
    assert here.cells[3].outputs[0].data["text/html"] == "<i>efter</i>"
    assert [o.data["text/html"] for o in here.cells[3].outputs[1:3]] == ["<i>sist</i>"] * 2
    assert [o.text for o in here.cells[4].outputs] == ["kvar\n"]
    assert here.cells[7].outputs[0].data["text/plain"] == "42"
    assert "image/png" in here.cells[6].outputs[0].data  # pyplot shown inline, as in a kernel
    assert here.metadata.language_info.name == "python"
    assert all(c.metadata.papermill.status == "completed" for c in here.cells)


def test_every_notebook_starts_with_an_empty_namespace(tmp_path):
    run(tmp_path, [new_code_cell("kvarlämnad = 1")], "forsta")
    nb = run(tmp_path, [new_code_cell("'kvarlämnad' in dir()")], "andra")
    assert nb.cells[0].outputs[0].data["text/plain"] == "False"
    assert nb.cells[0].execution_count == 1


def test_an_error_stops_the_notebook_and_is_reported(tmp_path):
    cells = [
        new_code_cell("1"),
        new_code_cell("raise ValueError('avsiktligt')"),
        new_code_cell("print('körs inte')"),
    ]
    with pytest.raises(PapermillExecutionError) as info:
        run(tmp_path, cells, "fel")
    assert (info.value.ename, info.value.evalue) == ("ValueError", "avsiktligt")
    saved = nbformat.read(str(tmp_path / "fel-ut.ipynb"), as_version=4)
    code = [c for c in saved.cells if c.cell_type == "code"]
    assert code[1].metadata.papermill.status == "failed"
    assert code[2].outputs == [] and code[2].execution_count is None


def test_a_cell_asking_for_input_fails_instead_of_waiting(tmp_path):
    with pytest.raises(PapermillExecutionError) as info:
        run(tmp_path, [new_code_cell("svar = input('Period? ')")], "fragar")
    assert info.value.ename == "StdinNotImplementedError"


def test_warnings_reach_the_notebook_as_in_a_kernel(tmp_path):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # as the runner's own output is kept quiet
        nb = run(
            tmp_path,
            [
                new_code_cell(
                    "import warnings\nwarnings.warn('se upp')\n"
                    "warnings.warn_explicit("
                    "'gammalt', DeprecationWarning, 'lib.py', 1, module='lib')"
                )
            ],
            "varnar",
        )
    stderr = "".join(o.text for o in nb.cells[0].outputs if o.output_type == "stream")
    assert "UserWarning: se upp" in stderr and "gammalt" not in stderr


def test_a_cell_past_the_timeout_fails_the_notebook(tmp_path):
    from nbclient.exceptions import CellTimeoutError

    cells = [
        new_code_cell(
            "import time\nfor _ in range(3):\n    try:\n        time.sleep(1)\n"
            "    except:\n        pass"
        ),
        new_code_cell("print('körs inte')"),
    ]
    with pytest.raises(CellTimeoutError):  # even though the cell swallows every exception
        run(tmp_path, cells, "sover", cell_timeout=1)
    saved = nbformat.read(str(tmp_path / "sover-ut.ipynb"), as_version=4)
    assert saved.cells[1].outputs == []
    nb = run(tmp_path, [new_code_cell("'ok'")], "sedan")  # the shell is usable afterwards
    assert nb.cells[0].outputs[0].data["text/plain"] == "'ok'"


def test_the_process_is_left_as_it_was(tmp_path):
    main, cwd = sys.modules["__main__"], os.getcwd()
    cache = os.environ.get("FOUI_PROCESS_CACHE")
    other = tmp_path / "annan"
    other.mkdir()
    nb = run(
        tmp_path,
        [
            new_code_cell(
                "import os\nprint(os.environ['FOUI_PROCESS_CACHE'], __name__)\n"
                f"os.chdir({str(other)!r})"
            )
        ],
        "flyttar",
    )
    assert nb.cells[0].outputs[0].text == "1 __main__\n"
    assert sys.modules["__main__"] is main
    assert os.getcwd() == cwd
    assert os.environ.get("FOUI_PROCESS_CACHE") == cache


def test_notebook_imports_takes_only_top_level_imports(tmp_path):
    path = tmp_path / "n.ipynb"
    nbformat.write(
        new_notebook(
            cells=[
                new_code_cell(
                    "import os\nx = 1\nfrom pathlib import Path\ndef f():\n    import json"
                ),
                new_code_cell("%matplotlib inline"),
                new_code_cell("from __future__ import annotations\nimport os"),
            ]
        ),
        str(path),
    )
    assert engine.notebook_imports([path]) == ["import os", "from pathlib import Path"]


def test_a_report_is_the_same_made_in_a_kernel(
    tmp_path, monkeypatch, python3_kernel, example_data_dir, fixture_notebooks
):
    import re

    from foui_analysis.runner import followup_job, run_job

    job = followup_job("2015H1", example_data_dir, notebooks_dir=fixture_notebooks, inputs=[])
    here = run_job(job, tmp_path / "i-processen", force=True).html_path
    monkeypatch.setenv("FOUI_ENGINE", "kernel")
    kernel = run_job(job, tmp_path / "i-karnan", force=True).html_path

    def page(path: Path) -> str:
        text = path.read_text("utf-8")
        text = re.sub(r"\d{4}-\d\d-\d\dT[\d:.+-]+", "TID", text)
        return re.sub(r"kl\. \d\d:\d\d", "kl. TID", text)

    assert "<table" in page(here)
    assert page(here) == page(kernel)
