"""environment.yml (conda) and pyproject.toml (pip) declare the same runtime dependencies."""

from __future__ import annotations

import re
import tomllib

import yaml
from packaging.requirements import Requirement

from foui_analysis.paths import REPO_ROOT


def normalise(name: str) -> str:
    """PEP 503 name normalisation: case and runs of - _ . do not matter."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pyproject() -> dict:
    return tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def environment() -> dict:
    return yaml.safe_load((REPO_ROOT / "environment.yml").read_text(encoding="utf-8"))


def pip_requirements() -> dict[str, str]:
    return {
        normalise(r.name): str(r.specifier)
        for r in map(Requirement, pyproject()["project"]["dependencies"])
    }


def conda_requirements() -> tuple[dict[str, str], list]:
    packages, pip_section = {}, []
    for entry in environment()["dependencies"]:
        if isinstance(entry, dict):
            pip_section = entry.get("pip", [])
            continue
        name, spec = re.match(r"^([A-Za-z0-9_.-]+)\s*(.*)$", entry).groups()
        packages[normalise(name)] = spec.replace(" ", "")
    return packages, pip_section


def test_the_environment_is_named_foui_on_conda_forge():
    env = environment()
    assert env["name"] == "foui"
    assert env["channels"] == ["conda-forge"]


def test_the_same_runtime_dependencies_and_lower_bounds():
    conda, _ = conda_requirements()
    runtime = {name: spec for name, spec in conda.items() if name not in ("python", "pip")}
    assert runtime == pip_requirements()


def test_the_python_version_matches_requires_python():
    conda, _ = conda_requirements()
    assert conda["python"] == pyproject()["project"]["requires-python"]


def test_the_package_itself_is_installed_editable_with_pip():
    conda, pip_section = conda_requirements()
    assert "pip" in conda
    assert "-e ." in pip_section


def lab_environment() -> dict:
    return yaml.safe_load((REPO_ROOT / "environment-lab.yml").read_text(encoding="utf-8"))


def test_the_lab_environment_is_the_report_environment_plus_jupyterlab_and_widgets():
    lab = lab_environment()
    assert lab["name"] == "foui-lab" and lab["channels"] == ["conda-forge"]
    report = [e for e in environment()["dependencies"] if not isinstance(e, dict)]
    lab_packages = [e for e in lab["dependencies"] if not isinstance(e, dict)]
    pip_section = next(e["pip"] for e in lab["dependencies"] if isinstance(e, dict))
    assert lab_packages[: len(report)] == report
    added = dict(
        re.match(r"^([A-Za-z0-9_.-]+)\s*(.*)$", e).groups() for e in lab_packages[len(report) :]
    )
    # The same JupyterLab and ipywidgets as `make lab` installs into .venv-lab.
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    assert added == {"jupyterlab": ">=4.1", "ipywidgets": ">=8.1"}
    assert all(f"'{name}{spec}'" in makefile for name, spec in added.items())
    assert "-e ." in pip_section


def test_the_lab_environment_says_how_to_register_the_notebooks_kernel():
    text = (REPO_ROOT / "environment-lab.yml").read_text(encoding="utf-8")
    assert 'ipykernel install --sys-prefix --name foui --display-name "FoUI Norrbotten"' in text
