"""Fixtures for the analyses: the real agreement and reference data, a tiny data directory written
inline, and the shipped example data."""

from __future__ import annotations

from pathlib import Path

import pytest

from foui_analysis.analyses.goals import analysis_basis
from foui_analysis.domain.inputs import load_inputs
from foui_analysis.paths import REPO_ROOT

DATA = REPO_ROOT / "data"

TINY = {
    "activities.csv": (
        "activity_id,date,area,kind,title,municipalities,participants,partner,task,hours\n"
        "A1,2015-02-10,skola,seminarium,Prioriteringsseminarium,2580|2506,10,"
        "Umeå universitet,1,8\n"
        'A2,2015-05-05,socialtjanst,handledning,Handledning,2581,4,,4,"12,5"\n'
        "A3,2015-09-15,overgripande,kurs_konferens,FoUI-dagen,alla,140,"
        "Luleå tekniska universitet,3,60\n"
        "A4,2014-11-03,skola,behovsinventering,Behovsinventering,2584,7,,6,20\n"
    ),
    "projects.csv": (
        "project_id,title,area,partner,municipalities,start_date,end_date,status,"
        "external_funding_sek\n"
        "P1,Läsförståelse,skola,Umeå universitet,2580,2015-03-01,,pagaende,250000\n"
    ),
    "ledger.csv": (
        "date;area;line;kind;amount_sek;text\n"
        "2015-01-25;skola;resor;kostnad;10 000,00;Resa\n"
        "2015-05-25;skola;resor;kostnad;30 000,50;Resa\n"
        "2015-08-25;skola;resor;kostnad;5 000,00;Resa\n"
        "2015-03-25;skola;skola;intakt;498 872,00;Avgift\n"
    ),
    "goals.csv": (
        "goal_id,goal_type,goal,indicator_id,indicator,unit,direction,kind,tolerance\n"
        "U1,uppdrag,Seminarier,seminarier,Seminarier,antal,hogre,antal,\n"
        "P1,syfte,Samverkan,kommuner_aktiva_pct,Andel nådda,%,hogre,andel,\n"
        "P1,syfte,Samverkan,glesbygd_ej_nadda,Glesbygd ej nådd,antal,lagre,antal,5\n"
    ),
    "targets.csv": (
        "indicator_id,year,target\n"
        "seminarier,2015,2\nkommuner_aktiva_pct,2015,100\nglesbygd_ej_nadda,2015,2\n"
        "seminarier,2014,1\nkommuner_aktiva_pct,2014,100\nglesbygd_ej_nadda,2014,2\n"
    ),
}


@pytest.fixture(scope="session")
def tiny_dir(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("tiny")
    for name, text in TINY.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


@pytest.fixture(scope="session")
def tiny(agreement, reference, tiny_dir):
    return analysis_basis(agreement, reference, load_inputs(tiny_dir, agreement))


@pytest.fixture(scope="session")
def example(agreement, reference):
    return analysis_basis(agreement, reference, load_inputs(DATA / "example", agreement))


@pytest.fixture(scope="session")
def basis_with(agreement, reference):
    """``basis_with(directory, {"budget.csv": text})``: the tiny data with files added or
    replaced, written to ``directory``, as an analysis basis."""

    def make(directory: Path, extra: dict[str, str]):
        for name, text in {**TINY, **extra}.items():
            (directory / name).write_text(text, encoding="utf-8")
        return analysis_basis(agreement, reference, load_inputs(directory, agreement))

    return make


@pytest.fixture
def tiny_with(basis_with, tmp_path):
    """The tiny data with files added or replaced: ``tiny_with({"budget.csv": text})``."""
    return lambda extra: basis_with(tmp_path, extra)
