"""The fork server's preload: importing ``foui_analysis.runner.warm`` readies a process."""

import json
import os
import subprocess
import sys

import pytest

from foui_analysis.runner.batch import NOTEBOOKS_VARIABLE

pytestmark = pytest.mark.slow

PROBE = """
import sys
import foui_analysis.runner.warm
from foui_analysis.runner import engine, execute
import json
print(json.dumps({
    "pandas": "pandas" in sys.modules,
    "engine": "foui" in __import__("papermill.engines").engines.papermill_engines._engines,
    "converter": execute._converter_warm,
    "warmed": sorted(engine._warmed),
}))
"""


def probe(env_notebooks: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if k != NOTEBOOKS_VARIABLE}
    if env_notebooks is not None:
        env[NOTEBOOKS_VARIABLE] = env_notebooks
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout)


def test_importing_warm_imports_what_the_notebooks_import(fixture_notebooks):
    notebook = fixture_notebooks / "avgifter.ipynb"
    state = probe(str(notebook))
    assert state["pandas"] and state["engine"] and state["converter"]
    assert "chart" in state["warmed"]
    assert any("foui_analysis" in line for line in state["warmed"])


def test_a_missing_notebook_leaves_a_usable_process(tmp_path):
    state = probe(str(tmp_path / "finns-inte.ipynb"))
    assert state["engine"] and state["converter"]
    assert state["warmed"] == []
