"""Browser-test harness: a report page opened in the real headless Chromium, offline.

Importable as ``browserlib`` from every test package (tests/conftest.py puts tests/ on sys.path,
as tests/reports/conftest.py does for ``reportlib``).
"""

from __future__ import annotations

from pathlib import Path


class Visit:
    """A page opened from file:// with every other request aborted and recorded.

    Records the blocked requests, console errors, page errors and dialogs (dismissed), and
    the body text once the page has loaded. Close it with :meth:`close` or use it in ``with``.
    """

    def __init__(self, browser, path: Path, width: int = 1280):
        self.url = path.resolve().as_uri()
        self.blocked: list[str] = []
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.dialogs: list[str] = []
        self.context = browser.new_context(viewport={"width": width, "height": 900})
        self.page = self.context.new_page()
        self.page.route("**/*", self._route)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))
        self.page.on("dialog", self._dialog)
        self.page.goto(self.url, wait_until="load")
        self.page.wait_for_timeout(100)  # let late onerror handlers and timers fire
        self.text = self.page.locator("body").inner_text()

    def _route(self, route):
        url = route.request.url
        if url == self.url or url.startswith("data:"):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def _console(self, message):
        if message.type == "error":
            self.console_errors.append(message.text)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def close(self) -> None:
        """Close the page's browser context."""
        self.context.close()

    def __enter__(self) -> Visit:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
