"""HTML building blocks for report notebooks: tables, key-figure cards, goal status, summary.

Method
------
Each helper returns :class:`Html`, a :class:`markupsafe.Markup` that Jupyter displays as HTML
(it has ``_repr_html_``), so a notebook cell can end with ``html_table(df)`` and nothing else.
Markup escapes by construction: the helpers put text that comes from data (cell values, column
names, labels, titles, captions) into their HTML with ``Html("<p>{}</p>").format(text)``,
``Html("").join(...)`` or ``+``, which escape every value that is not already :class:`Html`, so
a project title such as ``<script>alert(1)</script>`` shows as that text and never runs.
Callers never pass HTML in, only text; the one exception is concatenating two :class:`Html`
values with :func:`join_html`.

The look (colours, spacing, print rules) lives in the report template's stylesheet
(``foui_analysis/templates/foui/static/foui.css``); these helpers only set class names:

- ``table.foui-table`` with ``td.num`` for right-aligned numeric columns;
- ``div.foui-kpis`` holding ``div.foui-kpi`` cards (value, label, optional note);
- ``span.foui-status.status-uppnatt|status-delvis|status-ej`` whose text is the Swedish word
  (uppnått / delvis uppnått / ej uppnått), so the meaning never depends on colour alone;
- ``section.foui-summary`` for the summary that opens every report.

Known limits
------------
A table is rendered whole; very wide tables scroll sideways on a phone and may be cut on A4
paper, so reports should keep tables narrow (at most about seven columns).
"""

from __future__ import annotations

import enum
import functools
import html
import numbers
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd
from markupsafe import Markup

from foui_analysis.presentation.formats import Formatter, format_frame


class Html(Markup):
    """HTML that is safe to show (a :class:`markupsafe.Markup`): text put into it is escaped.

    ``Html("<p>{}</p>").format(text)``, ``Html("").join(texts)`` and ``html + text`` escape
    ``text`` unless it is Html already. Escaping is :func:`html.escape`'s (``&quot;`` and
    ``&#x27;`` for quotes, where markupsafe writes ``&#34;`` and ``&#39;``), so the reports' HTML
    is the same as before Markup.

    Shown by a person in JupyterLab, it brings the components' stylesheet along
    (``templates/foui/static/jupyterlab.css``), so cards and tables look as in the report;
    under the runner or papermill it is the bare HTML, styled by the report's template.
    """

    __slots__ = ()

    @classmethod
    def escape(cls, s: Any, /) -> Html:
        if hasattr(s, "__html__"):
            return cls(s.__html__())
        return cls(html.escape(str(s), quote=True))

    def _repr_html_(self) -> str:
        from foui_analysis.jupyter import interactive

        if interactive():
            return f"<style>{_jupyterlab_css()}</style>{self}"
        return str(self)


@dataclass(frozen=True)
class Cell:
    """Safe markup for one table cell (a status badge, a flag).

    Not a ``str``: pandas would turn a ``str`` subclass into a plain string column and the
    markup would then be escaped as text. :func:`html_table` shows a Cell as its markup.
    """

    html: Html
    numeric: bool = False
    """A number (with markup): the column is right-aligned like other numeric columns."""

    def __str__(self) -> str:
        return str(self.html)


@functools.cache
def _jupyterlab_css() -> str:
    from pathlib import Path

    css = Path(__file__).parent.parent / "templates" / "foui" / "static" / "jupyterlab.css"
    return css.read_text(encoding="utf-8")


def join_html(*parts: Html) -> Html:
    """Concatenate helper outputs into one block (only :class:`Html`, never raw strings)."""
    for part in parts:
        if not isinstance(part, Html):
            raise TypeError("join_html only joins Html values; escape text with a helper first")
    return Html("\n").join(parts)


def _is_numeric(series: pd.Series) -> bool:
    if pd.api.types.is_bool_dtype(series):
        return False
    if pd.api.types.is_numeric_dtype(series):
        return True
    values = series.dropna().tolist()
    return bool(values) and all(
        (isinstance(v, numbers.Real | Decimal) and not isinstance(v, bool))
        or (isinstance(v, Cell) and v.numeric)
        for v in values
    )


