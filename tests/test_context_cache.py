"""foui.load's process cache: on only where the runner turns it on; keyed by file contents."""

from __future__ import annotations

import shutil

import foui_analysis as foui
from foui_analysis.analyses.goals import analysis_basis
from foui_analysis.handout import origin
from foui_analysis.paths import REPO_ROOT

DATA = REPO_ROOT / "data"


def copy_data(tmp_path):
    shutil.copytree(DATA / "example", tmp_path / "example")
    shutil.copytree(DATA / "reference", tmp_path / "reference")
    shutil.copy(DATA / "agreement.toml", tmp_path / "agreement.toml")
    return tmp_path


def load(root):
    return foui.load(root / "example", root / "agreement.toml", root / "reference")


def test_off_by_default_every_load_is_fresh(tmp_path, monkeypatch):
    monkeypatch.delenv("FOUI_PROCESS_CACHE", raising=False)
    root = copy_data(tmp_path)

    assert load(root) is not load(root)


def test_on_the_same_contents_give_the_same_context_and_basis(tmp_path, monkeypatch):
    monkeypatch.setenv("FOUI_PROCESS_CACHE", "1")
    root = copy_data(tmp_path)

    first, second = load(root), load(root)

    # Each caller gets its own view (foui_analysis.handout) of one cached Context and Basis.
    assert first is not second and origin(first) is origin(second)
    assert first.inputs.activities is not second.inputs.activities
    basis_1 = analysis_basis(first.agreement, first.reference, first.inputs)
    basis_2 = analysis_basis(second.agreement, second.reference, second.inputs)
    assert origin(basis_1) is origin(basis_2) and basis_1.memo is basis_2.memo


def test_on_a_changed_file_gives_a_fresh_context(tmp_path, monkeypatch):
    monkeypatch.setenv("FOUI_PROCESS_CACHE", "1")
    root = copy_data(tmp_path)
    before = load(root)
    rows_before = len(before.inputs.activities)
    activities = root / "example" / "activities.csv"
    lines = activities.read_text(encoding="utf-8").splitlines(keepends=True)
    activities.write_text("".join(lines[:-1]), encoding="utf-8")

    after = load(root)

    assert after is not before
    assert len(after.inputs.activities) == rows_before - 1
