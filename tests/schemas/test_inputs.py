"""User input tables: a bad input names its file, row and column; the dictionary is current."""

from __future__ import annotations

from pathlib import Path

import pytest

from foui_analysis.errors import InputError
from foui_analysis.paths import REPO_ROOT
from foui_analysis.readers import read_raw
from foui_analysis.schemas import parse_table
from foui_analysis.schemas.inputs import (
    REQUIRED_INPUTS,
    Context,
    data_dictionary_markdown,
    input_tables,
)

MEMBERS = ("2580", "2581", "2506")
CTX = Context(MEMBERS, 2014, 2018)

GOOD = {
    "activities": (
        "activity_id,date,area,kind,title,municipalities,participants,partner,task,hours\n"
        "A1,2015-03-04,skola,seminarium,Skola & forskning: <i>nya</i> perspektiv,2580|2581,"
        '12,Umeå universitet,1,"7,5"\n'
        "A2,2015-10-01,overgripande,kurs_konferens,FoUI-dagen,alla,150,,3,60\n"
    ),
    "projects": (
        "project_id,title,area,partner,municipalities,start_date,end_date,status,"
        "external_funding_sek\n"
        "P1,Läsförståelse,skola,Umeå universitet,2580,2015-01-01,2016-06-30,avslutat,150000\n"
        "P2,Hemtjänst,socialtjanst,Luleå tekniska universitet,alla,2016-01-01,,pagaende,0\n"
    ),
    "ledger": (
        "date;area;line;kind;amount_sek;text\n"
        "2015-01-25;skola;personal;kostnad;69 512,50;Löner\n"
        "2015-01-25;skola;skola;intakt;83 145,00;Avgift\n"
        "2015-02-25;skola;resor;kostnad;-412,00;Kreditering\n"
    ),
    "budget": "year,area,line,kind,amount_sek\n2017,skola,foui_projekt,kostnad,120000\n",
    "survey": (
        "year,municipality_code,role,respondents,relevance,quality,usefulness\n"
        '2015,2580,chef,5,"3,8",4.1,3.25\n'
    ),
    "goals": (
        "goal_id,goal_type,goal,indicator_id,indicator,unit,direction,kind,tolerance\n"
        "U1,uppdrag,Seminarier,seminarier,Seminarier,antal,hogre,,\n"
        "P1,syfte,Samverkan,glesbygd_ej_nadda,Glesbygd ej nådd,antal,lagre,antal,5\n"
    ),
    "targets": "indicator_id,year,target\nseminarier,2015,6\nglesbygd_ej_nadda,2015,0\n",
    "commentary": "period,goal_id,text\n2015H1,alla,Bra start.\n2014-2016,P1,Treårig.\n",
}

