"""Publishing a report: every file of it replaced in one atomic step, serialised per folder.

Method
------
Each publication of a report ``<name>`` is a *version folder*
``OUT/.versions/<name>/<version>/`` that holds every artefact of that publication: the HTML
(``<name>.html``), a PDF when there is one, the executed notebook, ``kpis.json``,
``provenance.json`` and ``historik/`` (the key figures of every earlier publication). One
symbolic link, ``OUT/.versions/<name>/current``, names the published version. What readers open
are fixed links through it, created once and never changed::

    OUT/<name>       -> .versions/<name>/current
    OUT/<name>.html  -> .versions/<name>/current/<name>.html
    OUT/<name>.pdf   -> .versions/<name>/current/<name>.pdf        (any top-level artefact)

Publishing (:func:`publish`) builds the new version folder beside the published one (the
artefacts are moved in, the history is carried over from the published version and the
published ``kpis.json`` added to it), then makes a new link and renames it over ``current``
with :func:`os.replace`: that rename is the one step that changes what a reader sees, and it is
atomic, so at any instant every path above shows the old publication or the new one, never a
mix. The old version folder is removed afterwards. The history is a copy in every version, so
no kill at any point loses it.

Every publish holds ``OUT/.publish.lock`` (:func:`fcntl.flock`, released by the system when the
process dies), so two processes never publish into one folder at once; ``foui run`` holds a
second lock, ``OUT/.run.lock``, for its whole run (:func:`run_lock`), so two runs started
together do not both make every report: the second waits or exits with
:data:`EXIT_BUSY` and a message naming the first.

Recovery (:func:`recover`, under the publish lock before every publish and at the start of
every run) removes what a killed process left: version folders that ``current`` does not name,
temporary links, a ``current`` that names nothing, and it re-creates a fixed link that is
missing. A report published before this layout (a real ``OUT/<name>/`` folder and a real HTML
file) is converted on its next publish: its files are copied into a version folder, and the
HTML and folder are replaced by the links (the HTML in one atomic step; the folder is renamed
aside and the link put in its place, a gap of a few microseconds in which the folder is absent,
once per report; recovery closes that gap if the process is killed inside it).

Faults are tested deterministically: every file-system step calls :func:`_step` with a label,
and a test installs :data:`fault_hook` to kill the process at the n-th step
(``tests/runner/test_publish.py``).

Known limits
------------
Needs a file system with symbolic links and :func:`fcntl.flock` (Linux, macOS; not Windows, and
flock over NFS depends on the server). Readers that copy the folder without following links
(``cp -P``) copy the links.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from foui_analysis.runner.published import HISTORY_DIR

VERSIONS_DIR = ".versions"
CURRENT = "current"
PUBLISH_LOCK = ".publish.lock"
RUN_LOCK = ".run.lock"
KPIS_FILE = "kpis.json"
PROVENANCE_FILE = "provenance.json"
TOP_LEVEL_SUFFIXES = (".html", ".pdf")
"""Artefacts named ``<name><suffix>`` get a fixed link ``OUT/<name><suffix>`` for readers."""

EXIT_BUSY = 3
"""Exit code of ``foui run`` when another run holds the output folder and ``--wait`` ran out."""

fault_hook: Callable[[str], None] | None = None
"""Called with the label of every file-system step of a publish; tests kill the process here."""


def _step(label: str) -> None:
    if fault_hook is not None:
        fault_hook(label)


class BusyError(Exception):
    """Another run holds the output folder. ``str(error)`` is the Swedish message."""


# --- locks ---------------------------------------------------------------------------------


@contextlib.contextmanager
def _flock(path: Path, *, wait: float | None) -> Iterator[bool]:
    """Hold an exclusive flock on ``path``; ``wait=None`` waits for ever, else up to ``wait`` s.

    Yields False when the lock could not be had in time (the caller decides what to do).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        deadline = None if wait is None else time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | (0 if deadline is None else fcntl.LOCK_NB))
                break
            except BlockingIOError:
                assert deadline is not None  # only the non-blocking lock raises this
                if time.monotonic() >= deadline:
                    yield False
                    return
                time.sleep(0.2)
        # Nothing is written into the lock file: a run that changes nothing leaves the output
        # folder byte for byte as it was.
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextlib.contextmanager
def run_lock(out_dir: Path, wait: float = 0) -> Iterator[None]:
    """Hold the output folder for one ``foui run``; BusyError when another run holds it.

    ``wait``: seconds to wait for the other run to finish before giving up.
    """
    path = Path(out_dir) / RUN_LOCK
    with _flock(path, wait=wait) as held:
        if not held:
            raise BusyError(
                f"en annan körning gör redan rapporter i {out_dir} (den håller låset {path}). "
                "Vänta tills den är klar, eller ange --wait SEKUNDER för att vänta på den."
            )
        yield


