"""Helpers for the tests of the real reports (constants, the ``foui`` command, snapshots)."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "data" / "example"
NOTEBOOKS = REPO / "notebooks"
FOUI = Path(sys.executable).with_name("foui")
DUE_TODAY = "2015-07-15"
DUE_ON_2015_07_15 = [
    "avgifter-2014",
    "avgifter-2015",
    "avgifter-2016",
    "uppfoljning-2014H1",
    "uppfoljning-2014H2",
    "uppfoljning-2015H1",
]
REPORTS = {
    "followup": "uppfoljning-2015H1",
    "early followup": "uppfoljning-2014H2",
    "evaluation": "utvardering-2014-2016",
    "fees": "avgifter-2015",
}
"""One report of each kind (and a follow-up of the first year) that the tests look at."""


def foui(*args: str) -> subprocess.CompletedProcess:
    """The installed ``foui`` command, run from the repository root."""
    return subprocess.run([str(FOUI), *args], cwd=REPO, capture_output=True, text=True, timeout=600)


def snapshot(directory: Path) -> dict[str, str]:
    """Every file under ``directory`` (dot directories included) with its SHA-256, also the
    files seen through the links of a published report (``OUT/<name>/`` -> its version)."""
    found = {}
    for root, _, files in os.walk(directory, followlinks=True):
        for name in files:
            path = Path(root) / name
            if path.is_file():
                found[path.relative_to(directory).as_posix()] = hashlib.sha256(
                    path.read_bytes()
                ).hexdigest()
    return dict(sorted(found.items()))


def published_names(out: Path) -> list[str]:
    return sorted(p.stem for p in out.glob("*.html") if p.name != "index.html")


def copy_example_data(target: Path) -> Path:
    return Path(shutil.copytree(EXAMPLE, target))


def shared(
    tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], dict]
) -> tuple[Path, dict]:
    """``build`` a directory once per test run, shared by the xdist workers.

    ``build(directory)`` returns facts (JSON) about how the build went; every worker gets the
    directory and those facts. A failed build is retried by the next worker that asks.
    """
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent
    target, facts = root / name, root / f"{name}.json"
    with (root / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not facts.exists():
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir()
            facts.write_text(json.dumps(build(target)), encoding="utf-8")
    return target, json.loads(facts.read_text(encoding="utf-8"))


def _call(done: subprocess.CompletedProcess) -> dict:
    return {"returncode": done.returncode, "stdout": done.stdout, "stderr": done.stderr}


def build_real_reports(out: Path) -> dict:
    from foui_analysis.runner import evaluation_job, run_job
    from foui_analysis.runner.provenance import code_sha256

    code_before = code_sha256()
    due = ["run", "due", "--today", DUE_TODAY, "--out", str(out)]
    first = {**_call(foui(*due)), "published": published_names(out)}
    before = snapshot(out)
    second = {**_call(foui(*due)), "published": published_names(out)}
    second["unchanged"] = snapshot(out) == before
    code_changed = code_sha256() != code_before
    evaluation = run_job(evaluation_job(2014, 2016, EXAMPLE), out)
    return {
        "first_due": first,
        "second_due": second,
        "evaluation": evaluation.status,
        "code_changed": code_changed,
    }
