"""Convert an executed report notebook to one self-contained Swedish HTML file.

Method
------
nbconvert's :class:`~nbconvert.exporters.HTMLExporter` renders the notebook with the template
``foui`` (``foui_analysis/templates/foui/``), which extends nbconvert's ``lab`` cell template but
writes its own page around the cells: ``<html lang="sv">``, the stylesheet inlined, a
Content-Security-Policy that forbids every network request and every script, no require.js,
MathJax, widgets or web fonts. Images are embedded as ``data:`` URIs.

Before rendering, :class:`FouiReportPreprocessor` (registered in the template's ``conf.json``,
so it runs with any exporter that uses the template) prepares the notebook:

1. drops what a reader must never see: cells tagged ``parameters`` or ``injected-parameters``,
   stderr streams (warnings), error outputs, JavaScript and widget outputs, and the key-figure
   outputs (mimetype :data:`~foui_analysis.presentation.report.KPI_MIMETYPE`);
2. takes the title from notebook metadata ``foui.title``, else from the first level-1 heading;
   that first heading is removed from the body because the page header shows the title;
3. builds the table of contents ("Innehåll") from the level-2 and level-3 headings of markdown
   cells and markdown outputs, using the anchors nbconvert gives the headings; the contents
   follow the first summary box (``.foui-summary``) when there is one, so the report leads
   with its conclusions, else they open the page;
4. passes ``foui.example_data`` (banner), ``foui.period_label`` and ``foui.provenance``
   (footer "Underlag och spårbarhet", with the time in Swedish format) to the template.

The exporter is also told to exclude inputs and prompts; the template drops them on its own
as well, so a bare ``HTMLExporter(template_name="foui")`` gives the same page.

Known limits
------------
Headings written as HTML inside outputs (rather than markdown) are not in the contents. Text in
``text/html`` outputs is trusted: it must come from the escaping helpers in
:mod:`foui_analysis.presentation.components` or ``DataFrame.to_html(escape=True)``. The
Content-Security-Policy is a second line of defence: a script that slipped through would
still not run.
"""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import nbformat
from nbconvert.exporters import HTMLExporter
from nbconvert.filters.markdown import markdown2html_mistune
from nbconvert.preprocessors import Preprocessor
from traitlets.config import Config

from foui_analysis.presentation.formats import format_datetime
from foui_analysis.presentation.report import KPI_MIMETYPE
from foui_analysis.presentation.template import TEMPLATE_BASEDIR, TEMPLATE_NAME

HIDDEN_TAGS = frozenset({"parameters", "injected-parameters", "remove_cell", "remove-cell"})
"""Cells with any of these tags are not shown."""

_DROPPED_MIMETYPES = frozenset(
    {
        KPI_MIMETYPE,
        "application/javascript",
        "application/vnd.jupyter.widget-view+json",
        "application/vnd.jupyter.widget-state+json",
    }
)
_H1 = re.compile(r"^#[ \t]+(?P<text>.+?)[ \t#]*$")
_FENCE = re.compile(r"^\s*(```|~~~)")

DEFAULT_TITLE = "Rapport"

APPENDIX_WORD = "Bilaga"
"""A level-2 heading that starts with this word opens the appendix (a new page in print)."""


def css_string(text: str) -> str:
    """``text`` as a double-quoted CSS string that is safe inside a ``<style>`` element."""
    out = []
    for char in text:
        if char in '"\\<>&' or ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\{ord(char):x} ")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


