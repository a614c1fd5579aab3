"""``foui check``: every input validated, every problem listed, nothing written.

Checks, in order, collecting every problem before failing: the agreement; each reference table;
that every member is in the municipality register; each user input table of the data directory
(required ones must exist and have rows), with the
agreement's membership and period rules and the rules across tables when the agreement is valid.
Then, so that a data set that passes ``foui check`` never fails later on input, it runs what
every command computes from these files, without writing anything (:data:`DRY_RUNS`): the fee
table of every year of the agreement whose population basis is there (``foui fees``, fee
reports), the budget of the agreement period (``foui budget``; every role needs a salary, every
year its wage growth, payroll overhead and price index), and the analysis basis with the key
figures of every follow-up and the evaluation that ``foui run all`` makes. Last, what a data set
in the making still lacks (:func:`foui_analysis.dataset.init.missing`: books not closed for any
period). County totals that disagree with the sum of the municipalities are warnings, not errors
(the reference file has one known case), and so is a fee year of the agreement whose population
basis is missing (SCB has not published it yet, or the reference file lacks it: the fees of that
year are refused until it is there).

Known limits: what a notebook itself does beyond the library's calls is not run (that is what
``foui run`` does); a problem that only shows in one of these computations is reported once per
computation that meets it (duplicates are removed); a computation that stops at a missing basis
population (a warning) does not reach what it would have checked after it.
"""

from __future__ import annotations

from pathlib import Path

from foui_analysis import progress
from foui_analysis.errors import InputError, ProblemLog


def check_all(data_dir: Path, agreement_path: Path, reference_dir: Path) -> list[str]:
    """Raise InputError with every problem; return warnings when the inputs are valid."""
    from foui_analysis.domain.agreement import load_agreement
    from foui_analysis.domain.reference import load_reference

    log = ProblemLog()
    warnings: list[str] = []
    agreement = reference = inputs = None
    try:
        agreement = load_agreement(agreement_path)
    except InputError as exc:
        log.extend(exc)
    try:
        reference = load_reference(reference_dir)
    except InputError as exc:
        log.extend(exc)
    unpublished: set = set()  # missing basis populations: warnings, here and in the dry runs
    if agreement and reference:
        unpublished = _check_members_and_bases(
            agreement, reference, agreement_path, reference_dir, log, warnings
        )
    if not data_dir.is_dir():
        log.add(data_dir, "katalogen med indata finns inte")
    else:
        inputs = _check_inputs(data_dir, agreement, log)
    if inputs is not None:
        log.problems.extend(ledger_year_gaps(agreement, inputs))
    if agreement is not None and reference is not None:
        _dry_runs(agreement, reference, inputs, log, unpublished)
    if data_dir.is_dir():
        # What a new data set (foui init) still lacks: closed books.
        from foui_analysis.dataset.init import missing

        lacking, notes = missing(data_dir, agreement)
        log.problems.extend(lacking)
        warnings.extend(notes)
    if log.problems:
        raise InputError(list(dict.fromkeys(log.problems)))
    return warnings


def ledger_year_gaps(agreement, inputs) -> list:
    """A problem for every year of the agreement without a single booking, up to the last
    year the ledger reaches: that year is missing from the export, not a year without costs
    (a follow-up or evaluation would otherwise show it as nothing spent). The years after the
    last booking are the ones not booked yet (``foui run`` says so per report)."""
    from foui_analysis.errors import Problem

    booked = {d.year for d in inputs.ledger["date"]}
    if not booked:
        return []  # an empty ledger is refused as a required table without rows
    reached = max(booked)
    return [
        Problem(
            str(inputs.file("ledger")),
            None,
            "date",
            f"bokföringen har inga poster för {year}, men har poster för senare år; ett år "
            "utan en enda post saknas i exporten (lägg till årets verifikationer)",
        )
        for year in agreement.years
        if year < reached and year not in booked
    ]