@contextlib.contextmanager
def publish_lock(out_dir: Path) -> Iterator[None]:
    """Serialise publishing into ``out_dir`` (brief; waits for the other publisher)."""
    with _flock(Path(out_dir) / PUBLISH_LOCK, wait=None):
        yield


# --- layout --------------------------------------------------------------------------------


def versions_dir(out_dir: Path, name: str) -> Path:
    return Path(out_dir) / VERSIONS_DIR / name


def current_version(out_dir: Path, name: str) -> Path | None:
    """The published version folder of ``name``, or None."""
    link = versions_dir(out_dir, name) / CURRENT
    if not link.is_symlink():
        return None
    target = link.parent / os.readlink(link)
    return target if target.is_dir() else None


def _relink(link: Path, target: str, label: str) -> None:
    """Point ``link`` at ``target`` in one atomic step (a new link renamed over the old)."""
    tmp = link.with_name(f".{link.name}.link-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    _step(f"{label}: skapa tillfällig länk")
    os.symlink(target, tmp)
    try:
        _step(f"{label}: byt länk")
        os.replace(tmp, link)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _fixed_links(out_dir: Path, name: str, version: Path, *, remove: bool = False) -> None:
    """Make the readers' fixed links of ``name`` exist for the artefacts of ``version``.

    The links go through ``current``, so a link made before ``current`` names ``version``
    dangles until then (a reader sees no such file, as before); ``remove`` also removes the
    links of artefacts ``version`` does not have (after the swap).
    """
    through = f"{VERSIONS_DIR}/{name}/{CURRENT}"
    folder = out_dir / name
    if not folder.is_symlink():
        if folder.is_dir():
            # A report published before versioned folders: its files are in the version
            # already (see _migrate); the real folder is put aside and the link put in its place.
            aside = versions_dir(out_dir, name) / f".gammal-mapp-{uuid.uuid4().hex[:8]}"
            _step("gammal mapp: flytta undan")
            os.rename(folder, aside)
        _step("mapplänk: skapa")
        with contextlib.suppress(FileExistsError):
            os.symlink(through, folder)
    for suffix in TOP_LEVEL_SUFFIXES:
        link = out_dir / f"{name}{suffix}"
        wanted = f"{through}/{name}{suffix}"
        present = (version / f"{name}{suffix}").is_file()
        if present and not (link.is_symlink() and os.readlink(link) == wanted):
            _relink(link, wanted, f"länk {link.name}")
        elif remove and not present and link.is_symlink():
            _step(f"länk {link.name}: ta bort")
            link.unlink()


def _migrate(out_dir: Path, name: str) -> Path | None:
    """Copy a report published before versioned folders into a version; its path, or None."""
    folder = out_dir / name
    if folder.is_symlink() or not folder.is_dir():
        return None
    version = versions_dir(out_dir, name) / f"{_version_id()}-tidigare"
    _step("gammal mapp: kopiera till version")
    shutil.copytree(folder, version, symlinks=True)
    for suffix in TOP_LEVEL_SUFFIXES:
        file = out_dir / f"{name}{suffix}"
        if file.is_file() and not file.is_symlink():
            shutil.copy2(file, version / file.name)
    _relink(versions_dir(out_dir, name) / CURRENT, version.name, "current (tidigare)")
    _fixed_links(out_dir, name, version)
    return version


def _version_id() -> str:
    return f"{dt.datetime.now():%Y%m%dT%H%M%S%f}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


def _carry_history(previous: Path | None, version: Path) -> None:
    """The new version's ``historik/``: the previous one's, and the previous key figures."""
    history = version / HISTORY_DIR
    if previous is None or not (previous / KPIS_FILE).is_file():
        return
    _step("historik: kopiera")
    if (previous / HISTORY_DIR).is_dir():
        shutil.copytree(previous / HISTORY_DIR, history, dirs_exist_ok=True)
    history.mkdir(exist_ok=True)
    try:
        created = json.loads((previous / PROVENANCE_FILE).read_text(encoding="utf-8"))["created"]
    except (OSError, ValueError, KeyError, TypeError):
        created = dt.datetime.fromtimestamp((previous / KPIS_FILE).stat().st_mtime).isoformat()
    stamp = "".join(ch for ch in str(created)[:19] if ch.isdigit() or ch == "T")
    target = history / f"kpis-{stamp}.json"
    n = 2
    while target.exists():
        target = history / f"kpis-{stamp}-{n}.json"
        n += 1
    _step("historik: lägg till förra nyckeltalen")
    shutil.copy2(previous / KPIS_FILE, target)


def _fsync_tree(root: Path) -> None:
    """Write the version folder's files to disk before it is published."""
    for path in [*root.rglob("*"), root]:
        if path.is_symlink():
            continue
        flags = os.O_RDONLY | (os.O_DIRECTORY if path.is_dir() else 0)
        with contextlib.suppress(OSError):
            fd = os.open(path, flags)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


# --- publish and recover ----------------------------------------------------------------------


def publish(out_dir: str | Path, name: str, artefacts: Iterable[Path]) -> Path:
    """Publish ``artefacts`` (files or folders, moved) as report ``name``; the HTML's path.

    The artefacts are what the report consists of, e.g. ``staging/<name>.html``,
    ``staging/<name>.pdf``, ``staging/<name>.ipynb``, ``staging/kpis.json``,
    ``staging/provenance.json``; each keeps its file name in the version folder. They must lie
    on the file system of ``out_dir`` (they are renamed, not copied).
    """
    out_dir = Path(out_dir)
    artefacts = [Path(a) for a in artefacts]
    names = [a.name for a in artefacts]
    if len(set(names)) != len(names):
        raise ValueError(f"two artefacts with one name: {names}")
    with publish_lock(out_dir):
        recover(out_dir, locked=True)
        current = versions_dir(out_dir, name) / CURRENT
        if current.exists() and not current.is_symlink():
            # A copy of the folder that followed the links: its own files are in OUT/<name>
            # (migrated below); this copy of a version goes with the leftovers.
            os.rename(current, current.with_name(f".kopia-{uuid.uuid4().hex[:8]}"))
        previous = current_version(out_dir, name) or _migrate(out_dir, name)
        version = versions_dir(out_dir, name) / _version_id()
        try:
            _step("version: skapa mapp")
            version.mkdir(parents=True)
            for artefact in artefacts:
                _step(f"version: flytta in {artefact.name}")
                os.replace(artefact, version / artefact.name)
            _carry_history(previous, version)
            _fsync_tree(version)
            _fixed_links(out_dir, name, version)
            _relink(versions_dir(out_dir, name) / CURRENT, version.name, "current")
        except BaseException:
            # Not published: the reader still sees the previous version; this one goes.
            if current_version(out_dir, name) != version:
                shutil.rmtree(version, ignore_errors=True)
            raise
        _fixed_links(out_dir, name, version, remove=True)
        if previous is not None:
            _step("förra versionen: ta bort")
            shutil.rmtree(previous, ignore_errors=True)
        _remove_leftovers(out_dir, name)
    return out_dir / f"{name}.html"


def _remove_leftovers(out_dir: Path, name: str) -> None:
    """Remove every entry of ``.versions/<name>/`` that ``current`` does not name."""
    root = versions_dir(out_dir, name)
    current = current_version(out_dir, name)
    for entry in root.iterdir():
        if entry.name == CURRENT or (current is not None and entry.name == current.name):
            continue
        _step(f"städa: {entry.name}")
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def recover(out_dir: str | Path, *, locked: bool = False) -> list[str]:
    """Clean up after a process killed while publishing into ``out_dir``; what was done.

    Safe at any time: takes the publish lock unless ``locked`` (the caller holds it).
    """
    out_dir = Path(out_dir)
    root = out_dir / VERSIONS_DIR
    if not root.is_dir():
        return []
    if not locked:
        with publish_lock(out_dir):
            return recover(out_dir, locked=True)
    done: list[str] = []
    for report in sorted(p for p in root.iterdir() if p.is_dir() and not p.is_symlink()):
        name = report.name
        link = report / CURRENT
        if link.exists() and not link.is_symlink():
            # Not a state a publish leaves (a copy that followed the links?): touch nothing.
            done.append(f"{name}: {link} är ingen länk; lämnas orörd")
            continue
        if link.is_symlink() and current_version(out_dir, name) is None:
            link.unlink()
            done.append(f"{name}: länk utan version borttagen")
        before = {p.name for p in report.iterdir()}
        _remove_leftovers(out_dir, name)
        left = before - {p.name for p in report.iterdir()}
        if left:
            done.append(f"{name}: rester av en avbruten publicering borttagna ({len(left)})")
        current = current_version(out_dir, name)
        if current is not None:
            folder = out_dir / name
            if (
                not (folder.is_symlink() or folder.exists())
                or not (out_dir / f"{name}.html").exists()
            ):
                _fixed_links(out_dir, name, current, remove=True)
                done.append(f"{name}: länkar återskapade")
        elif not any(report.iterdir()):
            report.rmdir()
    for tmp in out_dir.glob(".*.link-*"):
        with contextlib.suppress(OSError):
            tmp.unlink()
    return done


def is_unwritable(exc: OSError) -> bool:
    """True for the errors of a folder that cannot be written (read-only, permissions, full)."""
    return exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOSPC, errno.EDQUOT)
