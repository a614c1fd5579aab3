"""Reading what was published before: the key figures of earlier reports.

A published report ``OUT/<name>/`` holds ``kpis.json`` (its key figures) and ``historik/`` with
the ``kpis-<time>.json`` of every earlier publication of the same report, kept by the runner when
it replaced them. :func:`first_published` gives the figures as the board first received them.

A report made in a run of many (``foui run all``) must not depend on which of the others happen
to be published already when it reads: with ``except_batch`` (the run's id, which the runner
records as ``batch`` in ``provenance.json``), a publication made by that same run is left out.
Earlier publications are in ``historik/`` by then, so the answer is the same before and after
the other report of the run is published.

Reading is tolerant: a report that is not published, or is being replaced at this moment, or
whose files cannot be parsed, simply has no published figures; the follow-up then has nothing to
compare with and says so.
"""

from __future__ import annotations

import json
from pathlib import Path

from foui_analysis.periods import report_name

HISTORY_DIR = "historik"
FOLLOWUP_PREFIX = report_name("followup", "")


def _read(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def publications(out_dir: str | Path, name: str, *, except_batch: str | None = None) -> list[dict]:
    """Every publication's key figures of report ``name``, oldest first (see the module
    docstring for ``except_batch``)."""
    report = Path(out_dir) / name
    history = sorted((report / HISTORY_DIR).glob("kpis-*.json"))
    current = [report / "kpis.json"]
    if except_batch and (_read(report / "provenance.json") or {}).get("batch") == except_batch:
        current = []
    found = [_read(p) for p in [*history, *current]]
    return [kpis for kpis in found if kpis is not None]


def first_published(
    out_dir: str | Path, name: str, *, except_batch: str | None = None
) -> dict | None:
    """The key figures of report ``name`` as first published, or None."""
    found = publications(out_dir, name, except_batch=except_batch)
    return found[0] if found else None


def published_followups(
    out_dir: str | Path | None, except_batch: str | None = None
) -> dict[str, dict]:
    """``{period label: key figures as first published}`` of every follow-up published in
    ``out_dir`` (``OUT/uppfoljning-<period>/``): what the follow-up notebook hands to
    :func:`foui_analysis.analyses.restatements.restatements_for`.

    ``out_dir`` is the runner's output folder as the notebook's ``published_dir`` parameter gives
    it (relative paths as :func:`foui_analysis.paths.resolve` finds them); None or ``""`` gives
    nothing. ``except_batch`` as in :func:`publications` (``""`` is no batch).
    """
    from foui_analysis.paths import resolve

    if not out_dir:
        return {}
    out = resolve(out_dir)
    try:
        reports = sorted(p for p in out.glob(f"{FOLLOWUP_PREFIX}*") if p.is_dir())
    except OSError:
        return {}
    found = {}
    for report in reports:
        figures = first_published(out, report.name, except_batch=except_batch or None)
        if figures is not None:
            found[report.name.removeprefix(FOLLOWUP_PREFIX)] = figures
    return found