class _HeadingParser(HTMLParser):
    """Collect (level, id, text) of ``<h2>``/``<h3>`` elements, ignoring anchor links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[int, str, str]] = []
        self._current: tuple[int, str, list[str]] | None = None
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in ("h2", "h3") and attributes.get("id"):
            self._current = (int(tag[1]), attributes["id"] or "", [])
        elif self._current and tag == "a" and "anchor-link" in (attributes.get("class") or ""):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._skip:
            self._skip -= 1
        elif self._current and tag == f"h{self._current[0]}":
            level, anchor, parts = self._current
            text = " ".join("".join(parts).split())
            if text:
                self.headings.append((level, anchor, text))
            self._current = None

    def handle_data(self, data: str) -> None:
        if self._current and not self._skip:
            self._current[2].append(data)


def _headings(markdown: str) -> list[tuple[int, str, str]]:
    parser = _HeadingParser()
    parser.feed(markdown2html_mistune(markdown))
    return parser.headings


def _nest(headings: list[tuple[int, str, str]]) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    for level, anchor, text in headings:
        entry = {"id": anchor, "text": text, "children": []}
        if level == 3 and entries:
            entries[-1]["children"].append(entry)
        else:
            entries.append(entry)
    return entries


def _pop_first_h1(source: str) -> tuple[str | None, str]:
    """Return the text of the first ATX level-1 heading and the source without it."""
    lines = source.splitlines()
    fenced = False
    for i, line in enumerate(lines):
        if _FENCE.match(line):
            fenced = not fenced
        match = None if fenced else _H1.match(line)
        if match:
            return match["text"].strip(), "\n".join(lines[:i] + lines[i + 1 :]).strip("\n")
    return None, source


def _tags(cell: dict[str, Any]) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def _keep_output(output: dict[str, Any]) -> bool:
    kind = output.get("output_type")
    if kind == "error":
        return False
    if kind == "stream":
        return output.get("name") == "stdout"
    if kind in ("display_data", "execute_result"):
        return not _DROPPED_MIMETYPES.intersection(output.get("data", {}))
    return True


def _display_value(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "ja" if value else "nej"
    return str(value)


PARAMETER_LABELS = {
    "period": "Period",
    "year": "Avgiftsår",
    "first_year": "Första år",
    "last_year": "Sista år",
    "through_month": "Sista månaden det sista året",
    "data_dir": "Katalog med indata",
    "agreement": "Avtalsfil",
    "reference": "Katalog med referensdata",
    "published_dir": "Katalog med publicerade rapporter",
    "batch": "Körningens nummer",
}
"""The Swedish label of each notebook parameter in the appendix (others show their name)."""


def provenance_display(provenance: dict[str, Any]) -> dict[str, Any]:
    """Reshape a provenance record (see ``foui_analysis.runner.provenance``) for the footer."""
    created = provenance.get("created")
    report = provenance.get("report") or {}
    return {
        "created_display": format_datetime(created) if created else "okänd tidpunkt",
        "report_name": report.get("name"),
        "notebook": provenance.get("notebook", {}).get("path"),
        "example_data": bool(provenance.get("example_data")),
        "git_commit": provenance.get("git", {}).get("commit", "okänd"),
        "git_dirty": bool(provenance.get("git", {}).get("dirty")),
        "parameters": [
            {"name": k, "label": PARAMETER_LABELS.get(k, k), "value": _display_value(v)}
            for k, v in (provenance.get("parameters") or {}).items()
        ],
        "inputs": provenance.get("inputs") or [],
        "packages": [
            {"name": k, "version": v} for k, v in (provenance.get("packages") or {}).items()
        ],
    }


class FouiReportPreprocessor(Preprocessor):
    """Prepare an executed notebook for the ``foui`` template (see the module docstring)."""

    def preprocess(self, nb, resources):  # nbconvert's signature
        meta = dict(nb.metadata.get("foui") or {})
        nb.cells = [c for c in nb.cells if not HIDDEN_TAGS.intersection(_tags(c))]
        headings: list[tuple[int, str, str]] = []
        first_h1: str | None = None
        summary_cell = None
        appendix = False
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                if first_h1 is None:
                    first_h1, source = _pop_first_h1(cell.source)
                    cell.source = source
                found = _headings(cell.source)
                if not appendix and any(
                    level == 2 and text.startswith(APPENDIX_WORD) for level, _, text in found
                ):
                    cell.metadata["foui_appendix_start"] = appendix = True
                headings += found
            elif cell.cell_type == "code":
                cell.outputs = [o for o in cell.outputs if _keep_output(o)]
                for output in cell.outputs:
                    data = output.get("data", {})
                    if "text/markdown" in data and "text/html" not in data:
                        headings += _headings(data["text/markdown"])
                    if summary_cell is None and "foui-summary" in data.get("text/html", ""):
                        summary_cell = cell
        if summary_cell is not None:
            summary_cell.metadata["foui_toc_after"] = True
        provenance = meta.get("provenance")
        shown = provenance_display(provenance) if provenance else None
        title = meta.get("title") or first_h1 or DEFAULT_TITLE
        footer = " · ".join(
            part
            for part in (
                title,
                meta.get("period_label"),
                f"skapad {shown['created_display']}" if shown else None,
            )
            if part
        )
        resources["foui"] = {
            "title": title,
            "page_footer": css_string(footer),
            "appendix": appendix,
            "period_label": meta.get("period_label"),
            "example_data": bool(meta.get("example_data")),
            "toc": _nest(headings),
            "toc_after_cell": summary_cell is not None,
            "provenance": shown,
            "created_display": shown["created_display"] if shown else None,
        }
        return nb, resources


class ReportExporter(HTMLExporter):
    """nbconvert's HTMLExporter without its last pass over the finished page.

    ``HTMLExporter.from_notebook_node`` renders the template, then parses the whole page with
    BeautifulSoup to give images without alternative text an English placeholder and to make
    the input and output areas inside ``.jp-Notebook`` focusable, and writes the page out
    again: 0.08-0.16 s of CPU a report, measured on the example reports. The report template
    has no ``.jp-Notebook`` and no input areas, and every chart carries its Swedish alt text
    (:mod:`foui_analysis.presentation.charts`; an image without one would fail the
    accessibility tests), so the pass would change nothing a reader meets. The steps before it
    are nbconvert's own (nbconvert 7.16.5 to today). Where a future nbconvert no longer has
    them, the page is made by ``HTMLExporter`` itself.
    """

    def from_notebook_node(self, nb, resources=None, **kw):  # nbconvert's signature
        if not all(hasattr(self, name) for name in ("_init_resources", "_nb_metadata")):
            return super().from_notebook_node(nb, resources, **kw)
        from nbconvert.exporters.templateexporter import TemplateExporter
        from nbconvert.filters.highlight import Highlight2HTML
        from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

        language = nb.metadata.get("language_info", {})
        lexer = language.get("pygments_lexer", language.get("name", None))
        highlight_code = self.filters.get(
            "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)
        )
        resources = self._init_resources(resources)
        data_type = WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources
        )
        self.register_filter("highlight_code", highlight_code)
        self.register_filter("filter_data_type", data_type)
        return TemplateExporter.from_notebook_node(self, nb, resources, **kw)


@cache
def html_exporter() -> HTMLExporter:
    """The HTMLExporter configured for the ``foui`` template (one per process).

    The exporter is reused: its Jinja environment compiles the template once per process
    instead of once per report (about 0.3 s each). ``from_notebook_node`` keeps no state
    between calls (it copies the notebook and starts with fresh resources).
    """
    config = Config()
    config.HTMLExporter.exclude_input = True
    config.HTMLExporter.exclude_input_prompt = True
    config.HTMLExporter.exclude_output_prompt = True
    config.HTMLExporter.embed_images = True
    return ReportExporter(
        config=config,
        extra_template_basedirs=[str(TEMPLATE_BASEDIR)],
        template_name=TEMPLATE_NAME,
    )


def notebook_to_html(notebook: nbformat.NotebookNode | str | Path) -> str:
    """Render an executed notebook (object or path) as the report's HTML text."""
    node = (
        notebook
        if isinstance(notebook, nbformat.NotebookNode)
        else nbformat.read(str(notebook), as_version=4)
    )
    body, _ = html_exporter().from_notebook_node(node)
    return body
