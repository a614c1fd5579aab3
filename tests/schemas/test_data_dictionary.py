"""Declarations: reference files satisfy their schemas; the dictionary documents every column."""

from __future__ import annotations

import pytest

from foui_analysis.domain.reference import FILES as FILES_BY_KEY
from foui_analysis.paths import REPO_ROOT
from foui_analysis.schemas import Col, Table, data_dictionary, read_table
from foui_analysis.schemas import reference as ref
from foui_analysis.schemas.inputs import all_tables

REFERENCE = REPO_ROOT / "data" / "reference"
FILES = {table.name: file for file, table in FILES_BY_KEY.values()}


def test_every_reference_table_has_its_file():
    assert set(FILES) == {t.name for t in ref.REFERENCE_TABLES}


@pytest.mark.parametrize("table", ref.REFERENCE_TABLES, ids=lambda t: t.name)
def test_the_shipped_reference_file_satisfies_its_schema(table):
    frame = read_table(REFERENCE / FILES[table.name], table)
    assert not frame.empty
    assert set(table.columns) <= set(frame.columns)


def test_the_data_dictionary_covers_every_column_of_every_table():
    tables = all_tables()
    dictionary = data_dictionary(tables)
    declared = [(t.name, c) for t in tables for c in t.columns]
    assert list(zip(dictionary["table"], dictionary["column"], strict=True)) == declared
    assert list(dictionary.columns) == [
        "table",
        "column",
        "kind",
        "unit",
        "required",
        "rule",
        "description_sv",
        "description_en",
    ]
    assert (dictionary["description_sv"].str.len() > 0).all()
    assert (dictionary["description_en"].str.len() > 0).all()


def test_table_names_are_unique():
    names = [t.name for t in all_tables()]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(("suffix", "unit"), [("_sek", "kr"), ("_pct", "%"), ("_km2", "km²")])
def test_a_unit_in_a_column_name_is_the_declared_unit(suffix, unit):
    for table in all_tables():
        for name, col in table.columns.items():
            if name.endswith(suffix):
                assert unit in col.unit, f"{table.name}.{name} has unit {col.unit!r}"


def test_the_rule_column_says_the_rule_in_words():
    table = Table(
        "t",
        "t",
        "t",
        {
            "a": Col("text", "A", "A", allowed=("x", "y")),
            "b": Col("int", "B", "B", ge=1, le=6),
            "c": Col("decimal", "C", "C", ge=0, required=False),
            "d": Col("text", "D", "D", pattern=r"^\d+$"),
            "e": Col("text", "E", "E"),
        },
    )
    assert list(data_dictionary([table])["rule"]) == [
        "en av: x, y",
        ">= 1; <= 6",
        ">= 0; får vara tom",
        r"mönster ^\d+$",
        "",
    ]


def test_an_unknown_column_kind_is_refused_when_declared():
    with pytest.raises(ValueError, match="unknown column kind"):
        Col("float", "x", "x")
