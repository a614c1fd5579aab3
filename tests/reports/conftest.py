"""The real reports, made once per test run from the example data and shared by every test here.

Executing a report takes seconds, so each report kind runs once per test run: the fixture
``real_reports`` runs ``foui run due --today 2015-07-15`` on a fresh directory (which publishes
the follow-ups 2014H1, 2014H2 and 2015H1 and the fees 2014-2016), runs the identical command a
second time, then adds the evaluation 2014-2016 through the runner (``run_job``).
Under pytest-xdist the workers share that one directory: the first worker to need it builds it
under a file lock, the other waits for it. Tests only read it; a test that runs something
against it works on a copy (``real_out_copy``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from reportlib import build_real_reports, shared


@pytest.fixture(scope="session")
def real_run(tmp_path_factory, python3_kernel) -> tuple[Path, dict]:
    return shared(tmp_path_factory, "real-reports", build_real_reports)


@pytest.fixture(scope="session")
def real_reports(real_run) -> Path:
    """The report directory with the real reports of :data:`REPORTS` (and the other due ones)."""
    out, facts = real_run
    assert not facts["code_changed"], (
        "foui_analysis changed between the two `foui run due` calls (edited during the test "
        "run?), so the second call rightly re-ran the reports; run the tests on a quiet tree"
    )
    assert facts["first_due"]["returncode"] == 0, facts["first_due"]["stderr"]
    assert facts["evaluation"] == "published"
    return out


@pytest.fixture
def real_out_copy(real_reports, tmp_path) -> Path:
    """A private copy of the real report directory, to run things against."""
    return Path(shutil.copytree(real_reports, tmp_path / "reports", symlinks=True))


def pytest_collection_modifyitems(items) -> None:
    """A test that needs the real reports executes notebooks, so it is ``slow`` wherever it is
    (it stays out of ``make test-fast``) even when its module forgets to say so."""
    for item in items:
        if "real_run" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
