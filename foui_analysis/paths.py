"""Where the repository's data lives by default.

The agreement and the reference data come from ``data/`` in the current directory when it has
one, else from the ``data/`` folder of the repository this package was installed from (an
editable install). Every command can override both.

A relative path that does not exist from the current directory is taken from the repository
root when it exists there (:func:`resolve`): JupyterLab starts a notebook's kernel in the
notebook's own folder (``notebooks/``), where the notebooks' ``data_dir = "data/example"``
would otherwise not be found.
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


def resolve(path: str | Path) -> Path:
    """``path`` as given, or from the repository root when it is relative and only exists there."""
    path = Path(path)
    if path.is_absolute() or path.exists():
        return path
    candidate = REPO_ROOT / path
    return candidate if candidate.exists() else path