def _escaped(value: Any) -> str:
    """``value`` as :meth:`Html.format` puts it into markup: Html as it is, anything else as
    escaped text."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value), quote=True)


def html_table(
    frame: pd.DataFrame,
    formatters: Mapping[str, Formatter] | None = None,
    *,
    caption: str | None = None,
    index: bool = False,
    total_rows: int = 0,
    row_headers: bool = False,
) -> Html:
    """Render ``frame`` as an escaped HTML table with Swedish formats.

    ``formatters`` maps column names to formatters as in
    :func:`~foui_analysis.presentation.formats.format_frame`. Numeric columns are right-aligned.
    With ``index=True`` the index is shown as the first column (its name as the header).

    The table is wrapped in a labelled, keyboard-focusable region (``role="region"``,
    ``tabindex="0"``, named by the caption) that scrolls sideways when a narrow screen cannot
    show the whole table; the stylesheet gives it a visible shadow at the edge that hides
    columns. ``caption`` names the table for screen readers and in print (every report table
    should have one). The last ``total_rows`` rows are totals: they go in ``<tfoot>`` with
    their first cell a row header. ``row_headers=True`` makes the first cell of every row a
    row header (``<th scope="row">``).
    """
    if index:
        frame = frame.reset_index()
    if total_rows < 0 or total_rows > len(frame):
        raise ValueError(f"total_rows must be between 0 and {len(frame)}, got {total_rows}")
    shown = format_frame(frame, formatters)
    numeric = [_is_numeric(frame[c]) for c in frame.columns]
    classes = [Html(' class="num"') if num else Html() for num in numeric]
    head = Html("").join(
        Html('<th scope="col"{}>{}</th>').format(cls, col)
        for col, cls in zip(frame.columns, classes, strict=True)
    )
    rows: list[Html] = []
    for raw, values in zip(
        frame.itertuples(index=False, name=None),
        shown.itertuples(index=False, name=None),
        strict=True,
    ):
        is_total = len(rows) >= len(frame) - total_rows
        cells = []
        for position, (o, v, cls) in enumerate(zip(raw, values, classes, strict=True)):
            # A Cell (status badge, flag) is safe markup already; every other value is escaped
            # (as Html.format would: the cells are many, and this is the cheap way to write it).
            content = str(o.html) if isinstance(o, Cell) else _escaped(v)
            if position == 0 and (is_total or row_headers):
                cells.append(f'<th scope="row"{cls}>{content}</th>')
            else:
                cells.append(f"<td{cls}>{content}</td>")
        rows.append(Html("<tr>" + "".join(cells) + "</tr>"))
    body, foot = rows[: len(rows) - total_rows], rows[len(rows) - total_rows :]
    caption_html = Html("<caption>{}</caption>").format(caption) if caption else Html()
    foot_html = (
        Html('<tfoot class="foui-total">{}</tfoot>').format(Html("").join(foot)) if foot else Html()
    )
    return Html(
        '<div class="foui-table-wrap" role="region" tabindex="0" aria-label="{label}">'
        '<table class="foui-table">{caption}<thead><tr>{head}</tr></thead>'
        "<tbody>{body}</tbody>{foot}</table></div>"
    ).format(
        label=caption or "Tabell",
        caption=caption_html,
        head=head,
        body=Html("").join(body),
        foot=foot_html,
    )


@dataclass(frozen=True)
class Kpi:
    """One key figure: an already formatted value, its label and an optional note."""

    label: str
    value: str
    note: str | None = None


def kpi_cards(cards: Mapping[str, str] | Iterable[Kpi | tuple[str, str]]) -> Html:
    """Key-figure cards: ``kpi_cards({"Deltagare": format_int(1234)})``.

    Values must already be formatted strings (this is presentation, not computation).
    """
    items = cards.items() if isinstance(cards, Mapping) else cards
    parts = []
    for item in items:
        kpi = item if isinstance(item, Kpi) else Kpi(*item)
        note = Html('<span class="foui-kpi-note">{}</span>').format(kpi.note) if kpi.note else ""
        parts.append(
            Html(
                '<div class="foui-kpi"><span class="foui-kpi-value">{}</span>'
                '<span class="foui-kpi-label">{}</span>{}</div>'
            ).format(kpi.value, kpi.label, note)
        )
    return Html('<div class="foui-kpis">{}</div>').format(Html("").join(parts))


STATUS_WORDS = {
    "uppnatt": "uppnått",
    "delvis": "delvis uppnått",
    "ej": "ej uppnått",
    "na": "ej mätbart",
}
"""CSS class suffix → the word the reader sees."""

_STATUS_ALIASES = {
    "uppnatt": "uppnatt",
    "uppnått": "uppnatt",
    "delvis": "delvis",
    "delvis uppnått": "delvis",
    "delvis_uppnatt": "delvis",
    "ej": "ej",
    "ej uppnått": "ej",
    "ej_uppnatt": "ej",
    "ej mätbart": "na",
    "ej_matbart": "na",
    "na": "na",
}


def status_key(status: object) -> str:
    """Normalise a goal status (Swedish word, class suffix, or an enum of them) to its key."""
    raw = status.value if isinstance(status, enum.Enum) else status
    key = _STATUS_ALIASES.get(str(raw).strip().lower())
    if key is None:
        known = ", ".join(STATUS_WORDS.values())
        raise ValueError(f"unknown goal status {status!r}; expected one of: {known}")
    return key


def status_badge(status: object) -> Html:
    """Goal status in words and colour: ``<span class="foui-status status-delvis">…``."""
    key = status_key(status)
    return Html('<span class="foui-status status-{}">{}</span>').format(key, STATUS_WORDS[key])


def status_cell(status: object) -> Cell:
    """A status badge for a table cell (see :class:`Cell`)."""
    return Cell(status_badge(status))


def summary_box(points: Iterable[str], title: str = "Sammanfattning") -> Html:
    """The summary that opens a report: a heading and a list of plain-text conclusions."""
    items = Html("").join(Html("<li>{}</li>").format(p) for p in points)
    return Html(
        '<section class="foui-summary" aria-label="{title}">'
        '<p class="foui-summary-title">{title}</p><ul>{items}</ul></section>'
    ).format(title=title, items=items)


def paragraph(text: str) -> Html:
    """A paragraph of plain text from data (for example a committee comment), escaped."""
    return Html("<p>{}</p>").format(text)
