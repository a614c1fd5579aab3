"""The lock file (requirements.lock), pyproject.toml and the conda environments agree."""

from __future__ import annotations

import importlib.util
import re
import tomllib

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.version import Version

from foui_analysis.paths import REPO_ROOT

LOCK = REPO_ROOT / "requirements.lock"
LAB_LOCK = REPO_ROOT / "requirements-lab.lock"


def _environment_tool():
    spec = importlib.util.spec_from_file_location(
        "environment_yml", REPO_ROOT / "tools" / "environment_yml.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


tool = _environment_tool()


def pyproject() -> dict:
    return tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def lock_text() -> str:
    return LOCK.read_text(encoding="utf-8")


def environment() -> dict:
    return yaml.safe_load((REPO_ROOT / "environment.yml").read_text(encoding="utf-8"))


def lab_environment() -> dict:
    return yaml.safe_load((REPO_ROOT / "environment-lab.yml").read_text(encoding="utf-8"))


def direct_requirements() -> list[Requirement]:
    """Runtime, dev and lab dependencies of pyproject.toml and the build requirement."""
    project = pyproject()["project"]
    extras = project["optional-dependencies"]
    specs = [*project["dependencies"], *extras["dev"], *extras["lab"]]
    build = (REPO_ROOT / "requirements-build.in").read_text(encoding="utf-8")
    specs += [line for line in build.splitlines() if line.strip() and not line.startswith("#")]
    return [Requirement(spec) for spec in specs]


def test_every_direct_dependency_is_locked_at_a_version_pyproject_allows():
    locked = tool.locked_versions(lock_text())
    problems = []
    for requirement in direct_requirements():
        versions = locked.get(tool.normalise(requirement.name))
        if not versions:
            problems.append(f"{requirement.name} saknas i låsfilen")
            continue
        problems += [
            f"{requirement.name}=={v} uppfyller inte {requirement.specifier}"
            for v in versions
            if Version(v) not in requirement.specifier
        ]
    assert not problems, "kör `make lock`: " + "; ".join(problems)


def test_every_locked_distribution_is_pinned_with_hashes():
    entries = re.split(r"\n(?=\S)", lock_text())
    pinned = [e for e in entries if re.match(r"^[A-Za-z0-9]", e)]
    assert len(pinned) > 50
    for entry in pinned:
        assert re.match(r"^[A-Za-z0-9_.-]+==\S+", entry), entry.splitlines()[0]
        assert "--hash=sha256:" in entry, entry.splitlines()[0]


def test_the_lock_covers_the_supported_platforms():
    """Universal: the packages only Windows or macOS need are there, with their markers."""
    text = lock_text()
    assert re.search(r"^colorama==\S+ ; .*sys_platform == 'win32'", text, re.M)
    assert re.search(r"^appnope==\S+ ; .*sys_platform == 'darwin'", text, re.M)
    # numpy has wheels for Linux, macOS and Windows among its hashes: many files per version.
    numpy = re.search(r"^numpy==.*?(?=^\S)", text, re.M | re.S)
    assert numpy and numpy[0].count("--hash=") > 10


@pytest.mark.parametrize(
    ("name", "lab"), [("environment.yml", False), ("environment-lab.yml", True)]
)
def test_the_conda_environments_are_generated_from_the_lock(name, lab):
    expected = tool.environment_yml(
        (REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"),
        lock_text(),
        lab=lab,
        lab_lock_text=LAB_LOCK.read_text(encoding="utf-8"),
    )
    actual = (REPO_ROOT / name).read_text(encoding="utf-8")
    assert actual == expected, f"{name} är inaktuell: kör `make lock`"


def test_environment_yml_pins_the_runtime_dependencies_and_installs_the_package():
    env = environment()
    assert env["name"] == "foui"
    assert env["channels"] == ["conda-forge"]
    strings = [e for e in env["dependencies"] if isinstance(e, str)]
    pip_section = next(e["pip"] for e in env["dependencies"] if isinstance(e, dict))
    assert f"python{pyproject()['project']['requires-python']}" in strings
    assert "-e ." in pip_section
    locked = tool.locked_versions(lock_text())
    runtime = [Requirement(s) for s in pyproject()["project"]["dependencies"]]
    assert len(strings) == len(runtime) + 2  # python, pip and one line per dependency
    for requirement in runtime:
        name = tool.normalise(requirement.name)
        (version,) = locked[name]
        assert f"{tool.CONDA_NAMES.get(name, name)}=={version}" in strings


@pytest.mark.parametrize(
    "lock, problem",
    [("", "saknas"), ("pandas==3.0 \\\npandas==2.2 \\\n", "flera versioner")],
)
def test_the_generator_refuses_a_lock_it_cannot_pin_from(lock, problem):
    pyproject_text = '[project]\nrequires-python = ">=3.11"\ndependencies = ["pandas>=2"]\n'
    with pytest.raises(SystemExit, match=problem):
        tool.environment_yml(pyproject_text, lock)


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
    # The same JupyterLab and ipywidgets as `make lab-setup` installs into .venv-lab: its lock.
    lab_locked = tool.locked_versions(LAB_LOCK.read_text(encoding="utf-8"))
    assert added == {name: f"=={next(iter(lab_locked[name]))}" for name in tool.LAB_EXTRA}
    assert "-e ." in pip_section


def test_jupyterlab_is_installed_from_its_own_lock_with_hashes():
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    assert "--require-hashes -r $(LAB_LOCK)" in makefile
    text = LAB_LOCK.read_text(encoding="utf-8")
    pinned = re.findall(r"^([A-Za-z0-9_.-]+)==\S+", text, re.M)
    assert {"jupyterlab", "ipywidgets", "jupyter-server"} <= {tool.normalise(p) for p in pinned}
    # every pinned distribution carries hashes
    blocks = re.split(r"^(?=[A-Za-z0-9_.-]+==)", text, flags=re.M)[1:]
    assert blocks and all("--hash=sha256:" in block for block in blocks)


def test_the_lab_environment_says_how_to_register_the_notebooks_kernel():
    text = (REPO_ROOT / "environment-lab.yml").read_text(encoding="utf-8")
    assert 'ipykernel install --sys-prefix --name foui --display-name "FoUI Norrbotten"' in text
