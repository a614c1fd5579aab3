"""Where the repository's data lives by default.

The agreement and the reference data come from ``data/`` in the current directory when it has
one, else from the ``data/`` folder of the repository this package was installed from (an
editable install). Every command can override both.

The repository root is found once, by :func:`repo_root` (:data:`REPO_ROOT` is its value).

A relative path that does not exist from the current directory is taken from the repository
root when it exists there (:func:`resolve`): JupyterLab starts a notebook's kernel in the
notebook's own folder (``notebooks/``), where the notebooks' ``data_dir = "data/example"``
would otherwise not be found.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def repo_root() -> Path:
    """The repository this package runs from (the directory holding ``pyproject.toml``).

    Falls back to the current directory when the package is installed outside a checkout.
    """
    for parent in Path(__file__).resolve().parents:
        if (parent / "pyproject.toml").is_file() and (parent / "foui_analysis").is_dir():
            return parent
    return Path.cwd().resolve()


REPO_ROOT = repo_root()


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
