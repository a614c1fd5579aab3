"""Paths as a notebook in JupyterLab sees them: its kernel starts in notebooks/."""

from __future__ import annotations

import subprocess
import sys

import pytest

from foui_analysis.paths import REPO_ROOT, resolve


def test_relative_path_found_from_the_repository_root(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    assert resolve("data/example") == REPO_ROOT / "data" / "example"


def test_path_that_exists_here_wins(tmp_path, monkeypatch):
    (tmp_path / "data" / "example").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)

    assert resolve("data/example").resolve() == (tmp_path / "data" / "example").resolve()


def test_missing_everywhere_stays_as_given(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    assert str(resolve("finns/inte")) == "finns/inte"


@pytest.mark.slow
def test_notebook_runs_as_it_is_from_its_own_folder(tmp_path, foui_kernel):
    """JupyterLab runs a notebook with notebooks/ as working directory: it must still work."""
    out = tmp_path / "avgifter.ipynb"
    papermill = [sys.executable, "-m", "papermill"]
    result = subprocess.run(
        [
            *papermill,
            str(REPO_ROOT / "notebooks" / "avgifter.ipynb"),
            str(out),
            "--cwd",
            str(REPO_ROOT / "notebooks"),
            "-p",
            "year",
            "2016",
            "--log-level",
            "ERROR",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stderr[-2000:]
    assert "avgift_skola_sek" in out.read_text(encoding="utf-8")
