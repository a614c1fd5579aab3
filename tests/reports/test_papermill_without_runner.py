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