BAD = [
    # table, csv text, expected (row, column)
    ("activities", GOOD["activities"].replace("2580|2581", "2580|9999"), 2, "municipalities"),
    ("activities", GOOD["activities"].replace("2580|2581", "2580|2582"), 2, "municipalities"),
    ("activities", GOOD["activities"].replace("2580|2581", "2580|2580"), 2, "municipalities"),
    ("activities", GOOD["activities"].replace("2015-10-01", "2019-10-01"), 3, "date"),
    ("activities", GOOD["activities"].replace(",3,60", ",7,60"), 3, "task"),
    ("projects", GOOD["projects"].replace("2016-06-30", "2014-06-30"), 2, "end_date"),
    ("projects", GOOD["projects"].replace("2016-06-30,avslutat", ",avslutat"), 2, "end_date"),
    ("projects", GOOD["projects"].replace(",pagaende,", ",klart,"), 3, "status"),
    ("projects", GOOD["projects"].replace(",150000", ',"15 000,555"'), 2, "external_funding_sek"),
    ("ledger", GOOD["ledger"].replace("2015-02-25", "2013-12-31"), 4, "date"),
    ("ledger", GOOD["ledger"].replace("personal;kostnad", "personal;intakt"), 2, "kind"),
    ("ledger", GOOD["ledger"].replace(";skola;skola;", ";overgripande;skola;"), 3, "area"),
    ("ledger", GOOD["ledger"].replace(";resor;", ";fika;"), 4, "line"),
    ("ledger", GOOD["ledger"].replace("69 512,50", "69 512,505"), 2, "amount_sek"),
    ("budget", GOOD["budget"].replace("2017", "2020"), 2, "year"),
    ("budget", GOOD["budget"].replace("foui_projekt,kostnad", "foui_projekt,intakt"), 2, "kind"),
    ("survey", GOOD["survey"].replace("2015,2580", "2015,2582"), 2, "municipality_code"),
    ("survey", GOOD["survey"].replace("3.25", "5.5"), 2, "usefulness"),
    (
        "survey",
        GOOD["survey"].replace("usefulness", "usefulness,asked").replace("3.25", "3.25,4"),
        2,
        "asked",
    ),
    ("survey", GOOD["survey"].replace(",chef,", ",rektor,"), 2, "role"),
    ("goals", GOOD["goals"].replace("U1,uppdrag", "U1,syfte"), 2, "goal_type"),
    ("goals", GOOD["goals"].replace(",seminarier,", ",okand,"), 2, "indicator_id"),
    ("goals", GOOD["goals"].replace("P1,syfte", "P9,syfte"), 3, "goal_id"),
    # Lower is better needs a tolerance; a scale needs its minimum and maximum, in order.
    ("goals", GOOD["goals"].replace("lagre,antal,5", "lagre,antal,"), 3, "tolerance"),
    (
        "goals",
        GOOD["goals"]
        .replace("kind,tolerance", "kind,tolerance,scale_min,scale_max")
        .replace("hogre,,", "hogre,skala,,1,")
        .replace("antal,5", "antal,5,,"),
        2,
        "scale_max",
    ),
    (
        "goals",
        GOOD["goals"]
        .replace("kind,tolerance", "kind,tolerance,scale_min,scale_max")
        .replace("hogre,,", "hogre,skala,,5,1")
        .replace("antal,5", "antal,5,,"),
        2,
        "scale_max",
    ),
    ("goals", GOOD["goals"].replace("hogre,,", "hogre,vikt,"), 2, "kind"),
    ("targets", GOOD["targets"].replace("seminarier,2015", "seminarier,2013"), 2, "year"),
    ("targets", GOOD["targets"].replace(",6\n", ",-1\n"), 2, "target"),
    ("commentary", GOOD["commentary"].replace("2015H1", "2015H3"), 2, "period"),
    ("commentary", GOOD["commentary"].replace("2014-2016", "2016-2014"), 3, "period"),
    ("commentary", GOOD["commentary"].replace("2014-2016", "2012-2016"), 3, "period"),
]


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(GOOD))
def test_a_good_table_is_read(tmp_path, name):
    frame = parse_table(read_raw(_write(tmp_path, name, GOOD[name])), input_tables(CTX)[name])
    assert len(frame) == GOOD[name].count("\n") - 1


@pytest.mark.parametrize(
    ("name", "text", "row", "column"), BAD, ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD)]
)
def test_a_bad_input_names_file_row_and_column(tmp_path, name, text, row, column):
    path = _write(tmp_path, name, text)
    with pytest.raises(InputError) as caught:
        parse_table(read_raw(path), input_tables(CTX)[name])
    places = {(p.file, p.row, p.column) for p in caught.value.problems}
    assert (str(path), row, column) in places, caught.value


def test_without_an_agreement_membership_and_period_are_not_checked(tmp_path):
    text = GOOD["activities"].replace("2580|2581", "2580|2582").replace("2015-10", "2030-10")
    frame = parse_table(
        read_raw(_write(tmp_path, "activities", text)), input_tables()["activities"]
    )
    assert list(frame["municipalities"]) == ["2580|2582", "alla"]


def test_the_ledger_keeps_money_exact(tmp_path):
    from decimal import Decimal

    frame = parse_table(
        read_raw(_write(tmp_path, "ledger", GOOD["ledger"])), input_tables(CTX)["ledger"]
    )
    assert list(frame["amount_sek"]) == [
        Decimal("69512.50"),
        Decimal("83145.00"),
        Decimal("-412.00"),
    ]


def test_the_required_inputs_are_the_ones_a_follow_up_cannot_do_without():
    assert set(REQUIRED_INPUTS) == {"activities", "ledger", "goals", "targets"}


def test_the_committed_data_dictionary_is_up_to_date():
    committed = (REPO_ROOT / "docs" / "datadictionary.md").read_text(encoding="utf-8")
    assert committed == data_dictionary_markdown(), (
        "docs/datadictionary.md is out of date: run python -m foui_analysis.schemas.inputs"
    )
