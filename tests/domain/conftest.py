"""Fixtures for the domain tests: the real agreement and reference data, loaded once."""

from __future__ import annotations

import pandas as pd
import pytest

from foui_analysis.domain.agreement import load_agreement
from foui_analysis.domain.reference import load_reference
from foui_analysis.paths import REPO_ROOT

DATA = REPO_ROOT / "data"


@pytest.fixture(scope="session")
def agreement():
    return load_agreement(DATA / "agreement.toml")


@pytest.fixture(scope="session")
def reference():
    return load_reference(DATA / "reference")


@pytest.fixture(scope="session")
def scb_population() -> pd.DataFrame:
    """The SCB file as plain text columns, read independently of the library."""
    return pd.read_csv(DATA / "reference" / "scb_population.csv",
                       dtype={"municipality_code": str})
