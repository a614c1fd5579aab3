"""The A4 PDF of a report: the report's own HTML printed by headless Chromium.

Method
------
:func:`html_to_pdf` opens the finished report HTML (``file://``, offline: the page's
Content-Security-Policy forbids every request) in headless Chromium and prints it with
``Page.printToPDF``. Everything about the paper is in the report's stylesheet, so the PDF and a
reader's own "Skriv ut" from the browser look the same:

- ``@page`` sets A4 and the margins; its margin boxes print the running footer (report title,
  period and date made, set per report in the page's ``<head>``) and ``Sida 3 av 9``;
- table headers repeat on every page (``thead``), rows are never split, a heading is kept with
  what follows it (``break-after: avoid``), page one is the summary and the technical appendix
  (assumptions, provenance) starts on a page of its own;
- body text is at least 10 pt.

The PDF is tagged (a structure tree with headings, tables, lists and the document language,
``/MarkInfo /Marked true``, Chromium's ``generateTaggedPDF``) and has a document outline
(bookmarks from the headings). Chromium is driven with Playwright's synchronous API in a
thread of its own (so it works whether or not the calling thread runs an event loop or
another Playwright), started on first use (or ahead of it, by :func:`start_browser`, while the
notebook of the first report still runs; its page is opened then too, which took about 0.8 s
off a single report's print) and kept for the life of the process: a batch of reports pays
for starting the browser once. A process made by ``fork`` starts its own browser.
One page (in a context that is offline, without JavaScript) prints report after report: a
new page per report cost about 1 s more per report, twice the printing itself. Nothing of one
report can reach the next (a static file, no script, no network; the page is navigated to the
next file); after a failure the page is closed and the next report gets a new one.

The browser is Debian's ``chromium`` (or ``chromium-browser``, ``google-chrome``), found on
``PATH``, or the executable named in the environment variable ``FOUI_CHROMIUM``; nothing is
downloaded. The same PDF can be made from the command line with
``chromium --headless --no-pdf-header-footer --print-to-pdf=OUT.pdf REPORT.html``.

Why Chromium (measured on the example reports, see README): WeasyPrint 70 can write PDF/UA
and PDF/A, but needed 2-4 s of CPU per report here, against about 0.5 s for Chromium; the tests
already use this Chromium, so the PDF is checked with the engine that made it.

Known limits
------------
The PDF is tagged but not validated as PDF/UA-1, and it is not PDF/A (Chromium cannot write
PDF/A; archive copies would need a conversion step, for example with Ghostscript or veraPDF's
tools). Charts are PNG images with their alt text in the tags, not vector graphics.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import queue
import shutil
import threading
from concurrent.futures import Future
from pathlib import Path

CHROMIUM_ENV = "FOUI_CHROMIUM"
"""Environment variable naming the Chromium executable (else it is looked for on PATH)."""

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-dev-shm-usage"]

PDF_TIMEOUT_S = 120.0
"""Longest time one report may take to print before it counts as failed."""


class PdfError(Exception):
    """A PDF that could not be made; the message says why, in Swedish."""


def chromium_path() -> str:
    """The Chromium executable to print with (``FOUI_CHROMIUM`` or the first one on PATH)."""
    named = os.environ.get(CHROMIUM_ENV, "").strip()
    if named:
        if not (Path(named).is_file() and os.access(named, os.X_OK)):
            raise PdfError(f"{CHROMIUM_ENV} pekar på {named}, som inte är ett körbart program")
        return named
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise PdfError(
        "Chromium hittades inte, så PDF:en kan inte göras; installera paketet chromium "
        f"eller ange programmets sökväg i miljövariabeln {CHROMIUM_ENV}"
    )


class _Printer:
    """A thread that owns one Playwright and one headless Chromium, and prints on request."""

    def __init__(self, executable: str) -> None:
        self.executable = executable
        self.jobs: queue.Queue[tuple[Path, Path, Future] | None] = queue.Queue()
        self.ready: Future = Future()
        self.thread = threading.Thread(target=self._run, name="foui-pdf", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        from playwright.sync_api import sync_playwright

        try:
            playwright = sync_playwright().start()
            browser = playwright.chromium.launch(
                executable_path=self.executable, args=CHROMIUM_ARGS
            )
        except BaseException as exc:
            self.ready.set_exception(exc)
            return
        self.ready.set_result(True)
        page = None
        with contextlib.suppress(Exception):  # else made (and its failure reported) on first use
            page = self._new_page(browser)  # ahead of the first report, while it is being made
        try:
            while (job := self.jobs.get()) is not None:
                html_path, pdf_path, done = job
                try:
                    if page is None:
                        page = self._new_page(browser)
                    done.set_result(self._print(page, html_path, pdf_path))
                except BaseException as exc:
                    done.set_exception(exc)  # first: a failing close must not leave it waiting
                    if page is not None:
                        with contextlib.suppress(Exception):  # a crashed browser's page
                            page.context.close()
                        page = None  # the next report gets a new page
        finally:
            try:
                browser.close()
            finally:
                playwright.stop()

    @staticmethod
    def _new_page(browser):
        context = browser.new_context(offline=True, java_script_enabled=False)
        return context.new_page()

    @staticmethod
    def _print(page, html_path: Path, pdf_path: Path) -> Path:
        page.goto(html_path.resolve().as_uri(), wait_until="load")
        page.pdf(
            path=str(pdf_path),
            prefer_css_page_size=True,
            print_background=True,
            tagged=True,
            outline=True,
        )
        return pdf_path

    def print(self, html_path: Path, pdf_path: Path) -> Path:
        try:
            self.ready.result(timeout=PDF_TIMEOUT_S)
        except Exception as exc:
            raise PdfError(f"Chromium kunde inte startas: {exc}") from exc
        done: Future = Future()
        self.jobs.put((html_path, pdf_path, done))
        return done.result(timeout=PDF_TIMEOUT_S)

    def close(self) -> None:
        self.jobs.put(None)
        self.thread.join(timeout=30)


_lock = threading.Lock()
_printer: _Printer | None = None
_printer_pid: int | None = None


def _get_printer() -> _Printer:
    """This process's printer, started now if it has none (the browser starts in its thread)."""
    global _printer, _printer_pid
    with _lock:
        if _printer is None or _printer_pid != os.getpid() or not _printer.thread.is_alive():
            # After fork the parent's thread does not exist here: start this process's own.
            _printer = _Printer(chromium_path())
            _printer_pid = os.getpid()
        return _printer


def start_browser() -> None:
    """Start this process's browser now, without waiting for it, so that it is up when the
    first report is printed; a browser that cannot be started is reported by that print."""
    with contextlib.suppress(PdfError):
        _get_printer()


def html_to_pdf(html_path: str | Path, pdf_path: str | Path) -> Path:
    """Print the report ``html_path`` to the A4 PDF ``pdf_path`` (see the module docstring)."""
    html_path, pdf_path = Path(html_path), Path(pdf_path)
    if not html_path.is_file():
        raise PdfError(f"{html_path} finns inte")
    try:
        return _get_printer().print(html_path, pdf_path)
    except PdfError:
        raise
    except Exception as exc:
        raise PdfError(f"PDF:en av {html_path.name} kunde inte göras: {exc}") from exc


def close_browser() -> None:
    """Close this process's browser, if it started one (also done at exit)."""
    global _printer
    with _lock:
        if _printer is not None and _printer_pid == os.getpid():
            _printer.close()
        _printer = None


atexit.register(close_browser)
