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
"""

from __future__ import annotations

import datetime as dt
import json
import os
from itertools import count
from pathlib import Path

from foui_analysis.presentation.site import PublishedReport, index_html
from foui_analysis.runner.provenance import code_key, current_code_key, shared_environment

INDEX_FILE = "index.html"
_serial = count(1)


def published_reports(out_dir: Path) -> list[PublishedReport]:
    """Every published report under ``out_dir``, read from its ``provenance.json``."""
    with shared_environment():  # the code hash and versions looked up once for all reports
        return _published_reports(out_dir)


def _published_reports(out_dir: Path) -> list[PublishedReport]:
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
    tmp = out_dir / f".{INDEX_FILE}-{os.getpid()}-{next(_serial)}.tmp"
    try:
        tmp.write_text(index_html(published_reports(out_dir)), encoding="utf-8")
        os.replace(tmp, out_dir / INDEX_FILE)
    finally:
        tmp.unlink(missing_ok=True)
    return out_dir / INDEX_FILE
