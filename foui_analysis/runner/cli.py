"""``foui run``: the report commands of docs/design.md, wired to the runner.

``followup``, ``evaluation`` and ``fees`` make one report; ``all`` every report of the agreement
period; ``due`` what :mod:`foui_analysis.runner.schedule` says is due on a day and not yet
published.
A follow-up or evaluation reads the books, so it is made only for a period the data set says is
closed (``books_closed_through`` in ``dataset.toml``): ``followup`` and ``evaluation`` refuse an
unclosed period (exit 1, naming the file and the date), ``all`` leaves such reports out and says
so, and ``due`` waits for the closing (see :mod:`foui_analysis.runner.schedule`). ``evaluation
--through YYYY-MM`` ends the last year at that month end (a month of the last year; the books
must be closed through it); a month outside the last year is wrong usage (exit 2).
Every command checks its parameters against the agreement (and the notebook's ``parameters``
cell) before a kernel starts, skips reports whose inputs, code and parameters are unchanged
unless ``--force``, and exits 0 only when every requested report succeeded.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path

from foui_analysis import paths
from foui_analysis.arguments import year_argument
from foui_analysis.errors import InputError, UsageError

_YEARS = re.compile(r"^(\d{4})-(\d{4})$")


def _period(text: str) -> str:
    """A half-year (``2015H1``) or month end (``2015-08``), in its canonical spelling."""
    from foui_analysis.periods import parse_period

    try:
        return parse_period(text).label
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _month(text: str) -> str:
    """A month end (``2017-11``), in its canonical spelling (:mod:`foui_analysis.periods`)."""
    from foui_analysis.periods import parse_period

    try:
        period = parse_period(text)
    except ValueError:
        period = None
    if period is None or not period.is_month_end:
        raise argparse.ArgumentTypeError(f"väntade en månad ÅÅÅÅ-MM, t.ex. 2017-11, fick '{text}'")
    return period.label


def _years(text: str) -> tuple[int, int]:
    match = _YEARS.match(text)
    if not match or int(match[1]) > int(match[2]):
        raise argparse.ArgumentTypeError(f"väntade ÅÅÅÅ-ÅÅÅÅ, t.ex. 2014-2016, fick '{text}'")
    return int(match[1]), int(match[2])


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"väntade ett datum ÅÅÅÅ-MM-DD, fick '{text}'") from None


def add_run_parser(sub, common) -> None:
    run = sub.add_parser("run", help="gör rapporterna (HTML) med papermill och nbconvert")
    kinds = run.add_subparsers(dest="report_kind", required=True)

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        parser = kinds.add_parser(name, help=help_text)
        parser.add_argument(
            "--data", type=Path, default=None, help="katalog med indata (standard data/example)"
        )
        parser.add_argument(
            "--out",
            type=Path,
            default=Path("reports"),
            help="katalog för rapporterna (standard reports/)",
        )
        parser.add_argument(
            "--force", action="store_true", help="gör rapporterna även om ingenting har ändrats"
        )
        parser.add_argument("--workers", type=int, default=2, help="rapporter parallellt")
        parser.add_argument(
            "--wait",
            type=float,
            default=0,
            metavar="SEKUNDER",
            help="vänta så länge på en annan körning i samma utkatalog (standard: vänta inte, "
            "avsluta med kod 3)",
        )
        common(parser)
        parser.set_defaults(func=cmd_run)
        return parser

    add("followup", "uppföljning av ett halvår eller året till och med en månad").add_argument(
        "--period",
        type=_period,
        required=True,
        help="ÅÅÅÅH1, ÅÅÅÅH2 eller ÅÅÅÅ-MM (året till och med den månaden, t.ex. 2015-08)",
    )
    evaluation = add("evaluation", "utvärdering av en följd av år")
    evaluation.add_argument(
        "--years", type=_years, required=True, help="ÅÅÅÅ-ÅÅÅÅ, t.ex. 2015-2017"
    )
    evaluation.add_argument(
        "--through",
        type=_month,
        default=None,
        metavar="ÅÅÅÅ-MM",
        help="låt det sista året sluta vid ett månadsskifte, t.ex. 2017-11 "
        "(till och med november; standard: hela året)",
    )
    add("fees", "avgifter och budget för ett år").add_argument(
        "--year", type=year_argument, required=True
    )
    add("all", "alla rapporter för avtalsperioden")
    add("due", "de rapporter som är aktuella ett visst datum").add_argument(
        "--today", type=_date, default=None, help="dagens datum (standard: i dag)"
    )


def _refuse_outside(agreement, first: int, last: int, what: str) -> None:
    if first < agreement.first_year or last > agreement.last_year:
        raise InputError.single(
            agreement.source,
            f"{what} ligger utanför avtalsperioden {agreement.first_year}-{agreement.last_year}",
            column="agreement.first_year",
        )


def _refuse_bad_inputs(jobs: list, period: str | None, agreement, data_dir: Path) -> None:
    """Check the inputs before any report that reads them runs, as ``foui check`` does.

    Every problem is listed with file, row and column (exit 1) and no report of the command runs:
    a follow-up or evaluation would fail in its notebook anyway. A follow-up of a half-year the
    ledger does not reach yet is refused the same way, and so is an evaluation whose last year
    the ledger does not reach (``period`` is then that year's first half). Fee reports read only
    the agreement and the reference data, so a command of fee reports alone does not check the
    inputs.
    """
    if not any(job.kind in ("followup", "evaluation") for job in jobs):
        return
    if len(jobs) == 1:
        # The one report runs in this process (see runner.batch): the inputs are read and
        # checked through the process cache, so that its notebook finds them ready.
        from foui_analysis.context import load, process_cache
        from foui_analysis.handout import origin

        rules = jobs[0].parameters
        with process_cache():
            context = load(data_dir, rules.get("agreement"), rules.get("reference"))
            inputs = origin(context).inputs
    else:
        from foui_analysis.domain.inputs import load_inputs

        inputs = load_inputs(data_dir, agreement)
    from foui_analysis.checks import ledger_year_gaps

    gaps = ledger_year_gaps(agreement, inputs)
    if gaps:
        raise InputError(gaps)
    if period is None:
        return
    from foui_analysis.analyses.followup import PeriodError, check_period_in_data, parse_period

    try:
        check_period_in_data(parse_period(period), inputs)
    except PeriodError as exc:
        raise InputError.single(inputs.file("ledger"), str(exc), column="date") from None


def build_jobs(
    args: argparse.Namespace,
    agreement,
    data_dir: Path,
    population_years: Callable[[], set[int]],
    titles: bool = True,
) -> list:
    """The jobs a ``foui run`` command asks for, refused when outside the agreement.

    ``titles=False``: jobs without titles, enough for checks and fingerprints.
    """
    from foui_analysis.runner import jobs as j
    from foui_analysis.runner.schedule import due_reports

    kind = args.report_kind
    rules = {"agreement": args.agreement, "reference": args.reference, "titles": titles}
    if kind == "followup":
        year = int(args.period[:4])
        _refuse_outside(agreement, year, year, f"perioden {args.period}")
        return [j.followup_job(args.period, data_dir, **rules)]
    if kind == "evaluation":
        first, last = args.years
        _refuse_outside(agreement, first, last, f"utvärderingsåren {first}-{last}")
        through = _through_month(args.through, last)
        return [j.evaluation_job(first, last, data_dir, through_month=through, **rules)]
    if kind == "fees":
        _refuse_outside(agreement, args.year, args.year, f"avgiftsåret {args.year}")
        return [j.fees_job(args.year, data_dir, **rules)]
    everything = j.all_jobs(agreement.first_year, agreement.last_year, data_dir, **rules)
    if kind == "all":
        return everything
    today = args.today or dt.date.today()
    due = {
        r.name
        for r in due_reports(
            today,
            agreement.first_year,
            agreement.last_year,
            agreement.basis_year,
            population_years(),
            _books_closed_through(data_dir),
        )
    }
    return [job for job in everything if job.name in due]


def _through_month(through: str | None, last_year: int) -> int | None:
    """The month of ``--through`` (``2017-11`` -> 11); UsageError (exit 2) unless it is a month
    of the evaluation's last year."""
    if through is None:
        return None
    from foui_analysis.periods import PeriodError, parse_period, window

    period = parse_period(through)
    try:
        window(last_year, last_year, period)
    except PeriodError as exc:
        raise UsageError(f"--through {through}: {exc}") from None
    return period.month


def _books_closed_through(data_dir: Path) -> dt.date | None:
    from foui_analysis.dataset import books_closed_through

    return books_closed_through(data_dir)


def _job_period_end(job) -> dt.date | None:
    from foui_analysis.runner.schedule import period_end

    if job.kind == "followup":
        return period_end("followup", job.parameters["period"])
    if job.kind == "evaluation":
        first, last = job.parameters["first_year"], job.parameters["last_year"]
        month = job.parameters.get("through_month")
        return period_end("evaluation", f"{first}-{last}" + (f"-{month:02d}" if month else ""))
    return None


def closed_jobs(args: argparse.Namespace, agreement, data_dir: Path, jobs: list) -> list:
    """The jobs whose books are closed (see the module docstring); notes on stderr.

    ``followup`` and ``evaluation`` raise InputError for an unclosed period; a data set that does
    not say when its books were closed gets a note, and its report is made from what is booked.
    ``due`` has already applied the rule (:func:`foui_analysis.runner.schedule.due_reports`) and
    only says what waits for the closing.
    """
    from foui_analysis.runner.schedule import awaiting_closure, is_closed

    closed = _books_closed_through(data_dir)
    dataset = data_dir / "dataset.toml"
    reading = [job for job in jobs if _job_period_end(job) is not None]
    if args.report_kind == "due":
        waiting = awaiting_closure(
            args.today or dt.date.today(), agreement.first_year, agreement.last_year, closed
        )
        if waiting:
            since = "inget datum angivet" if closed is None else f"stängd t.o.m. {closed}"
            print(
                f"Väntar på bokslut ({dataset}, books_closed_through: {since}): "
                + ", ".join(r.name for r in waiting),
                file=sys.stderr,
            )
        return jobs
    if closed is None:
        if reading:
            print(
                f"Obs: {dataset} anger inte till vilket datum bokföringen är stängd "
                "(books_closed_through); rapporten bygger på det som är bokfört nu.",
                file=sys.stderr,
            )
        return jobs
    unclosed = [job for job in reading if not is_closed(_job_period_end(job), closed)]
    if unclosed and args.report_kind in ("followup", "evaluation"):
        job = unclosed[0]
        raise InputError.single(
            dataset,
            f"{job.name} görs inte: perioden slutar {_job_period_end(job)} men bokföringen är "
            f"stängd bara t.o.m. {closed}; ändra books_closed_through när perioden är bokslutad",
            column="books_closed_through",
        )
    if unclosed:
        print(
            f"Görs inte, perioden är inte bokslutad ({dataset}, books_closed_through = "
            f"{closed}): " + ", ".join(job.name for job in unclosed),
            file=sys.stderr,
        )
    left_out = {job.name for job in unclosed}
    return [job for job in jobs if job.name not in left_out]


def _population_years(args: argparse.Namespace, members: tuple[str, ...] = ()) -> set[int]:
    """The years of the reference population with a figure for every member (a year SCB has
    published for some municipalities only cannot be a fee basis yet)."""
    from foui_analysis.domain.reference import load_reference

    population = load_reference(args.reference or paths.default_reference()).population
    wanted = set(members)
    return {
        int(year)
        for year, codes in population.groupby("year")["municipality_code"]
        if wanted <= set(codes)
    }


def fee_basis_jobs(args: argparse.Namespace, agreement, jobs: list, population_years) -> list:
    """The jobs without fee reports whose population basis is incomplete.

    ``foui run fees`` refuses such a year (exit 1, naming the municipalities that lack the
    figure); ``foui run all`` leaves it out and says so (``due`` never makes it due).
    """
    missing = [
        job
        for job in jobs
        if job.kind == "fees"
        and agreement.basis_year(int(job.parameters["year"])) not in population_years()
    ]
    if not missing:
        return jobs
    if args.report_kind == "fees":
        from foui_analysis.domain.fees import basis_for
        from foui_analysis.domain.reference import load_reference

        reference = load_reference(args.reference or paths.default_reference())
        basis_for(agreement, reference, int(missing[0].parameters["year"]))  # raises, naming them
    names = {job.name for job in missing}
    print(
        "Görs inte, befolkningsunderlaget är inte publicerat för alla medlemmar: "
        + ", ".join(
            f"{job.name} (31 december {agreement.basis_year(int(job.parameters['year']))})"
            for job in missing
        ),
        file=sys.stderr,
    )
    return [job for job in jobs if job.name not in names]


def cmd_run(args: argparse.Namespace) -> int:
    from foui_analysis.domain.agreement import load_agreement
    from foui_analysis.runner.publish import EXIT_BUSY, BusyError, run_lock

    data_dir = args.data or paths.default_inputs()
    if not data_dir.is_dir():
        raise InputError.single(data_dir, "katalogen med indata finns inte")
    refuse_overlap(args.out, data_dir, args.agreement, args.reference)
    agreement = load_agreement(args.agreement or paths.default_agreement())
    from foui_analysis.runner.errors import ReportError
    from foui_analysis.runner.params import check_parameters

    population_years = cache(lambda: _population_years(args, tuple(agreement.members)))
    # Checks first, with jobs that have no titles yet: a run with nothing to do then imports
    # neither pandas nor papermill (see ``titles`` in runner.jobs). Nothing is written before
    # they pass, not even the output folder.
    jobs = closed_jobs(
        args,
        agreement,
        data_dir,
        build_jobs(args, agreement, data_dir, population_years, titles=False),
    )
    try:
        for job in jobs:
            check_parameters(job.name, job.notebook, job.parameters)
    except ReportError as exc:
        print(f"fel: {exc}", file=sys.stderr)
        return 1
    from foui_analysis.runner.provenance import shared_environment

    try:
        # One command: the commit, code hash and package versions are looked up once, for the
        # checks, the fingerprints and every rewrite of the index.
        with run_lock(args.out, wait=args.wait), shared_environment():
            return _run_locked(args, agreement, data_dir, jobs, population_years)
    except BusyError as exc:
        print(f"fel: {exc}", file=sys.stderr)
        print("Ingen rapport gjordes (utkatalogen var upptagen).", file=sys.stderr)
        return EXIT_BUSY


def refuse_overlap(out: Path, data_dir: Path, agreement: Path | None, reference: Path | None):
    """Refuse an output folder that holds or lies inside an input (exit 2).

    Reports written into the data folder would be inputs of the next run (which would then
    never find everything unchanged), and a data folder inside the output folder could be
    overwritten by a report.
    """
    out = out.expanduser().resolve()
    if out.exists() and not out.is_dir():
        raise InputError.single(
            out, "utkatalogen är en fil, inte en katalog; ange en katalog med --out"
        )
    inputs = {
        "datakatalogen": data_dir,
        "avtalsfilen": agreement or paths.default_agreement(),
        "referensdatakatalogen": reference or paths.default_reference(),
    }
    for what, place in inputs.items():
        place = Path(place).expanduser().resolve()
        if out == place or out.is_relative_to(place) or place.is_relative_to(out):
            raise UsageError(
                f"utkatalogen {out} och {what} {place} överlappar; rapporterna skulle bli "
                "indata nästa gång (eller skriva över indata). Ange en --out utanför indata."
            )


def _run_locked(args: argparse.Namespace, agreement, data_dir: Path, jobs, population_years):
    """The run, holding the output folder: what is unchanged is skipped, the rest is made.

    A report of a closed period whose inputs and parameters are unchanged is not made again
    for a change of code alone (:func:`foui_analysis.runner.execute.publication_state`): each
    such report is named on stderr as made with older code, and the index says so.
    """
    from foui_analysis.runner.execute import OLDER_CODE, publication_state
    from foui_analysis.runner.provenance import build_provenance
    from foui_analysis.runner.publish import recover

    recover(args.out)
    today = getattr(args, "today", None) or dt.date.today()
    older = []
    if not args.force:
        states = {
            job.name: publication_state(args.out, job, build_provenance(job), today) for job in jobs
        }
        older = [job for job in jobs if states[job.name] == "older_code"]
        for job in older:
            print(f"{job.name}: {OLDER_CODE}", file=sys.stderr)
        jobs = [job for job in jobs if states[job.name] in ("new", "changed")]
    if len(jobs) > 1:
        # The workers' fork server warms up (imports, chart, template) while the population
        # basis and the inputs are checked here (see foui_analysis.runner.batch).
        from foui_analysis.runner.batch import start_fork_server

        start_fork_server([job.notebook for job in jobs])
    # After the unchanged reports are left out: a run with nothing to do reads no reference data.
    jobs = fee_basis_jobs(args, agreement, jobs, population_years)
    if not jobs:
        if older:
            from foui_analysis.runner.index import write_index_if_changed

            write_index_if_changed(args.out)  # the index marks them (once: see runner.index)
        what = "aktuella rapporter" if args.report_kind == "due" else "rapporter"
        more = f" ({len(older)} gjorda med äldre programkod; --force gör om dem)" if older else ""
        print(f"Inget att göra: alla {what} är publicerade och oförändrade{more}.", file=sys.stderr)
        return 0
    reaches = {"followup": getattr(args, "period", None)}
    if args.report_kind == "evaluation":
        reaches["evaluation"] = f"{args.years[1]}H1"  # the outcome must reach the last year
    # A report made alone: its finisher (nbconvert and Chromium, in a process of its own; see
    # foui_analysis.runner.finisher) starts now, on the other core, while the inputs are checked.
    finisher = _start_finisher() if len(jobs) == 1 else None
    try:
        _refuse_bad_inputs(jobs, reaches.get(args.report_kind), agreement, data_dir)
        from foui_analysis.runner.batch import run_jobs

        names = {job.name for job in jobs}
        jobs = [
            job
            for job in build_jobs(args, agreement, data_dir, population_years)
            if job.name in names
        ]
        summary = run_jobs(
            jobs,
            args.out,
            workers=max(1, args.workers),
            force=args.force,
            today=today,
            finisher=finisher,
        )
    finally:
        if finisher is not None:
            finisher.close()
    return summary.exit_code


def _start_finisher():
    from foui_analysis.runner.finisher import Finisher

    return Finisher.start()
