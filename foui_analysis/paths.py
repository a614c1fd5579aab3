"""Where the repository's data lives by default.

The agreement and the reference data come from ``data/`` in the current directory when it has
one, else from the ``data/`` folder of the repository this package was installed from (an
editable install). Every command can override both.
"""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def data_root() -> Path:
    here = Path("data")
    if (here / "agreement.toml").exists():
        return here
    return REPO_ROOT / "data"


def default_agreement() -> Path:
    return data_root() / "agreement.toml"


def default_reference() -> Path:
    return data_root() / "reference"


def default_inputs() -> Path:
    return data_root() / "example"
