"""A report notebook runs with plain papermill from the repository root, without the runner.

papermill starts the kernel the notebook names (``foui``, installed into .venv by ``make setup``).
"""

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from reportlib import REPO

from foui_analysis.presentation.report import KPI_MIMETYPE

pytestmark = pytest.mark.slow

PAPERMILL = Path(sys.executable).with_name("papermill")


def test_followup_notebook_runs_with_the_papermill_command(tmp_path, foui_kernel):
    executed = tmp_path / "out.ipynb"
    done = subprocess.run(
        [str(PAPERMILL), "notebooks/uppfoljning.ipynb", str(executed), "-p", "period", "2016H2"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"Executing notebook with kernel: {foui_kernel}" in done.stderr
    nb = nbformat.read(str(executed), as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and 'period = "2016H2"' in injected[0].source
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert [o for o in outputs if o.output_type == "error"] == []
    kpis = [o.data[KPI_MIMETYPE] for o in outputs if KPI_MIMETYPE in o.get("data", {})]
    assert len(kpis) == 1
    assert kpis[0]["aktiviteter_halvar"]["value"] > 0


def test_the_explorer_under_papermill_shows_its_fixed_scenario(tmp_path, foui_kernel):
    """Not a widget reference, whether or not ipywidgets is installed (`make lab-setup` adds it)."""
    executed = tmp_path / "utforska.ipynb"
    done = subprocess.run(
        [str(PAPERMILL), "notebooks/utforska.ipynb", str(executed), "-p", "year", "2015"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    nb = nbformat.read(str(executed), as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert [
        o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
    ] == []
    html = [o.data["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    fixed = [h for h in html if "Scenario: 5 kr per invånare för FoUI skola 2015" in h]
    assert len(fixed) == 1
    assert "<td>Luleå</td><td>lämnar</td>" in fixed[0] and "<td>Totalt</td>" in fixed[0]
    # No cell failed.
    assert [o for o in outputs if o.output_type == "error"] == []
