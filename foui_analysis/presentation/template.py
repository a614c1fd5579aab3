"""Where the report template lives: the ``foui`` nbconvert template, its stylesheet and pages.

The report pages (:mod:`foui_analysis.presentation.notebook_html`) and the index page
(:mod:`foui_analysis.presentation.site`) share one template directory, so that the index looks
like the reports. The names are kept here, in a module that imports nothing heavy, so that
writing the index (after every published report) does not import nbconvert.
"""

from __future__ import annotations

from pathlib import Path

TEMPLATE_BASEDIR = Path(__file__).resolve().parents[1] / "templates"
"""Directory holding the ``foui`` nbconvert template."""

TEMPLATE_NAME = "foui"
"""The template's name: the subdirectory of :data:`TEMPLATE_BASEDIR` it is in."""
