"""Provenance: input hashes, example-data flag, commit, versions, fingerprint."""

import hashlib
import re

import pytest

from foui_analysis.runner import ReportError, build_provenance, fees_job, is_example_data
from foui_analysis.runner.provenance import UNKNOWN, input_files


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"dataset.toml": "[dataset]\nexample = true\n"}, True),
        ({"dataset.toml": "[dataset]\nexample = false\n"}, False),
        ({"dataset.toml": '[dataset]\nname = "riktiga"\n'}, False),
        ({"EXEMPELDATA": ""}, True),
        ({"activities.csv": "a\n"}, False),
    ],
)
def test_example_data_flag(tmp_path, files, expected):
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert is_example_data(tmp_path) is expected


def test_unreadable_dataset_toml_is_a_report_error(tmp_path):
    (tmp_path / "dataset.toml").write_text("[dataset\n", encoding="utf-8")
    with pytest.raises(ReportError, match="dataset.toml"):
        is_example_data(tmp_path)


def test_input_files_hash_every_file_once_and_skip_hidden(tmp_path):
    (tmp_path / "a.csv").write_bytes(b"x;y\n1;2\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.xlsx").write_bytes(b"PK")
    (tmp_path / ".hidden").write_text("no")
    records = input_files([tmp_path, tmp_path / "a.csv"])
    assert [r["path"].rsplit("/", 1)[-1] for r in records] == ["a.csv", "b.xlsx"]
    assert records[0]["sha256"] == hashlib.sha256(b"x;y\n1;2\n").hexdigest()
    assert records[0]["bytes"] == 8


def test_provenance_record(example_data_dir, fixture_notebooks, tmp_path):
    extra = tmp_path / "agreement.toml"
    extra.write_text("[agreement]\n", encoding="utf-8")
    reference = tmp_path / "referens"
    reference.mkdir()
    job = fees_job(
        2015,
        example_data_dir,
        notebooks_dir=fixture_notebooks,
        agreement=extra,
        reference=reference,
    )
    record = build_provenance(job)
    assert record["report"]["name"] == "avgifter-2015"
    assert record["parameters"] == job.parameters
    assert record["example_data"] is True
    assert {r["path"].rsplit("/", 1)[-1] for r in record["inputs"]} == {
        "activities.csv",
        "dataset.toml",
        "agreement.toml",
    }
    assert record["git"]["commit"] == UNKNOWN or len(record["git"]["commit"]) == 40
    assert {"python", "pandas", "papermill", "nbconvert", "foui-analysis"} <= set(
        record["packages"]
    )
    assert record["notebook"]["path"] == "tests/fixtures/notebooks/avgifter.ipynb"
    assert "T" in record["created"]
    assert build_provenance(job)["fingerprint"] == record["fingerprint"]
    extra.write_text("[agreement]\nchanged = true\n", encoding="utf-8")
    assert build_provenance(job)["fingerprint"] != record["fingerprint"]


def test_git_commit_falls_back_to_unknown(monkeypatch):
    from foui_analysis.runner import provenance

    monkeypatch.setattr(provenance, "_git", lambda *args: None)
    assert provenance.git_info() == {"commit": UNKNOWN, "dirty": False}


def test_every_installed_distribution_and_the_lock_file_are_recorded(
    example_data_dir, fixture_notebooks
):
    import importlib.metadata

    from foui_analysis.paths import REPO_ROOT

    record = build_provenance(fees_job(2015, example_data_dir, notebooks_dir=fixture_notebooks))
    distributions = record["environment"]["distributions"]
    installed = {
        re.sub(r"[-_.]+", "-", d.metadata["Name"]).lower()
        for d in importlib.metadata.distributions()
    }
    assert set(distributions) == installed
    for name in ("numpy", "openpyxl", "ipython", "jinja2", "pytest", "setuptools"):
        assert distributions[name] == importlib.metadata.version(name)
        if name not in ("pytest", "setuptools"):
            assert record["packages"][name] == distributions[name]
    lock = REPO_ROOT / "requirements.lock"
    assert record["environment"]["lock"] == {
        "path": "requirements.lock",
        "sha256": hashlib.sha256(lock.read_bytes()).hexdigest(),
    }


def test_a_changed_distribution_changes_the_fingerprint(
    example_data_dir, fixture_notebooks, monkeypatch
):
    from foui_analysis.runner import provenance

    job = fees_job(2015, example_data_dir, notebooks_dir=fixture_notebooks)
    before = build_provenance(job)["fingerprint"]
    installed = provenance.installed_distributions()
    monkeypatch.setattr(
        provenance, "installed_distributions", lambda: {**installed, "tinycss2": "0.0.1"}
    )
    assert build_provenance(job)["fingerprint"] != before


def test_the_fork_server_watches_the_files_the_fingerprint_hashes():
    from pathlib import Path

    from foui_analysis.runner import batch, provenance

    files = provenance.library_files()
    assert [Path(path) for path, _, _ in batch._library_stamp()] == files
    assert {p.suffix for p in files} >= {".py", ".j2", ".css"}
    assert not any("__pycache__" in p.parts for p in files)
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(provenance.PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    assert provenance.code_sha256() == digest.hexdigest()
