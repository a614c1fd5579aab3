"""The index page of a report directory: every published report with title, period and date.

Method
------
The runner gathers one :class:`PublishedReport` per published report (from its
``provenance.json``); :func:`index_html` groups them by kind (follow-ups, evaluations, fees) in
that order, sorts each group by name, and renders ``reports_index.html.j2`` from the ``foui``
template directory with Jinja's autoescaping and the report stylesheet inlined, so the index is
one offline file that looks like the reports. Each report is linked as HTML and, when its PDF
was published beside it, as PDF. Links are relative (``uppfoljning-2015H1.html``)
so the directory can be copied or mailed as a whole. When every listed report was made from
example data, the example-data banner is shown on the index as well; otherwise each such report
carries an "exempeldata" tag.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from urllib.parse import quote

import jinja2
import markupsafe

from foui_analysis.presentation.formats import format_date, format_datetime
from foui_analysis.presentation.template import TEMPLATE_BASEDIR, TEMPLATE_NAME

KIND_HEADINGS = {
    "followup": "Uppföljningar",
    "evaluation": "Utvärdering",
    "fees": "Avgifter",
}
"""Section heading of each report kind, in the order they are listed."""

INDEX_TITLE = "Rapporter från FoUI Norrbotten"


@dataclass(frozen=True)
class PublishedReport:
    """What the index shows about one published report."""

    name: str
    title: str
    kind: str
    period_label: str | None
    created: dt.datetime
    example_data: bool = False
    has_pdf: bool = False
    older_code: bool = False
    """Made with other code than the installed (a closed period's report kept as published)."""


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_BASEDIR / TEMPLATE_NAME)),
        autoescape=True,
        trim_blocks=False,
    )


def stylesheet() -> str:
    """The report stylesheet (the same one the notebook template inlines)."""
    return (TEMPLATE_BASEDIR / TEMPLATE_NAME / "static" / "foui.css").read_text(encoding="utf-8")


def index_html(reports: list[PublishedReport], updated: dt.datetime | None = None) -> str:
    """Render the index page for ``reports``."""
    updated = updated or dt.datetime.now().astimezone()
    kinds = list(KIND_HEADINGS) + sorted({r.kind for r in reports} - set(KIND_HEADINGS))
    groups = []
    for kind in kinds:
        members = sorted((r for r in reports if r.kind == kind), key=lambda r: r.name)
        if members:
            groups.append(
                {
                    "heading": KIND_HEADINGS.get(kind, "Övriga rapporter"),
                    "reports": [
                        {
                            "href": quote(f"{r.name}.html"),
                            "pdf_href": quote(f"{r.name}.pdf") if r.has_pdf else None,
                            "title": r.title,
                            "period_label": r.period_label,
                            "status": (
                                "publicerad med äldre programkod" if r.older_code else "publicerad"
                            ),
                            "date": format_date(r.created),
                            "example_data": r.example_data,
                        }
                        for r in members
                    ],
                }
            )
    template = _environment().get_template("reports_index.html.j2")
    return template.render(
        title=INDEX_TITLE,
        css=markupsafe.Markup(stylesheet()),
        groups=groups,
        updated=format_datetime(updated),
        all_example=bool(reports) and all(r.example_data for r in reports),
    )
