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
    from foui_analysis.schemas.inputs import context_for, input_tables
    from foui_analysis.sie import read_sie

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
    for path in written:
        print(f"Skrev {path}")
    return EXIT_OK


def cmd_init(args: argparse.Namespace) -> int:
    from foui_analysis import paths
    from foui_analysis.domain.reference import load_reference
    from foui_analysis.init_dataset import init_dataset

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
