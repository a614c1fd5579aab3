"""Errors the runner raises with a message meant for the person who ran the command."""

from __future__ import annotations

from pathlib import Path


class ReportError(Exception):
    """A report could not be made. ``str(error)`` is the user message (Swedish).

    ``report`` names the report, ``aside_path`` is where the failed run's executed notebook was
    kept (``OUT/.misslyckade/…``), when there is one.
    """

    def __init__(self, message: str, *, report: str | None = None, aside_path: Path | None = None):
        super().__init__(message)
        self.report = report
        self.aside_path = aside_path

    @property
    def message(self) -> str:
        return str(self)


class ReportInterrupted(ReportError):
    """The run was interrupted (Ctrl-C or SIGTERM); nothing published was changed."""
