"""The index of published reports, ``OUT/index.html``.

Method
------
A report counts as published when both ``OUT/<name>.html`` and ``OUT/<name>/provenance.json``
exist; the index is built from the provenance records alone (title, kind, period, time created,
example data), so it can be rebuilt at any time from what is on disk, and a failed run, which
never reaches ``OUT/<name>/``, never shows up. A report whose record names other code than the
code installed now (notebook, library, templates, package versions:
:func:`~foui_analysis.runner.provenance.code_key`) is marked "publicerad med äldre programkod":
a report of a closed period stays as published until it is made again with ``--force``. The
page is written to a temporary file in the staging directory and moved into place with
:func:`os.replace`, so readers never see half a page. Records that cannot be read are left out
of the index rather than stopping it.

Each write also leaves ``OUT/.index-stamp``: a SHA-256 over what the page is made from (every
report's provenance record, HTML and PDF by name, size and modification time, and the code and
package versions installed now). :func:`write_index_if_changed`, called by a ``foui run`` that
has nothing to make but finds reports made with older code, rewrites the page only when that
digest differs: after an upgrade the first such run marks the reports in the index, and the
cron runs after it neither import the page's templates (about 1.5 s) nor touch the folder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from itertools import count
from pathlib import Path

from foui_analysis.runner.provenance import (
    code_key,
    current_code_key,
    installed_code,
    shared_environment,
)

INDEX_FILE = "index.html"
STAMP_FILE = ".index-stamp"
_serial = count(1)


def published_reports(out_dir: Path) -> list:
    """Every published report under ``out_dir``, read from its ``provenance.json``."""
    with shared_environment():  # the code hash and versions looked up once for all reports
        return _published_reports(out_dir)


def _published_reports(out_dir: Path) -> list:
    from foui_analysis.presentation.site import PublishedReport

    reports = []
    for record in sorted(Path(out_dir).glob("*/provenance.json")):
        name = record.parent.name
        if name.startswith(".") or not (record.parent.parent / f"{name}.html").is_file():
            continue
        try:
            data = json.loads(record.read_text(encoding="utf-8"))
            report = data["report"]
            made_with = code_key(data)
            current = current_code_key((data.get("notebook") or {}).get("path") or "")
            reports.append(
                PublishedReport(
                    name=name,
                    title=report.get("title") or name,
                    kind=report.get("kind") or "",
                    period_label=report.get("period_label"),
                    created=dt.datetime.fromisoformat(data["created"]),
                    example_data=bool(data.get("example_data")),
                    has_pdf=(record.parent.parent / f"{name}.pdf").is_file(),
                    older_code=None not in (made_with, current) and made_with != current,
                )
            )
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return reports


def write_index(out_dir: str | Path) -> Path:
    """Rewrite ``OUT/index.html`` from the published reports; return its path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    # A hidden temporary file beside the index, not in the shared staging directory: another
    # process may remove an empty staging directory at any moment.
    from foui_analysis.presentation.site import index_html

    with shared_environment():
        stamp = index_stamp(out_dir)
        page = index_html(published_reports(out_dir))
    _replace(out_dir / INDEX_FILE, page)
    _replace(out_dir / STAMP_FILE, stamp + "\n")
    return out_dir / INDEX_FILE


def _replace(target: Path, text: str) -> None:
    tmp = target.parent / f".{target.name}-{os.getpid()}-{next(_serial)}.tmp"
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def index_stamp(out_dir: Path) -> str:
    """A SHA-256 over what the index of ``out_dir`` is made from (see the docstring)."""
    digest = hashlib.sha256()
    with shared_environment():
        digest.update(json.dumps(installed_code(), sort_keys=True, default=str).encode())
    for record in sorted(Path(out_dir).glob("*/provenance.json")):
        name = record.parent.name
        for path in (record, out_dir / f"{name}.html", out_dir / f"{name}.pdf"):
            shown = path.relative_to(out_dir).as_posix()
            try:
                stat = path.stat()
                digest.update(f"{shown}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
            except OSError:
                digest.update(f"{shown}|-\n".encode())
    return digest.hexdigest()


def write_index_if_changed(out_dir: str | Path) -> bool:
    """Rewrite the index unless what it is made from is as at its last write; True if
    rewritten."""
    out_dir = Path(out_dir)
    try:
        written = (out_dir / STAMP_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        written = None
    unchanged = written is not None and (out_dir / INDEX_FILE).is_file()
    if unchanged and index_stamp(out_dir) == written:
        return False
    write_index(out_dir)
    return True
