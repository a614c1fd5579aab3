"""Presentation: everything a report reader sees, in Swedish, and nothing that computes.

Public API
----------
Formats (:mod:`.formats`)::

    format_sek(amount: int | Decimal, decimals: int = 0) -> str      # "1 247 180 kr"
    format_number(value, decimals: int | None = None) -> str        # "1 234,5"
    format_int(value) -> str                                        # "12 345"
    format_count(1, "budgetrad", "budgetrader") -> str              # "1 budgetrad"
    format_pct(value, decimals: int = 1) -> str                     # "12,5 %"
    format_date(date | str) -> str                                  # "27 november 2026"
    format_datetime(datetime | str) -> str                          # "27 november 2026 kl. 10:05"
    format_period("2015H1") -> str                                  # "första halvåret 2015"
    format_years(2014, 2016) -> str                                 # "2014–2016"
    format_frame(df, formatters: Mapping[str, Callable]) -> DataFrame of str

HTML blocks for notebooks (:mod:`.components`), text always escaped, results display as HTML::

    html_table(df, formatters=None, *, caption=None, index=False) -> Html
    kpi_cards({"Deltagare": "1 234"} | [Kpi(label, value, note)]) -> Html
    status_badge("uppnått" | "delvis uppnått" | "ej uppnått") -> Html
    summary_box(points: Iterable[str], title="Sammanfattning") -> Html
    paragraph(text) -> Html;  join_html(*html) -> Html

Charts (:mod:`.charts`, imports matplotlib on first use)::

    new_figure(width_in=7.0, height_in=3.8) -> Figure
    figure_html(fig, alt: str, caption: str | None = None) -> Html

Report plumbing::

    emit_kpis(mapping)                          # .report: collected by the runner into kpis.json
    notebook_to_html(nb | path) -> str          # .notebook_html: the foui nbconvert template
    index_html(list[PublishedReport]) -> str    # .site: OUT/index.html
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from foui_analysis.presentation.charts import figure_html, new_figure
    from foui_analysis.presentation.components import (
        Html,
        Kpi,
        html_table,
        join_html,
        kpi_cards,
        paragraph,
        status_badge,
        summary_box,
    )
    from foui_analysis.presentation.formats import (
        format_count,
        format_date,
        format_datetime,
        format_frame,
        format_int,
        format_number,
        format_pct,
        format_period,
        format_sek,
        format_years,
    )
    from foui_analysis.presentation.report import KPI_MIMETYPE, emit_kpis

_EXPORTS = {
    "figure_html": "charts",
    "new_figure": "charts",
    "Html": "components",
    "Kpi": "components",
    "html_table": "components",
    "join_html": "components",
    "kpi_cards": "components",
    "paragraph": "components",
    "status_badge": "components",
    "summary_box": "components",
    "format_count": "formats",
    "format_date": "formats",
    "format_datetime": "formats",
    "format_frame": "formats",
    "format_int": "formats",
    "format_number": "formats",
    "format_pct": "formats",
    "format_period": "formats",
    "format_sek": "formats",
    "format_years": "formats",
    "KPI_MIMETYPE": "report",
    "emit_kpis": "report",
}
"""Where each public name lives. They are imported on first use: a process that needs one module
of the package (the runner's PDF printer, the index page) does not import pandas and the rest
with the package."""


__all__ = [
    "KPI_MIMETYPE",
    "Html",
    "Kpi",
    "emit_kpis",
    "figure_html",
    "format_count",
    "format_date",
    "format_datetime",
    "format_frame",
    "format_int",
    "format_number",
    "format_pct",
    "format_period",
    "format_sek",
    "format_years",
    "html_table",
    "join_html",
    "kpi_cards",
    "new_figure",
    "paragraph",
    "status_badge",
    "summary_box",
]


def __getattr__(name: str) -> Any:  # module-level lazy import (PEP 562)
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
