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
(bookmarks from the headings).

Chromium is driven directly over its DevTools pipe (``--remote-debugging-pipe``: the DevTools
protocol as JSON messages on file descriptors 3 and 4), with four commands: open a page
(``Target.createTarget``), go to the report (``Page.navigate``, then its ``load`` lifecycle
event), and ``Page.printToPDF`` with the parameters Playwright's ``page.pdf`` sends (A4 from the
stylesheet, backgrounds, no margins of its own, tagged, outline). No Node.js driver runs between
the two: Playwright's cost about 0.8 s of CPU to start in every process that prints and a thread
in the report's own process; measured, that was a second of a single report's 7 s. The browser
is started on first use, or ahead of it by :func:`start_browser` while the first notebook runs:
starting it only spawns the process, and the command that opens its page is sent at once, so
Chromium comes up on the other core while the report is being made. It is kept for the life of
the process (a batch pays for starting it once); a process made by ``fork`` starts its own.
One page (without JavaScript, offline) prints report after report; nothing of one report can
reach the next (a static file, no script, no network; the page is navigated to the next file).
If Chromium dies, hangs past :data:`PDF_TIMEOUT_S` or answers with an error, that report fails
with :class:`PdfError`, the browser is stopped, and the next report starts a new one. When
this process ends, Chromium sees its pipe close and ends too.

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
import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import signal
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

CHROMIUM_ENV = "FOUI_CHROMIUM"
"""Environment variable naming the Chromium executable (else it is looked for on PATH)."""

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--remote-debugging-pipe",
    "--no-startup-window",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-sync",
    "--disable-breakpad",
    "--metrics-recording-only",
    "--password-store=basic",
    "--use-mock-keychain",
    "--force-color-profile=srgb",
    "--hide-scrollbars",
    "--mute-audio",
    "--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup",
]
"""Chromium's switches: headless, the DevTools pipe, and no background work of a desktop
browser (the switches Playwright's launch adds for the same reasons). The last one stops
Chromium from preloading its address bar's pop-up (two ``chrome://omnibox-popup`` pages in a
renderer of their own), which a browser without windows never shows: with Chromium 156 that
preload was 1.1-1.4 s of the 1.9-2.2 s of CPU a start took. Older versions ignore the names."""

PRINT_PARAMETERS = {
    "landscape": False,
    "displayHeaderFooter": False,
    "printBackground": True,
    "scale": 1,
    "paperWidth": 8.5,
    "paperHeight": 11,
    "marginTop": 0,
    "marginBottom": 0,
    "marginLeft": 0,
    "marginRight": 0,
    "preferCSSPageSize": True,
    "generateTaggedPDF": True,
    "generateDocumentOutline": True,
}
"""``Page.printToPDF``'s parameters: the page size and margins come from the stylesheet's
``@page`` (the paper size here applies only to a page without one)."""

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


PROFILE_PREFIX = "foui-chromium-"
"""Chromium's profile is a new temporary directory ``foui-chromium-PID-*``, removed when the
browser is closed."""


def _sweep_profiles() -> None:
    """Remove the profiles of processes that ended without closing their browser (killed)."""
    for path in Path(tempfile.gettempdir()).glob(f"{PROFILE_PREFIX}*-*"):
        owner = path.name.removeprefix(PROFILE_PREFIX).split("-", 1)[0]
        if not owner.isdigit() or int(owner) == os.getpid():
            continue
        try:
            os.kill(int(owner), 0)
        except ProcessLookupError:
            shutil.rmtree(path, ignore_errors=True)
        except OSError:
            pass  # alive, or not ours to ask about


