"""The ``foui`` command: fees, budget, checks and reports (docs/design.md, "Command line").

Exit codes
----------
====  ==========================================================================================
0     success
1     bad input, a failed report, or a fault of the machine (disk full, a folder that cannot be
      written, a path that is a file): messages name the file (row, column) and what to do
2     wrong usage (unknown option, an output folder that overlaps the inputs)
3     ``foui run``: another run holds the output folder (``--wait SEKUNDER`` waits for it)
130   interrupted (Ctrl-C)
====  ==========================================================================================

Every failing command ends with one summary line (``foui: ...``). Bad input never produces a
traceback; an unexpected internal error (a bug) prints one line naming a log file that holds the
traceback (``FOUI_DEBUG=1`` also prints it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import traceback
from pathlib import Path

from foui_analysis import paths
from foui_analysis.arguments import year_argument
from foui_analysis.errors import InputError, ProblemLog, UsageError, describe_os_error
from foui_analysis.periods import report_name

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def log_internal_error(exc: BaseException) -> Path | None:
    """Write the traceback of a bug to a log file; its path (None if nothing can be written)."""
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    text = "".join(traceback.format_exception(exc))
    for folder in (Path(tempfile.gettempdir()), Path.home()):
        path = folder / f"foui-internt-fel-{stamp}-{os.getpid()}.log"
        try:
            path.write_text(f"foui {' '.join(sys.argv[1:])}\n\n{text}", encoding="utf-8")
        except OSError:
            continue
        return path
    return None


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--agreement", type=Path, default=None, help="avtalsfil (standard data/agreement.toml)"
    )
    parser.add_argument(
        "--reference",
        type=Path,
        default=None,
        help="katalog med referensdata (standard data/reference)",
    )


def _load(args: argparse.Namespace, population: Path | None = None):
    from foui_analysis.domain.agreement import load_agreement
    from foui_analysis.domain.reference import load_reference

    log = ProblemLog()
    agreement = reference = None
    try:
        agreement = load_agreement(args.agreement or paths.default_agreement())
    except InputError as exc:
        log.extend(exc)
    try:
        reference = load_reference(args.reference or paths.default_reference(), population)
    except InputError as exc:
        log.extend(exc)
    log.raise_if_any()
    return agreement, reference


def _refuse_outside(agreement, first: int, last: int, what: str) -> None:
    """Years outside the agreement have no rates, members or budget: refused, not empty."""
    if first < agreement.first_year or last > agreement.last_year:
        raise InputError.single(
            agreement.source or "avtalet",
            f"{what} ligger utanför avtalsperioden {agreement.first_year}-"
            f"{agreement.last_year}; ange år inom perioden eller ett annat avtal (--agreement)",
            column="agreement.first_year"
            if first < agreement.first_year
            else "agreement.last_year",
        )


def cmd_fees(args: argparse.Namespace) -> int:
    from foui_analysis.domain import fees
    from foui_analysis.presentation import exports

    agreement, reference = _load(args, args.population)
    _refuse_outside(agreement, args.year, args.year, f"avgiftsåret {args.year}")
    table = fees.fee_table(agreement, reference, args.year)
    if args.format == "csv":
        frame = table.assign(
            rate_sek_per_inhabitant=table["rate_sek_per_inhabitant"].map(
                lambda r: "" if r is None else str(r)
            ),
            invoiced=table["invoiced"].map(lambda v: "true" if v else "false"),
        )
        exports.write_csv(frame, args.out)
    else:
        out = args.out or Path("reports") / f"{report_name('fees', args.year)}.xlsx"
        exports.write_fee_workbook({args.year: table}, agreement, out)
        print(f"Skrev {out}", file=sys.stderr)
    return EXIT_OK


def cmd_budget(args: argparse.Namespace) -> int:
    from foui_analysis.domain import budget
    from foui_analysis.presentation import exports

    if args.first > args.last:
        raise UsageError("foui budget: --from ligger efter --to")
    agreement, reference = _load(args)
    _refuse_outside(agreement, args.first, args.last, f"budgetåren {args.first}-{args.last}")
    years = range(args.first, args.last + 1)
    ledger = budget.budget(agreement, reference, years)
    for year, (wanted, used) in budget.population_fallbacks(agreement, reference, years).items():
        print(
            f"varning: folkmängden 31 december {wanted} (underlag för {year}) är inte publicerad "
            f"för alla medlemmar; kalkylens intäkter {year} bygger på folkmängden 31 december "
            f"{used}",
            file=sys.stderr,
        )
    if args.format == "csv":
        exports.write_csv(ledger, args.out)
    else:
        out = args.out or Path("reports") / f"budget-{args.first}-{args.last}.xlsx"
        exports.write_budget_workbook(
            {
                "Resultat": budget.result_by_area(ledger),
                "Intäkter och kostnader": ledger,
                "Eget kapital": budget.equity(agreement, ledger),
            },
            out,
        )
        print(f"Skrev {out}", file=sys.stderr)
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from foui_analysis import progress
    from foui_analysis.checks import check_all

    with progress.on_terminal():  # a large data set takes minutes: say how far it has come
        warnings = check_all(
            args.data or paths.default_inputs(),
            args.agreement or paths.default_agreement(),
            args.reference or paths.default_reference(),
        )
    for warning in warnings:
        print(f"varning: {warning}", file=sys.stderr)
    print("Alla indata är giltiga.")
    return EXIT_OK


def cmd_send(args: argparse.Namespace) -> int:
    from foui_analysis.runner.delivery import DeliveryError, SmtpSettings, send_report

    settings = SmtpSettings.from_env()
    try:
        send_report(args.out, args.report, args.to, settings, args.format)
    except DeliveryError as exc:
        print(f"fel: {exc}", file=sys.stderr)
        _summary(f"rapporten {args.report} skickades inte.")
        return EXIT_FAILED
    print(f"Skickade {args.report} till {', '.join(args.to)}", file=sys.stderr)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="foui", description="FoUI Norrbotten: avgifter, budget, uppföljning och utvärdering"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    fees = sub.add_parser("fees", help="avgiftstabell per kommun och komponent för ett år")
    fees.add_argument("--year", type=year_argument, required=True)
    fees.add_argument(
        "--population",
        type=Path,
        default=None,
        help="befolkningsfil (CSV i valfri dialekt eller .xlsx)",
    )
    fees.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    fees.add_argument("--out", type=Path, default=None)
    _common(fees)
    fees.set_defaults(func=cmd_fees)

    bud = sub.add_parser("budget", help="budgetprognos för en följd av år")
    bud.add_argument("--from", dest="first", type=year_argument, required=True)
    bud.add_argument("--to", dest="last", type=year_argument, required=True)
    bud.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    bud.add_argument("--out", type=Path, default=None)
    _common(bud)
    bud.set_defaults(func=cmd_budget)

    check = sub.add_parser("check", help="kontrollera alla indata; skriver ingenting")
    check.add_argument("--data", type=Path, default=None)
    _common(check)
    check.set_defaults(func=cmd_check)

    send = sub.add_parser("send", help="skicka en publicerad rapport med e-post (SMTP)")
    send.add_argument("report", help="rapportens namn, t.ex. uppfoljning-2015H1")
    send.add_argument("--to", action="append", required=True, metavar="ADRESS")
    send.add_argument(
        "--format",
        choices=["html", "pdf", "both"],
        default="html",
        help="bifoga rapporten som HTML (standard), PDF eller båda",
    )
    send.add_argument(
        "--out",
        type=Path,
        default=Path("reports"),
        help="katalogen med publicerade rapporter (standard reports/)",
    )
    send.set_defaults(func=cmd_send)

    from foui_analysis.imports.cli import add_data_parsers

    add_data_parsers(sub, _common)

    from foui_analysis.runner.cli import add_run_parser  # a broken runner must not hide `foui run`

    add_run_parser(sub, _common)
    return parser


def _summary(text: str) -> None:
    print(f"foui: {text}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        for problem in exc.problems:
            print(f"fel: {problem}", file=sys.stderr)
        count = len(exc.problems)
        _summary(f"{count} fel i indata; ingenting skrevs. Rätta felen och kör igen.")
        return EXIT_FAILED
    except UsageError as exc:
        print(f"fel: {exc}", file=sys.stderr)
        _summary("fel användning av kommandot; ingenting gjordes.")
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader of our output (e.g. `head`) stopped reading: not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        print("avbrutet", file=sys.stderr)
        _summary("avbrutet; det som redan var publicerat är orört.")
        return 130
    except OSError as exc:
        print(f"fel: {describe_os_error(exc)}", file=sys.stderr)
        _summary("avbröts av ett fel i filsystemet; det som redan var publicerat är orört.")
        return EXIT_FAILED
    except Exception as exc:  # a bug: one line for the user, the traceback in a log file
        if os.environ.get("FOUI_DEBUG"):
            traceback.print_exc()
        log = log_internal_error(exc)
        where = f"; detaljer i {log}" if log else ""
        print(f"internt fel: {type(exc).__name__}: {exc}{where}", file=sys.stderr)
        _summary("internt fel (en bugg); rapportera det med loggfilen.")
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