def _check_members_and_bases(
    agreement, reference, agreement_path: Path, reference_dir: Path, log, warnings: list[str]
) -> set:
    """Every member in the municipality register; each fee year's population basis published
    (a missing one is a warning: returned, so the dry runs do not count it again)."""
    from foui_analysis.domain.fees import basis_for
    from foui_analysis.domain.population import county_warnings

    register = set(reference.municipalities["municipality_code"])
    for code in agreement.members:
        if code not in register:
            log.add(
                agreement.source or agreement_path,
                f"kommunkoden {code} finns inte i kommunregistret "
                f"({Path(reference_dir) / 'municipalities.csv'}); ange en kommun i länet",
                column="members.codes",
            )
    unpublished: set = set()
    for year in agreement.years:
        try:
            basis_for(agreement, reference, year)
        except InputError as exc:
            unpublished.update(exc.problems)
            # A fee year whose population basis SCB has not published (or the reference
            # file lacks) cannot be invoiced yet; the inputs themselves are still valid.
            warnings.extend(
                f"avgifterna för {year} kan inte beräknas ännu: {problem}"
                for problem in exc.problems
            )
    warnings.extend(county_warnings(reference.population))
    return unpublished


def _check_inputs(data_dir: Path, agreement, log):
    """The user's input tables; with a valid agreement also its membership, period and
    cross-table rules (domain/inputs.py), else each table on its own. The inputs, or None."""
    if agreement is not None:
        from foui_analysis.domain.inputs import load_inputs

        try:
            return load_inputs(data_dir, agreement)
        except InputError as exc:
            log.extend(exc)
            return None
    from foui_analysis.schemas import read_table
    from foui_analysis.schemas.inputs import INPUT_TABLES, REQUIRED_INPUTS, find_input

    for name, table in INPUT_TABLES.items():
        try:
            path = find_input(data_dir, name)
        except InputError as exc:
            log.extend(exc)
            continue
        if path is None:
            if name in REQUIRED_INPUTS:
                log.add(data_dir / f"{name}.csv", "filen saknas")
            continue
        try:
            read_table(path, table)
        except InputError as exc:
            log.extend(exc)
    return None


def _dry_runs(agreement, reference, inputs, log, unpublished: set) -> None:
    """What every command computes from the inputs (:data:`DRY_RUNS`), nothing written; the
    analyses only when the inputs are valid."""
    for what, dry_run in DRY_RUNS:
        if what == "analyses" and (inputs is None or log.problems):
            continue
        try:
            with progress.bar(DRY_RUN_WORDS[what]):
                dry_run(agreement, reference, inputs)
        except InputError as exc:
            log.problems.extend(p for p in exc.problems if p not in unpublished)


def _fees(agreement, reference, inputs) -> None:
    from foui_analysis.domain.fees import basis_for, fee_table

    log = ProblemLog()
    for year in agreement.years:
        try:
            basis_for(agreement, reference, year)
        except InputError:
            continue  # no population basis yet: a warning (check_all), the fees are refused
        try:
            fee_table(agreement, reference, year)
        except InputError as exc:
            log.extend(exc)
    log.raise_if_any()


def _budget(agreement, reference, inputs) -> None:
    from foui_analysis.domain import budget

    ledger = budget.budget(agreement, reference, agreement.years)
    budget.result_by_area(ledger)
    budget.equity(agreement, ledger)


def _analyses(agreement, reference, inputs) -> None:
    from foui_analysis.analyses import evaluation, followup, goals
    from foui_analysis.analyses.followup import PeriodError
    from foui_analysis.periods import Period
    from foui_analysis.runner.jobs import half_years

    basis = goals.analysis_basis(agreement, reference, inputs)
    for label in half_years(agreement.first_year, agreement.last_year):
        try:
            period = followup.parse_period(label, agreement, basis)
        except PeriodError:
            continue  # a half-year the ledger does not reach yet is not made (foui run says so)
        followup.key_figures(basis, period)
    first = agreement.first_year
    if agreement.last_year - first + 1 >= 3:
        try:  # an evaluation window the ledger does not reach yet is refused by foui run
            followup.check_period_in_data(Period(first + 2, 1), inputs)
        except PeriodError:
            return
        evaluation.key_figures(basis, evaluation.parse_years(f"{first}-{first + 2}", agreement))


DRY_RUNS = (("fees", _fees), ("budget", _budget), ("analyses", _analyses))
"""What the commands compute from the inputs, run by ``foui check`` without writing."""
DRY_RUN_WORDS = {
    "fees": "Provräknar avgifterna",
    "budget": "Provräknar budgeten",
    "analyses": "Provräknar uppföljningarna och utvärderingen",
}
"""What the progress line says during each dry run (on a terminal only)."""
