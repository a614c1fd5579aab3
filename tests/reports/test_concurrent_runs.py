"""Runs into one output folder are serialised: two started together publish each report once;
a run that finds the folder held exits 3 (or waits with --wait); an output folder that overlaps
the inputs is refused before anything is written."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from reportlib import EXAMPLE, FOUI, REPO, foui, snapshot

from foui_analysis.runner.publish import EXIT_BUSY, run_lock

pytestmark = pytest.mark.slow


def test_two_runs_started_together_publish_each_report_once(tmp_path):
    out = tmp_path / "reports"
    command = [str(FOUI), "run", "fees", "--year", "2015", "--out", str(out), "--wait", "600"]
    runs = [
        subprocess.Popen(command, cwd=REPO, stderr=subprocess.PIPE, text=True) for _ in range(2)
    ]
    errors = [run.communicate(timeout=900)[1] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], errors
    assert sum(": publicerad (" in e for e in errors) == 1, errors
    assert sum("Inget att göra" in e for e in errors) == 1, errors
    assert not (out / "avgifter-2015" / "historik").exists()  # published once, not twice


def test_a_run_into_a_held_folder_exits_3_and_changes_nothing(tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    (out / "avgifter-2015.html").write_text("<html>publicerad</html>", encoding="utf-8")
    with run_lock(out):
        before = snapshot(out)
        done = foui("run", "fees", "--year", "2015", "--out", str(out))
    assert done.returncode == EXIT_BUSY == 3
    assert "gör redan rapporter i" in done.stderr and "--wait" in done.stderr
    assert snapshot(out) == before


@pytest.mark.parametrize(
    "where", ["inside the data folder", "the data folder itself", "holding the data folder"]
)
def test_an_output_folder_overlapping_the_inputs_is_refused(tmp_path, where):
    data = shutil.copytree(EXAMPLE, tmp_path / "data")
    out = {
        "inside the data folder": data / "rapporter",
        "the data folder itself": data,
        "holding the data folder": tmp_path,
    }[where]
    before = snapshot(tmp_path)
    done = foui("run", "fees", "--year", "2015", "--data", str(data), "--out", str(out))
    assert done.returncode == 2, done.stderr
    assert "överlappar" in done.stderr and str(data) in done.stderr
    assert done.stderr.splitlines()[-1].startswith("foui: ")
    assert snapshot(tmp_path) == before
