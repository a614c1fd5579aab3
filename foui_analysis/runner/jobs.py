"""Report jobs: which notebook makes which report, with which parameters.

Method
------
A :class:`ReportJob` is everything the runner needs to make one report: a name (which is also
the file name, ``OUT/<name>.html``), the notebook, its parameters, and what the index and the
page header show (title, period label). The builders encode the reports of the agreement:

=====================  =============================  ==========================================
report                 notebook                       parameters
=====================  =============================  ==========================================
uppfoljning-2015H1     ``notebooks/uppfoljning.ipynb``  ``period: str``, ``data_dir: str``
utvardering-2014-2016  ``notebooks/utvardering.ipynb``  ``first_year: int``, ``last_year: int``,
                                                       ``data_dir: str``
utvardering-2015-      ``notebooks/utvardering.ipynb``  as above and ``through_month: int`` (the
2017-11                                                last year ends at that month end)
avgifter-2015          ``notebooks/avgifter.ipynb``     ``year: int``, ``data_dir: str``
=====================  =============================  ==========================================

:func:`all_jobs` gives, for an agreement period ``first_year``–``last_year``: a follow-up per
half-year, the evaluation of the first three years, and the fees of every year.

Notebooks run with the repository root (:func:`foui_analysis.paths.repo_root`) as working
directory, so ``data_dir`` is passed relative to the repository root when the directory lies
inside it (``data/example``) and as an absolute path otherwise; both resolve the same way in
the kernel.

When a report is due is decided by :mod:`foui_analysis.runner.schedule` (``foui run due``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from foui_analysis import periods
from foui_analysis.paths import repo_root
from foui_analysis.periods import report_name

KINDS = ("followup", "evaluation", "fees")


def default_notebooks_dir() -> Path:
    return repo_root() / "notebooks"


def default_reference_inputs() -> tuple[Path, ...]:
    """The default agreement and reference data (:mod:`foui_analysis.paths`)."""
    from foui_analysis import paths

    return (paths.default_agreement().resolve(), paths.default_reference().resolve())


@dataclass(frozen=True)
class ReportJob:
    """One report to make."""

    name: str
    kind: str
    notebook: Path
    parameters: dict[str, Any]
    title: str
    period_label: str
    data_dir: Path | None = None
    inputs: tuple[Path, ...] = field(default_factory=tuple)
    period_end: dt.date | None = None
    """The last day of the period the report is about (a half-year, the evaluation's last
    year, the fee year); once it is past, the report is of a closed period (see
    :func:`foui_analysis.runner.execute.publication_state`)."""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {self.kind!r}")
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", self.name):
            raise ValueError(f"a report name is a plain file name, got {self.name!r}")


def _data_param(data_dir: str | Path) -> tuple[Path, str]:
    resolved = Path(data_dir).expanduser().resolve()
    try:
        shown = resolved.relative_to(repo_root()).as_posix()
    except ValueError:
        shown = resolved.as_posix()
    return resolved, shown


def _inputs(inputs: Iterable[str | Path] | None) -> tuple[Path, ...]:
    if inputs is None:
        return ()
    return tuple(Path(p).expanduser().resolve() for p in inputs)


def _rules(
    agreement: str | Path | None, reference: str | Path | None, inputs: Iterable[str | Path] | None
) -> tuple[dict[str, str], tuple[Path, ...]]:
    """The ``agreement`` and ``reference`` parameters of a job, and every input it records.

    Every report notebook loads exactly the agreement and reference data its command was given
    (``foui.load(data_dir, agreement, reference)``), and the provenance lists the same files
    with their SHA-256: the two can never disagree.
    """
    default_agreement, default_reference = default_reference_inputs()
    rules = {
        "agreement": _data_param(agreement or default_agreement),
        "reference": _data_param(reference or default_reference),
    }
    recorded = [resolved for resolved, _ in rules.values()]
    recorded += [p for p in _inputs(inputs) if p not in recorded]
    return {name: shown for name, (_, shown) in rules.items()}, tuple(recorded)


def _formats(titles: bool):
    """The Swedish formats for titles, or None when ``titles=False`` (titles left empty).

    ``titles=False`` gives jobs for checks and fingerprints only (``foui run`` with nothing
    to do): the formats need babel and pandas, which such a run otherwise never imports.
    """
    if not titles:
        return None
    from foui_analysis.presentation import formats

    return formats


def parse_period(period: str) -> tuple[int, int]:
    """``"2015H1"`` → ``(2015, 1)``; PeriodError (a ValueError) otherwise
    (:mod:`foui_analysis.periods`)."""
    parsed = periods.parse_period(period)
    return parsed.year, parsed.half


def followup_job(
    period: str,
    data_dir: str | Path,
    *,
    notebooks_dir: str | Path | None = None,
    inputs: Iterable[str | Path] | None = None,
    titles: bool = True,
    agreement: str | Path | None = None,
    reference: str | Path | None = None,
) -> ReportJob:
    """The follow-up of one half-year, ``uppfoljning-YYYYHn``, or of the year to date through a
    month, ``uppfoljning-YYYY-MM``."""
    parsed = periods.parse_period(period)
    period = parsed.label  # the canonical spelling names the report
    resolved, shown = _data_param(data_dir)
    rules, recorded = _rules(agreement, reference, inputs)
    start = parsed.year_start if parsed.is_month_end else parsed.start
    end = parsed.end
    f = _formats(titles)
    return ReportJob(
        name=report_name("followup", period),
        kind="followup",
        notebook=Path(notebooks_dir or default_notebooks_dir()) / "uppfoljning.ipynb",
        parameters={"period": period, "data_dir": shown, **rules},
        title=f"Uppföljning, {f.format_period(period)}" if f else "",
        period_label=f"{f.format_date(start)}–{f.format_date(end)}" if f else "",
        data_dir=resolved,
        inputs=recorded,
        period_end=end,
    )


def evaluation_job(
    first_year: int,
    last_year: int,
    data_dir: str | Path,
    *,
    notebooks_dir: str | Path | None = None,
    inputs: Iterable[str | Path] | None = None,
    titles: bool = True,
    agreement: str | Path | None = None,
    reference: str | Path | None = None,
    through_month: int | None = None,
) -> ReportJob:
    """The evaluation of the years ``first_year``–``last_year``, ``utvardering-YYYY-YYYY``; with
    ``through_month`` (1-11) the last year ends at that month end, ``utvardering-YYYY-YYYY-MM``
    (:class:`foui_analysis.periods.Window`; through 12 it is the whole-year report)."""
    if last_year < first_year:
        raise ValueError(f"utvärderingens sista år {last_year} är före första året {first_year}")
    through = None if through_month is None else periods.month_end(last_year, through_month)
    span = periods.window(first_year, last_year, through)
    resolved, shown = _data_param(data_dir)
    rules, recorded = _rules(agreement, reference, inputs)
    f = _formats(titles)
    partial = {"through_month": span.last_months} if span.is_partial else {}
    title = f"Utvärdering {f.format_years(first_year, last_year)}" if f else ""
    if f and span.is_partial:
        title += f", till och med {f.format_date(span.end)}"
    return ReportJob(
        name=report_name("evaluation", span.label),
        kind="evaluation",
        notebook=Path(notebooks_dir or default_notebooks_dir()) / "utvardering.ipynb",
        parameters={
            "first_year": first_year,
            "last_year": last_year,
            **partial,
            "data_dir": shown,
            **rules,
        },
        title=title,
        period_label=(f"{f.format_date(span.start)}–{f.format_date(span.end)}" if f else ""),
        data_dir=resolved,
        inputs=recorded,
        period_end=span.end,
    )


def fees_job(
    year: int,
    data_dir: str | Path,
    *,
    notebooks_dir: str | Path | None = None,
    inputs: Iterable[str | Path] | None = None,
    titles: bool = True,
    agreement: str | Path | None = None,
    reference: str | Path | None = None,
) -> ReportJob:
    """The fees of one year, ``avgifter-YYYY``."""
    resolved, shown = _data_param(data_dir)
    rules, recorded = _rules(agreement, reference, inputs)
    return ReportJob(
        name=report_name("fees", year),
        kind="fees",
        notebook=Path(notebooks_dir or default_notebooks_dir()) / "avgifter.ipynb",
        parameters={"year": year, "data_dir": shown, **rules},
        title=f"Avgifter {year}",
        period_label=f"Avgiftsår {year}",
        data_dir=resolved,
        inputs=recorded,
        period_end=dt.date(year, 12, 31),
    )


def half_years(first_year: int, last_year: int) -> list[str]:
    """``2014H1``, ``2014H2``, …, ``<last_year>H2``."""
    return [f"{y}H{h}" for y in range(first_year, last_year + 1) for h in (1, 2)]


def all_jobs(
    first_year: int,
    last_year: int,
    data_dir: str | Path,
    *,
    notebooks_dir: str | Path | None = None,
    inputs: Iterable[str | Path] | None = None,
    evaluation_years: int = 3,
    titles: bool = True,
    agreement: str | Path | None = None,
    reference: str | Path | None = None,
) -> list[ReportJob]:
    """Every report of an agreement period: follow-ups, the evaluation, the fees."""
    common: dict[str, Any] = {
        "notebooks_dir": notebooks_dir,
        "inputs": _inputs(inputs),
        "titles": titles,
        "agreement": agreement,
        "reference": reference,
    }
    jobs = [followup_job(p, data_dir, **common) for p in half_years(first_year, last_year)]
    if last_year - first_year + 1 >= evaluation_years:
        jobs.append(
            evaluation_job(first_year, first_year + evaluation_years - 1, data_dir, **common)
        )
    jobs += [fees_job(y, data_dir, **common) for y in range(first_year, last_year + 1)]
    return jobs
