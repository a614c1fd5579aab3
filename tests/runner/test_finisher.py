"""The finisher: a report made alone gets its page and PDF from a second process.

Real nbconvert and Chromium in a real forked process; a stand-in executable plays a broken
Chromium.
"""

from __future__ import annotations

import os
import signal
import stat
import tempfile
from pathlib import Path

import nbformat
import pytest

from foui_analysis.presentation import pdf
from foui_analysis.presentation.pdf import PdfError
from foui_analysis.runner.execute import _finish
from foui_analysis.runner.finisher import Finisher, FinisherGone


def executed_notebook(tmp_path: Path) -> tuple[nbformat.NotebookNode, Path]:
    nb = nbformat.v4.new_notebook()
    nb.metadata["foui"] = {"title": "Prov på rapport", "period_label": "2016H2"}
    nb.cells = [
        nbformat.v4.new_markdown_cell("## Ekonomi\n\nKostnaderna följer budgeten."),
        nbformat.v4.new_code_cell(
            "x",
            outputs=[
                nbformat.v4.new_output(
                    "display_data", data={"text/html": "<p>Resultat 1 271 696 kr</p>"}
                )
            ],
        ),
    ]
    path = tmp_path / "rapport.ipynb"
    nbformat.write(nb, str(path))
    return nb, path


@pytest.fixture
def finisher():
    started = Finisher.start()
    assert started is not None, "fork is available on Linux"
    yield started
    started.close()


@pytest.mark.browser
def test_the_finisher_writes_the_page_and_the_pdf(finisher, tmp_path: Path) -> None:
    _, executed = executed_notebook(tmp_path)
    html, out = tmp_path / "rapport.html", tmp_path / "rapport.pdf"
    finisher.finish(executed, html, out)
    page = html.read_text(encoding="utf-8")
    assert "Prov på rapport" in page and "Resultat 1 271 696 kr" in page
    assert out.read_bytes().startswith(b"%PDF-")


@pytest.mark.browser
def test_closing_ends_the_finisher_and_its_browser(finisher, tmp_path: Path) -> None:
    _, executed = executed_notebook(tmp_path)
    finisher.finish(executed, tmp_path / "a.html", tmp_path / "a.pdf")
    finisher.close()
    assert not finisher.process.is_alive()
    profiles = list(
        Path(tempfile.gettempdir()).glob(f"{pdf.PROFILE_PREFIX}{finisher.process.pid}-*")
    )
    assert profiles == []  # its browser was closed, and its profile removed


@pytest.mark.browser
def test_a_dead_finisher_leaves_the_report_to_this_process(finisher, tmp_path: Path) -> None:
    nb, executed = executed_notebook(tmp_path)
    os.kill(finisher.process.pid, signal.SIGKILL)
    finisher.process.join()
    with pytest.raises(FinisherGone):
        finisher.finish(executed, tmp_path / "a.html", tmp_path / "a.pdf")
    html, out = tmp_path / "b.html", tmp_path / "b.pdf"
    try:
        _finish(nb, executed, html, out, finisher)  # as run_job does: made here instead
    finally:
        pdf.close_browser()
    assert "Resultat 1 271 696 kr" in html.read_text(encoding="utf-8")
    assert out.read_bytes().startswith(b"%PDF-")


def test_the_finisher_ignores_ctrl_c(finisher) -> None:
    os.kill(finisher.process.pid, signal.SIGINT)
    finisher.process.join(timeout=1)
    assert finisher.process.is_alive()  # the calling process decides what an interrupt stops


def test_a_failed_print_in_the_finisher_fails_the_report_with_its_reason(
    tmp_path: Path, monkeypatch
) -> None:
    stand_in = tmp_path / "chromium-stand-in"
    stand_in.write_text("#!/bin/sh\necho 'libnss3.so saknas' >&2\nexit 1\n", encoding="utf-8")
    stand_in.chmod(stand_in.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv(pdf.CHROMIUM_ENV, str(stand_in))
    started = Finisher.start()  # forked now: it sees the stand-in
    assert started is not None
    try:
        _, executed = executed_notebook(tmp_path)
        with pytest.raises(PdfError, match="Chromium avslutades oväntat.*libnss3.so saknas"):
            started.finish(executed, tmp_path / "a.html", tmp_path / "a.pdf")
    finally:
        started.close()
