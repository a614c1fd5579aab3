"""``foui check``: every input validated, every problem listed, nothing written.

Checks, in order, collecting every problem before failing: the agreement; each reference table;
each user input table of the data directory (required ones must exist), with the agreement's
membership and period rules and the rules across tables when the agreement is valid; then what
the data set still lacks (:func:`foui_analysis.init_dataset.missing`: required inputs without
rows, books not closed for any period). County totals that disagree with the sum of the
municipalities are warnings, not errors (the reference file has one known case), and so is a fee
year of the agreement whose population basis is missing (SCB has not published it yet, or the
reference file lacks it: the fees of that year are refused until it is there).
"""

from __future__ import annotations

from pathlib import Path

from foui_analysis.errors import InputError, ProblemLog


def check_all(data_dir: Path, agreement_path: Path, reference_dir: Path) -> list[str]:
    """Raise InputError with every problem; return warnings when the inputs are valid."""
    from foui_analysis.domain.agreement import load_agreement
    from foui_analysis.domain.fees import basis_for
    from foui_analysis.domain.population import county_warnings
    from foui_analysis.domain.reference import load_reference
    from foui_analysis.schemas import read_table
    from foui_analysis.schemas.inputs import INPUT_TABLES, REQUIRED_INPUTS, find_input

    log = ProblemLog()
    warnings: list[str] = []
    agreement = reference = None
    try:
        agreement = load_agreement(agreement_path)
    except InputError as exc:
        log.extend(exc)
    try:
        reference = load_reference(reference_dir)
    except InputError as exc:
        log.extend(exc)
    if agreement and reference:
        for year in agreement.years:
            try:
                basis_for(agreement, reference, year)
            except InputError as exc:
                # A fee year whose population basis SCB has not published (or the reference
                # file lacks) cannot be invoiced yet; the inputs themselves are still valid.
                warnings.extend(
                    f"avgifterna för {year} kan inte beräknas ännu: {problem}"
                    for problem in exc.problems
                )
        warnings.extend(county_warnings(reference.population))
    if not data_dir.is_dir():
        log.add(data_dir, "katalogen med indata finns inte")
    else:
        if agreement is not None:
            # Membership, period and cross-table rules need the agreement (domain/inputs.py).
            from foui_analysis.domain.inputs import load_inputs

            try:
                load_inputs(data_dir, agreement)
            except InputError as exc:
                log.extend(exc)
        else:
            for name, table in INPUT_TABLES.items():
                path = find_input(data_dir, name)
                if path is None:
                    if name in REQUIRED_INPUTS:
                        log.add(data_dir / f"{name}.csv", "filen saknas")
                    continue
                try:
                    read_table(path, table)
                except InputError as exc:
                    log.extend(exc)
    if data_dir.is_dir():
        # What a new data set (foui init) still lacks: rows of the required inputs, closed books.
        from foui_analysis.init_dataset import missing

        lacking, notes = missing(data_dir, agreement)
        log.problems.extend(lacking)
        warnings.extend(notes)
    log.raise_if_any()
    return warnings
