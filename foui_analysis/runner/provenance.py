"""The provenance record of a report: what it was made from, with what, when.

Method
------
For every report the runner writes ``OUT/<name>/provenance.json`` and puts the same record in
the executed notebook's metadata (``foui.provenance``), where the template renders it as the
footer "Underlag och spårbarhet". The record holds:

- ``inputs``: every file under the job's data directory and under each extra input (the
  agreement, the reference data), with its SHA-256 and size; hidden files and ``__pycache__``
  are skipped. Paths are shown relative to the repository root when they lie inside it;
- ``notebook``: the notebook file and its SHA-256;
- ``git``: ``git rev-parse HEAD`` of the repository (``"okänd"`` when git or the repository is
  missing) and whether tracked files have uncommitted changes;
- ``packages``: versions of Python, foui-analysis and the libraries that shape the output (the
  footer's list);
- ``environment``: every distribution installed in the environment with its version
  (``importlib.metadata``; the first of a name on ``sys.path``, as import finds it), and the
  lock file the environment is meant to come from (``requirements.lock``, see docs/design.md)
  with its SHA-256 (``None`` when the repository has no lock file). The lock says what should
  be installed, ``distributions`` what was;
- ``parameters``, ``example_data`` and ``created`` (ISO 8601 with the local UTC offset);
- ``code_sha256``: one SHA-256 over the library's source and template files;
- ``fingerprint``: a SHA-256 over what determines the report's content (report name,
  parameters, notebook, inputs, library code and templates, the versions of Python and of every
  installed distribution). An unchanged
  fingerprint lets ``run_jobs(force=False)`` skip a report that is already published; a change
  to any of them, committed or not, makes it due again, except that a report of a closed
  period whose inputs and parameters are unchanged (:func:`inputs_key`) is not made again for a
  change of code alone (:func:`code_key`; see
  :func:`foui_analysis.runner.execute.publication_state`). The commit is recorded but not part
  of the fingerprint, so a commit that changes only documentation re-runs nothing.

Example data is recognised by the data directory itself
(:func:`foui_analysis.dataset.read_dataset`): a ``dataset.toml`` with
``[dataset] example = true``, or a file named ``EXEMPELDATA``.

Known limits
------------
Inputs read from outside the listed directories are not recorded, and a change in an
installed package is seen only through its version number.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import importlib.metadata
import json
import platform
import re
import subprocess
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from foui_analysis.dataset import read_dataset
from foui_analysis.errors import InputError
from foui_analysis.runner.errors import ReportError
from foui_analysis.runner.jobs import ReportJob, repo_root

UNKNOWN = "okänd"
PACKAGES = (
    "foui-analysis",
    "pandas",
    "numpy",
    "pandera",
    "babel",
    "openpyxl",
    "matplotlib",
    "jinja2",
    "papermill",
    "nbconvert",
    "nbclient",
    "ipykernel",
    "ipython",
)
"""Packages whose versions ``packages`` lists (besides Python); ``environment`` has them all."""
LOCK_FILE = "requirements.lock"


_shared: dict[Any, Any] | None = None


@contextlib.contextmanager
def shared_environment() -> Iterator[None]:
    """Within this block, what every report shares is looked up once.

    The commit, the code hash, the package versions and each input file's SHA-256 (by path,
    size and modification time) are computed for the first report and reused for the others:
    ``foui run all`` checks 16 fingerprints against the same files. Use it for one command's
    checks, not around a long-running process.
    """
    global _shared
    outer = _shared
    if outer is None:
        _shared = {}
    try:
        yield
    finally:
        _shared = outer


def _once(key: Any, compute: Callable[[], Any]) -> Any:
    if _shared is None:
        return compute()
    if key not in _shared:
        _shared[key] = compute()
    return _shared[key]


def sha256_file(path: Path) -> str:
    if _shared is not None:
        stat = path.stat()
        return _once(
            ("sha256", str(path.resolve()), stat.st_size, stat.st_mtime_ns), lambda: _sha256(path)
        )
    return _sha256(path)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def shown_path(path: Path) -> str:
    """``path`` relative to the repository root when inside it, else absolute (POSIX form)."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(repo_root()).as_posix()
    except ValueError:
        return resolved.as_posix()


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if not path.is_dir():
        return []
    return sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p.relative_to(path)))


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") or part == "__pycache__" for part in relative.parts)


def input_files(paths: Iterable[Path]) -> list[dict[str, Any]]:
    """Every file under ``paths`` with SHA-256 and size, each file once."""
    seen: set[Path] = set()
    records = []
    for root in paths:
        for file in _files(Path(root)):
            resolved = file.resolve()
            if resolved in seen:
                continue
            seen.add(resolved)
            size = file.stat().st_size
            records.append({"path": shown_path(file), "sha256": sha256_file(file), "bytes": size})
    return records


def is_example_data(data_dir: Path | None) -> bool:
    """True when ``data_dir`` declares itself example data (see the module docstring)."""
    if data_dir is None:
        return False
    try:
        return read_dataset(data_dir).example
    except InputError as exc:
        raise ReportError(str(exc)) from None


def _git(*args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(repo_root()), *args],
            capture_output=True,
            text=True,
            timeout=20,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip()


def git_info() -> dict[str, Any]:
    """The commit of the repository and whether tracked files differ from it."""
    commit = _git("rev-parse", "HEAD")
    status = _git("status", "--porcelain", "--untracked-files=no") if commit else None
    return {"commit": commit or UNKNOWN, "dirty": bool(status)}


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = UNKNOWN
    return versions


