"""A failed run of a real report never replaces what was published; its notebook is kept aside."""

import dataclasses
import re
import shutil
from pathlib import Path

import pytest
from reportlib import EXAMPLE, foui, snapshot

from foui_analysis.runner import ReportError, fees_job, run_job

pytestmark = pytest.mark.slow


def published(out: Path) -> dict[str, str]:
    """The published reports (HTML and folders) with their SHA-256.

    Left out: the dot directories (``.misslyckade/`` is where a failure goes) and
    ``index.html``, which a batch rewrites at its end with its own time stamp; that it still
    lists the report is checked separately.
    """
    return {
        path: sha
        for path, sha in snapshot(out).items()
        if not path.startswith(".") and path != "index.html"
    }


def test_failed_fees_run_leaves_the_published_report_byte_for_byte(real_out_copy):
    out = real_out_copy
    before = published(out)
    assert "avgifter-2015.html" in before and "avgifter-2015/kpis.json" in before
    job = fees_job(2015, EXAMPLE)
    # Passes the parameter check (an int), fails in the kernel: 2031 is outside the agreement.
    failing = dataclasses.replace(job, parameters={**job.parameters, "year": 2031})
    with pytest.raises(ReportError) as info:
        run_job(failing, out, force=True)
    assert published(out) == before
    aside = info.value.aside_path
    assert aside is not None and aside.parent == out / ".misslyckade" and aside.is_file()
    assert aside.name.startswith("avgifter-2015-") and aside.suffix == ".ipynb"
    message = str(info.value)
    assert "avgifter-2015" in message and aside.name in message
    # The library's error from the kernel (the fee year refused at the boundary).
    assert "avgiftsåret 2031 ligger utanför avtalsperioden" in message
    assert "orörd" in message
    assert "avgiftsåret 2031 ligger utanför avtalsperioden" in aside.read_text(encoding="utf-8")
    assert not (out / ".staging").exists()


def test_failed_followup_from_broken_data_exits_1_and_touches_nothing(real_out_copy, tmp_path):
    out = real_out_copy
    data = Path(shutil.copytree(EXAMPLE, tmp_path / "data"))
    activities = data / "activities.csv"
    lines = activities.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[5] = re.sub(r",2014-\d\d-", ",2014-13-", lines[5], count=1)  # no month 13
    activities.write_text("".join(lines), encoding="utf-8")
    before = published(out)
    done = foui("run", "followup", "--period", "2015H1", "--data", str(data), "--out", str(out))
    assert done.returncode == 1
    assert published(out) == before
    # The bad input is found when the command checks the data, before the notebook runs:
    # nothing ran, so no notebook is kept aside.
    assert not list((out / ".misslyckade").glob("uppfoljning-2015H1-*.ipynb"))
    assert "activities.csv, rad 6, kolumn 'date'" in done.stderr
    assert "Traceback" not in done.stderr
    assert 'href="uppfoljning-2015H1.html"' in (out / "index.html").read_text(encoding="utf-8")
    assert not (out / ".staging").exists()
