"""Shared fixtures: fixture notebooks and data, a published report directory, a real Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis_budget import DEFAULT, FAST, examples

if FAST:
    # `make test-fast` tries a fifth of the examples in every property test that does not name its
    # number (those go through examples()); `make test` keeps hypothesis' defaults. Loaded here,
    # before any test module applies @settings, so that every property test inherits it.
    from hypothesis import settings

    settings.register_profile("fast", max_examples=examples(DEFAULT))
    settings.load_profile("fast")

FIXTURES = Path(__file__).parent / "fixtures"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ACTIVITIES_CSV = """activity_id,title,cost_sek
1,Seminarium i Kiruna,12000
2,<script>alert(1)</script>,3500
3,Handledning & stöd,0
"""


@pytest.fixture(scope="session")
def agreement():
    """The repository's agreement (data/agreement.toml), loaded once."""
    from foui_analysis.domain.agreement import load_agreement
    from foui_analysis.paths import REPO_ROOT

    return load_agreement(REPO_ROOT / "data" / "agreement.toml")


@pytest.fixture(scope="session")
def reference():
    """The repository's reference data (data/reference/), loaded once."""
    from foui_analysis.domain.reference import load_reference
    from foui_analysis.paths import REPO_ROOT

    return load_reference(REPO_ROOT / "data" / "reference")


@pytest.fixture(scope="session")
def fixture_notebooks() -> Path:
    return FIXTURES / "notebooks"


def _write_data(directory: Path, example: bool) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "activities.csv").write_text(ACTIVITIES_CSV, encoding="utf-8")
    (directory / "dataset.toml").write_text(
        f"[dataset]\nexample = {'true' if example else 'false'}\n", encoding="utf-8"
    )
    return directory


@pytest.fixture(scope="session")
def example_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny data directory that declares itself example data (dataset.toml)."""
    return _write_data(tmp_path_factory.mktemp("data") / "example", example=True)


@pytest.fixture(scope="session")
def python3_kernel() -> None:
    """Make sure kernel ``python3`` runs this interpreter (the venv), installing it if not."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        argv0 = KernelSpecManager().get_kernel_spec("python3").argv[0]
    except NoSuchKernel:
        argv0 = None
    major_minor = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    if argv0 in ("python", f"python{sys.version_info[0]}", major_minor, sys.executable):
        return
    subprocess.run(
        [sys.executable, "-m", "ipykernel", "install", "--sys-prefix", "--name", "python3"],
        check=True,
        capture_output=True,
    )


@pytest.fixture(scope="session")
def foui_kernel() -> str:
    """The project's kernel ``foui`` (the notebooks' kernelspec) runs this interpreter.

    ``make setup`` installs it into .venv (``ipykernel install --sys-prefix``); a test run in
    an environment set up another way installs it the same way.
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        argv0 = KernelSpecManager().get_kernel_spec("foui").argv[0]
    except NoSuchKernel:
        argv0 = None
    if argv0 != sys.executable:
        subprocess.run(
            [sys.executable, "-m", "ipykernel", "install", "--sys-prefix", "--name", "foui"]
            + ["--display-name", "FoUI Norrbotten"],
            check=True,
            capture_output=True,
        )
    return "foui"


@pytest.fixture(scope="session")
def published_out(
    tmp_path_factory: pytest.TempPathFactory,
    fixture_notebooks: Path,
    example_data_dir: Path,
    python3_kernel: None,
) -> Path:
    """A report directory with two published reports (executes the fixture notebooks once)."""
    from foui_analysis.runner import fees_job, followup_job, run_job

    out = tmp_path_factory.mktemp("published") / "reports"
    for job in (
        followup_job("2015H1", example_data_dir, notebooks_dir=fixture_notebooks, inputs=[]),
        fees_job(2015, example_data_dir, notebooks_dir=fixture_notebooks, inputs=[]),
    ):
        run_job(job, out, force=True)
    return out


@pytest.fixture
def out_copy(published_out: Path, tmp_path: Path) -> Path:
    """A private copy of the published report directory, to run failures against."""
    return Path(shutil.copytree(published_out, tmp_path / "reports", symlinks=True))


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium through Playwright; fails under CI when missing, else skips."""
    problem = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        problem = "playwright is not installed"
    if problem is None and not CHROMIUM.exists():
        problem = f"{CHROMIUM} is missing (apt-get install chromium)"
    if problem:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests need Chromium under CI: {problem}")
        pytest.skip(f"browser tests skipped: {problem}")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()