def installed_distributions() -> dict[str, str]:
    """Name → version of every installed distribution, sorted by name.

    Names are normalised as in the lock file (PEP 503: ``Jinja2`` → ``jinja2``,
    ``jupyter_client`` → ``jupyter-client``). A name installed twice on ``sys.path`` counts as
    import finds it: the first.
    """
    found: dict[str, str] = {}
    for dist in importlib.metadata.distributions():
        metadata = dist.metadata  # parsed once per distribution (name and version)
        name = metadata["Name"]
        if name:
            found.setdefault(re.sub(r"[-_.]+", "-", name).lower(), metadata["Version"])
    return dict(sorted(found.items()))


def environment_info() -> dict[str, Any]:
    """Every installed distribution, and the lock file with its SHA-256 (see the docstring)."""
    lock = repo_root() / LOCK_FILE
    return {
        "distributions": installed_distributions(),
        "lock": {"path": LOCK_FILE, "sha256": _sha256(lock)} if lock.is_file() else None,
    }


CODE_SUFFIXES = {".py", ".j2", ".css", ".json", ".tpl"}
PACKAGE = Path(__file__).resolve().parent.parent


def library_files() -> list[Path]:
    """The library's source and template files, in path order: the one list of what "the code"
    is, for the fingerprint (:func:`code_sha256`) and for the fork server's check that the
    library is unchanged (:func:`foui_analysis.runner.batch.library_stamp`)."""
    return [
        path
        for path in sorted(PACKAGE.rglob("*"))
        if path.suffix in CODE_SUFFIXES and "__pycache__" not in path.parts and path.is_file()
    ]


def code_sha256() -> str:
    """One SHA-256 over the names and bytes of :func:`library_files`.

    A change to any of them (committed or not) changes the fingerprint of every report, so an
    incremental run makes the reports again; a change elsewhere in the repository does not.
    """
    digest = hashlib.sha256()
    for path in library_files():
        digest.update(path.relative_to(PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _digest(source: Any) -> str:
    return hashlib.sha256(json.dumps(source, sort_keys=True, default=str).encode()).hexdigest()


def inputs_key(record: dict) -> str | None:
    """A SHA-256 over what a report is made *from*: its name, parameters and input files (paths
    and SHA-256), read from a provenance record (``None`` when the record lacks them).

    Two records with the same key describe the same report of the same data under the same
    rules; what may differ is only the code that made it (:func:`code_key`).
    """
    try:
        return _digest(
            {
                "report": record["report"]["name"],
                "parameters": record["parameters"],
                "inputs": [[i["path"], i["sha256"]] for i in record["inputs"]],
            }
        )
    except (KeyError, TypeError):
        return None


def code_key(record: dict) -> str | None:
    """A SHA-256 over what *made* a report: the notebook, the library's code and templates and
    the installed versions, read from a provenance record (``None`` when it lacks them)."""
    try:
        return _digest(
            {
                "notebook": record["notebook"]["sha256"],
                "code": record["code_sha256"],
                "packages": record["packages"],
                "distributions": record["environment"]["distributions"],
            }
        )
    except (KeyError, TypeError):
        return None


def current_code_key(notebook: str | Path) -> str | None:
    """:func:`code_key` of a report made now with ``notebook`` (a path as provenance shows it:
    relative to the repository root when inside it); ``None`` when the notebook is gone."""
    path = Path(notebook)
    path = path if path.is_absolute() else repo_root() / path
    if not path.is_file():
        return None
    return code_key(
        {
            "notebook": {"sha256": sha256_file(path)},
            "code_sha256": _once("code", code_sha256),
            "packages": _once("packages", package_versions),
            "environment": _once("environment", environment_info),
        }
    )


def installed_code() -> dict[str, Any]:
    """The library's code hash, the package versions and the installed distributions, as a
    report made now would record them (looked up once within :func:`shared_environment`)."""
    return {
        "code": _once("code", code_sha256),
        "packages": _once("packages", package_versions),
        "environment": _once("environment", environment_info),
    }


def new_batch() -> str:
    """A new id for one run of the runner (``batch``; see :mod:`foui_analysis.runner.published`)."""
    return uuid.uuid4().hex


def build_provenance(
    job: ReportJob, created: dt.datetime | None = None, batch: str | None = None
) -> dict[str, Any]:
    """The provenance record of ``job`` as it is about to run (in run ``batch``)."""
    notebook = {"path": shown_path(job.notebook), "sha256": sha256_file(job.notebook)}
    inputs = input_files([p for p in (job.data_dir, *job.inputs) if p is not None])
    git = _once("git", git_info)
    code = _once("code", code_sha256)
    packages = _once("packages", package_versions)
    environment = _once("environment", environment_info)
    fingerprint_source = {
        "report": job.name,
        "parameters": job.parameters,
        "notebook": notebook["sha256"],
        "inputs": [(i["path"], i["sha256"]) for i in inputs],
        "code": code,
        "packages": packages,
        "distributions": environment["distributions"],
    }
    fingerprint = hashlib.sha256(
        json.dumps(fingerprint_source, sort_keys=True, default=str).encode()
    ).hexdigest()
    return {
        "report": {
            "name": job.name,
            "kind": job.kind,
            "title": job.title,
            "period_label": job.period_label,
        },
        "notebook": notebook,
        "parameters": dict(job.parameters),
        "data_dir": shown_path(job.data_dir) if job.data_dir else None,
        "example_data": is_example_data(job.data_dir),
        "inputs": inputs,
        "git": git,
        "code_sha256": code,
        "packages": packages,
        "environment": environment,
        "created": (created or dt.datetime.now().astimezone()).isoformat(timespec="seconds"),
        "batch": batch,
        "fingerprint": fingerprint,
    }
