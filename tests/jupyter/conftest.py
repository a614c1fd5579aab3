"""Fixtures for the tests through a real Jupyter server: the JupyterLab environment's server."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from jupyterlib import JUPYTER, REPO, LabServer  # noqa: E402


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory):
    """JupyterLab of .venv-lab (`make lab-setup`), headless; fails under CI when missing."""
    if not JUPYTER.exists():
        message = f"{JUPYTER} is missing: run `make lab-setup` first"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    scratch = tmp_path_factory.mktemp("lab")
    root = scratch / "root"
    shutil.copytree(REPO / "notebooks", root / "notebooks")
    env = {
        "FOUI_INTERACTIVE_OUT": str(scratch / "kpis"),
        "JUPYTER_RUNTIME_DIR": str(scratch / "rt"),
    }
    with LabServer(root, env=env, log=scratch / "jupyter.log") as server:
        server.scratch = scratch
        yield server
