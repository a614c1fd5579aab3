"""Every notebook, opened through JupyterLab's own Jupyter server on the kernel it names, runs.

The server is the one `make lab` starts (from .venv-lab, set up by `make lab-setup`); each
notebook is opened as a session on the kernel in its metadata, and its code cells are executed
over the kernel's websocket as JupyterLab's Run All does (:mod:`jupyterlib`).
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from jupyterlib import REPO

pytestmark = [pytest.mark.jupyter, pytest.mark.slow]

NOTEBOOKS = sorted(p.name for p in (REPO / "notebooks").glob("*.ipynb"))
KPI_MIMETYPE = "application/vnd.foui.kpis+json"


def test_the_server_offers_the_projects_kernel_running_the_project_environment(lab_server):
    specs = lab_server.kernelspecs()
    assert "foui" in specs
    spec = specs["foui"]["spec"]
    assert spec["display_name"] == "FoUI Norrbotten"
    assert Path(spec["argv"][0]).resolve() == (REPO / ".venv" / "bin" / "python").resolve()


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_the_notebook_runs_on_its_own_kernel_with_every_cell_ok(lab_server, name):
    path = lab_server.root / "notebooks" / name
    named = nbformat.read(str(path), as_version=4).metadata["kernelspec"]["name"]
    kernel, cells = lab_server.run_notebook(path)

    assert kernel == named == "foui"
    code_cells = [c for c in nbformat.read(str(path), as_version=4).cells if c.cell_type == "code"]
    assert len(cells) == len(code_cells)
    failed = [(c.index, c.error or c.status) for c in cells if c.status != "ok"]
    assert failed == [], f"{path.name}: {failed}"
    # Nothing on stderr but known harmless noise (no warnings, no tracebacks).
    stderr = [o["text"] for c in cells for o in c.outputs if o.get("name") == "stderr"]
    assert stderr == []
    kpis = [o for c in cells for o in c.outputs if KPI_MIMETYPE in o.get("data", {})]
    assert len(kpis) == int(any("emit_kpis(" in c.source for c in cells))
    if kpis:
        # In JupyterLab the key-figure record goes to a file and one line says which.
        (output,) = kpis
        line = output["data"]["text/plain"]
        assert "\n" not in line and "nyckeltal skrevs till" in line
        written = Path(line.rsplit(" till ", 1)[1].rstrip("."))
        assert written.parent == lab_server.scratch / "kpis"
        assert json.loads(written.read_text(encoding="utf-8")) == output["data"][KPI_MIMETYPE]


def test_the_explorer_is_interactive_in_jupyterlab(lab_server):
    _, cells = lab_server.run_notebook(lab_server.root / "notebooks" / "utforska.ipynb")
    last = cells[-1]
    assert last.status == "ok"
    views = [
        o for o in last.outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
    ]
    assert len(views) == 1


def test_report_pieces_bring_their_style_to_jupyterlab(lab_server):
    _, cells = lab_server.run_notebook(lab_server.root / "notebooks" / "avgifter.ipynb")
    html = [
        o["data"]["text/html"] for c in cells for o in c.outputs if "text/html" in o.get("data", {})
    ]
    cards = [h for h in html if 'class="foui-kpis"' in h]
    assert cards and all(h.startswith("<style>") and ".foui-kpis {" in h for h in cards)