def _high_fd(fd: int) -> int:
    """``fd`` moved to a number above 4 (close-on-exec), so that mapping the pipe's two ends
    onto 3 and 4 in the child never maps a descriptor onto itself."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return moved


class _Browser:
    """One headless Chromium process and its DevTools pipe, with one page that prints."""

    def __init__(self, executable: str) -> None:
        _sweep_profiles()
        self.profile = tempfile.mkdtemp(prefix=f"{PROFILE_PREFIX}{os.getpid()}-")
        self.log = Path(self.profile) / "chromium-stderr.log"  # named in an error
        to_chromium, ours_out = (_high_fd(fd) for fd in os.pipe())
        ours_in, from_chromium = (_high_fd(fd) for fd in os.pipe())
        try:
            self.pid = os.posix_spawn(
                executable,
                [executable, *CHROMIUM_ARGS, f"--user-data-dir={self.profile}"],
                os.environ,
                file_actions=[
                    (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                    (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
                    (os.POSIX_SPAWN_OPEN, 2, str(self.log), os.O_WRONLY | os.O_CREAT, 0o600),
                    (os.POSIX_SPAWN_DUP2, to_chromium, 3),
                    (os.POSIX_SPAWN_DUP2, from_chromium, 4),
                ],
                setpgroup=0,  # a group of its own: closing it ends every Chromium process
            )
        except OSError as exc:
            for fd in (to_chromium, ours_out, ours_in, from_chromium):
                os.close(fd)
            shutil.rmtree(self.profile, ignore_errors=True)
            raise PdfError(f"Chromium ({executable}) kunde inte startas: {exc}") from exc
        os.close(to_chromium)
        os.close(from_chromium)
        self.writer, self.reader = ours_out, ours_in
        self.buffer = b""
        self.serial = 0
        self.replies: dict[int, dict] = {}
        self.loaded: set[str] = set()
        self.session: str | None = None
        # Sent now, answered when the first report is printed: Chromium opens its page while
        # the notebook runs.
        self.page_request = self._send("Target.createTarget", {"url": "about:blank"})

    # The protocol: one JSON object per message, each ended by a NUL byte.

    def _send(self, method: str, params: dict | None = None, session: str | None = None) -> int:
        self.serial += 1
        message: dict[str, Any] = {"id": self.serial, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        try:
            while data:
                data = data[os.write(self.writer, data) :]
        except OSError as exc:
            raise PdfError(f"Chromium avslutades oväntat{self._last_words()} ({exc})") from exc
        return self.serial

    def _receive(self, deadline: float) -> None:
        """Read one message (waiting until ``deadline``) and file it: a reply by its id, a
        page's ``load`` by the navigation it ends."""
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.reader], [], [], left)[0]:
                raise PdfError(f"Chromium svarade inte inom {PDF_TIMEOUT_S:.0f} s")
            chunk = os.read(self.reader, 1 << 20)
            if not chunk:
                raise PdfError("Chromium avslutades oväntat" + self._last_words())
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        message = json.loads(raw)
        if "id" in message:
            self.replies[message["id"]] = message
        elif message.get("method") == "Page.lifecycleEvent":
            event = message.get("params") or {}
            if event.get("name") == "load":
                self.loaded.add(event.get("loaderId", ""))

    def _last_words(self) -> str:
        """Chromium's last line on standard error (its D-Bus complaints aside), for a message."""
        with contextlib.suppress(OSError):
            lines = self.log.read_text(encoding="utf-8", errors="replace").splitlines()
            said = [line for line in lines if line.strip() and "dbus" not in line.lower()]
            if said:
                return f" ({said[-1].strip()[-300:]})"
        return ""

    def _reply(self, serial: int, deadline: float) -> dict:
        while serial not in self.replies:
            self._receive(deadline)
        reply = self.replies.pop(serial)
        if "error" in reply:
            error = reply["error"]
            raise PdfError(f"Chromium: {error.get('message', error)}")
        return reply.get("result") or {}

    def _call(self, method: str, params: dict, deadline: float, session: str | None = None):
        return self._reply(self._send(method, params, session), deadline)

    def _open_page(self, deadline: float) -> str:
        target = self._reply(self.page_request, deadline)["targetId"]
        session = self._call(
            "Target.attachToTarget", {"targetId": target, "flatten": True}, deadline
        )["sessionId"]
        for method, params in (
            ("Page.enable", {}),
            ("Page.setLifecycleEventsEnabled", {"enabled": True}),
            ("Emulation.setScriptExecutionDisabled", {"value": True}),
            ("Network.enable", {}),
            (
                "Network.emulateNetworkConditions",
                {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
            ),
        ):
            self._call(method, params, deadline, session)
        return session

    def print(self, html_path: Path, pdf_path: Path) -> Path:
        deadline = time.monotonic() + PDF_TIMEOUT_S
        if self.session is None:
            self.session = self._open_page(deadline)
        session = self.session
        navigated = self._call(
            "Page.navigate", {"url": html_path.resolve().as_uri()}, deadline, session
        )
        if navigated.get("errorText"):
            raise PdfError(f"Chromium kunde inte öppna {html_path.name}: {navigated['errorText']}")
        loader = navigated.get("loaderId", "")
        while loader not in self.loaded:
            self._receive(deadline)
        self.loaded.clear()
        printed = self._call("Page.printToPDF", PRINT_PARAMETERS, deadline, session)
        pdf_path.write_bytes(base64.b64decode(printed["data"]))
        return pdf_path

    def close(self) -> None:
        """End Chromium and every process it started, at once, and remove its profile.

        Not ``Browser.close``: a graceful shutdown took 0.4-0.6 s, at the end of every
        single report, and nothing of a throwaway profile needs saving.
        """
        for fd in (self.writer, self.reader):
            with contextlib.suppress(OSError):
                os.close(fd)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        for _ in range(50):  # a process of the group may still be writing for a moment
            shutil.rmtree(self.profile, ignore_errors=True)
            if not os.path.exists(self.profile):
                break
            time.sleep(0.02)


_lock = threading.RLock()
_browser: _Browser | None = None
_browser_pid: int | None = None


def _get_browser() -> _Browser:
    """This process's browser, started now if it has none (call with ``_lock`` held)."""
    global _browser, _browser_pid
    if _browser is None or _browser_pid != os.getpid():
        # After fork the parent's browser belongs to the parent: start this process's own.
        _browser = _Browser(chromium_path())
        _browser_pid = os.getpid()
    return _browser


def start_browser() -> None:
    """Start this process's browser now, without waiting for it, so that it is up when the
    first report is printed; a browser that cannot be started is reported by that print."""
    with _lock, contextlib.suppress(PdfError):
        _get_browser()


def prepare_browser() -> None:
    """Start this process's browser and open its page now, waiting until it is ready, so that
    the first print does not wait for either; a failure is left for that print to report."""
    with _lock, contextlib.suppress(Exception):
        browser = _get_browser()
        if browser.session is None:
            browser.session = browser._open_page(time.monotonic() + PDF_TIMEOUT_S)


def html_to_pdf(html_path: str | Path, pdf_path: str | Path) -> Path:
    """Print the report ``html_path`` to the A4 PDF ``pdf_path`` (see the module docstring)."""
    html_path, pdf_path = Path(html_path), Path(pdf_path)
    if not html_path.is_file():
        raise PdfError(f"{html_path} finns inte")
    with _lock:
        try:
            return _get_browser().print(html_path, pdf_path)
        except PdfError as exc:
            _stop_after_failure()
            raise PdfError(f"PDF:en av {html_path.name} kunde inte göras: {exc}") from None
        except Exception as exc:
            _stop_after_failure()
            raise PdfError(f"PDF:en av {html_path.name} kunde inte göras: {exc}") from exc


def _stop_after_failure() -> None:
    """A browser that failed once is not trusted with the next report: stop it."""
    global _browser
    if _browser is not None and _browser_pid == os.getpid():
        _browser.close()
    _browser = None


def close_browser() -> None:
    """Close this process's browser, if it started one (also done at exit)."""
    global _browser
    with _lock:
        if _browser is not None and _browser_pid == os.getpid():
            _browser.close()
        _browser = None


atexit.register(close_browser)
