"""The ``foui init`` and ``foui import`` subcommands (bringing real data into a data set).

``foui init DIR``; ``foui import sie FILE [FILE ...] --mapping FILE --out DIR``;
``foui import survey FILE [--mapping FILE] --out DIR``. Exit codes as every ``foui`` command:
0 success, 1 bad input (every problem named by file, row and column; nothing written), 2 usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

EXIT_OK = 0


def _agreement(args: argparse.Namespace):
    from foui_analysis import paths
    from foui_analysis.domain.agreement import load_agreement

    return load_agreement(args.agreement or paths.default_agreement())


def cmd_import_sie(args: argparse.Namespace) -> int:
    from foui_analysis.errors import InputError, ProblemLog
    from foui_analysis.imports.ledger import import_ledger, write_import
    from foui_analysis.imports.mapping import load_mapping
    from foui_analysis.imports.sie import read_sie
    from foui_analysis.schemas.inputs import context_for, input_tables

    log = ProblemLog()
    files = []
    for path in args.files:
        try:
            files.append(read_sie(path))
        except InputError as exc:
            log.extend(exc)
    mapping = agreement = None
    try:
        mapping = load_mapping(args.mapping)
    except InputError as exc:
        log.extend(exc)
    try:
        agreement = _agreement(args)
    except InputError as exc:
        log.extend(exc)
    log.raise_if_any()
    assert mapping is not None and agreement is not None  # else raised above
    result = import_ledger(files, mapping, agreement)
    written = write_import(result, args.out, input_tables(context_for(agreement)))
    for sie in files:
        print(
            f"Läste {sie.path} ({len(sie.vouchers)} verifikationer, teckenkodning {sie.encoding}).",
            file=sys.stderr,
        )
    print(
        f"{len(result.ledger)} rader till utfallet, {result.ignored_rows} rader utelämnade "
        "enligt mappningen; avstämt mot filernas summor per konto.",
        file=sys.stderr,
    )
    if result.scrubbed:
        print(
            f"Tog bort {result.scrubbed} personnummer och e-postadresser ur "
            "verifikationstexterna (personuppgifter).",
            file=sys.stderr,
        )
    for path in written:
        print(f"Skrev {path}")
    return EXIT_OK


def cmd_import_survey(args: argparse.Namespace) -> int:
    from foui_analysis import paths
    from foui_analysis.domain.reference import load_reference
    from foui_analysis.errors import InputError, ProblemLog
    from foui_analysis.imports.ledger import check_rows, write_atomic
    from foui_analysis.imports.survey import (
        import_survey,
        load_survey_mapping,
        merge_with_existing,
        survey_csv,
    )
    from foui_analysis.schemas.inputs import context_for, input_tables

    log = ProblemLog()
    mapping = agreement = reference = None
    try:
        mapping = load_survey_mapping(args.mapping)
    except InputError as exc:
        log.extend(exc)
    try:
        agreement = _agreement(args)
        reference = load_reference(args.reference or paths.default_reference())
    except InputError as exc:
        log.extend(exc)
    log.raise_if_any()
    assert mapping is not None and agreement is not None and reference is not None
    names = reference.municipality_names()
    members = {code: names.get(code, code) for code in agreement.members}
    result = import_survey(args.file, mapping, members)
    table = input_tables(context_for(agreement))["survey"]
    target = args.out / "survey.csv"
    rows, kept = merge_with_existing(result.rows, target, table)
    text = survey_csv(rows, list(table.columns))
    check_rows(text, target, table, delimiter=",")
    write_atomic({target: text})
    if result.personal:
        dropped = ", ".join(f"'{h}' ({kind})" for h, kind in result.personal.items())
        print(
            f"Lämnade kolumnerna {dropped} därhän: personuppgifter läses aldrig in.",
            file=sys.stderr,
        )
    if result.other:
        others = ", ".join(f"'{h}'" for h in result.other)
        print(
            f"Lämnade också {others} därhän (fritext och annat som inte används).", file=sys.stderr
        )
    print(
        f"{result.respondents} svarande i {len(result.rows)} grupper (år, kommun, roll)"
        + (f"; {kept} rader från andra år behölls" if kept else "")
        + ".",
        file=sys.stderr,
    )
    print(f"Skrev {target}")
    return EXIT_OK


def cmd_init(args: argparse.Namespace) -> int:
    from foui_analysis import paths
    from foui_analysis.dataset.init import init_dataset
    from foui_analysis.domain.reference import load_reference

    agreement = _agreement(args)
    reference = load_reference(args.reference or paths.default_reference())
    written = init_dataset(args.directory, agreement, reference)
    for path in written:
        print(f"Skrev {path}")
    print(
        f"Datamängden är skapad. Läs {args.directory / 'README.md'} och kontrollera med "
        f"foui check --data {args.directory}",
        file=sys.stderr,
    )
    return EXIT_OK


def add_data_parsers(sub, common: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add ``init`` and ``import`` to the ``foui`` command's subparsers."""
    init = sub.add_parser("init", help="skapa en ny datamängd med Excel-mallar för egna data")
    init.add_argument("directory", type=Path, metavar="DIR", help="ny katalog för datamängden")
    common(init)
    init.set_defaults(func=cmd_init)

    imp = sub.add_parser("import", help="importera data ur ekonomisystem eller enkätverktyg")
    kinds = imp.add_subparsers(dest="import_kind", required=True)
    sie = kinds.add_parser(
        "sie",
        help="utfall (och budget) ur ekonomisystemets SIE 4-export till ledger.csv",
    )
    sie.add_argument("files", nargs="+", type=Path, metavar="FILE", help="SIE 4-fil(er)")
    sie.add_argument("--mapping", type=Path, required=True, help="mappning av konton (TOML)")
    sie.add_argument("--out", type=Path, required=True, help="datakatalogen att skriva till")
    common(sie)
    sie.set_defaults(func=cmd_import_sie)

    survey = kinds.add_parser(
        "survey", help="medlemsenkäten ur enkätverktygets export (en rad per svarande)"
    )
    survey.add_argument("file", type=Path, metavar="FILE", help="exporten (.csv eller .xlsx)")
    survey.add_argument("--mapping", type=Path, default=None, help="kolumnernas namn (TOML)")
    survey.add_argument("--out", type=Path, required=True, help="datakatalogen att skriva till")
    common(survey)
    survey.set_defaults(func=cmd_import_survey)
