"""Fixtures for the domain tests: the real agreement and reference data, loaded once."""

from __future__ import annotations

import pandas as pd
import pytest

from foui_analysis.paths import REPO_ROOT

DATA = REPO_ROOT / "data"


@pytest.fixture(scope="session")
def scb_population() -> pd.DataFrame:
    """The SCB file as plain text columns, read independently of the library."""
    return pd.read_csv(DATA / "reference" / "scb_population.csv", dtype={"municipality_code": str})
