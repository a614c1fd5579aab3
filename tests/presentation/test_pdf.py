"""The PDF printer: Chromium over its DevTools pipe, and what happens when Chromium fails.

The real Chromium prints a tiny page (marker ``browser``); stand-in executables (a program that
exits at once, one that never answers) play a broken Chromium.
"""

from __future__ import annotations

import os
import signal
import stat
import tempfile
from pathlib import Path

import pytest

from foui_analysis.presentation import pdf

PAGE = """<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>Prov</title>
<style>@page { size: A4; margin: 20mm; } body { font-size: 11pt; }</style></head>
<body><h1>Uppföljning</h1><h2>Ekonomi</h2>
<table><thead><tr><th>Område</th><th>Kronor</th></tr></thead>
<tbody><tr><td>Personal</td><td>1 271 696</td></tr></tbody></table></body></html>
"""


@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / "rapport.html"
    path.write_text(PAGE, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def own_browser():
    """Each test starts from no browser and leaves none behind."""
    pdf.close_browser()
    yield
    pdf.close_browser()


def stand_in(tmp_path: Path, body: str) -> str:
    """An executable shell script that plays Chromium."""
    script = tmp_path / "chromium-stand-in"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


@pytest.mark.browser
def test_prints_a_tagged_a4_pdf_with_an_outline(page: Path, tmp_path: Path) -> None:
    import pdfplumber

    out = pdf.html_to_pdf(page, tmp_path / "rapport.pdf")
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    assert b"/StructTreeRoot" in data and b"/Outlines" in data
    with pdfplumber.open(out) as document:
        first = document.pages[0]
        assert (round(first.width), round(first.height)) == (595, 842)  # A4 in points
        text = first.extract_text()
    assert "Uppföljning" in text and "1 271 696" in text


@pytest.mark.browser
def test_one_browser_prints_report_after_report(page: Path, tmp_path: Path) -> None:
    pdf.html_to_pdf(page, tmp_path / "a.pdf")
    browser = pdf._browser
    pdf.html_to_pdf(page, tmp_path / "b.pdf")
    assert pdf._browser is browser
    assert (tmp_path / "b.pdf").read_bytes().startswith(b"%PDF-")


@pytest.mark.browser
def test_a_browser_that_died_fails_one_report_and_the_next_gets_a_new_one(
    page: Path, tmp_path: Path
) -> None:
    pdf.html_to_pdf(page, tmp_path / "a.pdf")
    dead = pdf._browser
    os.kill(dead.pid, signal.SIGKILL)
    with pytest.raises(pdf.PdfError, match="rapport.html kunde inte göras"):
        pdf.html_to_pdf(page, tmp_path / "b.pdf")
    assert not Path(dead.profile).exists()  # stopped and cleaned up after the failure
    pdf.html_to_pdf(page, tmp_path / "c.pdf")
    assert pdf._browser is not dead
    assert (tmp_path / "c.pdf").read_bytes().startswith(b"%PDF-")


@pytest.mark.browser
def test_closing_removes_the_profile_and_ends_chromium(page: Path, tmp_path: Path) -> None:
    pdf.html_to_pdf(page, tmp_path / "a.pdf")
    browser = pdf._browser
    pdf.close_browser()
    assert not Path(browser.profile).exists()
    with pytest.raises(ChildProcessError):  # already reaped: no zombie, no orphan
        os.waitpid(browser.pid, os.WNOHANG)


def test_a_chromium_that_exits_at_once_is_named_with_its_last_words(
    page: Path, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv(pdf.CHROMIUM_ENV, stand_in(tmp_path, "echo 'libnss3.so saknas' >&2; exit 1"))
    with pytest.raises(pdf.PdfError) as caught:
        pdf.html_to_pdf(page, tmp_path / "rapport.pdf")
    message = str(caught.value)
    assert "rapport.html kunde inte göras" in message
    assert "Chromium avslutades oväntat" in message and "libnss3.so saknas" in message
    assert not (tmp_path / "rapport.pdf").exists()


def test_a_chromium_that_never_answers_times_out_and_is_stopped(
    page: Path, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv(pdf.CHROMIUM_ENV, stand_in(tmp_path, "exec sleep 60"))
    monkeypatch.setattr(pdf, "PDF_TIMEOUT_S", 0.5)
    pdf.start_browser()
    pid = pdf._browser.pid
    with pytest.raises(pdf.PdfError, match="svarade inte inom"):
        pdf.html_to_pdf(page, tmp_path / "rapport.pdf")
    with pytest.raises(ChildProcessError):  # killed and reaped
        os.waitpid(pid, os.WNOHANG)


def test_a_chromium_setting_that_is_not_a_program_is_named(
    page: Path, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv(pdf.CHROMIUM_ENV, str(tmp_path / "finns-inte"))
    with pytest.raises(pdf.PdfError, match=f"{pdf.CHROMIUM_ENV} pekar på .*finns-inte"):
        pdf.html_to_pdf(page, tmp_path / "rapport.pdf")


def test_a_missing_page_is_refused_before_any_browser_starts(tmp_path: Path) -> None:
    with pytest.raises(pdf.PdfError, match="finns inte"):
        pdf.html_to_pdf(tmp_path / "saknas.html", tmp_path / "saknas.pdf")
    assert pdf._browser is None


def test_profiles_left_by_killed_processes_are_swept(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(pdf.CHROMIUM_ENV, stand_in(tmp_path, "exec sleep 60"))
    root = Path(tempfile.gettempdir())
    dead_pid = 2**22 + 12345  # above Linux's largest pid: no such process
    left = root / f"{pdf.PROFILE_PREFIX}{dead_pid}-kvar"
    alive = root / f"{pdf.PROFILE_PREFIX}{os.getppid()}-lever"
    left.mkdir()
    alive.mkdir()
    try:
        pdf.start_browser()
        assert not left.exists()
        assert alive.exists()  # a running process's profile is left alone
    finally:
        for path in (left, alive):
            if path.exists():
                path.rmdir()
